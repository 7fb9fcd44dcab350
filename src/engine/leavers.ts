/**
 * People a file says have left: an HR export's "Employment Status: Terminated", a resident list's
 * "Moved Out", an "Active: No", a filled "Termination Date". They are imported like everyone else
 * (the file is the list, and the importer does not guess who is meant), but an import that gives
 * building access must not do it silently: the check pass counts them and warns, naming the rows.
 */
import {normalizeHeader} from './columns.js';
import {regionOf} from './country.js';
import {isoDate, readDate} from './dates.js';
import {RowSample} from './row-sample.js';

/**
 * Headers of a column that says whether the person is current. "State" too (JumpCloud's
 * ACTIVATED / SUSPENDED): where it is a place ("CA", "Baja California") no cell reads as a status.
 */
const STATUS_HEADERS = new Set([
  'status', 'employmentstatus', 'employeestatus', 'workerstatus', 'positionstatus', 'rolestate', 'leasestatus',
  'residentstatus', 'tenantstatus', 'tenancystatus', 'occupancystatus', 'memberstatus', 'membershipstatus', 'accountstatus', 'userstatus',
  // HiBob's "Lifecycle status", JumpCloud's "state", access-control systems' cardholders.
  'lifecyclestatus', 'state', 'userstate', 'accountstate', 'personstatus', 'staffstatus', 'cardholderstatus',
  // Spanish, Italian, French, German, Japanese, Korean.
  'estado', 'estatus', 'stato', 'statut', 'beschäftigungsstatus', '在籍区分', '在籍状況', '재직상태', '재직구분',
]);
/** Headers of a yes/no column: "Active", "Is Active". Not "Current": in a rent roll that is an amount (0 = nothing owed). */
const ACTIVE_HEADERS = new Set([
  'active', 'isactive', 'activeemployee', 'activestatus', 'activeflag', 'accountactive',
  // Microsoft Entra's and other directories' exports: "accountEnabled" True / False.
  'accountenabled', 'enabled', 'isenabled', 'userenabled',
]);
/**
 * Headers of a yes/no column whose yes says the person left: JumpCloud's "suspended" true / false,
 * Brivo's "Suspended" Yes / No. Its no says nothing either way (a past date beside it still counts).
 */
const LEFT_FLAG_HEADERS = new Set([
  'suspended', 'issuspended', 'accountsuspended', 'usersuspended', 'accountdisabled', 'userdisabled',
  'deactivated', 'isdeactivated', 'terminated', 'isterminated', 'deleted', 'isdeleted', 'archived', 'isarchived',
]);
/** Headers of a date that is there only for someone who left. */
const LEFT_DATE_HEADERS = new Set([
  'terminationdate', 'termdate', 'separationdate', 'leavingdate', 'leavedate', 'dateleft', 'moveoutdate', 'moveout', 'movedout', 'vacatedate', 'vacateddate',
  // Gusto's "Dismissal Date", and other payroll exports' spellings.
  'dismissaldate', 'dateoftermination', 'terminateddate', 'terminationeffectivedate', 'employmentenddate',
  // German (Personio's "Austrittsdatum"; a tenant's "Auszugsdatum"), French, Spanish, Dutch, Italian, Portuguese, Japanese, Korean.
  'austrittsdatum', 'austritt', 'austrittam', 'auszugsdatum', 'datedesortie', 'datesortie', 'datededépart', 'datededepart',
  'fechadebaja', 'fechabaja', 'fechadecese', 'fechacese', 'fechadeegreso', 'fechaegreso', 'fechadesalida',
  'uitdiensttreding', 'datumuitdiensttreding', 'uitdienstdatum', 'datumuitdienst', 'einddatumdienstverband',
  'datacessazione', 'datadicessazione', 'datafinerapporto', 'datadimissioni', 'datadedesligamento', 'datadesligamento', 'datadedemissão', 'datademissão',
  '退職日', '退職年月日', '退去日', '퇴사일', '퇴사일자', '퇴직일',
  // Access-control exports (Brivo's "Expiration Date"): the day the person's access ends. Not "Lease
  // End" nor a plain "End Date": a tenant whose lease has ended often stays on, month to month.
  'expirationdate', 'expirydate', 'expiration', 'expires', 'accessexpiration', 'accessexpirationdate', 'accessexpirydate', 'accessexpires', 'accessenddate',
]);

/**
 * Words for someone who has left: the whole cell, or before a separator ("Terminated - Voluntary",
 * "Inactive (seasonal)"). The short ones ("Past", "Left", "Expired") only as the whole cell:
 * "Past Due" and "Past-Due" are rent, "Left - voicemail" a call. Not "Retired": in a club that is
 * a kind of member. The payroll and access-control codes (Paylocity, ADP and UKG's "T" or "Term",
 * Openpath's "S" suspended and "I" inactive) only as the whole cell of a status column.
 */
