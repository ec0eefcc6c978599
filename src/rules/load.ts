// Loading a rule set: the default (parsed and checked at build time, so CI never parses its
// YAML), a file of one's own, or a file that `extends: default` and overrides parts.
import { readFile } from 'node:fs/promises';
import { dedupeProblems, InputError, joinPath, type Problem } from '../util/errors';
import { valueAt } from '../util/paths';
import { readInputFile } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';
import { closest, didYouMean } from '../util/suggest';
import { checkRuleSet } from './check';
import { currentBuiltDefault, defaultRulesPath } from './default-rules';
import { getRuleSetSchema, OPERATORS, type RuleSet } from './schema';

export { defaultRulesPath, findPackageRoot } from './default-rules';

export const RULES_MAX_BYTES = 2 * 1024 * 1024;

let cachedDefault: RuleSet | undefined;

export async function loadDefaultRules(): Promise<RuleSet> {
  if (cachedDefault) return cachedDefault;
  const built = currentBuiltDefault();
  if (built !== undefined) {
    cachedDefault = built;
    return cachedDefault;
  }
  const path = defaultRulesPath();
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) throw new InputError({ file: path, message: 'the default rule set is missing; reinstall ft-advisor' });
  const data = await parseStructured(text, { file: 'rules/default.yaml', kind: 'rules', maxBytes: RULES_MAX_BYTES });
  cachedDefault = parseRuleSet(data, 'rules/default.yaml');
  return cachedDefault;
}

