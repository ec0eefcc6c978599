// Loading a rule set: the default (embedded at build time, so CI never parses its
// YAML), a file of one's own, or a file that `extends: default` and overrides parts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputError, joinPath, type Problem } from '../util/errors';
import { readInputFile } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';
import { didYouMean } from '../util/suggest';
import { checkRuleSet } from './check';
import { RuleSetSchema, type RuleSet } from './schema';

declare const __EMBEDDED_DEFAULT_RULES__: { hash: string; json: string } | undefined;
declare const __PACKAGE_ROOT_FROM_MODULE__: string | undefined;

export const RULES_MAX_BYTES = 2 * 1024 * 1024;

/** The package's own rules/default.yaml, wherever this module runs from (src or dist). */
export function defaultRulesPath(): string {
  const up = typeof __PACKAGE_ROOT_FROM_MODULE__ === 'string' ? __PACKAGE_ROOT_FROM_MODULE__ : '../..';
  return fileURLToPath(new URL(`${up}/rules/default.yaml`, import.meta.url));
}

let cachedDefault: RuleSet | undefined;

/** A cheap fingerprint of the YAML text (length and FNV-1a); must match scripts/build.mjs. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${text.length}:${h.toString(16)}`;
}

/** The embedded copy, while it matches the file on disk (or the file is missing). */
function embeddedDefault(text: string | undefined): unknown {
  if (typeof __EMBEDDED_DEFAULT_RULES__ === 'undefined') return undefined;
  if (text !== undefined && textHash(text) !== __EMBEDDED_DEFAULT_RULES__.hash) return undefined;
  return JSON.parse(__EMBEDDED_DEFAULT_RULES__.json);
}

export async function loadDefaultRules(): Promise<RuleSet> {
  if (cachedDefault) return cachedDefault;
  const path = defaultRulesPath();
  const text = await readFile(path, 'utf8').catch(() => undefined);
  // An edit to rules/default.yaml takes effect at once, build or no build. The build
  // validated the embedded copy (scripts/build.mjs stops on an invalid default), so it
  // is not validated again on every run.
  const embedded = embeddedDefault(text);
  if (embedded !== undefined) {
    cachedDefault = embedded as RuleSet;
    return cachedDefault;
  }
  if (text === undefined) throw new InputError({ file: path, message: 'the default rule set is missing; reinstall ft-advisor' });
  const data = await parseStructured(text, { file: 'rules/default.yaml', kind: 'rules', maxBytes: RULES_MAX_BYTES });
  cachedDefault = parseRuleSet(data, 'rules/default.yaml');
  return cachedDefault;
}

/** Raw default data, for `extends: default`. */
async function defaultRulesData(): Promise<unknown> {
  const text = await readFile(defaultRulesPath(), 'utf8').catch(() => undefined);
  const embedded = embeddedDefault(text);
  if (embedded !== undefined) return embedded;
  return parseStructured(text ?? '', { file: 'rules/default.yaml', kind: 'rules', maxBytes: RULES_MAX_BYTES });
}

export interface LoadRulesOptions {
  cwd?: string;
}

/** A rule file given with --rules. `-` is not allowed: stdin carries the answers. */
export async function loadRulesFile(file: string, options: LoadRulesOptions = {}): Promise<RuleSet> {
  const text = await readInputFile(file, { cwd: options.cwd, maxBytes: RULES_MAX_BYTES, what: 'rule set' });
  const data = await parseStructured(text, { file, kind: 'rules', maxBytes: RULES_MAX_BYTES });
  return resolveRuleSet(data, file);
}

export async function loadRules(file: string | undefined, options: LoadRulesOptions = {}): Promise<RuleSet> {
  return file ? loadRulesFile(file, options) : loadDefaultRules();
}

