import { describe, expect, it } from 'vitest';
import { interpolate, placeholders } from '../../src/engine/template';

const facts = (entries: Record<string, unknown>) => new Map(Object.entries(entries)) as never;

describe('{path|one|many} agrees with the count', () => {
  it.each([
    [0, '0 anti-indicators apply'],
    [1, '1 anti-indicator applies'],
    [2, '2 anti-indicators apply'],
  ])('%i', (n, expected) => {
    expect(interpolate('{n} {n|anti-indicator applies|anti-indicators apply}', facts({ n }))).toBe(expected);
  });

  it('counts a list by its length', () => {
    expect(interpolate('{l|this check|these checks}', facts({ l: ['a'] }))).toBe('this check');
    expect(interpolate('{l|this check|these checks}', facts({ l: ['a', 'b'] }))).toBe('these checks');
  });

  it('leaves an unknown fact as written, forms included', () => {
    expect(interpolate('{x|one|many} and {y}', facts({}))).toBe('{x|one|many} and {y}');
  });

  it('is not a placeholder with three bars or a brace inside', () => {
    expect(interpolate('{n|a|b|c} {n|a{b|c}', facts({ n: 1 }))).toBe('{n|a|b|c} {n|a{b|c}');
  });

  it('placeholders() lists the paths of both kinds', () => {
    expect(placeholders('{a} {b|one|many}')).toEqual(['a', 'b']);
  });
});
