// Decision drift: `ft-advisor diff` and `assess --baseline`, through the built CLI, plus
// the pure diff on reports whose answers are known.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffPortfolios, diffReports, renderDiffMarkdown, renderDiffText, type ReportLike } from '../../src/report/diff';
import { ensureBuilt, EXAMPLES, expectNoStackTrace, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
const p = (name: string) => join(tmp.dir, name);
const read = (name: string) => JSON.parse(readFileSync(p(name), 'utf8')) as ReportLike;

async function assessTo(answers: string, out: string, extra: string[] = []): Promise<void> {
  const r = await runBuilt(['assess', '--answers', answers, '--format', 'json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(p(out), r.stdout);
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
  const task = readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8');
  // The drift the issue describes: exploration phase and low volume both become true.
  writeFileSync(p('task-api-drift.yaml'), task.replace(/^ {2}lowVolume: false.*$/m, '  lowVolume: true').replace(/^ {2}explorationPhase: false.*$/m, '  explorationPhase: true'));
  // A score that moves within its bands: one more indicator (cost optimisation).
  writeFileSync(p('task-api-cost.yaml'), task.replace(/^ {2}costOptimization: false.*$/m, '  costOptimization: true'));
  // A derived answer that flips: few examples.
  writeFileSync(p('task-api-800.yaml'), task.replace(/^ {2}examples: 10000$/m, '  examples: 800'));
  await Promise.all([
    assessTo('examples/task-api.yaml', 'before.json'),
    assessTo(p('task-api-drift.yaml'), 'after.json'),
    assessTo(p('task-api-cost.yaml'), 'cost.json'),
    assessTo(p('task-api-800.yaml'), '800.json'),
    assessTo('examples/task-api.yaml', 'strict.json', ['--rules', 'examples/rules/strict.yaml']),
  ]);
});
afterAll(() => tmp.cleanup());

describe('diff: Task API vs Task API with explorationPhase and lowVolume', () => {
  it('text: verdict, method and scores before and after; the answers and rules that explain it', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('after.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('ft-advisor diff · Task API assistant');
    expect(lines[1]).toBe('Decision drift: the verdict, method, score band, difference band and confidence changed.');
    expect(r.stdout).toMatch(/ {2}Verdict +hybrid +→ rag\n/);
    expect(r.stdout).toMatch(/ {2}Method +sft · lora +→ none\n/);
    expect(r.stdout).toMatch(/ {2}Confidence +moderate-strong +→ none\n/);
    expect(r.stdout).toMatch(/ {2}Score +0\.364 \(moderate\) +→ 0\.182 \(weak\)\n/);
    expect(r.stdout).toMatch(/ {2}Difference +4 \(strong\) +→ 2 \(moderate\)\n/);
    expect(r.stdout).toMatch(/ {2}Ceiling test +passed += passed\n/);
    expect(r.stdout).toContain('The answers changed; the rule set is the same.');
    expect(r.stdout).toMatch(/Answers changed \(2\):\n {4}antiIndicators\.explorationPhase +false → true\n {4}antiIndicators\.lowVolume +false → true\n/);
    expect(r.stdout).toMatch(/Fewer than 2 anti-indicators\? yes → no +\(tree\.anti-indicators\)/);
    expect(r.stdout).toContain('Rules that now fire: knowledge.retrieval-not-prompt');
    expect(r.stdout).toContain('Rules that no longer fire: knowledge.facts-to-retrieval');
    expect(r.stdout).toMatch(/Rule set: default \S+ \(unchanged\)/);
  });

  it.each([
    ['no flag', [], 0],
    ['--fail-on-change', ['--fail-on-change'], 1],
    ['--fail-on-change, markdown', ['--fail-on-change', '--format', 'markdown'], 1],
    ['--fail-on-change, json', ['--fail-on-change', '--format', 'json'], 1],
  ])('exit status with %s: %i', async (_name, flags, code) => {
    const r = await runBuilt(['diff', p('before.json'), p('after.json'), ...flags]);
    expect(r.code).toBe(code);
  });

  it('--format json: the structured diff', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('after.json'), '--format', 'json']);
    const d = JSON.parse(r.stdout);
    expect(d.changed).toBe(true);
    expect(d.gateChanges).toEqual(['approach', 'method.objective', 'method.technique', 'method.distillation', 'scoreBand', 'differenceBand', 'confidence']);
    expect(d.approach).toEqual({ before: 'hybrid', after: 'rag', changed: true });
    expect(d.method.before).toEqual({ objective: 'sft', technique: 'lora', distillation: false });
    expect(d.method.after).toBeNull();
    expect(d.scores.difference).toEqual({ before: 4, after: 2, changed: true });
    expect(d.why.answersFrom).toBe('answers');
    expect(d.why.answers).toEqual([
      { path: 'antiIndicators.explorationPhase', before: false, after: true },
      { path: 'antiIndicators.lowVolume', before: false, after: true },
    ]);
    expect(d.why.ruleSet.changed).toBe(false);
  });

  it('--format markdown: a table and the reasons', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('after.json'), '--format', 'markdown']);
    expect(r.stdout).toMatch(/^## ft-advisor diff: Task API assistant\n/);
    expect(r.stdout).toContain('| Verdict | hybrid | **rag** | changed |');
    expect(r.stdout).toContain('| Indicators / anti | 4 / 0 | **4 / 2** | moved |');
    expect(r.stdout).toContain('- `antiIndicators.lowVolume`: false → **true**');
    expect(r.stdout).toContain('- Rules that now fire: `knowledge.retrieval-not-prompt`');
  });
});

