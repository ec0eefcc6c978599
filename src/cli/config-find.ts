// Finding the project config: a few stat calls, small enough for the start-up bundle's
// fast path, which declines when there is a config (config.ts reads it).
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_NAMES = ['.ft-advisor.yaml', '.ft-advisor.yml'] as const;

/** The nearest `.ft-advisor.yaml` (or `.yml`) from `cwd` up to the root, or undefined. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      try {
        if (statSync(join(dir, name)).isFile()) return join(dir, name);
      } catch {
        // not here
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
