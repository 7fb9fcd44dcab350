import {
  DEFAULT_SANDBOX_SEED,
  SANDBOX_ROUTES,
  type RetryAfterStyle,
  type SandboxFaults,
  type SandboxRoute,
} from './options.js';

/** mulberry32: a tiny seeded PRNG, good enough for fault dice and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One stream per fault, so turning one fault on does not shift the dice of another. */
type Stream = 'latency' | 'fail' | 'failKind' | 'reset' | 'drop' | 'hang';
const STREAMS: readonly Stream[] = ['latency', 'fail', 'failKind', 'reset', 'drop', 'hang'];

export type FailureKind = 'json-500' | 'html-502' | 'text-500' | 'text-503';
const FAILURE_KINDS: readonly FailureKind[] = ['json-500', 'html-502', 'text-500', 'text-503'];

export type RateDecision = {allowed: true} | {allowed: false; retryAfterSeconds: number};

interface ResolvedFaults {
  latencyMs: number;
  /** undefined: 20% of latencyMs. */
  jitterMs: number | undefined;
  rateLimit: number;
  retryAfter: RetryAfterStyle;
  failRate: number;
  dropAfterCommitRate: number;
  hangAfterCommitRate: number;
  resetBeforeReadRate: number;
  faultRoutes: ReadonlySet<string>;
  seed: number;
}

/** Decides, reproducibly from a seed, which requests meet which fault. */
export class FaultInjector {
  #faults: ResolvedFaults = {
    latencyMs: 0,
    jitterMs: undefined,
    rateLimit: 0,
    retryAfter: 'seconds',
    failRate: 0,
    dropAfterCommitRate: 0,
    hangAfterCommitRate: 0,
    resetBeforeReadRate: 0,
    faultRoutes: new Set(SANDBOX_ROUTES),
    seed: DEFAULT_SANDBOX_SEED,
  };
  #random = new Map<Stream, () => number>();
  #tokens = 0;
  #refilledAt = 0;
  readonly #now: () => number;

  constructor(faults: SandboxFaults = {}, now: () => number = () => performance.now()) {
    this.#now = now;
    this.#reseed();
    this.set(faults);
  }

  /** Changes some faults; the ones not named stay as they are. */
  set(faults: SandboxFaults): void {
    assertFaults(faults);
    const next = {...this.#faults};
    if (faults.latencyMs !== undefined) next.latencyMs = faults.latencyMs;
    if ('jitterMs' in faults) next.jitterMs = faults.jitterMs;
    if (faults.rateLimit !== undefined) next.rateLimit = faults.rateLimit;
    if (faults.retryAfter !== undefined) next.retryAfter = faults.retryAfter;
    if (faults.failRate !== undefined) next.failRate = faults.failRate;
    if (faults.dropAfterCommitRate !== undefined) next.dropAfterCommitRate = faults.dropAfterCommitRate;
    if (faults.hangAfterCommitRate !== undefined) next.hangAfterCommitRate = faults.hangAfterCommitRate;
    if (faults.resetBeforeReadRate !== undefined) next.resetBeforeReadRate = faults.resetBeforeReadRate;
    if (faults.faultRoutes !== undefined) next.faultRoutes = new Set(faults.faultRoutes);
    if (faults.seed !== undefined) next.seed = faults.seed;
    const rateChanged = next.rateLimit !== this.#faults.rateLimit;
    this.#faults = next;
    if (faults.seed !== undefined) this.#reseed();
    if (rateChanged) this.#fillBucket();
  }

  /** The faults now in force, with defaults filled in. */
  current(): Required<SandboxFaults> {
    const f = this.#faults;
    return {
      latencyMs: f.latencyMs,
      jitterMs: this.#jitterMs(),
      rateLimit: f.rateLimit,
      retryAfter: f.retryAfter,
      failRate: f.failRate,
      dropAfterCommitRate: f.dropAfterCommitRate,
      hangAfterCommitRate: f.hangAfterCommitRate,
      resetBeforeReadRate: f.resetBeforeReadRate,
      faultRoutes: [...f.faultRoutes] as SandboxRoute[],
      seed: f.seed,
    };
  }

  get retryAfter(): RetryAfterStyle {
    return this.#faults.retryAfter;
  }

  /** Milliseconds to wait before answering. */
  delayMs(): number {
    const {latencyMs} = this.#faults;
    const jitter = this.#jitterMs();
    if (latencyMs <= 0 && jitter <= 0) return 0;
    return latencyMs + (jitter > 0 ? this.#roll('latency') * jitter : 0);
  }

  resetBeforeRead(route: string): boolean {
    return this.#faults.faultRoutes.has(route) && this.#chance('reset', this.#faults.resetBeforeReadRate);
  }

  /** The kind of 5xx to answer with, or undefined to carry on. */
  failure(route: string): FailureKind | undefined {
    if (!this.#faults.faultRoutes.has(route)) return undefined;
    if (!this.#chance('fail', this.#faults.failRate)) return undefined;
    const index = Math.floor(this.#roll('failKind') * FAILURE_KINDS.length);
    return FAILURE_KINDS[index] ?? 'json-500';
  }

  dropAfterCommit(): boolean {
    return this.#chance('drop', this.#faults.dropAfterCommitRate);
  }

  hangAfterCommit(): boolean {
    return this.#chance('hang', this.#faults.hangAfterCommitRate);
  }

  /** Takes a token from the bucket, or says how long until one is there. */
  takeToken(): RateDecision {
    const rate = this.#faults.rateLimit;
    if (rate <= 0) return {allowed: true};
    const capacity = Math.max(1, rate);
    const now = this.#now();
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#refilledAt) / 1000) * rate);
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return {allowed: true};
    }
    const waitSeconds = (1 - this.#tokens) / rate;
    return {allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds))};
  }

  #jitterMs(): number {
    return this.#faults.jitterMs ?? this.#faults.latencyMs * 0.2;
  }

  #chance(stream: Stream, rate: number): boolean {
    if (rate <= 0) return false;
    if (rate >= 1) return true;
    return this.#roll(stream) < rate;
  }

  #roll(stream: Stream): number {
    const next = this.#random.get(stream);
    return next === undefined ? 0 : next();
  }

  #reseed(): void {
    STREAMS.forEach((stream, index) => {
      // Spread the streams apart so neighbouring seeds do not give overlapping sequences.
      this.#random.set(stream, mulberry32(Math.imul(this.#faults.seed, 0x9e3779b1) + index * 0x85ebca6b));
    });
  }

  #fillBucket(): void {
    this.#tokens = Math.max(1, this.#faults.rateLimit);
    this.#refilledAt = this.#now();
  }
}

function assertFaults(faults: SandboxFaults): void {
  const rates = ['failRate', 'dropAfterCommitRate', 'hangAfterCommitRate', 'resetBeforeReadRate'] as const;
  for (const key of rates) {
    const value = faults[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
      throw new RangeError(`${key} must be between 0 and 1, got ${value}`);
    }
  }
  const amounts = ['latencyMs', 'jitterMs', 'rateLimit'] as const;
  for (const key of amounts) {
    const value = faults[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${key} must be a number of at least 0, got ${value}`);
    }
  }
  if (faults.seed !== undefined && !Number.isInteger(faults.seed)) {
    throw new RangeError(`seed must be an integer, got ${faults.seed}`);
  }
  for (const route of faults.faultRoutes ?? []) {
    if (!SANDBOX_ROUTES.includes(route)) throw new RangeError(`faultRoutes: unknown route ${route}`);
  }
}
