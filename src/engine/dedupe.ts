import type {Person, RowErrorCode} from './types.js';

export interface DuplicateHit {
  code: Extract<RowErrorCode, 'duplicate_key' | 'duplicate_email' | 'duplicate_phone'>;
  field: 'user_identity_key' | 'email_address' | 'phone_number';
  ofRow: number;
}

const CHECKS = [
  ['user_identity_key', 1, 'duplicate_key'],
  ['email_address', 2, 'duplicate_email'],
  ['phone_number', 3, 'duplicate_phone'],
] as const;

/**
 * 64 bits of a string (two 32-bit lanes, cyrb53's mixing), seeded by the field so that a key and
 * an email with the same text do not meet. Two values sharing all 64 bits among the three
 * million of a million-row file: about 1 in 4 million files.
 */
function hash64(text: string, seed: number, out: Uint32Array): void {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  finish64(h1, h2, out);
}

/** The two lanes' last mixing, into `out` (hash64 and hash64Lower). */
function finish64(h1: number, h2: number, out: Uint32Array): void {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

/**
 * hash64 of `text.toLowerCase()` for a text in ASCII, without making that string (its cost was
 * most of the email's hashing); false, and nothing written, for a text outside ASCII.
 */
function hash64Lower(text: string, seed: number, out: Uint32Array): boolean {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    let c = text.charCodeAt(i);
    if (c >= 0x80) return false;
    if (c >= 65 && c <= 90) c += 32;
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  finish64(h1, h2, out);
  return true;
}

/**
 * One shard of the table: open addressing over one typed array, 12 bytes a slot, the slot's three
 * words side by side (lo, hi, row + 1) so that a probe touches one cache line, not three arrays.
 */
class Shard {
  capacity = 1 << 8;
  /** [lo, hi, row + 1] per slot; row + 1 = 0: an empty slot. The top bit: a weak reservation (see Deduper.reserve). */
  slots = new Uint32Array(this.capacity * 3);
  size = 0;

  find(lo: number, hi: number): number | undefined {
    const at = this.slotOf(lo, hi);
    return at === undefined ? undefined : (this.slots[at + 2]! & ROW_BITS) - 1;
  }

  /** The third word of the value's home slot (where its probe starts). */
  home(lo: number): number {
    return this.slots[(lo & (this.capacity - 1)) * 3 + 2]!;
  }

  /** Where the value's row is stored (its slot's first word), if it is. */
  slotOf(lo: number, hi: number): number | undefined {
    const mask = this.capacity - 1;
    const slots = this.slots;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = i * 3;
      const stored = slots[at + 2]!;
      if (stored === 0) return undefined;
      if (slots[at] === lo && slots[at + 1] === hi) return at;
    }
  }

  insert(lo: number, hi: number, row: number, weak = false): void {
    // Grow past 85% full.
    if ((this.size + 1) * 20 > this.capacity * 17) this.grow();
    this.place(lo, hi, weak ? (row + 1 + WEAK) >>> 0 : row + 1);
    this.size += 1;
  }

  private place(lo: number, hi: number, stored: number): void {
    const mask = this.capacity - 1;
    const slots = this.slots;
    let i = lo & mask;
    while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
    const at = i * 3;
    slots[at] = lo;
    slots[at + 1] = hi;
    slots[at + 2] = stored;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Uint32Array(this.capacity * 3);
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] !== 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** A slot's third word: the row + 1 in the low 31 bits, and this bit for a weak reservation. */
const WEAK = 0x80000000;
const ROW_BITS = 0x7fffffff;

/** Shards, chosen by the top bits of the hash's second lane. */
const SHARD_BITS = 6;

/**
 * First row wins on key, email (case-insensitive) or phone. Only rows that passed the rules
 * are registered, so a valid row is never a duplicate of an invalid one.
 *
 * An open-addressing table of 64-bit hashes in typed arrays: 12 bytes a slot, and no string is
 * kept alive (a Map of strings held every cell's parent chunk and tripled a large run's memory).
 * A million-row file (three million values) takes about 48 MB. The table is split in 64 shards
 * that grow one at a time: a single table held its old and its new arrays at once while it grew
 * (24 + 48 MB at the last doubling), which set a large run's peak memory.
 */
export class Deduper {
  private readonly shards = Array.from({length: 1 << SHARD_BITS}, () => new Shard());
  private readonly scratch = new Uint32Array(2);
  private readonly hashes = new Uint32Array(6);

  /** The earliest row this person repeats, or undefined; registers the person when new. */
  claim(person: Person, row: number): DuplicateHit | undefined {
    // Field by field, not over CHECKS: three plain property reads and no iterator (it runs on every row).
    const key = person.user_identity_key;
    const email = person.email_address;
    const phone = person.phone_number;
    let n = 0;
    if (key !== undefined) n = this.hash(key, 0, n);
    if (email !== undefined) n = this.hash(email, 1, n);
    if (phone !== undefined) n = this.hash(phone, 2, n);
    const hashes = this.hashes;
    // Each value's home slot is read before any is probed: in a large file's table each read is a
    // cache miss, and these overlap where the probes' reads wait one after another (12% of dedupe).
    let touched = 0;
    for (let i = 0; i < n; i += 1) touched |= this.shard(hashes[i * 2 + 1]!).home(hashes[i * 2]!);
    this.touched = touched;
    let earliest = -1;
    let earliestCheck = -1;
    let fresh = 0;
    for (let i = 0; i < n; i += 1) {
      const lo = hashes[i * 2]!;
      const hi = hashes[i * 2 + 1]!;
      const earlier = this.shard(hi).find(lo, hi);
      // Reserved for this very row before the pass (a person Seam has): its own, already registered.
      if (earlier === row) continue;
      if (earlier === undefined) fresh |= 1 << i;
      else if (earliestCheck < 0 || earlier < earliest) {
        earliest = earlier;
        earliestCheck = this.checks[i]!;
      }
    }
    if (earliestCheck >= 0) {
      const [field, , code] = CHECKS[earliestCheck]!;
      return {code, field, ofRow: earliest};
    }
    for (let i = 0; i < n; i += 1) {
      if ((fresh & (1 << i)) === 0) continue;
      const hi = hashes[i * 2 + 1]!;
      this.shard(hi).insert(hashes[i * 2]!, hi, row);
    }
    return undefined;
  }

  /** Which check each of the values claim hashed is for, in `hashes`' order. */
  private readonly checks = [0, 0, 0];
  /** What the home slots held (kept, so that their reads are not left out). */
  private touched = 0;

  /** `value`'s hash for `check` (an email's in lower case), put at place `n` in `hashes`: the next place. */
  private hash(value: string, check: number, n: number): number {
    const seed = CHECKS[check]![1];
    if (check !== 1) hash64(value, seed, this.scratch);
    else if (!hash64Lower(value, seed, this.scratch)) hash64(value.toLowerCase(), seed, this.scratch);
    this.hashes[n * 2] = this.scratch[0]!;
    this.hashes[n * 2 + 1] = this.scratch[1]!;
    this.checks[n] = check;
    return n + 1;
  }

  /**
   * Registers a person found in Seam already before the pass: whatever its place in the file, a
   * row that repeats it is the duplicate. `weak`: a row that matches someone in Seam by its
   * details; a row a results file gives an id (kept with it, never claimed) takes a value from a
   * weak one wherever they stand, so that no second row is given its id.
   */
  reserve(person: Person, row: number, {weak = false}: {weak?: boolean} = {}): void {
    for (const [field, seed] of CHECKS) {
      const value = person[field];
      if (value === undefined) continue;
      hash64(field === 'email_address' ? value.toLowerCase() : value, seed, this.scratch);
      const lo = this.scratch[0]!;
      const hi = this.scratch[1]!;
      const shard = this.shard(hi);
      const at = shard.slotOf(lo, hi);
      if (at === undefined) shard.insert(lo, hi, row, weak);
      else if (!weak && shard.slots[at + 2]! >= WEAK) shard.slots[at + 2] = row + 1;
    }
  }

  private shard(hi: number): Shard {
    return this.shards[hi >>> (32 - SHARD_BITS)]!;
  }
}
