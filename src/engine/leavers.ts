/**
 * People a file says have left: an HR export's "Employment Status: Terminated", a resident list's
 * "Moved Out", an "Active: No", a filled "Termination Date". They are imported like everyone else
 * (the file is the list, and the importer does not guess who is meant), but an import that gives
 * building access must not do it silently: the check pass counts them and warns, naming the rows.
 */
import {normalizeHeader} from './columns.js';

/** Headers of a column that says whether the person is current. */
const STATUS_HEADERS = new Set([
  'status', 'employmentstatus', 'employeestatus', 'workerstatus', 'positionstatus', 'rolestate', 'leasestatus',
  'residentstatus', 'tenantstatus', 'tenancystatus', 'occupancystatus', 'memberstatus', 'membershipstatus', 'accountstatus', 'userstatus',
]);
/** Headers of a yes/no column: "Active", "Is Active", "Current". */
/** Not "Current": in a rent roll that is an amount (0 = nothing owed). */
const ACTIVE_HEADERS = new Set(['active', 'isactive', 'activeemployee']);
/** Headers of a date that is there only for someone who left. */
const LEFT_DATE_HEADERS = new Set([
  'terminationdate', 'termdate', 'separationdate', 'leavingdate', 'leavedate', 'dateleft', 'moveoutdate', 'moveout', 'movedout', 'vacatedate', 'vacateddate',
]);

/**
 * Words for someone who has left: the whole cell, or before a separator ("Terminated - Voluntary",
 * "Inactive (leave)"); "Past Due" (rent) is not "Past".
 */
const LEFT = /^(terminated|termed|inactive|not active|former|past|moved[\s-]?out|evicted|deceased|disabled|suspended|archived|cancell?ed|expired|vacated|resigned|retired|separated|withdrawn|left|no longer (?:active|employed|here))(?:\s*[-–—:(,/].*)?$/i;
const NO = /^(no|n|false|0|inactive)$/i;

export interface LeaverColumn {
  index: number;
  header: string;
  kind: 'status' | 'yes/no' | 'date';
  /** Whether the cell says the person has left. */
  left: (cell: string) => boolean;
}

/**
 * A date after today (a move-out notice, a termination to come): the person is still here. Read
 * as 2026-12-31, 12/31/2026 (month first, as US exports write it) or 31.12.2026; anything else
 * counts as filled.
 */
function inTheFuture(cell: string, now = new Date()): boolean {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(cell);
  let date: Date | undefined;
  if (m) date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(cell))) date = new Date(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
  else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(cell))) date = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  return date !== undefined && !Number.isNaN(date.getTime()) && date.getTime() > now.getTime();
}

/** The first column that can say a person has left, if the file has one. */
export function leaverColumn(headers: readonly string[]): LeaverColumn | undefined {
  for (const [index, header] of headers.entries()) {
    const n = normalizeHeader(header);
    if (STATUS_HEADERS.has(n)) return {index, header, kind: 'status', left: (cell) => LEFT.test(cell.trim())};
    if (ACTIVE_HEADERS.has(n)) return {index, header, kind: 'yes/no', left: (cell) => NO.test(cell.trim())};
    if (LEFT_DATE_HEADERS.has(n)) return {index, header, kind: 'date', left: (cell) => cell.trim() !== '' && !inTheFuture(cell.trim())};
  }
  return undefined;
}

/** Counts the rows whose status says the person left; the warning names a few. */
export class Leavers {
  private count = 0;
  private readonly rows: number[] = [];
  private readonly values = new Set<string>();

  constructor(private readonly column: LeaverColumn) {}

  /** `sent`: whether the row will be created or adopted (a row that is invalid or a duplicate is not counted). */
  see(row: number, cells: readonly string[], sent: boolean): void {
    if (!sent) return;
    const cell = cells[this.column.index] ?? '';
    if (!this.column.left(cell)) return;
    this.count += 1;
    if (this.rows.length < 5) this.rows.push(row);
    if (this.values.size < 3) this.values.add(cell.trim());
  }

  /** `resuming`: the run continues a recorded one, whose file may not change (deleting rows would stop the resume). */
  warning(resuming = false): string | undefined {
    if (this.count === 0) return undefined;
    const said = this.column.kind === 'date' ? 'is filled' : `says ${[...this.values].map((v) => JSON.stringify(v)).join(', ')}`;
    const rows = this.count === 1 ? `one row (import_row ${this.rows[0]})` : `${this.count} rows (import_row ${this.rows.join(', ')}${this.count > this.rows.length ? ', …' : ''})`;
    const them = this.count === 1 ? 'that person' : 'them';
    const advice = resuming
      ? `This run continues as recorded; if ${them} should not have access, remove ${them} in Seam afterwards.`
      : `To leave ${them} out, delete ${this.count === 1 ? 'the row' : 'those rows'} from the file.`;
    return `Column "${this.column.header}" ${said} in ${rows}: people who have left are imported like the others, and would be given access. ${advice}`;
  }
}
