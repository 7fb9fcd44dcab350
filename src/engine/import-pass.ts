/**
 * The import pass: every row read again and decided the same way as in the check pass (see
 * decideRow); the rows to create go out at bounded concurrency, with backpressure, and every
 * row goes to the results file in input order as it settles.
 */
import {existsSync, statSync} from 'node:fs';
import pLimit from 'p-limit';
import type {SeamClient} from '../seam/client.js';
import type {SeamApiError} from '../seam/errors.js';
import type {Pacer} from '../seam/pacer.js';
import {newDeduper} from './check-pass.js';
import {decideRow, readableRow, SEAM_REPORTS, type DecideContext} from './decide.js';
import {ImportError} from './errors.js';
import type {EventSink, Plan, RowOutcome} from './events.js';
import type {Journal} from './journal.js';
import {OrderedOutput} from './ordered-output.js';
import type {Settings} from './preflight.js';
import {ProgressMeter} from './progress.js';
import {longPauseText, RunStop, withoutResume, type Halt} from './run-stop.js';
import {BY_CREATED_AT, CODE_OF, REFUSED_YET_THERE, RECENT_EARLIER_RUN_MS, sendRow, type SenderContext} from './send-row.js';
import type {RowPrints} from './row-prints.js';
import {RowSample} from './row-sample.js';
import {Tally} from './tally.js';
import type {ColumnMapping, TableSource} from './types.js';

export interface SendInput {
  settings: Settings;
  source: TableSource;
  mapping: ColumnMapping;
  decide: DecideContext;
  plan: Plan;
  client: SeamClient;
  pacer: Pacer;
  journal: Journal;
  /** Seam refused the credentials at the first lookups: nothing is sent, every row is skipped. */
  fatal?: SeamApiError;
  /** Each row as the check pass read it: a row that differs stops the sending. */
  prints?: RowPrints;
  /** Rows kept with an id Seam answered "not found" for: row → id. */
  gone?: ReadonlyMap<number, string>;
}

/** How the pass ended: what the summary is made of. */
export interface PassEnd {
  tally: Tally;
  interrupted: boolean;
  fatal?: SeamApiError;
  halt?: Halt;
  requests: number;
  retries: number;
  rateLimited: number;
  sendingMs?: number;
  /** Warnings of the pass that still stand at the end (people made with a problem Seam reports). */
  notes: string[];
}

