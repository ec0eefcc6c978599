// examples/data holds small files the project made, with known problems planted in them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectData } from '../../../src/evidence/data/read';
import { ROOT } from '../../support/run-cli';
import { defaultRules } from '../../helpers/engine';

const DIR = join(ROOT, 'examples/data');
const read = async (file: string, holdout?: string) => inspectData(file, holdout, { cwd: DIR, settings: (await defaultRules()).dataInspection! });

describe('examples/data', () => {
  it('chat.jsonl with its holdout: every planted problem, duplicate, PII kind and the leak', async () => {
    const r = await read('chat.jsonl', 'chat-holdout.jsonl');
    const f = r.findings;
    expect({ lines: f.lines, blank: f.blankLines, format: f.format, formats: f.formats }).toEqual({
      lines: 20,
      blank: 1,
      format: 'chat',
      formats: { chat: 17, preference: 0, completion: 1, text: 0 },
    });
    expect(f.otherFormatLines).toEqual([{ line: 18, format: 'completion' }]);
    expect(f.problems.lines).toBe(4);
    expect(f.problems.byKind).toEqual({
      'not-json': { count: 1, lines: [6] },
      'no-assistant': { count: 1, lines: [7] },
      'unknown-role': { count: 1, lines: [8] },
      'empty-content': { count: 1, lines: [9] },
    });
    expect(f.duplicates.lines).toEqual([
      { line: 5, firstLine: 1 },
      { line: 20, firstLine: 2 },
    ]);
    // Line 13's card number fails the Luhn check; line 14's IBAN digits are not also a phone number.
    expect(f.pii.byKind).toEqual({
      email: { count: 1, lines: [10] },
      phone: { count: 1, lines: [11] },
      card: { count: 1, lines: [12] },
      iban: { count: 1, lines: [14] },
      ip: { count: 1, lines: [15] },
      apiKey: { count: 1, lines: [16] },
    });
    expect(f.leakage).toEqual({ count: 1, lines: [{ line: 4, holdoutLine: 3 }] });
    expect(f.usable).toEqual({ chat: 12, preference: 0, completion: 1, text: 0 });
    expect(r.holdout).toMatchObject({ examples: 5, target: 0.2, meetsTarget: false });
    expect(r.holdout!.share).toBeCloseTo(5 / 23);
    expect(r.facts).toMatchObject({
      'trainingData.examples': 13,
      'trainingData.piiLines': 6,
      'trainingData.holdoutPercent': 21.7,
      'trainingData.leakedExamples': 1,
      'trainingData.qualityWarning': true,
    });
    expect(r.facts).not.toHaveProperty('trainingData.preferencePairs');
  });

  it('preference.jsonl: both pair shapes, chosen equal to rejected, an empty chosen, a duplicate, an email', async () => {
    const f = (await read('preference.jsonl')).findings;
    expect(f.formats.preference).toBe(8);
    expect(f.problems.byKind).toEqual({ 'chosen-equals-rejected': { count: 1, lines: [2] }, 'empty-content': { count: 1, lines: [6] } });
    expect(f.duplicates.lines).toEqual([{ line: 5, firstLine: 4 }]);
    expect(f.pii.byKind).toEqual({ email: { count: 1, lines: [7] } });
    expect(f.usable.preference).toBe(5);
  });

  it('completion.jsonl: an empty completion, a line that is not an object, a duplicate, a text line among them', async () => {
    const r = await read('completion.jsonl');
    expect(r.findings.problems.byKind).toEqual({ 'empty-content': { count: 1, lines: [4] }, 'not-object': { count: 1, lines: [5] } });
    expect(r.findings.duplicates.count).toBe(1);
    expect(r.findings.otherFormatLines).toEqual([{ line: 7, format: 'text' }]);
    expect(r.facts).toMatchObject({ 'trainingData.examples': 3, 'trainingData.documents': 1 });
  });

  it('text.jsonl: an empty text, an unknown format, a whitespace duplicate, an IP address', async () => {
    const r = await read('text.jsonl');
    expect(r.findings.problems.byKind).toEqual({ 'empty-content': { count: 1, lines: [4] }, 'unknown-format': { count: 1, lines: [6] } });
    expect(r.findings.duplicates.lines).toEqual([{ line: 5, firstLine: 2 }]);
    expect(r.findings.pii.byKind).toEqual({ ip: { count: 1, lines: [3] } });
    expect(r.facts['trainingData.documents']).toBe(3);
  });
});

describe('the data report renderers', () => {
  it('say what the holdout itself holds when it has problems', async () => {
    const { renderDataText } = await import('../../../src/report/data-text');
    const { renderDataMarkdown } = await import('../../../src/report/data-markdown');
    const r = await read('chat-holdout.jsonl', 'chat.jsonl');
    expect(renderDataText(r, { color: false })).toContain('in the holdout itself: 4 lines with problems, 6 lines with PII, 2 duplicates (--format json lists them)');
    const md = renderDataMarkdown(r);
    expect(md).toContain('- **Holdout:** chat.jsonl: 18 examples, 78.3% of all examples (the checklist asks 20%)');
    expect(md).toContain('### PII (0 lines; values are never shown)');
  });
});
