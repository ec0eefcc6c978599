// Explanations that quote a number their own condition no longer uses: a rule set that
// raises `gt: 3` to `gt: 4` but keeps "the tree needs more than 3" would print a report
// that contradicts itself ("Only 4 indicators apply; the tree needs more than 3").
// Checked for every item with a condition (tree steps, adjustments, caps, bands, derived
// answers, conditional texts...) against the texts of the same item. A warning, not an
// error: a text may quote another number on purpose.
import type { Problem } from '../util/errors';
import type { RuleSet } from './schema';

const COMPARISONS = new Set(['gt', 'gte', 'lt', 'lte', 'eq', 'is', 'ne']);
/** The texts an item explains its condition with; `no` is a tree step's other branch. */
const TEXT_KEYS = ['question', 'yes', 'because', 'text', 'label', 'summary', 'title', 'decision', 'why', 'conflict'] as const;
const SUFFIX: Record<string, number> = { k: 1_000, K: 1_000, m: 1_000_000, M: 1_000_000 };

/** The numbers a condition compares with (not those of named conditions it reads: their texts are their own). */
function thresholds(condition: unknown, named: ReadonlyMap<string, unknown>, out: number[] = [], seen = new Set<string>()): number[] {
  if (Array.isArray(condition)) for (const c of condition) thresholds(c, named, out, seen);
  else if (condition && typeof condition === 'object') {
    for (const [key, value] of Object.entries(condition)) {
      if (COMPARISONS.has(key) && typeof value === 'number') out.push(value);
      else if (key === 'all' || key === 'any' || key === 'not') thresholds(value, named, out, seen);
    }
  }
  return out;
}

/** "Phase 5", "step 3", "question 1": numbers that name a place in a document, not a threshold. */
const ORDINAL_BEFORE = /(?:phase|step|question|item|option|alternative|failure mode|P)\s*$/i;

/** Numbers written out in a text ("more than 3", "1,000", "1K"), not those filled in from {facts}. */
export function quotedNumbers(text: string): number[] {
  const literal = text.replace(/\{[^}]*\}/g, ' ');
  return [...literal.matchAll(/(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)([kKmM])?(?![\w])/g)]
    .filter((m) => !ORDINAL_BEFORE.test(literal.slice(Math.max(0, m.index - 20), m.index)))
    .map((m) => Number(m[1]!.replace(/,/g, '')) * (m[2] ? SUFFIX[m[2]]! : 1));
}

function texts(item: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  for (const key of TEXT_KEYS) if (typeof item[key] === 'string') out.push([key, item[key]]);
  const no = item.no;
  if (no && typeof no === 'object') for (const key of TEXT_KEYS) if (typeof (no as Record<string, unknown>)[key] === 'string') out.push([`no.${key}`, (no as Record<string, string>)[key]!]);
  return out;
}

/** Warnings, each with the dot path of the text (list items named by id). */
export function staleNumberWarnings(rules: RuleSet, file?: string): Problem[] {
  const warnings: Problem[] = [];
  const named = new Map<string, unknown>();
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${(item as { id?: string } | null)?.id ?? i}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const item = node as Record<string, unknown>;
    for (const key of ['when', 'askWhen']) {
      const limits = thresholds(item[key], named);
      if (!limits.length) continue;
      for (const [textKey, text] of texts(item)) {
        const quoted = quotedNumbers(text);
        if (!quoted.length || quoted.some((n) => limits.includes(n))) continue;
        warnings.push({
          file,
          path: `${path ? `${path}.` : ''}${textKey}`,
          message: `quotes ${quoted.join(', ')}, but its condition (${key}) compares with ${limits.join(', ')}`,
          hint: 'change the text to match the condition, or the report will contradict itself',
        });
      }
    }
    for (const [key, value] of Object.entries(item)) if (key !== 'when' && key !== 'askWhen' && value && typeof value === 'object') walk(value, path ? `${path}.${key}` : key);
  };
  walk(rules, '');
  return warnings;
}
