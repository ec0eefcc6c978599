import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicateKeys } from '../../src/util/json-duplicates';

const check = (text: string) => hasDuplicateKeys(text, JSON.parse(text));

describe('hasDuplicateKeys', () => {
  it.each([
    ['{}', false],
    ['{"a":1,"b":{"a":2}}', false],
    ['{"a":1,"a":2}', true],
    ['{"a":{"b":1,"b":1}}', true],
    ['[{"a":1},{"a":1}]', false],
    ['[{"a":1,"a":1}]', true],
    ['{"a:b":"c:d","e":"\\"x:\\\\"}', false],
    ['{"k\\"":1,"k\\"":2}', true],
    ['{ "a" : [ 1 , { "b" : ":" } ] }', false],
    ['{"__proto__":1,"__proto__":2}', true],
    ['{"__proto__":{"a":1}}', false],
    ['"a:b"', false],
    ['3', false],
  ])('%s: %s', (text, expected) => {
    expect(check(text)).toBe(expected);
  });

  it('agrees with a key-by-key walk for random JSON, with and without a repeated key', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, repeat) => {
        let text = JSON.stringify(value);
        // Repeat the first key of the first object, if there is one.
        const m = /\{("(?:[^"\\]|\\.)*"):/.exec(text);
        if (repeat && m) text = `${text.slice(0, m.index + 1)}${m[1]}:0,${text.slice(m.index + 1)}`;
        expect(check(text)).toBe(Boolean(repeat && m));
      }),
      { numRuns: 500 },
    );
  });

  it('copes with nesting thousands deep', () => {
    const text = `${'['.repeat(50_000)}{"a":1,"a":2}${']'.repeat(50_000)}`;
    expect(check(text)).toBe(true);
  });
});
