import type {CheckProgress, Plan, Progress, RowOutcome, RowStatus, SourceEvent} from '../engine/index.js';

/**
 * Words and numbers shared by the terminal UI and the plain reporter, so that both say the
 * same thing. Everything here is pure: no colour, no I/O.
 */

/** How a line should look; the plain reporter ignores it, the UI colours by it. */
export type Tone = 'normal' | 'good' | 'warn' | 'bad' | 'dim' | 'title' | 'command';

export interface Line {
  text: string;
  /** Printed before the text; the UI keeps wrapped text clear of it (a hanging indent). */
  label?: string;
  tone?: Tone;
  /** Indent in steps of two spaces. */
  indent?: number;
  /**
   * Never wrapped by the UI: a path or a command to copy. Wider than the terminal, the terminal
   * soft-wraps it, which copies back as one line (a wrap with an indent in it does not). Only in
   * what is drawn once, at the end: in a part Ink redraws, a line the terminal wrapped is erased
   * as one line, and the lines above it are drawn again below their old copies.
   */
  whole?: boolean;
}

export function lineText(line: Line): string {
  return `${'  '.repeat(line.indent ?? 0)}${line.label ?? ''}${line.text}`;
}

export function formatCount(n: number): string {
  // By hand for whole numbers: toLocaleString builds an Intl formatter (and loads ICU data) on each call.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** 850 ms → "0.9s", 75 s → "1m 15s", 2 h → "2h 0m". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds - minutes * 60)}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes - hours * 60}m`;
}

/** Whole seconds for a guess about the future: "ETA 5s", "ETA 2m 10s". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m ${s - minutes * 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes - hours * 60}m`;
}

export function formatRate(rowsPerSecond: number): string {
  return rowsPerSecond >= 10 ? `${Math.round(rowsPerSecond)}` : rowsPerSecond.toFixed(1);
}

const DELIMITERS: Readonly<Record<string, string>> = {',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe'};

/** "CSV, utf-8, comma-separated, 8 columns" / "XLSX, sheet Residents, 8 columns". */
export function describeSource(source: SourceEvent['source']): string {
  const parts: string[] = [source.format.toUpperCase()];
  if (source.sheet !== undefined) parts.push(`sheet "${source.sheet}"`);
  if (source.encoding !== undefined) parts.push(source.encoding);
  if (source.delimiter !== undefined) parts.push(`${DELIMITERS[source.delimiter] ?? JSON.stringify(source.delimiter)}-separated`);
  parts.push(plural(source.headers.length, 'column'));
  return parts.join(', ');
}

/** Where the people go: "connect.getseam.com, workspace ws_1", or a dry run's words. */
export function describeTarget(event: Pick<SourceEvent, 'endpointHost' | 'workspaceId'>): string {
  if (event.endpointHost === undefined) return 'no credentials: only the file is checked';
  return event.workspaceId === undefined ? event.endpointHost : `${event.endpointHost}, workspace ${event.workspaceId}`;
}

