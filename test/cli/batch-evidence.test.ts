// Evidence files in batches: each use case's `evidence:` and `data: { file }`, and
// --evidence for every use case, in folders, several files, JSON Lines and standard input.
// In-process through run() (the same path as the binary), and once through the binary
// with a worker thread, which loads the evidence readers as a bundle of their own.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main';
import { fakeIO } from '../support/fake-io';
import { ensureBuilt, ROOT, runCli } from '../support/run-cli';

const RESULTS = join(ROOT, 'examples/evidence/promptfoo-results.json');
const NEUTRAL = join(ROOT, 'examples/evidence/evals.yaml');
const CHAT = join(ROOT, 'examples/data/chat.jsonl');
let dir: string;

/** Answers that leave out what the eval results settle (as test/cli/evidence.test.ts). */
const base = (name: string, extra: Record<string, unknown> = {}) => ({
  version: 1,
  useCase: { name },
  needs: ['style', 'behavior'],
  ceiling: { retrievalOptimized: true, fewShot: true, structuredPrompt: true },
  indicators: { consistentBehavior: true, domainKnowledge: false, brandVoice: true, costOptimization: false, latency: false, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false },
  data: { examples: 2400 },
  ...extra,
});

function write(name: string, doc: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof doc === 'string' ? doc : name.endsWith('.jsonl') ? (doc as unknown[]).map((d) => JSON.stringify(d)).join('\n') + '\n' : stringify(doc));
  return name;
}

