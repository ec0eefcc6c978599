// Rule sets of one's own change verdicts as intended, through `assess --rules`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, EXAMPLES, expectNoStackTrace, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
  const task = readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8');
  writeFileSync(join(tmp.dir, 'task-api-no-eval.yaml'), task.replace(/^ {2}promptsWorking: false.*$/m, '  promptsWorking: false\n  noEvalHarness: true'));
  writeFileSync(join(tmp.dir, 'task-api-exploring.yaml'), task.replace(/^ {2}explorationPhase: false.*$/m, '  explorationPhase: true'));
  // A complete rule set of one's own: the default, copied and edited (no extends).
  const full = readFileSync(join(EXAMPLES, '../rules/default.yaml'), 'utf8')
    .replace('name: default', 'name: copied')
    .replace('when: { fact: framework.antiIndicators, lt: 2 }', 'when: { fact: framework.antiIndicators, lt: 1 }');
  writeFileSync(join(tmp.dir, 'copied.yaml'), full);
  // An extends file that lowers the bar: more than 2 indicators.
  writeFileSync(join(tmp.dir, 'lenient.yaml'), 'extends: default\nname: lenient\nversion: 1\ndecision:\n  tree:\n    - id: tree.indicators\n      when: { fact: framework.indicators, gt: 2 }\n');
});
afterAll(() => tmp.cleanup());

const T = () => tmp.dir;

describe('assess --rules', () => {
  const cases: { name: string; answers: () => string; rules?: () => string; approach: string; ruleSet: string; check?: (report: any) => void }[] = [
    { name: 'default: Task API is hybrid', answers: () => 'examples/task-api.yaml', approach: 'hybrid', ruleSet: 'default' },
    {
      name: 'strict (more than 4 indicators): Task API falls to rag',
      answers: () => 'examples/task-api.yaml',
      rules: () => 'examples/rules/strict.yaml',
      approach: 'rag',
      ruleSet: 'strict 1',
      check: (r) => {
        expect(r.decisionPath.steps[1]).toMatchObject({ id: 'tree.indicators', question: 'More than 4 indicators?', answer: 'no' });
        expect(r.decisionPath.steps[1].because).toBe('Only 4 indicators apply; this rule set needs more than 4 before fine-tuning.');
      },
    },
    {
      name: 'platform, harness not mentioned: Task API stays hybrid with 12 factors',
      answers: () => 'examples/task-api.yaml',
      rules: () => 'examples/rules/platform.yaml',
      approach: 'hybrid',
      ruleSet: 'acme-platform 3',
      check: (r) => {
        expect(r.framework.totalFactors).toBe(12);
        expect(r.framework.score).toBe(0.333);
        expect(r.framework.factors.at(-1)).toMatchObject({ path: 'antiIndicators.noEvalHarness', weight: 'high', present: false });
      },
    },
    {
      name: 'platform, no evaluation harness: the extra anti-indicator and its gate flip Task API to rag',
      answers: () => join(T(), 'task-api-no-eval.yaml'),
      rules: () => 'examples/rules/platform.yaml',
      approach: 'rag',
      ruleSet: 'acme-platform 3',
      check: (r) => {
        expect(r.framework.antiIndicators).toBe(1);
        expect(r.framework.score).toBe(0.25);
        expect(r.trace.map((t: { rule: string }) => t.rule)).toEqual(expect.arrayContaining(['acme.no-eval-harness', 'acme.no-eval-harness-knowledge']));
        expect(r.nextStepItems.map((n: { id: string }) => n.id)).toContain('acme.build-harness');
        expect(r.nextStepItems.map((n: { id: string }) => n.id)).not.toContain('next.dspy');
      },
    },
    { name: 'platform: the support bot is still rag', answers: () => 'examples/support-bot.yaml', rules: () => 'examples/rules/platform.yaml', approach: 'rag', ruleSet: 'acme-platform 3' },
    { name: 'one anti-indicator (exploration) under the default: still hybrid', answers: () => join(T(), 'task-api-exploring.yaml'), approach: 'hybrid', ruleSet: 'default' },
    {
      name: 'the same answers under a copied, edited complete rule set (no anti-indicator allowed): rag',
      answers: () => join(T(), 'task-api-exploring.yaml'),
      rules: () => join(T(), 'copied.yaml'),
      approach: 'rag',
      ruleSet: 'copied',
      check: (r) => expect(r.decisionPath.steps[2]).toMatchObject({ id: 'tree.anti-indicators', answer: 'no' }),
    },
    { name: 'lenient (more than 2 indicators) leaves Task API hybrid', answers: () => 'examples/task-api.yaml', rules: () => join(T(), 'lenient.yaml'), approach: 'hybrid', ruleSet: 'lenient 1' },
  ];

  it.each(cases)('$name', async ({ answers, rules, approach, ruleSet, check }) => {
    const args = ['assess', '--answers', answers(), '--format', 'json', ...(rules ? ['--rules', rules()] : [])];
    const r = await runBuilt(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.recommendation.approach).toBe(approach);
    expect(`${report.rules.name} ${report.rules.version}`).toMatch(new RegExp(`^${ruleSet}`));
    check?.(report);
  });

  it('answers that use a question the rule set does not have are refused, with the known keys', async () => {
    const r = await runBuilt(['assess', '--answers', join(T(), 'task-api-no-eval.yaml'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/antiIndicators\.noEvalHarness: unknown key; expected one of: rapidlyChangingRequirements/);
  });

  it('a broken --rules file stops assess with exit 2 and every problem', async () => {
    const file = join(T(), 'broken.yaml');
    writeFileSync(file, 'extends: default\nname: b\nversion: 1\ndecision:\n  tree:\n    - id: tree.indicators\n      when: { fact: framework.indicator, gtt: 4 }\n');
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--rules', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/decision\.tree\[tree\.indicators\]\.when\.gtt: unknown key.*did you mean gt\?/);
    expectNoStackTrace(r.stderr);
  });
});
