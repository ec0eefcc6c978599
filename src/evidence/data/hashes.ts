// Remembers which examples have been seen, by a 64-bit hash of their normalised text and
// the line each first appeared on: 12 bytes an example instead of the text itself, in
// an open-addressing table that grows by doubling up to a cap. At the cap it stops
// taking new examples (and says so), so memory stays bounded whatever the file's size.
import * as crypto from 'node:crypto';

const EMPTY = 0;

export interface Hash {
  hi: number;
  lo: number;
}

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object per line.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

/** A 64-bit hash of a text: the first 8 bytes of its MD5 (a fingerprint, not security). */
export function hashText(text: string): Hash {
  const digest = oneShot ? oneShot('md5', text, 'buffer') : crypto.createHash('md5').update(text).digest();
  return { hi: digest.readUInt32LE(0), lo: digest.readUInt32LE(4) };
}

export class HashTable {
  private slots: Uint32Array;
  private capacity: number;
  size = 0;
  /** True once the table reached its cap and stopped taking new examples. */
  full = false;

  /** `maxSlots`: a power of two; each slot is 12 bytes. */
  constructor(
    private readonly maxSlots = 1 << 22,
    initialSlots = 1 << 14,
  ) {
    this.capacity = Math.min(initialSlots, maxSlots);
    this.slots = new Uint32Array(this.capacity * 3);
  }

  /** Bytes the table holds. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** The line the hash was first seen on, or 0 when it is new (and now remembered, room permitting). */
  add(h: Hash, line: number): number {
    const seen = this.get(h);
    if (seen !== 0) return seen;
    if ((this.size + 1) * 4 > this.capacity * 3) {
      if (this.capacity >= this.maxSlots) {
        this.full = true;
        return 0;
      }
      this.grow();
    }
    this.insert(h.hi, h.lo, line);
    this.size++;
    return 0;
  }

  /** The line the hash was first seen on, or 0. */
  get(h: Hash): number {
    const mask = this.capacity - 1;
    for (let i = (h.lo ^ h.hi) & mask; ; i = (i + 1) & mask) {
      const at = i * 3;
      const line = this.slots[at + 2]!;
      if (line === EMPTY) return 0;
      if (this.slots[at] === h.hi && this.slots[at + 1] === h.lo) return line;
    }
  }

  private insert(hi: number, lo: number, line: number): void {
    const mask = this.capacity - 1;
    let i = (lo ^ hi) & mask;
    while (this.slots[i * 3 + 2] !== EMPTY) i = (i + 1) & mask;
    this.slots[i * 3] = hi;
    this.slots[i * 3 + 1] = lo;
    this.slots[i * 3 + 2] = line;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * 3);
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] !== EMPTY) this.insert(old[at]!, old[at + 1]!, old[at + 2]!);
    }
  }
}

/**
 * Counts of lengths, to give exact percentiles in fixed memory: one counter per length
 * up to `limit`, and the longer ones together (their largest is kept as the max).
 */
export class LengthHistogram {
  private readonly counts: Uint32Array;
  count = 0;
  max = 0;

  constructor(private readonly limit = 1 << 20) {
    this.counts = new Uint32Array(limit + 1);
  }

  add(length: number): void {
    this.counts[Math.min(length, this.limit)]!++;
    this.count++;
    if (length > this.max) this.max = length;
  }

  /** Nearest rank: the smallest length at least `p` of the examples do not exceed (0 when empty). */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let length = 0; length < this.limit; length++) {
      seen += this.counts[length]!;
      if (seen >= rank) return length;
    }
    return this.max;
  }

}
