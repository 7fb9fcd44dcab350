/**
 * Shared pacing for every request the importer sends: a fixed `--rate` cap, a pause that every
 * worker honours after a 429, a request rate learned from where the 429s began, and the create
 * concurrency, lowered on a 429 and climbing back on success (AIMD).
 */
export interface PacerOptions {
  /** Fixed cap in requests per second (`--rate`). */
  rate?: number;
  /** Highest create concurrency (`--concurrency`). */
  maxConcurrency: number;
  /** The longest pause a run waits out (a longer Retry-After stops it instead). @default no limit */
  maxPauseMs?: number;
  now?: () => number;
}

/** Quiet after the last 429 before the learned rate probes upwards fast. */
const QUIET_MS = 3000;

export class Pacer {
  private readonly fixedRate: number | undefined;
  private learnedRate: number | undefined;
  private tokens: number;
  private lastRefill: number;
  private readonly now: () => number;
  /** Times of the clear answers in the last second: the rate the server accepts. */
  private readonly answered: number[] = [];
  private successesSinceChange = 0;
  private lastIncrease: number;
  /** When the last 429 came: after a quiet spell the learned rate probes upwards fast. */
  private lastRateLimited = Number.NEGATIVE_INFINITY;

  readonly maxConcurrency: number;
  readonly maxPauseMs: number;
  concurrency: number;
  pausedUntil = 0;
  rateLimitedCount = 0;
  /** Called when `concurrency` changes. */
  onConcurrency: ((value: number) => void) | undefined;
  /** Called when a pause begins, and when one grows past `maxPauseMs`. */
  onPause: ((until: number) => void) | undefined;

  constructor(options: PacerOptions) {
    this.fixedRate = options.rate;
    this.maxConcurrency = options.maxConcurrency;
    this.maxPauseMs = options.maxPauseMs ?? Number.POSITIVE_INFINITY;
    this.concurrency = options.maxConcurrency;
    this.now = options.now ?? Date.now;
    this.lastRefill = this.now();
    this.lastIncrease = this.lastRefill;
    this.tokens = this.bucketSize();
  }

  /** Current cap in requests per second, or undefined for none. */
  get rate(): number | undefined {
    if (this.fixedRate === undefined) return this.learnedRate;
    if (this.learnedRate === undefined) return this.fixedRate;
    return Math.min(this.fixedRate, this.learnedRate);
  }

  private bucketSize(): number {
    const rate = this.rate;
    if (rate === undefined) return Number.POSITIVE_INFINITY;
    // `--rate N` is a promise to the person: at most N in any second, so no burst on top of the
    // N a second (a full bucket let the first second carry 2N). A learned rate keeps a second's
    // worth of burst, so that the quiet during a pause is not simply lost.
    if (this.fixedRate !== undefined && rate === this.fixedRate) return 1;
    return Math.max(1, rate);
  }

  private refill(now: number): void {
    const rate = this.rate;
    if (rate === undefined) {
      this.tokens = Number.POSITIVE_INFINITY;
    } else {
      if (!Number.isFinite(this.tokens)) this.tokens = Math.max(1, rate / 10);
      this.tokens = Math.min(this.bucketSize(), this.tokens + ((now - this.lastRefill) / 1000) * rate);
    }
    this.lastRefill = now;
  }

  /** Wait for leave to send one request. Rejects with the signal's reason when aborted. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now < this.pausedUntil) {
        await delay(this.pausedUntil - now, signal);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const rate = this.rate ?? 1;
      await delay(Math.max(1, ((1 - this.tokens) / rate) * 1000), signal);
    }
  }

  /** A request was answered 429. Returns how long to wait before the next try. */
  rateLimited(retryAfterMs: number | undefined, attempt: number): number {
    const now = this.now();
    this.rateLimitedCount += 1;
    const wait = retryAfterMs ?? backoff(attempt);
    const alreadyPaused = now < this.pausedUntil;
    const before = this.pausedUntil;
    this.pausedUntil = Math.max(this.pausedUntil, now + wait);
    if (alreadyPaused && wait > this.maxPauseMs && before - now <= this.maxPauseMs) {
      // A pause longer than a run waits, met during a short one (often by a lookup, which does not
      // stop the run itself): said now, or the screen showed "resuming in 600s" until a create met it.
      this.onPause?.(this.pausedUntil);
    }
    if (!alreadyPaused) {
      // One cut per episode: the other workers' 429s from the same burst say nothing new.
      // What got through in the last second is what the server allows: settle a little under it.
      this.trim(now);
      const accepted = Math.max(1, this.answered.length);
      this.learnedRate = Math.max(1, Math.min(this.learnedRate ?? Infinity, accepted * 1.05) * 0.92);
      this.tokens = Math.min(this.tokens, this.bucketSize());
      this.setConcurrency(Math.max(1, Math.floor(this.concurrency / 2)));
      this.onPause?.(this.pausedUntil);
    }
    this.successesSinceChange = 0;
    this.lastIncrease = now;
    this.lastRateLimited = now;
    return Math.max(0, this.pausedUntil - now);
  }

  /** A request got a clear answer: probe upwards slowly. */
  succeeded(): void {
    const now = this.now();
    this.answered.push(now);
    if (this.answered.length > 4096) this.trim(now);
    this.successesSinceChange += 1;
    if (this.concurrency < this.maxConcurrency && this.successesSinceChange >= this.concurrency) {
      this.successesSinceChange = 0;
      this.setConcurrency(this.concurrency + 1);
    }
    if (this.learnedRate !== undefined) {
      // +1% a second just after a 429: settles under a steady limit with few 429s. After
      // QUIET_MS without one, about double each second: a limit that has lifted (a storm that
      // passed) is found again in seconds instead of capping the rest of the run.
      const seconds = (now - this.lastIncrease) / 1000;
      if (seconds >= 0.25) {
        const quiet = now - this.lastRateLimited >= QUIET_MS;
        this.learnedRate *= 1 + (quiet ? 1 : 0.01) * seconds;
        this.lastIncrease = now;
        // A cap far above what is being sent shapes nothing: forget it; the next 429 teaches a new one.
        this.trim(now);
        if (quiet && this.learnedRate > 4 * Math.max(1, this.answered.length)) this.learnedRate = undefined;
      }
    }
  }

  private trim(now: number): void {
    let drop = 0;
    while (drop < this.answered.length && this.answered[drop]! < now - 1000) drop += 1;
    if (drop > 0) this.answered.splice(0, drop);
  }

  private setConcurrency(value: number): void {
    if (value === this.concurrency) return;
    this.concurrency = value;
    this.onConcurrency?.(value);
  }
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s, … capped at 30 s (or `capMs`). */
export function backoff(attempt: number, random: () => number = Math.random, capMs = 30_000): number {
  const ceiling = Math.min(capMs, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The longest a 5xx's Retry-After is waited before a create is tried again; a longer one is waited
 * this long. A row's tries then span about a minute of maintenance, and a run never sits silent long.
 */
export const MAX_SERVER_PAUSE_MS = 15_000;

/**
 * The wait before trying a create again after an unclear answer: `backoff`, or as long as a 5xx's
 * Retry-After asked (a 503 during maintenance), up to MAX_SERVER_PAUSE_MS. Lookups keep `backoff`.
 */
export function backoffAfter(retryAfterMs: number | undefined, attempt: number, random: () => number = Math.random): number {
  return Math.max(backoff(attempt, random), Math.min(retryAfterMs ?? 0, MAX_SERVER_PAUSE_MS));
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}
