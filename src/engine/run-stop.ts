/**
 * How an import stops sending: Ctrl-C (the caller's signal), a fatal answer (401/403), a lost
 * run record, or Seam making it stop (a Retry-After longer than a run waits, an outage). After
 * the stop, the last lookups of rows that may have been made still run, unless Seam's pause
 * has long to go or Seam is down: then they are left to --resume (the record says the rows were sent).
 */
import {setMaxListeners} from 'node:events';
import type {SeamApiError} from '../seam/errors.js';
import type {Pacer} from '../seam/pacer.js';
import type {RowOutcome} from './events.js';
import type {RowErrorCode} from './types.js';

/** After a stop, the last lookups are left to --resume when Seam's pause has longer than this to run. */
const LOOKUP_PAUSE_LIMIT_MS = 5000;

/** Seam made the run stop: the code and the words for the rows it leaves. */
export interface Halt {
  code: RowErrorCode;
  text: string;
  /** Seam is down (nothing answered for a while), not pausing us. */
  outage?: boolean;
  /** The create route is not Seam's (a redirect, no such route): the halt's text says how to go on, not a plain --resume. */
  endpoint?: boolean;
}

export class RunStop {
  private readonly stop = new AbortController();
  private readonly lookups = new AbortController();
  private readonly follow: () => void;
  /** A 401/403 (at the first lookups or during the run). */
  fatal: SeamApiError | undefined;
  halt: Halt | undefined;

  constructor(
    private readonly pacer: Pacer,
    private readonly caller: AbortSignal | undefined,
    fatal: SeamApiError | undefined,
  ) {
    // Every worker waiting for its turn listens on these: up to --concurrency × 2 at once, by design.
    setMaxListeners(0, this.stop.signal);
    setMaxListeners(0, this.lookups.signal);
    this.stop.signal.addEventListener('abort', () => this.cutLookups(), {once: true});
    this.follow = () => this.abort(caller?.reason);
    if (caller?.aborted) this.follow();
    caller?.addEventListener('abort', this.follow, {once: true});
    this.fatal = fatal;
    if (fatal) this.abort(fatal);
  }

  /** Aborted when nothing new may be sent. */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  /** Aborted when the last lookups are left to --resume. */
  get lookupSignal(): AbortSignal {
    return this.lookups.signal;
  }

  get stopped(): boolean {
    return this.stop.signal.aborted;
  }

  abort(reason: unknown): void {
    this.stop.abort(reason);
  }

  onFatal(error: SeamApiError): void {
    this.fatal ??= error;
    this.abort(error);
  }

  /** Seam makes the run stop; `warn` is told once, with `warning`. */
  haltWith(halt: Halt, warning: string, reason: unknown, warn: (text: string) => void): void {
    if (this.halt || this.stopped) return;
    this.halt = halt;
    warn(warning);
    this.abort(reason);
  }

  /** Called when the stop comes and whenever a pause begins. */
  cutLookups(): void {
    if (!this.stopped || this.lookups.signal.aborted) return;
    // Down for a minute already: the last lookups would only wait out their own retries.
    if (this.halt?.outage === true || this.pacer.pausedUntil - Date.now() > LOOKUP_PAUSE_LIMIT_MS) this.lookups.abort(this.stop.signal.reason);
  }

  /**
   * A row not sent because the run had stopped. `sentBefore`: an earlier attempt of the run sent it
   * and no answer came (the person may be in Seam): not "Not sent", and it is looked up, not sent again.
   */
  skipped(base: RowOutcome, sentBefore = false): RowOutcome {
    if (this.halt) return {...base, status: 'skipped', code: this.halt.code, message: sentBefore ? `${SENT_BEFORE}: ${this.halt.text}.` : `Not sent: ${this.halt.text}.`};
    const fatal = this.fatal;
    if (!fatal) {
      return {
        ...base,
        status: 'skipped',
        code: 'interrupted',
        message: sentBefore ? `${SENT_BEFORE}: the run was stopped before it was looked up. Run again with --resume: it looks the person up before sending.` : 'Not sent: the run was stopped. Run again with --resume to send it.',
      };
    }
    if (sentBefore) {
      const refused = fatal.kind === 'forbidden' ? 'Seam refused access (403)' : 'Seam refused the credentials (401)';
      return {
        ...base,
        status: 'skipped',
        code: fatal.kind === 'forbidden' ? 'forbidden' : 'unauthorized',
        message: `${SENT_BEFORE}: ${refused} before it could be looked up. Fix the API key or personal access token, then run again with --resume: it looks the person up before sending.`,
      };
    }
    return {
      ...base,
      status: 'skipped',
      code: fatal.kind === 'forbidden' ? 'forbidden' : 'unauthorized',
      message:
        fatal.kind === 'forbidden'
          ? 'Not sent: Seam refused access (403), so the run stopped. Check that the API key or personal access token may use this workspace, then run again with --resume.'
          : 'Not sent: Seam refused the credentials (401), so the run stopped. Fix the API key or personal access token, then run again with --resume.',
    };
  }

  dispose(): void {
    this.caller?.removeEventListener('abort', this.follow);
  }
}

/** What a row an earlier attempt sent (its answer never came) says when this run stops before looking it up. */
const SENT_BEFORE = 'Not confirmed: an earlier attempt sent it and no answer came, so the person may be in Seam';

/** "Run again with --resume …": not for a workspace that ended with the run (the embedded sandbox). */
const RESUME_ADVICE = /\s*Run again with --resume[^.]*(?:\.|$)|,? then run again with --resume\.|\. Run again with --resume[^.]*$/g;

export function resumeAdviceOff(text: string): string {
  return text.replace(RESUME_ADVICE, '').trim();
}

export function withoutResume(outcome: RowOutcome): RowOutcome {
  if (outcome.message === undefined || !outcome.message.includes('--resume')) return outcome;
  return {...outcome, message: `${resumeAdviceOff(outcome.message)} The embedded sandbox ended with the run: run the same command again to start over.`};
}

/** A pause as a person reads it: `45 s`, `60 min`, `5 h`, `3 days`. */
function pauseLength(ms: number): string {
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/** Longer than this, a Retry-After is a server's mistake, not a time to come back at. */
const SENSIBLE_PAUSE_MS = 30 * 86_400_000;

/**
 * Seam asked (Retry-After) for a pause longer than a run waits for: the words for the rows it
 * leaves, ending with when to resume (with the date when that is not today).
 */
export function longPauseText(retryAfterMs: number, budgetMs: number, {now = Date.now(), then = 'Run again with --resume'} = {}): string {
  if (!(retryAfterMs <= SENSIBLE_PAUSE_MS)) {
    return `Seam asked for a pause of more than 30 days (Retry-After), which looks like a mistake of the server or of a proxy before it. ${then} later, once the API answers normally again`;
  }
  const at = new Date(now + retryAfterMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const today = new Date(now);
  const sameDay = at.getFullYear() === today.getFullYear() && at.getMonth() === today.getMonth() && at.getDate() === today.getDate();
  // With the zone: the message is read in a log, on another machine, or by someone elsewhere.
  const offset = -at.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${two(Math.abs(offset) % 60)}` : ''}`;
  const clock = `${sameDay ? '' : `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} `}${two(at.getHours())}:${two(at.getMinutes())} (${zone})`;
  return `Seam asked for a pause of ${pauseLength(retryAfterMs)} (Retry-After), longer than a run waits (${pauseLength(budgetMs)}). ${then} after ${clock}`;
}