/** Raw default data, for `extends: default`. */
async function defaultRulesData(): Promise<unknown> {
  const built = currentBuiltDefault();
  if (built !== undefined) return built;
  const text = await readFile(defaultRulesPath(), 'utf8').catch(() => undefined);
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

export interface RuleSetCheck {
  /** The checked rule set, when there are no problems. */
  rules?: RuleSet;
  problems: Problem[];
  /** The file extends the default rule set (problem paths then name list items by id). */
  extended: boolean;
}

/**
 * Every problem with a parsed rule file: `extends`, the merge, the structure (zod) and
 * the meaning (check.ts), all at once, so `rules validate` can list them together.
 */
export async function checkRuleSetData(data: unknown, file: string): Promise<RuleSetCheck> {
  if (!isPlainObject(data) || !('extends' in data)) {
    return { ...ruleSetProblems(data, file), extended: false };
  }
  const parent = data.extends;
  if (parent !== 'default') {
    const problem: Problem = {
      file,
      path: 'extends',
      message: `can only extend "default", got ${JSON.stringify(parent)}`,
      hint: 'write extends: default, or copy the rule set you want to start from',
    };
    return { problems: [problem], extended: true };
  }
  const { extends: _ignored, ...overrides } = data;
  const problems: Problem[] = [];
  for (const key of ['name', 'version'] as const) {
    if (overrides[key] === undefined) {
      problems.push({
        file,
        path: key,
        message: `missing; a rule set that extends default needs its own ${key}, so every report says which rules made it`,
        hint: key === 'name' ? 'e.g. name: acme-platform' : 'e.g. version: 1, bumped whenever the file changes',
      });
    }
  }
  const near: NonNullable<MergeContext['near']> = [];
  const merged = mergeRules(await defaultRulesData(), overrides, { file, problems, path: [], near });
  const checked = ruleSetProblems(merged, file);
  const found = checked.problems.map((p) => ({ ...p, path: p.path === undefined ? undefined : idPath(p.path, merged) }));
  // An incomplete new item whose id is one letter off an existing one was meant as an override.
  for (const n of near) {
    if (found.some((p) => p.path === n.at || p.path?.startsWith(`${n.at}.`))) {
      problems.push({
        file,
        path: `${n.at}.id`,
        message: `the default rule set has no item "${n.id}" here, so this is a new item and needs every key of one`,
        hint: `did you mean ${n.meant}? to change an item, repeat its id exactly`,
      });
    }
  }
  problems.push(...found);
  return problems.length ? { problems, extended: true } : { rules: checked.rules, problems, extended: true };
}

export async function resolveRuleSet(data: unknown, file: string): Promise<RuleSet> {
  const checked = await checkRuleSetData(data, file);
  if (checked.problems.length || !checked.rules) throw new InputError(checked.problems);
  return checked.rules;
}

/** Where mergeRules reports overrides it cannot apply. */
export interface MergeContext {
  file?: string;
  problems: Problem[];
  path: Array<string | number>;
  /** New items whose id is close to one of the default's: likely a misspelt override. */
  near?: { at: string; id: string; meant: string }[];
  /** The path with list items named by id, as problems are reported: `decision.tree[tree.indicators]`. */
  named?: string;
}

/** Keys whose value is a condition (or a band's test): replaced whole, never merged key by key. */
const REPLACED_WHOLE = new Set(['when', 'askWhen', 'not', 'all', 'any']);

/**
 * Overrides merge into the base: mappings key by key, lists of items with an `id`
 * item by item (a new id is appended, `remove: true` drops one), anything else replaces.
 * Conditions (`when`, `askWhen`) are replaced whole: merging `{ fact: x, gt: 3 }` with
 * `{ fact: x, gte: 5 }` key by key would demand both.
 */
export function mergeRules(base: unknown, override: unknown, ctx?: MergeContext): unknown {
  if (Array.isArray(base) && Array.isArray(override) && isIdList(base) && override.some((x) => isPlainObject(x) && 'id' in x)) {
    const out: Record<string, unknown>[] = base.map((item) => ({ ...item }));
    const seen = new Map<string, number>();
    override.forEach((item, i) => {
      const here = ctx && { ...ctx, path: [...ctx.path, i], named: isPlainObject(item) && typeof item.id === 'string' ? `${ctx.named ?? ''}[${item.id}]` : ctx.named };
      if (isPlainObject(item) && typeof item.id === 'string') {
        if (seen.has(item.id)) {
          ctx?.problems.push({ file: ctx.file, path: joinPath([...here!.path, 'id']), message: `duplicate id "${item.id}" (also at ${joinPath([...ctx.path, seen.get(item.id)!])})` });
          return;
        }
        seen.set(item.id, i);
      }
      if (!isPlainObject(item) || typeof item.id !== 'string') {
        ctx?.problems.push({
          file: ctx.file,
          path: joinPath(here!.path),
          message: 'every item of this list needs an id: items are matched with the default rule set by id',
          hint: `ids in the default: ${base.map((b) => b.id).join(', ')}`,
        });
        return;
      }
      const { remove, ...rest } = item;
      const at = out.findIndex((b) => b.id === item.id);
      if (remove !== undefined && typeof remove !== 'boolean') {
        ctx?.problems.push({ file: ctx.file, path: joinPath([...here!.path, 'remove']), message: `expected true or false, got ${JSON.stringify(remove)}` });
        return;
      }
      if (remove === true) {
        if (at !== -1) out.splice(at, 1);
        else {
          ctx?.problems.push({
            file: ctx.file,
            path: joinPath([...here!.path, 'id']),
            message: `remove: true, but the default rule set has no item "${item.id}" here`,
            hint:
              didYouMean(
                item.id,
                base.map((b) => String(b.id)),
              ) ?? `ids here: ${base.map((b) => b.id).join(', ')}`,
          });
        }
      } else if (at === -1) {
        const meant = closest(
          item.id,
          base.map((b) => String(b.id)),
        );
        if (ctx?.near && meant) ctx.near.push({ at: here!.named ?? '', id: item.id, meant });
        out.push(rest);
      } else out[at] = mergeRules(out[at], rest, here) as Record<string, unknown>;
    });
    return out;
  }
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
      out[k] = k in base && !REPLACED_WHOLE.has(k) ? mergeRules(base[k], v, ctx && { ...ctx, path: [...ctx.path, k], named: ctx.named ? `${ctx.named}.${k}` : k }) : v;
    }
    return out;
  }
  return override;
}

