// Nothing lost, every exit code honest, every output streamed: --output never lands on an
// input, write errors on standard output are one line and an honest exit code, large
// batches stream into --output, and options that would be ignored are usage errors.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRun } from '../../src/cli/io';
import { run } from '../../src/cli/main';
import { fakeIO } from '../support/fake-io';
import { BIN, ensureBuilt, EXAMPLES, expectNoStackTrace, ROOT, shellEnv, tempDir } from './helpers';

const requireCjs = createRequire(import.meta.url);
const bin = requireCjs(BIN) as {
  guardStream: (stream: Writable, how: { name: string; exit: (code: number) => void; stderr: { write: (s: string) => unknown } }) => Writable;
  invocation: (env: Record<string, string | undefined>, scriptPath: string | undefined) => string;
};

let tmp: ReturnType<typeof tempDir>;
const at = (...p: string[]) => join(tmp.dir, ...p);
const task = () => parse(readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8'));
const TASK = readFileSync(join(EXAMPLES, 'task-api.yaml'), 'utf8');

beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir('ft-advisor-nothing-lost-');
});
afterAll(() => tmp.cleanup());

/** Runs the CLI in-process in `cwd`. */
async function cli(argv: string[], options: { cwd?: string; input?: string; command?: string } = {}) {
  const fake = fakeIO(options.input, {}, options.cwd ?? tmp.dir);
  if (options.command) fake.io.command = options.command;
  const code = await run(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** The built binary through a shell, e.g. with a pipe or a closed descriptor. */
function shell(script: string, cwd = tmp.dir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env: { ...shellEnv(), BIN, NODE: process.execPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('--output never replaces an input', () => {
  it.each([
    ['the answers file itself', (d: string) => ({ args: ['assess', '--answers', 'a.yaml', '--output', 'a.yaml'], input: join(d, 'a.yaml') })],
    ['the answers file, --format json (the fast path)', (d: string) => ({ args: ['assess', '--answers', 'a.yaml', '--format', 'json', '--output', 'a.yaml'], input: join(d, 'a.yaml') })],
    [
      'the answers file through a symbolic link',
      (d: string) => {
        symlinkSync(join(d, 'a.yaml'), join(d, 'link.yaml'));
        return { args: ['assess', '--answers', 'a.yaml', '--format', 'json', '--output', 'link.yaml'], input: join(d, 'a.yaml') };
      },
    ],
    [
      'the answers file through a hard link',
      (d: string) => {
        linkSync(join(d, 'a.yaml'), join(d, 'hard.yaml'));
        return { args: ['assess', '--answers', 'hard.yaml', '--format', 'json', '--output', './a.yaml'], input: join(d, 'a.yaml') };
      },
    ],
    [
      'a file of a folder being assessed',
      (d: string) => {
        mkdirSync(join(d, 'folder'));
        copyFileSync(join(d, 'a.yaml'), join(d, 'folder', 'b.yaml'));
        return { args: ['assess', 'folder', 'a.yaml', '--format', 'json', '--output', 'folder/b.yaml'], input: join(d, 'folder', 'b.yaml') };
      },
    ],
    ['one of several files', (d: string) => ({ args: ['assess', 'a.yaml', join(EXAMPLES, 'support-bot.yaml'), '--format', 'jsonl', '--output', 'a.yaml'], input: join(d, 'a.yaml') })],
    [
      'the rule set',
      (d: string) => {
        writeFileSync(join(d, 'rules.yaml'), 'extends: default\nname: mine\nversion: 1\n');
        return { args: ['assess', '--answers', 'a.yaml', '--rules', 'rules.yaml', '--output', 'rules.yaml'], input: join(d, 'rules.yaml') };
      },
    ],
  ])('%s: exit 2, the input untouched', async (_name, setup) => {
    const d = at(`onto-${Math.random().toString(36).slice(2)}`);
    mkdirSync(d);
    writeFileSync(join(d, 'a.yaml'), TASK);
    const { args, input } = setup(d);
    const before = readFileSync(input, 'utf8');
    const r = await cli(args, { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is also an input|is inside .*a folder being assessed/);
    expect(r.stdout).toBe('');
    expect(readFileSync(input, 'utf8')).toBe(before);
    expectNoStackTrace(r.stderr);
  });

  it('a new report inside a folder being assessed is refused: the next run would read it as answers', async () => {
    const d = at('folder-new');
    mkdirSync(d);
    writeFileSync(join(d, 'a.yaml'), TASK);
    const r = await cli(['assess', '.', '--format', 'json', '--output', 'report.json'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.json: is inside \., a folder being assessed/);
    expect(readdirSync(d)).toEqual(['a.yaml']);
  });

  it('an output elsewhere is written as before', async () => {
    const d = at('elsewhere');
    mkdirSync(d);
    writeFileSync(join(d, 'a.yaml'), TASK);
    const r = await cli(['assess', '--answers', 'a.yaml', '--format', 'json', '--output', 'report.json'], { cwd: d });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')).recommendation.approach).toBe('hybrid');
  });
});

describe('options that would be ignored are usage errors', () => {
  it.each([
    [['assess', '--answers', join(EXAMPLES, 'task-api.yaml'), '--output', ''], /--output needs a file name/],
    [['assess', '--answers', join(EXAMPLES, 'task-api.yaml'), '--fail-on-change'], /--fail-on-change needs --baseline/],
    [['assess', '--answers', join(EXAMPLES, 'task-api.yaml'), '--save-answers', 'saved.yaml'], /--save-answers saves the answers of an interactive run/],
    [['assess', join(EXAMPLES, 'task-api.yaml'), join(EXAMPLES, 'support-bot.yaml'), '--save-answers', 'saved.yaml'], /--save-answers saves the answers of an interactive run/],
  ])('%j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(at('saved.yaml'))).toBe(false);
  });

  it('docs/ci.md lists every exit code, 70 and 130 included', () => {
    const ci = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
    for (const code of [0, 1, 2, 70, 130]) expect(ci).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});

describe('write errors on standard output', () => {
  it('a full disk (ENOSPC) is one line on standard error and exit 2, no stack', () => {
    let exitCode: number | undefined;
    let err = '';
    const stream = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })) });
    bin.guardStream(stream, { name: 'stdout', exit: (c) => (exitCode = c), stderr: { write: (s: string) => (err += s) } });
    stream.write('report');
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(exitCode).toBe(2);
        expect(err).toBe('ft-advisor: cannot write to standard output: no space left on device (ENOSPC)\n');
        resolve();
      }),
    );
  });

  it('a reader that went away (EPIPE) ends nothing: the run keeps its exit code', () => {
    let exitCode: number | undefined;
    const stream = new Writable({ write: (_c, _e, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    bin.guardStream(stream, { name: 'stdout', exit: (c) => (exitCode = c), stderr: { write: () => true } });
    stream.write('report');
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(exitCode).toBeUndefined();
        resolve();
      }),
    );
  });

  it('a failed gate stays exit 1 under `| head -c1` with pipefail', async () => {
    const d = at('pipe');
    mkdirSync(d);
    // Enough output that head has gone before the CLI stops writing.
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ ...task(), useCase: { name: `case ${i}` } }));
    writeFileSync(join(d, 'many.jsonl'), `${lines.join('\n')}\n`);
    const r = await shell('set -o pipefail; "$NODE" "$BIN" assess many.jsonl --expect prompt --format json 2>/dev/null | head -c1', d);
    expect(r.stdout).toBe('[');
    expect(r.code).toBe(1);
    const ok = await shell('set -o pipefail; "$NODE" "$BIN" assess many.jsonl --expect hybrid --format json 2>/dev/null | head -c1', d);
    expect(ok.code).toBe(0);
  }, 120_000);

  it('standard output discarded by a parent program (Node stdio ignore) is not an error', async () => {
    const r = await shell(
      `"$NODE" -e 'const r = require("node:child_process").spawnSync(process.execPath, [process.env.BIN, "--help"], { stdio: ["ignore", "ignore", "pipe"] }); process.stdout.write(r.status + ":" + r.stderr)'`,
    );
    expect(r.stdout).toBe('0:');
  }, 60_000);

  it.each([
    ['--help', '--help'],
    ['assess', `assess --answers ${join(EXAMPLES, 'task-api.yaml')} --format json`],
    ['assess (text)', `assess --answers ${join(EXAMPLES, 'task-api.yaml')}`],
    ['init', 'init'],
    ['schema', 'schema answers'],
    ['rules show', 'rules show'],
    ['--version', '--version'],
  ])(
    'standard output closed (>&-): %s is one line and exit 2',
    async (_name, args) => {
      // `; exit $?` keeps bash as the parent (a lone command would be exec'd in its place).
      const r = await shell(`"$NODE" "$BIN" ${args} >&-; exit $?`);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('ft-advisor: cannot write to standard output: it is closed; nothing was written (redirect it to a file, or to /dev/null to discard the report)\n');
    },
    60_000,
  );
});

