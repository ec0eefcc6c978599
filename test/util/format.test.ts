// formatNumber is built for speed (no split, no regex); the obvious regex version below
// is the reference it must match to the character on awkward and random numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/util/format';

/** The straightforward version formatNumber replaced, kept as the oracle. */
function regexFormat(n: number, decimals = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** decimals;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  const [whole, fraction] = String(rounded).split('.') as [string, string | undefined];
  const grouped = whole.includes('e') ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && rounded !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}

const awkward = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  0.0005,
  -0.0004,
  999,
  999.9995,
  1000,
  -1000,
  1234.5678,
  12345.6789,
  999999.9999,
  1e6,
  123456789012,
  2 ** 53,
  1e20,
  9.99e20,
  1e21,
  1.5e21,
  -1e22,
  1e-7,
  5e-324,
  Number.MAX_VALUE,
  NaN,
  Infinity,
  -Infinity,
];

describe('formatNumber', () => {
  it('matches the regex version on awkward values', () => {
    for (const n of awkward) for (const d of [0, 1, 2, 3, 6]) expect(formatNumber(n, d), `${n} (${d})`).toBe(regexFormat(n, d));
    for (const n of awkward) expect(formatNumber(n)).toBe(regexFormat(n));
  });

  it('matches the regex version on random numbers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: false }),
          fc.integer(),
          fc.double({ min: -1e7, max: 1e7 }),
          fc.nat({ max: 1e9 }).map((n) => n / 100),
        ),
        fc.integer({ min: 0, max: 8 }),
        (n, d) => {
          expect(formatNumber(n, d)).toBe(regexFormat(n, d));
          expect(formatNumber(n)).toBe(regexFormat(n));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
