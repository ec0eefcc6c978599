// The CI fast path (src/cli/fast-path.ts) must be invisible: it takes only command lines
// it understands completely, and for those it prints exactly what the full commander
// program prints. Both are run in-process here, on the same files, and compared.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseFastAssessArgs, tryFastAssess } from '../../src/cli/fast-path';
import { run } from '../../src/cli/main';
import { runProgram } from '../../src/cli/program';
import { fakeIO } from '../support/fake-io';
import { BIN, ensureBuilt, EXAMPLES, expectNoStackTrace, runCli, tempDir } from './helpers';

describe('which command lines the fast path takes', () => {
  it.each([
    [['assess', '--answers', 'a.yaml'], { answers: 'a.yaml' }],
    [['assess', '-a', 'a.json', '-f', 'json'], { format: 'json', answers: 'a.json' }],
    [['assess', '--answers=a.yaml', '--format=markdown', '--no-what-if', '--no-color'], { format: 'markdown', answers: 'a.yaml', whatIf: false, color: false }],
    [['assess', '--format', 'json', '--answers', 'a.yaml', '--expect', 'rag', '-o', 'r.json'], { format: 'json', answers: 'a.yaml', expect: 'rag', output: 'r.json' }],
    [['assess', '--expect=hybrid', '--answers', 'dir/a b.yaml'], { answers: 'dir/a b.yaml', expect: 'hybrid' }],
    [['assess', '--answers', '-'], { answers: '-' }],
    [['assess', '--answers', 'a.jsonl', '--format', 'jsonl'], { format: 'jsonl', answers: 'a.jsonl' }],
  ])('takes %j', (argv, expected) => {
    expect(parseFastAssessArgs(argv)).toEqual(expected);
  });

  it.each([
    [[], 'no command'],
    [['--version'], 'not assess'],
    [['--debug', 'assess', '--answers', 'a.yaml'], 'a program option first'],
    [['assess'], 'the questionnaire'],
    [['assess', 'a.yaml'], 'answers files as arguments (batch)'],
    [['assess', '--answers', 'a.yaml', '--rules', 'r.yaml'], 'a custom rule set (needs zod)'],
    [['assess', '--answers', '-x'], 'a flag where the answers go'],
    [['assess', '--answers', 'a.yaml', '--format', 'xml'], 'a bad format: commander says so'],
    [['assess', '--answers', 'a.yaml', '--expect', 'maybe'], 'a bad approach: commander says so'],
    [['assess', '--answers', 'a.yaml', '--answers', 'b.yaml'], 'a repeated option'],
    [['assess', '-a', 'a.yaml', '--answers=b.yaml'], 'a repeated option, short and long'],
    [['assess', '--answers'], 'a missing value'],
    [['assess', '--answers='], 'an empty value'],
    [['assess', '--answers', '--format', 'json'], 'a value that looks like a flag'],
    [['assess', '--answers', 'a.yaml', '--help'], 'help'],
    [['assess', '--answers', 'a.yaml', '--'], 'the end of options'],
    [['assess', '--answers', 'a.yaml', '--no-what-if=1'], 'a value on a switch'],
    [['assess', '--answers', 'a.yaml', '--baseline', 'b.json'], 'a baseline'],
    [['assess', '--answers', 'a.yaml', '--ask-missing'], 'asking on a terminal'],
    [['assess', '-fjson', '--answers', 'a.yaml'], 'a value glued to a short flag'],
  ])('leaves %j to commander (%s)', (argv) => {
    expect(parseFastAssessArgs(argv)).toBeUndefined();
  });
});