function isIdList(list: unknown[]): list is Array<Record<string, unknown> & { id: string }> {
  return list.length > 0 && list.every((x) => isPlainObject(x) && typeof x.id === 'string');
}
function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** `decision.tree[1].when` -> `decision.tree[tree.indicators].when`: list items named by id. */
export function idPath(path: string, data: unknown): string {
  const parts = path.match(/[^.[\]]+|\[\d+\]/g);
  if (!parts) return path;
  let cur: unknown = data;
  let out = '';
  for (const part of parts) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) {
      const item: unknown = Array.isArray(cur) ? cur[Number(index[1])] : undefined;
      out += isPlainObject(item) && typeof item.id === 'string' && /^[A-Za-z][A-Za-z0-9_.-]*$/.test(item.id) ? `[${item.id}]` : part;
      cur = item;
    } else {
      out += out ? `.${part}` : part;
      cur = isPlainObject(cur) ? cur[part] : undefined;
    }
  }
  return out;
}

export function parseRuleSet(data: unknown, file: string): RuleSet {
  const problems = ruleSetProblems(data, file);
  if (problems.problems.length) throw new InputError(problems.problems);
  return problems.rules!;
}

/**
 * Structure first (zod), then meaning (check.ts). When the structure is wrong, the
 * rejected values are swapped for neutral placeholders so the meaning checks can still
 * run on the rest: one `rules validate` lists every problem, not the first kind only.
 */
export function ruleSetProblems(data: unknown, file: string): { rules?: RuleSet; problems: Problem[] } {
  const result = getRuleSetSchema().safeParse(data);
  if (result.success) {
    const problems = checkRuleSet(result.data, file);
    return problems.length ? { problems } : { rules: result.data, problems };
  }
  const structural = dedupeProblems(result.error.issues.flatMap((issue) => zodIssueToProblems(issue as never, data, file)));
  return { problems: [...structural, ...semanticDespiteStructure(data, result.error.issues, structural, file)] };
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  errors?: IssueLike[][];
  format?: string;
}

type Path = Array<string | number>;
const CONDITION_KEYS = ['fact', 'all', 'any', 'not'];
const OPERATOR_LIST: readonly string[] = OPERATORS;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  tuple: 'a list [min, max]',
  record: 'a mapping',
};

/** A path reads a condition: `when`, `askWhen`, `not`, or an item of `all` / `any`. */
function isConditionPath(path: Path): boolean {
  const last = path[path.length - 1];
  const before = path[path.length - 2];
  if (last === 'when') return !path.includes('bands');
  return last === 'askWhen' || last === 'not' || (typeof last === 'number' && (before === 'all' || before === 'any'));
}

function zodIssueToProblems(issue: IssueLike, data: unknown, file: string): Problem[] {
  const path: Path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const value = valueAt(data, path);
  const at = joinPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return (issue.keys ?? []).map((key) => ({
        file,
        path: joinPath([...path, key]),
        message: `unknown key${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
        hint: didYouMean(key, known),
      }));
    }
    case 'invalid_type':
      if (value === undefined) return [{ file, path: at, message: `missing; expected ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected ?? 'a value'}` }];
      return [{ file, path: at, message: `expected ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected}, got ${describe(value)}` }];
    case 'invalid_union':
      if (isConditionPath(path)) return conditionProblems(value, path, file);
      return [{ file, path: at, message: `expected ${unionExpected(issue)}, got ${describe(value)}` }];
    case 'invalid_value':
      if (issue.values?.length === 1) return [{ file, path: at, message: `expected ${JSON.stringify(issue.values[0])}, got ${describe(value)}` }];
      return [
        {
          file,
          path: at,
          message: `expected one of: ${(issue.values ?? []).join(', ')}; got ${describe(value)}`,
          hint: typeof value === 'string' ? didYouMean(value, (issue.values ?? []).map(String)) : undefined,
        },
      ];
    case 'invalid_format':
      return [{ file, path: at, message: `${issue.message.startsWith('an id') ? `expected ${issue.message}, starting with a letter` : issue.message}; got ${describe(value)}` }];
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      if (issue.origin === 'array' && Array.isArray(value) && path[path.length - 2] === 'typical') {
        return [{ file, path: at, message: `expected a range [min, max] (max may be null for "and up"), got ${JSON.stringify(value)}` }];
      }
      if (issue.origin === 'array')
        return [
          {
            file,
            path: at,
            message: `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}, got ${Array.isArray(value) ? value.length : describe(value)}`,
          },
        ];
      if (issue.origin === 'string') return [{ file, path: at, message: 'must not be empty' }];
      return [{ file, path: at, message: `must be ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound}, got ${describe(value)}` }];
    }
    default:
      return [{ file, path: at, message: `${issue.message.replace(/^Invalid input:? ?/, '') || 'invalid value'}; got ${describe(value)}` }];
  }
}

function unionExpected(issue: IssueLike): string {
  const expected = new Set<string>();
  for (const branch of issue.errors ?? []) {
    for (const i of branch) {
      if (i.path.length === 0 && i.code === 'invalid_type' && i.expected) expected.add(TYPE_WORDS[i.expected] ?? i.expected);
      if (i.path.length === 0 && i.code === 'invalid_value') for (const v of i.values ?? []) expected.add(JSON.stringify(v));
    }
  }
  const list = [...expected];
  return list.length ? (list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`) : 'a valid value';
}

