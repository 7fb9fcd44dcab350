// One test per file in test/fixtures/ (rebuilt by `npm run fixtures`): every row's outcome
// after reading, mapping and normalizing — the part of the import that needs no server.
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {extractPerson, headerOf, mapColumns} from '../src/engine/columns.js';
import {ImportError} from '../src/engine/errors.js';
import {normalizePerson} from '../src/engine/normalize.js';
import {openTable} from '../src/engine/read/index.js';
import type {Field, NormalizeContext} from '../src/engine/types.js';
import type {CountryCode} from 'libphonenumber-js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const ACS_A = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
const ACS_B = '11111111-2222-4333-8444-555555555555';

interface Options {
  defaultCountry?: CountryCode;
  map?: Partial<Record<Field, string>>;
  sheet?: string;
}

type Outcome = Record<string, unknown> & {row: number};

async function outcomes(name: string, options: Options = {}) {
  const source = await openTable(fixture(name), options.sheet === undefined ? {} : {sheet: options.sheet});
  const mapping = mapColumns(source.headers, options.map);
  const ctx: NormalizeContext = {
    defaultCountry: options.defaultCountry ?? 'US',
    headerOf: headerOf(source.headers, mapping),
    extraAcsSystemIds: [],
  };
  const rows: Outcome[] = [];
  const messages: string[] = [];
  const previous: unknown[] = [];
  for await (const row of source.rows()) {
    if (row.problem) {
      rows.push({row: row.index, code: row.problem.code});
      messages.push(row.problem.message);
      continue;
    }
    const person = extractPerson(row, mapping);
    if (person.previous) previous.push({row: row.index, ...person.previous});
    const result = normalizePerson(person, ctx);
    if (result.ok) {
      rows.push({row: row.index, ...result.person});
      messages.push('');
    } else {
      rows.push({row: row.index, code: result.code});
      messages.push(result.message);
    }
  }
  return {source, mapping, rows, messages, previous};
}