/** A path as shown: a control character in it (a line break, an escape) as \x0a, never acted on by the terminal. */
export function shownPath(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function sourceLines(event: SourceEvent): Line[] {
  const lines: Line[] = [
    {text: `Reading ${shownPath(event.source.path)} (${describeSource(event.source)})`, tone: 'title'},
  ];
  if (event.isResultsFile) {
    lines.push({text: 'This is an earlier results file: rows already created or existing are not sent again.', indent: 1});
  }
  if (event.mapping.length > 0) {
    lines.push({text: 'Columns:', indent: 1});
    for (const m of event.mapping) lines.push({text: m, indent: 2});
  }
  lines.push({text: `Seam: ${describeTarget(event)}`, indent: 1});
  // Wrapped like any line (not `whole`): this block is redrawn while the file is read and checked.
  lines.push({text: `Results: ${shownPath(event.outPath)}`, indent: 1});
  if (event.resumed) lines.push({text: `Resuming the run recorded in ${shownPath(event.journalPath)}`, indent: 1, tone: 'warn'});
  return lines;
}

export function checkSummary(check: CheckProgress): string {
  const blank = check.blank ? ` (${plural(check.blank, 'empty row')} between them left out)` : '';
  return `Checked ${plural(check.rowsRead, 'row')}${blank}: ${formatCount(check.invalid)} invalid, ${plural(check.duplicate, 'duplicate')}`;
}

/** "row 12 invalid_email: The E-mail ..." */
export function outcomeText(outcome: RowOutcome): string {
  const code = outcome.code ?? outcome.status;
  return `row ${outcome.row} ${code}${outcome.message === undefined ? '' : `: ${outcome.message}`}`;
}

export interface PlanRow {
  label: string;
  count: number;
  note: string;
}

export function planRows(plan: Plan): PlanRow[] {
  return [
    {
      label: plan.dryRun ? 'would create' : 'to create',
      count: plan.toCreate,
      note: plan.dryRun ? 'new people, not sent (dry run)' : plan.fatal ? 'new people, not sent: Seam refused the credentials' : 'new people, sent now',
    },
    {label: 'already in Seam', count: plan.existing, note: 'same person found: adopted, not sent'},
    {label: 'conflicts', count: plan.conflicts, note: 'in Seam with other details: not sent, marked failed'},
    {label: 'invalid', count: plan.invalid, note: 'break a rule: not sent'},
    {label: 'duplicates', count: plan.duplicate, note: 'repeat an earlier row: not sent'},
    {label: 'already done', count: plan.alreadyDone, note: 'finished by an earlier attempt'},
  ];
}

/**
 * A fatal answer to the first lookups (bad credentials), when the engine's plan carries it.
 * `Plan.fatal` is asked of the engine; until it is there this is always undefined.
 */
export function planRefusal(plan: Plan): {code: string; message: string} | undefined {
  const fatal = (plan as Plan & {fatal?: {code: string; message: string}}).fatal;
  return fatal === undefined ? undefined : fatal;
}

export function planLines(plan: Plan): Line[] {
  const rows = planRows(plan);
  const refusal = planRefusal(plan);
  const width = Math.max(...rows.map((r) => formatCount(r.count).length));
  const lines: Line[] = [{text: `Plan for ${plural(plan.total, 'row')}${plan.dryRun ? ' (dry run: nothing will be sent)' : ''}`, tone: 'title'}];
  for (const row of rows) {
    // The label and count as a label: on a narrow terminal the note wraps under itself, not under the label.
    lines.push({label: `${row.label.padEnd(16)}${formatCount(row.count).padStart(width)}  `, text: row.note, indent: 1, tone: row.count > 0 && (row.label === 'conflicts' || row.label === 'invalid') ? 'warn' : 'normal'});
  }
  if (plan.workspaceIdentities !== undefined) {
    lines.push({text: `The workspace holds ${plural(plan.workspaceIdentities, 'user identity', 'user identities')}${plan.acsSystems === undefined ? '' : ` and ${plural(plan.acsSystems, 'access system')}`}.`, indent: 1, tone: 'dim'});
  }
  if (plan.granted !== undefined && plan.granted.length > 0) {
    const systems = `${plan.granted.length === 1 ? 'access system' : 'access systems'} ${plan.granted.join(', ')}`;
    lines.push({text: `Each person ${plan.dryRun ? 'it would create' : 'created'} is given ${systems} (--acs-system-id); people already in Seam are not changed.`, indent: 1});
  }
  if (refusal !== undefined) lines.push({text: `${refusal.message.replace(/[^.]$/, '$&.')} Nothing will be sent.`, indent: 1, tone: 'bad'});
  return lines;
}

/** The question asked before anything is written. */
export function confirmQuestion(plan: Plan, target: string | undefined): string {
  const people = plural(plan.toCreate, 'user identity', 'user identities');
  return `Create ${people} in ${target ?? 'Seam'}?`;
}

/** Statuses in the order they are shown, with what each means to the person reading. */
export const STATUS_NOTES: Readonly<Record<RowStatus, string>> = {
  created: 'made by this run',
  existing: 'already in Seam, adopted',
  would_create: 'would be made (dry run)',
  invalid: 'not sent: broke a rule',
  duplicate: 'not sent: repeats an earlier row',
  failed: 'not created: refused, conflict or no answer',
  skipped: 'the run stopped first: not sent, or not confirmed',
};

/** "created 30 · existing 5 · failed 2" with the statuses that have rows. */
export function countsText(counts: Partial<Record<RowStatus, number>>, statuses: readonly RowStatus[]): string {
  return statuses
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${s} ${formatCount(counts[s] ?? 0)}`)
    .join(' · ');
}

/** Seconds left of a 429 pause, or 0 when not paused. */
export function pauseSecondsLeft(pausedUntil: number, now: number): number {
  return pausedUntil > now ? Math.ceil((pausedUntil - now) / 1000) : 0;
}

const SENDING_STATUSES: readonly RowStatus[] = ['created', 'existing', 'failed', 'skipped'];

/** Rows Seam answered for: after a stop, the rows marked skipped are finished but not done. */
export function answered(p: Progress): number {
  return Math.max(0, p.sent - p.counts.skipped);
}

/** One line of progress for the plain reporter (the UI draws a bar instead). */
export function progressText(p: Progress, now: number): string {
  const done = answered(p);
  const pct = p.toSend === 0 ? 100 : Math.floor((done / p.toSend) * 100);
  const parts = [`Importing: ${formatCount(done)}/${formatCount(p.toSend)} (${pct}%)`];
  const counts = countsText(p.counts, SENDING_STATUSES);
  if (counts !== '') parts.push(counts);
  parts.push(`${formatRate(p.rowsPerSecond)} rows/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatEta(p.etaSeconds)}`);
  parts.push(`${p.inFlight} in flight, concurrency ${p.concurrency}/${p.maxConcurrency}`);
  if (p.retries > 0) parts.push(plural(p.retries, 'retry', 'retries'));
  const pause = pauseSecondsLeft(p.pausedUntil, now);
  if (pause > 0) parts.push(`rate limited, resuming in ${pause}s`);
  return parts.join(' · ');
}
