// Remembers which examples have been seen, by a 64-bit hash of their normalised text and
// the line each first appeared on: 12 bytes an example instead of the text itself, in
// an open-addressing table that grows by doubling up to a cap. At the cap it stops
// taking new examples (and says so), so memory stays bounded whatever the file's size.
const EMPTY = 0;

export interface Hash {
  hi: number;
  lo: number;
}

/**
 * A 64-bit fingerprint of texts taken together (cyrb53's two 32-bit lanes, not for
 * security): fed part by part, so a key is never built as one string. MD5 through
 * node:crypto cost three times as much per line. Two in a million million examples
 * share a fingerprint by chance, a rate that a duplicate count can bear.
 */
export class Fingerprint {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  add(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /**
   * Adds the text as normalise() would give it (whitespace runs as one space, none at the
   * ends), in the same pass: no normalised copy is made.
   */
  addNormalised(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let started = false;
    let pending = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && isUnicodeSpace(c))) {
        pending = started;
        continue;
      }
      if (pending) {
        h1 = Math.imul(h1 ^ 32, 2654435761);
        h2 = Math.imul(h2 ^ 32, 1597334677);
        pending = false;
      }
      started = true;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** A separator between parts, so ["ab", "c"] and ["a", "bc"] differ. */
  separate(code: number): this {
    this.h1 = Math.imul(this.h1 ^ (0x10000 + code), 2654435761);
    this.h2 = Math.imul(this.h2 ^ (0x10000 + code), 1597334677);
    return this;
  }

  done(): Hash {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return { hi: h1 >>> 0, lo: h2 >>> 0 };
  }
}

/** The fingerprint of one text. */
export function hashText(text: string): Hash {
  return new Fingerprint().add(text).done();
}

/** The characters besides ASCII whitespace that JavaScript's \s matches. */
export function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export class HashTable {
  private slots: Uint32Array;
  private capacity: number;
  size = 0;
  /** True once the table reached its cap and stopped taking new examples. */
  full = false;

  /** `maxSlots`: a power of two; each slot is 12 bytes. */
  constructor(
    private readonly maxSlots = 1 << 21,
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
    // Three quarters full: double. At the cap, fill to 85% (a missing example's probe then
    // reads ~22 slots instead of ~8; at 90% it read ~50) before taking no more.
    if (this.capacity < this.maxSlots ? (this.size + 1) * 4 > this.capacity * 3 : (this.size + 1) * 20 > this.capacity * 17) {
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
 * A HashTable split in 64 by the fingerprint's top bits. Each part grows on its own, so
 * growing never holds two copies of the whole table at once: doubling a single table of
 * 2 million examples held 24 and 48 MiB together, a third of the memory budget.
 */
export class ShardedHashTable {
  private readonly shards: HashTable[];

  /**
   * `maxSlots`: the cap of all shards together (a power of two, at least 64 × 16). The
   * default, 2 Mi slots of 12 bytes (24 MiB), remembers 1.78 million distinct examples;
   * with 4 Mi the inspection of a 1 GB file peaked at 144 MiB, too close to its 150 MiB budget.
   */
  constructor(maxSlots = 1 << 21) {
    this.shards = Array.from({ length: 64 }, () => new HashTable(maxSlots / 64, 256));
  }

  add(h: Hash, line: number): number {
    return this.shards[h.hi >>> 26]!.add(h, line);
  }

  get(h: Hash): number {
    return this.shards[h.hi >>> 26]!.get(h);
  }

  get size(): number {
    return this.shards.reduce((n, s) => n + s.size, 0);
  }

  /** True once a shard reached its cap and stopped taking new examples. */
  get full(): boolean {
    return this.shards.some((s) => s.full);
  }

  get bytes(): number {
    return this.shards.reduce((n, s) => n + s.bytes, 0);
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

  constructor(private readonly limit = 1 << 16) {
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
