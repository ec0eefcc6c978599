// Reading an eval-results file, whatever it is: promptfoo results (version 3, from
// `promptfoo eval -o` or the web viewer) or the tool-neutral evidence file, in JSON or
// YAML. The file is recognised by its content, never its name. JSON is streamed
// (json-stream.ts); anything that is not eval results is refused with what was expected.
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type Problem } from '../../util/errors';
import { startsAsUtf16, UTF16_PROBLEM, formatBytes } from '../../util/read-input';
import type { Measurements } from '../types';
import { JsonStreamError, SelectiveJsonReader, type PathPart } from './json-stream';
import { NEUTRAL_FORMAT, neutralProblems, neutralRows, type NeutralEvidence } from './neutral';
import { PromptfooCollector, selectPromptfoo } from './promptfoo';
import { evalFacts, summarize, type EvalSummary } from './summary';
import { StrictUtf8Decoder } from './utf8-decode';

/** A YAML evidence file is small by nature (one line per prompt x model); JSON is streamed. */
const YAML_MAX_BYTES = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export const EXPECTED = 'eval results: a promptfoo results file (promptfoo eval -o results.json, version 3) or an ft-advisor evidence file (format: ft-advisor-evidence)';
const HINT = 'promptfoo: promptfoo eval -o results.json; other tools: convert to the evidence file (docs/evidence.md, ft-advisor schema evidence)';

export interface EvalMeasurements extends Measurements {
  eval: EvalSummary;
}

export interface ReadEvalOptions {
  cwd?: string;
  /** Called with bytes read so far, for progress on a terminal. */
  onProgress?: (bytes: number, total: number) => void;
}

/** Reads one eval-results file into measurements. Throws InputError (exit 2) for anything else. */
export async function readEvalEvidence(file: string, options: ReadEvalOptions = {}): Promise<EvalMeasurements> {
  const full = resolve(options.cwd ?? '.', file);
  let size: number;
  try {
    const info = statSync(full);
    if (info.isDirectory()) throw fail(file, `is a directory; expected ${EXPECTED}`, 'name the results file in it, e.g. results.json');
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(
      file,
      code === 'ENOENT' ? `no such file; expected ${EXPECTED}` : `cannot be read (${code ?? (error as Error).message})`,
      code === 'ENOENT' ? 'check the path (evidence paths in an answers file are relative to that file)' : undefined,
    );
  }
  const summary = await readSummary(file, full, size, options);
  return { file, kind: summary.kind, facts: evalFacts(summary), eval: summary };
}

async function readSummary(file: string, full: string, size: number, options: ReadEvalOptions): Promise<EvalSummary> {
  const stream = createReadStream(full, { highWaterMark: CHUNK });
  const decoder = new StrictUtf8Decoder();
  const collector = new PromptfooCollector();
  const topKeys: string[] = [];
  const select = (path: readonly PathPart[]) => {
    if (path.length === 1 && typeof path[0] === 'string' && topKeys.length < 20) topKeys.push(path[0]);
    return selectPromptfoo(path);
  };
  const reader = new SelectiveJsonReader(select, collector.onValue);
  let mode: 'unknown' | 'json' | 'yaml' = 'unknown';
  const yamlParts: string[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (bytes === 0) sniffBinary(file, chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes, size);
      let text: string;
      try {
        text = decoder.decode(chunk);
      } catch {
        throw fail(file, `is not UTF-8 text (binary data near byte ${formatBytes(bytes)}); expected ${EXPECTED}`, 'is this the right file?');
      }
      if (mode === 'unknown') {
        const first = text.replace(/^\uFEFF/, '').search(/\S/);
        if (first === -1) {
          if (text.length) yamlParts.push(text);
          continue;
        }
        mode = text.replace(/^\uFEFF/, '')[first] === '{' || text.replace(/^\uFEFF/, '')[first] === '[' ? 'json' : 'yaml';
        if (mode === 'json' && yamlParts.length) reader.write(yamlParts.splice(0).join(''));
      }
      if (mode === 'json') reader.write(text);
      else {
        if (bytes > YAML_MAX_BYTES) throw fail(file, `is over ${formatBytes(YAML_MAX_BYTES)} of YAML; expected ${EXPECTED}`, 'large results are read as JSON, which is streamed');
        yamlParts.push(text);
      }
    }
    try {
      decoder.end();
    } catch {
      throw fail(file, `is not UTF-8 text (it ends inside a character); expected ${EXPECTED}`, 'is this the right file?');
    }
    if (mode === 'json') reader.end();
  } catch (error) {
    stream.destroy();
    if (error instanceof InputError) throw error;
    if (error instanceof JsonStreamError) {
      if (error.truncated)
        throw fail(
          file,
          `ends early: ${error.message} (the file is ${formatBytes(size)}); expected ${EXPECTED}`,
          'the file looks cut off: write it again (promptfoo eval -o results.json, or export it from the web viewer)',
        );
      throw fail(file, `is not valid JSON: ${error.message}; expected ${EXPECTED}`, 'is this the right file?');
    }
    if (error instanceof TypeError && /UTF-8|decode/i.test(error.message)) throw fail(file, `is not UTF-8 text; expected ${EXPECTED}`, 'is this the right file?');
    throw error;
  }
  if (mode === 'unknown') throw fail(file, `is empty; expected ${EXPECTED}`, HINT);
  if (mode === 'yaml') return fromYaml(file, yamlParts.join(''));
  return fromJson(file, collector, topKeys);
}

