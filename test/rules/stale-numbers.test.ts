// `rules validate` warns when an explanation quotes a number its own condition no longer
// compares with (the stricter.yaml mistake: `gt: 4` with "more than 3" left in the text).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules, loadRulesFile } from '../../src/rules/load';
import { quotedNumbers, staleNumberWarnings } from '../../src/rules/stale-numbers';
import { ensureBuilt, ROOT, runBuilt, tempDir } from '../cli/helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir('ft-advisor-stale-');
});
afterAll(() => tmp.cleanup());

function ruleFile(name: string, body: string): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, `extends: default\nname: ${name.replace('.yaml', '')}\nversion: 1\n${body}`);
  return file;
}

describe('quotedNumbers', () => {
  it.each([
    ['more than 3', [3]],
    ['Only {framework.indicators} indicators apply; the tree needs more than 3.', [3]],
    ['1,000 examples, 0.5 a token', [1000, 0.5]],
    ['full fine-tuning wants 1K-100K examples', [1000, 100_000]],
    ['{data.examples} examples', []],
    ['step3 and v2beta are not numbers on their own', []],
  ])('%s', (text, numbers) => {
    expect(quotedNumbers(text)).toEqual(numbers);
  });
});

describe('staleNumberWarnings', () => {
  it('finds nothing in the default rule set or the examples', async () => {
    expect(staleNumberWarnings(await loadDefaultRules())).toEqual([]);
    for (const f of ['strict.yaml', 'platform.yaml']) expect(staleNumberWarnings(await loadRulesFile(join(ROOT, 'examples/rules', f)))).toEqual([]);
  });

  it.each([
    [
      'a tree step whose threshold changed, texts left as they were',
      'decision:\n  tree:\n    - id: tree.indicators\n      when: { fact: framework.indicators, gt: 4 }\n',
      ['decision.tree[tree.indicators].question', 'decision.tree[tree.indicators].yes', 'decision.tree[tree.indicators].no.because'],
    ],
    [
      'the same step with its question changed but not its texts',
      'decision:\n  tree:\n    - id: tree.indicators\n      question: More than 4 indicators?\n      when: { fact: framework.indicators, gt: 4 }\n      no:\n        because: "Only {framework.indicators} indicators apply; this rule set needs more than 4."\n',
      ['decision.tree[tree.indicators].yes'],
    ],
    [
      'every text updated',
      'decision:\n  tree:\n    - id: tree.indicators\n      question: More than 4 indicators?\n      when: { fact: framework.indicators, gt: 4 }\n      yes: "{framework.indicators} indicators apply, more than 4."\n      no:\n        because: "Only {framework.indicators} indicators apply; this rule set needs more than 4."\n',
      [],
    ],
    [
      'the anti-indicator step',
      'decision:\n  tree:\n    - id: tree.anti-indicators\n      when: { fact: framework.antiIndicators, lt: 3 }\n',
      ['decision.tree[tree.anti-indicators].question', 'decision.tree[tree.anti-indicators].yes', 'decision.tree[tree.anti-indicators].no.because'],
    ],
  ])('%s', async (_name, body, paths) => {
    const rules = await loadRulesFile(ruleFile(`case-${paths.length}-${Math.random().toString(36).slice(2)}.yaml`, body));
    const found = staleNumberWarnings(rules).map((w) => w.path);
    expect(found.sort()).toEqual([...paths].sort());
  });
});

describe('ft-advisor rules validate', () => {
  it('warns, by dot path, and still exits 0', async () => {
    const file = ruleFile('stricter.yaml', 'decision:\n  tree:\n    - id: tree.indicators\n      question: More than 4 indicators?\n      when: { fact: framework.indicators, gt: 4 }\n');
    const r = await runBuilt(['rules', 'validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
    expect(r.stderr).toMatch(/warning: .*stricter\.yaml: decision\.tree\[tree\.indicators\]\.yes: quotes 3, but its condition \(when\) compares with 4/);
    expect(r.stderr).toMatch(/decision\.tree\[tree\.indicators\]\.no\.because: quotes 3/);
    const json = await runBuilt(['rules', 'validate', file, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, warnings: [{ path: 'decision.tree[tree.indicators].yes' }, { path: 'decision.tree[tree.indicators].no.because' }] });
  });

  it("the README's stricter.yaml example is consistent: no warning, and its report says 4", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(# stricter\.yaml[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeTruthy();
    const file = join(tmp.dir, 'readme-stricter.yaml');
    writeFileSync(file, example!);
    const r = await runBuilt(['rules', 'validate', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--rules', file, '--format', 'json']);
    const step = JSON.parse(report.stdout).decisionPath.steps.find((s: { id: string }) => s.id === 'tree.indicators');
    expect(step.because).toMatch(/more than 4/);
    expect(step.because).not.toMatch(/\b3\b/);
  });
});