describe('the fast path prints what the full program prints', () => {
  const { dir, cleanup } = tempDir('ft-advisor-fast-');
  afterAll(cleanup);
  const taskApi = join(EXAMPLES, 'task-api.yaml');
  const taskApiJson = join(dir, 'task-api.json');
  const typo = join(dir, 'typo.yaml');
  const report = join(dir, 'report.md');

  beforeAll(async () => {
    // The fast path reads the build's copy of the default rules; without it, it declines.
    await ensureBuilt();
    writeFileSync(taskApiJson, JSON.stringify(YAML.parse(readFileSync(taskApi, 'utf8'))));
    writeFileSync(typo, readFileSync(taskApi, 'utf8').replace('brandVoice:', 'brandVoise:'));
  }, 120_000);

  async function both(argv: string[], input?: string) {
    const results = [];
    for (const which of ['fast', 'full'] as const) {
      const fake = fakeIO(input, {}, dir);
      const code = which === 'fast' ? await run(argv, fake.io) : await runProgram(argv, fake.io, 'test');
      const written = argv.includes('--output') ? readFileSync(report, 'utf8') : undefined;
      results.push({ code, stdout: fake.stdout(), stderr: fake.stderr(), written });
    }
    return { fast: results[0]!, full: results[1]! };
  }

  it.each([
    [['assess', '--answers', taskApi, '--format', 'json']],
    [['assess', '-a', taskApiJson, '-f', 'json', '--no-what-if']],
    [['assess', `--answers=${join(EXAMPLES, 'support-bot.yaml')}`]],
    [['assess', '--answers', join(EXAMPLES, 'socratic-tutor.yaml'), '--format', 'markdown']],
    [['assess', '--answers', taskApi, '--expect', 'prompt']],
    [['assess', '--answers', taskApi, '--expect=hybrid', '--no-color', '--format', 'json']],
    [['assess', '--answers', taskApi, '--format', 'markdown', '--output', report]],
  ])('%j: the fast path takes it, with the same exit code and output', async (argv) => {
    const probe = fakeIO(undefined, {}, dir);
    expect(await tryFastAssess(argv, probe.io)).not.toBeUndefined();
    const { fast, full } = await both(argv);
    expect(fast).toEqual(full);
    expect(fast.stdout.length + (fast.written?.length ?? 0)).toBeGreaterThan(100);
  });

  const task = () => YAML.parse(readFileSync(taskApi, 'utf8'));
  const lines = () => [JSON.stringify(task()), 'not json', JSON.stringify({ ...task(), needs: ['stlye'] }), JSON.stringify({ ...task(), useCase: { name: 'second' } })].join('\n');
  // Standard input and JSON Lines go to the batch command on both paths; on the fast one
  // it loads the full validation only for the first invalid document.
  it.each([
    ['JSON Lines with bad lines', ['assess', '--answers', '-', '--format', 'jsonl'], lines(), 2],
    ['JSON Lines, a gate', ['assess', '--answers', '-', '--format', 'jsonl', '--expect', 'rag', '--no-what-if'], [JSON.stringify(task()), JSON.stringify(task())].join('\n'), 1],
    ['one YAML document', ['assess', '--answers', '-', '--format', 'json'], readFileSync(taskApi, 'utf8'), 0],
    ['one invalid document', ['assess', '--answers', '-'], readFileSync(taskApi, 'utf8').replace('brandVoice:', 'brandVoise:'), 2],
    ['nothing', ['assess', '--answers', '-', '--format', 'jsonl'], '', 2],
    ['a file, as a record', ['assess', '--answers', taskApi, '--format', 'jsonl'], undefined, 0],
  ])('standard input and JSON Lines (%s): the same exit code and output', async (_name, argv, input, code) => {
    const { fast, full } = await both(argv, input);
    expect(fast).toEqual(full);
    expect(fast.code).toBe(code);
    expect(fast.stdout.length + fast.stderr.length).toBeGreaterThan(20);
  });

  it.each([
    [['assess', '--answers', typo, '--format', 'json'], /indicators\.brandVoise/],
    [['assess', '--answers', join(dir, 'missing.yaml')], /no such file/],
    [['assess', '--answers', dir], /is a directory/],
  ])('%j: declined without writing anything, and the full program reports it', async (argv, message) => {
    const probe = fakeIO(undefined, {}, dir);
    expect(await tryFastAssess(argv, probe.io)).toBeUndefined();
    expect(probe.stdout() + probe.stderr()).toBe('');
    const { fast, full } = await both(argv);
    expect(fast).toEqual(full);
    expect(fast.code).toBe(2);
    expect(fast.stderr).toMatch(message);
  });
});

// `--answers <(jq ...)`, /dev/stdin and named pipes can be read once. The fast path declines
// invalid answers and the full program reads the file again, so those must not start on
// the fast path: the second read found nothing ("the file is empty"), and a FIFO whose
// writer had gone kept the second open waiting forever. The real binary, with a deadline.
describe('answers that can be read only once', () => {
  beforeAll(ensureBuilt, 120_000);
  const valid = readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8');

  /** The binary with `--answers /dev/stdin` fed through a real pipe, as a shell does. */
  function throughPipe(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const { dir, cleanup } = tempDir('ft-advisor-pipe-');
    const file = join(dir, 'input');
    writeFileSync(file, input);
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', 'cat "$1" | "$2" "$3" assess --answers /dev/stdin --format json', 'sh', file, process.execPath, BIN], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        cleanup();
        resolve({ code, stdout, stderr });
      });
    });
  }

  it.skipIf(process.platform === 'win32').each([
    ['invalid answers', '{}', /version: expected 1/],
    ['a misspelt key', valid.replace('brandVoice:', 'brandVoise:'), /indicators\.brandVoise.*did you mean brandVoice/],
    ['broken YAML', 'useCase: [', /\/dev\/stdin:1:\d+/],
    ['a duplicate key', 'schemaVersion: 1\nschemaVersion: 1\n', /duplicate|unique/i],
    ['valid answers', valid, null],
  ])(
    '/dev/stdin with %s: read once, reported as such',
    async (_name, input, problem) => {
      const result = await throughPipe(input);
      expectNoStackTrace(result.stderr);
      expect(result.stderr).not.toMatch(/empty/);
      if (problem === null) {
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout).recommendation.approach).toBeTypeOf('string');
      } else {
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(problem);
      }
    },
    20_000,
  );

  it.skipIf(process.platform === 'win32')(
    'a named pipe with invalid answers: reported, not waited on forever',
    async () => {
      const { dir, cleanup } = tempDir('ft-advisor-fifo-');
      try {
        const fifo = join(dir, 'answers.yaml');
        execFileSync('mkfifo', [fifo]);
        // The writer opens the pipe once, writes and goes: a second open would wait for ever.
        const writer = spawn('sh', ['-c', 'printf "{}" > "$1"', 'sh', fifo], { stdio: 'ignore' });
        const result = await runCli(['assess', '--answers', fifo], { timeout: 15_000 });
        writer.kill();
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/version: expected 1/);
        expectNoStackTrace(result.stderr);
      } finally {
        cleanup();
      }
    },
    20_000,
  );
});