describe('diff: other kinds of change', () => {
  it('identical reports: no drift, exit 0 even with --fail-on-change', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('before.json'), '--fail-on-change']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No decision drift: verdict, method, bands and confidence are unchanged \(hybrid, sft · lora, moderate-strong\)\.$/m);
    expect(r.stdout).toContain('Same answers, same rule set.');
  });

  it('a score that moves within its bands is shown but does not fail the gate', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('cost.json'), '--fail-on-change']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Score +0\.364 \(moderate\) +→ 0\.455 \(moderate\)/);
    expect(r.stdout).toMatch(/indicators\.costOptimization +false → true/);
  });

  it('a derived answer that flips is listed and marked derived', async () => {
    const d = diffReports(read('before.json'), read('800.json'));
    expect(d.why.answers).toEqual([
      { path: 'antiIndicators.insufficientData', before: false, after: true, derived: true },
      { path: 'data.examples', before: 10000, after: 800 },
    ]);
    expect(renderDiffText(d)).toMatch(/antiIndicators\.insufficientData +false → true \(derived\)/);
  });

  it('only the rule set changed: the diff says so and names the rule that now decides', async () => {
    const r = await runBuilt(['diff', p('before.json'), p('strict.json'), '--fail-on-change']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The answers are the same; the rule set changed.');
    expect(r.stdout).toMatch(/Rule set: default \S+ → strict 1/);
    expect(r.stdout).toMatch(/More than 4 indicators\? yes → no +\(tree\.indicators\)/);
    expect(r.stdout).not.toContain('Answers changed');
  });

  it('reports without answers: the changes are read off the factors', () => {
    const strip = (r: ReportLike): ReportLike => {
      const { answers: _a, ...rest } = r;
      return rest;
    };
    const d = diffReports(strip(read('before.json')), strip(read('after.json')));
    expect(d.why.answersFrom).toBe('factors');
    expect(d.why.answers.map((a) => [a.path, a.before, a.after])).toEqual([
      ['antiIndicators.explorationPhase', false, true],
      ['antiIndicators.lowVolume', false, true],
    ]);
    expect(renderDiffText(d)).toContain('read off the factors');
  });

  it('markdown escapes what comes from the answers', () => {
    const before = read('before.json');
    const after = { ...read('after.json'), useCase: 'Evil | <b>name</b>' } as ReportLike;
    const md = renderDiffMarkdown(diffReports(before, after));
    expect(md).not.toContain('<b>');
    expect(md.split('\n')[0]).toBe('## ft-advisor diff: Task API assistant → Evil \\| &lt;b&gt;name&lt;/b&gt;');
  });

  it('batches are matched by input file: drift, new and gone use cases', async () => {
    const run = async (files: string[], out: string) => {
      const r = await runBuilt(['assess', ...files, '--format', 'json']);
      writeFileSync(p(out), r.stdout);
    };
    await run(['examples/task-api.yaml', 'examples/support-bot.yaml'], 'batch-before.json');
    await run(['examples/task-api.yaml', 'examples/socratic-tutor.yaml'], 'batch-after.json');
    const r = await runBuilt(['diff', p('batch-before.json'), p('batch-after.json'), '--fail-on-change']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 use case compared: 0 with decision drift, 1 gone, 1 new\./);
    expect(r.stdout).toContain('gone: examples/support-bot.yaml');
    expect(r.stdout).toContain('new:  examples/socratic-tutor.yaml');
    const same = diffPortfolios([read('before.json')], [read('before.json')]);
    expect(same.changed).toBe(false);
  });

  it('JSON Lines decision records compare like full reports: drift, with the answers that caused it', async () => {
    const before = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl']);
    const after = await runBuilt(['assess', p('task-api-drift.yaml'), 'examples/support-bot.yaml', '--format', 'jsonl']);
    // Same input file names, so the use cases match up: name the drifted copy like the original.
    writeFileSync(p('records-before.jsonl'), before.stdout);
    writeFileSync(p('records-after.jsonl'), after.stdout.replace(JSON.stringify(p('task-api-drift.yaml')), JSON.stringify('examples/task-api.yaml')));
    const r = await runBuilt(['diff', p('records-before.jsonl'), p('records-after.jsonl'), '--format', 'json', '--fail-on-change']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const drift = JSON.parse(r.stdout);
    const task = drift.entries.find((x: any) => x.key === 'examples/task-api.yaml').diff;
    expect(task.approach).toMatchObject({ before: 'hybrid', changed: true });
    expect(task.why.answersFrom).toBe('answers');
    expect(task.why.answers.map((a: any) => a.path)).toEqual(['antiIndicators.explorationPhase', 'antiIndicators.lowVolume']);
  });

  it('an input renamed between the runs is matched by its use case name; records claim no rule-set changes', async () => {
    const before = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl']);
    const after = await runBuilt(['assess', p('task-api-drift.yaml'), 'examples/support-bot.yaml', '--format', 'jsonl']);
    writeFileSync(p('renamed-before.jsonl'), before.stdout);
    writeFileSync(p('renamed-after.jsonl'), after.stdout);
    const r = await runBuilt(['diff', p('renamed-before.jsonl'), p('renamed-after.jsonl'), '--format', 'json']);
    expect(r.stderr).toBe('');
    const drift = JSON.parse(r.stdout);
    expect(drift.onlyBefore).toEqual([]);
    expect(drift.onlyAfter).toEqual([]);
    expect(drift.entries.map((e: any) => e.key)).toEqual([`${p('task-api-drift.yaml')} (was examples/task-api.yaml)`, 'examples/support-bot.yaml']);
    const task = drift.entries[0].diff;
    expect(task.approach.changed).toBe(true);
    // The rules that stopped or started firing are said as such: a record does not list the
    // rules that did not fire, so it cannot tell that a rule left the rule set.
    expect([...task.why.nowFired, ...task.why.noLongerFired].length).toBeGreaterThan(0);
    expect(task.why.rulesAdded).toEqual([]);
    expect(task.why.rulesRemoved).toEqual([]);
  });

  it('a record without answers or factors cannot be explained: exit 2 saying what is missing', async () => {
    const record = JSON.parse((await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl'])).stdout.split('\n')[0]!);
    delete record.answers;
    writeFileSync(p('bare.jsonl'), `${JSON.stringify(record)}\n`);
    const r = await runBuilt(['diff', p('bare.jsonl'), p('after.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bare\.jsonl: .*is missing framework\.factors \(or answers\)/);
  });

  it.each([
    ['a missing file', () => ['diff', p('nope.json'), p('after.json')], /nope\.json: no such file; expected a report from ft-advisor assess --format json, schemaVersion 1/],
    [
      'an answers file',
      () => ['diff', 'examples/task-api.yaml', p('after.json')],
      /examples\/task-api\.yaml: this is an answers file; expected a report from ft-advisor assess --format json, schemaVersion 1/,
    ],
    ['a text report', () => ['diff', p('text.txt'), p('after.json')], /text\.txt: not valid JSON .*expected a report from ft-advisor assess --format json, schemaVersion 1/],
    ['another schema version', () => ['diff', p('v2.json'), p('after.json')], /v2\.json: expected a report from ft-advisor assess --format json, schemaVersion 1; got schemaVersion 2/],
    ['JSON that is not a report', () => ['diff', p('other.json'), p('after.json')], /other\.json: expected a report .*; got schemaVersion null/],
  ])('%s: exit 2 naming the file and what was expected', async (_name, args, message) => {
    writeFileSync(p('text.txt'), 'ft-advisor · Task API assistant\n');
    writeFileSync(p('v2.json'), JSON.stringify({ ...read('before.json'), schemaVersion: 2 }));
    writeFileSync(p('other.json'), '{"hello": "world"}');
    const r = await runBuilt(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
  });
});

describe('assess --baseline', () => {
  it('prints the report on stdout and the diff on stderr; exit 0 without --fail-on-change', async () => {
    const r = await runBuilt(['assess', '--answers', p('task-api-drift.yaml'), '--format', 'json', '--baseline', p('before.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).recommendation.approach).toBe('rag');
    expect(r.stderr).toMatch(/^ft-advisor: compared with .*before\.json\nDecision drift: the verdict, method/);
    expect(r.stderr).toMatch(/antiIndicators\.lowVolume +false → true/);
  });

  it.each([
    ['drift, --fail-on-change', () => p('task-api-drift.yaml'), ['--fail-on-change'], 1],
    ['no drift, --fail-on-change', () => 'examples/task-api.yaml', ['--fail-on-change'], 0],
    ['score moved within its band, --fail-on-change', () => p('task-api-cost.yaml'), ['--fail-on-change'], 0],
    ['drift and --expect rag both: the gate passes only if both do', () => p('task-api-drift.yaml'), ['--fail-on-change', '--expect', 'rag'], 1],
    ['no drift but --expect fails', () => 'examples/task-api.yaml', ['--fail-on-change', '--expect', 'rag'], 1],
  ])('%s: exit %i', async (_name, answers, flags, code) => {
    const r = await runBuilt(['assess', '--answers', answers(), '--format', 'json', '--baseline', p('before.json'), ...flags]);
    expect(r.code).toBe(code);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('a missing baseline is an input error (exit 2) that says what was expected', async () => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json', '--baseline', p('missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.json: no such file; expected a report from ft-advisor assess --format json, schemaVersion 1/);
    expectNoStackTrace(r.stderr);
  });

  it('in a batch, each use case is compared with its own baseline entry', async () => {
    const r0 = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'json']);
    writeFileSync(p('portfolio-before.json'), r0.stdout);
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl', '--baseline', p('portfolio-before.json'), '--fail-on-change']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/examples\/task-api\.yaml compared with .*\nNo decision drift/);
    expect(r.stderr).toMatch(/examples\/support-bot\.yaml compared with .*\nNo decision drift/);
    const drift = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl', '--baseline', p('before.json'), '--fail-on-change'], {
      input: `${JSON.stringify({ ...JSON.parse(r0.stdout)[0].answers, antiIndicators: { ...JSON.parse(r0.stdout)[0].answers.antiIndicators, lowVolume: true, explorationPhase: true } })}\n`,
    });
    expect(drift.code).toBe(1);
    expect(drift.stderr).toMatch(/Decision drift: the verdict/);
  });
});

describe('diffPortfolios: which reports are compared', () => {
  const report = (file: string, useCase: string, approach = 'rag') =>
    ({
      file,
      useCase,
      schemaVersion: 1,
      rules: { name: 'default', version: '1' },
      recommendation: { approach, method: null, confidence: 'weak' },
      framework: { score: 0, scoreBand: 'weak', difference: 0, differenceBand: 'weak', indicators: 0, antiIndicators: 0, ceilingPassed: true, confidence: 'weak' },
    }) as unknown as ReportLike;
  it.each([
    ['same inputs', [report('a.yaml', 'A'), report('b.yaml', 'B')], [report('a.yaml', 'A'), report('b.yaml', 'B')], ['a.yaml', 'b.yaml'], [], []],
    ['one input renamed', [report('a.yaml', 'A'), report('b.yaml', 'B')], [report('a2.yaml', 'A'), report('b.yaml', 'B')], ['a2.yaml (was a.yaml)', 'b.yaml'], [], []],
    ['a name twice after: not guessed', [report('a.yaml', 'A')], [report('x.yaml', 'A'), report('y.yaml', 'A')], [], ['a.yaml'], ['x.yaml', 'y.yaml']],
    ['a name twice before: not guessed', [report('a.yaml', 'A'), report('b.yaml', 'A')], [report('x.yaml', 'A')], [], ['a.yaml', 'b.yaml'], ['x.yaml']],
    ['a name matched by input already', [report('a.yaml', 'A')], [report('a.yaml', 'A'), report('z.yaml', 'A')], ['a.yaml'], [], ['z.yaml']],
    ['another use case', [report('a.yaml', 'A')], [report('b.yaml', 'B')], [], ['a.yaml'], ['b.yaml']],
  ])('%s', (_name, before, after, keys, onlyBefore, onlyAfter) => {
    const d = diffPortfolios(before, after);
    expect(d.entries.map((e) => e.key)).toEqual(keys);
    expect(d.onlyBefore).toEqual(onlyBefore);
    expect(d.onlyAfter).toEqual(onlyAfter);
  });
});

describe('diffReports: rules that left the rule set, or only stopped firing', () => {
  const report = (fired: string[], notFired?: string[]) =>
    ({
      useCase: 'A',
      schemaVersion: 1,
      rules: { name: 'default', version: '1' },
      recommendation: { approach: 'rag', method: null, confidence: 'weak' },
      framework: { score: 0, scoreBand: 'weak', difference: 0, differenceBand: 'weak', indicators: 0, antiIndicators: 0, ceilingPassed: true, confidence: 'weak' },
      trace: fired.map((rule) => ({ rule, because: '', kind: 'adjustment', from: 'prompt', to: 'rag' })),
      ...(notFired ? { notFired: notFired.map((rule) => ({ rule, because: '', source: '' })) } : {}),
    }) as unknown as ReportLike;
  it.each([
    ['full reports, the rule still listed as not fired', report(['x'], []), report([], ['x']), [], ['x']],
    ['full reports, the rule gone from the rule set', report(['x'], []), report([], []), ['x'], ['x']],
    ['decision records, which list only what fired', report(['x']), report([]), [], ['x']],
  ])('%s', (_name, before, after, removed, noLongerFired) => {
    const d = diffReports(before, after);
    expect(d.why.rulesRemoved).toEqual(removed);
    expect(d.why.noLongerFired).toEqual(noLongerFired);
  });
});
