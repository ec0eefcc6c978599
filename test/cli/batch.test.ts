// `assess` on many use cases: files, a folder, JSON Lines on stdin or in a file; one
// result per use case; a bad input is reported by name and the others still run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { helperNice, workerPlan } from '../../src/batch/worker';
import { run } from '../../src/cli/main';
import { RECORD_FIELDS } from '../../src/report/record';
import { fakeIO } from '../support/fake-io';
import { BIN, ensureBuilt, EXAMPLES, expectNoStackTrace, runBuilt, runCli, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let dir: string;
const task = () => parse(readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8'));
const support = () => parse(readFileSync(join(EXAMPLES, 'support-bot.yaml'), 'utf8'));

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
  dir = join(tmp.dir, 'answers');
  mkdirSync(dir);
  mkdirSync(join(dir, 'nested'));
  for (const f of ['task-api.yaml', 'support-bot.yaml', 'socratic-tutor.yaml']) copyFileSync(join(EXAMPLES, f), join(dir, f));
  writeFileSync(join(dir, 'b-broken.yml'), 'version: 1\nuseCase: { name: Broken }\nneeds: [stlye]\nceiling: {}\nindicators: {}\nantiIndicators: {}\n');
  writeFileSync(join(dir, 'c.json'), JSON.stringify(support()));
  writeFileSync(join(dir, 'notes.txt'), 'not answers');
  writeFileSync(join(dir, 'nested', 'deep.yaml'), readFileSync(join(EXAMPLES, 'task-api.yaml')));
  mkdirSync(join(tmp.dir, 'empty'));
});
afterAll(() => tmp.cleanup());

const jsonl = (...docs: unknown[]) => `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`;

