import { describe, expect, it } from 'vitest';
import { HashTable, hashText, LengthHistogram, ShardedHashTable } from '../../../src/evidence/data/hashes';
import { DataInspector, type DataFindings } from '../../../src/evidence/data/inspect';
import { LineSplitter } from '../../../src/evidence/data/lines';
import { buildDataReport } from '../../../src/evidence/data/report';
import { defaultRules } from '../../helpers/engine';

const settings = async () => (await defaultRules()).dataInspection!;
const chat = (u: string, a: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: u },
      { role: 'assistant', content: a },
    ],
  });

async function inspect(lines: string[], options: { holdout?: ShardedHashTable; chunk?: number; maxLineBytes?: number } = {}): Promise<DataFindings> {
  const inspector = new DataInspector({ settings: await settings(), holdout: options.holdout, maxLineBytes: options.maxLineBytes });
  const bytes = Buffer.from(lines.join('\n'));
  const chunk = options.chunk ?? bytes.length;
  for (let i = 0; i < bytes.length; i += chunk) inspector.push(bytes.subarray(i, i + chunk));
  return inspector.end();
}

describe('LineSplitter', () => {
  it('gives the same lines whatever the chunk size, with or without a final newline', () => {
    const text = 'first\nsecond line\n\nfourth ✓ with UTF-8\nlast';
    for (const chunk of [1, 2, 3, 7, 100]) {
      const got: [number, string][] = [];
      const s = new LineSplitter(
        1024,
        (b, n) => got.push([n, b.toString('utf8')]),
        () => undefined,
      );
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
      s.end();
      expect(got).toEqual([
        [1, 'first'],
        [2, 'second line'],
        [3, ''],
        [4, 'fourth ✓ with UTF-8'],
        [5, 'last'],
      ]);
    }
  });

  it('drops a line over the cap without holding it, and goes on with the next', () => {
    const long: [number, number][] = [];
    const got: number[] = [];
    const s = new LineSplitter(
      100,
      (_b, n) => got.push(n),
      (n, bytes) => long.push([n, bytes]),
    );
    s.push(Buffer.from('ok\n'));
    for (let i = 0; i < 50; i++) {
      s.push(Buffer.alloc(64, 'x'));
      expect(s.pendingBytes).toBeLessThanOrEqual(100);
    }
    s.push(Buffer.from('\nafter\n'));
    s.end();
    expect(long).toEqual([[2, 3200]]);
    expect(got).toEqual([1, 3]);
    expect(s.peakPending).toBeLessThanOrEqual(100);
  });
});

