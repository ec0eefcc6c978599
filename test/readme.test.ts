// The README's example must be what the tool really prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runBuilt } from './support/run-cli';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

beforeAll(() => ensureBuilt());

describe('README', () => {
  it('quick start is exactly the two commands', () => {
    const block = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe('npm install && npx ft-advisor assess\nnpm test\n');
  });

  it('the documented example output is the real output', async () => {
    const documented = /<!-- example-output:start[^>]*-->\n```text\n([\s\S]*?)```\n<!-- example-output:end -->/.exec(readme)?.[1];
    expect(documented).toBeTruthy();
    const r = await runBuilt(['assess', '--answers', 'examples/support-bot.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(documented!)).toBe(true);
  });

  it('the documented JSON excerpt matches the Task API run', async () => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(readme).toContain(`"summary": "${out.recommendation.summary}"`);
    expect(readme).toContain(
      `"score": ${out.framework.score}, "scoreBand": "${out.framework.scoreBand}", "difference": ${out.framework.difference}, "differenceBand": "${out.framework.differenceBand}"`,
    );
    expect(readme).toContain(`"breakEvenMonths": ${out.economics.breakEvenMonths}`);
  });

  it('the documented evidence section is the real output', async () => {
    const documented = /<!-- evidence-output:start[^>]*-->\n```text\n([\s\S]*?)```\n<!-- evidence-output:end -->/.exec(readme)?.[1];
    expect(documented).toBeTruthy();
    const r = await runBuilt(['assess', '--answers', 'examples/support-bot.yaml', '--evidence', 'examples/evidence/promptfoo-results.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(documented!);
  });
});
