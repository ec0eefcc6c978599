// Reading training files for the inspector: streamed in fixed-size chunks, opened for
// reading only, with the file-level problems (a directory, an empty file, UTF-16, a
// binary file) refused by name before any line is judged.
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../util/errors';
import { startsAsUtf16, UTF16_PROBLEM } from '../../util/read-input';
import type { ShardedHashTable } from './hashes';
import { DataInspector, type DataFindings } from './inspect';
import { buildDataReport, type DataReport } from './report';
import type { DataInspectionSettings } from './settings';

export const CHUNK_BYTES = 1024 * 1024;

export interface Progress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  lines: number;
}

export interface ReadDataOptions {
  cwd?: string;
  settings: DataInspectionSettings;
  /** Called after every chunk; the caller decides whether and how often to show it. */
  onProgress?: (progress: Progress) => void;
  chunkBytes?: number;
  maxLineBytes?: number;
}

/** Inspects a training file and, when given, its holdout (read first, for the leakage check). */
export async function inspectData(file: string, holdoutFile: string | undefined, options: ReadDataOptions): Promise<DataReport> {
  let holdout: { file: string; findings: DataFindings; seen: ShardedHashTable } | undefined;
  if (holdoutFile !== undefined) holdout = { file: holdoutFile, ...(await inspectFile(holdoutFile, options)) };
  const { findings } = await inspectFile(file, { ...options, holdout: holdout?.seen });
  return buildDataReport(file, findings, options.settings, holdout);
}

/** Streams one file through an inspector. */
export async function inspectFile(file: string, options: ReadDataOptions & { holdout?: ShardedHashTable }): Promise<{ findings: DataFindings; seen: ShardedHashTable }> {
  const handle = await openForReading(file, options.cwd);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new InputError({ file, message: 'is a directory; expected a JSONL training file', hint: 'name one file, e.g. data/train.jsonl' });
    const inspector = new DataInspector({ settings: options.settings, holdout: options.holdout, maxLineBytes: options.maxLineBytes });
    const buffer = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
    let bytesRead = 0;
    for (;;) {
      const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = buffer.subarray(0, n);
      if (bytesRead === 0) checkStart(file, chunk);
      bytesRead += n;
      inspector.push(chunk);
      options.onProgress?.({ file, bytesRead, totalBytes: info.size, lines: inspector.lines });
    }
    if (bytesRead === 0) throw new InputError({ file, message: 'is empty; expected JSONL, one training example per line', hint: 'check the path, or that the export finished' });
    return { findings: inspector.end(), seen: inspector.seen };
  } finally {
    await handle.close();
  }
}

async function openForReading(file: string, cwd?: string): Promise<FileHandle> {
  try {
    return await open(resolve(cwd ?? '.', file), 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new InputError({ file, message: 'no such file; expected a JSONL training file', hint: 'check the path (relative paths in an answers file are relative to that file)' });
    if (code === 'EISDIR') throw new InputError({ file, message: 'is a directory; expected a JSONL training file', hint: 'name one file, e.g. data/train.jsonl' });
    if (code === 'EACCES' || code === 'EPERM') throw new InputError({ file, message: 'cannot be read: permission denied' });
    throw new InputError({ file, message: `cannot be read (${code ?? (error as Error).message})` });
  }
}

/**
 * UTF-16 (with a byte order mark, or without one: a NUL in every other byte) and binary
 * files (NUL bytes elsewhere) are refused from their first chunk: JSONL is UTF-8 text.
 */
function checkStart(file: string, chunk: Buffer): void {
  const head = chunk.subarray(0, 64 * 1024);
  if (startsAsUtf16(head)) throw new InputError({ file, ...UTF16_PROBLEM });
  const nul = head.indexOf(0);
  if (nul === -1) return;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < head.length; i++)
    if (head[i] === 0) {
      if (i % 2) odd++;
      else even++;
    }
  if (Math.max(even, odd) > head.length * 0.3 && Math.min(even, odd) < head.length * 0.05) throw new InputError({ file, ...UTF16_PROBLEM });
  throw new InputError({
    file,
    message: `is a binary file (a NUL byte at offset ${nul}); expected JSONL text, one example per line`,
    hint: 'is this the right file? Compressed exports must be unpacked first (gunzip, unzip)',
  });
}
