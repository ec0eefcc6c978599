// Loads the full answers validation (zod, and the messages with dot paths and hints).
// Batches check each document with the quick conformance walk (conforms.ts) and need
// this only for the first invalid one. A module of its own because the start-up bundle
// (dist/cli.cjs) cannot import(): the build swaps this for one that asks bin/ to load
// dist/validation.js (scripts/build.mjs), so zod stays out of the start-up path.
export function loadValidation(): Promise<typeof import('./validate')> {
  return import('./validate');
}
