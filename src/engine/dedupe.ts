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
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

/**
 * First row wins on key, email (case-insensitive) or phone. Only rows that passed the rules
 * are registered, so a valid row is never a duplicate of an invalid one.
 *
 * An open-addressing table of 64-bit hashes in typed arrays: 12 bytes a value, and no string is
 * kept alive (a Map of strings held every cell's parent chunk and tripled a large run's memory).
 */
export class Deduper {
  private capacity = 1 << 12;
  private lo = new Uint32Array(this.capacity);
  private hi = new Uint32Array(this.capacity);
  /** Row number + 1; 0 = empty slot. */
  private rows = new Int32Array(this.capacity);
  private size = 0;
  private readonly scratch = new Uint32Array(2);
  private readonly hashes = new Uint32Array(6);

  /** The earliest row this person repeats, or undefined; registers the person when new. */
  claim(person: Person, row: number): DuplicateHit | undefined {
    let hit: DuplicateHit | undefined;
    let n = 0;
    const present: number[] = [];
    for (const [field, seed, code] of CHECKS) {
      const value = person[field];
      if (value === undefined) continue;
      hash64(field === 'email_address' ? value.toLowerCase() : value, seed, this.scratch);
      this.hashes[n * 2] = this.scratch[0]!;
      this.hashes[n * 2 + 1] = this.scratch[1]!;
      present.push(n);
      n += 1;
      const earlier = this.find(this.scratch[0]!, this.scratch[1]!);
      if (earlier !== undefined && (hit === undefined || earlier < hit.ofRow)) hit = {code, field, ofRow: earlier};
    }
    if (hit) return hit;
    for (const i of present) this.insert(this.hashes[i * 2]!, this.hashes[i * 2 + 1]!, row);
    return undefined;
  }

  private slot(lo: number): number {
    return lo & (this.capacity - 1);
  }

  private find(lo: number, hi: number): number | undefined {
    for (let i = this.slot(lo); ; i = (i + 1) & (this.capacity - 1)) {
      const stored = this.rows[i]!;
      if (stored === 0) return undefined;
      if (this.lo[i] === lo && this.hi[i] === hi) return stored - 1;
    }
  }

  private insert(lo: number, hi: number, row: number): void {
    // Grow past 85% full: a million-row file (three million values) then fits 4M slots, 48 MB.
    if ((this.size + 1) * 20 > this.capacity * 17) this.grow();
    let i = this.slot(lo);
    while (this.rows[i] !== 0) i = (i + 1) & (this.capacity - 1);
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.rows[i] = row + 1;
    this.size += 1;
  }

  private grow(): void {
    const {lo, hi, rows} = this;
    this.capacity *= 2;
    this.lo = new Uint32Array(this.capacity);
    this.hi = new Uint32Array(this.capacity);
    this.rows = new Int32Array(this.capacity);
    this.size = 0;
    for (let i = 0; i < rows.length; i += 1) if (rows[i] !== 0) this.insert(lo[i]!, hi[i]!, rows[i]! - 1);
  }
}
