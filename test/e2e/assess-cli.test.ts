// The CI path end to end: the built binary, answers from files and stdin, every
// kind of bad input, and the contract's JSON shape. The binary itself runs where its part
// matters (start-up through the fast path, a real pipe on standard input and output,
// devices and FIFOs, --version); the other cases run the same built CLI in-process.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { canMakeNullDevice, makeNullDevice } from '../support/null-device';
import { ensureBuilt, ROOT, runBuilt, runCli } from '../support/run-cli';

let dir: string;
const taskApiText = readFileSync(join(ROOT, 'examples/task-api.yaml'), 'utf8');
const taskApi = YAML.parse(taskApiText) as Record<string, any>;

function writeAnswers(name: string, content: string | object): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : YAML.stringify(content));
  return file;
}

function mutate(fn: (a: Record<string, any>) => void): Record<string, any> {
  const copy = structuredClone(taskApi);
  fn(copy);
  return copy;
}

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ft-advisor-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assess --answers, happy paths', () => {
  it('prints contract-shaped JSON for the Task API example', async () => {
    const r = await runCli(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.useCase).toBe('Task API assistant');
    expect(out.rules).toEqual({ name: 'default', version: expect.any(String) });
    expect(out.recommendation.approach).toBe('hybrid');
    expect(out.recommendation.method).toMatchObject({ objective: 'sft', technique: 'lora', distillation: false, why: expect.any(String) });
    expect(out.framework).toMatchObject({
      ceilingPassed: true,
      indicators: 4,
      antiIndicators: 0,
      totalFactors: 11,
      score: 0.364,
      scoreBand: 'moderate',
      difference: 4,
      differenceBand: 'strong',
    });
    expect(out.trace.every((t: { rule: string; because: string }) => typeof t.rule === 'string' && t.because.length > 0)).toBe(true);
    expect(Array.isArray(out.nextSteps)).toBe(true);
    expect(Array.isArray(out.warnings)).toBe(true);
    expect(out.economics).toMatchObject({ upfrontCost: 6000, monthlyNetBenefit: 1500, breakEvenMonths: 4, breakEvenVerdict: 'justified' });
    expect(out.rubric).toBeNull();
    expect(out.whatIf.length).toBeGreaterThan(0);
  });

  it('reads JSON answers from stdin with --answers -', async () => {
    const r = await runCli(['assess', '--answers', '-', '--format', 'json'], { input: JSON.stringify(taskApi) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).recommendation.approach).toBe('hybrid');
  });

  it('reads YAML answers from stdin too', async () => {
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'json'], { input: taskApiText });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).useCase).toBe('Task API assistant');
  });

  it('is plain text when piped: no escape codes', async () => {
    const r = await runCli(['assess', '--answers', 'examples/support-bot.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VERDICT');
    expect(r.stdout).toContain('Retrieval (RAG)');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it.each([
    ['FORCE_COLOR=1 colours piped output', { FORCE_COLOR: '1' }, [], true],
    ['NO_COLOR wins over FORCE_COLOR', { FORCE_COLOR: '1', NO_COLOR: '1' }, [], false],
    ['--no-color wins over FORCE_COLOR', { FORCE_COLOR: '1' }, ['--no-color'], false],
    ['--color colours piped output', {}, ['--color'], true],
    ['--color wins over NO_COLOR', { NO_COLOR: '1' }, ['--color'], true],
  ])('%s', async (_name, env, flags, coloured) => {
    const r = await runBuilt(['assess', '--answers', 'examples/support-bot.yaml', ...flags], { env });
    expect(r.code).toBe(0);
    expect(/\x1b\[/.test(r.stdout)).toBe(coloured);
  });

  it.each([
    ['--no-color before the command', { FORCE_COLOR: '1' }, ['--no-color', 'assess'], false],
    ['--color before the command', {}, ['--color', 'assess'], true],
    ["the command's own flag wins", {}, ['--color', 'assess', '--no-color'], false],
  ])('%s', async (_name, env, argv, coloured) => {
    const r = await runBuilt([...argv, '--answers', 'examples/support-bot.yaml'], { env });
    expect(r.code).toBe(0);
    expect(/\x1b\[/.test(r.stdout)).toBe(coloured);
  });

  it('renders markdown with a Mermaid decision path and the trace', async () => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# ft-advisor: Task API assistant/);
    expect(r.stdout).toContain('```mermaid\nflowchart TD');
    expect(r.stdout).toContain('## Trace');
    expect(r.stdout).toContain('knowledge.facts-to-retrieval');
  });

  it('writes the report to --output and says so on stderr', async () => {
    const out = join(dir, 'report.md');
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'markdown', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('report written to');
    expect(readFileSync(out, 'utf8')).toContain('# ft-advisor: Task API assistant');
  });
});

// `-o /dev/null` keeps only the exit code; a FIFO hands the report to another program.
// Neither is a file to replace atomically: both are written straight to, and stay as they are.
describe.skipIf(process.platform === 'win32')('output to a device or a named pipe', () => {
  // A null device of the test's own, so that a regression replaces it rather than the
  // machine's /dev/null.
  it.skipIf(!canMakeNullDevice()).each([
    ['one report, a gate that fails', ['assess', '--answers', 'examples/task-api.yaml', '--format', 'json', '--expect', 'fine-tune'], 1],
    ['JSON Lines', ['assess', '--answers', 'examples/task-api.yaml', '--format', 'jsonl'], 0],
  ])('-o to a null device (%s): the exit code, nothing on standard output', async (_name, argv, code) => {
    const device = join(dir, `null-${code}`);
    makeNullDevice(device);
    const r = await runCli([...argv, '-o', device]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/not a regular file/);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it.each([
    [
      'assess -o',
      (fifo: string) => ['assess', '--answers', 'examples/task-api.yaml', '--format', 'json', '-o', fifo],
      (text: string) => expect(JSON.parse(text).recommendation.approach).toBe('hybrid'),
    ],
    ['init, without --force', (fifo: string) => ['init', fifo], (text: string) => expect(text).toMatch(/^# yaml-language-server/)],
  ])('%s into a FIFO: the reader gets it all, and the FIFO stays', async (_name, argv, check) => {
    const fifo = join(dir, `out-${Math.random().toString(36).slice(2)}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const reader = readFile(fifo, 'utf8');
    const r = await runCli(argv(fifo));
    expect(r.code).toBe(0);
    check(await reader);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('the CI gate', () => {
  it.each([
    ['hybrid', 0],
    ['fine-tune', 1],
    ['prompt', 1],
  ])('--expect %s gives exit %i', async (expected, code) => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json', '--expect', expected]);
    expect(r.code).toBe(code);
    expect(JSON.parse(r.stdout).recommendation.approach).toBe('hybrid');
    if (code === 1) expect(r.stderr).toMatch(new RegExp(`expected approach "${expected}".*recommendation is "hybrid"`));
  });

  it('rejects an approach that does not exist', async () => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--expect', 'finetune']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/finetune/);
    expect(r.stderr).toMatch(/fine-tune/);
  });
});

describe('bad input: exit 2, a message with file, dot path and hint, never a stack trace', () => {
  const cases: [string, () => string[], RegExp[]][] = [
    [
      'unknown key with a suggestion',
      () => [
        '--answers',
        writeAnswers(
          'typo.yaml',
          mutate((a) => {
            a.indicators.brandVoise = a.indicators.brandVoice;
            delete a.indicators.brandVoice;
          }),
        ),
      ],
      [/typo\.yaml: indicators\.brandVoise: unknown key/, /did you mean brandVoice\?/],
    ],
    [
      'unknown section with a suggestion',
      () => [
        '--answers',
        writeAnswers(
          'section.yaml',
          mutate((a) => {
            a.cieling = a.ceiling;
            delete a.ceiling;
          }),
        ),
      ],
      [/section\.yaml: cieling: unknown key/, /did you mean ceiling\?/],
    ],
    [
      'wrong type, with a hint for quoted booleans',
      () => ['--answers', writeAnswers('type.yaml', taskApiText.replace('fewShot: true', 'fewShot: "yes"'))],
      [/ceiling\.fewShot: expected true or false, got the text "yes"/, /without quotes/],
    ],
    [
      'out-of-range number',
      () => [
        '--answers',
        writeAnswers(
          'range.yaml',
          mutate((a) => {
            a.data.examples = -5;
          }),
        ),
      ],
      [/data\.examples: must be ≥ 0, got number -5/],
    ],
    [
      'a fraction where a whole number is expected',
      () => [
        '--answers',
        writeAnswers(
          'int.yaml',
          mutate((a) => {
            a.data.examples = 10.5;
          }),
        ),
      ],
      [/data\.examples: expected a whole number/],
    ],
    [
      'missing answer',
      () => [
        '--answers',
        writeAnswers(
          'missing.yaml',
          mutate((a) => {
            delete a.indicators.latency;
          }),
        ),
      ],
      [/indicators\.latency: missing; expected true or false/],
    ],
    [
      'a need that does not exist',
      () => [
        '--answers',
        writeAnswers(
          'need.yaml',
          mutate((a) => {
            a.needs = ['style', 'knowlege'];
          }),
        ),
      ],
      [/needs\[1\]: expected one of: format, style/, /did you mean knowledge\?/],
    ],
    [
      'no needs at all',
      () => [
        '--answers',
        writeAnswers(
          'noneeds.yaml',
          mutate((a) => {
            a.needs = [];
          }),
        ),
      ],
      [/needs: expected at least 1 item/],
    ],
    [
      'underivable omission',
      () => [
        '--answers',
        writeAnswers(
          'underivable.yaml',
          mutate((a) => {
            delete a.data;
          }),
        ),
      ],
      [/antiIndicators\.insufficientData: missing/, /give data\.examples or data\.preferencePairs or data\.documents so it can be derived/],
    ],
    [
      'wrong version',
      () => [
        '--answers',
        writeAnswers(
          'version.yaml',
          mutate((a) => {
            a.version = 2;
          }),
        ),
      ],
      [/version: expected 1/],
    ],
    ['broken YAML with line and column', () => ['--answers', writeAnswers('broken.yaml', 'version: 1\nuseCase:\n  name: [unclosed\nneeds: [style]\n')], [/broken\.yaml:\d+:\d+/]],
    ['duplicate keys', () => ['--answers', writeAnswers('dup.yaml', 'version: 1\nversion: 1\n')], [/dup\.yaml:2:\d+/, /[Dd]uplicate|more than once/]],
    ['a list instead of a mapping', () => ['--answers', writeAnswers('list.yaml', '- 1\n- 2\n')], [/list\.yaml: expected a mapping of answers/]],
    ['a missing file', () => ['--answers', join('no', 'such', 'file.yaml')], [/no\/such\/file\.yaml: no such file/, /ft-advisor init/]],
    ['a directory given as --answers', () => ['--answers', dir], [/is a directory/]],
  ];

  it.each(cases)('%s', async (_name, args, patterns) => {
    const r = await runBuilt(['assess', ...args(), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const p of patterns) expect(r.stderr).toMatch(p);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('lists every problem in a file at once', async () => {
    const file = writeAnswers(
      'many.yaml',
      mutate((a) => {
        a.indicators.brandVoise = true;
        delete a.indicators.brandVoice;
        a.data.examples = 'lots';
      }),
    );
    const r = await runBuilt(['assess', '--answers', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 problems/);
    expect(r.stderr).toMatch(/indicators\.brandVoise/);
    expect(r.stderr).toMatch(/data\.examples/);
  });

  it('an empty stdin', async () => {
    const r = await runBuilt(['assess', '--answers', '-'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<stdin>: standard input is empty/);
  });

  it('no --answers and stdin is not a terminal: exit 2 at once, with how to pass answers', async () => {
    const started = Date.now();
    const r = await runCli(['assess']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is not a terminal/);
    expect(r.stderr).toMatch(/--answers answers\.yaml/);
    expect(r.stderr).toMatch(/--answers -/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an unknown flag', async () => {
    const r = await runBuilt(['assess', '--answer', 'examples/task-api.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--answer'/);
    expect(r.stderr).toMatch(/--answers/);
  });

  it('an unknown format', async () => {
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/html/);
  });

  it('an output path that cannot be written: exit 2 and nothing written', async () => {
    const target = join(dir, 'missing-dir', 'report.md');
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--output', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the report/);
    expect(r.stdout).toBe('');
  });

  it('a read-only output directory leaves no partial file behind', async () => {
    if (process.getuid?.() === 0) return; // root can write anywhere; the check above covers the path case
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--output', join(ro, 'r.md')]);
    expect(r.code).toBe(2);
    expect(readdirSync(ro)).toEqual([]);
  });

  it('an invalid custom rule set names the rule file and dot path', async () => {
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, 'extends: default\nframework:\n  score:\n    totalFactor: 10\n');
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--rules', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rules\.yaml: framework\.score\.totalFactor: unknown key/);
    expect(r.stderr).toMatch(/did you mean totalFactors\?/);
  });
});

describe('help', () => {
  it('assess --help has examples and the exit codes', async () => {
    const r = await runBuilt(['assess', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/cat answers\.json \| ft-advisor assess --answers -/);
    expect(r.stdout).toMatch(/Exit status/);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('rules are data', () => {
  it('an edit to rules/default.yaml takes effect without a rebuild', async () => {
    const { cpSync } = await import('node:fs');
    const copy = join(dir, 'pkg');
    for (const part of ['bin', 'dist', 'rules', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const yamlPath = join(copy, 'rules/default.yaml');
    const original = readFileSync(yamlPath, 'utf8');
    const run = async () => {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync(process.execPath, [join(copy, 'bin/ft-advisor.cjs'), 'assess', '--answers', join(ROOT, 'examples/task-api.yaml'), '--format', 'json'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout).recommendation.approach as string;
    };
    expect(await run()).toBe('hybrid');
    // A stricter framework: more than 4 indicators. The Task API example has 4.
    const stricter = original.replace('when: { fact: framework.indicators, gt: 3 }', 'when: { fact: framework.indicators, gt: 4 }');
    expect(stricter).not.toBe(original);
    writeFileSync(yamlPath, stricter);
    expect(await run()).toBe('rag');
  });
});