describe('DataInspector', () => {
  it('holds no more than the unfinished line between chunks (memory does not grow with the file)', async () => {
    const inspector = new DataInspector({ settings: await settings() });
    const line = `${chat('How do I reopen a task?', 'PATCH /tasks/{id} with status open.')}\n`;
    const chunk = Buffer.from(line.repeat(200));
    for (let i = 0; i < 200; i++) {
      inspector.push(chunk);
      expect(inspector.pendingBytes).toBeLessThan(line.length);
    }
    const f = inspector.end();
    expect(f.lines).toBe(40_000);
    expect(f.duplicates.count).toBe(39_999);
    expect(inspector.peakPendingBytes).toBeLessThan(line.length);
    // One distinct example: the duplicate table did not grow past its first size.
    expect(inspector.seen.size).toBe(1);
    expect(inspector.seen.bytes).toBe(64 * 256 * 12);
  });

  it('finds exact duplicates after whitespace normalisation, and names the line each repeats', async () => {
    const f = await inspect([chat('a b', 'c'), chat('x', 'y'), chat(' a  b ', 'c'), chat('a b', 'c\n'), chat('a b', 'd')]);
    expect(f.duplicates).toEqual({
      count: 2,
      lines: [
        { line: 3, firstLine: 1 },
        { line: 4, firstLine: 1 },
      ],
      complete: true,
    });
    expect(f.usable.chat).toBe(3);
  });

  it('finds training examples that are also in the holdout (leakage)', async () => {
    const holdoutInspector = new DataInspector({ settings: await settings() });
    holdoutInspector.push(Buffer.from([chat('held 1', 'out'), chat('shared', 'one'), chat('held 3', 'out')].join('\n')));
    holdoutInspector.end();
    const f = await inspect([chat('train', 'only'), chat('shared ', ' one'), chat('other', 'x')], { holdout: holdoutInspector.seen });
    expect(f.leakage).toEqual({ count: 1, lines: [{ line: 2, holdoutLine: 2 }] });
  });

  it('reports lines in a second format by number, the main format being the most common', async () => {
    const f = await inspect([chat('a', 'b'), JSON.stringify({ text: 'doc' }), chat('c', 'd'), JSON.stringify({ prompt: 'p', completion: 'q' }), chat('e', 'f')]);
    expect(f.format).toBe('chat');
    expect(f.formats).toEqual({ chat: 3, preference: 0, completion: 1, text: 1 });
    expect(f.otherFormatLines).toEqual([
      { line: 2, format: 'text' },
      { line: 4, format: 'completion' },
    ]);
  });

  it('counts token lengths (characters / 4) against the context limit', async () => {
    const s = await settings();
    const inspector = new DataInspector({ settings: { ...s, contextLimit: { tokens: 10, source: 'test' } } });
    // user + assistant texts of 8, 40, 41 and 400 characters: 2, 10, 11 and 100 tokens.
    inspector.push(Buffer.from([chat('abcd', 'efgh'), chat('x'.repeat(20), 'y'.repeat(20)), chat('x'.repeat(21), 'y'.repeat(20)), chat('z'.repeat(200), 'w'.repeat(200))].join('\n')));
    const f = inspector.end();
    expect(f.tokens).toMatchObject({ p50: 10, p95: 100, max: 100, contextLimit: 10, overLimit: { count: 2, lines: [3, 4] } });
  });

  it('counts problems by kind with their line numbers, and blank lines apart', async () => {
    const f = await inspect([chat('a', 'b'), '{"messages": [', '', '[1, 2]', JSON.stringify({ messages: [{ role: 'user', content: 'only' }] }), '   ', '{"nothing": 1}']);
    expect(f.blankLines).toBe(2);
    expect(f.problems.lines).toBe(4);
    expect(f.problems.byKind).toEqual({
      'not-json': { count: 1, lines: [2] },
      'not-object': { count: 1, lines: [4] },
      'no-assistant': { count: 1, lines: [5] },
      'unknown-format': { count: 1, lines: [7] },
    });
  });

  it('records PII by kind with line numbers, never the values', async () => {
    const f = await inspect([chat('mail me: jane@example.com', 'ok'), chat('fine', 'thanks'), chat('card 4111 1111 1111 1111', 'from 10.1.2.3')]);
    expect(f.pii.lines).toBe(2);
    expect(f.pii.byKind).toEqual({ email: { count: 1, lines: [1] }, card: { count: 1, lines: [3] }, ip: { count: 1, lines: [3] } });
    expect(JSON.stringify(f)).not.toMatch(/jane|4111|10\.1\.2\.3/);
  });

  it('skips a line over the cap, reports it as a problem and counts the rest', async () => {
    const f = await inspect([chat('a', 'b'), chat('x'.repeat(500), 'y'), chat('c', 'd')], { chunk: 64, maxLineBytes: 200 });
    expect(f.problems.byKind['line-too-long']).toEqual({ count: 1, lines: [2] });
    expect(f.formats.chat).toBe(2);
    const report = buildDataReport('t.jsonl', f, await settings());
    expect(report.fileProblems).toEqual(['1 line over the 200 bytes cap could not be read (line 2); the rest of the file was inspected']);
  });
});

