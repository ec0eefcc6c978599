// Reading answers and rule files: size-capped before anything is parsed, and every
// failure turned into a message that names the file and says what to do.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { InputError } from './errors';

export const ANSWERS_MAX_BYTES = 1024 * 1024;

export interface ReadOptions {
  cwd?: string;
  maxBytes: number;
  what: string;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Reads a capped file. Synchronous underneath: a command line reads a handful of small
 * files, and node:fs/promises alone costs a millisecond of start-up on the CI path.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that every failure reaches callers as a rejection
export async function readInputFile(file: string, options: ReadOptions): Promise<string> {
  const full = resolve(options.cwd ?? '.', file);
  let fd: number;
  try {
    fd = openSync(full, 'r');
  } catch (error) {
    throw new InputError({ file, message: openFailure(error, options.what), hint: hintFor(error) });
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new InputError({ file, message: `is a directory; expected ${article(options.what)} file (YAML or JSON)` });
    if (info.size > options.maxBytes) {
      throw new InputError({ file, message: `is ${formatBytes(info.size)}; ${options.what} files are capped at ${formatBytes(options.maxBytes)}`, hint: 'is this the right file?' });
    }
    // Read one byte past the cap at most: a file can grow between stat and read, and a
    // pipe or a device (/dev/zero) has no size to check beforehand.
    let buffer = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, info.size + 1, 64 * 1024) || 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > options.maxBytes) {
          throw new InputError({ file, message: `is over ${formatBytes(options.maxBytes)}; ${options.what} files are capped there` });
        }
        const grown = Buffer.allocUnsafe(Math.min(options.maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (startsAsUtf16(buffer.subarray(0, length))) throw new InputError({ file, ...UTF16_PROBLEM });
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file, message: openFailure(error, options.what), hint: hintFor(error) });
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether bytes open with a UTF-16 byte order mark. Notepad, some editors and PowerShell 5's
 * `>` write UTF-16; read as UTF-8 it is noise with a NUL in every other byte.
 */
export function startsAsUtf16(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

export const UTF16_PROBLEM = { message: 'is UTF-16 text; expected UTF-8', hint: 'save it as UTF-8 (in most editors: Save with Encoding, UTF-8; in PowerShell: Out-File -Encoding utf8)' } as const;

/**
 * Whether `file` is a regular file, which can be read more than once. A pipe, a FIFO or
 * /dev/stdin (`--answers <(jq ...)`) is used up by its first read. False also when it
 * cannot be looked at: the read that follows says why.
 */
export function isRegularFile(file: string, cwd?: string): boolean {
  try {
    return statSync(resolve(cwd ?? '.', file)).isFile();
  } catch {
    return false;
  }
}

function openFailure(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return `no such file; expected ${article(what)} file (YAML or JSON)`;
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'EISDIR':
      return `is a directory; expected ${article(what)} file (YAML or JSON)`;
    case 'ELOOP':
      return 'cannot be read: its symbolic links go round in a loop';
    case 'ENXIO':
      // /dev/stdin when standard input is a socket, as a program (not a shell) may give.
      return 'cannot be opened as a file (ENXIO: it is a socket)';
    default:
      return `cannot be read (${code ?? (error as Error)?.message ?? 'unknown error'})`;
  }
}

function hintFor(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'check the path; `ft-advisor init answers.yaml` writes a template';
  if (code === 'ENXIO') return 'for standard input, give - instead of /dev/stdin';
  return undefined;
}

/** Reads all of stdin, refusing more than maxBytes without buffering it all. */
export async function readStream(stream: Readable, options: { maxBytes: number; file: string; what: string }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > options.maxBytes) {
      stream.destroy();
      throw new InputError({ file: options.file, message: `standard input is over ${formatBytes(options.maxBytes)}; ${options.what} input is capped there` });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function article(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
