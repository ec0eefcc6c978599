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

  it('writes into a recycled buffer instead of new memory, and only buffers it can reuse whole', async () => {
    const out = new Utf8Chunks(64);
    out.write('first');
    const [first] = out.takeAll();
    out.recycle(first!);
    out.write('second');
    const [second] = out.takeAll();
    expect(second!.buffer).toBe(first!.buffer);
    expect(Buffer.from(second!).toString()).toBe('second');

    // A chunk that is not the start of a buffer of the usual size is not kept.
    const foreign = [new Uint8Array(32), new Uint8Array(64).subarray(4)];
    for (const chunk of foreign) out.recycle(chunk);
    out.write('third');
    const [third] = out.takeAll();
    expect(foreign.map((c) => c.buffer)).not.toContain(third!.buffer);
  });

  it('never recycles the buffer it is still writing into, nor the same buffer twice', async () => {
    const out = new Utf8Chunks(64);
    out.write('one');
    const [one] = out.take(); // take: the rest of this buffer is still written into
    out.recycle(one!);
    out.write('two');
    const [two] = out.takeAll();

    out.write('x');
    const [x] = out.takeAll();
    // 'x' went into new memory: the buffer of 'one' and 'two' was not taken back.
    expect(Buffer.from(one!).toString()).toBe('one');
    expect(Buffer.from(two!).toString()).toBe('two');
    out.recycle(x!);
    out.recycle(x!);
    out.write('a');
    const [a] = out.takeAll();
    out.write('b');
    const [b] = out.takeAll();
    expect(a!.buffer).toBe(x!.buffer);
    expect(b!.buffer).not.toBe(a!.buffer);
  });
});
