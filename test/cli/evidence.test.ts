// assess --evidence, `evidence:` in answers files, --strict-evidence and `schema evidence`,
// in-process through run() (the same path as the binary).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFastAssessArgs } from '../../src/cli/fast-path';
import { run } from '../../src/cli/main';
import { assess } from '../../src/index';
import { fakeIO } from '../support/fake-io';
import { ROOT } from '../support/run-cli';

const RESULTS = join(ROOT, 'examples/evidence/promptfoo-results.json');
const NEUTRAL = join(ROOT, 'examples/evidence/evals.yaml');
let dir: string;

/** The support bot's answers without the questions the results settle. */
const base = () => ({
  version: 1,
  useCase: { name: 'Evidence bot' },
  needs: ['style', 'behavior'],
  ceiling: { retrievalOptimized: true, fewShot: true, structuredPrompt: true } as Record<string, boolean>,
  indicators: { consistentBehavior: true, domainKnowledge: false, brandVoice: true, costOptimization: false, latency: false, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false } as Record<string, boolean>,
  data: { examples: 2400 },
});

function write(name: string, doc: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof doc === 'string' ? doc : stringify(doc));
  return name;
}

async function cli(...argv: string[]) {
  const f = fakeIO(undefined, {}, dir);
  const code = await run(argv, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ft-evidence-cli-'));
  copyFileSync(RESULTS, join(dir, 'results.json'));
});