describe('several files and folders', () => {
  it('several files give a JSON array, one result per use case, in order', async () => {
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', 'examples/socratic-tutor.yaml', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.map((x: any) => [x.file, x.useCase, x.recommendation.approach])).toEqual([
      ['examples/task-api.yaml', 'Task API assistant', 'hybrid'],
      ['examples/support-bot.yaml', 'Acme support chatbot', 'rag'],
      ['examples/socratic-tutor.yaml', 'Socratic math tutor', 'hybrid'],
    ]);
    // Each result is the full report.
    expect(results[0]).toMatchObject({ schemaVersion: 1, framework: { indicators: 4 }, recommendation: { method: { objective: 'sft', technique: 'lora' } } });
  });

  it('a folder: its *.yaml, *.yml and *.json, sorted, not recursive; the bad file is named and the others run (exit 2)', async () => {
    const r = await runBuilt(['assess', dir, '--format', 'json']);
    expect(r.code).toBe(2);
    const results = JSON.parse(r.stdout);
    expect(results.map((x: any) => x.file)).toEqual(['b-broken.yml', 'c.json', 'socratic-tutor.yaml', 'support-bot.yaml', 'task-api.yaml'].map((f) => join(dir, f)));
    const bad = results[0];
    expect(Object.keys(bad)).toEqual(['file', 'error']);
    expect(bad.error.problems).toContainEqual({ path: 'needs[0]', message: expect.stringMatching(/got the text "stlye"/), hint: 'did you mean style?' });
    expect(bad.error.problems.map((p: any) => p.path)).toEqual(expect.arrayContaining(['ceiling.promptVariations', 'indicators.consistentBehavior']));
    expect(results.slice(1).map((x: any) => x.recommendation.approach)).toEqual(['rag', 'hybrid', 'rag', 'hybrid']);
    expect(r.stderr).toContain(`${join(dir, 'b-broken.yml')}: needs[0]: expected one of:`);
    expect(r.stderr).toMatch(/1 of 5 inputs could not be assessed \(see above\); the other 4 were assessed\n$/);
    expectNoStackTrace(r.stderr);
  });

  it('--format jsonl: one JSON object per line', async () => {
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).recommendation.approach)).toEqual(['hybrid', 'rag']);
  });

  it('--format jsonl: each line is the decision record of the full report, file first', async () => {
    const [lines, full] = await Promise.all([
      runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'jsonl']),
      runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--format', 'json']),
    ]);
    const records = lines.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const reports = JSON.parse(full.stdout);
    expect(records).toHaveLength(2);
    records.forEach((record: any, i: number) => {
      expect(Object.keys(record)).toEqual(['file', ...RECORD_FIELDS]);
      const { factors, ...framework } = reports[i].framework;
      expect(factors.length).toBeGreaterThan(10);
      const expected = withoutSources({ file: reports[i].file, ...Object.fromEntries(RECORD_FIELDS.map((k) => [k, k === 'framework' ? framework : reports[i][k]])) });
      expect(record).toEqual(expected);
      expect(JSON.stringify(record)).not.toMatch(/"sources?":/);
    });
    // The record is the contract's JSON output and the answers; the rule set's texts stay out.
    expect(lines.stdout.length).toBeLessThan(full.stdout.length / 2);
  });

  it('text: every report, then the portfolio table', async () => {
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.indexOf('ft-advisor · Task API assistant')).toBeLessThan(r.stdout.indexOf('ft-advisor · Acme support chatbot'));
    const portfolio = r.stdout.slice(r.stdout.lastIndexOf('Portfolio'));
    expect(portfolio).toMatch(/│ examples\/task-api\.yaml\s+│ Task API assistant\s+│ hybrid\s+│ sft · lora\s+│ moderate/);
    expect(portfolio).toMatch(/│ examples\/support-bot\.yaml\s+│ Acme support chatbot\s+│ rag\s+│\s+│ —/);
    expect(portfolio).toMatch(/2 use cases assessed: 1 hybrid, 1 rag\.\n$/);
  });

  it('markdown: the portfolio table, then every report with its headings one level down', async () => {
    const r = await runBuilt(['assess', dir, '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^# ft-advisor portfolio\n\n4 use cases assessed: 2 hybrid, 2 rag; 1 input invalid\.\n/);
    expect(r.stdout).toContain('| Input | Use case | Verdict | Method | Confidence | Score | Difference | Status |');
    expect(r.stdout).toMatch(/\| `[^`]*b-broken\.yml` \|[ |]*\*\*invalid: \d+ problems\*\* \|/);
    expect(r.stdout).toContain('## ft-advisor: Task API assistant');
    expect(r.stdout).not.toMatch(/^# ft-advisor: /m);
    expect(r.stdout).toContain('```mermaid');
  });

  it.each([
    ['an empty folder', () => [join(tmp.dir, 'empty')], /empty: is a folder with no answers files in it; expected \*\.yaml, \*\.yml or \*\.json/],
    ['a missing file among good ones', () => ['examples/task-api.yaml', 'nope.yaml'], /nope\.yaml: no such file; expected a answers file|nope\.yaml: no such file/],
  ])('%s: named on stderr, exit 2', async (_name, args, message) => {
    const r = await runBuilt(['assess', ...args(), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it.each([
    ['one file argument', () => ['examples/task-api.yaml'], undefined, 'object'],
    ['one document on standard input (-)', () => ['-'], () => readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8'), 'object'],
    ['a folder, even with one file in it', () => [join(tmp.dir, 'one')], undefined, 'array'],
    // The contract: `cat answers.json | ft-advisor assess --answers -` is one report, and a
    // minified answers.json is one line.
    ['one JSON line on standard input (-)', () => ['-'], () => jsonl(task()), 'object'],
    ['two JSON lines on standard input (-)', () => ['-'], () => jsonl(task(), task()), 'array'],
  ])('%s with --format json gives a %s', async (_name, args, input, shape) => {
    mkdirSync(join(tmp.dir, 'one'), { recursive: true });
    copyFileSync(join(EXAMPLES, 'task-api.yaml'), join(tmp.dir, 'one', 'task-api.yaml'));
    const r = await runBuilt(['assess', ...args(), '--format', 'json'], { input: input?.() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Array.isArray(out) ? 'array' : 'object').toBe(shape);
    expect((Array.isArray(out) ? out[0] : out).recommendation.approach).toBe('hybrid');
  });

  it('one file argument is exactly assess --answers', async () => {
    const [a, b] = await Promise.all([runBuilt(['assess', 'examples/support-bot.yaml']), runBuilt(['assess', '--answers', 'examples/support-bot.yaml'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toContain('Portfolio');
  });

  it('--answers and file arguments together is a usage error', async () => {
    const r = await runBuilt(['assess', 'examples/task-api.yaml', '--answers', 'examples/support-bot.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/either with --answers or as file arguments, not both/);
  });
});

describe('JSON Lines', () => {
  it('on standard input with --answers - --format jsonl: one result per line, with its line number', async () => {
    const a = task();
    const b = support();
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: jsonl(a, b, { ...a, useCase: { name: 'Third' } }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((x) => [x.file, x.line, x.useCase, x.recommendation.approach])).toEqual([
      ['<stdin>', 1, 'Task API assistant', 'hybrid'],
      ['<stdin>', 2, 'Acme support chatbot', 'rag'],
      ['<stdin>', 3, 'Third', 'hybrid'],
    ]);
    expect(out[0].whatIf.length).toBeGreaterThan(0);
  });

  it('bad lines are reported by line and the others still run (exit 2)', async () => {
    const a = task();
    const input = `${JSON.stringify(a)}\nnot json\n\n${JSON.stringify({ ...a, indicators: { ...a.indicators, brandVoise: true } })}\n${JSON.stringify(support())}`;
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input });
    expect(r.code).toBe(2);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((x) => [x.line, x.error ? 'error' : x.recommendation.approach])).toEqual([
      [1, 'hybrid'],
      [2, 'error'],
      [4, 'error'],
      [5, 'rag'],
    ]);
    expect(out[1].error.problems[0].message).toMatch(/^not valid JSON .*expected one answers document per line \(JSON Lines\)$/);
    expect(out[2].error.problems).toEqual([{ path: 'indicators.brandVoise', message: expect.stringMatching(/^unknown key/), hint: 'did you mean brandVoice?' }]);
    expect(r.stderr).toMatch(/<stdin>:2: not valid JSON/);
    expect(r.stderr).toMatch(/<stdin>:4: indicators\.brandVoise: unknown key.*did you mean brandVoice\?/);
  });

  // Notepad and PowerShell 5 open UTF-8 files with a byte order mark; it belongs to the
  // stream, and line 1 is still a use case.
  it.each([
    ['standard input, --format jsonl', (text: string) => ({ argv: ['assess', '--answers', '-', '--format', 'jsonl'], input: text })],
    ['standard input, JSON Lines told by their shape', (text: string) => ({ argv: ['assess', '--answers', '-', '--format', 'json'], input: text })],
    [
      'a .jsonl file',
      (text: string) => {
        const file = join(tmp.dir, 'bom.jsonl');
        writeFileSync(file, text);
        return { argv: ['assess', file, '--format', 'json'], input: undefined };
      },
    ],
  ])('a byte order mark before JSON Lines (%s): every line assessed', async (_name, setup) => {
    const { argv, input } = setup(`\ufeff${jsonl({ ...task(), useCase: { name: 'first' } }, { ...task(), useCase: { name: 'second' } })}`);
    const r = await runBuilt(argv, { input });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const records = argv.includes('jsonl')
      ? r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l))
      : JSON.parse(r.stdout);
    expect(records.map((x: { line: number; useCase: string }) => [x.line, x.useCase])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
  });

  // A .jsonl or .ndjson file is JSON Lines whichever way it is given: `--answers` used to
  // read it as one JSON document and fail at line 2 ("unexpected non-whitespace character").
  it.each([
    ['text', '.jsonl'],
    ['json', '.ndjson'],
    ['jsonl', '.jsonl'],
  ])('--answers with --format %s and a %s file gives what the file as an argument gives', async (format, ext) => {
    const file = join(tmp.dir, `two${ext}`);
    writeFileSync(file, jsonl({ ...task(), useCase: { name: 'first' } }, { ...task(), useCase: { name: 'second' } }));
    const viaOption = await runBuilt(['assess', '--answers', file, '--format', format]);
    const asArgument = await runBuilt(['assess', file, '--format', format]);
    expect(viaOption).toEqual(asArgument);
    expect(viaOption.code).toBe(0);
    expect(viaOption.stdout).toMatch(/first[\s\S]*second/);
  });

  // PowerShell 5's `>` and Notepad write UTF-16: one clear problem for that input, not a
  // "not valid JSON" per line with a NUL between every two characters.
  it.each([
    ['JSON Lines on standard input', ['assess', '--answers', '-', '--format', 'jsonl'], 'stdin', true],
    ['one document on standard input', ['assess', '--answers', '-', '--format', 'json'], 'stdin', false],
    ['a .jsonl file beside a good one', ['assess', 'FILE', 'GOOD', '--format', 'jsonl'], 'file', true],
  ])('UTF-16 (%s): refused as such, exit 2', async (_name, argv, where, records) => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(jsonl(task()), 'utf16le')]);
    const file = join(tmp.dir, 'utf16.jsonl');
    const good = join(tmp.dir, 'good.jsonl');
    writeFileSync(file, utf16);
    writeFileSync(good, jsonl(task()));
    const child = await runBuilt(
      argv.map((a) => (a === 'FILE' ? file : a === 'GOOD' ? good : a)),
      { input: where === 'stdin' ? utf16 : '' },
    );
    expect(child.code).toBe(2);
    expect(child.stderr).toMatch(/is UTF-16 text; expected UTF-8 - save it as UTF-8/);
    expect(child.stderr).not.toMatch(/\u0000|not valid JSON/);
    if (records) {
      const out = child.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(out[0].error.problems[0].message).toMatch(/UTF-16/);
      expect(out.slice(1).map((r: { file: string; useCase: string }) => [r.file, r.useCase])).toEqual(where === 'file' ? [[good, 'Task API assistant']] : []);
    } else {
      expect(child.stdout).toBe('');
    }
  });

  // First or further on: with --format jsonl an oversized line is that line's problem,
  // even before standard input has shown a complete line to tell JSON Lines by.
  it.each([
    [
      'further on',
      2,
      [
        [1, 'before'],
        [2, 'error'],
        [3, 'after'],
      ],
    ],
    [
      'first',
      1,
      [
        [1, 'error'],
        [2, 'before'],
        [3, 'after'],
      ],
    ],
  ])('a line over 1 MiB (%s) is refused by its line number, unread, and the lines after it still run', async (_where, at, expected) => {
    const a = task();
    const lines = [JSON.stringify({ ...a, useCase: { name: 'before' } }), JSON.stringify({ ...a, useCase: { name: 'after' } })];
    lines.splice(at - 1, 0, JSON.stringify({ ...a, useCase: { name: 'x'.repeat(1_300_000) } }));
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: `${lines.join('\n')}\n` });
    expect(r.code).toBe(2);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((x) => [x.line, x.error ? 'error' : x.useCase])).toEqual(expected);
    expect(out[at - 1].error.problems[0].message).toMatch(/^the line is over 1 MiB; one answers document per line is expected$/);
  });

  it('a line that repeats a key is refused, as a JSON file would be, naming the key', async () => {
    const a = task();
    const repeated = JSON.stringify(a).replace('"brandVoice":true', '"brandVoice":true,"brandVoice":false');
    expect(JSON.parse(repeated).indicators.brandVoice).toBe(false);
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: `${repeated}\n${JSON.stringify(a)}\n` });
    expect(r.code).toBe(2);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0]).toEqual({ file: '<stdin>', line: 1, error: { problems: [{ path: 'indicators.brandVoice', message: 'duplicate key; each key may appear only once in an object' }] } });
    expect(out[1].recommendation.approach).toBe('hybrid');
    expect(r.stderr).toMatch(/<stdin>:1: indicators\.brandVoice: duplicate key/);
  });

  it('names outside ASCII come out as UTF-8, beside ASCII records, on every thread', async () => {
    const a = task();
    // 300 lines, so dedicated workers take some.
    const names = Array.from({ length: 300 }, (_, i) => (i % 7 === 3 ? `Café ☕ 𝄞 ${i}` : `plain ${i}`));
    const input = names.map((name) => JSON.stringify({ ...a, useCase: { name } })).join('\n');
    for (const workers of ['0', '2']) {
      const r = await runCli(['assess', '--answers', '-', '--format', 'jsonl'], { input, env: { FT_ADVISOR_WORKERS: workers } });
      expect(r.code).toBe(0);
      const out = r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(out.map((x) => x.useCase)).toEqual(names);
      expect(out.map((x) => x.answers.useCase.name)).toEqual(names);
    }
  });

  it('a rule set with texts outside ASCII: its records come out as UTF-8', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const rules = join(dir, 'accents.yaml');
      writeFileSync(
        rules,
        ['extends: default', 'name: accents', 'version: 1', 'nextSteps:', '  - id: next.accent', '    text: "Écrivez l’évaluation d’abord — 𝄞"', '    source: "ft-advisor"', ''].join('\n'),
      );
      const r = await runCli(['assess', '--answers', '-', '--format', 'jsonl', '--rules', rules], { input: jsonl(task(), task()) });
      expect(r.code).toBe(0);
      const out = r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(out[1].nextSteps).toContain('Écrivez l’évaluation d’abord — 𝄞');
    } finally {
      cleanup();
    }
  });

  it('a record carries the answers of its line: the same JSON value, however the line was written', async () => {
    const a = task();
    const spaced = JSON.stringify(a, null, 1).replace(/\n/g, ' ').replace('"Task API assistant"', '"Task API \\u0061ssistant"').replace('"examples": 10000', '"examples": 1e4');
    expect(JSON.parse(spaced)).toEqual({ ...a, useCase: { ...a.useCase, name: 'Task API assistant' } });
    const withCr = JSON.stringify(a).replace('"needs":', '\r"needs":');
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: `${spaced}\n${JSON.stringify(a)}\r\n${withCr}\n` });
    expect(r.code).toBe(0);
    // A carriage return between tokens is not echoed: the answers are written out afresh.
    expect(r.stdout).not.toContain('\r');
    const [first, second, third] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(third.answers).toEqual(a);
    expect(first.answers).toEqual(JSON.parse(spaced));
    expect(second.answers).toEqual(a);
    expect(Object.keys(second).at(-1)).toBe('answers');
    const { answers: _1, line: _l1, ...rest1 } = first;
    const { answers: _2, line: _l2, ...rest2 } = second;
    expect(rest1).toEqual(rest2);
  });

  it('is detected on standard input without --format jsonl: a JSON array comes out', async () => {
    const r = await runBuilt(['assess', '-', '--format', 'json'], { input: jsonl(task(), support()) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: any) => x.recommendation.approach)).toEqual(['hybrid', 'rag']);
  });

  it('a YAML document on standard input with --format jsonl is one use case', async () => {
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8') });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ file: '<stdin>', recommendation: { approach: 'hybrid' } });
  });

  it('a .jsonl file among the arguments is read line by line', async () => {
    const file = join(tmp.dir, 'portfolio.jsonl');
    writeFileSync(file, jsonl(support(), task()));
    const r = await runBuilt(['assess', file, 'examples/socratic-tutor.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: any) => [x.file, x.line ?? null, x.recommendation.approach])).toEqual([
      [file, 1, 'rag'],
      [file, 2, 'hybrid'],
      ['examples/socratic-tutor.yaml', null, 'hybrid'],
    ]);
  });

  it('empty standard input is exit 2 with a hint', async () => {
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is empty; expected an answers document \(YAML or JSON\) or JSON Lines/);
  });

  it('--output writes the whole batch to a file', async () => {
    const out = join(tmp.dir, 'out.jsonl');
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl', '--output', out], { input: jsonl(task(), support()) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('--no-what-if skips the what-if search for every line', async () => {
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl', '--no-what-if'], { input: jsonl(task()) });
    expect(JSON.parse(r.stdout).whatIf).toEqual([]);
  });

  it('worker threads change nothing: same output, same problems, same exit status, with or without them', async () => {
    const base = task();
    const lines = Array.from({ length: 700 }, (_, i) => JSON.stringify({ ...base, useCase: { name: `case ${i}` }, antiIndicators: { ...base.antiIndicators, explorationPhase: i % 3 === 0 } }));
    lines[250] = 'not json';
    lines[450] = JSON.stringify({ ...base, needs: ['stlye'] });
    lines[600] = '';
    const input = `${lines.join('\n')}\n`;
    for (const format of ['jsonl', 'json']) {
      const args = ['assess', '-', '--format', format, '--expect', 'hybrid'];
      // Two dedicated workers take every batch; the default shares them with the main thread.
      const [threads, shared, single] = await Promise.all([
        runCli(args, { input, env: { FT_ADVISOR_WORKERS: '2' } }),
        runCli(args, { input, env: { FT_ADVISOR_WORKERS: undefined } }),
        runCli(args, { input, env: { FT_ADVISOR_WORKERS: '0' } }),
      ]);
      expect(threads.code).toBe(2);
      for (const r of [threads, shared]) {
        expect(r.code).toBe(single.code);
        expect(r.stdout).toBe(single.stdout);
        expect(r.stderr).toBe(single.stderr);
      }
      expect(threads.stderr).toMatch(/2 of 699 inputs could not be assessed/);
    }
  }, 180_000);

  it('a stream long enough for the default workers (started late, fed small jobs while cold) gives the same output', async () => {
    const base = task();
    // Past FT_ADVISOR_WORKERS_AFTER lines the main thread starts a worker and splits batches
    // with it (the default, 32,768, would make this test slow).
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ ...base, useCase: { name: `case ${i}` }, data: { ...base.data, examples: (i * 37) % 20000 } }));
    lines[100] = 'not json';
    lines[4200] = JSON.stringify({ ...base, needs: ['stlye'] });
    lines[4700] = '';
    const input = `${lines.join('\n')}\n`;
    const args = ['assess', '--answers', '-', '--format', 'jsonl', '--expect', 'hybrid'];
    const [shared, single] = await Promise.all([
      runCli(args, { input, env: { FT_ADVISOR_WORKERS: undefined, FT_ADVISOR_WORKERS_AFTER: '4096' } }),
      runCli(args, { input, env: { FT_ADVISOR_WORKERS: '0' } }),
    ]);
    expect(single.code).toBe(2);
    expect(shared.code).toBe(single.code);
    expect(shared.stderr).toBe(single.stderr);
    expect(shared.stdout === single.stdout).toBe(true);
    expect(shared.stdout.trimEnd().split('\n')).toHaveLength(4999);
    expect(single.stderr).toMatch(/<stdin>:4201: needs\[0\]: expected one of/);
  }, 60_000);

  it('output buffers written into again once standard output took them: megabytes of records come out whole, as in-process', async () => {
    // The binary writes to a pipe (a file descriptor), so it reuses its buffers; run in
    // process, standard output is a PassThrough and every record gets fresh memory.
    const base = task();
    const docs = Array.from({ length: 1500 }, (_, i) => ({ ...base, useCase: { name: `case ${i}` }, data: { ...base.data, examples: (i * 37) % 20000 } }));
    const input = jsonl(...docs);
    const args = ['assess', '--answers', '-', '--format', 'jsonl'];
    const spawned = await runCli(args, { input, env: { FT_ADVISOR_WORKERS: '0' } });
    const fake = fakeIO(input, { FT_ADVISOR_WORKERS: '0' });
    const code = await run(args, fake.io);
    expect(spawned.code).toBe(0);
    expect(code).toBe(0);
    expect(spawned.stdout.length).toBeGreaterThan(4 << 20);
    expect(spawned.stdout === fake.stdout()).toBe(true);
    const out = spawned.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((x) => x.useCase)).toEqual(docs.map((d) => d.useCase.name));
  }, 60_000);

  it('many lines: every one answered, in order', async () => {
    const base = task();
    const docs = Array.from({ length: 500 }, (_, i) => ({ ...base, useCase: { name: `case ${i}` }, data: { ...base.data, examples: i * 40 } }));
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: jsonl(...docs) });
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(500);
    expect(out.map((x) => x.line)).toEqual(docs.map((_, i) => i + 1));
    expect(out[0].recommendation.approach).toBe('rag'); // 0 examples: too few to train
    expect(out[499].recommendation.approach).toBe('hybrid');
  }, 180_000);
});