describe('hints as the person runs the tool', () => {
  it.each([
    [{}, '/usr/local/bin/ft-advisor', 'ft-advisor'],
    [{}, '/home/me/project/node_modules/.bin/ft-advisor', 'npx ft-advisor'],
    [{ npm_command: 'exec', npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js' }, '/home/me/.npm/_npx/1/node_modules/.bin/ft-advisor', 'npx ft-advisor'],
    [{ npm_lifecycle_event: 'decide' }, '/home/me/project/node_modules/ft-advisor/bin/ft-advisor.cjs', 'npx ft-advisor'],
  ])('env %j, script %s: %s', (env, script, expected) => {
    expect(bin.invocation(env, script)).toBe(expected);
  });

  it('rewrites suggested commands only', () => {
    const io = { command: 'npx ft-advisor' };
    expect(asRun('hint: run ft-advisor assess --answers a.yaml, or `ft-advisor init`', io)).toBe('hint: run npx ft-advisor assess --answers a.yaml, or `npx ft-advisor init`');
    expect(asRun('ft-advisor: a.yaml: no such file; see ft-advisor-report.md', io)).toBe('ft-advisor: a.yaml: no such file; see ft-advisor-report.md');
    expect(asRun('npx ft-advisor assess', io)).toBe('npx ft-advisor assess');
  });

  it('a usage error hints with npx after a local install', async () => {
    const r = await cli(['assess'], { command: 'npx ft-advisor' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint: pass an answers file: npx ft-advisor assess --answers answers\.yaml/);
    expect(r.stderr).not.toMatch(/(?<!npx )ft-advisor assess/);
  });
});

describe('answers that are something else', () => {
  it('a folder skips its JSON Schema files, and says so', async () => {
    const d = at('with-schema');
    mkdirSync(d);
    writeFileSync(join(d, 'answers.yaml'), TASK);
    const schema = await cli(['schema', 'answers']);
    writeFileSync(join(d, 'answers.schema.json'), schema.stdout);
    const r = await cli(['assess', d, '--format', 'json']);
    expect(r.stderr).toBe(`ft-advisor: skipped ${join(d, 'answers.schema.json')}: a JSON Schema, not answers\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { file: string }) => x.file)).toEqual([join(d, 'answers.yaml')]);
  });

  it('a report given as answers is named a report, in one problem', async () => {
    const report = await cli(['assess', '--answers', join(EXAMPLES, 'task-api.yaml'), '--format', 'json']);
    writeFileSync(at('report.json'), report.stdout);
    for (const argv of [
      ['assess', '--answers', 'report.json'],
      ['assess', 'report.json', join(EXAMPLES, 'task-api.yaml'), '--format', 'json'],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/report\.json: this is a report, not answers/);
      expect(r.stderr).not.toMatch(/problems/);
    }
  });
});

describe('JSON Lines', () => {
  it.each([
    ['[1]', /<stdin>:1: expected a mapping of answers/],
    ['# the portfolio, exported 2026-12-07', /<stdin>:1: not valid JSON/],
  ])('on standard input with a bad first line (%s): that line is reported and the others run', async (first, message) => {
    const input = `${first}\n${JSON.stringify(task())}\n${JSON.stringify({ ...task(), useCase: { name: 'Second' } })}\n`;
    const r = await cli(['assess', '--answers', '-', '--format', 'jsonl'], { input });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((x) => [x.line, x.error ? 'error' : x.useCase])).toEqual([
      [1, 'error'],
      [2, 'Task API assistant'],
      [3, 'Second'],
    ]);
  });

  it('a comment above one JSON document is still one document', async () => {
    const r = await cli(['assess', '--answers', '-', '--format', 'json'], { input: `# mine\n${JSON.stringify(task())}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).useCase).toBe('Task API assistant');
  });

  it('without --format, JSON Lines in give JSON Lines out (a .jsonl file, or JSON Lines on standard input)', async () => {
    const text = `${JSON.stringify(task())}\n${JSON.stringify({ ...task(), useCase: { name: 'Second' } })}\n`;
    writeFileSync(at('two.jsonl'), text);
    for (const r of [await cli(['assess', 'two.jsonl']), await cli(['assess', '--answers', 'two.jsonl']), await cli(['assess', '--answers', '-'], { input: text })]) {
      expect(r.code).toBe(0);
      expect(
        r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l).useCase),
      ).toEqual(['Task API assistant', 'Second']);
    }
    // Answers files still default to text.
    expect((await cli(['assess', join(EXAMPLES, 'task-api.yaml'), join(EXAMPLES, 'support-bot.yaml')])).stdout).toContain('Portfolio');
  });
});

describe('--output streams a batch', () => {
  /** Feeds JSON Lines into an in-process run and watches the output grow before the input ends. */
  async function streamed(format: string, watch: () => number) {
    const d = at(`stream-${format}`);
    mkdirSync(d, { recursive: true });
    const fake = fakeIO(undefined, {}, d);
    const stdin = new PassThrough();
    fake.io.stdin = stdin;
    const done = run(['assess', '--answers', '-', '--format', format, '--output', 'out.txt', '--no-what-if'], fake.io);
    const line = (i: number) => `${JSON.stringify({ ...task(), useCase: { name: `case ${i}` } })}\n`;
    let i = 0;
    let grown = 0;
    // Write until the output has grown past 2 MiB (twice what the writer holds) while standard input is still open.
    while (i < 20_000 && grown < 2 << 20) {
      for (let n = 0; n < 50; n++) stdin.write(line(i++));
      await new Promise((r) => setTimeout(r, 5));
      grown = watch();
    }
    stdin.end(line(i++));
    const code = await done;
    return { code, d, grown, lines: i, stderr: fake.stderr() };
  }

  const tempSize = (d: string) => () =>
    readdirSync(d)
      .filter((f) => f.endsWith('.tmp'))
      .reduce((n, f) => n + statSync(join(d, f)).size, 0);

  it.each(['jsonl', 'json', 'text'])(
    '%s: the temporary file fills while the input is still coming, then becomes the output',
    async (format) => {
      const d = at(`stream-${format}`);
      mkdirSync(d, { recursive: true });
      const r = await streamed(format, tempSize(d));
      expect(r.stderr).toBe('ft-advisor: report written to out.txt\n');
      expect(r.code).toBe(0);
      expect(r.grown).toBeGreaterThanOrEqual(2 << 20);
      expect(readdirSync(d)).toEqual(['out.txt']);
      const out = readFileSync(join(d, 'out.txt'), 'utf8');
      if (format === 'json') expect(JSON.parse(out)).toHaveLength(r.lines);
      if (format === 'jsonl') expect(out.trimEnd().split('\n')).toHaveLength(r.lines);
      if (format === 'text') expect(out).toMatch(new RegExp(`${r.lines} use cases assessed: ${r.lines} hybrid\\.\\n$`));
    },
    240_000,
  );

  it('markdown: the reports wait in a spool file, never in memory, and follow the portfolio table', async () => {
    const spools = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`ft-advisor-${process.pid}-`));
    const spoolSize = () => spools().reduce((n, f) => n + statSync(join(tmpdir(), f)).size, 0);
    const r = await streamed('markdown', spoolSize);
    expect(r.code).toBe(0);
    expect(r.grown).toBeGreaterThanOrEqual(2 << 20);
    expect(spools()).toEqual([]);
    const out = readFileSync(join(r.d, 'out.txt'), 'utf8');
    expect(out.startsWith(`# ft-advisor portfolio\n\n${r.lines} use cases assessed`)).toBe(true);
    expect(out.split('\n---\n\n_Input: ').length - 1).toBe(r.lines);
  }, 240_000);

  it('a batch that fails removes its temporary file and leaves the target as it was', async () => {
    const d = at('fails');
    mkdirSync(d);
    writeFileSync(join(d, 'out.json'), 'before');
    // --baseline is read after the output is opened; a bad one fails the run.
    writeFileSync(join(d, 'bad-baseline.json'), '{}');
    const r = await cli(['assess', join(EXAMPLES, 'task-api.yaml'), join(EXAMPLES, 'support-bot.yaml'), '--format', 'json', '--output', 'out.json', '--baseline', 'bad-baseline.json'], { cwd: d });
    expect(r.code).toBe(2);
    expect(readdirSync(d).sort()).toEqual(['bad-baseline.json', 'out.json']);
    expect(readFileSync(join(d, 'out.json'), 'utf8')).toBe('before');
  });
});