const CONDITION_SHAPE = 'a condition is { fact: <path>, <operator>: <value> }, or { all: [...] }, { any: [...] }, { not: <condition> }';

/** Precise problems for a malformed condition, down to the leaf that is wrong. */
export function conditionProblems(value: unknown, path: Path, file: string): Problem[] {
  const at = joinPath(path);
  if (!isPlainObject(value)) return [{ file, path: at, message: `expected a condition, got ${describe(value)}`, hint: CONDITION_SHAPE }];
  const keys = Object.keys(value);
  const kinds = keys.filter((k) => CONDITION_KEYS.includes(k));
  if (kinds.length === 0) {
    const guess = keys.map((k) => didYouMean(k, CONDITION_KEYS)).find(Boolean);
    return [{ file, path: at, message: `not a condition: it has ${keys.length ? `keys ${keys.join(', ')}` : 'no keys'} but no fact, all, any or not`, hint: guess ?? CONDITION_SHAPE }];
  }
  if (kinds.length > 1) {
    return [{ file, path: at, message: `a condition has exactly one of fact, all, any, not; this one has ${kinds.join(' and ')}`, hint: 'combine several conditions with all: [...] or any: [...]' }];
  }
  const kind = kinds[0]!;
  const problems: Problem[] = [];
  if (kind === 'fact') {
    if (typeof value.fact !== 'string' || value.fact === '')
      problems.push({ file, path: joinPath([...path, 'fact']), message: `expected a fact path such as framework.indicators, got ${describe(value.fact)}` });
    const ops = keys.filter((k) => k !== 'fact');
    for (const op of ops) {
      const v = value[op];
      const p = joinPath([...path, op]);
      if (!OPERATOR_LIST.includes(op)) {
        problems.push({ file, path: p, message: `unknown operator; expected one of: ${OPERATOR_LIST.join(', ')}`, hint: didYouMean(op, OPERATOR_LIST) });
      } else if (['gt', 'gte', 'lt', 'lte'].includes(op) && typeof v !== 'number') {
        problems.push({
          file,
          path: p,
          message: `expected a number, got ${describe(v)}`,
          hint: typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? 'write the number without quotes' : undefined,
        });
      } else if (['in', 'notIn', 'containsAny', 'containsOnly'].includes(op) && (!Array.isArray(v) || v.some((x) => !isScalar(x)))) {
        problems.push({ file, path: p, message: `expected a list of values, got ${describe(v)}`, hint: isScalar(v) ? `write [${JSON.stringify(v)}]` : undefined });
      } else if (['is', 'eq', 'ne', 'contains'].includes(op) && !isScalar(v)) {
        problems.push({
          file,
          path: p,
          message: `expected one value (text, a number or true/false), got ${describe(v)}`,
          hint: Array.isArray(v) && op !== 'contains' ? 'to compare with several values, use in: [...]' : Array.isArray(v) ? 'to test several values, use containsAny or containsOnly' : undefined,
        });
      } else if (op === 'exists' && typeof v !== 'boolean') {
        problems.push({ file, path: p, message: `expected true or false, got ${describe(v)}` });
      }
    }
    return problems;
  }
  for (const extra of keys.filter((k) => k !== kind)) {
    problems.push({ file, path: joinPath([...path, extra]), message: `unknown key next to ${kind}`, hint: 'a condition has exactly one of fact, all, any, not; put other conditions inside the list' });
  }
  if (kind === 'not') return [...problems, ...conditionProblems(value.not, [...path, 'not'], file)];
  const list = value[kind];
  if (!Array.isArray(list) || list.length === 0) {
    return [...problems, { file, path: joinPath([...path, kind]), message: `expected a non-empty list of conditions, got ${Array.isArray(list) ? 'an empty list' : describe(list)}` }];
  }
  list.forEach((c, i) => problems.push(...conditionProblems(c, [...path, kind, i], file)));
  return problems;
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * Runs the meaning checks on a copy of `data` whose structural problems are patched with
 * placeholders. Problems at (or under) a patched path are dropped: zod already said
 * what is wrong there. Gives up quietly when the structure is too broken to patch.
 */
function semanticDespiteStructure(data: unknown, issues: IssueLike[], structural: Problem[], file: string): Problem[] {
  if (!isPlainObject(data)) return [];
  const copy = structuredClone<Record<string, unknown>>(data);
  const patched: string[] = [];
  // A badly spelt id is still a usable name for the meaning checks: leave it in place,
  // or every reference to it would look dangling.
  const tolerable = (issue: IssueLike) => issue.code === 'invalid_format';
  let pending = issues;
  for (let round = 0; round < 6; round++) {
    for (const issue of pending) if (!tolerable(issue) && !patch(copy, issue, patched)) return [];
    const again = getRuleSetSchema().safeParse(copy);
    if (!again.success && !(again.error.issues as never as IssueLike[]).every(tolerable)) {
      pending = again.error.issues;
      continue;
    }
    const seen = new Set(structural.map((p) => `${p.path}|${p.message}`));
    return checkRuleSet(copy as unknown as RuleSet, file).filter((p) => {
      if (seen.has(`${p.path}|${p.message}`)) return false;
      return !patched.some((q) => p.path === q || p.path?.startsWith(`${q}.`) || p.path?.startsWith(`${q}[`));
    });
  }
  return [];
}

const PLACEHOLDER_CONDITION = { fact: 'framework.scored', is: true };
const PLACEHOLDER_TEXT = 'ft-advisor';

/** Replaces what `issue` rejects with a neutral value; false when it cannot. */
function patch(root: Record<string, unknown>, issue: IssueLike, patched: string[]): boolean {
  const path: Path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const set = (p: Path, v: unknown): boolean => {
    if (p.length === 0) return false;
    const parent = valueAt(root, p.slice(0, -1));
    if (parent === null || typeof parent !== 'object') return false;
    (parent as Record<string | number, unknown>)[p[p.length - 1]!] = v;
    patched.push(joinPath(p));
    return true;
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const target = valueAt(root, path);
      if (!isPlainObject(target)) return false;
      // A condition without its misspelt operator would look operator-less: replace it whole.
      if (isConditionPath(path)) return set(path, PLACEHOLDER_CONDITION);
      for (const key of issue.keys ?? []) {
        delete target[key];
        patched.push(joinPath([...path, key]));
      }
      return true;
    }
    case 'invalid_union':
      if (isConditionPath(path)) return set(path, PLACEHOLDER_CONDITION);
      return set(path, PLACEHOLDER_TEXT);
    case 'invalid_value':
      return issue.values?.length ? set(path, issue.values[0]) : false;
    case 'invalid_type': {
      const byType: Record<string, unknown> = { string: PLACEHOLDER_TEXT, number: 0, boolean: false, array: [], object: {}, record: {}, tuple: [0, null] };
      if (isConditionPath(path)) return set(path, PLACEHOLDER_CONDITION);
      return issue.expected !== undefined && issue.expected in byType ? set(path, structuredClone(byType[issue.expected])) : false;
    }
    case 'too_small':
      if (issue.origin === 'string') return set(path, PLACEHOLDER_TEXT);
      if (issue.origin === 'array' && path[path.length - 2] === 'typical') return set(path, [0, null]);
      return false;
    default:
      return false;
  }
}

/** Keys a strict object at `path` accepts: read off the zod schema by walking it. */
function knownKeysAt(path: ReadonlyArray<string | number>): string[] {
  let schema: unknown = getRuleSetSchema();
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
    return [...new Set((def.options as unknown[]).flatMap((o) => Object.keys((unwrap(o) as { _zod: { def: { shape?: object } } })._zod.def.shape ?? {})))];
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
