import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWritable, writeFileAtomic } from '../../src/util/atomic-write';
import { canMakeNullDevice, makeNullDevice } from '../support/null-device';

const isWindows = process.platform === 'win32';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ft-advisor-atomic-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates a new file with exactly the given content and no leftovers', async () => {
    const target = join(dir, 'report.md');
    await writeFileAtomic(target, '# Report\nünïcödé ✓\n');
    expect(await readFile(target, 'utf8')).toBe('# Report\nünïcödé ✓\n');
    expect(await readdir(dir)).toEqual(['report.md']);
  });

  it('replaces longer existing content completely', async () => {
    const target = join(dir, 'out.json');
    await writeFile(target, 'x'.repeat(10_000));
    await writeFileAtomic(target, '{"short":true}');
    expect(await readFile(target, 'utf8')).toBe('{"short":true}');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('writes bytes as given', async () => {
    const target = join(dir, 'bytes.bin');
    await writeFileAtomic(target, new Uint8Array([0, 255, 10, 13]));
    expect([...(await readFile(target))]).toEqual([0, 255, 10, 13]);
  });

  it('fails for a target in a directory that does not exist, creating nothing', async () => {
    const target = join(dir, 'missing', 'out.json');
    await expect(writeFileAtomic(target, 'data')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes the temporary file when the final rename fails', async () => {
    // The temp file is written next to the target, then renaming it over a directory fails.
    const target = join(dir, 'taken');
    await mkdir(target);
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readdir(target)).toEqual([]);
  });

  it.skipIf(isWindows || isRoot)('leaves the old content in place when the directory is read-only', async () => {
    const target = join(dir, 'keep.txt');
    await writeFile(target, 'old');
    await chmod(dir, 0o555);
    await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({ code: 'EACCES' });
    await chmod(dir, 0o755);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });

  it.skipIf(isWindows)('applies an explicit mode regardless of umask', async () => {
    const target = join(dir, 'secret.txt');
    await writeFileAtomic(target, 's', { mode: 0o600 });
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    await writeFileAtomic(target, 's', { mode: 0o644 });
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it.skipIf(isWindows)('keeps the mode of the file it replaces', async () => {
    const target = join(dir, 'shared.txt');
    await writeFile(target, 'old');
    await chmod(target, 0o640);
    await writeFileAtomic(target, 'new');
    expect((await stat(target)).mode & 0o777).toBe(0o640);
  });

  it.skipIf(isWindows)('writes through a symlink and keeps the link', async () => {
    const real = join(dir, 'real.txt');
    const link = join(dir, 'link.txt');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('new');
  });

  it('leaves one complete version when writes race', async () => {
    const target = join(dir, 'race.txt');
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(1000));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    expect(versions).toContain(await readFile(target, 'utf8'));
    expect(await readdir(dir)).toEqual(['race.txt']);
  });
});

describe('checkWritable', () => {
  it('accepts an existing writable file', async () => {
    const target = join(dir, 'out.json');
    await writeFile(target, '{}');
    await expect(checkWritable(target)).resolves.toBeUndefined();
  });

  it('accepts a new file in an existing directory, without creating it', async () => {
    const target = join(dir, 'new.json');
    await expect(checkWritable(target)).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a directory', async () => {
    await expect(checkWritable(dir)).resolves.toBe(`${dir} is a directory`);
  });

  it('reports a missing directory, without creating it', async () => {
    const parent = join(dir, 'nope');
    await expect(checkWritable(join(parent, 'out.json'))).resolves.toBe(`directory ${parent} does not exist`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a parent that is a file', async () => {
    const file = join(dir, 'file.txt');
    await writeFile(file, '');
    await expect(checkWritable(join(file, 'out.json'))).resolves.toBe(`${file} is not a directory`);
  });

  it.skipIf(isWindows || isRoot)('reports a directory without write permission', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o555 });
    await expect(checkWritable(join(locked, 'out.json'))).resolves.toBe(`directory ${locked} is not writable`);
    await chmod(locked, 0o755);
  });

  it.skipIf(isWindows || isRoot)('reports a read-only file', async () => {
    const target = join(dir, 'ro.json');
    await writeFile(target, '{}', { mode: 0o444 });
    await expect(checkWritable(target)).resolves.toBe(`${target} is read-only`);
  });

  it.skipIf(isWindows)('accepts a device (/dev/null): it is written to, not replaced', async () => {
    await expect(checkWritable('/dev/null')).resolves.toBeUndefined();
  });

  it.skipIf(isWindows)('reports something that is neither a file nor a stream (a socket)', async () => {
    const path = join(dir, 'socket');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await expect(checkWritable(path)).resolves.toBe(`${path} is not a regular file`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe.skipIf(isWindows)('writeFileAtomic to a device or named pipe', () => {
  it('writes into a FIFO, which stays a FIFO, with no temporary file beside it', async () => {
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = readFile(fifo, 'utf8');
    await writeFileAtomic(fifo, 'report text\n');
    expect(await reader).toBe('report text\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['out.fifo']);
  });

  // A null device of the test's own: were the stream check to break, the rename would
  // replace this node, not the machine's /dev/null.
  it.skipIf(!canMakeNullDevice())('writes into a null device and leaves it a device', async () => {
    const device = join(dir, 'null');
    makeNullDevice(device);
    await writeFileAtomic(device, 'discarded');
    expect((await stat(device)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null']);
  });
});