async function cli(argv: string[], stdin?: string) {
  const f = fakeIO(stdin, {}, dir);
  const code = await run(argv, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

/** Answers with nothing left for evidence to settle. */
const complete = (name: string, extra: Record<string, unknown> = {}) =>
  base(name, {
    ceiling: { ...base(name).ceiling, promptVariations: true, multipleModels: true },
    antiIndicators: { ...base(name).antiIndicators, promptsWorking: false },
    ...extra,
  });

type Entry = { file: string; line?: number; evidence?: { filled: { path: string; value: unknown; file: string }[]; contradictions: { path: string }[] }; error?: { problems: { message: string }[] } };
const filled = (e: Entry) => e.evidence?.filled.map((f) => `${f.path}=${String(f.value)}@${f.file}`) ?? [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ft-batch-evidence-'));
  mkdirSync(join(dir, 'evals'));
  copyFileSync(RESULTS, join(dir, 'evals/results.json'));
  copyFileSync(NEUTRAL, join(dir, 'evals/evals.yaml'));
  mkdirSync(join(dir, 'train'));
  copyFileSync(CHAT, join(dir, 'train/chat.jsonl'));
});

describe('a folder of answers files, each naming its own evidence', () => {
  it("reads each use case's files relative to its answers file, and assesses the others as usual", async () => {
    write('cases/a.yaml', base('A', { evidence: ['../evals/results.json'] }));
    write('cases/b.yaml', base('B', { evidence: ['../evals/evals.yaml'] }));
    write('cases/c.yaml', complete('C'));
    const r = await cli(['assess', 'cases', '--format', 'json', '--no-what-if']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [a, b, c] = JSON.parse(r.stdout) as Entry[];
    expect(filled(a!)).toEqual(['ceiling.promptVariations=true@evals/results.json', 'ceiling.multipleModels=true@evals/results.json', 'antiIndicators.promptsWorking=true@evals/results.json']);
    expect(filled(b!)).toContain('ceiling.multipleModels=true@evals/evals.yaml');
    expect(c!.evidence).toBeUndefined();
  });

  it('text reports get the evidence section, and the portfolio lists every use case', async () => {
    const r = await cli(['assess', 'cases', '--no-what-if']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Evidence$/gm)).toHaveLength(2);
    expect(r.stdout).toMatch(/cases\/a\.yaml[^\n]+\n[^\n]*cases\/b\.yaml[^\n]+\n[^\n]*cases\/c\.yaml/);
  });
});

describe('--evidence with a batch', () => {
  it('applies to every use case, after the files each one names', async () => {
    write('two/a.yaml', base('A', { evidence: ['../evals/evals.yaml'] }));
    write('two/b.yaml', base('B'));
    const r = await cli(['assess', 'two/a.yaml', 'two/b.yaml', '--evidence', 'evals/results.json', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(0);
    const [a, b] = JSON.parse(r.stdout) as Entry[];
    // The first file that settles an answer fills it: a's own file, then the shared one.
    expect(filled(a!)[0]).toMatch(/@evals\/evals\.yaml$/);
    expect(filled(b!)).toEqual(['ceiling.promptVariations=true@evals/results.json', 'ceiling.multipleModels=true@evals/results.json', 'antiIndicators.promptsWorking=true@evals/results.json']);
  });

  it('--strict-evidence fails the gate (exit 1) for the use cases whose evidence contradicts an answer, named by file', async () => {
    write('strict/agrees.yaml', base('Agrees'));
    write('strict/disagrees.yaml', base('Disagrees', { ceiling: { ...base('x').ceiling, multipleModels: false } }));
    const r = await cli(['assess', 'strict', '--evidence', 'evals/results.json', '--strict-evidence', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ft-advisor: strict\/disagrees\.yaml: --strict-evidence: 1 explicit answer is contradicted by evidence:$/m);
    expect(r.stderr).not.toMatch(/strict\/agrees\.yaml/);
    const entries = JSON.parse(r.stdout) as Entry[];
    expect(entries.map((e) => e.evidence!.contradictions.map((c) => c.path))).toEqual([[], ['ceiling.multipleModels']]);
  });

  it('without --strict-evidence the same contradiction is a warning and exit 0', async () => {
    const r = await cli(['assess', 'strict', '--evidence', 'evals/results.json', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('JSON Lines', () => {
  it('each line names its evidence relative to the JSON Lines file; records carry the evidence and the filled answers', async () => {
    write('lines/cases.jsonl', [base('L1', { evidence: ['../evals/results.json'] }), complete('L2')]);
    const r = await cli(['assess', 'lines/cases.jsonl', '--no-what-if']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [one, two] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry & { answers: Record<string, Record<string, unknown>> });
    expect(one!.line).toBe(1);
    expect(filled(one!)).toContain('ceiling.multipleModels=true@evals/results.json');
    expect(one!.answers.ceiling!.multipleModels).toBe(true);
    expect(one!.answers).not.toHaveProperty('evidence');
    expect(two!.evidence).toBeUndefined();
    // A record keeps what the evidence settled, not the eval's table nor the citations.
    const record = one!.evidence as unknown as { files: Record<string, unknown>[]; filled: Record<string, unknown>[] };
    expect(record.files).toEqual([{ file: 'evals/results.json', kind: 'promptfoo results (version 3)' }]);
    expect(record.filled[0]).not.toHaveProperty('source');
  });

  it('a missing evidence file fails that line only, named by line and file (exit 2)', async () => {
    write('lines/missing.jsonl', [complete('ok'), base('gone', { evidence: ['../evals/nope.json'] }), complete('ok too')]);
    const r = await cli(['assess', 'lines/missing.jsonl', '--no-what-if']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ft-advisor: lines\/missing\.jsonl:2: in evals\/nope\.json: no such file; expected eval results/m);
    expect(r.stderr).toMatch(/1 of 3 inputs could not be assessed/);
    const entries = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry & { recommendation?: unknown });
    expect(entries.map((e) => [e.line, Boolean(e.recommendation), Boolean(e.error)])).toEqual([
      [1, true, false],
      [2, false, true],
      [3, true, false],
    ]);
  });

  it('on standard input, paths are relative to the working folder, and --evidence applies to every line', async () => {
    const input = [base('S1', { evidence: ['evals/evals.yaml'] }), base('S2')].map((d) => JSON.stringify(d)).join('\n') + '\n';
    const r = await cli(['assess', '--answers', '-', '--format', 'jsonl', '--evidence', 'evals/results.json', '--no-what-if'], input);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [one, two] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry);
    expect(one!.evidence!.filled.length).toBeGreaterThan(0);
    expect(filled(two!)).toEqual(['ceiling.promptVariations=true@evals/results.json', 'ceiling.multipleModels=true@evals/results.json', 'antiIndicators.promptsWorking=true@evals/results.json']);
  });

  it('one document on standard input with --evidence is one report, as with --answers <file>', async () => {
    const r = await cli(['assess', '--answers', '-', '--evidence', 'evals/results.json', '--format', 'json', '--no-what-if'], JSON.stringify(base('One')));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Entry & { recommendation: unknown };
    expect(Array.isArray(report)).toBe(false);
    expect(report.evidence!.filled.length).toBe(3);
  });
});

describe('training files in a batch', () => {
  it('`data: { file }` in each answers file is read and fills the data answers', async () => {
    const { data: _d, ...noData } = complete('T');
    write('train-cases/a.yaml', { ...noData, useCase: { name: 'T1' }, data: { file: '../train/chat.jsonl' } });
    write('train-cases/b.yaml', { ...noData, useCase: { name: 'T2' }, data: { file: '../train/chat.jsonl' } });
    const r = await cli(['assess', 'train-cases', '--format', 'json', '--no-what-if']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as Entry[];
    for (const e of entries) expect(e.evidence!.filled.map((f) => f.path)).toContain('data.examples');
  });

  it("a holdout without its training file is that use case's problem, with its dot path", async () => {
    const { data: _d, ...noData } = base('H');
    write('holdout-cases/a.yaml', { ...noData, data: { holdout: '../train/chat.jsonl' } });
    write('holdout-cases/b.yaml', complete('fine'));
    const r = await cli(['assess', 'holdout-cases', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holdout-cases\/a\.yaml: data: a holdout file needs the training file it was held out from/);
  });

  it("--data with a batch is a usage error that says how to name each use case's file", async () => {
    const r = await cli(['assess', 'cases', '--data', 'train/chat.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/data: \{ file: train\.jsonl \}/);
  });
});

describe('the evidence cache', () => {
  it('reads a file the use cases share once: the same measurements and training report come back', async () => {
    const { evidenceCache, withFileEvidence } = await import('../../src/cli/commands/data-evidence');
    const { loadDefaultRules } = await import('../../src/rules/load');
    const rules = await loadDefaultRules();
    const cache = evidenceCache();
    const io = fakeIO(undefined, {}, dir).io;
    const { data: _d, ...noData } = base('cached');
    const doc = { ...noData, evidence: ['evals/results.json'], data: { file: 'train/chat.jsonl' } };
    const first = await withFileEvidence(doc, 'x.yaml', rules, {}, io, cache);
    const second = await withFileEvidence({ ...doc, useCase: { name: 'again' } }, 'y.yaml', rules, {}, io, cache);
    expect([cache.eval.size, cache.data.size]).toEqual([1, 1]);
    expect(second.report).toBe(first.report);
    expect(second.evidence!.files[0]!.eval).toBe(first.evidence!.files[0]!.eval);
    expect(second.answers.useCase).toEqual({ name: 'again' });
  });
});

describe('the built binary', () => {
  it('a worker thread reads evidence too, once per file, and the results are the same as on one thread', async () => {
    await ensureBuilt();
    const lines = Array.from({ length: 40 }, (_, i) => (i % 2 ? complete(`W${i}`) : base(`W${i}`, { evidence: ['../evals/results.json'] })));
    write('workers/many.jsonl', lines);
    const args = ['assess', 'workers/many.jsonl', '--no-what-if', '--evidence', 'evals/evals.yaml'];
    const one = await runCli(args, { cwd: dir, env: { FT_ADVISOR_WORKERS: '0' } });
    const threaded = await runCli(args, { cwd: dir, env: { FT_ADVISOR_WORKERS: '1' } });
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(threaded.code).toBe(0);
    expect(threaded.stdout).toBe(one.stdout);
    const records = one.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry);
    expect(records).toHaveLength(40);
    expect(records.every((r) => r.evidence !== undefined)).toBe(true);
    expect(readFileSync(join(dir, 'workers/many.jsonl'), 'utf8')).toContain('"evidence":["../evals/results.json"]');
  });
});

describe('--output is never a file the evidence is read from', () => {
  const results = () => readFileSync(join(dir, 'evals/results.json'), 'utf8');

  it.each([
    ['one answers file naming it under evidence:', (out: string) => ['assess', '--answers', write('guard/one.yaml', base('One', { evidence: [`../${out}`] })), '--output', out]],
    ['a batch whose use case names it', (out: string) => ['assess', write('guard/a.yaml', base('A', { evidence: [`../${out}`] })), write('guard/b.yaml', complete('B')), '--output', out]],
    ['a batch given it with --evidence', (out: string) => ['assess', write('guard/c.yaml', complete('C')), write('guard/d.yaml', complete('D')), '--evidence', out, '--output', out]],
    ['JSON Lines naming it through a symbolic link', (out: string) => ['assess', write('guard/l.jsonl', [base('L', { evidence: ['../evals/link.json'] }), complete('M')]), '--output', out]],
  ])('%s: exit 2, the file untouched', async (_name, argv) => {
    const before = results();
    try {
      symlinkSync('results.json', join(dir, 'evals/link.json'));
    } catch {
      // made by an earlier case
    }
    const r = await cli(argv('evals/results.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/writing the report there would destroy it/);
    expect(r.stderr).toMatch(/nothing was written/);
    expect(results()).toBe(before);
  });
});

describe('a Markdown batch that fails', () => {
  it('leaves no spooled reports behind in the temporary folder', async () => {
    const spooled = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`ft-advisor-${process.pid}-`) && f.endsWith('.md'));
    const before = spooled();
    const r = await cli([
      'assess',
      write('spool/a.yaml', complete('A')),
      write('spool/b.yaml', base('B', { evidence: ['../evals/results.json'] })),
      '--format',
      'markdown',
      '--output',
      'evals/results.json',
    ]);
    expect(r.code).toBe(2);
    expect(spooled()).toEqual(before);
  });
});

describe('data inspect --output', () => {
  it.each([
    ['the training file', ['train/chat.jsonl']],
    ['its holdout', ['train/copy.jsonl', '--holdout', 'train/chat.jsonl']],
  ])('onto %s: exit 2, the file untouched', async (_name, args) => {
    copyFileSync(join(dir, 'train/chat.jsonl'), join(dir, 'train/copy.jsonl'));
    const before = readFileSync(join(dir, 'train/chat.jsonl'), 'utf8');
    const r = await cli(['data', 'inspect', ...args, '--output', 'train/chat.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/train\/chat\.jsonl: is also an input/);
    expect(readFileSync(join(dir, 'train/chat.jsonl'), 'utf8')).toBe(before);
  });

  it('an empty --output is a usage error', async () => {
    const r = await cli(['data', 'inspect', 'train/chat.jsonl', '--output', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--output needs a file name/);
  });
});

describe('--save-answers', () => {
  it('never replaces an evidence file given on the command line: refused before the first question', async () => {
    const before = readFileSync(join(dir, 'evals/results.json'), 'utf8');
    const f = fakeIO(undefined, {}, dir);
    f.io.stdin.isTTY = true;
    const code = await run(['assess', '--evidence', 'evals/results.json', '--save-answers', 'evals/results.json'], f.io);
    expect(code).toBe(2);
    expect(f.stderr()).toMatch(
      /evals\/results\.json: is also an input \(evals\/results\.json\); saving the answers there would destroy it \(nothing was written; choose another --save-answers path\)/,
    );
    expect(f.stdout()).toBe('');
    expect(readFileSync(join(dir, 'evals/results.json'), 'utf8')).toBe(before);
  });
});

describe('the project config is an input too', () => {
  it.each([
    ['--output, one answers file', ['assess', '--answers', 'cfg/a.yaml', '--output', 'cfg/.ft-advisor.yaml']],
    ['--output, a batch', ['assess', 'cfg/a.yaml', 'cfg/a.yaml', '--output', 'cfg/.ft-advisor.yaml']],
  ])('%s onto the .ft-advisor.yaml that supplied the defaults: exit 2, the config untouched', async (_name, argv) => {
    write('cfg/a.yaml', complete('Configured'));
    const config = 'assess:\n  format: json\n';
    writeFileSync(join(dir, 'cfg/.ft-advisor.yaml'), config);
    const f = fakeIO(undefined, {}, join(dir, 'cfg'));
    const code = await run(
      argv.map((a) => a.replace(/^cfg\//, '')),
      f.io,
    );
    expect(code).toBe(2);
    expect(f.stderr()).toMatch(/\.ft-advisor\.yaml: is also an input/);
    expect(readFileSync(join(dir, 'cfg/.ft-advisor.yaml'), 'utf8')).toBe(config);
  });
});
