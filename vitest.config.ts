import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Budgets for a busy two-core machine, not a quiet one: tests assert behaviour, never
    // time. Property tests are sized by run count; the long ones carry their own budget.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // End-to-end tests spawn the built binary; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
