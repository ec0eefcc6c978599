// Capped file reading: every way a file can be too big or not a file is refused with a
// message naming it, and what is read is exactly the file's text.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { isRegularFile, readInputFile } from '../../src/util/read-input';
import { InputError } from '../../src/util/errors';
import { tempDir } from '../cli/helpers';

const { dir, cleanup } = tempDir('ft-advisor-read-');
afterAll(cleanup);
const opts = { cwd: dir, maxBytes: 1000, what: 'answers' };

async function failure(file: string, options = opts): Promise<InputError> {
  const error = await readInputFile(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('readInputFile', () => {
  it('reads a file relative to cwd, multi-byte text intact', async () => {
    const text = `name: ${'é'.repeat(400)}\n`;
    writeFileSync(join(dir, 'a.yaml'), text);
    expect(await readInputFile('a.yaml', opts)).toBe(text);
  });

  it('reads a file of exactly the cap, and an empty one', async () => {
    writeFileSync(join(dir, 'cap.yaml'), 'x'.repeat(1000));
    expect(await readInputFile('cap.yaml', opts)).toHaveLength(1000);
    writeFileSync(join(dir, 'empty.yaml'), '');
    expect(await readInputFile('empty.yaml', opts)).toBe('');
  });

  it.each([
    ['big.yaml', () => writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(1001)), /is 1001 bytes; answers files are capped at 1000 bytes/],
    ['missing.yaml', () => undefined, /no such file; expected an answers file/],
    ['folder', () => mkdirSync(join(dir, 'folder'), { recursive: true }), /is a directory/],
    ['utf16le.yaml', () => writeFileSync(join(dir, 'utf16le.yaml'), Buffer.from('\ufeffversion: 1\n', 'utf16le')), /is UTF-16 text; expected UTF-8/],
    ['utf16be.yaml', () => writeFileSync(join(dir, 'utf16be.yaml'), Buffer.from([0xfe, 0xff, 0x00, 0x61])), /is UTF-16 text; expected UTF-8/],
    ['loop.yaml', () => symlinkSync('loop.yaml', join(dir, 'loop.yaml')), /symbolic links go round in a loop/],
  ])('refuses %s', async (file, setup, message) => {
    setup();
    const error = await failure(file);
    expect(error.problems[0]!.file).toBe(file);
    expect(error.problems[0]!.message).toMatch(message);
  });

  it.skipIf(!existsSync('/dev/zero'))('stops an endless device one byte past the cap', async () => {
    const error = await failure('/dev/zero', { ...opts, maxBytes: 200_000 });
    expect(error.problems[0]!.message).toMatch(/is over 195\.3 KiB; answers files are capped there/);
  });
});

describe('isRegularFile: which files can be read a second time', () => {
  it.each([
    ['a file', 'regular.yaml', true],
    ['a folder', 'folder-2', false],
    ['a missing file', 'nowhere.yaml', false],
    ['a device', '/dev/null', false],
  ])('%s: %s', (_what, file, expected) => {
    writeFileSync(join(dir, 'regular.yaml'), 'x: 1\n');
    mkdirSync(join(dir, 'folder-2'), { recursive: true });
    expect(isRegularFile(file, dir)).toBe(expected);
  });
});

describe.skipIf(process.platform === 'win32')('a socket given as a file', () => {
  it('is refused with a hint to use - for standard input', async () => {
    // What /dev/stdin is when a program, not a shell, hands ft-advisor a socket.
    const server = createServer();
    const path = join(dir, 'socket');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const error = await failure('socket');
      expect(error.problems[0]!.message).toMatch(/cannot be opened as a file \(ENXIO/);
      expect(error.problems[0]!.hint).toMatch(/give - instead of \/dev\/stdin/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