const LEFT = /^(?:(?:terminated|termed|inactive|not active|suspended|deactivated|deprovisioned|dismissed|laid off|offboarded|discharged|former|moved[\s-]?out|evicted|deceased|resigned|separated|withdrawn|no longer (?:active|employed|here)|inaktiv|ausgetreten|(?:de )?baja|cessato|sorti|sortie|uit dienst|退職|退職済み?|퇴사|퇴직)(?:\s*[-–—:(,/].*)?|past|left|disabled|archived|cancell?ed|expired|vacated|t|term|s|i)$/i;
/** What Workday writes after a worker's name once they left: "Yuki Tanaka (Terminated)". No name holds it. */
const NAME_MARK = /[([]\s*(?:terminated|inactive|deactivated|suspended|former(?: employee)?|deceased|resigned|separated|no longer employed)\s*[)\]]/i;
const NO = /^(no|n|false|0|inactive)$/i;
/**
 * Words for someone still there, beside which a past "Termination Date" is a rehire's: the whole
 * cell, or before a separator ("Active - Leave"). Not "Full-Time" (BambooHR keeps it for those who
 * left) nor "Leave": only these turn a past date off.
 */
const HERE = /^(?:active|activated|enabled|employed|current|hired|re-?hired|a|alta|activ[oa]|attiv[oa]|actif|aktiv|actief|in dienst|在籍|재직)(?:\s*[-–—:(,/].*)?$/i;
const YES = /^(yes|y|true|1|active)$/i;
const AFFIRMATIVE = /^(yes|y|true|1)$/i;

export interface LeaverColumn {
  index: number;
  header: string;
  kind: 'status' | 'yes/no' | 'name' | 'date';
  /** Whether the cell says the person has left (a date column: its date has come, whichever way it is read). */
  left: (cell: string) => boolean;
  /** A status or yes/no column: whether the cell says the person is still there ("Active", "Yes"). */
  here?: (cell: string) => boolean;
  /** A date column: whether the cell's date has come, each way it can be read. */
  came?: (cell: string) => DateCame | undefined;
}

/** Whether a date column's cell has come, read month first and read day first (the same when it reads one way only). */
export interface DateCame {
  monthFirst: boolean;
  dayFirst: boolean;
  /** The way the cell shows its column is written, when it reads one way only (30/09/2025: day first). */
  shows?: 'day' | 'month';
}

/** The regions that write a date month first (12/31/2026): the US and the places that follow its usage. */
const MONTH_FIRST_REGIONS: ReadonlySet<string> = new Set(['US', 'CA', 'PR', 'GU', 'VI', 'AS', 'MP', 'UM', 'PH', 'FM', 'MH', 'PW']);

/**
 * The columns that can say a person has left: every status or yes/no column (BambooHR has both
 * "Employment Status: Full-Time" and "Status: Inactive"), then the date columns. A row whose
 * status says the person left is named by it; one whose status says they are there is not,
 * whatever its dates (a rehired person keeps an old "Termination Date" beside "Status: Active");
 * any other row (its status empty, or a value not understood: "Full-Time", "L") by its dates.
 *
 * `names`: the columns of the person's name, which Workday marks "(Terminated)"; `now`: the day a
 * date is compared with (@default today).
 */
export function leaverColumns(headers: readonly string[], {names = [], now = new Date()}: {names?: readonly number[]; now?: Date} = {}): LeaverColumn[] {
  const statuses: LeaverColumn[] = [];
  const dates: LeaverColumn[] = [];
  const came = (cell: string): DateCame | undefined => {
    const date = readDate(cell);
    if (date === undefined) return undefined;
    const result: DateCame = {monthFirst: date.monthFirst.getTime() <= now.getTime(), dayFirst: date.dayFirst.getTime() <= now.getTime()};
    if (date.shows) result.shows = date.shows;
    return result;
  };
  for (const [index, header] of headers.entries()) {
    const n = normalizeHeader(header);
    if (names.includes(index)) statuses.push({index, header, kind: 'name', left: (cell) => NAME_MARK.test(cell)});
    else if (STATUS_HEADERS.has(n)) statuses.push({index, header, kind: 'status', left: (cell) => LEFT.test(cell.trim()), here: (cell) => HERE.test(cell.trim())});
    else if (ACTIVE_HEADERS.has(n)) statuses.push({index, header, kind: 'yes/no', left: (cell) => NO.test(cell.trim()), here: (cell) => YES.test(cell.trim())});
    else if (LEFT_FLAG_HEADERS.has(n)) statuses.push({index, header, kind: 'yes/no', left: (cell) => AFFIRMATIVE.test(cell.trim())});
    else if (LEFT_DATE_HEADERS.has(n)) {
      dates.push({index, header, kind: 'date', came, left: (cell) => {
        const date = came(cell);
        return date !== undefined && date.monthFirst && date.dayFirst;
      }});
    }
  }
  return [...statuses, ...dates];
}

/** Where a row's person is, for which way a date is written: by the row's country cell, else the country code of its phone number. */
export interface Place {
  country?: string;
  /** The phone number as sent (+447911123457). */
  phone?: string;
}

/**
 * A row whose person has left or not depending on which way its date column is written
 * (05/12/2026): judged once the whole column is read.
 */
interface Undecided {
  row: number;
  column: LeaverColumn;
  /** Whether the date has come read month first (read day first, it has not; or the other way round). */
  monthFirst: boolean;
}

/** A date column's cells that read one way only (30/09/2025 is day first, 09/30/2025 month first), and its first undecided row's cell. */
interface Shown {
  day: number;
  month: number;
  example?: string;
}

/** Counts the rows whose status says the person left; the warning names a few, and each column that said it. */
export class Leavers {
  private readonly rows = new RowSample();
  /** Per column that said it, in the order they first did: its rows and (a few of) its values. */
  private readonly said = new Map<LeaverColumn, {count: number; values: Set<string>}>();

  private readonly statuses: readonly LeaverColumn[];
  private readonly dates: readonly LeaverColumn[];
  private readonly undecided: Undecided[] = [];
  private readonly shown = new Map<LeaverColumn, Shown>();
  /** The people (rows to be sent) placed in the regions that write dates month first, and elsewhere. */
  private readonly places = {monthFirst: 0, elsewhere: 0};

  /** `defaultCountry`: --default-country when it was given, for where the people are when no row says. */
  constructor(columns: readonly LeaverColumn[], private readonly options: {defaultCountry?: string} = {}) {
    this.statuses = columns.filter((c) => c.kind !== 'date');
    this.dates = columns.filter((c) => c.kind === 'date');
    for (const column of this.dates) this.shown.set(column, {day: 0, month: 0});
  }

  /**
   * The column that says this row's person has left, if one does: a status, else a date unless a
   * status says the person is there. A date that reads two ways and has come only one of them is
   * put aside (undecided). `dates`: what each date column's cell says, in order.
   */
  private leftBy(row: number, cells: readonly string[], dates: readonly (DateCame | undefined)[]): LeaverColumn | undefined {
    const status = this.statuses.find((c) => c.left(cells[c.index] ?? ''));
    if (status !== undefined) return status;
    // Only a status understood as "still here" speaks over a date: one not understood ("X") says nothing.
    if (this.statuses.some((c) => c.here?.(cells[c.index] ?? '') === true)) return undefined;
    const undecided: Undecided[] = [];
    for (const [i, column] of this.dates.entries()) {
      const came = dates[i];
      if (came === undefined) continue;
      if (came.monthFirst && came.dayFirst) return column;
      if (came.monthFirst !== came.dayFirst) undecided.push({row, column, monthFirst: came.monthFirst});
    }
    for (const one of undecided) {
      this.undecided.push(one);
      this.shown.get(one.column)!.example ??= (cells[one.column.index] ?? '').trim();
    }
    return undefined;
  }

  /**
   * `sent`: whether the row will be created or adopted (a row that is invalid or a duplicate is not counted).
   * `place`: the row's country cell and phone number, for which way its dates are written.
   */
  see(row: number, cells: readonly string[], sent: boolean, place: Place = {}): void {
    const dates = this.dates.map((column) => column.came!(cells[column.index] ?? ''));
    // Every row shows which way a date column is written, whether it is sent or not.
    for (const [i, column] of this.dates.entries()) {
      const shows = dates[i]?.shows;
      if (shows !== undefined) this.shown.get(column)![shows] += 1;
    }
    if (!sent) return;
    this.place(place);
    const column = this.leftBy(row, cells, dates);
    if (column === undefined) return;
    const cell = (cells[column.index] ?? '').trim();
    // Of a name, only its mark is said: "(Terminated)".
    this.count(this.said, column, column.kind === 'name' ? (NAME_MARK.exec(cell)?.[0] ?? cell) : cell);
    this.rows.add(row);
  }

  private place({country, phone}: Place): void {
    if (this.dates.length === 0) return;
    const region = country === undefined ? undefined : regionOf(country);
    const monthFirst = region !== undefined ? MONTH_FIRST_REGIONS.has(region) : phone?.startsWith('+') ? phone.startsWith('+1') : undefined;
    if (monthFirst === true) this.places.monthFirst += 1;
    else if (monthFirst === false) this.places.elsewhere += 1;
  }

  private count(said: Map<LeaverColumn, {count: number; values: Set<string>}>, column: LeaverColumn, value: string): void {
    let counted = said.get(column);
    if (counted === undefined) said.set(column, (counted = {count: 0, values: new Set()}));
    counted.count += 1;
    if (counted.values.size < 3) counted.values.add(value);
  }

  /**
   * Which way a date column is written: as its cells that read one way only show (30/09/2025),
   * else as where the people are suggests, with the reason (`guess`) to say when it decided a row.
   * Undefined `guess`: the column shows it, or the file is plainly a US one.
   */
  private orderOf(column: LeaverColumn): {dayFirst: boolean; guess?: string} {
    const shown = this.shown.get(column)!;
    if (shown.day > 0 && shown.month === 0) return {dayFirst: true};
    if (shown.month > 0 && shown.day === 0) return {dayFirst: false};
    const {monthFirst, elsewhere} = this.places;
    if (elsewhere > monthFirst) return {dayFirst: true, guess: 'as the people are outside the US (by their country or phone number)'};
    const given = this.options.defaultCountry;
    if (monthFirst === 0 && elsewhere === 0 && given !== undefined && !MONTH_FIRST_REGIONS.has(given)) {
      return {dayFirst: true, guess: `as --default-country ${given} puts the people outside the US`};
    }
    if (monthFirst > 0 && elsewhere === 0 && shown.day === 0) return {dayFirst: false};
    return {dayFirst: false, guess: 'as US files write them'};
  }

  /** `resuming`: the run continues a recorded one, whose file may not change (deleting rows would stop the resume). */
  warning(resuming = false): string | undefined {
    // The undecided rows, judged now that each date column is read (without changing what was counted: warning() may be asked again).
    const said = new Map([...this.said].map(([column, {count, values}]) => [column, {count, values: new Set(values)}]));
    const late: number[] = [];
    /** Per date column whose way was guessed: the rows the other way would judge otherwise. */
    const doubted = new Map<LeaverColumn, RowSample>();
    let named = -1;
    for (const {row, column, monthFirst} of this.undecided) {
      const {dayFirst, guess} = this.orderOf(column);
      if (guess !== undefined) {
        let rows = doubted.get(column);
        if (rows === undefined) doubted.set(column, (rows = new RowSample()));
        rows.add(row);
      }
      const came = dayFirst ? !monthFirst : monthFirst;
      if (!came || row === named) continue;
      named = row;
      late.push(row);
      this.count(said, column, '');
    }
    const notes = [...doubted].map(([column, rows]) => this.doubt(column, rows));
    const count = this.rows.count + late.length;
    if (count === 0) return notes.length === 0 ? undefined : notes.join(' ');
    const rowSample = new RowSample();
    for (const row of [...this.rows.rows, ...late.slice(0, 5)].sort((a, b) => a - b)) rowSample.add(row);
    rowSample.count = count;
    const says = (column: LeaverColumn, values: Set<string>): string => {
      const quoted = [...values].map((v) => JSON.stringify(v)).join(', ');
      return column.kind === 'date' ? 'has a date that has come' : column.kind === 'name' ? `writes ${quoted} after the name` : `says ${quoted}`;
    };
    const rows = rowSample.rowsText();
    const them = count === 1 ? 'that person' : 'them';
    const advice = resuming
      ? `This run continues as recorded; if ${them} should not have access, remove ${them} in Seam afterwards.`
      : `To leave ${them} out, delete ${count === 1 ? 'the row' : 'those rows'} from the file.`;
    const consequence = `people who have left are imported like the others, and would be given access. ${advice}${notes.map((note) => ` ${note}`).join('')}`;
    const columns = [...said];
    if (columns.length === 1) {
      const [column, {values}] = columns[0]!;
      return `Column "${column.header}" ${says(column, values)} in ${rows}: ${consequence}`;
    }
    // Each column with what it said, so a row flagged by its move-out date is not put down to a status.
    const each = columns.map(([column, {count, values}]) => `column "${column.header}" ${says(column, values)} in ${count === 1 ? 'one' : count}`).join(', ');
    return `${rows[0]!.toUpperCase()}${rows.slice(1)} say the person has left (${each}): ${consequence}`;
  }

  /** What was made of a date column's dates that read two ways, when which way was a guess that decided rows. */
  private doubt(column: LeaverColumn, rows: RowSample): string {
    const {dayFirst, guess} = this.orderOf(column);
    const example = this.shown.get(column)!.example ?? '';
    const date = readDate(example)!;
    const [read, other] = dayFirst ? ['day', 'month'] : ['month', 'day'];
    const [as, otherwise] = dayFirst ? [date.dayFirst, date.monthFirst] : [date.monthFirst, date.dayFirst];
    return `Column "${column.header}" has dates that read two ways, such as ${JSON.stringify(example)}: they were read ${read} first (${isoDate(as)}), ${guess ?? ''}. Read ${other} first (${isoDate(otherwise)}), whether the person has left would change in ${rows.rowsText()}.`;
  }
}
