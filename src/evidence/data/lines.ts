// Splits a byte stream into lines without ever holding more than one line: a chunk is
// cut at its newlines as it arrives, and only the unfinished end of it is kept. A line
// longer than the cap is not kept at all: its bytes are counted and dropped until its
// newline, so a 50 MB line costs no more memory than a short one.

/** What a line handler receives: the line's number (from 1) and its bytes, without the newline. */
export type LineHandler = (bytes: Buffer, line: number) => void;
/** Called for a line over the cap, with its length in bytes. */
export type LongLineHandler = (line: number, bytes: number) => void;

export class LineSplitter {
  private pieces: Buffer[] = [];
  private pendingLength = 0;
  /** The line being read is over the cap: its bytes are counted, not kept. */
  private skipping = false;
  private line = 0;
  /** The most bytes ever kept between two chunks (tests check it stays under the cap). */
  peakPending = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: LineHandler,
    private readonly onLongLine: LongLineHandler,
  ) {}

  /** Lines completed so far (the unfinished one not counted). */
  get lines(): number {
    return this.line;
  }

  /** Bytes held now, waiting for the rest of their line. */
  get pendingBytes(): number {
    return this.skipping ? 0 : this.pendingLength;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.keep(chunk.subarray(start));
        break;
      }
      this.finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (this.pendingBytes > this.peakPending) this.peakPending = this.pendingBytes;
  }

  /** The last line, when the input does not end in a newline. */
  end(): void {
    if (this.pendingLength > 0 || this.skipping) this.finish(Buffer.alloc(0));
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    this.pendingLength += part.length;
    if (this.skipping) return;
    if (this.pendingLength > this.maxLineBytes) {
      this.skipping = true;
      this.pieces = [];
      return;
    }
    // A copy: the caller may reuse its buffer for the next chunk.
    this.pieces.push(Buffer.from(part));
  }

  private finish(tail: Buffer): void {
    this.line++;
    const total = this.pendingLength + tail.length;
    if (this.skipping || total > this.maxLineBytes) {
      this.onLongLine(this.line, total);
    } else if (this.pieces.length === 0) {
      this.onLine(tail, this.line);
    } else {
      this.pieces.push(tail);
      this.onLine(Buffer.concat(this.pieces, total), this.line);
    }
    this.pieces = [];
    this.pendingLength = 0;
    this.skipping = false;
  }
}
