import type {EventEmitter} from 'node:events';
import type {CheckProgress, ImportEvents, Phase, Plan, Progress, RowOutcome, SourceEvent, Summary} from '../engine/index.js';
import {checkSummary, formatCount, lineText, outcomeText, planLines, plural, progressText, sourceLines, type Line} from './format.js';
import {outcomeLines, type NextSteps, type Outcome} from './outcome.js';

export interface PlainReporterOptions {
  /** Where the lines go (stderr in the CLI). Each call is one or more whole lines. */
  write: (text: string) => void;
  /** @default Date.now */
  now?: () => number;
  /**
   * Least time between two progress lines. Progress is printed on engine events only, never on
   * a timer, so nothing here keeps the process alive.
   * @default 3000
   */
  intervalMs?: number;
  /**
   * Most failed rows printed one per line as they happen; the rest are in the results file.
   * @default 50
   */
  maxFailureLines?: number;
}

const SAMPLE_LINES = 5;

/**
 * The reporter for a pipe, a log file or CI: the same events as the terminal UI, as plain lines
 * with no escape codes. One line per phase, a progress line every few seconds, each failure as it
 * happens (up to a cap), and the same final summary.
 */
export class PlainReporter {
  readonly #events: EventEmitter<ImportEvents>;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #maxFailureLines: number;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #lastCheckAt = Number.NEGATIVE_INFINITY;
  #progress: Progress | undefined;
  #printedProgress: Progress | undefined;
  #check: CheckProgress | undefined;
  #checkShown = false;
  #pausedUntil = 0;
  #failuresShown = 0;
  #failuresHidden = 0;
  #source: SourceEvent | undefined;
  #finished = false;
  #importing = false;
  #plan: Plan | undefined;
  #lookingSince = 0;
  #lastLookAt = 0;

