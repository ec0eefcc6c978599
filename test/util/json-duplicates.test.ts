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

  it('finds a repeated key, and only one, in random JSON with keys and strings full of quotes, colons and braces', () => {
    // An object of random JSON values, its first key written twice or not, placed inside
    // more random JSON. Keys and strings lean towards the characters the scan must skip.
    const tricky = fc.string({ unit: fc.constantFrom('"', ':', '{', '}', '\\', ',', 'a', ' '), maxLength: 6 });
    const inner = fc.dictionary(tricky, fc.oneof(fc.jsonValue({ maxDepth: 2 }), tricky), { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(inner, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('alone', 'in an array', 'in an object'), fc.boolean(), (object, around, where, repeat) => {
        const json = JSON.stringify(object);
        const first = JSON.stringify(Object.keys(object)[0]);
        const objectText = repeat ? `{${first}:0,${json.slice(1)}` : json;
        const text = where === 'alone' ? objectText : where === 'in an array' ? `[${JSON.stringify(around)},${objectText}]` : `{${JSON.stringify(JSON.stringify(around))}:${objectText}}`;
        expect(check(text)).toBe(repeat);
      }),
      { numRuns: 1000, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    );
  });

  it('copes with nesting thousands deep', () => {
    const text = `${'['.repeat(50_000)}{"a":1,"a":2}${']'.repeat(50_000)}`;
    expect(check(text)).toBe(true);
  });
});