/** An aborted signal stops sending, drains the requests in flight and writes the results. */
export async function sendRows(p: SendInput, events: EventSink, signal?: AbortSignal): Promise<PassEnd> {
  const {settings, client, pacer, journal} = p;
  const stop = new RunStop(pacer, signal, p.fatal);
  // Without its record a run cannot be resumed safely: stop sending, finish what is in flight,
  // write the results, and say so (exit 130, as for Ctrl-C).
  let journalFailure: ImportError | undefined;
  journal.onError = (error) => {
    journalFailure ??= error;
    events.emit('warning', `${error.message} ${error.hint ?? ''}`.trim());
    stop.abort(error);
  };
  const warn = (text: string): boolean => events.emit('warning', text);
  const tally = new Tally();
  /** The rows this run sends, alone: the progress counts them against the rows to send (a resume's earlier rows are not). */
  const sentTally = new Tally();
  const limit = pLimit(pacer.concurrency);
  const meter = new ProgressMeter({
    toSend: p.plan.toCreate,
    tally: sentTally,
    inFlight: () => client.stats.inFlight,
    unsettled: () => limit.activeCount,
    pacer,
    emit: (progress) => events.emit('progress', progress),
    stopped: () => stop.stopped,
  });
  pacer.onConcurrency = (value) => {
    limit.concurrency = value;
    meter.update(true);
  };
  /** Seam asked for a pause longer than a run waits: the run stops (no "all requests wait 3600s"). */
  const pauseTooLong = (pauseMs: number, reason?: unknown): void => {
    const text = longPauseText(pauseMs, settings.rateLimitBudgetMs);
    stop.haltWith({code: 'rate_limited', text}, `${text}. This run stops: requests in flight finish, the rows not sent are marked skipped.`, reason ?? new Error(text), warn);
  };
  pacer.onPause = (until) => {
    // When a pause begins, whoever met the 429 (a create or a lookup); a longer one met during
    // a pause reaches onLongPause from a create.
    const pauseMs = until - Date.now();
    if (pauseMs > settings.rateLimitBudgetMs) {
      pauseTooLong(pauseMs);
      stop.cutLookups();
      return;
    }
    events.emit('paused', {until, reason: 'rate_limited'});
    meter.update(true);
    stop.cutLookups();
  };
  const sender: SenderContext = {
    client,
    pacer,
    journal,
    headerOf: p.decide.headerOf,
    stop: stop.signal,
    maxAttempts: settings.maxAttempts,
    rateLimitBudgetMs: settings.rateLimitBudgetMs,
    outageMs: settings.outageMs,
    onRetry: (row, attempt, code, delayMs) => {
      meter.retries += 1;
      events.emit('retry', {row, attempt, code, delayMs});
    },
    onFatal: (error) => stop.onFatal(error),
    onLongPause: (error) => pauseTooLong(error.retryAfterMs ?? 0, error),
    onOutage: (error, createsOnly) => {
      const {lastAnswerAt, failuresInARow, lastCreateAnswerAt, createFailuresInARow} = client.stats;
      const text = createsOnly
        ? `Seam answered no create for ${Math.round((Date.now() - lastCreateAnswerAt) / 1000)} s (${createFailuresInARow} creates in a row failed; the last: ${error.message}), while its lookups answer. Run again with --resume when creates work again`
        : `Seam gave no answer for ${Math.round((Date.now() - lastAnswerAt) / 1000)} s (${failuresInARow} requests in a row failed; the last: ${error.message}). Run again with --resume when it is back`;
      // The rows left get the code of what failed: the network (no connection, no answer in time) or Seam (5xx).
      stop.haltWith({code: CODE_OF[error.kind] ?? 'server_error', text, outage: true}, `${text}. This run stops rather than wear on: the rows not sent are marked skipped.`, error, warn);
    },
    onEndpointFault: (error) => {
      const check = (error.advice ?? '').replace(/\s*Nothing was sent\.$/, '').replace(/\.$/, '');
      // A resume must go to the endpoint its record went to: after a redirect, the right one is another.
      const then =
        error.status !== undefined && error.status >= 300 && error.status < 400
          ? 'then run again with that --endpoint and --restart (people already in Seam are found, not created twice)'
          : 'then run again: with this --endpoint once it answers, with --resume; with another, with --restart (people already in Seam are found, not created twice)';
      const text = `${error.message}, the same for every row. ${check}; ${then}`;
      stop.haltWith({code: 'server_error', text, endpoint: true}, `${text}. This run stops: requests in flight finish, the rows not sent are marked skipped.`, error, warn);
    },
    halted: () => stop.halt,
    lookupStop: stop.lookupSignal,
    runStartedAt: Date.parse(p.decide.journal?.run.startedAt ?? '') || Date.now(),
    ...(p.decide.existing ? {listedAtStart: (id: string) => p.decide.existing?.listed(id)} : {}),
    resuming: p.decide.journal !== undefined,
    // Killed mid-send (no outcome), or stopped with the row unconfirmed: not a row that run
    // finished with an answer (a 5xx, then a lookup that found no one).
    leftJustNow: (row) => {
      const record = p.decide.journal;
      if (record === undefined || Date.now() - record.writtenAtMs >= RECENT_EARLIER_RUN_MS) return false;
      const outcome = record.done.get(row);
      return outcome === undefined || outcome.status === 'skipped';
    },
  };

  events.emit('phase', 'importing');
  const sendingFrom = Date.now();
  let sendingMs: number | undefined;
  meter.update(true);
  // Progress also while no answer comes (a slow Seam): requests in flight are counted as they go out.
  const ticker = setInterval(() => meter.update(), 500);
  ticker.unref();
  const output = new OrderedOutput(settings.out, p.source.headers, p.mapping, p.source.info.delimiter);
  /** Rows made or adopted that Seam reports a problem with (the first few, and how many). */
  const reported = new RowSample();
  /** Rows whose create Seam refused, though the person is there now and was not before the run. */
  const refusedYetThere = new RowSample();
  /** Rows existing by their created_at alone, though the listing before the run did not have them. */
  const byCreatedAt = new RowSample();
  const report = (outcome: RowOutcome): void => {
    if (outcome.userIdentityId === undefined) return;
    if (outcome.message?.startsWith(SEAM_REPORTS)) reported.add(outcome.row);
    else if (outcome.message?.startsWith(REFUSED_YET_THERE)) refusedYetThere.add(outcome.row);
    else if (outcome.message?.startsWith(BY_CREATED_AT)) byCreatedAt.add(outcome.row);
  };
  const finished = (said: RowOutcome, counted: boolean): void => {
    const outcome = p.settings.embedded ? withoutResume(said) : said;
    report(outcome);
    tally.add(outcome);
    output.settle(outcome);
    if (counted) {
      sentTally.add(outcome);
      meter.sent += 1;
      events.emit('row', outcome);
      meter.update();
    }
  };
  const deduper = await newDeduper(() => p.source.rows(), p.decide);
  const running = new Set<Promise<void>>();
  /** Rows read in this pass, and the first that was not the row checked (the file was saved again meanwhile). */
  let read = 0;
  let changedAt: number | undefined;
  const inputChanged = (what: string): void => {
    const text = `${settings.input} changed while it was being imported (${what}): the rows from there on are not the ones checked and confirmed`;
    stop.haltWith(
      {
        code: 'input_changed',
        // The embedded sandbox ends with the run: nothing to restart into.
        text: `${text}. Check the file, then ${settings.embedded ? 'run the same command again' : 'import it again with --restart (people already made are found, not made twice)'}`,
      },
      `${text}. This run stops: requests in flight finish, the rows not sent are marked skipped.`,
      new Error(text),
      warn,
    );
  };
  try {
    // Not given `signal`: after Ctrl-C the rest of the file is still read, to mark it `skipped`.
    for await (const raw of p.source.rows()) {
      const row = readableRow(raw, p.decide.isResultsFile);
      if (changedAt === undefined && p.prints && !p.prints.matches(read, raw.cells)) {
        changedAt = raw.index;
        inputChanged(read < p.prints.count ? `row ${raw.index} is not the row checked there` : `it has more rows than the ${p.prints.count} checked`);
      }
      read += 1;
      if (changedAt !== undefined) {
        // Neither sent nor judged: the row is not one the plan was made from.
        const outcome = stop.skipped({row: raw.index, status: 'skipped'});
        tally.add(outcome);
        output.push(row.cells, outcome, true);
        await output.flush();
        continue;
      }
      const decision = decideRow(row, deduper, p.decide);
      if (decision.kind === 'final') {
        const outcome = notInSeam(decision.outcome, p.gone, p.decide.isResultsFile);
        report(outcome);
        tally.add(outcome, decision.kept === true);
        output.push(row.cells, outcome, true);
      } else {
        output.push(row.cells, decision.outcome, false);
        const task = limit(() =>
          stop.stopped
            ? stop.skipped(decision.outcome, decision.priorAttempts > 0)
            : sendRow(sender, decision.outcome, decision.person, decision.priorAttempts),
        ).then((outcome) => finished(outcome, true));
        running.add(task);
        void task.finally(() => running.delete(task));
        // Backpressure: a bounded queue and a bounded window of rows waiting to be written.
        while (running.size >= Math.max(limit.concurrency * 2, 8) || output.waiting > 10_000) {
          await output.nextSettle();
          await output.flush();
        }
      }
      await output.flush();
    }
    // Cut short since: rows checked are not in the file any more, and not in the results either.
    if (changedAt === undefined && p.prints && read < p.prints.count) inputChanged(`it has ${read} rows of the ${p.prints.count} checked`);
    await Promise.all(running);
    sendingMs = Date.now() - sendingFrom;
    meter.update(true);
    events.emit('phase', 'writing');
    await output.commit();
    // A later run into these results is told whether the run finished, and whether they were edited since.
    const written = statSync(settings.out);
    const facts = {at: new Date().toISOString(), resultsSize: written.size, resultsMtimeMs: written.mtimeMs};
    journal.append(tally.counts().skipped === 0 ? {type: 'end', ...facts} : {type: 'wrote', ...facts});
  } catch (error) {
    stop.abort(error);
    await Promise.allSettled(running);
    await output.discard();
    if (error instanceof ImportError && error.code === 'output_unwritable') {
      // The disk filled up (or the folder went) mid-run: what was sent is in the run record.
      const recordGone = !journalFailure && !existsSync(settings.journalPath);
      throw new ImportError(
        'output_unwritable',
        `${error.message} ${meter.sent - tally.counts().skipped} of ${p.plan.toCreate} rows had been sent when it stopped; ${
          journalFailure
            ? `the run record ${settings.journalPath} could not be written in full either`
            : // The folder itself removed mid-run: the record went with it.
              recordGone
              ? `the run record ${settings.journalPath} is gone too (was its folder removed?)`
              : `the run record ${settings.journalPath} keeps them`
        }.`,
        {
          hint: recordGone
            ? 'Put the folder back (or pass -o with another), then run the same command again with --restart: the people already made are found in the workspace and reported existing, not made twice.'
            : 'Free some disk space (or fix the folder), then run again with --resume: nothing already made is sent again (the workspace is looked up first).',
          cause: error,
          midRun: true,
          restartToContinue: recordGone,
        },
      );
    }
    throw error;
  } finally {
    clearInterval(ticker);
    stop.dispose();
    journal.close();
  }
  const notes: string[] = [];
  if (reported.count > 0) {
    const which = `${reported.count === 1 ? 'One person' : `${reported.count} people`} (${reported.list}) ${reported.count === 1 ? 'is' : 'are'}`;
    notes.push(`${which} in Seam with a problem Seam reports on ${reported.count === 1 ? 'it' : 'them'} (such as issue_with_acs_user: an access system could not set the person up). Check ${reported.count === 1 ? 'it' : 'them'} in Seam before handing out access; the results file says which rows and what Seam said.`);
  }
  if (refusedYetThere.count > 0) {
    const n = refusedYetThere.count;
    notes.push(
      `${n === 1 ? 'One person' : `${n} people`} (${refusedYetThere.list}): Seam refused the create, yet ${n === 1 ? 'a person with the row\'s details is' : 'people with the rows\' details are'} in Seam now who ${n === 1 ? 'was' : 'were'} not when this run began: made meanwhile by someone else, or by the refused create. Adopted as existing. If nobody else was adding people, check ${n === 1 ? 'it' : 'them'} in Seam (part of a create may have failed, such as an access system): the results file quotes what Seam said.`,
    );
  }
  if (byCreatedAt.count > 0) {
    const n = byCreatedAt.count;
    notes.push(
      `${n === 1 ? 'One person' : `${n} people`} (${byCreatedAt.list}) found after an attempt of this run got no clear answer ${n === 1 ? 'is' : 'are'} reported existing because Seam dates ${n === 1 ? 'them' : 'each'} more than an hour before this run began, though the workspace's listing before the run did not have them. If this server's dates (created_at) are not to be trusted, this run made ${n === 1 ? 'that person' : 'them'}.`,
    );
  }
  for (const note of notes) events.emit('warning', note);
  return {
    tally,
    notes,
    // A record that failed only after the last row finished stopped nothing: the run is whole.
    // A Ctrl-C (or a lost record) that came after the last answer stopped nothing: the run is whole.
    interrupted: (signal?.aborted === true || journalFailure !== undefined) && tally.counts().skipped > 0 && !stop.fatal,
    fatal: stop.fatal,
    halt: stop.halt,
    requests: client.stats.requests,
    retries: meter.retries,
    rateLimited: pacer.rateLimitedCount,
    sendingMs,
  };
}

/**
 * A row kept as created or existing (the run record, a results file fed back) whose id Seam
 * answered "not found" for: the status stays (it is what happened), and the row says the person is
 * not in Seam now. Only the warning said so, and a script reading the results file or the exit
 * code took them as in Seam.
 */
function notInSeam(outcome: RowOutcome, gone: ReadonlyMap<number, string> | undefined, resultsFile: boolean): RowOutcome {
  const id = gone?.get(outcome.row);
  if (id === undefined || outcome.userIdentityId !== id || (outcome.status !== 'created' && outcome.status !== 'existing')) return outcome;
  const how = resultsFile ? 'clear import_status in this row and feed the file back' : 'import with --restart';
  return {...outcome, code: 'not_in_seam', message: `${noLongerInSeam(id, outcome.status)}. To create the person again, ${how}.`};
}

/** "Seam no longer has the identity … this row was given (deleted since, or made in another workspace)": a row's not_in_seam, and the dry run's count of them. */
export function noLongerInSeam(id: string, status: 'created' | 'existing' = 'existing'): string {
  return `Seam no longer has the identity ${id} this row was ${status === 'created' ? 'created as' : 'given'} (deleted since, or made in another workspace)`;
}
