// Reading an answers document (a file or standard input, YAML or JSON) into plain data,
// before validation. No zod here: the CI fast path reads answers through this module.
import type { Readable } from 'node:stream';
import { InputError } from '../util/errors';
import { ANSWERS_MAX_BYTES, readInputFile, readStream } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';

export const STDIN_NAME = '<stdin>';

/** File name endings of JSON Lines: one answers document per line. */
const JSON_LINES_EXTENSIONS = ['.jsonl', '.ndjson'];

/** Whether a file is JSON Lines by its name (read as a stream of use cases, not one document). */
export function isJsonLinesPath(file: string): boolean {
  const lower = file.toLowerCase();
  return JSON_LINES_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export interface AnswerSource {
  /** A path, or "-" for standard input. */
  file: string;
  cwd?: string;
  stdin?: Readable;
}

export async function readAnswersData(source: AnswerSource): Promise<{ data: unknown; file: string }> {
  if (source.file === '-') {
    if (!source.stdin) throw new InputError({ file: STDIN_NAME, message: 'standard input is not available' });
    const text = await readStream(source.stdin, { maxBytes: ANSWERS_MAX_BYTES, file: STDIN_NAME, what: 'answers' });
    if (!text.trim()) {
      throw new InputError({
        file: STDIN_NAME,
        message: 'standard input is empty; expected an answers document (YAML or JSON)',
        hint: 'pipe a file in: cat answers.yaml | ft-advisor assess --answers -',
      });
    }
    return { data: await parseStructured(text, { file: STDIN_NAME, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES }), file: STDIN_NAME };
  }
  const text = await readInputFile(source.file, { cwd: source.cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'answers' });
  return { data: await parseStructured(text, { file: source.file, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES }), file: source.file };
}
