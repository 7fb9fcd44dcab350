import type {PhoneMemo} from './phone-memo.js';
import type {CountryCode} from 'libphonenumber-js';

/** The user identity fields a spreadsheet can fill, named as Seam names them. */
export const FIELDS = ['user_identity_key', 'email_address', 'phone_number', 'full_name', 'acs_system_ids'] as const;
export type Field = (typeof FIELDS)[number];
/** What `--map` takes: a field, or the two halves of a name (joined into full_name). */
export const MAP_TARGETS = [...FIELDS, 'first_name', 'last_name', 'country'] as const;
export type MapTarget = (typeof MAP_TARGETS)[number];
export type ColumnMap = Partial<Record<MapTarget, string>>;

export type RowStatus =
  | 'created'
  | 'existing'
  | 'invalid'
  | 'duplicate'
  | 'failed'
  | 'skipped'
  | 'would_create';

export const ROW_STATUSES: readonly RowStatus[] = [
  'created',
  'existing',
  'would_create',
  'invalid',
  'duplicate',
  'failed',
  'skipped',
];

/** Stable codes written to `import_error_code`. */
export type RowErrorCode =
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_key'
  | 'invalid_name'
  | 'invalid_acs_system_id'
  | 'unknown_acs_system'
  | 'missing_contact'
  | 'not_a_person'
  | 'malformed_row'
  | 'unsaved_formula'
  | 'formula_error'
  | 'unreadable_text'
  | 'duplicate_email'
  | 'duplicate_phone'
  | 'duplicate_key'
  | 'conflict'
  | 'being_deleted'
  | 'rejected'
  | 'rate_limited'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'interrupted'
  | 'input_changed'
  | 'not_in_seam';

/** Codes whose rows a `--resume` sends again: the failure said nothing about the person. */
export const RETRYABLE_CODES: ReadonlySet<RowErrorCode> = new Set([
  // Seam was deleting the identity that holds the row's values: once it is gone, the row can go.
  'being_deleted',
  'rate_limited',
  'server_error',
  'network_error',
  'timeout',
  'interrupted',
  // Never sent: the file was saved again while it was being imported.
  'input_changed',
  'unauthorized',
  'forbidden',
]);

/** One data row as read from the file, before any meaning is given to it. */
export interface RawRow {
  /** 1-based number of the data row (the header is not counted). */
  index: number;
  /** 1-based physical line (CSV) or sheet row (xlsx) where the row starts, for messages. */
  line: number;
  /** Physical lines the row's record takes in the file (CSV): 1 only when none of its cells holds a line break. */
  lines?: number;
  /** Every cell as text, in the file's column order; missing trailing cells are ''. */
  cells: string[];
  /** A problem with the row's shape (e.g. more cells than headers): the row becomes `invalid`. */
  problem?: {code: 'malformed_row'; message: string};
  /** Cells (xlsx) holding a formula whose value the file never saved: they read as ''. */
  unsavedFormulas?: UnsavedFormula[];
  /** Hidden in the worksheet (by hand or by a filter): imported like any row, and said so. */
  hidden?: true;
  /** 0-based columns (xlsx) whose cell is a number in General format or in scientific notation, not text. */
  numberCells?: number[];
  /** Of `numberCells`, those shown in scientific notation (0.00E+00). */
  scientificCells?: number[];
  /**
   * 0-based columns (xlsx) whose cell is a number of more than 15 digits (not a date): the
   * spreadsheet kept only 15 of them, so the rest are lost.
   */
  longNumbers?: number[];
  /** 0-based columns (xlsx) whose cell is a number shown through a date or time format. */
  dateCells?: number[];
  /**
   * 0-based columns (xlsx) covered by a cell merged across rows from a row above: they take its
   * value, as the sheet shows it on every row of the merge. Imported so, and said so.
   */
  mergedCells?: number[];
}

export interface UnsavedFormula {
  /** 0-based column. */
  column: number;
  formula: string;
}

export interface SourceInfo {
  path: string;
  format: 'csv' | 'xlsx';
  /** e.g. 'utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252', 'mac-roman' (csv only). */
  encoding?: string;
  /** ',', ';', '\t' or '|' (csv only). */
  delimiter?: string;
  /** UTF-8 but for a few bytes that are not (a line saved by another program): they read as U+FFFD (csv only). */
  damagedUtf8?: boolean;
  /** --encoding named an 8-bit encoding, but the file is UTF-8 through and through: a word of it both ways (csv only). */
  utf8UnderNamed?: {utf8: string; named: string};
  /** Worksheet read (xlsx only). */
  sheet?: string;
  /** The worksheets a person sees (not the hidden ones, unless read), in the workbook's order (xlsx only). */
  sheets?: string[];
  headers: string[];
  /** Title rows above the header, left out: where the header is, and those rows' non-empty cells. */
  aboveHeader?: {line: number; rows: string[][]};
  /** Columns hidden in the worksheet (xlsx only; 0-based). */
  hiddenColumns?: number[];
}