describe('assess --evidence', () => {
  it('fills the answers the file leaves out, traced to the file, and reports the evidence under `evidence`', async () => {
    const answers = write('a.yaml', base());
    const r = await cli('assess', '--answers', answers, '--evidence', 'results.json', '--format', 'json', '--no-what-if');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.evidence.files).toEqual([expect.objectContaining({ file: 'results.json', kind: 'promptfoo results (version 3)' })]);
    expect(report.evidence.filled.map((f: { path: string; value: unknown }) => [f.path, f.value])).toEqual([
      ['ceiling.promptVariations', true],
      ['ceiling.multipleModels', true],
      ['antiIndicators.promptsWorking', true],
    ]);
    expect(report.evidence.findings.map((f: { finding: string }) => f.finding)).toEqual(['plateau']);
    const traced = report.trace.filter((t: { kind: string }) => t.kind === 'evidence');
    expect(traced[0].because).toBe('ceiling.promptVariations = true (from results.json: 5 distinct prompts in the eval; 5 or more counts as tried)');
    expect(report.framework.ceilingPassed).toBe(true);
    // The measurements themselves, for the report's table.
    expect(report.evidence.files[0].eval.rows[0]).toMatchObject({ prompt: 'v4-few-shot', provider: 'openai:gpt-4o-mini', passRate: 80 });
  });

  it('without the evidence, the omitted required answers are input errors (exit 2)', async () => {
    const answers = write('a2.yaml', base());
    const r = await cli('assess', '--answers', answers);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ceiling\.promptVariations: missing/);
  });

  it('reads `evidence:` paths in the answers file relative to that file', async () => {
    mkdirSync(join(dir, 'team/evals'), { recursive: true });
    copyFileSync(RESULTS, join(dir, 'team/evals/results.json'));
    write('team/answers.yaml', { ...base(), evidence: ['evals/results.json'] });
    const r = await cli('assess', '--answers', 'team/answers.yaml', '--format', 'json', '--no-what-if');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.evidence.files.map((f: { file: string }) => f.file)).toEqual(['team/evals/results.json']);
    expect(report.answers.evidence).toBeUndefined();
  });

  it('reads one answers document from standard input with --evidence (not a batch)', async () => {
    const f = fakeIO(JSON.stringify(base()), {}, dir);
    const code = await run(['assess', '--answers', '-', '--evidence', 'results.json', '--format', 'json', '--no-what-if'], f.io);
    expect(f.stderr()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(f.stdout()).evidence.filled).toHaveLength(3);
  });

  it('takes several files: the first to settle an answer fills it, later ones confirm or contradict it', async () => {
    const answers = write('a3.yaml', base());
    const r = await cli('assess', '--answers', answers, '--evidence', 'results.json', '--evidence', NEUTRAL, '--format', 'json', '--no-what-if');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.evidence.files).toHaveLength(2);
    expect(report.evidence.filled.every((f: { file: string }) => f.file === 'results.json')).toBe(true);
  });

  it('an explicit answer is kept; the contradiction is a warning with both values and the file', async () => {
    const doc = base();
    doc.ceiling.promptVariations = false;
    doc.ceiling.multipleModels = true;
    doc.antiIndicators.promptsWorking = true;
    const answers = write('explicit.yaml', doc);
    const r = await cli('assess', '--answers', answers, '--evidence', 'results.json', '--format', 'json', '--no-what-if');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.answers.ceiling.promptVariations).toBe(false);
    expect(report.framework.ceilingPassed).toBe(false);
    expect(report.warnings).toContain(
      'ceiling.promptVariations is answered false, but results.json says true: 5 distinct prompts in the eval; 5 or more counts as tried. The explicit answer was used.',
    );
    expect(report.evidence.confirmed.map((c: { path: string }) => c.path)).toEqual(['ceiling.multipleModels', 'antiIndicators.promptsWorking']);
  });

  it('--strict-evidence exits 1 on a contradiction, after the report, naming path, both values and file', async () => {
    const doc = base();
    doc.ceiling.promptVariations = false;
    const answers = write('strict.yaml', doc);
    const r = await cli('assess', '--answers', answers, '--evidence', 'results.json', '--strict-evidence', '--no-what-if');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VERDICT/);
    expect(r.stderr).toBe(
      'ft-advisor: --strict-evidence: 1 explicit answer is contradicted by evidence:\n  ceiling.promptVariations: answered false, but results.json says true (5 distinct prompts in the eval; 5 or more counts as tried)\n  hint: correct the answer, or leave it out so the evidence fills it in\n',
    );
    const agreeing = write('agree.yaml', { ...base(), ceiling: { ...base().ceiling, promptVariations: true } });
    expect((await cli('assess', '--answers', agreeing, '--evidence', 'results.json', '--strict-evidence', '--no-what-if')).code).toBe(0);
  });

  it('text and markdown reports carry the evidence section: the table by pass rate, the best row, the plateau', async () => {
    const answers = write('a4.yaml', base());
    const text = (await cli('assess', '--answers', answers, '--evidence', 'results.json', '--no-what-if')).stdout;
    const section = text.slice(text.indexOf('\nEvidence\n'), text.indexOf('\nData readiness'));
    expect(section).toMatch(/results\.json: promptfoo results \(version 3\) · promptfoo 0\.118\.3/);
    const firstRow = section.split('\n').findIndex((l) => l.includes('v4-few-shot'));
    expect(section.split('\n')[firstRow]).toMatch(/│ v4-few-shot\s+│ openai:gpt-4o-mini\s+│ 10\s+│ 80%/);
    expect(section.replace(/\s+/g, ' ')).toMatch(
      /Best: v4-few-shot on openai:gpt-4o-mini: 80% of 10 tests passed; 1,039 prompt and 147 completion tokens a request; 910 ms mean latency \(p95 1,786 ms\); 0\.000244 a request\./,
    );
    expect(section).toMatch(/Prompting has plateaued/);
    expect(section).toMatch(/Filled from the evidence\n\s+\+ ceiling\.promptVariations = true/);
    const md = (await cli('assess', '--answers', answers, '--evidence', 'results.json', '--format', 'markdown', '--no-what-if')).stdout;
    expect(md).toContain('## Evidence');
    expect(md).toMatch(/\| Prompt \| Provider \| Tests \| Pass \|/);
    expect(md).toMatch(/\| v4-few-shot \| openai:gpt-4o-mini \| 10 \| 80% \|/);
    expect(md).toMatch(/\*\*Filled from the evidence\*\*/);
  });

  it.each([
    ['JSON that is not results', () => write('pkg.json', '{"name": "x", "version": "1.0.0"}'), /pkg\.json: is JSON but not eval results/],
    ['an older version', () => write('v2.json', JSON.stringify({ results: { version: 2, results: [], table: {} } })), /v2\.json: results\.version: is a promptfoo results file of version 2/],
    ['a truncated file', () => write('cut.json', readFileSync(RESULTS, 'utf8').slice(0, 5000)), /cut\.json: ends early/],
    ['an empty file', () => write('empty.json', ''), /empty\.json: is empty/],
    ['a binary file', () => write('bin.json', Buffer.from([0, 1, 2, 3, 255]).toString('latin1')), /bin\.json: is (binary|not UTF-8)/],
    ['a missing file', () => 'nope.json', /nope\.json: no such file/],
  ])('bad evidence (%s) is exit 2, names the file, and nothing is written', async (_name, make, message) => {
    const evidence = make();
    const answers = write(`bad-${evidence}.yaml`, base());
    const out = `out-${evidence}.json`;
    const r = await cli('assess', '--answers', answers, '--evidence', evidence, '--output', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, out))).toBe(false);
  });

  it('never prints control sequences from a results file (prompt labels, providers)', async () => {
    const { promptfooDoc } = await import('../evidence/promptfoo-docs');
    write('hostile.json', JSON.stringify(promptfooDoc([{ prompt: 'evil\x1b]0;owned\x07\x1b[2J', provider: 'p\x1b[31mred', pass: 5, fail: 5 }])));
    const r = await cli('assess', '--answers', write('h.yaml', base()), '--evidence', 'hostile.json', '--no-what-if');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toMatch(/evil/);
  });

  it('an empty `evidence:` list is allowed and adds no evidence section', async () => {
    const doc = {
      ...base(),
      evidence: [] as string[],
      ceiling: { ...base().ceiling, promptVariations: true, multipleModels: true },
      antiIndicators: { ...base().antiIndicators, promptsWorking: false },
    };
    const r = await cli('assess', '--answers', write('none.yaml', doc), '--no-what-if');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^Evidence$/m);
  });

  it('bad `evidence:` in an answers file names its dot path', async () => {
    const answers = write('badlist.yaml', { ...base(), evidence: 'results.json' });
    const r = await cli('assess', '--answers', answers);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/badlist\.yaml: evidence: expected a list of file paths/);
  });

  it('leaves the fast path alone: --evidence takes the full path', () => {
    expect(parseFastAssessArgs(['assess', '--answers', 'a.yaml'])).toBeDefined();
    expect(parseFastAssessArgs(['assess', '--answers', 'a.yaml', '--evidence', 'r.json'])).toBeUndefined();
    expect(parseFastAssessArgs(['assess', '--answers', 'a.yaml', '--strict-evidence'])).toBeUndefined();
  });
});

