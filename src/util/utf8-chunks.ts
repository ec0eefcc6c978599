// UTF-8 output built from many strings, each encoded straight into a buffer of its own.
//
// A batch writes a few kilobytes of JSON per use case. Joining the strings and encoding
// the result (`Buffer.from(parts.join(''))`) copied every byte twice, and the join had to
// flatten each concatenated entry first: measured, ~5 µs a record against ~1.3 µs for
// writing each entry into a preallocated buffer (docs/performance.md).

/** A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4). */
const MAX_BYTES_PER_UNIT = 3;
/**
 * Buffers kept for reuse. A batch flushes about 1 MB at a time, a buffer or two, and its
 * buffers come back as soon as standard output has taken them: a few spares are enough.
 */
const MAX_SPARE_BUFFERS = 4;

export class Utf8Chunks {
  private chunks: Uint8Array[] = [];
  private buffer: Buffer | undefined;
  /** Where the part of `buffer` not yet in `chunks` starts, and where writing goes on. */
  private start = 0;
  private end = 0;
  /** Buffers given back with `recycle`, written into before new memory is asked for. */
  private readonly spare: ArrayBuffer[] = [];
  /** Bytes held (written and not taken yet). */
  size = 0;

  /** `chunkBytes`: the size of each buffer (a longer string gets one of its own size). */
  constructor(private readonly chunkBytes = 1 << 20) {}

  write(text: string): void {
    if (text.length === 0) return;
    if (!this.buffer || this.buffer.length - this.end < text.length * MAX_BYTES_PER_UNIT) {
      this.seal();
      const spare = text.length * MAX_BYTES_PER_UNIT <= this.chunkBytes ? this.spare.pop() : undefined;
      // allocUnsafeSlow: never a slice of Node's shared pool, so a buffer can be moved to
      // another thread (transferred) without taking other buffers' bytes with it.
      this.buffer = spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, text.length * MAX_BYTES_PER_UNIT));
      this.start = this.end = 0;
    }
    const written = this.buffer.write(text, this.end);
    this.end += written;
    this.size += written;
  }

  /** Bytes as they are (a worker's output), after what was written so far. */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.seal();
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  /**
   * Everything held, in order, and empties the builder. The bytes handed out are never
   * written again: later writes go after them, or into a new buffer.
   */
  take(): Uint8Array[] {
    this.seal();
    const out = this.chunks;
    this.chunks = [];
    this.size = 0;
    return out;
  }

  /**
   * Like take, and the current buffer is left alone from now on: for chunks whose
   * ArrayBuffers are transferred to another thread, which detaches them here.
   */
  takeAll(): Uint8Array[] {
    const out = this.take();
    this.buffer = undefined;
    return out;
  }

  /**
   * Gives back the buffer of a chunk that `takeAll` handed out, once its bytes are no
   * longer needed (written to a file descriptor), to be written into again. New memory
   * costs a page fault for every 4 KB the first time it is written: a 20,000-line batch
   * wrote 100 MB into fresh buffers, a third of its page faults, ~3% of its time
   * (docs/performance.md). Only chunks that are a whole buffer of the usual size are
   * kept; others are left to the garbage collector.
   *
   * Only for chunks from `takeAll`: `take` leaves the rest of the current buffer to later
   * writes, and so its chunks' buffers are not free to reuse.
   */
  recycle(chunk: Uint8Array): void {
    const buffer = chunk.buffer as ArrayBuffer;
    if (chunk.byteOffset !== 0 || buffer.byteLength !== this.chunkBytes || buffer === this.buffer?.buffer) return;
    if (this.spare.length < MAX_SPARE_BUFFERS && !this.spare.includes(buffer)) this.spare.push(buffer);
  }

  private seal(): void {
    if (this.buffer && this.end > this.start) {
      this.chunks.push(this.buffer.subarray(this.start, this.end));
      this.start = this.end;
    }
  }
}
