import type {Summary} from '../engine/events.js';
import {RETRYABLE_CODES, ROW_STATUSES, type RowStatus} from '../engine/types.js';
import {STATUS_NOTES, formatCount, formatDuration, plural, shownPath, type Line} from './format.js';

/** How a run ended, whichever way: the one thing both reporters and the exit code are made from. */
export type Outcome =
  | {kind: 'summary'; summary: Summary}
  /** The person answered no at the prompt. */
  | {kind: 'declined'}
  /**
   * Ctrl-C / SIGTERM before this attempt sent anything (while reading, checking, or at the
   * prompt). `recorded`: an earlier attempt's run record is there (a --resume stopped early).
   */
  | {kind: 'stopped'; recorded?: boolean}
  /** The run could not start (2) or Seam refused the credentials (3). */
  | {kind: 'error'; code: string; message: string; hint?: string; exitCode: 2 | 3 | 130; restartToContinue?: boolean};

/** What to type next; made by the CLI, which knows the command line. */
export interface NextSteps {
  /** The same command plus `--resume`. */
  resume?: string;
  /** Why there is no resume command (the embedded sandbox is gone with the run). */
  resumeNote?: string;
  /** The results file fed back in, into a fresh results file. */
  retry?: string;
  /** A dry run's command without `--dry-run`. */
  forReal?: string;
  /** The same command again: a dry run that Seam refused to answer. */
  again?: string;
}

export function exitCodeOf(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'summary':
      return outcome.summary.exitCode;
    case 'declined':
      return 1;
    case 'stopped':
      return 130;
    case 'error':
      return outcome.exitCode;
  }
}

export function outcomeLines(outcome: Outcome, next: NextSteps = {}): Line[] {
  switch (outcome.kind) {
    case 'summary':
      return summaryLines(outcome.summary, next);
    case 'declined':
      return [{text: 'Nothing was sent to Seam.', tone: 'warn'}];
    case 'stopped':
      if (outcome.recorded === true) {
        const lines: Line[] = [{text: 'Stopped before this attempt sent anything. The earlier run is still recorded; continue it with:', tone: 'warn'}];
        if (next.resume !== undefined) lines.push({text: next.resume, indent: 1, tone: 'command'});
        return lines;
      }
      return [{text: 'Stopped before anything was sent to Seam. Run the same command again to start over.', tone: 'warn'}];
    case 'error': {
      const lines: Line[] = [{text: `Error: ${outcome.message}`, tone: 'bad'}];
      if (outcome.hint !== undefined) lines.push({text: outcome.hint, indent: 1});
      if (next.resume !== undefined) {
        lines.push({text: 'Continue it with:'});
        lines.push({text: next.resume, indent: 1, tone: 'command'});
      }
      return lines;
    }
  }
}

