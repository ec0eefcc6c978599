import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../../src/util/utf8-chunks';

const joined = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('Utf8Chunks', () => {
  it.each([
    ['ASCII', ['{"a":1}\n', '{"b":2}\n']],
    ['two- and three-byte characters', ['café ', '→ ×', '日本語']],
    ['a surrogate pair (four bytes)', ['emoji 😀 end', '😀']],
    ['empty strings among others', ['', 'x', '', 'y']],
  ])('encodes %s as Buffer.from would', async (_name, parts) => {
    const out = new Utf8Chunks(16);
    for (const p of parts) out.write(p);
    const expected = Buffer.from(parts.join(''));
    expect(out.size).toBe(expected.length);
    expect(Buffer.concat(out.take()).equals(expected)).toBe(true);
    expect(out.size).toBe(0);
  });

  it('starts a new buffer when a string might not fit, and gives a long string one of its own size', async () => {
    const out = new Utf8Chunks(8);
    const long = 'é'.repeat(100);
    out.write('abc');
    out.write(long);
    out.write('z');
    const chunks = out.take();
    expect(joined(chunks)).toBe(`abc${long}z`);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('keeps appended bytes in order with the text around them', async () => {
    const out = new Utf8Chunks();
    out.write('one ');
    out.append(Buffer.from('two '));
    out.append(new Uint8Array(0));
    out.write('three');
    expect(joined(out.take())).toBe('one two three');
  });

  it('never writes again into bytes it handed out', async () => {
    const out = new Utf8Chunks(64);
    out.write('first');
    const [first] = out.take();
    const before = Buffer.from(first!).toString();
    out.write('second, written after the first in the same buffer');
    expect(Buffer.from(first!).toString()).toBe(before);
    expect(joined(out.take())).toBe('second, written after the first in the same buffer');
  });

  it('hands out buffers of its own, which can be transferred to another thread', async () => {
    const out = new Utf8Chunks();
    out.write('x'.repeat(10));
    const chunks = out.takeAll();
    // Not a slice of Node's shared pool, which small Buffer.allocUnsafe calls come from.
    expect(chunks[0]!.buffer).not.toBe(Buffer.allocUnsafe(1).buffer);
    const copy = structuredClone(chunks, { transfer: chunks.map((c) => c.buffer as ArrayBuffer) });
    expect(Buffer.from(copy[0]!).toString()).toBe('x'.repeat(10));
    // After takeAll, writing goes into a new buffer, not the transferred (detached) one.
    out.write('after');
    expect(joined(out.take())).toBe('after');
  });
});
