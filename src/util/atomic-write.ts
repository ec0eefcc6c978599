// Reports and answer files are written so that a crash, a full disk or Ctrl-C never leaves a
// half-written file behind: readers see either the old content or the new, nothing between.
// A device or named pipe (/dev/null, /dev/stdout, a FIFO) is written straight to: it holds
// no file to protect, and renaming over it would replace the device with a file.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { access, open, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface WriteFileAtomicOptions {
  /** File mode for the result. Defaults to the existing file's mode, else 0o666 minus umask. */
  mode?: number;
}

/**
 * Writes `data` to a temporary file next to `path`, flushes it to disk and renames it over
 * `path`. On failure the temporary file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteFileAtomicOptions = {}): Promise<void> {
  // Writing through a symlink keeps the link and replaces what it points at, as a plain
  // write would; renaming over the link itself would silently turn it into a regular file.
  const target = await realpathOrResolved(path);
  if (await isStream(target)) {
    await writeFile(target, data);
    return;
  }
  const dir = dirname(target);
  // Same directory, so the final rename stays on one filesystem and is atomic.
  const temp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  const mode = opts.mode ?? (await existingMode(target));

  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', mode ?? 0o666);
    await handle.writeFile(data);
    // open() applies the umask; an explicit or inherited mode should be exactly that.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** A file being written atomically, in pieces: write to `stream`, then commit() or abort(). */
export interface AtomicWrite {
  /** Writes go to the temporary file (or straight to a device or named pipe). */
  readonly stream: Writable;
  /** Whether the stream writes to a file descriptor (its write callbacks mean the bytes are with the system). */
  readonly direct: boolean;
  /** Ends the stream, flushes it to disk and renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Ends the stream and removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * writeFileAtomic for output of any size: the data is streamed into the temporary file as
 * it is produced, so nothing has to be held in memory, and renamed over `path` on commit.
 */
export async function openAtomicWrite(path: string, opts: WriteFileAtomicOptions = {}): Promise<AtomicWrite> {
  const target = await realpathOrResolved(path);
  const finished = (stream: Writable) =>
    new Promise<void>((done, fail) => {
      if (stream.writableFinished) return done();
      stream.once('error', fail);
      stream.end(() => done());
    });
  if (await isStream(target)) {
    const stream = createWriteStream(target, { flags: 'w' });
    return {
      stream,
      direct: true,
      commit: () => finished(stream),
      abort: () => {
        stream.destroy();
        return Promise.resolve();
      },
    };
  }
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  const mode = opts.mode ?? (await existingMode(target));
  // A numeric descriptor, not a FileHandle: the stream writes through it with autoClose off,
  // and it is synced and closed here once the stream has finished.
  const handle = await open(temp, 'wx', mode ?? 0o666);
  const fd = handle.fd;
  const stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  return {
    stream,
    direct: true,
    async commit() {
      try {
        await finished(stream);
        if (mode !== undefined) await handle.chmod(mode);
        await handle.sync();
        closed = true;
        await handle.close();
        await rename(temp, target);
      } catch (error) {
        stream.destroy();
        await close();
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await syncDirectory(dir);
    },
    async abort() {
      stream.destroy();
      await close();
      await unlink(temp).catch(() => undefined);
    },
  };
}

/**
 * Why `path` cannot be written, in words for a person, or undefined if it looks writable.
 * Creates nothing; meant for checking `--out` before doing the work.
 */
export async function checkWritable(path: string): Promise<string | undefined> {
  const absolute = resolve(path);
  const shownDir = dirname(path) === '.' ? 'the current directory' : `directory ${dirname(path)}`;

  const existing = await statOrCode(absolute);
  if (typeof existing !== 'string') {
    if (existing.isDirectory()) return `${path} is a directory`;
    if (isStreamStats(existing)) return (await canAccess(absolute, constants.W_OK)) ? undefined : `${path} is not writable`;
    if (!existing.isFile()) return `${path} is not a regular file`;
    // The rename would succeed anyway, but a read-only file is usually meant to stay as it is.
    if (!(await canAccess(absolute, constants.W_OK))) return `${path} is read-only`;
  } else if (existing !== 'ENOENT' && existing !== 'ENOTDIR') {
    return `${path} cannot be accessed (${existing})`;
  }

  const dir = dirname(await realpathOrResolved(path));
  const dirStat = await statOrCode(dir);
  if (dirStat === 'ENOENT') return `${shownDir} does not exist`;
  if (dirStat === 'ENOTDIR') return `${dirname(path)} is not a directory`;
  if (typeof dirStat === 'string') return `${shownDir} cannot be accessed (${dirStat})`;
  if (!dirStat.isDirectory()) return `${dirname(path)} is not a directory`;
  if (!(await canAccess(dir, constants.W_OK | constants.X_OK))) return `${shownDir} is not writable`;
  return undefined;
}

/**
 * Whether `path` is a character device or a named pipe (/dev/null, /dev/stdout on a pipe
 * or terminal, a FIFO): written straight to, and never "replaced".
 */
export async function isStream(path: string): Promise<boolean> {
  const info = await statOrCode(path);
  return typeof info !== 'string' && isStreamStats(info);
}

function isStreamStats(info: Stats): boolean {
  return info.isCharacterDevice() || info.isFIFO();
}

async function realpathOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

async function statOrCode(path: string): Promise<Stats | string> {
  try {
    return await stat(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  }
}

async function canAccess(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable. Not possible on every platform (Windows), hence best effort. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // The data is already safely in place; only durability across power loss is at stake.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