export async function resolveRuleSet(data: unknown, file: string): Promise<RuleSet> {
  if (data && typeof data === 'object' && !Array.isArray(data) && 'extends' in data) {
    const parent = (data as Record<string, unknown>).extends;
    if (parent !== 'default') {
      throw new InputError({ file, path: 'extends', message: `can only extend "default", got ${JSON.stringify(parent)}`, hint: 'write extends: default, or copy the rule set you want to start from' });
    }
    const { extends: _ignored, ...overrides } = data as Record<string, unknown>;
    data = mergeRules(await defaultRulesData(), overrides);
  }
  return parseRuleSet(data, file);
}

/**
 * Overrides merge into the base: mappings key by key, lists of items with an `id`
 * item by item (a new id is appended, `remove: true` drops one), anything else replaces.
 */
export function mergeRules(base: unknown, override: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(override) && isIdList(base) && isIdList(override)) {
    const out = base.map((item) => ({ ...item }));
    for (const item of override as Record<string, unknown>[]) {
      const at = out.findIndex((b) => b.id === item.id);
      if (item.remove === true) {
        if (at !== -1) out.splice(at, 1);
      } else if (at === -1) out.push(item);
      else out[at] = mergeRules(out[at], item) as Record<string, unknown>;
    }
    return out;
  }
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeRules(base[k], v) : v;
    return out;
  }
  return override;
}

function isIdList(list: unknown[]): boolean {
  return list.length > 0 && list.every((x) => isPlainObject(x) && typeof x.id === 'string');
}
function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export function parseRuleSet(data: unknown, file: string): RuleSet {
  const problems = ruleSetProblems(data, file);
  if (problems.problems.length) throw new InputError(problems.problems);
  return problems.rules!;
}

export function ruleSetProblems(data: unknown, file: string): { rules?: RuleSet; problems: Problem[] } {
  const result = RuleSetSchema.safeParse(data);
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => zodIssueToProblem(issue as never, data, file)) };
  }
  const problems = checkRuleSet(result.data, file);
  return problems.length ? { problems } : { rules: result.data, problems };
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
}

function zodIssueToProblem(issue: IssueLike, data: unknown, file: string): Problem {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const value = path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined), data);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path, data);
    const keys = issue.keys ?? [];
    return {
      file,
      path: joinPath([...path, keys[0] ?? '']),
      message: `unknown key${keys.length > 1 ? `s ${keys.join(', ')}` : ''}${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
      hint: keys[0] ? didYouMean(keys[0], known) : undefined,
    };
  }
  if (issue.code === 'invalid_type' && value === undefined) {
    return { file, path: joinPath(path), message: `missing; expected ${issue.expected ?? 'a value'}` };
  }
  if (issue.code === 'invalid_union') {
    return { file, path: joinPath(path), message: 'not a valid condition or value; a condition is { fact: <path>, <operator>: <value> } or all/any/not of conditions' };
  }
  if (issue.code === 'invalid_value' && issue.values) {
    return { file, path: joinPath(path), message: `expected one of: ${issue.values.join(', ')}; got ${JSON.stringify(value)}`, hint: typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined };
  }
  return { file, path: joinPath(path), message: `${issue.message.replace(/^Invalid input: /, '')}${value !== undefined ? `; got ${JSON.stringify(value)?.slice(0, 60)}` : ''}` };
}

/** Keys a strict object at `path` accepts: read off the zod schema by walking it. */
function knownKeysAt(path: ReadonlyArray<string | number>, _data: unknown): string[] {
  let schema: unknown = RuleSetSchema;
  for (const key of path) {
    schema = unwrap(schema);
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return [];
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[key as string];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
  }
  schema = unwrap(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  if (def?.type === 'object') return Object.keys(def.shape as object);
  if (def?.type === 'union') {
    return [...new Set((def.options as unknown[]).flatMap((o) => Object.keys(((unwrap(o) as { _zod: { def: { shape?: object } } })._zod.def.shape ?? {}))))];
  }
  return [];
}

function unwrap(schema: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return schema;
    if (def.type === 'optional' || def.type === 'nullable') schema = def.innerType;
    else if (def.type === 'lazy') schema = (def.getter as () => unknown)();
    else return schema;
  }
  return schema;
}
