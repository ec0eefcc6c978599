// Every line of text output fits the width it is given (60 columns and up), measured as a
// terminal shows it: CJK characters take two columns, colour codes none. Words are never
// cut to fit, unless one word is wider than a whole line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers, type Report } from '../../src/engine/assess';
import { renderPortfolio, type PortfolioResult } from '../../src/report/portfolio';
import { renderText } from '../../src/report/text';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { displayWidth, knownWidth, layoutWidth, wrapToWidth } from '../../src/util/wrap';
import { ensureBuilt, ROOT, runBuilt } from '../support/run-cli';

const WIDTHS = [60, 80, 100] as const;
const CJK_NAME = '客服聊天机器人（计费争议升级）';
const CJK_DESCRIPTION = '这个助手回答关于任务接口的问题，用品牌的语气说话，并代表用户调用接口。它需要引用知识库文章，并在计费争议时升级给人工客服处理。这段描述很长，用来检查按显示宽度换行。';

let rules: RuleSet;
const reports = new Map<string, Report>();

beforeAll(async () => {
  rules = await loadDefaultRules();
  for (const name of ['task-api', 'socratic-tutor', 'support-bot']) {
    const data = YAML.parse(readFileSync(join(ROOT, `examples/${name}.yaml`), 'utf8')) as Record<string, unknown>;
    reports.set(name, assessAnswers(rules, validateAnswers(data, rules)));
    if (name === 'task-api') {
      data.useCase = { name: CJK_NAME, description: CJK_DESCRIPTION };
      reports.set('cjk', assessAnswers(rules, validateAnswers(data, rules)));
    }
  }
});

function tooWide(text: string, width: number): string[] {
  return text.split('\n').filter((l) => displayWidth(l) > width);
}

describe('wrapToWidth', () => {
  it.each([
    ['English, at spaces', 'Decide whether to fine-tune the use-case from data.examples and more words here', 20],
    ['CJK, by display width', CJK_DESCRIPTION, 30],
    ['mixed', `${CJK_NAME} with English words between ${CJK_NAME}`, 24],
  ])('%s: no line wider than the width, nothing lost', (_name, text, width) => {
    const lines = wrapToWidth(text, width);
    expect(lines.filter((l) => displayWidth(l) > width)).toEqual([]);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('breaks between words, never inside one that fits on a line', () => {
    const lines = wrapToWidth('Answers support questions for the use-case and reads data.examples carefully', 16);
    for (const word of ['use-case', 'data.examples', 'carefully']) expect(lines.some((l) => l.split(' ').includes(word))).toBe(true);
  });

  it('cuts only a word wider than the line', () => {
    expect(wrapToWidth('short averyveryveryverylongword end', 10).every((l) => displayWidth(l) <= 10)).toBe(true);
  });

  it('counts colour codes as nothing and keeps them', () => {
    const red = '\x1b[31mred words here\x1b[39m';
    const lines = wrapToWidth(`${red} ${red}`, 14);
    expect(lines.map(stripVTControlCharacters)).toEqual(['red words here', 'red words here']);
  });
});

describe('layout width', () => {
  it.each([
    [undefined, {}, 100],
    [undefined, { COLUMNS: '72' }, 72],
    [120, { COLUMNS: '72' }, 120],
    [40, {}, 60],
    [undefined, { COLUMNS: 'wide' }, 100],
  ] as const)('columns %s, env %j: %s', (columns, env, expected) => {
    expect(layoutWidth(columns, env)).toBe(expected);
  });

  it('is unknown when piped without COLUMNS', () => {
    expect(knownWidth(undefined, {})).toBeUndefined();
  });
});

describe('the text report', () => {
  it.each(WIDTHS.flatMap((w) => ['task-api', 'socratic-tutor', 'support-bot', 'cjk'].map((name) => [name, w] as const)))('%s fits %i columns', (name, width) => {
    for (const color of [false, true]) {
      const text = renderText(reports.get(name)!, { color, width });
      expect(tooWide(text, width)).toEqual([]);
    }
  });

  it('wraps a CJK description by display width, losing nothing', () => {
    const text = renderText(reports.get('cjk')!, { color: false, width: 60 });
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith(CJK_DESCRIPTION.slice(0, 5)));
    expect(start).toBeGreaterThan(-1);
    const joined = lines.slice(start, start + 8).join('');
    expect(joined).toContain(CJK_DESCRIPTION);
    expect(lines[start]!.length).toBeLessThanOrEqual(30);
  });

  it('keeps words whole at 60 columns: the summary reads the same once lines are joined', () => {
    const report = reports.get('support-bot')!;
    const text = renderText(report, { color: false, width: 60 });
    const flat = text.replace(/\n\s*/g, ' ');
    expect(flat).toContain(report.recommendation.summary);
    for (const step of report.decisionPath.steps.filter((s) => s.answer !== 'not reached')) expect(flat).toContain(step.because.replaceAll(' -> ', ' → '));
  });
});

describe('the portfolio table', () => {
  const results = (): PortfolioResult[] => [...reports.entries()].map(([name, report], i) => ({ file: `answers/${name}-with-a-rather-long-file-name.yaml`, line: i + 1, report }));

  it.each(WIDTHS)('fits %i columns', (width) => {
    const text = renderPortfolio(results(), { format: 'text', color: false, width });
    expect(tooWide(text, width)).toEqual([]);
    expect(text).toContain('hybrid');
  });

  it('is one line a use case when the width is unknown (piped)', () => {
    const text = renderPortfolio(results(), { format: 'text', color: false });
    expect(text.split('\n').filter((l) => l.startsWith('│')).length).toBe(1 + reports.size);
  });
});

describe('through the built CLI', () => {
  it.each([60, 80])('COLUMNS=%i: assess and rules show fit', async (width) => {
    await ensureBuilt();
    for (const args of [
      ['assess', '--answers', 'examples/task-api.yaml'],
      ['rules', 'show'],
      ['rules', 'show', '--facts'],
    ]) {
      const r = await runBuilt(args, { env: { COLUMNS: String(width) } });
      expect(r.code).toBe(0);
      expect(tooWide(r.stdout, width)).toEqual([]);
    }
  });
});
