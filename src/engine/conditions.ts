// Declarative conditions over facts. Nothing here evaluates strings as code:
// a condition is data, and each operator is a plain comparison.
import type { Condition, FactTest, Operator, Scalar, ValueTest } from '../rules/schema';
import { OPERATORS } from '../rules/vocabulary';
import { formatNumber } from '../util/format';

export type FactValue = Scalar | Scalar[] | null | undefined;
export type Facts = ReadonlyMap<string, FactValue>;

type Test = (value: FactValue) => boolean;
const compiledTests = new WeakMap<ValueTest, Test>();

/**
 * Conditions are compiled once into closures, keyed by the rule object itself: batches and
 * what-if evaluate the same few hundred conditions many thousands of times.
 */
function compileTest(test: ValueTest): Test {
  let fn = compiledTests.get(test);
  if (fn) return fn;
  const ops = OPERATORS.filter((op) => test[op] !== undefined).map((op) => [op, test[op]] as const);
  fn = (value) => {
    for (const [op, expected] of ops) if (!applyOperator(op, value, expected)) return false;
    return true;
  };
  compiledTests.set(test, fn);
  return fn;
}

export function testValue(value: FactValue, test: ValueTest): boolean {
  return compileTest(test)(value);
}

function applyOperator(op: Operator, value: FactValue, expected: unknown): boolean {
  if (op === 'exists') return (value !== undefined && value !== null) === expected;
  // A missing fact satisfies no comparison: "data.examples < 100" is not true when
  // nobody said how many examples there are.
  if (value === undefined || value === null) return false;
  switch (op) {
    case 'is':
    case 'eq':
      return value === expected;
    case 'ne':
      return value !== expected;
    case 'gt':
      return typeof value === 'number' && value > (expected as number);
    case 'gte':
      return typeof value === 'number' && value >= (expected as number);
    case 'lt':
      return typeof value === 'number' && value < (expected as number);
    case 'lte':
      return typeof value === 'number' && value <= (expected as number);
    case 'in':
      return !Array.isArray(value) && (expected as Scalar[]).includes(value);
    case 'notIn':
      return !Array.isArray(value) && !(expected as Scalar[]).includes(value);
    case 'contains':
      return Array.isArray(value) && value.includes(expected as Scalar);
    case 'containsAny':
      return Array.isArray(value) && (expected as Scalar[]).some((e) => value.includes(e));
    case 'containsOnly':
      return Array.isArray(value) && value.length > 0 && value.every((v) => (expected as Scalar[]).includes(v));
  }
}

export function isFactTest(c: Condition): c is FactTest {
  return 'fact' in c;
}

type Compiled = (facts: Facts) => boolean;
const compiledConditions = new WeakMap<Condition, Compiled>();

function compile(condition: Condition): Compiled {
  let fn = compiledConditions.get(condition);
  if (fn) return fn;
  if ('all' in condition) {
    const parts = condition.all.map(compile);
    fn = (facts) => parts.every((p) => p(facts));
  } else if ('any' in condition) {
    const parts = condition.any.map(compile);
    fn = (facts) => parts.some((p) => p(facts));
  } else if ('not' in condition) {
    const inner = compile(condition.not);
    fn = (facts) => !inner(facts);
  } else {
    const test = compileTest(condition);
    const fact = condition.fact;
    fn = (facts) => test(facts.get(fact));
  }
  compiledConditions.set(condition, fn);
  return fn;
}

export function evaluate(condition: Condition | undefined, facts: Facts): boolean {
  return condition === undefined ? true : compile(condition)(facts);
}

const OP_WORDS: Record<Operator, string> = {
  is: 'is',
  eq: '=',
  ne: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'is one of',
  notIn: 'is not one of',
  contains: 'includes',
  containsAny: 'includes any of',
  containsOnly: 'includes only',
  exists: 'is given:',
};

export function formatScalar(v: FactValue): string {
  if (v === undefined || v === null) return 'not given';
  if (Array.isArray(v)) return v.length ? v.map(formatScalar).join(', ') : 'none';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

export { formatNumber };

/** "data.examples < 100 (is 40)", used to say why a rule fired or did not. */
export function describe(condition: Condition, facts: Facts): string {
  if ('all' in condition) return condition.all.map((c) => describe(c, facts)).join(' and ');
  if ('any' in condition) return `(${condition.any.map((c) => describe(c, facts)).join(' or ')})`;
  if ('not' in condition) return `not (${describe(condition.not, facts)})`;
  const ops = OPERATORS.filter((op) => condition[op] !== undefined)
    .map((op) => `${OP_WORDS[op]} ${formatScalar(condition[op] as FactValue)}`)
    .join(' and ');
  return `${condition.fact} ${ops} (is ${formatScalar(facts.get(condition.fact))})`;
}

/** The leaves of a condition that decided its outcome: the ones worth quoting. */
export function decisiveLeaves(condition: Condition, facts: Facts, want = true): FactTest[] {
  if ('all' in condition) {
    const parts = want ? condition.all : condition.all.filter((c) => !evaluate(c, facts));
    return parts.flatMap((c) => decisiveLeaves(c, facts, want));
  }
  if ('any' in condition) {
    const parts = want ? condition.any.filter((c) => evaluate(c, facts)) : condition.any;
    return parts.flatMap((c) => decisiveLeaves(c, facts, want));
  }
  if ('not' in condition) return decisiveLeaves(condition.not, facts, !want);
  return [condition];
}

/** Every fact a condition reads, for what-if and for reference checks. */
export function factsOf(condition: Condition | undefined, out: FactTest[] = []): FactTest[] {
  if (!condition) return out;
  if ('all' in condition) condition.all.forEach((c) => factsOf(c, out));
  else if ('any' in condition) condition.any.forEach((c) => factsOf(c, out));
  else if ('not' in condition) factsOf(condition.not, out);
  else out.push(condition);
  return out;
}

export function pickBand(value: number, bands: ReadonlyArray<{ band: string; when?: ValueTest | undefined }>): string {
  for (const b of bands) if (!b.when || testValue(value, b.when)) return b.band;
  // The rule checker requires a final catch-all band, so this is unreachable for checked rules.
  return bands[bands.length - 1]!.band;
}
