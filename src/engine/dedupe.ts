import type {Person, RowErrorCode} from './types.js';

export interface DuplicateHit {
  code: Extract<RowErrorCode, 'duplicate_key' | 'duplicate_email' | 'duplicate_phone'>;
  field: 'user_identity_key' | 'email_address' | 'phone_number';
  ofRow: number;
}

const CHECKS = [
  ['user_identity_key', 'k', 'duplicate_key'],
  ['email_address', 'e', 'duplicate_email'],
  ['phone_number', 'p', 'duplicate_phone'],
] as const;

/**
 * First row wins on key, email (case-insensitive) or phone. Only rows that passed the rules
 * are registered, so a valid row is never a duplicate of an invalid one.
 */
export class Deduper {
  // One map for all three fields (prefixed) keeps the per-entry overhead to a single table.
  private readonly seen = new Map<string, number>();

  /** The earliest row this person repeats, or undefined; registers the person when new. */
  claim(person: Person, row: number): DuplicateHit | undefined {
    let hit: DuplicateHit | undefined;
    for (const [field, prefix, code] of CHECKS) {
      const value = person[field];
      if (value === undefined) continue;
      const earlier = this.seen.get(prefix + (field === 'email_address' ? value.toLowerCase() : value));
      if (earlier !== undefined && (hit === undefined || earlier < hit.ofRow)) hit = {code, field, ofRow: earlier};
    }
    if (hit) return hit;
    for (const [field, prefix] of CHECKS) {
      const value = person[field];
      if (value !== undefined) this.seen.set(prefix + (field === 'email_address' ? value.toLowerCase() : value), row);
    }
    return undefined;
  }
}