function sniffBinary(file: string, first: Buffer): void {
  if (startsAsUtf16(first)) throw new InputError({ file, ...UTF16_PROBLEM });
  if (first.subarray(0, 8192).includes(0)) throw fail(file, `is binary, not text; expected ${EXPECTED}`, 'is this the right file?');
}

function fromJson(file: string, c: PromptfooCollector, keys: string[]): EvalSummary {
  if (c.top.get('format') === NEUTRAL_FORMAT) return fromNeutral(file, Object.fromEntries(c.top));
  const resultsSeen = c.resultsVersion !== undefined || c.prompts !== undefined || c.hasResults();
  if (!resultsSeen) {
    throw fail(file, `is JSON but not eval results${keys.length ? ` (its top-level keys: ${keys.slice(0, 8).join(', ')})` : ''}; expected ${EXPECTED}`, HINT);
  }
  const version = c.resultsVersion;
  if (version !== 3) {
    const older = typeof version === 'number' && version < 3;
    throw fail(
      file,
      version === undefined
        ? `looks like promptfoo results but has no results.version; expected ${EXPECTED}`
        : `is a promptfoo results file of version ${JSON.stringify(version)}; ft-advisor reads version 3${older ? ' (promptfoo before 0.60 wrote older versions)' : ''}`,
      older ? 'write it again with a current promptfoo: promptfoo eval -o results.json (or promptfoo export <evalId> -o results.json)' : 'convert it to the evidence file (docs/evidence.md)',
      'results.version',
    );
  }
  const rows = c.rows();
  if (!rows.length)
    throw fail(file, 'is promptfoo results with no prompts and no results; expected at least one prompt x provider', 'was the eval run? promptfoo eval -o results.json', 'results.prompts');
  const pv = c.promptfooVersion();
  return summarize('promptfoo results (version 3)', rows, { tool: pv ? `promptfoo ${pv}` : 'promptfoo', description: c.description });
}

async function fromYaml(file: string, text: string): Promise<EvalSummary> {
  const { parseStructured } = await import('../../util/safe-yaml');
  const data = await parseStructured(text, { file, maxBytes: YAML_MAX_BYTES });
  if (!data || typeof data !== 'object' || Array.isArray(data) || (data as Record<string, unknown>).format !== NEUTRAL_FORMAT) {
    throw fail(file, `is YAML but not an evidence file (no "format: ${NEUTRAL_FORMAT}"); expected ${EXPECTED}`, HINT);
  }
  return fromNeutral(file, data as Record<string, unknown>);
}

function fromNeutral(file: string, data: Record<string, unknown>): EvalSummary {
  const problems = neutralProblems(data, file);
  if (problems.length) throw new InputError(problems);
  const doc = data as NeutralEvidence;
  return summarize('ft-advisor evidence file (version 1)', neutralRows(doc), { tool: doc.tool, description: doc.description });
}

function fail(file: string, message: string, hint?: string, path?: string): InputError {
  const problem: Problem = { file, message };
  if (path) problem.path = path;
  if (hint) problem.hint = hint;
  return new InputError(problem);
}