export function summaryLines(s: Summary, next: NextSteps): Line[] {
  const lines: Line[] = [];
  const took = formatDuration(s.durationMs);
  if (s.fatal !== undefined) {
    lines.push({text: `Stopped by Seam after ${took}: ${s.fatal.message}`, tone: 'bad'});
  } else if (s.halted !== undefined) {
    lines.push({text: `Stopped after ${took}: ${s.halted.message}.`, tone: 'warn'});
  } else if (s.interrupted) {
    lines.push({text: `Interrupted after ${took}: no new requests were sent, and those in flight were finished.`, tone: 'warn'});
  } else if (s.dryRun) {
    lines.push({text: `Dry run finished in ${took}: nothing was sent to Seam.`, tone: 'title'});
  } else {
    lines.push({text: `Finished in ${took}.`, tone: 'title'});
  }
  const traffic = s.dryRun && s.requests === 0 ? '' : ` · ${plural(s.requests, 'request')} · ${plural(s.retries, 'retry', 'retries')} · ${formatCount(s.rateLimited)} rate-limited`;
  lines.push({text: `${plural(s.total, 'row')}${traffic}`, indent: 1, tone: 'dim'});

  const order = s.dryRun ? (['would_create', ...ROW_STATUSES.filter((x) => x !== 'would_create')] as const) : ROW_STATUSES;
  const shown = order.filter((status) => s.counts[status] > 0 || status === (s.dryRun ? 'would_create' : 'created'));
  const width = Math.max(...shown.map((status) => formatCount(s.counts[status]).length));
  for (const status of shown) {
    const count = s.counts[status];
    const tone = count === 0 ? 'dim' : status === 'created' || status === 'existing' || status === 'would_create' ? 'good' : status === 'duplicate' ? 'normal' : 'warn';
    // Status and count as a label: on a narrow terminal the note wraps under itself.
    lines.push({label: `${status.padEnd(13)}${formatCount(count).padStart(width)}  `, text: statusNote(s, status), indent: 1, tone});
  }

  if (s.failures.length > 0) {
    lines.push({text: 'Rows that need attention, by reason:', tone: 'title'});
    const codeWidth = Math.max(...s.failures.map((f) => f.code.length));
    const countWidth = Math.max(...s.failures.map((f) => formatCount(f.count).length));
    for (const f of s.failures) {
      lines.push({
        label: `${f.code.padEnd(codeWidth)} ${formatCount(f.count).padStart(countWidth)}  `,
        text: `e.g. row ${f.example.row}: ${f.example.message}`,
        indent: 1,
        tone: 'warn',
      });
    }
  }

  if (s.warnings.length > 0) {
    lines.push({text: `${s.warnings.length === 1 ? 'The warning' : `The ${s.warnings.length} warnings`} shown above still stand${s.warnings.length === 1 ? 's' : ''} (with --json: "warnings").`, tone: 'warn'});
  }
  lines.push({text: `Results: ${shownPath(s.outPath)}`, tone: 'title', whole: true});
  lines.push(...nextLines(s, next));
  return lines;
}

/** What a status means in this run; rows a results file fed back had as created or existing are said apart. */
function statusNote(s: Summary, status: RowStatus): string {
  if (status !== 'created' && status !== 'existing') return STATUS_NOTES[status];
  const kept = s.kept?.[status] ?? 0;
  if (kept === 0) return STATUS_NOTES[status];
  const all = kept === s.counts[status];
  if (status === 'created') {
    return all ? 'made by an earlier run (its results file fed back): kept, not sent' : `made by this run or, for ${formatCount(kept)} of them, an earlier one (its results file fed back)`;
  }
  return all ? `${STATUS_NOTES.existing} (the results file fed back said so)` : `${STATUS_NOTES.existing} (${formatCount(kept)} of them as the results file fed back said)`;
}

/** Invalid rows that are not people (a total, a note): nothing in them to fix or to send again. */
export function notPeopleOf(s: Summary): number {
  return s.failures.find((f) => f.code === 'not_a_person')?.count ?? 0;
}

