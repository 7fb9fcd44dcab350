import type {EventEmitter} from 'node:events';
import {useEffect, useRef, useState} from 'react';
import type {CheckProgress, ImportEvents, Phase, Plan, Progress, RowOutcome, SourceEvent, Summary} from '../engine/index.js';

/** What the screens draw: the engine's events folded into one value. */
export interface ImportView {
  phase: Phase | undefined;
  source: SourceEvent | undefined;
  check: CheckProgress | undefined;
  /** The workspace's identities listed so far, while it is looked up. */
  listed: number | undefined;
  plan: Plan | undefined;
  progress: Progress | undefined;
  /** Epoch ms until which the run waits after a 429; 0 when not paused. */
  pausedUntil: number;
  retries: number;
  /** Failed rows, in the order they finished, up to `maxFailures` (they go to `<Static>`). */
  failures: RowOutcome[];
  /** All failed rows seen, including those past the cap. */
  failureCount: number;
  /** The latest few failed rows, for the live area once the `<Static>` list is full. */
  latestFailures: RowOutcome[];
  warnings: string[];
  summary: Summary | undefined;
  /** When this view was made (drives countdowns). */
  now: number;
}

export interface UseImportEventsOptions {
  /**
   * Least time between two redraws caused by rows and progress; phase changes, the plan and the
   * end redraw at once. 0 redraws on every event (tests).
   * @default 250
   */
  throttleMs?: number;
  /** @default 100 */
  maxFailures?: number;
  /** @default Date.now */
  now?: () => number;
}

const LATEST = 3;

function emptyView(now: number): ImportView {
  return {
    phase: undefined,
    source: undefined,
    check: undefined,
    listed: undefined,
    plan: undefined,
    progress: undefined,
    pausedUntil: 0,
    retries: 0,
    failures: [],
    failureCount: 0,
    latestFailures: [],
    warnings: [],
    summary: undefined,
    now,
  };
}

/**
 * The one place the UI listens to the engine: `on` in an effect, `off` in its cleanup. Events
 * update a draft; the draft is copied into state at most every `throttleMs` (about 4 redraws a
 * second, not one per row), or at once for the events a person waits on.
 */
export function useImportEvents(events: EventEmitter<ImportEvents>, options: UseImportEventsOptions = {}): ImportView {
  const {throttleMs = 250, maxFailures = 100} = options;
  // Held in a ref so that an inline clock does not resubscribe on every render.
  const clock = useRef(options.now ?? Date.now);
  clock.current = options.now ?? Date.now;
  const now = (): number => clock.current();
  const draft = useRef<ImportView>(emptyView(now()));
  const [view, setView] = useState<ImportView>(draft.current);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ticker: ReturnType<typeof setInterval> | undefined;
    const d = draft.current;

    const flush = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      d.now = now();
      setView({...d, failures: [...d.failures], latestFailures: [...d.latestFailures], warnings: [...d.warnings]});
      // A countdown needs redraws even when no event comes while every worker waits.
      if (d.pausedUntil > d.now && ticker === undefined) {
        ticker = setInterval(flush, 1000);
      } else if (d.pausedUntil <= d.now && ticker !== undefined) {
        clearInterval(ticker);
        ticker = undefined;
      }
    };
    const soon = (): void => {
      if (throttleMs <= 0) flush();
      else timer ??= setTimeout(flush, throttleMs);
    };

    const onPhase = (phase: Phase): void => {
      d.phase = phase;
      flush();
    };
    const onSource = (source: SourceEvent): void => {
      d.source = source;
      flush();
    };
    const onChecking = (check: CheckProgress): void => {
      d.check = check;
      soon();
    };
    const onLooking = (listed: number): void => {
      d.listed = listed;
      soon();
    };
    const onPlan = (plan: Plan): void => {
      d.plan = plan;
      flush();
    };
    const onRow = (outcome: RowOutcome): void => {
      if (outcome.status !== 'failed') return;
      d.failureCount++;
      if (d.failures.length < maxFailures) d.failures.push(outcome);
      d.latestFailures = [...d.latestFailures.slice(-(LATEST - 1)), outcome];
      soon();
    };
    const onProgress = (progress: Progress): void => {
      d.progress = progress;
      d.retries = progress.retries;
      if (progress.pausedUntil > d.pausedUntil) d.pausedUntil = progress.pausedUntil;
      soon();
    };
    const onRetry = (): void => {
      d.retries++;
      soon();
    };
    const onPaused = (event: {until: number}): void => {
      if (event.until > d.pausedUntil) d.pausedUntil = event.until;
      flush();
    };
    const onWarning = (message: string): void => {
      d.warnings.push(message);
      flush();
    };
    const onDone = (summary: Summary): void => {
      d.summary = summary;
      d.pausedUntil = 0;
      flush();
    };

    events.on('phase', onPhase);
    events.on('source', onSource);
    events.on('checking', onChecking);
    events.on('looking', onLooking);
    events.on('plan', onPlan);
    events.on('row', onRow);
    events.on('progress', onProgress);
    events.on('retry', onRetry);
    events.on('paused', onPaused);
    events.on('warning', onWarning);
    events.on('done', onDone);
    return () => {
      events.off('phase', onPhase);
      events.off('source', onSource);
      events.off('checking', onChecking);
      events.off('looking', onLooking);
      events.off('plan', onPlan);
      events.off('row', onRow);
      events.off('progress', onProgress);
      events.off('retry', onRetry);
      events.off('paused', onPaused);
      events.off('warning', onWarning);
      events.off('done', onDone);
      if (timer !== undefined) clearTimeout(timer);
      if (ticker !== undefined) clearInterval(ticker);
    };
  }, [events, throttleMs, maxFailures]);

  return view;
}