describe('LengthHistogram percentiles (nearest rank)', () => {
  it.each([
    [[], 0, 0, 0],
    [[7], 7, 7, 7],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50, 95, 100],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1000], 1, 1000, 1000],
    [[5, 3, 9, 1], 3, 9, 9],
  ])('%j -> p50 %d, p95 %d, max %d', (values, p50, p95, max) => {
    const h = new LengthHistogram(2000);
    for (const v of values) h.add(v);
    expect([h.percentile(0.5), h.percentile(0.95), h.max]).toEqual([p50, p95, max]);
  });

  it('keeps lengths past its range together, with the max exact', () => {
    const h = new LengthHistogram(10);
    for (const v of [1, 2, 50, 70]) h.add(v);
    expect([h.percentile(0.5), h.percentile(1), h.max]).toEqual([2, 70, 70]);
  });
});

describe('HashTable', () => {
  it('remembers the first line of each hash, grows by count, and stops at its cap', () => {
    const t = new HashTable(64, 16);
    for (let i = 1; i <= 100; i++) expect(t.add(hashText(`example ${i}`), i)).toBe(0);
    expect(t.full).toBe(true);
    // Three quarters full it doubles (16 -> 32 -> 64); at the cap it fills to 85%.
    expect(t.size).toBe(54);
    expect(t.bytes).toBe(64 * 12);
    expect(t.add(hashText('example 7'), 500)).toBe(7);
    expect(t.get(hashText('example 99'))).toBe(0);
  });

  it('sharded: the same answers, each shard capped at its share', () => {
    const t = new ShardedHashTable(64 * 16);
    let added = 0;
    for (let i = 1; i <= 2000; i++) if (t.add(hashText(`example ${i}`), i) === 0 && t.get(hashText(`example ${i}`)) === i) added++;
    expect(t.full).toBe(true);
    expect(t.size).toBe(added);
    expect(t.size).toBeLessThanOrEqual(64 * 13);
    expect(t.bytes).toBe(64 * 16 * 12);
    expect(t.add(hashText('example 1'), 9999)).toBe(1);
  });
});

describe('the quality threshold', () => {
  it.each([
    [0, 0, true],
    [1, 0, true], // 1 in 20 = 5%: at the threshold passes
    [2, 0, false],
    [0, 1, false], // 1 broken in 21 lines = 4.8% > 2%
  ])('%d duplicates and %d broken lines in 20 examples: passes %s', async (dups, broken, passes) => {
    const lines = Array.from({ length: 20 }, (_, i) => chat(`q${i <= dups ? 0 : i}`, 'a'));
    for (let i = 0; i < broken; i++) lines.push('{oops');
    const report = buildDataReport('t.jsonl', await inspect(lines), await settings());
    expect(report.quality.passes).toBe(passes);
    expect(report.facts['trainingData.qualityWarning']).toBe(!passes);
    if (!passes) expect(report.quality.warning).toMatch(/^t\.jsonl: .*% of the examples are duplicates \(threshold 5%\)/);
  });
});

describe('Fingerprint.addNormalised', () => {
  it.each(['plain text', '  leading and trailing  ', 'tabs\tand\nnew\r\nlines', 'runs    of   spaces', 'unicode\u00a0\u2003spaces\u3000here', '', '   ', 'ünïcödé ✓ text'])(
    '%j hashes as its normalised text',
    async (text) => {
      const { Fingerprint } = await import('../../../src/evidence/data/hashes');
      const { normalise } = await import('../../../src/evidence/data/formats');
      expect(new Fingerprint().addNormalised(text).done()).toEqual(new Fingerprint().add(normalise(text)).done());
      expect(normalise(text)).toBe(text.replace(/\s+/g, ' ').trim());
    },
  );
});

describe('facts of a file with no readable line', () => {
  it('say nothing about PII or counts, and warn about quality', async () => {
    const report = buildDataReport('broken.jsonl', await inspect(['{oops', 'not json', '[1]']), await settings());
    expect(report.facts).not.toHaveProperty('trainingData.piiLines');
    expect(report.facts).not.toHaveProperty('trainingData.examples');
    expect(report.facts['trainingData.qualityWarning']).toBe(true);
  });
});
