// Each operator is compiled into a closure of its own (conditions.ts); they must agree with
// the plain definitions, one switch over the operator, kept here as the reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, testValue, type FactValue } from '../../src/engine/conditions';
import { OPERATORS, type Operator, type Scalar, type ValueTest } from '../../src/rules/vocabulary';

function reference(op: Operator, value: FactValue, expected: unknown): boolean {
  if (op === 'exists') return (value !== undefined && value !== null) === expected;
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

const scalar = fc.oneof(fc.constantFrom('a', 'b', 'c', 0, 1, 2, true, false), fc.integer({ min: -3, max: 3 }), fc.double({ min: -3, max: 3 }));
const value: fc.Arbitrary<FactValue> = fc.oneof(fc.constant(undefined), fc.constant(null), scalar, fc.array(scalar, { maxLength: 4 }));
const expectedFor = (op: Operator): fc.Arbitrary<unknown> =>
  op === 'exists'
    ? fc.boolean()
    : ['in', 'notIn', 'containsAny', 'containsOnly'].includes(op)
      ? fc.array(scalar, { maxLength: 4 })
      : ['gt', 'gte', 'lt', 'lte'].includes(op)
        ? fc.double({ min: -3, max: 3 })
        : scalar;
const testArb: fc.Arbitrary<ValueTest> = fc
  .subarray([...OPERATORS], { minLength: 1, maxLength: 3 })
  .chain((ops) => fc.tuple(...ops.map((op) => expectedFor(op).map((e) => [op, e] as const))))
  .map((pairs) => Object.fromEntries(pairs) as ValueTest);

describe('compiled operators', () => {
  it('agree with the reference for every operator and combination', () => {
    fc.assert(
      fc.property(testArb, value, (test, v) => {
        const want = OPERATORS.filter((op) => test[op] !== undefined).every((op) => reference(op, v, test[op]));
        expect(testValue(v, test)).toBe(want);
        expect(evaluate({ fact: 'f', ...test }, new Map([['f', v]]))).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });

  it('combine with all, any and not', () => {
    const facts = new Map<string, FactValue>([
      ['n', 5],
      ['l', ['a', 'b']],
    ]);
    expect(evaluate({ all: [{ fact: 'n', gt: 4 }, { any: [{ fact: 'l', contains: 'z' }, { not: { fact: 'n', lt: 5 } }] }] }, facts)).toBe(true);
    expect(
      evaluate(
        {
          any: [
            { fact: 'n', gt: 5 },
            { fact: 'm', exists: true },
          ],
        },
        facts,
      ),
    ).toBe(false);
  });
});