async function fails(name: string, options: Options = {}): Promise<ImportError> {
  try {
    await outcomes(name, options);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error(`${name}: expected an ImportError`);
}

describe('fixtures people export', () => {
  it('excel-utf8-bom.csv: BOM, CRLF, quoted commas and line breaks, Unicode names', async () => {
    const {source, rows} = await outcomes('excel-utf8-bom.csv');
    expect(source.info).toMatchObject({format: 'csv', encoding: 'utf-8-bom', delimiter: ','});
    expect(source.headers[0]).toBe('Employee ID');
    expect(rows).toEqual([
      {row: 1, user_identity_key: 'E-1001', full_name: 'Doe, Jane', email_address: 'jane.doe@example.com', phone_number: '+12015550123'},
      {row: 2, user_identity_key: 'E-1002', full_name: 'Zoë Ångström', email_address: 'zoe@example.com', phone_number: '+442079460958'},
      {row: 3, user_identity_key: 'E-1003', full_name: '李小龙', email_address: 'li@example.cn'},
      {row: 4, user_identity_key: 'E-1004', full_name: 'José Núñez', phone_number: '+12015550124'},
    ]);
  });

  it('google-sheets.csv: UTF-8 without BOM, LF, access systems', async () => {
    const {source, rows} = await outcomes('google-sheets.csv');
    expect(source.info.encoding).toBe('utf-8');
    expect(rows).toEqual([
      {row: 1, full_name: 'Ann Lee', email_address: 'ann@example.com', phone_number: '+12015550125', acs_system_ids: [ACS_A]},
      {row: 2, full_name: 'Ben Ode', email_address: 'ben@example.com', acs_system_ids: [ACS_A, ACS_B]},
      {row: 3, full_name: 'Cy Twombly', phone_number: '+12015550126'},
    ]);
  });

  it('excel-de-1252-semicolon.csv: Windows-1252, semicolons, German numbers, Vorname + Nachname', async () => {
    const {source, mapping, rows} = await outcomes('excel-de-1252-semicolon.csv', {defaultCountry: 'DE'});
    expect(source.info).toMatchObject({encoding: 'windows-1252', delimiter: ';'});
    expect(mapping.describe).toContain('"Vorname" + "Nachname" → full_name');
    expect(rows).toEqual([
      {row: 1, user_identity_key: '1001', full_name: 'Jürgen Müller', email_address: 'juergen.mueller@example.de', phone_number: '+4915112345678'},
      {row: 2, user_identity_key: '1002', full_name: 'Änne Groß', email_address: 'aenne@example.de', phone_number: '+49301234567'},
      {row: 3, user_identity_key: '1003', full_name: 'François Weiß-Öztürk', email_address: 'f.weiss@example.de', phone_number: '+491701234567'},
    ]);
  });

  // Read as Windows-1252, "José Müller" came out "JosŽ MŸller" and "Zoë Ångström" "Zo‘ �ngstršm", with no warning.
  it('excel-mac-roman.csv: Excel for Mac "CSV (Macintosh)", Mac Roman with CR line breaks', async () => {
    const {source, rows} = await outcomes('excel-mac-roman.csv');
    expect(source.info).toMatchObject({format: 'csv', encoding: 'mac-roman', delimiter: ','});
    expect(rows).toEqual([
      {row: 1, full_name: 'José Müller', email_address: 'jose.mueller@example.com', phone_number: '+12015550160'},
      {row: 2, full_name: 'Zoë Ångström', email_address: 'zoe@example.com'},
      {row: 3, full_name: 'François Weiß', phone_number: '+12015550161'},
    ]);
  });

  it('excel-sep-line.csv: sep=; line', async () => {
    const {source, rows} = await outcomes('excel-sep-line.csv');
    expect(source.info.delimiter).toBe(';');
    expect(rows).toEqual([
      {row: 1, full_name: 'Smith, Anna', email_address: 'anna@example.com', phone_number: '+12015550127'},
      {row: 2, full_name: 'Brown, Bo', email_address: 'bo@example.com'},
    ]);
  });

  it('excel-unicode-text.txt: UTF-16LE, tabs', async () => {
    const {source, rows} = await outcomes('excel-unicode-text.txt');
    expect(source.info).toMatchObject({encoding: 'utf-16le', delimiter: '\t'});
    expect(rows).toEqual([
      {row: 1, full_name: 'Søren Kierkegaard', email_address: 'soren@example.dk', phone_number: '+4532123456'},
      {row: 2, full_name: 'Ōtani Shōhei', email_address: 'ohtani@example.jp'},
      {row: 3, full_name: 'Amélie Poulain', phone_number: '+33612345678'},
    ]);
  });

  it('utf16be.csv: UTF-16BE', async () => {
    const {source, rows} = await outcomes('utf16be.csv');
    expect(source.info.encoding).toBe('utf-16be');
    expect(rows).toEqual([{row: 1, full_name: 'Björk Guðmundsdóttir', email_address: 'bjork@example.is'}]);
  });

  it('pipe.txt and tabs.tsv', async () => {
    const pipe = await outcomes('pipe.txt');
    expect(pipe.source.info.delimiter).toBe('|');
    expect(pipe.rows).toEqual([
      {row: 1, full_name: 'Doe, John', email_address: 'john@example.com', phone_number: '+12015550128'},
      {row: 2, full_name: 'Roe, Rita', email_address: 'rita@example.com'},
    ]);
    const tabs = await outcomes('tabs.tsv');
    expect(tabs.source.info.delimiter).toBe('\t');
    expect(tabs.rows).toEqual([{row: 1, full_name: 'Tab "Quoted" Person', email_address: 'tab@example.com'}]);
  }, 10_000);

  it('late-umlaut-1252.csv: Windows-1252 decided on the whole file', async () => {
    const {source, rows} = await outcomes('late-umlaut-1252.csv');
    expect(source.info.encoding).toBe('windows-1252');
    expect(rows).toHaveLength(3001);
    expect(rows.at(-1)).toEqual({row: 3001, full_name: 'Müller', email_address: 'mueller@example.de'});
  });
});

describe('fixtures rules and damage', () => {
  it('excel-damage-gb.csv: each kind of Excel damage is invalid and says what happened', async () => {
    const {rows, messages} = await outcomes('excel-damage-gb.csv', {defaultCountry: 'GB'});
    expect(rows).toEqual([
      {row: 1, full_name: 'Ok National', email_address: 'ok1@example.co.uk', phone_number: '+447911123456'},
      {row: 2, full_name: 'Ok International', email_address: 'ok2@example.co.uk', phone_number: '+442079460958'},
      {row: 3, code: 'invalid_phone'},
      {row: 4, code: 'invalid_phone'},
      {row: 5, code: 'invalid_phone'},
      {row: 6, code: 'invalid_phone'},
      {row: 7, full_name: 'Double Zero', email_address: 'dz@example.co.uk', phone_number: '+447911123459'},
      {row: 8, full_name: 'Phone Only', phone_number: '+447911123460'},
    ]);
    expect(messages[2]).toContain('Column "Phone" has "7911123457" which looks like a GB number that lost its leading zero');
    expect(messages[3]).toContain('scientific notation');
    expect(messages[4]).toContain('16 digits');
    expect(messages[5]).toContain('decimal number');
    for (const i of [2, 3, 4, 5]) expect(messages[i]).toContain('Format the column as Text');
  });

  it('invalid-rows.csv: one code per broken row, the good rows pass', async () => {
    const {rows, messages} = await outcomes('invalid-rows.csv', {map: {user_identity_key: 'Key'}});
    expect(rows).toEqual([
      {row: 1, user_identity_key: 'k1', full_name: 'Good Row', email_address: 'good@example.com', phone_number: '+12015550130', acs_system_ids: [ACS_A]},
      {row: 2, code: 'invalid_email'},
      {row: 3, code: 'invalid_email'},
      {row: 4, code: 'invalid_phone'},
      {row: 5, code: 'missing_contact'},
      {row: 6, code: 'invalid_acs_system_id'},
      {row: 7, code: 'invalid_email'},
      {row: 8, code: 'invalid_phone'},
      {row: 9, user_identity_key: 'k9', full_name: 'Invisible', email_address: 'zw@example.com'},
    ]);
    expect(messages[1]).toBe('Column "Email" has "john@" which is not an email address (nothing after the "@").');
  });

  it('header-aliases.csv: whole-header aliases, first + last, look-alikes carried through', async () => {
    const {mapping, rows} = await outcomes('header-aliases.csv');
    expect(mapping.describe).toEqual([
      '"Employee ID" → user_identity_key',
      '"E-mail" → email_address',
      '"Mobile" → phone_number',
      '"First Name" + "Last Name" → full_name',
    ]);
    expect(mapping.passthrough).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows).toEqual([
      {row: 1, user_identity_key: 'E-1', full_name: 'Ada Lovelace', email_address: 'ada@example.com', phone_number: '+12015550140'},
      {row: 2, user_identity_key: 'E-2', full_name: 'Grace', email_address: 'grace@example.com'},
    ]);
  });

  it('no-contact-column.csv: stops, listing the headers and the --map to use', async () => {
    const error = await fails('no-contact-column.csv');
    expect(error.code).toBe('no_contact_column');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"Name", "Email consent", "Kontakt"');
    expect(error.hint).toMatch(/--map email_address="/);
    const mapped = await outcomes('no-contact-column.csv', {map: {email_address: 'Kontakt'}});
    expect(mapped.rows).toEqual([{row: 1, full_name: 'Ann', email_address: 'ann@example.com'}]);
  });

  it('results-roundtrip.csv: import columns are recognised, not carried, and earlier outcomes come back', async () => {
    const {mapping, rows, previous} = await outcomes('results-roundtrip.csv');
    expect(mapping.passthrough).toEqual([0, 1, 2]);
    expect(Object.keys(mapping.results)).toEqual(['import_row', 'import_status', 'user_identity_id', 'import_error_code', 'import_error_message']);
    expect(previous).toEqual([
      {row: 1, status: 'created', userIdentityId: '6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a01'},
      {row: 2, status: 'existing', userIdentityId: '6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a02'},
      {row: 3, status: 'invalid'},
      {row: 4, status: 'failed'},
    ]);
    expect(rows[2]).toEqual({row: 3, code: 'invalid_email'});
  });
});

describe('fixtures broken files', () => {
  it('ragged.csv: the row with an extra value is malformed; short rows are padded; trailing empties are fine', async () => {
    const {rows, messages} = await outcomes('ragged.csv');
    expect(rows).toEqual([
      {row: 1, code: 'malformed_row'},
      {row: 2, full_name: 'Ok Person', email_address: 'ok@example.com'},
      {row: 3, code: 'missing_contact'},
    ]);
    expect(messages[0]).toContain('Line 2 has 3 values (comma-separated) but the header has 2 columns; the extra value is "john@example.com"');
  });

  it('blank-rows.csv: blank rows are not people, and the numbering keeps the spreadsheet rows', async () => {
    const {rows} = await outcomes('blank-rows.csv');
    expect(rows).toEqual([
      {row: 1, full_name: 'First', email_address: 'first@example.com'},
      {row: 4, full_name: 'Fourth', email_address: 'fourth@example.com'},
    ]);
  });

  it('header-only.csv: zero rows, not an error', async () => {
    const {source, rows} = await outcomes('header-only.csv');
    expect(source.headers).toEqual(['Name', 'Email', 'Phone']);
    expect(rows).toEqual([]);
  });

  it('megabyte-field.csv: the row is malformed, the next row is read', async () => {
    const {rows, messages} = await outcomes('megabyte-field.csv');
    expect(rows).toEqual([
      {row: 1, code: 'malformed_row'},
      {row: 2, full_name: 'Next Row', email_address: 'next@example.com'},
    ]);
    expect(messages[0]).toContain('Line 2: the value in column "Notes" is 1.1 MB long');
  });

  it.each([
    ['unclosed-quote.csv', 'input_malformed', 'line 3'],
    ['empty.csv', 'input_empty', 'empty.csv is empty'],
    ['blank-lines.csv', 'input_empty', 'every line is blank'],
    ['binary.csv', 'input_unreadable', 'not a text file'],
    ['old-excel.xls', 'input_unreadable', 'Excel 97-2003'],
    ['html-export.xls', 'input_unreadable', 'web page'],
    ['empty-sheet.xlsx', 'input_empty', 'Worksheet "Blank"'],
    ['does-not-exist.csv', 'input_not_found', 'does-not-exist.csv'],
  ])('%s: %s (exit 2)', async (name, code, words) => {
    const error = await fails(name);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(words);
  });
});

describe('fixtures people.xlsx', () => {
  it('first sheet: numbers stay digits, formulas give cached values (an error as Excel shows it), dates are ISO, mailto links give the address', async () => {
    const source = await openTable(fixture('people.xlsx'));
    expect(source.info).toMatchObject({format: 'xlsx', sheet: 'Residents'});
    const cells: Array<[number, number, string[]]> = [];
    for await (const row of source.rows()) cells.push([row.index, row.line, row.cells]);
    expect(cells).toEqual([
      [1, 2, ['R-001', 'Zoë Ångström', 'zoe@example.com', '12015550123', '2024-03-01', '007', 'TRUE', '1234.5']],
      [2, 3, ['1002', 'Bob Builder', 'bob@example.com', '+44 7911 123456', '2024-03-01T14:30:00', '8', 'FALSE', '#DIV/0!']],
      [3, 4, ['R-003', 'Carol', 'carol@example.com', '+1 2015550124', '', '9', '', '']],
      [5, 6, ['R-006', 'Dan', '#N/A', '447911123456', '', '', '', '']],
      [6, 7, ['00042', 'Eve', 'eve@example.com', '12015550125', '', '', '', '']],
    ]);
  });

  it('first sheet outcomes', async () => {
    const {rows, messages} = await outcomes('people.xlsx');
    expect(rows).toEqual([
      {row: 1, user_identity_key: 'R-001', full_name: 'Zoë Ångström', email_address: 'zoe@example.com', phone_number: '+12015550123'},
      {row: 2, user_identity_key: '1002', full_name: 'Bob Builder', email_address: 'bob@example.com', phone_number: '+447911123456'},
      {row: 3, user_identity_key: 'R-003', full_name: 'Carol', email_address: 'carol@example.com', phone_number: '+12015550124'},
      {row: 5, code: 'formula_error'},
      {row: 6, user_identity_key: '00042', full_name: 'Eve', email_address: 'eve@example.com', phone_number: '+12015550125'},
    ]);
    expect(messages[3]).toContain('Column "Email" shows #N/A, the error of a formula in the spreadsheet, not a value.');
  });

  it('--sheet picks a sheet by name, case-insensitively', async () => {
    const {source, rows, messages} = await outcomes('people.xlsx', {sheet: 'STAFF'});
    expect(source.info.sheet).toBe('Staff');
    expect(rows).toEqual([
      {row: 1, user_identity_key: 'S-1', full_name: 'Frank Gehry', email_address: 'frank@example.com', phone_number: '+12015550150'},
      {row: 2, user_identity_key: 'S-2', full_name: 'Gae Aulenti', email_address: 'gae@example.com'},
      {row: 3, code: 'malformed_row'},
    ]);
    expect(messages[2]).toBe('Row 4 has values to the right of the last header column; the extra value is "stray note". Give that column a header or clear it.');
  });

  it('an unknown sheet lists the sheets', async () => {
    const error = await fails('people.xlsx', {sheet: 'Tenants'});
    expect(error.code).toBe('sheet_not_found');
    expect(error.message).toContain('"Residents", "Staff"');
  });

  it('xlsx-named-csv.csv: content decides, not the extension', async () => {
    const source = await openTable(fixture('xlsx-named-csv.csv'));
    expect(source.info.format).toBe('xlsx');
  });
});
