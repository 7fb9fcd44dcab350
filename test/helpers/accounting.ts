import {expect} from 'vitest';
import type {ResultRow} from './files.js';

/**
 * The product's two promises, checked from the outside: every input row is in the results once,
 * in order; every identity Seam holds is named by exactly one results row (none orphaned, none twice).
 */
export function expectEveryRowAccounted(results: ResultRow[], inputRows: number): void {
  expect(results).toHaveLength(inputRows);
  expect(results.map((r) => Number(r['import_row']))).toEqual(Array.from({length: inputRows}, (_, i) => i + 1));
}

export function expectNoOrphans(results: ResultRow[], identities: ReadonlyArray<{user_identity_id: string}>, preexisting: ReadonlySet<string> = new Set()): void {
  const named = new Map<string, number>();
  for (const row of results) {
    const id = row['user_identity_id'];
    if (id) named.set(id, (named.get(id) ?? 0) + 1);
  }
  const held = new Set(identities.map((i) => i.user_identity_id));
  for (const identity of identities) {
    if (preexisting.has(identity.user_identity_id)) continue;
    expect(named.get(identity.user_identity_id), `identity ${identity.user_identity_id} in Seam but not in the results`).toBe(1);
  }
  for (const [id, count] of named) {
    expect(held.has(id), `results name ${id}, which Seam does not hold`).toBe(true);
    expect(count, `results name ${id} ${count} times`).toBe(1);
  }
}
