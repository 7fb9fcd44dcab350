import type {Progress} from './events.js';
import type {Tally} from './tally.js';

/** How often progress goes out while rows finish: reporters redraw a few times a second at most. */
const EVERY_MS = 100;

export interface ProgressSources {
  toSend: number;
  tally: Tally;
  inFlight: () => number;
  /** Rows taken up and not finished yet (in flight or between tries). */
  unsettled?: () => number;
  pacer: {concurrency: number; maxConcurrency: number; rateLimitedCount: number; pausedUntil: number};
  emit: (progress: Progress) => void;
  /** The run is stopping: no time left to estimate, no pause to wait out. */
  stopped?: () => boolean;
  now?: () => number;
}

/**
 * Counts the rows this run sends and tells the reporters, throttled: building a snapshot for
 * every finished row cost more than the row's own bookkeeping on a fast server.
 */
export class ProgressMeter {
  sent = 0;
  retries = 0;
  private readonly startedAt: number;
  private lastEmit = 0;
  private readonly now: () => number;

  constructor(private readonly sources: ProgressSources) {
    this.now = sources.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** A row finished (or anything else changed); `force` sends now, else at most every 100 ms. */
  update(force = false): void {
    const now = this.now();
    if (!force && now - this.lastEmit < EVERY_MS && this.sent < this.sources.toSend) return;
    this.lastEmit = now;
    const {tally, pacer, toSend} = this.sources;
    const elapsed = (now - this.startedAt) / 1000;
    const counts = tally.counts();
    // Rows marked skipped after a stop are counted as finished, not as speed (they were never sent).
    const answered = this.sent - counts.skipped;
    const rowsPerSecond = elapsed > 0 ? Math.max(0, answered) / elapsed : 0;
    const stopping = this.sources.stopped?.() === true;
    this.sources.emit({
      toSend,
      sent: this.sent,
      counts,
      inFlight: this.sources.inFlight(),
      ...(this.sources.unsettled ? {unsettled: this.sources.unsettled()} : {}),
      concurrency: pacer.concurrency,
      maxConcurrency: pacer.maxConcurrency,
      retries: this.retries,
      rateLimited: pacer.rateLimitedCount,
      pausedUntil: pacer.pausedUntil > now && !stopping ? pacer.pausedUntil : 0,
      rowsPerSecond,
      etaSeconds: this.sent >= 5 && rowsPerSecond > 0 && !stopping ? (toSend - this.sent) / rowsPerSecond : undefined,
      startedAt: this.startedAt,
    });
  }
}
