// Decodes a byte stream as strict UTF-8, chunk by chunk. TextDecoder with `fatal` took a
// third of a large export's read time; Buffer#toString and buffer.isUtf8 (both simdutf in
// Node 20) are several times faster. A character split between two chunks is carried over.
import { isUtf8 } from 'node:buffer';

export class StrictUtf8Decoder {
  private carry: Buffer | undefined;

  /** The chunk's text, without a trailing incomplete character; throws on invalid UTF-8. */
  decode(chunk: Buffer): string {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    this.carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : undefined;
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) throw new TypeError('invalid UTF-8');
    return whole.toString('utf8');
  }

  /** At the end: bytes left over are an incomplete character. */
  end(): void {
    if (this.carry) throw new TypeError('invalid UTF-8: the input ends inside a character');
  }
}

/** Where the last complete character ends: before a lead byte whose sequence is cut short. */
function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
