// Reading a batch's inputs: arguments to files (folders to their answers files), and
// standard input told apart as JSON Lines or one document.
import fs from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { isJsonLinesPath } from '../answers/read';
import type { Problem } from '../util/errors';
import { ANSWERS_MAX_BYTES, startsAsUtf16, UTF16_PROBLEM } from '../util/read-input';
import type { CliIO } from '../cli/io';

export const STDIN_LABEL = '<stdin>';
export const STDIN_UTF16: Problem = { file: STDIN_LABEL, message: `standard input ${UTF16_PROBLEM.message}`, hint: UTF16_PROBLEM.hint };
const ANSWER_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface Input {
  kind: 'document' | 'lines' | 'stdin';
  file: string;
}

/** Arguments to inputs: folders become their *.yaml, *.yml and *.json files, sorted, not recursive. */
export async function expandInputs(args: readonly string[], cwd: string): Promise<{ inputs: Input[]; problems: { file: string; problems: Problem[] }[]; skipped: string[] }> {
  const inputs: Input[] = [];
  const problems: { file: string; problems: Problem[] }[] = [];
  /** JSON Schema files in a folder (`ft-advisor schema answers > answers.schema.json` puts one there). */
  const skipped: string[] = [];
  const kindOf = (name: string): Input['kind'] => (isJsonLinesPath(name) ? 'lines' : 'document');
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ kind: 'stdin', file: STDIN_LABEL });
      continue;
    }
    if (!(await isFolder(resolve(cwd, arg)))) {
      // A missing file is worded by readInputFile when it is read.
      inputs.push({ kind: kindOf(arg), file: arg });
      continue;
    }
    const entries = await fs.promises.readdir(resolve(cwd, arg), { withFileTypes: true });
    const names = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && ANSWER_EXTENSIONS.has(extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (!names.length) {
      problems.push({ file: arg, problems: [{ file: arg, message: 'is a folder with no answers files in it; expected *.yaml, *.yml or *.json (subfolders are not searched)' }] });
      continue;
    }
    for (const name of names) {
      if (await isJsonSchemaFile(resolve(cwd, arg, name))) skipped.push(join(arg, name));
      else inputs.push({ kind: 'document', file: join(arg, name) });
    }
    if (names.length && names.every((name) => skipped.includes(join(arg, name)))) {
      problems.push({ file: arg, problems: [{ file: arg, message: 'is a folder with no answers files in it, only JSON Schema files; expected *.yaml, *.yml or *.json answers' }] });
    }
  }
  return { inputs, problems, skipped };
}

export async function isFolder(path: string): Promise<boolean> {
  return fs.promises.stat(path).then(
    (i) => i.isDirectory(),
    () => false,
  );
}

export type Chunks = AsyncIterable<Buffer | string>;
export type StdinPeek = { kind: 'lines'; stream: Chunks; head: string } | { kind: 'document'; text: string } | { kind: 'too-big' } | { kind: 'utf16' };

/**
 * Reads standard input up to its first non-blank line. A line that is a whole JSON
 * object means JSON Lines (the rest is streamed); anything else is read whole as one
 * YAML or JSON document (capped at 1 MiB).
 *
 * @param jsonLines JSON Lines were asked for (--format jsonl): a first line that starts an
 *   object but runs past the cap is then that line's problem, and the lines after it are
 *   still assessed, as for an oversized line further on.
 */