describe('worker plan', () => {
  const cores = Math.min(availableParallelism() - 1, 16);
  it.each([
    ['nothing set: one per core but one, after 32,768 lines, sharing with the main thread', {}, { count: cores, shareWithMain: true, afterLines: 32_768 }],
    ['FT_ADVISOR_WORKERS_AFTER moves the start', { FT_ADVISOR_WORKERS_AFTER: '1000' }, { count: cores, shareWithMain: true, afterLines: 1000 }],
    ['FT_ADVISOR_WORKERS_AFTER=0 starts them at the first batch', { FT_ADVISOR_WORKERS_AFTER: '0' }, { count: cores, shareWithMain: true, afterLines: 0 }],
    ['a FT_ADVISOR_WORKERS_AFTER that is not a count is ignored', { FT_ADVISOR_WORKERS_AFTER: 'soon' }, { count: cores, shareWithMain: true, afterLines: 32_768 }],
    ['a negative FT_ADVISOR_WORKERS_AFTER is ignored', { FT_ADVISOR_WORKERS_AFTER: '-5' }, { count: cores, shareWithMain: true, afterLines: 32_768 }],
    ['FT_ADVISOR_WORKERS=3: three dedicated workers from the first batch', { FT_ADVISOR_WORKERS: '3', FT_ADVISOR_WORKERS_AFTER: '1000' }, { count: 3, shareWithMain: false, afterLines: 0 }],
    ['FT_ADVISOR_WORKERS=0: none', { FT_ADVISOR_WORKERS: '0' }, { count: 0, shareWithMain: false, afterLines: 0 }],
  ])('%s', async (_name, env, expected) => {
    expect(workerPlan(env)).toEqual(expected);
  });
});