function nextLines(s: Summary, next: NextSteps): Line[] {
  const lines: Line[] = [];
  // Rows that are not people (a total, a note) are invalid too, but there is nothing to fix in them.
  const notPeople = notPeopleOf(s);
  const toFix = s.counts.invalid - notPeople;
  const notPeopleLine = (): void => {
    if (notPeople > 0) lines.push({text: `${notPeople === 1 ? 'One row is' : `${formatCount(notPeople)} rows are`} not a person (a total, a heading, a note): nothing to fix; delete ${notPeople === 1 ? 'it' : 'them'} from the file to leave ${notPeople === 1 ? 'it' : 'them'} out of the count.`});
  };
  const command = (text: string | undefined): void => {
    if (text !== undefined) lines.push({text, indent: 1, tone: 'command'});
  };
  const needsWork = s.counts.failed + s.counts.invalid + s.counts.skipped;

  if (s.fatal !== undefined && s.dryRun) {
    lines.push({text: 'Nothing could be looked up, so people marked would_create may be in Seam already. Check the credentials, then run the dry run again:'});
    command(next.again);
    return lines;
  }
  if (s.fatal !== undefined) {
    lines.push({text: `Nothing more was sent; ${plural(s.counts.skipped, 'row')} marked skipped. Check the credentials, then continue with:`});
    if (next.resume !== undefined) command(next.resume);
    else lines.push({text: next.resumeNote ?? 'Run the same command again.', indent: 1});
    return lines;
  }
  if (s.halted?.code === 'input_changed') {
    lines.push({
      text: `${plural(s.counts.skipped, 'row')} marked skipped: the file changed while it was being imported (the warning above says where).${next.again === undefined ? ' Check the file, then run the same command again.' : ' Check the file, then import it as it is now with (people already made are found, not made twice):'}`,
    });
    command(next.again);
    return lines;
  }
  if ((s.interrupted || s.halted !== undefined) && s.inputSavedDuringRun === true && next.retry !== undefined) {
    lines.push({
      text: `${plural(s.counts.skipped, 'row')} marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message says which). The file was saved during the run (the warning above), so --resume would be refused: continue from the results file: rows created keep their ids, the rest are sent (a person made but not confirmed is found in Seam, not made twice):`,
    });
    command(next.retry);
    return lines;
  }
  if (s.interrupted || s.halted !== undefined) {
    // Rows in flight at the stop were sent and are not confirmed: "not sent" was not true of them.
    lines.push({
      text: `${plural(s.counts.skipped, 'row')} marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message says which).${next.resume === undefined ? '' : ' Continue where it stopped with:'}`,
    });
    if (next.resume !== undefined) command(next.resume);
    else if (next.resumeNote !== undefined) lines.push({text: next.resumeNote, indent: 1});
    return lines;
  }
  const conflicts = s.failures.filter((f) => f.code === 'conflict').reduce((n, f) => n + f.count, 0);
  /** Sent again as they are, these meet the same identity: said before any command, or the retry goes round in circles. */
  const conflictLine = (): void => {
    if (conflicts === 0) return;
    lines.push({
      text: `${conflicts === 1 ? 'One row conflicts' : `${formatCount(conflicts)} rows conflict`} with a person in Seam (import_error_message names the identity and the field that differs): fix ${conflicts === 1 ? 'the row' : 'those rows'} or ${conflicts === 1 ? 'that identity' : 'those identities'} first, or ${conflicts === 1 ? 'it fails' : 'they fail'}${s.dryRun ? '' : ' again'}.`,
    });
  };
  const notInSeam = s.failures.find((f) => f.code === 'not_in_seam')?.count ?? 0;
  const notInSeamLine = (): void => {
    if (notInSeam === 0) return;
    lines.push({
      text: `${notInSeam === 1 ? '1 row keeps' : `${formatCount(notInSeam)} rows keep`} the id ${notInSeam === 1 ? 'it was' : 'they were'} given, but Seam no longer has ${notInSeam === 1 ? 'that person' : 'those people'} (import_error_code not_in_seam${s.dryRun ? ' in the real run' : ''}; the warning above says how to create ${notInSeam === 1 ? 'it' : 'them'} again). Check before handing the results on.`,
    });
  };
  if (s.dryRun) {
    notPeopleLine();
    conflictLine();
    notInSeamLine();
    if (toFix > 0) lines.push({text: `Fix the ${plural(toFix, 'invalid row')} (the results file says why), or import the rest as it is:`});
    else lines.push({text: 'Import for real with:'});
    command(next.forReal);
    return lines;
  }
  if (notInSeam > 0 && s.counts.failed + s.counts.skipped + s.counts.invalid === 0) {
    // Every row is created or existing by the record, but Seam said it no longer has some of them.
    notInSeamLine();
    return lines;
  }
  if (s.exitCode === 0 && s.unlisted !== undefined) {
    // Kept as the record or the results file says, but the workspace did not list them: "in Seam" would not be true.
    lines.push({text: `Every row is created or existing, but ${s.unlisted === 1 ? '1 of them has an id' : `${s.unlisted} of them have ids`} the workspace did not list (the warning above says which): check ${s.unlisted === 1 ? 'it' : 'them'} in Seam before handing the results on.`});
    return lines;
  }
  if (s.exitCode === 0) {
    lines.push({text: 'Every row is in Seam.', tone: 'good'});
    return lines;
  }
  if (needsWork > 0 && (next.retry !== undefined || next.resume !== undefined)) {
    // Those with no clear answer are continued with --resume (and so are not in the retry's count).
    const unclear = next.resume === undefined ? 0 : unclearRows(s);
    const failed = Math.max(0, s.counts.failed - unclear);
    const skipped = Math.max(0, s.counts.skipped - Math.max(0, unclear - s.counts.failed));
    const what = [failed > 0 ? plural(failed, 'failed row') : '', skipped > 0 ? plural(skipped, 'skipped row') : ''].filter((t) => t !== '');
    notPeopleLine();
    if (next.resume !== undefined && unclear > 0) {
      // Seam deleting someone with the row's details answered clearly: those rows wait for it, not for an answer.
      const deleting = s.failures.filter((f) => f.code === 'being_deleted').reduce((n, f) => n + f.count, 0);
      const noAnswer = unclear - deleting;
      const why = [
        noAnswer > 0 ? `${noAnswer === 1 ? '1 row' : `${formatCount(noAnswer)} rows`} got no clear answer from Seam` : '',
        deleting > 0 ? `${deleting === 1 ? '1 row waits' : `${formatCount(deleting)} rows wait`} for Seam to finish deleting someone with the same details` : '',
      ].filter((t) => t !== '');
      lines.push({
        text: `${why.join('; and ')}; continue this run${next.retry === undefined ? '' : ' first'}${noAnswer > 0 ? '' : ' once it has'}: it looks each person up before sending, so no one is made twice.`,
      });
      command(next.resume);
    }
    if (toFix > 0) {
      lines.push({text: `Fix the ${plural(toFix, 'invalid row')} in the results file (import_error_message says how), then feed it back in.`});
    }
    conflictLine();
    // Rows that are only not people leave nothing to send again.
    if (next.retry !== undefined && (what.length > 0 || toFix > 0)) {
      lines.push({
        text: `${what.length > 0 ? `To retry the ${what.join(' and ')}` : 'To send the fixed rows'}, import the results file; rows already created or existing are not sent again:`,
      });
      command(next.retry);
    }
  } else if (needsWork > 0 && next.resumeNote !== undefined) {
    lines.push({text: next.resumeNote});
  } else if (s.counts.duplicate > 0) {
    lines.push({text: 'Duplicates repeat an earlier row of the file; each names the row it repeats (import_duplicate_of_row).'});
  }
  return lines;
}

