// The pure parts of batches: the portfolio table, and the batch validator's fast path,
// which must accept exactly what the full answers validation accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerProblems } from '../../src/answers/validate';
import { isJsonObjectLine } from '../../src/batch/inputs';
import { answersValidator } from '../../src/batch/validator';
import { assessAnswers } from '../../src/engine/assess';
import { renderPortfolio, portfolioTotals, type PortfolioResult } from '../../src/report/portfolio';
import { loadDefaultRules, resolveRuleSet } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { EXAMPLES } from './helpers';

let rules: RuleSet;
const example = (name: string) => parse(readFileSync(join(EXAMPLES, name), 'utf8'));

beforeAll(async () => {
  rules = await loadDefaultRules();
});

describe('renderPortfolio', () => {
  const results = (): PortfolioResult[] => [
    { file: 'a.yaml', report: assessAnswers(rules, example('task-api.yaml'), { whatIf: false }) },
    { file: 'b.yaml', report: assessAnswers(rules, example('support-bot.yaml'), { whatIf: false }), failedGates: ['expected hybrid, got rag'] },
    {
      file: '<stdin>',
      line: 7,
      problems: [
        { path: 'needs', message: 'missing' },
        { path: 'ceiling', message: 'missing' },
      ],
    },
  ];

  it('totals: approaches in a fixed order, invalid inputs and failed gates', () => {
    expect(portfolioTotals(results())).toBe('2 use cases assessed: 1 hybrid, 1 rag; 1 input invalid; 1 failed a gate');
    expect(portfolioTotals([])).toBe('0 use cases assessed');
  });

  it('markdown: one row per input, statuses in bold, user text escaped', () => {
    const list = results();
    list[0]!.report = { ...list[0]!.report!, useCase: 'A | <script>x</script>' };
    const md = renderPortfolio(list, { format: 'markdown', expect: 'hybrid' });
    expect(md.split('\n').slice(0, 6)).toEqual([
      '# ft-advisor portfolio',
      '',
      '2 use cases assessed: 1 hybrid, 1 rag; 1 input invalid; 1 failed a gate. Expected approach: `hybrid`.',
      '',
      '| Input | Use case | Verdict | Method | Confidence | Score | Difference | Status |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ]);
    expect(md).toContain('| `a.yaml` | A \\| &lt;script&gt;x&lt;/script&gt; | **hybrid** | sft · lora | moderate-strong | 0.364 moderate | 4 strong | ok |');
    expect(md).toContain('| `b.yaml` | Acme support chatbot | **rag** |  | — | 0 weak | 0 weak | **expected hybrid, got rag** |');
    expect(md).toContain('| `<stdin>:7` |  |  |  |  |  |  | **invalid: 2 problems** |');
  });

  it('maxRows: the rest is summarised', () => {
    const md = renderPortfolio(results(), { format: 'markdown', maxRows: 1 });
    expect(md.match(/^\| `/gm)).toHaveLength(1);
    expect(md).toContain('_…and 2 more; the full list is in the JSON output._');
  });

  it('text: a table and the totals; colour only when asked; escape sequences from the answers removed', () => {
    const list = results();
    list[0]!.report = { ...list[0]!.report!, useCase: 'Evil\x1b]0;title\x07 name' };
    const plain = renderPortfolio(list, { format: 'text', color: false });
    expect(plain).not.toMatch(/\x1b/);
    expect(plain).toContain('Evil name');
    expect(plain).toMatch(/│ a\.yaml\s+│/);
    expect(plain.trimEnd().split('\n').at(-1)).toBe('2 use cases assessed: 1 hybrid, 1 rag; 1 input invalid; 1 failed a gate.');
    expect(renderPortfolio(list, { format: 'text', color: true })).toMatch(/\x1b\[/);
  });
});

describe('answersValidator (the batch fast path)', () => {
  const variants: [string, (d: any) => void][] = [
    ['as is', () => undefined],
    ['unknown key', (d) => (d.indicators.brandVoise = true)],
    ['bad choice', (d) => (d.needs = ['stlye'])],
    ['no needs', (d) => (d.needs = [])],
    ['string for boolean', (d) => (d.ceiling.fewShot = 'yes')],
    ['fraction of examples', (d) => (d.data.examples = 10.5)],
    ['negative examples', (d) => (d.data.examples = -1)],
    ['derived answer omitted, its input too', (d) => delete d.data],
    ['derived answer omitted, its input given', (d) => delete d.antiIndicators.insufficientData],
    ['lowVolume omitted without usage', (d) => delete d.antiIndicators.lowVolume],
    ['version 2', (d) => (d.version = 2)],
    ['a list instead of a mapping', (d) => (d.ceiling = [])],
    ['null section', (d) => (d.knowledge = null)],
    ['empty name', (d) => (d.useCase.name = '')],
  ];
  it.each(variants)('agrees with the full validation: %s', async (_name, mutate) => {
    const validator = answersValidator(rules);
    for (const file of ['task-api.yaml', 'support-bot.yaml', 'socratic-tutor.yaml']) {
      const data = example(file);
      if (!data.data) data.data = { examples: 5000 };
      mutate(data);
      const full = answerProblems(data, rules, { file });
      const fast = await validator.problems(data, file);
      expect(fast, file).toEqual(full);
      // Once loaded, the full validation answers synchronously too.
      expect(validator.check(data, file), file).toEqual(full);
    }
  });

  it.each([[null], [[]], ['text'], [42]])('rejects %j like the full validation', async (data) => {
    const problems = await answersValidator(rules).problems(data, 'x');
    expect(problems).toEqual(answerProblems(data, rules, { file: 'x' }));
    expect(problems.length).toBeGreaterThan(0);
  });

  it('follows a custom rule set: the new question and its requirement', async () => {
    const custom = await resolveRuleSet(parse(readFileSync(join(EXAMPLES, 'rules/platform.yaml'), 'utf8')), 'platform.yaml');
    const data = example('task-api.yaml');
    data.antiIndicators.noEvalHarness = true;
    expect(await answersValidator(custom).problems(data, 'x')).toEqual([]);
    expect((await answersValidator(rules).problems(data, 'x')).map((p) => p.path)).toEqual(['antiIndicators.noEvalHarness']);
  });
});

describe('isJsonObjectLine', () => {
  it.each([
    ['{"version":1}', true],
    ['{ "a": [1, 2] }', true],
    ['{', false],
    ['[1, 2]', false],
    ['{"a": 1} trailing', false],
    ['version: 1', false],
    ['{a: 1}', false],
  ])('%s -> %s', (line, expected) => {
    expect(isJsonObjectLine(line)).toBe(expected);
  });
});
