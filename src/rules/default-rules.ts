// Where the package's default rule set lives, and the build's pre-validated copy of it.
// No zod here: the CI fast path loads the default rules through this module alone.
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/** What dist/default-rules.json holds (scripts/build.mjs): the validated rules and the YAML file they came from. */
export interface BuiltDefault {
  yaml: { size: number; mtimeMs: number };
  rules: RuleSet;
}

/**
 * The build's pre-validated copy (dist/default-rules.json) while rules/default.yaml is the
 * file it was built from (or is missing); undefined otherwise, and when running from
 * source. An edit to the YAML so takes effect at once, build or no build. The build stops
 * on an invalid default (scripts/build.mjs), so the copy is not validated again.
 * The YAML is only read when its size or modification time changed since the build (a
 * copied or touched package, and every installed one: npm does not keep modification
 * times): then its contents decide, compared with the copy the build kept beside the
 * rules (dist/default-rules.yaml). Comparing two strings is native; hashing the text in
 * JavaScript, or loading node:crypto to, cost milliseconds of every run.
 */
export function currentBuiltDefault(root = findPackageRoot()): RuleSet | undefined {
  const built = readIfThere(join(root, 'dist', 'default-rules.json'));
  if (built === undefined) return undefined;
  const { yaml, rules } = JSON.parse(built) as BuiltDefault;
  const path = join(root, 'rules', 'default.yaml');
  let info;
  try {
    info = statSync(path);
  } catch {
    return rules;
  }
  if (info.size === yaml.size && info.mtimeMs === yaml.mtimeMs) return rules;
  if (info.size !== yaml.size) return undefined;
  const text = readIfThere(path);
  return text === undefined || text === readIfThere(join(root, 'dist', 'default-rules.yaml')) ? rules : undefined;
}

/** Synchronous: node:fs/promises alone costs a millisecond of start-up on the CI path. */
function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
