import {expect} from 'vitest';

import {expectEveryRowAccounted, expectNoOrphans} from './accounting.js';
import type {ResultRow} from './files.js';

/** An identity as the sandbox holds it (`sandbox.identities()` or `GET /_sandbox/identities`). */
export interface HeldIdentity {
  user_identity_id: string;
  user_identity_key: string | null;
  email_address: string | null;
  phone_number: string | null;
}

export interface InvariantOptions {
  /**
   * Input rows (1-based) that pass the rules and repeat no earlier row: each must end with one
   * of `allowedStatuses`. Default: every row (the generated files are clean).
   */
  validRows?: ReadonlySet<number>;
  /** Identities the sandbox held before the run (seeded): they may be adopted, or left alone. */
  preexisting?: readonly HeldIdentity[];
  /** @default ['created', 'existing'] */
  allowedStatuses?: readonly string[];
}

/**
 * The fault suite's promises, from the outside: the input rows (header first), the results CSV
 * (parsed) and what the sandbox holds after the run. Builds on accounting.ts and adds:
 * - the input cells come through unchanged (so the rows really are in input order);
 * - every valid row ends `created` or `existing`, with an id;
 * - the sandbox holds no identity twice;
 * - each row's id is the identity of that row's person (by key), not just some identity.
 */
export function assertAccountedFor(
  input: readonly (readonly string[])[],
  results: readonly ResultRow[],
  held: readonly HeldIdentity[],
  options: InvariantOptions = {},
): void {
  const [header, ...rows] = input;
  if (header === undefined) throw new Error('input has no header row');
  const allowed = new Set(options.allowedStatuses ?? ['created', 'existing']);

  // Every input row exactly once, import_row 1..N, with its cells.
  expectEveryRowAccounted([...results], rows.length);
  const altered: string[] = [];
  results.forEach((result, index) => {
    header.forEach((name, column) => {
      if (result[name] !== rows[index]![column]) altered.push(`row ${index + 1} ${name}: ${result[name]} != ${rows[index]![column]}`);
    });
  });
  expect(altered.slice(0, 5), 'input cells carried through unchanged, in order').toEqual([]);

  // Every valid row ended well.
  const valid = options.validRows ?? new Set(rows.map((_, i) => i + 1));
  const unfinished = results
    .filter((r) => valid.has(Number(r['import_row'])))
    .filter((r) => {
      const status = r['import_status'] ?? '';
      return !allowed.has(status) || ((status === 'created' || status === 'existing') && !r['user_identity_id']);
    })
    .map((r) => `row ${r['import_row']}: ${r['import_status']} ${r['import_error_code']} ${r['import_error_message']}`);
  expect(unfinished.slice(0, 5), `valid rows not ${[...allowed].join('/')} (${unfinished.length} in all)`).toEqual([]);

  // Identities and results rows one to one: none orphaned, none named twice, none held twice.
  const heldById = new Map(held.map((identity) => [identity.user_identity_id, identity]));
  expect(heldById.size, 'the sandbox holds no identity twice').toBe(held.length);
  expectNoOrphans([...results], held, new Set((options.preexisting ?? []).map((identity) => identity.user_identity_id)));

  // The right person: the id a row names is the identity with that row's key.
  const keyColumn = header.findIndex((name) => /^(employee ?id|user_identity_key|resident ?id)$/i.test(name));
  if (keyColumn >= 0) {
    const wrong = results
      .filter((r) => r['user_identity_id'])
      .filter((r) => heldById.get(r['user_identity_id']!)?.user_identity_key !== rows[Number(r['import_row']) - 1]![keyColumn])
      .map((r) => `row ${r['import_row']} → ${r['user_identity_id']}`);
    expect(wrong.slice(0, 5), 'each id belongs to its row’s person').toEqual([]);
  }
}

/** `import_status` counts over a results file. */
export function statusCounts(results: readonly ResultRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r['import_status'] ?? ''] = (counts[r['import_status'] ?? ''] ?? 0) + 1;
  return counts;
}
