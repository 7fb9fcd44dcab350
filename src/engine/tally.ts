import type {FailureGroup, RowOutcome} from './events.js';
import {ROW_STATUSES, type RowErrorCode, type RowStatus} from './types.js';

/** Counts per status and the failures grouped by code, each with its first example. */
export class Tally {
  private readonly byStatus = new Map<RowStatus, number>();
  private readonly byCode = new Map<RowErrorCode, FailureGroup>();
  total = 0;
  /** Rows whose created / existing a results file fed back gave them (not made or found by this run). */
  readonly kept = {created: 0, existing: 0};

  add(outcome: RowOutcome, kept = false): void {
    this.total += 1;
    if (kept && (outcome.status === 'created' || outcome.status === 'existing')) this.kept[outcome.status] += 1;
    this.byStatus.set(outcome.status, (this.byStatus.get(outcome.status) ?? 0) + 1);
    if (!outcome.code) return;
    const group = this.byCode.get(outcome.code);
    if (group) group.count += 1;
    else this.byCode.set(outcome.code, {code: outcome.code, count: 1, example: {row: outcome.row, message: outcome.message ?? ''}});
  }

  counts(): Record<RowStatus, number> {
    return Object.fromEntries(ROW_STATUSES.map((status) => [status, this.byStatus.get(status) ?? 0])) as Record<
      RowStatus,
      number
    >;
  }

  /** Largest group first. */
  failures(): FailureGroup[] {
    return [...this.byCode.values()].sort((a, b) => b.count - a.count);
  }
}
