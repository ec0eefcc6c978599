// The project config, `.ft-advisor.yaml`: the rule set and default options of a
// repository, found upward from the working directory, so CI steps need not repeat
// `--rules`. Options given on the command line always win. Finding is a few stat calls
// (the fast path only looks, and declines when there is one); reading and checking it
// happens in the full program.
import { dirname, relative, resolve } from 'node:path';
import { findConfigFile } from './config-find';
import { APPROACHES } from '../rules/vocabulary';
import { InputError, type Problem } from '../util/errors';
import { readInputFile } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';
import { didYouMean } from '../util/suggest';

export { CONFIG_NAMES, findConfigFile } from './config-find';

/** The `assess` defaults a config may set, with the type each must have. */
const ASSESS_KEYS = {
  format: ['text', 'json', 'markdown', 'jsonl'],
  expect: APPROACHES,
  whatIf: 'boolean',
  baseline: 'path',
  failOnChange: 'boolean',
} as const;
const TOP_KEYS = ['rules', 'assess'] as const;

export interface ProjectConfig {
  /** The file, as shown to people: relative to the working directory. */
  file: string;
  /** The rule set, resolved against the config file's folder. */
  rules?: string;
  assess: { format?: string; expect?: string; whatIf?: boolean; baseline?: string; failOnChange?: boolean };
}

/** Reads and checks a config file; every problem names the file and the dot path. */
export async function loadConfig(path: string, cwd: string): Promise<ProjectConfig> {
  const file = relative(cwd, path) || path;
  const text = await readInputFile(file, { cwd, maxBytes: 64 * 1024, what: 'config' });
  const data = await parseStructured(text, { file });
  const problems: Problem[] = [];
  const config: ProjectConfig = { file, assess: {} };
  if (data === null || data === undefined) return config;
  if (typeof data !== 'object' || Array.isArray(data)) throw new InputError({ file, message: 'expected a mapping of settings (rules, assess)' });
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) problems.push({ file, path: key, message: 'unknown setting', hint: didYouMean(key, TOP_KEYS) ?? `expected one of ${TOP_KEYS.join(', ')}` });
  }
  if (record.rules !== undefined) {
    if (typeof record.rules !== 'string' || !record.rules) problems.push({ file, path: 'rules', message: 'expected the path of a rule set (YAML or JSON), relative to this file' });
    else config.rules = resolve(dirname(path), record.rules);
  }
  const assess = record.assess;
  if (assess !== undefined && (typeof assess !== 'object' || assess === null || Array.isArray(assess))) {
    problems.push({ file, path: 'assess', message: 'expected a mapping of assess options (format, expect, whatIf, baseline, failOnChange)' });
  } else if (assess) {
    for (const [key, value] of Object.entries(assess as Record<string, unknown>)) {
      const kind = ASSESS_KEYS[key as keyof typeof ASSESS_KEYS];
      const path = `assess.${key}`;
      if (kind === undefined) {
        problems.push({ file, path, message: 'unknown option', hint: didYouMean(key, Object.keys(ASSESS_KEYS)) ?? `expected one of ${Object.keys(ASSESS_KEYS).join(', ')}` });
      } else if (kind === 'boolean') {
        if (typeof value !== 'boolean') problems.push({ file, path, message: `expected true or false, got ${JSON.stringify(value)}` });
        else (config.assess as Record<string, unknown>)[key] = value;
      } else if (kind === 'path') {
        if (typeof value !== 'string' || !value) problems.push({ file, path, message: 'expected a path, relative to this file' });
        else (config.assess as Record<string, unknown>)[key] = relative(cwd, resolve(dirname(path), value)) || '.';
      } else if (typeof value !== 'string' || !(kind as readonly string[]).includes(value)) {
        problems.push({ file, path, message: `expected one of ${kind.join(', ')}, got ${JSON.stringify(value)}`, hint: typeof value === 'string' ? didYouMean(value, kind) : undefined });
      } else (config.assess as Record<string, unknown>)[key] = value;
    }
  }
  if (problems.length) throw new InputError(problems);
  return config;
}

/** The project config for this run: none with --no-config, the given file with --config, else the nearest. */
export async function projectConfig(opts: { config?: string | boolean }, cwd: string): Promise<ProjectConfig | undefined> {
  if (opts.config === false) return undefined;
  const path = typeof opts.config === 'string' ? resolve(cwd, opts.config) : findConfigFile(cwd);
  return path ? loadConfig(path, cwd) : undefined;
}

/**
 * Fills in what the command line left out from the config: `explicit` says which options
 * were given as flags (they win). Returns the config used, or undefined.
 */
export async function applyConfig<T extends { rules?: string; config?: string | boolean }>(
  opts: T,
  explicit: (key: string) => boolean,
  cwd: string,
  assessKeys: boolean,
): Promise<ProjectConfig | undefined> {
  const config = await projectConfig(opts, cwd);
  if (!config) return undefined;
  const target = opts as Record<string, unknown>;
  if (config.rules !== undefined && !explicit('rules')) target.rules = relative(cwd, config.rules) || config.rules;
  if (assessKeys) {
    for (const [key, value] of Object.entries(config.assess)) if (!explicit(key)) target[key] = value;
  }
  return config;
}