/** An opened spreadsheet. `rows()` may be called more than once: each call reads the file anew. */
export interface TableSource {
  info: SourceInfo;
  headers: string[];
  rows(signal?: AbortSignal): AsyncIterable<RawRow>;
  /**
   * The same rows a read's worth at a time (a text file), for the passes over every row; the
   * consumer checks `signal` before each row, as rows() does. See `rowBatches`.
   */
  rowBatches?(signal?: AbortSignal): AsyncIterable<RawRow[]>;
}

/** A source's rows in batches: its own, or one row a batch (a workbook). */
export function rowBatches(source: TableSource, signal?: AbortSignal): AsyncIterable<RawRow[]> {
  if (source.rowBatches) return source.rowBatches(signal);
  return (async function* () {
    for await (const row of source.rows(signal)) yield [row];
  })();
}

/** Columns of an earlier results file, recognised so that feeding one back in works. */
export const RESULT_COLUMNS = [
  'import_row',
  'import_status',
  'user_identity_id',
  'import_error_code',
  'import_error_message',
  'import_email_address',
  'import_phone_number',
  'import_duplicate_of_row',
  'import_attempts',
  'import_request_id',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];

/** How the header row maps onto fields. Indexes are 0-based column positions. */
export interface ColumnMapping {
  fields: Partial<Record<Field, number>>;
  /** full_name built from two columns: when there is no single name column, or where its cell is empty. */
  nameParts?: {first: number; last: number; familyFirst?: boolean; middle?: number; suffix?: number};
  /** The parts (--map first_name and last_name) come before the name column, used where both are empty. */
  namePartsFirst?: boolean;
  /** A country column: the region of the row's phone number when it is written without "+". */
  phoneCountry?: number;
  /** Fields read from no column on purpose (`--map phone_number=none`). */
  off?: MapTarget[];
  /** A second country column, read where `phoneCountry`'s cell is empty (Outlook's Business, then Home). */
  phoneCountryElse?: number;
  /** Columns of an earlier results file (dropped from the carried-through input columns). */
  results: Partial<Record<ResultColumn, number>>;
  /** Indexes of the input columns carried through to the results file, in order. */
  passthrough: number[];
  /** Input columns named like a result column in a file that is not a results file: their header in the results file. */
  copiedAs?: Record<number, string>;
  /** Human-readable lines: `"E-mail" → email_address`. */
  describe: string[];
  /** Other columns whose header names an email or a phone ("Mobile No." beside "Primary Phone"): not read, but watched. */
  unused?: {email_address?: number[]; phone_number?: number[]};
  /** Columns no alias names whose header still says email or phone ("Home Phone", "Alternate Email"): watched where a cell holds one. */
  unusedByContent?: {email_address?: number[]; phone_number?: number[]};
}

/** What a row says, as text, before validation. */
export interface RawPerson {
  user_identity_key?: string;
  email_address?: string;
  phone_number?: string;
  full_name?: string;
  acs_system_ids?: string;
  /** The row's country cell (`ColumnMapping.phoneCountry`). */
  phone_country?: string;
  /** From a results file fed back in. */
  previous?: {status: string; userIdentityId?: string};
}

/** A row that passed the rules: the body of its create request. */
export interface Person {
  user_identity_key?: string;
  email_address?: string;
  phone_number?: string;
  full_name?: string;
  acs_system_ids?: string[];
}

export interface NormalizeContext {
  defaultCountry: CountryCode;
  /** Whether --default-country was given (a message does not then say to pass it). */
  defaultCountryGiven?: boolean;
  /** The header of the country column whose cells give a row's phone region, if any. */
  countryHeader?: string;
  /** Header text per field, to name the column in messages. */
  headerOf: Partial<Record<Field, string>>;
  /** Known access systems (lowercase UUIDs) when credentials were given; undefined = not checked. */
  knownAcsSystems?: ReadonlySet<string>;
  /** The workspace's access systems by name (lowercase) → their lowercase ids: a name in the cell is read as its id. */
  acsSystemNames?: ReadonlyMap<string, readonly string[]>;
  /** Added to every row (`--acs-system-id`). */
  extraAcsSystemIds: readonly string[];
  /** The check pass's phone answers, handed to the import pass (not in a dry run: one pass). */
  phones?: PhoneMemo;
}

export type NormalizeResult =
  | {ok: true; person: Person}
  | {ok: false; code: RowErrorCode; message: string; field?: Field};
