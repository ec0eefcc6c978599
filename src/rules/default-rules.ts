// Where the package's default rule set lives, and the build's pre-validated copy of it.
// No zod here: the CI fast path loads the default rules through this module alone.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSet } from './schema';

let packageRoot: string | undefined;

/**
 * The folder holding package.json and rules/, found by walking up from this module: it
 * runs from src/rules (tests), dist/ or dist/chunks/ (the bundle), wherever the bundler
 * put it.
 */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules', 'default.yaml'))) return (packageRoot = dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
}

/** The package's own rules/default.yaml. */
export function defaultRulesPath(): string {
  return join(findPackageRoot(), 'rules', 'default.yaml');
}

/**
 * The build's pre-validated copy (dist/default-rules.json), while it matches the YAML on
 * disk (or the YAML is missing); undefined otherwise, and when running from source.
 * An edit to rules/default.yaml so takes effect at once, build or no build. The build
 * stops on an invalid default (scripts/build.mjs), so the copy is not validated again.
 */
export async function builtDefault(text: string | undefined): Promise<RuleSet | undefined> {
  const built = readIfThere(join(findPackageRoot(), 'dist', 'default-rules.json'));
  if (built === undefined) return undefined;
  // The copy carries the YAML it came from; comparing strings is cheaper than hashing.
  const { source, rules } = JSON.parse(built) as { source: string; rules: RuleSet };
  return text === undefined || text === source ? rules : undefined;
}

/** The built default rule set if it is current, without ever parsing YAML or loading zod. */
export async function currentBuiltDefault(): Promise<RuleSet | undefined> {
  return builtDefault(readIfThere(defaultRulesPath()));
}

/** Synchronous: node:fs/promises alone costs a millisecond of start-up on the CI path. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