describe('schema evidence', () => {
  it('prints the JSON Schema of the neutral file, generated from its zod schema', async () => {
    const r = await cli('schema', 'evidence');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$id).toBe('https://ft-advisor.dev/schemas/evidence-v1.json');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'runs']));
    expect(Object.keys(schema.properties.runs.items.properties)).toEqual([
      'prompt',
      'model',
      'passRate',
      'tests',
      'errors',
      'latencyMs',
      'p95LatencyMs',
      'promptTokens',
      'completionTokens',
      'costPerRequest',
    ]);
    expect(schema.properties.runs.items.properties.passRate).toMatchObject({ minimum: 0, maximum: 1 });
    // The build publishes the same schema for editors (examples/evidence/evals.yaml points at it).
    expect(JSON.parse(readFileSync(join(ROOT, 'schemas/evidence.schema.json'), 'utf8'))).toEqual(schema);
  });

  it('the answers schema knows the evidence list', async () => {
    const schema = JSON.parse((await cli('schema', 'answers')).stdout);
    expect(schema.properties.evidence).toMatchObject({ type: 'array', items: { type: 'string' } });
  });
});

describe('rules show', () => {
  it('lists the evidence facts and the mappings that read them', async () => {
    const facts = JSON.parse((await cli('rules', 'show', '--facts', '--format', 'json')).stdout) as { fact: string; from: string; type: string }[];
    expect(facts.find((f) => f.fact === 'eval.distinctPrompts')).toMatchObject({ from: 'evidence', type: 'number' });
    const text = (await cli('rules', 'show')).stdout;
    expect(text).toContain('Evidence: what measured facts settle (assess --evidence)');
    expect(text).toMatch(/evidence\.prompt-variations\s+│ ceiling\.promptVariations/);
  });
});

describe('the library', () => {
  it('assess() reads evidenceFiles and `evidence:` paths like the CLI', async () => {
    const report = await assess(base(), undefined, { evidenceFiles: [RESULTS], whatIf: false });
    expect(report.evidence?.filled.map((f) => f.path)).toEqual(['ceiling.promptVariations', 'ceiling.multipleModels', 'antiIndicators.promptsWorking']);
    const fromFile = await assess({ ...base(), evidence: ['evidence/promptfoo-results.json'] }, undefined, { file: join(ROOT, 'examples/answers.yaml'), whatIf: false });
    expect(fromFile.evidence?.files[0]?.kind).toBe('promptfoo results (version 3)');
  });
});
