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
const ACTIVE_HEADERS = new Set(['active', 'isactive', 'activeemployee', 'current', 'iscurrent']);
/** Headers of a date that is there only for someone who left. */
const LEFT_DATE_HEADERS = new Set([
  'terminationdate', 'termdate', 'separationdate', 'leavingdate', 'leavedate', 'dateleft', 'moveoutdate', 'moveout', 'movedout', 'vacatedate', 'vacateddate',
]);

/** Words for someone who has left, at the start of a status cell ("Terminated - Voluntary"). */
const LEFT = /^(terminated|termed|inactive|not active|former|past|moved[\s-]?out|evicted|deceased|disabled|suspended|archived|cancell?ed|expired|vacated|resigned|retired|separated|withdrawn|left|no longer)\b/i;
const NO = /^(no|n|false|0|inactive)$/i;

export interface LeaverColumn {
  index: number;
  header: string;
  kind: 'status' | 'yes/no' | 'date';
  /** Whether the cell says the person has left. */
  left: (cell: string) => boolean;
}

/** The first column that can say a person has left, if the file has one. */
export function leaverColumn(headers: readonly string[]): LeaverColumn | undefined {
  for (const [index, header] of headers.entries()) {
    const n = normalizeHeader(header);
    if (STATUS_HEADERS.has(n)) return {index, header, kind: 'status', left: (cell) => LEFT.test(cell.trim())};
    if (ACTIVE_HEADERS.has(n)) return {index, header, kind: 'yes/no', left: (cell) => NO.test(cell.trim())};
    if (LEFT_DATE_HEADERS.has(n)) return {index, header, kind: 'date', left: (cell) => cell.trim() !== ''};
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

  warning(): string | undefined {
    if (this.count === 0) return undefined;
    const said = this.column.kind === 'date' ? 'is filled' : `says ${[...this.values].map((v) => JSON.stringify(v)).join(', ')}`;
    const rows = this.count === 1 ? `row ${this.rows[0]}` : `${this.count} rows (rows ${this.rows.join(', ')}${this.count > this.rows.length ? ', …' : ''})`;
    return `Column "${this.column.header}" ${said} in ${rows}: people who have left are imported like the others, and would be given access. To leave ${
      this.count === 1 ? 'that person' : 'them'
    } out, delete ${this.count === 1 ? 'the row' : 'those rows'} from the file.`;
  }
}
