// interpolate scans for {path} by hand (it runs some thirty times per report); it must
// replace exactly what the PLACEHOLDER regex matches, as the regex version did.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatScalar, type FactValue } from '../../src/engine/conditions';
import { interpolate, placeholders } from '../../src/engine/template';

/** The regex version interpolate replaced: the reference. */
function reference(text: string, facts: ReadonlyMap<string, FactValue>): string {
  return text.replace(/\{([A-Za-z][A-Za-z0-9_.-]*)\}/g, (whole, path: string) => (facts.has(path) ? formatScalar(facts.get(path)) : whole));
}

const names = ['a', 'data.examples', 'framework.ceilingFailed', 'x-y_z.1', 'Z9', 'needs'];
const value = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 5 }),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
);
const piece = fc.oneof(
  fc.constantFrom('{', '}', '{{', '}}', '{}', '{ a}', '{a }', '{1a}', '{-a}', 'text ', ' ', '{a.b', 'é{ü}', '\n'),
  fc.constantFrom(...names).map((n) => `{${n}}`),
  fc.string({ maxLength: 6 }),
);

describe('interpolate', () => {
  it('replaces exactly the placeholders the regex matches, known facts only', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.dictionary(fc.constantFrom(...names), value), (pieces, dict) => {
        const text = pieces.join('');
        const facts = new Map<string, FactValue>(Object.entries(dict) as [string, FactValue][]);
        expect(interpolate(text, facts)).toBe(reference(text, facts));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps unknown placeholders and quotes missing values as "not given"', () => {
    const facts = new Map<string, FactValue>([
      ['a', 3],
      ['b', undefined],
      ['c', ['x', 'y']],
    ]);
    expect(interpolate('{a} {b} {c} {d} {a', facts)).toBe('3 not given x, y {d} {a');
    expect(placeholders('{a} {b.c} {1x} {d}')).toEqual(['a', 'b.c', 'd']);
  });

  it("splits a text once, and fills it with each call's own facts", () => {
    const text = 'Use your {data.examples} examples; {unknown} stays.';
    expect(interpolate(text, new Map([['data.examples', 5]]))).toBe('Use your 5 examples; {unknown} stays.');
    expect(interpolate(text, new Map([['data.examples', 70]]))).toBe('Use your 70 examples; {unknown} stays.');
    expect(interpolate(text, new Map())).toBe(text);
  });
});
