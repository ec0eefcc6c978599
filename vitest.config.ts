import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 60000,
    // End-to-end tests spawn the built binary; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
