// Declarative conditions over facts. Nothing here evaluates strings as code:
// a condition is data, and each operator is a plain comparison.
import type { Condition, FactTest, Operator, Scalar, ValueTest } from '../rules/schema';
import { OPERATORS } from '../rules/vocabulary';
import { formatNumber } from '../util/format';

export type FactValue = Scalar | Scalar[] | null | undefined;
/** What conditions and texts read of facts (a Map will do). */
export interface Facts {
  get(key: string): FactValue;
  has(key: string): boolean;
}

/**
 * Facts kept in slots (engine/facts.ts FactTable): a condition looks its fact's slot up
 * once per layout, and then reads the slot, not a Map, on every evaluation.
 */
export interface SlottedFacts extends Facts {
  readonly layout: object;
  /** The fact's slot in this layout, or -1 when it has none (then `get` finds it). */
  slotOf(key: string): number;
  at(slot: number): FactValue;
}

export type Test = (value: FactValue) => boolean;
const compiledTests = new WeakMap<ValueTest, Test>();

/**
 * Conditions are compiled once into closures, keyed by the rule object itself: batches and
 * what-if evaluate the same few hundred conditions many thousands of times.
 */
function compileTest(test: ValueTest): Test {
  let fn = compiledTests.get(test);
  if (fn) return fn;
  const ops = OPERATORS.filter((op) => test[op] !== undefined);
  const expected = ops.map((op) => test[op]);
  fn =
    ops.length === 1
      ? (value) => applyOperator(ops[0]!, value, expected[0])
      : (value) => {
          for (let i = 0; i < ops.length; i++) if (!applyOperator(ops[i]!, value, expected[i])) return false;
          return true;
        };
  compiledTests.set(test, fn);
  return fn;
}

export function testValue(value: FactValue, test: ValueTest): boolean {
  return compileTest(test)(value);
}

/** A test as a function of the value, compiled once per test object. */
export function valueTest(test: ValueTest): Test {
  return compileTest(test);
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
    // Loops rather than some()/every(): no closure per call.
    case 'containsAny':
      if (!Array.isArray(value)) return false;
      for (const e of expected as Scalar[]) if (value.includes(e)) return true;
      return false;
    case 'containsOnly':
      if (!Array.isArray(value) || value.length === 0) return false;
      for (const v of value) if (!(expected as Scalar[]).includes(v)) return false;
      return true;
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
    fn = (facts) => {
      for (const p of parts) if (!p(facts)) return false;
      return true;
    };
  } else if ('any' in condition) {
    const parts = condition.any.map(compile);
    fn = (facts) => {
      for (const p of parts) if (p(facts)) return true;
      return false;
    };
  } else if ('not' in condition) {
    const inner = compile(condition.not);
    fn = (facts) => !inner(facts);
  } else {
    const test = compileTest(condition);
    const fact = condition.fact;
    // A condition belongs to one rule set, whose facts have one layout: looked up once.
    let layout: object | undefined;
    let slot = -1;
    fn = (facts) => {
      const slotted = facts as Partial<SlottedFacts>;
      if (slotted.layout === undefined) return test(facts.get(fact));
      if (slotted.layout !== layout) {
        layout = slotted.layout;
        slot = slotted.slotOf!(fact);
      }
      return test(slot === -1 ? facts.get(fact) : slotted.at!(slot));
    };
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
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  in: 'is one of',
  notIn: 'is not one of',
  contains: 'includes',
  containsAny: 'includes any of',
  containsOnly: 'includes only',
  exists: 'is given:',
};

export function formatScalar(v: FactValue): string {
  if (v === undefined || v === null) return 'not given';
  if (Array.isArray(v)) {
    if (!v.length) return 'none';
    // A loop, not map(): lists of more than one array kind reach here (JSON.parse's, the
    // engine's own), and map() made V8 throw away the optimised code of every caller once.
    let text = formatScalar(v[0]);
    for (let i = 1; i < v.length; i++) text += `, ${formatScalar(v[i])}`;
    return text;
  }
  if (typeof v === 'number') return Math.abs(v) < 0.1 && v !== 0 ? smallNumber(v) : formatNumber(v);
  return String(v);
}

/**
 * Three significant digits for a small number: a cost per request of 0.0045 is not 0.005,
 * as three decimals would make it.
 */
function smallNumber(v: number): string {
  return String(Number(v.toPrecision(3)));
}

export { formatNumber };

const leafTexts = new WeakMap<FactTest, string>();

/** "data.examples < 100": the part of a leaf's description that does not depend on the facts. */
function leafText(leaf: FactTest): string {
  let text = leafTexts.get(leaf);
  if (text === undefined) {
    const ops = OPERATORS.filter((op) => leaf[op] !== undefined)
      .map((op) => `${OP_WORDS[op]} ${formatScalar(leaf[op] as FactValue)}`)
      .join(' and ');
    text = `${leaf.fact} ${ops}`;
    leafTexts.set(leaf, text);
  }
  return text;
}

/** "data.examples < 100 (is 40)", used to say why a rule fired or did not. */
export function describe(condition: Condition, facts: Facts): string {
  if ('all' in condition) return condition.all.map((c) => describe(c, facts)).join(' and ');
  if ('any' in condition) return `(${condition.any.map((c) => describe(c, facts)).join(' or ')})`;
  if ('not' in condition) return `not (${describe(condition.not, facts)})`;
  return `${leafText(condition)} (is ${formatScalar(facts.get(condition.fact))})`;
}

/** The leaves of a condition that decided its outcome: the ones worth quoting. */
export function decisiveLeaves(condition: Condition, facts: Facts, want = true, out: FactTest[] = []): FactTest[] {
  if ('all' in condition) {
    for (const c of condition.all) if (want || !evaluate(c, facts)) decisiveLeaves(c, facts, want, out);
  } else if ('any' in condition) {
    for (const c of condition.any) if (!want || evaluate(c, facts)) decisiveLeaves(c, facts, want, out);
  } else if ('not' in condition) {
    decisiveLeaves(condition.not, facts, !want, out);
  } else {
    out.push(condition);
  }
  return out;
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
