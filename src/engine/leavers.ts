/**
 * People a file says have left: an HR export's "Employment Status: Terminated", a resident list's
 * "Moved Out", an "Active: No", a filled "Termination Date". They are imported like everyone else
 * (the file is the list, and the importer does not guess who is meant), but an import that gives
 * building access must not do it silently: the check pass counts them and warns, naming the rows.
 */
import {normalizeHeader} from './columns.js';
import {RowSample} from './row-sample.js';

/** Headers of a column that says whether the person is current. */
const STATUS_HEADERS = new Set([
  'status', 'employmentstatus', 'employeestatus', 'workerstatus', 'positionstatus', 'rolestate', 'leasestatus',
  'residentstatus', 'tenantstatus', 'tenancystatus', 'occupancystatus', 'memberstatus', 'membershipstatus', 'accountstatus', 'userstatus',
  // Spanish, Italian, French, German, Japanese, Korean.
  'estado', 'estatus', 'stato', 'statut', 'beschäftigungsstatus', '在籍区分', '在籍状況', '재직상태', '재직구분',
]);
/** Headers of a yes/no column: "Active", "Is Active". Not "Current": in a rent roll that is an amount (0 = nothing owed). */
const ACTIVE_HEADERS = new Set([
  'active', 'isactive', 'activeemployee', 'activestatus', 'activeflag', 'accountactive',
  // Microsoft Entra's and other directories' exports: "accountEnabled" True / False.
  'accountenabled', 'enabled', 'isenabled', 'userenabled',
]);
/** Headers of a date that is there only for someone who left. */
const LEFT_DATE_HEADERS = new Set([
  'terminationdate', 'termdate', 'separationdate', 'leavingdate', 'leavedate', 'dateleft', 'moveoutdate', 'moveout', 'movedout', 'vacatedate', 'vacateddate',
]);

/**
 * Words for someone who has left: the whole cell, or before a separator ("Terminated - Voluntary",
 * "Inactive (seasonal)"). The short ones ("Past", "Left", "Expired") only as the whole cell:
 * "Past Due" and "Past-Due" are rent, "Left - voicemail" a call. Not "Retired": in a club that is
 * a kind of member.
 */
const LEFT = /^(?:(?:terminated|termed|inactive|not active|suspended|deactivated|deprovisioned|former|moved[\s-]?out|evicted|deceased|resigned|separated|withdrawn|no longer (?:active|employed|here)|inaktiv|ausgetreten|(?:de )?baja|cessato|sorti|sortie|uit dienst|退職|退職済み?|퇴사|퇴직)(?:\s*[-–—:(,/].*)?|past|left|disabled|archived|cancell?ed|expired|vacated)$/i;
const NO = /^(no|n|false|0|inactive)$/i;

export interface LeaverColumn {
  index: number;
  header: string;
  kind: 'status' | 'yes/no' | 'date';
  /** Whether the cell says the person has left. */
  left: (cell: string) => boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The date a cell holds, read as 2026-12-31, 12/31/2026 or 12/31/26 (month first, as US exports
 * write it), 31.12.2026, or "Dec 31, 2026"; a note after it ("(notice given)") is let go.
 * Undefined when the cell holds no date ("N/A", "TBD", "-").
 */
function dateOf(cell: string): Date | undefined {
  const text = cell.replace(/\s*\(.*\)\s*$/, '').trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(text))) {
    // Two digits: 00–69 this century, 70–99 the last (as Excel reads them).
    const year = m[3]!.length === 2 ? (Number(m[3]) < 70 ? 2000 : 1900) + Number(m[3]) : Number(m[3]);
    return new Date(year, Number(m[1]) - 1, Number(m[2]));
  }
  if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text))) return new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  if ((m = /^([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(text))) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month !== -1) return new Date(Number(m[3]), month, Number(m[2]));
  }
  return undefined;
}

/** A date that has come (a termination, a move-out): a date still to come, or no date at all, is not. */
function dateHasCome(cell: string, now = new Date()): boolean {
  const date = dateOf(cell);
  return date !== undefined && !Number.isNaN(date.getTime()) && date.getTime() <= now.getTime();
}

