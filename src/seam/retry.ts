import {SeamApiError} from './errors.js';
import {backoff, delay, type Pacer} from './pacer.js';

/** Tries of a call that changes nothing (a lookup), unless told otherwise. */
export const LOOKUP_ATTEMPTS = 6;

export interface RetryOptions {
  pacer: Pacer;
  signal?: AbortSignal;
  /** Read before each retry (a stopped run asks for fewer). @default LOOKUP_ATTEMPTS */
  attempts?: number | (() => number);
  onRetry?: (error: SeamApiError, attempt: number, delayMs: number) => void;
}

/**
 * For calls that change nothing (lookups): try again on anything transient. A 429 pauses every
 * worker through the pacer, whose `acquire` then does the waiting.
 */
export async function withRetries<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = (): number => (typeof options.attempts === 'function' ? options.attempts() : (options.attempts ?? LOOKUP_ATTEMPTS));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      // Aborted: what is thrown is the abort's reason (which may itself be a SeamApiError, the
      // 429 that stopped the run), not an answer to retry.
      if (options.signal?.aborted) throw error;
      if (!(error instanceof SeamApiError) || !error.transient || attempt >= attempts()) throw error;
      const wait =
        // A 5xx's Retry-After is not waited here: six lookups of a minute each kept a stopped run silent for minutes.
        error.kind === 'rate_limited' ? options.pacer.rateLimited(error.retryAfterMs, attempt) : backoff(attempt);
      // A pause longer than a run waits: not waited out here (the pause is recorded, and the run
      // that owns the pacer stops on it); the lookup fails with the 429.
      if (error.kind === 'rate_limited' && (error.retryAfterMs ?? 0) > options.pacer.maxPauseMs) throw error;
      options.onRetry?.(error, attempt, wait);
      if (error.kind !== 'rate_limited') await delay(wait, options.signal);
    }
  }
}
