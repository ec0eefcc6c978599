// The data inspector: fed a JSONL file chunk by chunk, it keeps counts, hashes and a
// fixed-size histogram, never the lines themselves. What it holds is bounded by the
// longest line it will read, the hash tables' cap and the capped lists of line numbers.
import { classify, duplicateHash, FORMATS, PROBLEM_KINDS, type DataFormat, type ProblemKind } from './formats';
import { ShardedHashTable, LengthHistogram } from './hashes';
import { LineSplitter } from './lines';
import { findPii, PII_KINDS, type PiiKind } from './pii';
import type { DataInspectionSettings } from './settings';

/** Line numbers listed per finding; the counts are always complete. */
export const LISTED_LINES = 50;
/** A longer line is not read (reported by its number); it bounds what the inspector holds. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface InspectorOptions {
  settings: DataInspectionSettings;
  maxLineBytes?: number;
  /** The holdout's examples, to find training examples that are also in the holdout. */
  holdout?: ShardedHashTable;
  /** The cap of the duplicate table, in slots (a power of two, at least 1,024). */
  maxHashSlots?: number;
}

/** A count and the first line numbers it was seen on. */
export interface Listed {
  count: number;
  lines: number[];
}

export interface DataFindings {
  bytes: number;
  /** Lines longer than this were not read. */
  maxLineBytes: number;
  lines: number;
  blankLines: number;
  /** Lines detected in each format, with or without problems. */
  formats: Record<DataFormat, number>;
  /** The format of most lines, or null when no line has one. */
  format: DataFormat | null;
  /** Lines in a format other than the main one. */
  otherFormatLines: { line: number; format: DataFormat }[];
  /** Lines in a format, without problems, each duplicate counted once: what training can use. */
  usable: Record<DataFormat, number>;
  problems: { lines: number; byKind: Partial<Record<ProblemKind, Listed>> };
  duplicates: { count: number; lines: { line: number; firstLine: number }[]; complete: boolean };
  leakage?: { count: number; lines: { line: number; holdoutLine: number }[] };
  tokens: { method: string; p50: number; p95: number; max: number; contextLimit: number; overLimit: Listed };
  pii: { kinds: PiiKind[]; lines: number; byKind: Partial<Record<PiiKind, Listed>> };
}

export class DataInspector {
  readonly seen: ShardedHashTable;
  private readonly splitter: LineSplitter;
  private readonly lengths = new LengthHistogram();
  private readonly piiKinds: Set<PiiKind>;
  private readonly f: DataFindings;
  private readonly formatLines: Record<DataFormat, number[]> = { chat: [], preference: [], completion: [], text: [] };

  constructor(private readonly options: InspectorOptions) {
    const s = options.settings;
    this.piiKinds = new Set(s.pii.kinds);
    this.seen = new ShardedHashTable(options.maxHashSlots);
    this.splitter = new LineSplitter(
      options.maxLineBytes ?? MAX_LINE_BYTES,
      (bytes, line) => this.line(bytes, line),
      (line) => this.problem(line, ['line-too-long']),
    );
    this.f = {
      bytes: 0,
      maxLineBytes: options.maxLineBytes ?? MAX_LINE_BYTES,
      lines: 0,
      blankLines: 0,
      formats: { chat: 0, preference: 0, completion: 0, text: 0 },
      format: null,
      otherFormatLines: [],
      usable: { chat: 0, preference: 0, completion: 0, text: 0 },
      problems: { lines: 0, byKind: {} },
      duplicates: { count: 0, lines: [], complete: true },
      ...(options.holdout ? { leakage: { count: 0, lines: [] } } : {}),
      tokens: { method: `characters / ${s.tokenEstimate.charsPerToken} (an estimate; no tokenizer)`, p50: 0, p95: 0, max: 0, contextLimit: s.contextLimit.tokens, overLimit: { count: 0, lines: [] } },
      pii: { kinds: [...this.piiKinds], lines: 0, byKind: {} },
    };
  }

  /** Bytes held for an unfinished line; never more than the line cap. */
  get pendingBytes(): number {
    return this.splitter.pendingBytes;
  }

  get peakPendingBytes(): number {
    return this.splitter.peakPending;
  }

  get lines(): number {
    return this.splitter.lines;
  }

  push(chunk: Buffer): void {
    this.f.bytes += chunk.length;
    this.splitter.push(chunk);
  }

  end(): DataFindings {
    this.splitter.end();
    const f = this.f;
    f.lines = this.splitter.lines;
    f.tokens.p50 = this.lengths.percentile(0.5);
    f.tokens.p95 = this.lengths.percentile(0.95);
    f.tokens.max = this.lengths.max;
    f.duplicates.complete = !this.seen.full;
    let main: DataFormat | null = null;
    for (const format of FORMATS) if (f.formats[format] > 0 && (main === null || f.formats[format] > f.formats[main])) main = format;
    f.format = main;
    f.otherFormatLines = FORMATS.filter((x) => x !== main)
      .flatMap((format) => this.formatLines[format].map((line) => ({ line, format })))
      .sort((a, b) => a.line - b.line)
      .slice(0, LISTED_LINES);
    return f;
  }

  private line(bytes: Buffer, line: number): void {
    let text = bytes.toString('utf8');
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') {
      this.f.blankLines++;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problem(line, ['not-json']);
      return;
    }
    const c = classify(value);
    if (c.problems.length) this.problem(line, c.problems);
    const format = c.format;
    if (!format) return;
    this.f.formats[format]++;
    const listed = this.formatLines[format];
    if (listed.length < LISTED_LINES) listed.push(line);

    const hash = duplicateHash(c);
    const first = this.seen.add(hash, line);
    if (first !== 0) {
      this.f.duplicates.count++;
      if (this.f.duplicates.lines.length < LISTED_LINES) this.f.duplicates.lines.push({ line, firstLine: first });
    } else if (c.problems.length === 0) {
      this.f.usable[format]++;
    }
    if (this.options.holdout && this.f.leakage) {
      const holdoutLine = this.options.holdout.get(hash);
      if (holdoutLine !== 0) {
        this.f.leakage.count++;
        if (this.f.leakage.lines.length < LISTED_LINES) this.f.leakage.lines.push({ line, holdoutLine });
      }
    }

    const tokens = Math.ceil(c.chars / this.options.settings.tokenEstimate.charsPerToken);
    this.lengths.add(tokens);
    if (tokens > this.f.tokens.contextLimit) list(this.f.tokens.overLimit, line);

    if (this.piiKinds.size) {
      const kinds = new Set<PiiKind>();
      for (const t of c.texts) for (const kind of findPii(t.text, this.piiKinds)) kinds.add(kind);
      if (kinds.size) {
        this.f.pii.lines++;
        for (const kind of kinds) list((this.f.pii.byKind[kind] ??= { count: 0, lines: [] }), line);
      }
    }
  }

  private problem(line: number, kinds: ProblemKind[]): void {
    this.f.problems.lines++;
    for (const kind of kinds) list((this.f.problems.byKind[kind] ??= { count: 0, lines: [] }), line);
  }
}

function list(into: Listed, line: number): void {
  into.count++;
  if (into.lines.length < LISTED_LINES) into.lines.push(line);
}

export { FORMATS, PII_KINDS, PROBLEM_KINDS };
