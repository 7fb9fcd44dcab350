import {SeamApiError} from './errors.js';
import {backoff, delay, type Pacer} from './pacer.js';

/**
 * The longest wait between tries while Seam answers nothing at all (see SilenceWatch): the rows
 * waiting keep looking, so that the run goes on within seconds of Seam's return, and their
 * failures keep counting towards the run's outage stop (20 in a row and a minute without an answer).
 */
export const SILENT_WAIT_MAX_MS = 4_000;

/**
 * Tells a row's own failures from an outage's. A failure is Seam's silence, not the row's, when
 * nothing Seam was asked (by any worker) has been answered since the row's previous failure, no
 * create sent since the row's own create failed, and other requests failed meanwhile too: it does not use up a try, for up to `windowMs` from the
 * failure that began the silence. A short outage (a deploy, a restart, an overloaded minute) is
 * then waited out instead of failing every row in flight; a long one stops the run (the outage
 * watch: 20 failures in a row and a minute without an answer) before the window ends. A request
 * that fails while others are answered, or alone in flight (its failures may be its own), uses up
 * its tries as before.
 */
export class SilenceWatch {
  private lastFailureAt = 0;
  private silentFrom = 0;
  /** When the row's last create was seen to get no answer (0: none has failed). */
  private createFailedAt = 0;
  /** The row's failures since Seam last answered anything. */
  private mine = 0;
  /** Failures in a row that did not use up a try: the wait grows with them (up to SILENT_WAIT_MAX_MS). */
  waits = 0;

  constructor(
    private readonly answers: {readonly lastAnswerAt: number; readonly failuresInARow: number; readonly lastAnsweredCreateSentAt: number},
    private readonly windowMs: number,
    /** Off once the run is stopping (Ctrl-C, an outage stop): then every failure counts. */
    private readonly active: () => boolean,
  ) {}

  /**
   * The row's create got no answer: noted as a failure, and a create sent after it that gets an
   * answer says the create route works. (One sent before, even just before, and answered after
   * says nothing: at an outage's onset, a create the server took a moment earlier is answered
   * after the failures of those it took a moment later.)
   */
  createFailed(now = Date.now()): void {
    this.createFailedAt = now;
    this.spares(now);
  }

  /**
   * Called on each of the row's lookup failures without an answer (5xx, none in time, a cut or
   * refused connection): whether it spares the try. Only after the row's own create failed and no
   * create sent since was answered: when only the lookups fail, every worker ends up in a failing
   * lookup and nothing is answered, which is not Seam's silence (the creates answered until then).
   */
  spares(now = Date.now()): boolean {
    const previous = this.lastFailureAt;
    this.lastFailureAt = now;
    const unanswered = previous > 0 && this.answers.lastAnswerAt < previous;
    this.mine = unanswered ? this.mine + 1 : 1;
    const createsSilent = this.createFailedAt > 0 && this.answers.lastAnsweredCreateSentAt < this.createFailedAt;
    if (!unanswered || !createsSilent || this.answers.failuresInARow <= this.mine || !this.active()) {
      this.silentFrom = 0;
      this.waits = 0;
      return false;
    }
    this.silentFrom ||= previous;
    if (now - this.silentFrom >= this.windowMs) return false;
    this.waits += 1;
    return true;
  }

  /** The wait before the next try after a spared failure. */
  wait(random: () => number = Math.random): number {
    return backoff(this.waits, random, SILENT_WAIT_MAX_MS);
  }
}

/** Tries of a call that changes nothing (a lookup), unless told otherwise. */
export const LOOKUP_ATTEMPTS = 6;

export interface RetryOptions {
  pacer: Pacer;
  signal?: AbortSignal;
  /** Read before each retry (a stopped run asks for fewer). @default LOOKUP_ATTEMPTS */
  attempts?: number | (() => number);
  onRetry?: (error: SeamApiError, attempt: number, delayMs: number) => void;
  /** Failures while Seam answers nothing at all do not use up tries (see SilenceWatch). */
  silence?: SilenceWatch;
}

/**
 * For calls that change nothing (lookups): try again on anything transient. A 429 pauses every
 * worker through the pacer, whose `acquire` then does the waiting.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = (): number => (typeof options.attempts === 'function' ? options.attempts() : (options.attempts ?? LOOKUP_ATTEMPTS));
  const silence = options.silence;
  // Tries used up: a failure spared by the silence watch does not count.
  let attempt = 0;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      // Aborted: what is thrown is the abort's reason (which may itself be a SeamApiError, the
      // 429 that stopped the run), not an answer to retry.
      if (options.signal?.aborted) throw error;
      if (!(error instanceof SeamApiError) || !error.transient) throw error;
      const spared = error.kind !== 'rate_limited' && silence?.spares() === true;
      if (!spared) {
        attempt += 1;
        if (attempt >= attempts()) throw error;
      }
      const wait =
        // A 5xx's Retry-After is not waited here: six lookups of a minute each kept a stopped run silent for minutes.
        error.kind === 'rate_limited' ? options.pacer.rateLimited(error.retryAfterMs, attempt) : spared ? silence!.wait() : backoff(attempt);
      // A pause longer than a run waits: not waited out here (the pause is recorded, and the run
      // that owns the pacer stops on it); the lookup fails with the 429.
      if (error.kind === 'rate_limited' && (error.retryAfterMs ?? 0) > options.pacer.maxPauseMs) throw error;
      options.onRetry?.(error, attempt, wait);
      if (error.kind !== 'rate_limited') await delay(wait, options.signal);
    }
  }
}
