import { describe, expect, it } from 'vitest';
import { formatProblem, InputError, UsageError, type Problem } from '../../src/util/errors';

describe('formatProblem', () => {
  it.each<[string, Problem, string]>([
    [
      'file, dot path, message and hint',
      { file: 'a.yaml', path: 'indicators.brandVoise', message: 'unknown key', hint: 'did you mean brandVoice?' },
      'a.yaml: indicators.brandVoise: unknown key (did you mean brandVoice?)',
    ],
    ['a line and column after the file', { file: 'a.jsonl', line: 3, column: 7, message: 'not valid JSON' }, 'a.jsonl:3:7: not valid JSON'],
    ['a line without a column', { file: 'a.jsonl', line: 3, path: 'needs[0]', message: 'expected one of: style' }, 'a.jsonl:3: needs[0]: expected one of: style'],
    ['no file and no path: the message alone', { message: 'no answers found' }, 'no answers found'],
    [
      'a hint with parentheses of its own follows a dash, so the line does not end in "?)"',
      { file: 'a.yaml', path: 'ceiling.fewShot', message: 'missing; expected true or false', hint: 'Have you put worked examples (few-shot) in the prompt?' },
      'a.yaml: ceiling.fewShot: missing; expected true or false - Have you put worked examples (few-shot) in the prompt?',
    ],
  ])('%s', async (_name, problem, expected) => {
    expect(formatProblem(problem)).toBe(expected);
  });
});

describe('InputError and UsageError across bundles', () => {
  // The built CLI has several bundles, each with its own copy of these classes: an error
  // made by one copy must be known to the others, so instanceof reads a shared brand.
  it('is recognised by its brand, not by its prototype (another copy of the class)', () => {
    const input = Object.setPrototypeOf(new InputError({ message: 'bad' }), Error.prototype) as Error;
    const usage = Object.setPrototypeOf(new UsageError('bad'), Error.prototype) as Error;
    expect(input instanceof InputError).toBe(true);
    expect(usage instanceof UsageError).toBe(true);
    expect(input instanceof UsageError).toBe(false);
    expect(usage instanceof InputError).toBe(false);
    expect(new Error('plain') instanceof InputError).toBe(false);
    expect({ problems: [] } instanceof InputError).toBe(false);
  });
});
