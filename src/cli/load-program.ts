// Loads the full commander program. A module of its own because the start-up bundle
// (dist/cli.cjs) runs as a cached vm script, where import() is unavailable: the build
// swaps this module for one that asks bin/ to do the import (scripts/build.mjs).
export function loadProgram(): Promise<typeof import('./program')> {
  return import('./program');
}
