// docs/evidence.md must stay true: its jq conversion turns a harness's JSON Lines into an
// evidence file ft-advisor reads, and its YAML example is a valid evidence file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalEvidence } from '../../src/evidence/eval/read';

const ROOT = join(import.meta.dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs/evidence.md'), 'utf8');
const hasJq = spawnSync('jq', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ft-evidence-docs-'));

describe('docs/evidence.md', () => {
  it.skipIf(!hasJq)('the jq conversion gives an evidence file with the expected pass rates', async () => {
    const program = /jq -s '([\s\S]*?)' results\.jsonl/.exec(doc)?.[1];
    expect(program).toBeTruthy();
    const lines = [
      { variant: 'terse', model: 'm1', passed: true, latency_ms: 100, usage: { input_tokens: 10, output_tokens: 2 } },
      { variant: 'terse', model: 'm1', passed: false, latency_ms: 300, usage: { input_tokens: 20, output_tokens: 4 } },
      { variant: 'few-shot', model: 'm1', passed: true, latency_ms: 200, usage: { input_tokens: 40, output_tokens: 2 } },
    ];
    const r = spawnSync('jq', ['-s', program!], { input: lines.map((l) => JSON.stringify(l)).join('\n'), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    writeFileSync(join(dir, 'evidence.json'), r.stdout);
    const m = await readEvalEvidence(join(dir, 'evidence.json'));
    expect(m.eval.rows.map((row) => [row.prompt, row.passRate, row.meanLatencyMs, row.promptTokens])).toEqual([
      ['few-shot', 100, 200, 40],
      ['terse', 50, 200, 15],
    ]);
  });

  it('the YAML example is a valid evidence file', async () => {
    const yaml = /```yaml\n(format: ft-advisor-evidence[\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeTruthy();
    writeFileSync(join(dir, 'example.yaml'), yaml!);
    const m = await readEvalEvidence(join(dir, 'example.yaml'));
    expect(m.facts['eval.bestPassRate']).toBe(71);
  });
});