describe('helper threads at a lower priority', () => {
  it.each([
    ['nothing set: 10 nice steps', {}, 10],
    ['FT_ADVISOR_HELPER_NICE=0 leaves them alone', { FT_ADVISOR_HELPER_NICE: '0' }, 0],
    ['FT_ADVISOR_HELPER_NICE=19', { FT_ADVISOR_HELPER_NICE: '19' }, 19],
    ['more than 19 is 19, the lowest priority there is', { FT_ADVISOR_HELPER_NICE: '40' }, 19],
    ['a negative value is 0: a batch never raises a priority', { FT_ADVISOR_HELPER_NICE: '-5' }, 0],
    ['a value that is not a number is ignored', { FT_ADVISOR_HELPER_NICE: 'low' }, 10],
  ])('%s', async (_name, env, expected) => {
    expect(helperNice(env)).toBe(expected);
  });

  const lowered = async (args: string[], input: string | undefined, env: Record<string, string> = {}) => {
    const fake = fakeIO(input, { FT_ADVISOR_WORKERS: '0', ...env });
    const calls: number[] = [];
    fake.io.lowerHelperThreads = (nice) => calls.push(nice);
    const code = await run(args, fake.io);
    return { code, calls };
  };

  it('a JSON Lines batch asks once, before its first line; a single document does not ask', async () => {
    const lines = jsonl(task(), support(), task());
    expect(await lowered(['assess', '--answers', '-', '--format', 'jsonl'], lines)).toEqual({ code: 0, calls: [10] });
    expect(await lowered(['assess', dir + '/task-api.yaml', dir + '/support-bot.yaml', '--format', 'json'], undefined)).toEqual({ code: 0, calls: [] });
    expect(await lowered(['assess', '--answers', '-', '--format', 'jsonl'], lines, { FT_ADVISOR_HELPER_NICE: '0' })).toEqual({ code: 0, calls: [] });
    expect(await lowered(['assess', '--answers', '-', '--format', 'jsonl'], lines, { FT_ADVISOR_HELPER_NICE: '3' })).toEqual({ code: 0, calls: [3] });
    // Two .jsonl files: still once, so worker threads started for the first are left alone.
    const file = join(tmp.dir, 'helpers.jsonl');
    writeFileSync(file, lines);
    expect(await lowered(['assess', file, file, '--format', 'jsonl'], undefined)).toEqual({ code: 0, calls: [10] });
  });

  it.skipIf(process.platform !== 'linux')('bin/ lowers every thread of the process but the main one (Linux)', async () => {
    // A process of its own: lowering a priority cannot be undone without privileges.
    const script = `
      const { readdirSync, readFileSync } = require('node:fs');
      const nice = () => Object.fromEntries(readdirSync('/proc/self/task').map((t) => [t, Number(readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16])]));
      const before = nice();
      require(${JSON.stringify(BIN)}).lowerHelperThreads(3);
      console.log(JSON.stringify({ pid: String(process.pid), before, after: nice() }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { pid, before, after } = JSON.parse(r.stdout) as { pid: string; before: Record<string, number>; after: Record<string, number> };
    const helpers = Object.keys(after).filter((t) => t !== pid);
    expect(helpers.length).toBeGreaterThan(0);
    expect(after[pid]).toBe(before[pid]);
    for (const t of helpers) expect(after[t]).toBe(Math.min(19, (before[t] ?? 0) + 3));
  });
});

describe('--expect (a gate per use case)', () => {
  const cases: { name: string; args: string[]; input?: () => string; code: number; stderr: RegExp | '' }[] = [
    { name: 'single file, verdict as expected', args: ['assess', '--answers', 'examples/task-api.yaml', '--expect', 'hybrid'], code: 0, stderr: '' },
    {
      name: 'single file, verdict differs',
      args: ['assess', '--answers', 'examples/task-api.yaml', '--expect', 'fine-tune', '--format', 'json'],
      code: 1,
      stderr: /expected approach "fine-tune", but the recommendation is "hybrid"\.\n {2}why: /,
    },
    {
      name: 'stdin, verdict differs',
      args: ['assess', '--answers', '-', '--expect', 'prompt'],
      input: () => readFileSync(join(EXAMPLES, 'support-bot.yaml'), 'utf8'),
      code: 1,
      stderr: /expected approach "prompt".*"rag"/,
    },
    { name: 'batch, all as expected', args: ['assess', 'examples/task-api.yaml', 'examples/socratic-tutor.yaml', '--expect', 'hybrid', '--format', 'json'], code: 0, stderr: '' },
    {
      name: 'batch, one differs: named, exit 1',
      args: ['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--expect', 'hybrid', '--format', 'json'],
      code: 1,
      stderr: /expected approach "hybrid" for examples\/support-bot\.yaml, but the recommendation is "rag"/,
    },
    {
      name: 'JSON Lines, one line differs: named with its line, exit 1',
      args: ['assess', '--answers', '-', '--format', 'jsonl', '--expect', 'hybrid'],
      input: () => jsonl(task(), support()),
      code: 1,
      stderr: /for <stdin>:2, but the recommendation is "rag"\.\n {2}why: .*→ Keep optimising prompts\. .*\(prompt → rag\)/,
    },
    {
      name: 'batch with an invalid input and a failed gate: invalid wins, exit 2',
      args: ['assess', 'examples/support-bot.yaml', 'nope.yaml', '--expect', 'hybrid', '--format', 'json'],
      code: 2,
      stderr: /nope\.yaml: no such file/,
    },
    {
      name: 'an approach that does not exist is a usage error',
      args: ['assess', '--answers', 'examples/task-api.yaml', '--expect', 'finetune'],
      code: 2,
      stderr: /argument 'finetune' is invalid\. Allowed choices are prompt, rag, fine-tune, hybrid/,
    },
  ];
  it.each(cases)('$name: exit $code', async ({ args, input, code, stderr }) => {
    const r = await runBuilt(args, { input: input?.() });
    expect(r.code).toBe(code);
    if (stderr === '') expect(r.stderr).toBe('');
    else expect(r.stderr).toMatch(stderr);
    // The report is printed before the gate decides.
    if (code !== 2 || args.includes('--format')) expect(r.stdout.length).toBeGreaterThan(0);
  });

  it('the portfolio marks the use case that failed the gate', async () => {
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', '--expect', 'hybrid']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/│ examples\/support-bot\.yaml[^\n]*│ expected hybrid, got rag\s+│/);
    expect(r.stdout).toMatch(/2 use cases assessed: 1 hybrid, 1 rag; 1 failed a gate\./);
  });
});

/** A report's values with every `source` and `sources` key taken out, at any depth. */
function withoutSources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSources);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'source' && k !== 'sources')
      .map(([k, v]) => [k, withoutSources(v)]),
  );
}