/** Rows that ended without a clear answer from Seam (codes --resume sends again: a 5xx, no answer, a 429…). */
export function unclearRows(s: Summary): number {
  return s.failures.filter((f) => RETRYABLE_CODES.has(f.code)).reduce((n, f) => n + f.count, 0);
}

/** `--json`: one object on stdout, made from the same outcome. */
export function jsonReport(outcome: Outcome, next: NextSteps = {}): Record<string, unknown> {
  const exitCode = exitCodeOf(outcome);
  const commands = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
  switch (outcome.kind) {
    case 'summary':
      return {ok: exitCode === 0, ...outcome.summary, next: commands};
    case 'declined':
      return {ok: false, exitCode, declined: true, message: 'Nothing was sent to Seam.'};
    case 'stopped':
      return outcome.recorded === true
        ? {ok: false, exitCode, interrupted: true, message: 'Stopped before this attempt sent anything; the earlier run is still recorded.', next: commands}
        : {ok: false, exitCode, interrupted: true, message: 'Stopped before anything was sent to Seam.'};
    case 'error':
      return {ok: false, exitCode, error: {code: outcome.code, message: outcome.message, ...(outcome.hint === undefined ? {} : {hint: outcome.hint})}, ...(Object.keys(commands).length > 0 ? {next: commands} : {})};
  }
}
