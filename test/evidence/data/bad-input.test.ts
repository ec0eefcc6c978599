import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectData } from '../../../src/evidence/data/read';
import { InputError } from '../../../src/util/errors';
import { tempDir } from '../../cli/helpers';
import { defaultRules } from '../../helpers/engine';

const tmp = tempDir('ft-advisor-data-');
afterAll(() => tmp.cleanup());
const chat = JSON.stringify({
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
  ],
});

async function problemOf(name: string): Promise<string> {
  try {
    await inspectData(name, undefined, { cwd: tmp.dir, settings: (await defaultRules()).dataInspection! });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('no error');
}

describe('bad input', () => {
  it.each([
    ['empty.jsonl', () => Buffer.alloc(0), /empty\.jsonl: is empty; expected JSONL/],
    ['utf16-bom.jsonl', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${chat}\n`, 'utf16le')]), /UTF-16 text; expected UTF-8.*save it as UTF-8/],
    ['utf16-no-bom.jsonl', () => Buffer.from(`${chat}\n${chat}\n`, 'utf16le'), /UTF-16 text; expected UTF-8/],
    ['binary.jsonl', () => Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c]), /is a binary file \(a NUL byte at offset 3\).*gunzip/],
    ['missing.jsonl', undefined, /missing\.jsonl: no such file/],
  ])('%s is refused with what was expected', async (name, content, message) => {
    if (content) writeFileSync(join(tmp.dir, name), content());
    expect(await problemOf(name)).toMatch(message);
  });

  it('a directory is refused', async () => {
    mkdirSync(join(tmp.dir, 'folder.jsonl'));
    expect(await problemOf('folder.jsonl')).toMatch(/folder\.jsonl: is a directory; expected a JSONL training file/);
  });

  it('a 50 MB single line is skipped by its number and the rest is counted; the file is not modified', { timeout: 60_000 }, async () => {
    const file = join(tmp.dir, 'long-line.jsonl');
    const fd = openSync(file, 'w');
    writeSync(fd, `${chat}\n{"text": "`);
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    writeSync(fd, `"}\n${chat.replace('Hi', 'Hi again')}\n`);
    closeSync(fd);
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const report = await inspectData('long-line.jsonl', undefined, { cwd: tmp.dir, settings: (await defaultRules()).dataInspection! });
    expect(report.findings.problems.byKind['line-too-long']).toEqual({ count: 1, lines: [2] });
    expect(report.findings.formats.chat).toBe(2);
    expect(report.findings.lines).toBe(3);
    expect(report.fileProblems[0]).toMatch(/^1 line over the 16\.0 MiB cap could not be read \(line 2\)/);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });
});