describe('terminal escapes from files never reach the output', () => {
  const ESC = /[\x1b\x07\x9b]/;
  beforeAll(() => {
    writeFileSync(
      at('evil-rules.yaml'),
      [
        'extends: default',
        'name: "evil\\e]0;TITLE\\agood"',
        'version: "1\\e[31m"',
        'verdicts:',
        '  rag:',
        '    title: "Retrieval \\e]8;;http://x\\e\\\\link\\e]8;;\\e\\\\ (RAG)\\e[2J"',
        '    summary: "Use retrieval \\e[8mhidden\\e[0m: {decision.outcomeLabel} for {useCase.name}."',
        'decision:',
        '  tree:',
        '    - id: tree.indicators',
        '      question: "More than 3 indicators?\\e[5m"',
        '      when: { fact: framework.indicators, gt: 3 }',
        '',
      ].join('\n'),
    );
    const bot = parse(readFileSync(join(EXAMPLES, 'support-bot.yaml'), 'utf8'));
    writeFileSync(at('evil-answers.json'), JSON.stringify({ ...bot, useCase: { ...bot.useCase, name: 'Bot \x1b]0;T2\x07 \x1b[31mred' } }));
  });

  it.each([
    ['text', ['assess', '--answers', 'evil-answers.json', '--rules', 'evil-rules.yaml', '--expect', 'hybrid']],
    ['markdown', ['assess', '--answers', 'evil-answers.json', '--rules', 'evil-rules.yaml', '--format', 'markdown']],
    ['a text batch', ['assess', 'evil-answers.json', join(EXAMPLES, 'task-api.yaml'), '--rules', 'evil-rules.yaml', '--expect', 'hybrid']],
    ['a markdown batch', ['assess', 'evil-answers.json', join(EXAMPLES, 'task-api.yaml'), '--rules', 'evil-rules.yaml', '--format', 'markdown']],
    ['rules show', ['rules', 'show', '--rules', 'evil-rules.yaml']],
  ])('%s', async (_name, argv) => {
    const r = await cli(argv);
    expect(r.stdout).toMatch(/Retrieval|evil/);
    expect(r.stdout).not.toMatch(ESC);
    expect(r.stderr).not.toMatch(ESC);
  });
});
