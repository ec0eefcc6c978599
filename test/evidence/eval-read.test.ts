import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelectiveJsonReader, type Action, type PathPart } from '../../src/evidence/eval/json-stream';
import { readEvalEvidence } from '../../src/evidence/eval/read';
import { InputError } from '../../src/util/errors';
import { promptfooDoc } from './promptfoo-docs';

const dir = mkdtempSync(join(tmpdir(), 'ft-eval-read-'));
let n = 0;
function file(content: string | Buffer, name = `f${n++}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const json = (doc: unknown, name?: string) => file(JSON.stringify(doc, null, 2), name);

async function problem(path: string): Promise<{ message: string; hint?: string; file?: string; path?: string }> {
  const error = await readEvalEvidence(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems[0]!;
}

describe('promptfoo results (version 3)', () => {
  it('reads the example: prompts x providers, pass rates, tokens, latency and cost of the best row', async () => {
    const m = await readEvalEvidence('examples/evidence/promptfoo-results.json');
    expect(m.kind).toBe('promptfoo results (version 3)');
    expect(m.eval.tool).toBe('promptfoo 0.118.3');
    expect(m.eval.description).toBe('Acme support bot: answer quality');
    expect(m.facts).toMatchObject({
      'eval.distinctPrompts': 5,
      'eval.distinctProviders': 2,
      'eval.tests': 100,
      'eval.bestPassRate': 80,
      'eval.medianPromptPassRate': 70,
      'eval.plateauGap': 5,
      'eval.meanPromptTokens': 1039,
      'eval.meanCompletionTokens': 147,
      'eval.meanLatencyMs': 910,
    });
    expect(m.eval.rows).toHaveLength(10);
    expect(m.eval.rows[0]).toMatchObject({ prompt: 'v4-few-shot', provider: 'openai:gpt-4o-mini', passRate: 80 });
    // Sorted by pass rate, best first.
    const rates = m.eval.rows.map((r) => r.passRate!);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    // The one errored test counts as not passed, and is reported.
    expect(m.eval.rows.find((r) => r.errors > 0)).toMatchObject({ prompt: 'v5-cot', errors: 1, passed: 7, failed: 2, tests: 10 });
  });

  it('reads a web-viewer export (evalId and metadata first, results after)', async () => {
    const doc = promptfooDoc(
      [
        { prompt: 'a', provider: 'openai:gpt-4o', pass: 9, fail: 1, latencyMs: 500 },
        { prompt: 'b', provider: 'openai:gpt-4o', pass: 6, fail: 4, latencyMs: 700 },
      ],
      { webExport: true },
    );
    expect(Object.keys(doc).slice(0, 2)).toEqual(['evalId', 'metadata']);
    const m = await readEvalEvidence(json(doc));
    expect(m.facts).toMatchObject({ 'eval.distinctPrompts': 2, 'eval.distinctProviders': 1, 'eval.bestPassRate': 90, 'eval.meanLatencyMs': 500 });
    expect(m.eval.tool).toBe('promptfoo 0.118.3');
  });

  it('works from the per-test results when prompts carry no metrics, and leaves out figures nobody measured', async () => {
    const doc = promptfooDoc(
      [
        { prompt: 'a', provider: 'x', pass: 3, fail: 1 },
        { prompt: 'a', provider: 'y', pass: 2, fail: 1, error: 1, latencyMs: 100, promptTokens: 50, completionTokens: 5, cost: 0.001 },
      ],
      { metrics: false },
    );
    const m = await readEvalEvidence(json(doc));
    expect(m.eval.rows.map((r) => [r.provider, r.passed, r.failed, r.errors, r.passRate])).toEqual([
      ['x', 3, 1, 0, 75],
      ['y', 2, 1, 1, 50],
    ]);
    // The best row (x) has no latency, tokens or cost: those facts are absent, not zero.
    expect(m.facts['eval.meanLatencyMs']).toBeUndefined();
    expect(m.facts['eval.meanPromptTokens']).toBeUndefined();
    expect(m.facts['eval.costPerRequest']).toBeUndefined();
    expect(m.facts['eval.plateauGap']).toBeUndefined();
  });

  it('works from promptfoo metrics alone when the per-test results are left out', async () => {
    const doc = promptfooDoc([{ prompt: 'a', provider: 'x', pass: 8, fail: 2, latencyMs: 300, promptTokens: 700, completionTokens: 90, cost: 0.002 }], { results: false });
    const m = await readEvalEvidence(json(doc));
    expect(m.facts).toMatchObject({ 'eval.bestPassRate': 80, 'eval.meanLatencyMs': 300, 'eval.meanPromptTokens': 700, 'eval.meanCompletionTokens': 90, 'eval.costPerRequest': 0.002 });
    expect(m.facts['eval.p95LatencyMs']).toBeUndefined();
  });

  it('does not depend on key order or on model outputs full of brackets, quotes and escapes', async () => {
    const doc = promptfooDoc([{ prompt: 'a', provider: 'x', pass: 1, fail: 1 }]);
    const results = doc.results as { results: { response?: { output: string } }[] };
    results.results[0]!.response!.output = '}]"\\"{[ \\\\ \u00e9\u4e2d \ud83d\ude00 "results": {"version": 2}';
    const reordered = { metadata: doc.metadata, results: { results: results.results, stats: {}, prompts: (doc.results as { prompts: unknown }).prompts, version: 3 }, evalId: 'e' };
    const m = await readEvalEvidence(json(reordered));
    expect(m.facts['eval.bestPassRate']).toBe(50);
  });
});

describe('the tool-neutral evidence file', () => {
  const neutral = {
    format: 'ft-advisor-evidence',
    version: 1,
    tool: 'in-house harness',
    runs: [
      { prompt: 'v1', model: 'm1', passRate: 0.7, tests: 50, latencyMs: 900, promptTokens: 800, completionTokens: 100, costPerRequest: 0.001 },
      { prompt: 'v2', model: 'm1', passRate: 0.86, tests: 50, latencyMs: 950, p95LatencyMs: 1500, promptTokens: 850, completionTokens: 110, costPerRequest: 0.0012 },
      { prompt: 'v2', model: 'm2', passRate: 0.8 },
    ],
  };

  it.each([
    ['YAML', 'evals.yaml', (d: unknown) => JSON.stringify(d).replace(/^/, '')],
    ['JSON', 'evals.json', (d: unknown) => JSON.stringify(d)],
  ])('reads it as %s, recognised by its content', async (_kind, name, write) => {
    const path = file(write(neutral), name);
    const m = await readEvalEvidence(path);
    expect(m.kind).toBe('ft-advisor evidence file (version 1)');
    expect(m.facts).toMatchObject({
      'eval.distinctPrompts': 2,
      'eval.distinctProviders': 2,
      'eval.bestPassRate': 86,
      'eval.meanLatencyMs': 950,
      'eval.p95LatencyMs': 1500,
      'eval.meanPromptTokens': 850,
      'eval.costPerRequest': 0.0012,
    });
  });

  it('reads the example YAML file', async () => {
    const m = await readEvalEvidence('examples/evidence/evals.yaml');
    expect(m.kind).toBe('ft-advisor evidence file (version 1)');
    expect(m.facts['eval.distinctPrompts']).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ ...neutral, runs: [{ prompt: 'a', model: 'b', passRate: 82 }] }, 'runs[0].passRate', '0.82 for 82%'],
    [{ ...neutral, runs: [{ prompt: 'a', modle: 'b', passRate: 0.5 }] }, 'runs[0]', undefined],
    [{ ...neutral, version: 2 }, 'version', undefined],
    [{ ...neutral, runs: [] }, 'runs', undefined],
  ])('%# names the dot path of a bad neutral file', async (doc, path, hint) => {
    const error = (await readEvalEvidence(json(doc)).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    const p = error.problems.find((x) => x.path === path);
    expect(p, JSON.stringify(error.problems)).toBeDefined();
    if (hint) expect(p!.hint).toContain(hint);
  });
});

describe('bad input: exit-2 problems with the file, what was expected and a hint', () => {
  const full = JSON.stringify(promptfooDoc([{ prompt: 'a', provider: 'x', pass: 5, fail: 5, latencyMs: 10 }]), null, 2);
  it.each([
    ['JSON that is not results', () => json({ name: 'my-app', version: '1.0.0', dependencies: {} }), /is JSON but not eval results \(its top-level keys: name, version, dependencies\)/],
    ['a JSON array', () => json([1, 2, 3]), /is JSON but not eval results/],
    ['an older results version', () => json(promptfooDoc([{ prompt: 'a', provider: 'x', pass: 1 }], { version: 2 })), /version 2; ft-advisor reads version 3/],
    ['a newer results version', () => json(promptfooDoc([{ prompt: 'a', provider: 'x', pass: 1 }], { version: 4 })), /version 4; ft-advisor reads version 3/],
    ['a truncated file', () => file(full.slice(0, Math.floor(full.length * 0.6))), /ends early: the JSON stops early, inside results/],
    ['a file cut inside a string', () => file('{"results": {"version": 3, "prompts": [{"label": "abc'), /ends early/],
    ['an empty file', () => file(''), /is empty; expected eval results/],
    ['a file of blank lines', () => file('\n\n  \n'), /is empty/],
    ['a binary file', () => file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])), /is binary, not text/],
    ['invalid UTF-8', () => file(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])), /is not UTF-8 text/],
    ['UTF-16', () => file(Buffer.from('\ufeff{"a":1}', 'utf16le')), /UTF-16/],
    ['broken JSON', () => file('{"results": {"version": 3,, "prompts": []}}'), /is not valid JSON/],
    ['YAML that is not an evidence file', () => file('version: 1\nuseCase:\n  name: x\n', 'answers.yaml'), /is YAML but not an evidence file/],
    ['results with no prompts', () => json({ results: { version: 3, prompts: [], results: [] } }), /no prompts and no results/],
    ['a missing file', () => join(dir, 'nope.json'), /no such file; expected eval results/],
    [
      'a directory',
      () => {
        const d = join(dir, `d${n++}`);
        mkdirSync(d);
        return d;
      },
      /is a directory/,
    ],
  ])('%s', async (_name, make, message) => {
    const path = make();
    const p = await problem(path);
    expect(p.file).toBe(path);
    expect(p.message).toMatch(message);
    expect(p.hint ?? '').not.toBe('');
  });
});

describe('the selective stream reader', () => {
  const select = (path: readonly PathPart[]): Action => (path.length === 0 || (path.length === 1 && path[0] === 'list') ? 'descend' : path[0] === 'skip' ? 'skip' : 'capture');

  function read(text: string, cuts: number[]) {
    const got: [string, unknown][] = [];
    const reader = new SelectiveJsonReader(select, (p, v) => got.push([p.join('.'), v]));
    let at = 0;
    for (const cut of [...cuts.filter((c) => c > 0 && c < text.length)].sort((a, b) => a - b)) {
      reader.write(text.slice(at, cut));
      at = cut;
    }
    reader.write(text.slice(at));
    reader.end();
    return got;
  }

  it('gives the same values as JSON.parse wherever the chunks are cut', () => {
    const value = fc.record({
      list: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
      skip: fc.jsonValue({ maxDepth: 3 }),
      other: fc.jsonValue({ maxDepth: 2 }),
      'k\\"e\\u0079': fc.integer(),
    });
    fc.assert(
      fc.property(value, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (doc, cuts, pretty) => {
        const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const got = read(
          text,
          cuts.map((c) => c % (text.length + 1)),
        );
        const expected: [string, unknown][] = [];
        for (const [k, v] of Object.entries(parsed)) {
          if (k === 'list') (v as unknown[]).forEach((item, i) => expected.push([`list.${i}`, item]));
          else if (k !== 'skip') expected.push([k, v]);
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('strict UTF-8 decoding across chunks', () => {
  it('gives the text back wherever the bytes are cut, and refuses invalid bytes', async () => {
    const { StrictUtf8Decoder } = await import('../../src/evidence/eval/utf8-decode');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const d = new StrictUtf8Decoder();
        let out = '';
        let at = 0;
        for (const p of [...points, bytes.length]) {
          out += d.decode(bytes.subarray(at, p));
          at = p;
        }
        d.end();
        expect(out).toBe(text);
      }),
      { numRuns: 300 },
    );
    expect(() => new StrictUtf8Decoder().decode(Buffer.from([0x61, 0xc3, 0x28]))).toThrow();
    const cut = new StrictUtf8Decoder();
    cut.decode(Buffer.from([0x61, 0xe4, 0xb8]));
    expect(() => cut.end()).toThrow();
  });
});
