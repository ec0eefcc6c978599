import { describe, expect, it } from 'vitest';
import { arrows, formula } from '../../src/report/typography';

describe('typography for people (the engine writes ASCII)', () => {
  it.each([
    ['(prompt -> rag)', '(prompt → rag)'],
    ['0.364 -> moderate; 4 -> strong', '0.364 → moderate; 4 → strong'],
    ['a->b and x - y', 'a->b and x - y'],
    ['', ''],
  ])('arrows(%j) is %j', (input, expected) => {
    expect(arrows(input)).toBe(expected);
  });

  it.each([
    ['Upfront = 60 h x 100 = 6,000.', 'Upfront = 60 h × 100 = 6,000.'],
    ['1,500 savings + 500 quality - 500 ongoing = 1,500.', '1,500 savings + 500 quality − 500 ongoing = 1,500.'],
    ['max-tokens x-ray', 'max-tokens x-ray'],
  ])('formula(%j) is %j', (input, expected) => {
    expect(formula(input)).toBe(expected);
  });
});