/**
 * The columns that can say a person has left: every status or yes/no column (BambooHR has both
 * "Employment Status: Full-Time" and "Status: Inactive"), then the date columns. A row with a
 * status says it there (a rehired person keeps an old "Termination Date" beside "Status:
 * Active"); a row whose status cells are empty is judged by its dates.
 */
export function leaverColumns(headers: readonly string[]): LeaverColumn[] {
  const statuses: LeaverColumn[] = [];
  const dates: LeaverColumn[] = [];
  for (const [index, header] of headers.entries()) {
    const n = normalizeHeader(header);
    if (STATUS_HEADERS.has(n)) statuses.push({index, header, kind: 'status', left: (cell) => LEFT.test(cell.trim())});
    else if (ACTIVE_HEADERS.has(n)) statuses.push({index, header, kind: 'yes/no', left: (cell) => NO.test(cell.trim())});
    else if (LEFT_DATE_HEADERS.has(n)) dates.push({index, header, kind: 'date', left: (cell) => dateHasCome(cell)});
  }
  return [...statuses, ...dates];
}

/** Counts the rows whose status says the person left; the warning names a few, and each column that said it. */
export class Leavers {
  private readonly rows = new RowSample();
  /** Per column that said it, in the order they first did: its rows and (a few of) its values. */
  private readonly said = new Map<LeaverColumn, {count: number; values: Set<string>}>();

  private readonly statuses: readonly LeaverColumn[];
  private readonly dates: readonly LeaverColumn[];

  constructor(columns: readonly LeaverColumn[]) {
    this.statuses = columns.filter((c) => c.kind !== 'date');
    this.dates = columns.filter((c) => c.kind === 'date');
  }

  /** The column that says this row's person has left, if one does: a status when the row has one, else a date. */
  private leftBy(cells: readonly string[]): LeaverColumn | undefined {
    const hasStatus = this.statuses.some((c) => (cells[c.index] ?? '').trim() !== '');
    return (hasStatus ? this.statuses : this.dates).find((c) => c.left(cells[c.index] ?? ''));
  }

  /** `sent`: whether the row will be created or adopted (a row that is invalid or a duplicate is not counted). */
  see(row: number, cells: readonly string[], sent: boolean): void {
    if (!sent) return;
    const column = this.leftBy(cells);
    if (column === undefined) return;
    let said = this.said.get(column);
    if (said === undefined) this.said.set(column, (said = {count: 0, values: new Set()}));
    said.count += 1;
    if (said.values.size < 3) said.values.add((cells[column.index] ?? '').trim());
    this.rows.add(row);
  }

  /** `resuming`: the run continues a recorded one, whose file may not change (deleting rows would stop the resume). */
  warning(resuming = false): string | undefined {
    const count = this.rows.count;
    if (count === 0) return undefined;
    const says = (column: LeaverColumn, values: Set<string>): string =>
      column.kind === 'date' ? 'has a date that has come' : `says ${[...values].map((v) => JSON.stringify(v)).join(', ')}`;
    const rows = this.rows.rowsText();
    const them = count === 1 ? 'that person' : 'them';
    const advice = resuming
      ? `This run continues as recorded; if ${them} should not have access, remove ${them} in Seam afterwards.`
      : `To leave ${them} out, delete ${count === 1 ? 'the row' : 'those rows'} from the file.`;
    const consequence = `people who have left are imported like the others, and would be given access. ${advice}`;
    const columns = [...this.said];
    if (columns.length === 1) {
      const [column, {values}] = columns[0]!;
      return `Column "${column.header}" ${says(column, values)} in ${rows}: ${consequence}`;
    }
    // Each column with what it said, so a row flagged by its move-out date is not put down to a status.
    const each = columns.map(([column, {count, values}]) => `column "${column.header}" ${says(column, values)} in ${count === 1 ? 'one' : count}`).join(', ');
    return `${rows[0]!.toUpperCase()}${rows.slice(1)} say the person has left (${each}): ${consequence}`;
  }
}
