// JSON Lines whose chunks are larger than a pipe's: a whole line over the cap that arrives
// in one chunk is refused exactly as one that arrives in pieces (test/cli/batch.test.ts).
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main';
import { fakeIO } from '../support/fake-io';
import { TASK_API_ANSWERS } from '../questionnaire/scripted-ask';

describe('a line over 1 MiB in a single chunk', () => {
  it.each([1, 2, 3])('at line %i: refused by its number, unread, and the other lines still run', async (at) => {
    const lines = ['before', 'after'].map((name) => JSON.stringify({ ...TASK_API_ANSWERS, useCase: { name } }));
    lines.splice(at - 1, 0, JSON.stringify({ ...TASK_API_ANSWERS, useCase: { name: 'x'.repeat(1_300_000) } }));
    // fakeIO hands standard input over as one chunk of 3.9 MB.
    const f = fakeIO(`${lines.join('\n')}\n`);
    const code = await run(['assess', '--answers', '-', '--format', 'jsonl', '--no-what-if'], f.io);
    expect(code).toBe(2);
    const out = f
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; useCase?: string; error?: { problems: { message: string }[] } });
    const expected = ['before', 'after'];
    expected.splice(at - 1, 0, 'error');
    expect(out.map((x) => [x.line, x.error ? 'error' : x.useCase])).toEqual(expected.map((what, i) => [i + 1, what]));
    expect(out[at - 1]!.error!.problems[0]!.message).toBe('the line is over 1 MiB; one answers document per line is expected');
  });
});
