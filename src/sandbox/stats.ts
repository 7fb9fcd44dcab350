/** What the sandbox has seen, for tests and benchmarks. */
export interface SandboxStats {
  /** API requests received (the `/_sandbox/*` routes are not counted). */
  requests: number;
  /** Requests per path; paths the sandbox does not serve count under `(unknown)`. */
  byRoute: Record<string, number>;
  /** Answers sent, per HTTP status. */
  byStatus: Record<number, number>;
  /** Requests received and not yet answered or cut off. */
  inFlight: number;
  maxInFlight: number;
  inFlightCreate: number;
  maxInFlightCreate: number;
  /** Identities committed by create (whether or not the answer reached the client). */
  creates: number;
  /** Creates committed, then cut off without an answer. */
  dropped: number;
  /** Creates committed, then left unanswered. */
  hung: number;
  /** Connections reset before the request was read. */
  resets: number;
  /** 429 answers. */
  rateLimited: number;
  /** Injected 5xx answers. */
  failed: number;
}

export type StatsCounter = 'creates' | 'dropped' | 'hung' | 'resets' | 'rateLimited' | 'failed';

export class StatsRecorder {
  #stats: SandboxStats = empty(0, 0);

  /** Counts a request in; returns the function that counts it out (call it once). */
  begin(route: string, isCreate: boolean): () => void {
    const stats = this.#stats;
    stats.requests += 1;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    if (isCreate) {
      stats.inFlightCreate += 1;
      stats.maxInFlightCreate = Math.max(stats.maxInFlightCreate, stats.inFlightCreate);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      // After a resetStats() the counters are new, but the request is still in flight there.
      this.#stats.inFlight -= 1;
      if (isCreate) this.#stats.inFlightCreate -= 1;
    };
  }

  status(status: number): void {
    this.#stats.byStatus[status] = (this.#stats.byStatus[status] ?? 0) + 1;
  }

  count(counter: StatsCounter): void {
    this.#stats[counter] += 1;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.#stats);
  }

  /** Zeroes every count; requests still in flight stay counted as in flight. */
  reset(): void {
    this.#stats = empty(this.#stats.inFlight, this.#stats.inFlightCreate);
  }
}

function empty(inFlight: number, inFlightCreate: number): SandboxStats {
  return {
    requests: 0,
    byRoute: {},
    byStatus: {},
    inFlight,
    maxInFlight: inFlight,
    inFlightCreate,
    maxInFlightCreate: inFlightCreate,
    creates: 0,
    dropped: 0,
    hung: 0,
    resets: 0,
    rateLimited: 0,
    failed: 0,
  };
}