export async function peekStdin(stdin: CliIO['stdin'], jsonLines: boolean): Promise<StdinPeek> {
  const decoder = new StringDecoder('utf8');
  const iterator = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const decode = (chunk: Buffer | string) => (typeof chunk === 'string' ? chunk : decoder.write(chunk));
  let head = '';
  let done = false;
  // Plain string scans, not regular expressions: a megabyte without a newline made a
  // backtracking pattern quadratic.
  while (!hasCompleteLines(head, 1) && head.length <= ANSWERS_MAX_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      head += decoder.end();
      break;
    }
    if (!head && typeof next.value !== 'string' && startsAsUtf16(next.value)) {
      // Refused unread, as an over-long input is.
      stdin.destroy();
      return { kind: 'utf16' };
    }
    head += decode(next.value);
  }
  const rest = (async function* () {
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const firstLine = firstNonBlankLine(head);
  if (jsonLines && head.length > ANSWERS_MAX_BYTES && firstLine.startsWith('{') && !hasCompleteLines(head, 1)) return { kind: 'lines', stream: rest, head };
  if (isJsonObjectLine(firstLine)) {
    // One JSON document on one line is still one document: look for a second line first.
    while (!done && !hasCompleteLines(head, 1, true) && head.length <= ANSWERS_MAX_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        head += decoder.end();
      } else head += decode(next.value);
    }
    if (
      done &&
      head
        .trim()
        .split('\n')
        .filter((l) => l.trim()).length === 1
    )
      return { kind: 'document', text: head };
    return { kind: 'lines', stream: rest, head };
  }
  // The first line is not a JSON object, yet the input may still be JSON Lines whose first
  // line is bad (`[1]`, a comment): two or more whole-object lines at the start of a line
  // mean JSON Lines, and the bad line is then reported by its number like any other.
  let text = head;
  const scan = { from: 0, objects: 0 };
  if (objectLines(text, scan)) return { kind: 'lines', stream: rest, head: text };
  while (text.length <= ANSWERS_MAX_BYTES) {
    const next = await rest.next();
    if (next.done) break;
    text += decode(next.value);
    if (objectLines(text, scan)) return { kind: 'lines', stream: rest, head: text };
  }
  if (text.length <= ANSWERS_MAX_BYTES) {
    // The whole input is here: its last line may have no newline.
    text += decoder.end();
    if (objectLines(`${text}\n`, scan)) return { kind: 'lines', stream: rest, head: text };
    return { kind: 'document', text };
  }
  // Refused unread: do not wait for a writer that may never stop.
  stdin.destroy();
  return { kind: 'too-big' };
}

/**
 * Whether `text` holds `count` complete non-blank lines (ended by a newline), or, with
 * `andMore`, that many plus the start of another non-blank line.
 */
function hasCompleteLines(text: string, count: number, andMore = false): boolean {
  let seen = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end);
    if (line.trim()) {
      if (seen >= count) return true; // reached only with andMore
      if (end === -1) return false;
      seen++;
      if (seen >= count && !andMore) return true;
    }
    if (end === -1) return false;
    start = end + 1;
  }
}

function firstNonBlankLine(text: string): string {
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = (end === -1 ? text.slice(start) : text.slice(start, end)).trim();
    if (line || end === -1) return line;
    start = end + 1;
  }
}

/**
 * Counts the complete lines of `text` from `scan.from` that are whole JSON objects starting
 * at the start of the line (an indented one can be part of a YAML document); true at two.
 */
function objectLines(text: string, scan: { from: number; objects: number }): boolean {
  for (;;) {
    const end = text.indexOf('\n', scan.from);
    if (end === -1) return false;
    const line = text.slice(scan.from, end).trimEnd();
    scan.from = end + 1;
    if (line.startsWith('{') && isJsonObjectLine(line) && ++scan.objects >= 2) return true;
  }
}

/** A line that is a whole JSON object: the mark of JSON Lines. */
export function isJsonObjectLine(line: string): boolean {
  if (!line.startsWith('{') || !line.endsWith('}')) return false;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Whether a folder's .json file is a JSON Schema (its `$schema` names json-schema.org
 * near the top) rather than answers. Only the first 4 KiB are read.
 */
async function isJsonSchemaFile(path: string): Promise<boolean> {
  if (!path.toLowerCase().endsWith('.json')) return false;
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(path, 'r');
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return /"\$schema"\s*:\s*"https?:\/\/json-schema\.org\//.test(head.subarray(0, bytesRead).toString('utf8'));
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}
