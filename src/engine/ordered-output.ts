import type {RowOutcome} from './events.js';
import {ResultsWriter} from './results.js';
import type {ColumnMapping} from './types.js';

interface Entry {
  cells: string[];
  outcome: RowOutcome;
  settled: boolean;
}

/**
 * Rows finish out of order (creates run side by side); the results file is in input order.
 * Rows wait here until every row before them has settled, then go to the file. The window is
 * bounded by the importer's backpressure, so memory stays flat however long the file.
 */
export class OrderedOutput {
  private readonly writer: ResultsWriter;
  /** Written rows are let go (undefined) until the next splice. */
  private readonly queue: (Entry | undefined)[] = [];
  private head = 0;
  private readonly pending = new Map<number, Entry>();
  private readonly passthrough: number[];
  /** Every input column is carried through, in order: a row's cells are its results cells as they are. */
  private readonly allCells: boolean;
  private wake: (() => void) | undefined;

  /** `delimiter`: the input's, when it is a CSV (";" is kept in the results; anything else is ","). */
  constructor(path: string, headers: readonly string[], mapping: ColumnMapping, delimiter?: string) {
    this.passthrough = mapping.passthrough;
    this.allCells = this.passthrough.every((column, i) => column === i);
    this.writer = new ResultsWriter(
      path,
      this.passthrough.map((i) => mapping.copiedAs?.[i] ?? headers[i] ?? ''),
      {delimiter: delimiter === ';' ? ';' : ','},
    );
  }

  /** Rows read but not yet written. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  push(cells: string[], outcome: RowOutcome, settled: boolean): void {
    const entry: Entry = {cells: this.allCells && cells.length === this.passthrough.length ? cells : this.passthrough.map((i) => cells[i] ?? ''), outcome, settled};
    this.queue.push(entry);
    if (!settled) this.pending.set(outcome.row, entry);
  }

  settle(outcome: RowOutcome): void {
    const entry = this.pending.get(outcome.row);
    if (!entry) return;
    this.pending.delete(outcome.row);
    entry.outcome = outcome;
    entry.settled = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves at the next `settle()`. */
  nextSettle(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  /**
   * Writes the settled rows at the head of the queue. A promise while the file takes a full
   * chunk (await it to keep memory flat), else undefined: most calls make no promise.
   */
  flush(): Promise<void> | undefined {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      if (!entry.settled) break;
      // Let go of the row as it is written: a row held until the next splice lives through
      // young-generation collections and is promoted, and the old generation fills with them.
      this.queue[this.head] = undefined;
      this.head += 1;
      const full = this.writer.write(entry.cells, entry.outcome);
      if (full) return full.then(() => this.flush());
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return undefined;
  }

  async commit(): Promise<void> {
    await this.flush();
    if (this.waiting > 0) throw new Error(`BUG: ${this.waiting} rows were never settled`);
    await this.writer.commit();
  }

  discard(): Promise<void> {
    return this.writer.discard();
  }
}
