// UTF-8 output built from many strings, each encoded straight into a buffer of its own.
//
// A batch writes a few kilobytes of JSON per use case. Joining the strings and encoding
// the result (`Buffer.from(parts.join(''))`) copied every byte twice, and the join had to
// flatten each concatenated entry first: measured, ~5 µs a record against ~1.3 µs for
// writing each entry into a preallocated buffer (docs/performance.md).

/** A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4). */
const MAX_BYTES_PER_UNIT = 3;

export class Utf8Chunks {
  private chunks: Uint8Array[] = [];
  private buffer: Buffer | undefined;
  /** Where the part of `buffer` not yet in `chunks` starts, and where writing goes on. */
  private start = 0;
  private end = 0;
  /** Bytes held (written and not taken yet). */
  size = 0;

  /** `chunkBytes`: the size of each buffer (a longer string gets one of its own size). */
  constructor(private readonly chunkBytes = 1 << 20) {}

  write(text: string): void {
    if (text.length === 0) return;
    if (!this.buffer || this.buffer.length - this.end < text.length * MAX_BYTES_PER_UNIT) {
      this.seal();
      // allocUnsafeSlow: never a slice of Node's shared pool, so a buffer can be moved to
      // another thread (transferred) without taking other buffers' bytes with it.
      this.buffer = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, text.length * MAX_BYTES_PER_UNIT));
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

  private seal(): void {
    if (this.buffer && this.end > this.start) {
      this.chunks.push(this.buffer.subarray(this.start, this.end));
      this.start = this.end;
    }
  }
}