  constructor(events: EventEmitter<ImportEvents>, options: PlainReporterOptions) {
    this.#events = events;
    this.#write = options.write;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? 3000;
    this.#maxFailureLines = options.maxFailureLines ?? 50;
    events.on('phase', this.#onPhase);
    events.on('source', this.#onSource);
    events.on('checking', this.#onChecking);
    events.on('looking', this.#onLooking);
    events.on('plan', this.#onPlan);
    events.on('row', this.#onRow);
    events.on('progress', this.#onProgress);
    events.on('paused', this.#onPaused);
    events.on('warning', this.#onWarning);
    events.on('done', this.#onDone);
  }

  detach(): void {
    this.#events.off('phase', this.#onPhase);
    this.#events.off('source', this.#onSource);
    this.#events.off('checking', this.#onChecking);
    this.#events.off('looking', this.#onLooking);
    this.#events.off('plan', this.#onPlan);
    this.#events.off('row', this.#onRow);
    this.#events.off('progress', this.#onProgress);
    this.#events.off('paused', this.#onPaused);
    this.#events.off('warning', this.#onWarning);
    this.#events.off('done', this.#onDone);
  }

  /** Whether sending has begun (so a stop has requests to finish and results to write). */
  get sending(): boolean {
    return this.#importing;
  }

  /** A line of our own (the prompt's answer, "stopping…"). */
  note(text: string): void {
    this.#line(text);
  }

  /** The final summary (or the reason there is none). Detaches from the events. */
  finish(outcome: Outcome, next: NextSteps = {}): void {
    if (this.#finished) return;
    this.#finished = true;
    this.detach();
    if (this.#failuresHidden > 0) {
      this.#line(`… and ${plural(this.#failuresHidden, 'more failed row')}: see the results file.`);
    }
    this.#lines(outcomeLines(outcome, next));
  }

  #line(text: string): void {
    this.#write(`${text}\n`);
  }

  #lines(lines: Line[]): void {
    if (lines.length > 0) this.#write(lines.map((line) => `${lineText(line)}\n`).join(''));
  }

  readonly #onPhase = (phase: Phase): void => {
    switch (phase) {
      case 'preflight':
        this.#line('Looking up what the workspace already has…');
        break;
      case 'checking':
        this.#line('Checking rows…');
        break;
      case 'importing':
        this.#importing = true;
        this.#showCheck();
        this.#line(
          this.#plan?.fatal
            ? 'Nothing is sent: Seam refused the credentials. The rows to create are marked skipped.'
            : this.#plan?.toCreate === 0
              ? 'Nothing to send: every row is decided already.'
              : 'Sending creates… (Ctrl-C stops sending, finishes the requests in flight and writes the results)',
        );
        break;
      case 'writing':
        // A dry run writes its results while it checks: the summary names the file.
        if (!this.#importing) break;
        this.#finalProgress();
        this.#line(`Writing results${this.#source === undefined ? '' : ` to ${this.#source.outPath}`}…`);
        break;
      default:
        break;
    }
  };

  readonly #onSource = (event: SourceEvent): void => {
    this.#source = event;
    this.#lines(sourceLines(event));
  };

  readonly #onChecking = (check: CheckProgress): void => {
    this.#check = check;
    const now = this.#now();
    if (now - this.#lastCheckAt >= this.#intervalMs) {
      this.#lastCheckAt = now;
      this.#line(`Checking: ${plural(check.rowsRead, 'row')} read, ${formatCount(check.invalid)} invalid, ${plural(check.duplicate, 'duplicate')}`);
    }
  };

  /** A large workspace's listing takes a while: a line every interval, so that it is not taken for a hang. */
  readonly #onLooking = (listed: number): void => {
    const now = this.#now();
    if (this.#lookingSince === 0) this.#lookingSince = now;
    if (now - Math.max(this.#lookingSince, this.#lastLookAt) >= this.#intervalMs) {
      this.#lastLookAt = now;
      this.#line(`Looking up: ${plural(listed, 'identity', 'identities')} of the workspace listed so far…`);
    }
  };

  readonly #onPlan = (plan: Plan): void => {
    this.#plan = plan;
    this.#showCheck();
    this.#lines(planLines(plan));
  };

  /** The checking phase's last word: totals and the first few reasons. */
  #showCheck(): void {
    if (this.#checkShown || this.#check === undefined) return;
    this.#checkShown = true;
    const check = this.#check;
    this.#line(checkSummary(check));
    for (const sample of check.samples.slice(0, SAMPLE_LINES)) this.#line(`  ${outcomeText(sample)}`);
    const more = check.invalid + check.duplicate - Math.min(SAMPLE_LINES, check.samples.length);
    if (more > 0) this.#line(`  … and ${formatCount(more)} more in the results file`);
  }

  readonly #onRow = (outcome: RowOutcome): void => {
    if (outcome.status === 'failed') {
      if (this.#failuresShown < this.#maxFailureLines) {
        this.#failuresShown++;
        this.#line(`Failed: ${outcomeText(outcome)}`);
      } else {
        this.#failuresHidden++;
      }
    }
    this.#maybeProgress();
  };

  readonly #onProgress = (progress: Progress): void => {
    this.#progress = progress;
    this.#maybeProgress();
  };

  #maybeProgress(): void {
    const now = this.#now();
    // Nothing to say until the first row is back; then at once, then every few seconds. Nothing
    // at all when Seam refused the credentials before the first create: no row is sent.
    if (this.#progress === undefined || this.#progress.sent === 0 || this.#plan?.fatal || now - this.#lastProgressAt < this.#intervalMs) return;
    this.#lastProgressAt = now;
    this.#printedProgress = this.#progress;
    this.#line(progressText(this.#progress, now));
  }

  /** The last word on progress before the results are written, so a log does not end on a stale figure. */
  #finalProgress(): void {
    if (this.#progress === undefined || this.#progress.sent === 0 || this.#plan?.fatal || this.#progress === this.#printedProgress) return;
    this.#printedProgress = this.#progress;
    this.#line(progressText({...this.#progress, pausedUntil: 0}, this.#now()));
  }

  readonly #onPaused = (event: {until: number; reason: 'rate_limited'}): void => {
    // One line per pause, not per worker that met the 429.
    if (event.until <= this.#pausedUntil) return;
    const fresh = this.#pausedUntil < this.#now();
    this.#pausedUntil = event.until;
    if (fresh) {
      const seconds = Math.max(1, Math.ceil((event.until - this.#now()) / 1000));
      this.#line(`Rate limited by Seam: all requests wait ${seconds}s, then go on at a lower pace.`);
    }
  };

  readonly #onWarning = (message: string): void => {
    this.#line(`Warning: ${message}`);
  };

  readonly #onDone = (_summary: Summary): void => {
    // The CLI calls finish() with the outcome and the commands to type next.
  };
}
