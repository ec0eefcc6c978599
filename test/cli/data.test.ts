import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main';
import { fakeIO } from '../support/fake-io';
import { ensureBuilt, expectNoStackTrace, ROOT, runCli, tempDir, type CliResult } from './helpers';

/** In-process, as the binary runs it: most cases need no process of their own. */
async function cli(args: string[]): Promise<CliResult> {
  const fake = fakeIO(undefined, {}, ROOT);
  const code = await run(args, fake.io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

const CHAT = 'examples/data/chat.jsonl';
const HOLDOUT = 'examples/data/chat-holdout.jsonl';
const tmp = tempDir('ft-advisor-data-cli-');
beforeAll(ensureBuilt, 120_000);
afterAll(() => tmp.cleanup());

describe('ft-advisor data inspect', () => {
  it('prints the text report, plain when piped, with no progress on a non-terminal stderr', async () => {
    const r = await runCli(['data', 'inspect', CHAT, '--holdout', HOLDOUT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toContain('Problems    4 lines');
    expect(r.stdout).toContain('leakage: 1 training example also in the holdout: line 4 = holdout line 3');
    expect(r.stdout).toMatch(/Tokens {6}p50 40, p95 104, max 104; none over the context limit of 8,192; tokens: characters \/ 4 \(an estimate; no tokenizer\)$/m);
    expect(r.stdout).not.toMatch(/jane\.doe|4111 1111|sk-proj/);
  });

  it('--format json carries the findings and the facts', async () => {
    const r = await cli(['data', 'inspect', CHAT, '--holdout', HOLDOUT, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.findings.problems.lines).toBe(4);
    expect(report.holdout.examples).toBe(5);
    expect(report.facts['trainingData.examples']).toBe(13);
  });

  it('--format markdown and --output', async () => {
    const out = join(tmp.dir, 'data.md');
    const r = await cli(['data', 'inspect', CHAT, '--format', 'markdown', '--output', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^## Training data: examples\/data\/chat\.jsonl/);
    expect(md).toContain('| card numbers (Luhn-valid) | 1 | line 12 |');
  });

  it.each([
    [['--context-limit', '30'], 0, /14 examples over the context limit of 30: lines 1, 2, 3, 4, 5, 10, 11/],
    [['--context-limit', 'lots'], 2, /--context-limit expects a whole number of tokens, got "lots"/],
    [['--context-limit', '0'], 2, /--context-limit expects a whole number/],
  ])('--context-limit %j: exit %d', async (args, code, pattern) => {
    const r = await cli(['data', 'inspect', CHAT, ...args]);
    expect(r.code).toBe(code);
    expect(code === 0 ? r.stdout : r.stderr).toMatch(pattern);
  });

  it.each([
    ['a directory', () => (mkdirSync(join(tmp.dir, 'dir.jsonl'), { recursive: true }), join(tmp.dir, 'dir.jsonl')), /is a directory/],
    ['an empty file', () => (writeFileSync(join(tmp.dir, 'empty.jsonl'), ''), join(tmp.dir, 'empty.jsonl')), /is empty/],
    ['a missing file', () => join(tmp.dir, 'nope.jsonl'), /no such file/],
    ['a UTF-16 file', () => (writeFileSync(join(tmp.dir, 'u16.jsonl'), Buffer.from('\ufeff{"text": "a"}\n', 'utf16le')), join(tmp.dir, 'u16.jsonl')), /UTF-16/],
  ])('%s: exit 2 with a message, no stack trace', async (_name, make, pattern) => {
    const r = await cli(['data', 'inspect', make()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expectNoStackTrace(r.stderr);
  });
});

describe('a line over the cap', () => {
  it('data inspect prints the report on the rest, then exits 2 naming the line', { timeout: 60_000 }, async () => {
    const file = join(tmp.dir, 'huge-line.jsonl');
    const chat = readFileSync(CHAT, 'utf8').split('\n')[0]!;
    writeFileSync(file, `${chat}\n{"text": "${'a'.repeat(17 * 1024 * 1024)}"}\n${chat.replace('create', 'delete')}\n`);
    const r = await cli(['data', 'inspect', file, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).findings.formats.chat).toBe(2);
    expect(r.stderr).toContain('huge-line.jsonl: 1 line over the 16.0 MiB cap could not be read (line 2); the rest of the file was inspected');
    const assess = await cli(['assess', '--answers', 'examples/data/answers.yaml', '--data', file, '--format', 'json', '--no-what-if']);
    expect(assess.code).toBe(2);
    expect(JSON.parse(assess.stdout).evidence.filled[0]).toMatchObject({ path: 'data.examples', value: 2 });
  });
});

describe('assess with training data', () => {
  it('data: { file, holdout } in the answers file fills the data answers, traced to the file, with the quality warning', async () => {
    const r = await cli(['assess', '--answers', 'examples/data/answers.yaml', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.evidence.files).toEqual([{ file: 'examples/data/chat.jsonl', holdout: 'examples/data/chat-holdout.jsonl', kind: 'training data (chat JSONL)' }]);
    expect(report.evidence.filled.map((f: { path: string; value: unknown }) => [f.path, f.value])).toEqual([
      ['data.examples', 13],
      ['dataChecklist.noPii', false],
      ['dataChecklist.heldOutTestSet', false],
    ]);
    expect(report.trace.filter((t: { kind: string }) => t.kind === 'evidence').map((t: { rule: string }) => t.rule)).toEqual([
      'evidence.data.examples',
      'evidence.dataChecklist.noPii',
      'evidence.dataChecklist.heldOutTestSet',
    ]);
    expect(report.warnings.some((w: string) => w.startsWith('examples/data/chat.jsonl: 11.1% of the examples are duplicates (threshold 5%)'))).toBe(true);
    expect(report.answers.data).toEqual({ examples: 13 });
  });

  it('the text report lists the answers the training data gave', async () => {
    const r = await cli(['assess', '--answers', 'examples/data/answers.yaml', '--no-what-if']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('From the training data\n  data.examples = 13 (filled in)\n    examples/data/chat.jsonl: 13 usable examples');
  });

  it('--data checks an explicit answer: a warning, and exit 1 with --strict-evidence', async () => {
    const plain = await cli(['assess', '--answers', 'examples/task-api.yaml', '--data', CHAT, '--format', 'json', '--no-what-if']);
    expect(plain.code).toBe(0);
    const report = JSON.parse(plain.stdout);
    expect(report.warnings).toContain(
      'data.examples is answered 10000, but examples/data/chat.jsonl says 13: 13 usable examples: lines without problems, each duplicate counted once. The explicit answer was used.',
    );
    expect(report.answers.data.examples).toBe(10000);
    const strict = await cli(['assess', '--answers', 'examples/task-api.yaml', '--data', CHAT, '--strict-evidence', '--format', 'json', '--no-what-if']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).recommendation.approach).toBe(report.recommendation.approach);
    expect(strict.stderr).toContain('ft-advisor: --strict-evidence: 1 explicit answer is contradicted by evidence:\n  data.examples: answered 10000, but examples/data/chat.jsonl says 13');
  });

  it('--evidence and --data together: one evidence result, each file in its own report section, one --strict-evidence gate', async () => {
    const args = ['assess', '--answers', 'examples/task-api.yaml', '--evidence', 'examples/evidence/evals.yaml', '--data', CHAT, '--no-what-if'];
    const json = await cli([...args, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.evidence.files.map((f: { file: string }) => f.file)).toEqual(['examples/evidence/evals.yaml', CHAT]);
    expect(report.evidence.confirmed.map((c: { path: string }) => c.path)).toContain('ceiling.promptVariations');
    expect(report.evidence.contradictions.map((c: { path: string }) => c.path)).toEqual(['data.examples']);
    expect(report.evidence.warnings.map((w: { id: string }) => w.id)).toEqual(['evidence.data.quality']);
    const text = await cli(args);
    const evidence = text.stdout.slice(text.stdout.indexOf('\nEvidence\n'), text.stdout.indexOf('\nData readiness\n'));
    expect(evidence).toContain('examples/evidence/evals.yaml');
    // The training file's answers are in their own section, not listed again under Evidence.
    expect(evidence).not.toContain(CHAT);
    expect(text.stdout).toContain('From the training data\n');
    const strict = await cli([...args, '--strict-evidence']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('  data.examples: answered 10000, but examples/data/chat.jsonl says 13');
  });

  it('--strict-evidence passes when the evidence agrees (within the 10% tolerance of a count)', async () => {
    const answers = readFileSync('examples/task-api.yaml', 'utf8').replace('examples: 10000', 'examples: 12');
    writeFileSync(join(tmp.dir, 'twelve.yaml'), answers);
    const r = await cli(['assess', '--answers', join(tmp.dir, 'twelve.yaml'), '--data', CHAT, '--strict-evidence', '--format', 'json', '--no-what-if']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).evidence.confirmed.map((c: { path: string }) => c.path)).toEqual(['data.examples']);
  });

  it('paths in the answers file are relative to it; a preference file gives data.preferencePairs', async () => {
    const dir = join(tmp.dir, 'project');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'pairs.jsonl'), readFileSync('examples/data/preference.jsonl'));
    const answers = readFileSync('examples/data/answers.yaml', 'utf8').replace(
      /data:\n {2}file: chat\.jsonl\n {2}holdout: chat-holdout\.jsonl\n/,
      'data:\n  examples: 2000\n  file: data/pairs.jsonl\n',
    );
    writeFileSync(join(dir, 'answers.yaml'), answers);
    const r = await cli(['assess', '--answers', join(dir, 'answers.yaml'), '--format', 'json', '--no-what-if']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.evidence.filled.map((f: { path: string; value: unknown }) => [f.path, f.value])).toEqual([
      ['data.preferencePairs', 5],
      ['dataChecklist.noPii', false],
    ]);
    expect(report.answers.data).toEqual({ examples: 2000, preferencePairs: 5 });
  });

  it.each([
    [['--answers', 'examples/task-api.yaml', '--holdout', HOLDOUT], /a holdout file needs the training file/],
    [['examples/task-api.yaml', 'examples/support-bot.yaml', '--data', CHAT], /--data and --holdout go with one answers file/],
    [['--answers', 'examples/task-api.yaml', '--data', 'examples/data'], /examples\/data: is a directory/],
  ])('bad usage %j: exit 2', async (args, pattern) => {
    const r = await cli(['assess', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expectNoStackTrace(r.stderr);
  });

  it('the published answers schema allows data.file and data.holdout', async () => {
    const r = await cli(['schema', 'answers']);
    const data = JSON.parse(r.stdout).properties.data;
    expect(data.properties.file).toMatchObject({ type: 'string', minLength: 1 });
    expect(data.properties.holdout.description).toMatch(/held-out test set/);
    expect(data.additionalProperties).toBe(false);
  });

  it('rules show --facts lists the training-data facts', async () => {
    const facts = JSON.parse((await cli(['rules', 'show', '--facts', '--format', 'json'])).stdout) as { fact: string; from: string; type: string }[];
    expect(facts.find((f) => f.fact === 'trainingData.examples')).toMatchObject({ from: 'evidence', type: 'number' });
    expect(facts.find((f) => f.fact === 'trainingData.holdoutMeetsTarget')).toMatchObject({ from: 'evidence', type: 'boolean' });
  });

  it('the markdown report has the answers the training data gave', async () => {
    const r = await cli(['assess', '--answers', 'examples/data/answers.yaml', '--format', 'markdown', '--no-what-if']);
    expect(r.stdout).toContain('## From the training data');
    expect(r.stdout).toContain('| `data.examples` | 13 | filled in | examples/data/chat.jsonl: 13 usable examples');
  });

  it('the README shows the data report as data inspect prints it', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const shown = /data inspect examples\/data\/chat\.jsonl --holdout examples\/data\/chat-holdout\.jsonl\n```\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    const r = await cli(['data', 'inspect', CHAT, '--holdout', HOLDOUT]);
    expect(shown).toBe(r.stdout);
  });

  it('a data.file that is not a path is refused by its dot path', async () => {
    const answers = readFileSync('examples/data/answers.yaml', 'utf8').replace('file: chat.jsonl', 'file: 42');
    writeFileSync(join(tmp.dir, 'bad.yaml'), answers);
    const r = await cli(['assess', '--answers', join(tmp.dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: data\.file: expected the path of a JSONL training file, got 42/);
  });
});
