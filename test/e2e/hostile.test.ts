// Files written to break the tool: each gets exit 2, a clear message, no stack trace,
// and quickly. User text never acts on the terminal or the report. The built CLI runs
// in-process, but for standard input too big to read, which the binary gets through a pipe.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { EXIT, reportFailure } from '../../src/cli/io';
import { ensureBuilt, ROOT, runBuilt, runCli } from '../support/run-cli';
import { fakeIO } from '../support/fake-io';

let dir: string;
const taskApiText = readFileSync(join(ROOT, 'examples/task-api.yaml'), 'utf8');
const taskApi = YAML.parse(taskApiText) as Record<string, any>;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ft-advisor-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

describe('hostile answers files', () => {
  const cases: [string, () => string, RegExp][] = [
    ['an answers file over the size cap is refused before parsing', () => file('huge.yaml', `# ${'x'.repeat(1024 * 1024 + 10)}\n`), /capped at 1\.0 MiB/],
    ['a YAML alias bomb', () => file('bomb.yaml', billionLaughs), /alias/i],
    ['duplicate keys', () => file('dup.yaml', taskApiText.replace('version: 1', 'version: 1\nversion: 1')), /dup\.yaml:\d+:\d+/],
    ['a __proto__ key', () => file('proto.json', JSON.stringify(taskApi).replace('"version":1', '"version":1,"__proto__":{"polluted":true}')), /__proto__/],
    ['a constructor key deep inside', () => file('ctor.yaml', taskApiText.replace('  brandVoice: true', '  brandVoice: true\n  constructor: true')), /indicators\.constructor/],
    ['a prototype key', () => file('prototype.yaml', `${taskApiText}\nprototype: {}\n`), /prototype/],
    ['.inf', () => file('inf.yaml', taskApiText.replace('examples: 10000', 'examples: .inf')), /data\.examples/],
    ['.nan', () => file('nan.yaml', taskApiText.replace('examples: 10000', 'examples: .nan')), /data\.examples/],
    ['1e999 in JSON', () => file('big.json', JSON.stringify(taskApi).replace('"examples":10000', '"examples":1e999')), /data\.examples/],
    ['an absurdly long name', () => file('long.yaml', taskApiText.replace('name: Task API assistant', `name: ${'n'.repeat(5000)}`)), /useCase\.name: is too long: at most 200 characters/],
    ['a YAML timestamp tag', () => file('date.yaml', taskApiText.replace('name: Task API assistant', 'name: !!timestamp 2001-12-14')), /tag|timestamp/i],
  ];
  it.each(cases)('%s', async (_name, make, pattern) => {
    const started = Date.now();
    const r = await runBuilt(['assess', '--answers', make(), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    // A guard against hangs (alias bombs, runaway parsing), generous for a busy machine.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('refuses oversized stdin without reading it all', async () => {
    const r = await runCli(['assess', '--answers', '-'], { input: 'x'.repeat(2 * 1024 * 1024) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is over 1\.0 MiB/);
  });

  it('refuses an oversized rule set before parsing', async () => {
    const rules = file('huge-rules.yaml', `# ${'x'.repeat(2 * 1024 * 1024 + 10)}\n`);
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--rules', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge-rules\.yaml: is 2\.0 MiB; rule set files are capped at 2\.0 MiB/);
  });

  it('refuses an alias bomb in a rule set', async () => {
    const rules = file('bomb-rules.yaml', billionLaughs);
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--rules', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alias/i);
  });
});

describe('user text never acts on the terminal or the report', () => {
  const evil = 'Evil\u001b]0;pwned\u0007 \u001b[2J<script>alert(1)</script> | *bold* [x](javascript:alert(1))';
  let answersFile: string;
  beforeAll(() => {
    const a = structuredClone(taskApi);
    a.useCase.name = 'Evil <img src=x onerror=alert(1)> | name';
    a.useCase.description = evil;
    answersFile = file('evil.yaml', YAML.stringify(a));
  });

  it('strips escape and control sequences from user text in terminal output', async () => {
    const r = await runBuilt(['assess', '--answers', answersFile], { env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b]0;');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).not.toContain('\u001b[2J');
    // The whole OSC sequence, payload included, is gone; the visible text stays.
    expect(r.stdout).not.toContain('pwned');
    expect(r.stdout).toContain('<script>alert(1)</script>');
  });

  it('escapes markdown and HTML in the report', async () => {
    const r = await runBuilt(['assess', '--answers', answersFile, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<script>');
    expect(r.stdout).not.toContain('<img');
    expect(r.stdout).toContain('&lt;script&gt;');
    // Escaped brackets: GitHub renders the text, not a link.
    expect(r.stdout).toContain('\\[x\\](javascript:');
    expect(r.stdout).not.toMatch(/[^\\]\[x\]\(javascript:/);
    const title = r.stdout.split('\n')[0]!;
    expect(title).toContain('\\|');
  });
});

describe('errors the program did not expect', () => {
  it('print how to report them, exit 70, and no stack trace without --debug', async () => {
    const { io, stderr } = fakeIO();
    const code = reportFailure(new TypeError('boom'), io, false);
    expect(code).toBe(EXIT.internal);
    expect(stderr()).toMatch(/internal error: boom/);
    expect(stderr()).toMatch(/report it at/);
    expect(stderr()).not.toMatch(/\n\s+at /);
  });

  it('show the stack with --debug', async () => {
    const { io, stderr } = fakeIO();
    reportFailure(new TypeError('boom'), io, true);
    expect(stderr()).toMatch(/\n\s+at /);
  });
});
