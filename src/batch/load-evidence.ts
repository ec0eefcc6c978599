// Loads src/batch/evidence.ts. A module of its own because the start-up bundle
// (dist/cli.cjs) cannot import(): the build swaps this for one that asks bin/ to load
// dist/evidence.js (scripts/build.mjs), so the evidence readers and zod stay out of the
// start-up path of batches that have no evidence.
export function loadEvidence(): Promise<typeof import('./evidence')> {
  return import('./evidence');
}
