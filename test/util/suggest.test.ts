import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/util/suggest';

const INDICATORS = ['brandVoice', 'ceiling', 'latency', 'privacy', 'dataVolume', 'budget'];

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['ab', 'ba', 1],
    ['cieling', 'ceiling', 1],
    ['kitten', 'sitting', 3],
    ['brandVoise', 'brandVoice', 1],
    ['abc', 'ca', 3],
  ])('%j → %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('closest', () => {
  it.each([
    ['brandVoise', 'brandVoice'],
    ['cieling', 'ceiling'],
    ['BRANDVOICE', 'brandVoice'],
    ['latancy', 'latency'],
    ['dataVolum', 'dataVolume'],
    ['privcy', 'privacy'],
  ])('%j → %j', (input, expected) => {
    expect(closest(input, INDICATORS)).toBe(expected);
  });

  it.each([
    ['nonsense', 'xyzzyplugh'],
    ['unrelated word', 'temperature'],
    ['fully different short word', 'ab'],
    ['empty input', ''],
  ])('suggests nothing for %s', (_name, input) => {
    expect(closest(input, INDICATORS)).toBeUndefined();
  });

  it('suggests nothing without candidates', () => {
    expect(closest('brandVoice', [])).toBeUndefined();
  });

  it('prefers the nearer candidate, then the earlier one', () => {
    expect(closest('colour', ['color', 'colours'])).toBe('color');
    expect(closest('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('allows more edits for longer words', () => {
    // 12 characters allow 4 edits, 6 characters only 2.
    expect(closest('abcdefghijkl', ['wxyzefghijkl'])).toBe('wxyzefghijkl');
    expect(closest('abcdefghijkl', ['vwxyzfghijkl'])).toBeUndefined();
    expect(closest('abcdef', ['xycdef'])).toBe('xycdef');
    expect(closest('abcdef', ['xyzdef'])).toBeUndefined();
  });

  it('only ever returns one of the candidates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }), (input, candidates) => {
        const match = closest(input, candidates);
        if (match !== undefined) expect(candidates).toContain(match);
      }),
    );
  });
});

describe('didYouMean', () => {
  it('phrases a suggestion', () => {
    expect(didYouMean('brandVoise', INDICATORS)).toBe('did you mean brandVoice?');
  });

  it('returns undefined when nothing is close', () => {
    expect(didYouMean('qqqqqqqq', INDICATORS)).toBeUndefined();
  });
});
