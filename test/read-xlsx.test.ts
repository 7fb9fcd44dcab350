import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import {afterAll, describe, expect, it} from 'vitest';
import {openTable} from '../src/engine/read/index.js';
import {canMap} from '../src/engine/columns.js';
import {ImportError} from '../src/engine/errors.js';
import {Importer, runImport} from '../src/engine/index.js';
import type {RawRow} from '../src/engine/types.js';
import {formatNumber, generalNumber, isDateFormat, valueText} from '../src/engine/read/xlsx-cell.js';

describe('xlsx cell text: numbers never pass through float printing', () => {
  it.each([
    [15551234567, '15551234567'],
    [447911123456, '447911123456'],
    // A spreadsheet keeps 15 significant digits: the float's 17 would show digits nobody typed.
    [123456789012345680000, '123456789012346000000'],
    [1234567890123450000, '1234567890123450000'],
    [98765432109876500, '98765432109876500'],
    [0, '0'],
    [-42, '-42'],
    [1234.5, '1234.5'],
    [0.1 + 0.2, '0.3'],
    [1e-7, '0.0000001'],
  ])('General %d → %s', (value, text) => {
    expect(generalNumber(value)).toBe(text);
    expect(valueText(value, undefined, false)).toBe(text);
  });

  it.each([
    [7911123456, '00000000000', '07911123456'],
    [7, '000', '007'],
    [2015550124, '"+1 "0', '+1 2015550124'],
    [447911123456, '\\+0', '+447911123456'],
    [1234.5, '0.00', '1234.50'],
    [1234.5, '#,##0.00', '1,234.50'],
    [1234567, '#,##0', '1,234,567'],
    [0.256, '0%', '26%'],
    [0.256, '0.0%', '25.6%'],
    [-5, '0;(0)', '-5'],
    [1.5, '0.##', '1.5'],
    [2, '0.##', '2'],
    [15551234567, '0.00E+00', '15551234567'],
    [15551234567, 'General', '15551234567'],
    [15551234567, '@', '15551234567'],
    [42, '[Red]0', '42'],
    // Text between the digit places, Excel's Special formats among them.
    [123456789, '000-00-0000', '123-45-6789'],
    [12345678, '000-00-0000', '012-34-5678'],
    [2125550100, '(###) ###-####', '(212) 555-0100'],
    [2125550100, '[<=9999999]###-####;(###) ###-####', '(212) 555-0100'],
    [5551234, '[<=9999999]###-####;(###) ###-####', '555-1234'],
    [12125550100, '(###) ###-####', '(1212) 555-0100'],
    [981011234, '00000-0000', '98101-1234'],
    [42, '"ID-"000', 'ID-042'],
    // An E and a sign in quotes is a literal, not the Scientific format.
    [1001, '"E-"00000', 'E-01001'],
    [7, '\\E\\-000', 'E-007'],
    [2125550104, '#,##0', '2,125,550,104'],
    // Past 15 significant digits a float's digits are noise (98765432109876500 is the float …496).
    [98765432109876500, '0', '98765432109876500'],
    [98765432109876500, '#,##0.00', '98,765,432,109,876,500.00'],
    [1234567890123450000, '0000-0000-0000-0000', '1234567-8901-2345-0000'],
    [123456789012.345678, '0.000000', '123456789012.346000'],
    // Rounded as the sheet holds it, to 15 digits, not as the float is (1.00499999…).
    [1.005, '0.00', '1.01'],
  ])('%d with %j → %s', (value, numFmt, text) => {
    expect(formatNumber(value, numFmt)).toBe(text);
  });

  it.each([
    ['yyyy-mm-dd', true],
    ['m/d/yy', true],
    ['[$-409]mmmm d, yyyy', true],
    ['hh:mm', true],
    ['0.00', false],
    ['"Mobile "0', false],
    ['General', false],
    // Backslash-escaped letters are text: a badge number shown as M0042 is not a date.
    ['\\M0000', false],
    ['dd\\-mm\\-yyyy', true],
  ])('date format %j: %s', (numFmt, isDate) => {
    expect(isDateFormat(numFmt)).toBe(isDate);
  });
});

describe('xlsx cell text: other kinds', () => {
  it.each([
    [null, ''],
    ['text', 'text'],
    ['line_x000D_\nbreak', 'line\r\nbreak'],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [new Date(Date.UTC(2024, 2, 1)), '2024-03-01'],
    [new Date(Date.UTC(2024, 2, 1, 14, 30, 0, 2)), '2024-03-01T14:30:00'],
    [{error: '#N/A'}, '#N/A'],
    [{richText: [{text: 'Bob '}, {text: 'Builder'}]}, 'Bob Builder'],
    [{formula: 'A1', result: 'x@example.com'}, 'x@example.com'],
    [{formula: 'A1', result: 12015550123}, '12015550123'],
    [{formula: 'A1'}, ''],
    [{sharedFormula: 'A1', result: 5}, '5'],
    [{text: 'ann@example.com', hyperlink: 'mailto:ann@example.com'}, 'ann@example.com'],
    [{text: {richText: [{text: 'rich'}, {text: ' link'}]}, hyperlink: 'https://x'}, 'rich link'],
    [{hyperlink: 'mailto:ann@example.com'}, 'ann@example.com'],
  ])('%j → %j', (value, text) => {
    expect(valueText(value, undefined, false)).toBe(text);
  });

  it('a number in a date format is a date (1900 and 1904 systems), also as a formula result', () => {
    expect(valueText(45352, 'yyyy-mm-dd', false)).toBe('2024-03-01');
    expect(valueText(45352 - 1462, 'yyyy-mm-dd', true)).toBe('2024-03-01');
    expect(valueText({formula: 'TODAY()', result: 45352.5}, 'yyyy-mm-dd hh:mm', false)).toBe('2024-03-01T12:00:00');
  });

  // A time typed into a cell formatted as a time read as 1899-12-30T09:30:00.
  it.each([
    [0.395833333333333, 'h:mm\\ AM/PM', '09:30:00'],
    [0.583333333333333, '[$-409]h:mm AM/PM;@', '14:00:00'],
    [0.395833333333333, 'hh:mm:ss', '09:30:00'],
    [0.0625, 'mm:ss', '01:30:00'],
    // A date and time shown as a time: the sheet shows the time only.
    [45352.395833333336, 'h:mm', '09:30:00'],
    // Durations count every hour.
    [1.5, '[h]:mm', '36:00:00'],
    [0.001, '[mm]:ss', '00:01:26'],
    [-0.0625, '[h]:mm:ss', '-01:30:00'],
    // Still dates: a month is an "m" with no hour or second beside it.
    [45352, 'mmm yyyy', '2024-03-01'],
    [45352, 'mm/dd', '2024-03-01'],
    [45352.5, 'd/m/yy h:mm', '2024-03-01T12:00:00'],
    [45352.5, '"Due "h:mm" on "d mmm', '2024-03-01T12:00:00'],
  ])('%d in time format %j → %j', (value, numFmt, text) => {
    expect(valueText(value, numFmt, false)).toBe(text);
  });

  it('a time or a duration is the same in the 1904 date system', () => {
    expect(valueText(0.395833333333333, 'h:mm AM/PM', true)).toBe('09:30:00');
    expect(valueText(1.5, '[h]:mm', true)).toBe('36:00:00');
  });
});

/** Workbooks made by the tests below. */
const dir = mkdtempSync(join(tmpdir(), 'seam-read-xlsx-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('workbooks whose parts come in any order', () => {
  // exceljs writes xl/workbook.xml last and the worksheets before the shared strings. Its own
  // one-pass reader spools such worksheets to temporary files and, while it does, can lose the
  // entries after them (exceljs#3064: "Cannot read properties of undefined (reading 'sheets')").
  // The reader here takes the parts through the zip's directory and never spools: with
  // exceljs's temporary files made to fail, exceljs's reader fails and this one reads every row.
  it('reads every sheet without exceljs spooling a worksheet', async () => {
    const path = join(dir, 'two.xlsx');
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('First');
    first.addRow(['Name', 'Email']);
    for (let i = 1; i <= 50; i++) first.addRow([`Person ${i}`, `p${i}@example.com`]);
    const second = wb.addWorksheet('Second');
    second.addRow(['Name', 'Phone']);
    second.addRow(['Ada', '+16175550101']);
    await wb.xlsx.writeFile(path);

    const exceljsTmp = createRequire(createRequire(import.meta.url).resolve('exceljs'))('tmp') as {file: (...args: unknown[]) => unknown};
    const realFile = exceljsTmp.file;
    exceljsTmp.file = () => {
      throw new Error('exceljs spooled a worksheet');
    };
    try {
      const own = new ExcelJS.stream.xlsx.WorkbookReader(path, {});
      await expect(
        (async () => {
          for await (const ws of own) for await (const row of ws) void row;
        })(),
      ).rejects.toThrow('exceljs spooled a worksheet');

      const rows = async (sheet?: string): Promise<string[][]> => {
        const out: string[][] = [];
        for await (const row of (await openTable(path, {sheet})).rows()) out.push(row.cells);
        return out;
      };
      const firstRows = await rows();
      expect(firstRows).toHaveLength(50);
      expect(firstRows[49]).toEqual(['Person 50', 'p50@example.com']);
      expect(await rows('Second')).toEqual([['Ada', '+16175550101']]);
    } finally {
      exceljsTmp.file = realFile;
    }
  });
});

describe('a title row above the header of a worksheet', () => {
  it('is left out; import_row counts from the header row', async () => {
    const path = join(dir, 'roster.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Residents');
    ws.addRow(['Tenant roster — Building A']);
    ws.mergeCells('A1:C1');
    ws.addRow([]);
    ws.addRow(['Name', 'Email', 'Unit']);
    ws.addRow(['Ada Lovelace', 'ada@example.com', '4B']);
    ws.addRow([]);
    ws.addRow(['Grace Hopper', 'grace@example.com', '5C']);
    await wb.xlsx.writeFile(path);

    const source = await openTable(path, {isHeader: (headers) => canMap(headers)});
    expect(source.headers).toEqual(['Name', 'Email', 'Unit']);
    expect(source.info.aboveHeader).toEqual({line: 3, rows: [['Tenant roster — Building A']]});
    const rows: Array<[number, number, string[]]> = [];
    for await (const row of source.rows()) rows.push([row.index, row.line, row.cells]);
    expect(rows).toEqual([
      [1, 4, ['Ada Lovelace', 'ada@example.com', '4B']],
      [3, 6, ['Grace Hopper', 'grace@example.com', '5C']],
    ]);
  });
});

describe('an empty worksheet', () => {
  // It said only `Worksheet "Sheet1" of x.xlsx is empty.`: the people in the next sheet went unnamed.
  it('names the workbook’s other sheets and the --sheet to pass', async () => {
    const path = join(dir, 'cover.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    const people = wb.addWorksheet('People');
    people.addRow(['Name', 'Email']);
    people.addRow(['Ada', 'ada@example.com']);
    wb.addWorksheet('Notes');
    await wb.xlsx.writeFile(path);

    const error = async (sheet?: string): Promise<ImportError> => {
      try {
        await openTable(path, {sheet});
      } catch (caught) {
        if (caught instanceof ImportError) return caught;
        throw caught;
      }
      throw new Error('expected an ImportError');
    };
    const first = await error();
    expect(first.code).toBe('input_empty');
    expect(first.exitCode).toBe(2);
    // Only the sheets that hold anything are pointed to: "Notes" and "Sheet1" are empty.
    expect(first.message).toBe('Worksheet "Sheet1" of cover.xlsx is empty; the workbook also has "People".');
    expect(first.hint).toBe('Pass --sheet "People" if the people are there.');
    const named = await error('notes');
    expect(named.message).toBe('Worksheet "Notes" of cover.xlsx is empty; the workbook also has "People".');
    expect(named.hint).toBe('Pass --sheet "People" if the people are there.');
    expect((await openTable(path, {sheet: 'People'})).headers).toEqual(['Name', 'Email']);
  });

  it('the only sheet: says there is no other', async () => {
    const path = join(dir, 'only.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Blank');
    await wb.xlsx.writeFile(path);
    await expect(openTable(path)).rejects.toThrow('Worksheet "Blank" of only.xlsx is empty, and the workbook has no other sheet.');
  });

  it('a file named .xlsx that is no zip at all (damaged, or renamed) says so, not "not a text file"', async () => {
    const path = join(dir, 'random.xlsx');
    writeFileSync(path, Buffer.from(Array.from({length: 3000}, (_, i) => (i * 7919 + 13) % 256)));
    await expect(openTable(path)).rejects.toThrow(
      'random.xlsx is named as an Excel workbook but is not one (an .xlsx is a zip archive; this file is not): it is damaged, or another kind of file renamed.',
    );
  });
});

describe('workbooks written by other tools', () => {
  // openpyxl (and so pandas' to_excel) writes absolute relationship targets
  // ("/xl/worksheets/sheet1.xml"); exceljs only finds a worksheet whose target it spells itself
  // ("worksheets/sheet1.xml"), and read such a workbook as having no worksheets.
  it('finds the sheets and the shared strings through absolute targets, under any part name', async () => {
    const wb = new ExcelJS.Workbook();
    const residents = wb.addWorksheet('Residents');
    residents.addRow(['Name', 'Email']);
    residents.addRow(['Ada', 'ada@example.com']);
    const staff = wb.addWorksheet('Staff');
    staff.addRow(['Name', 'Phone']);
    staff.addRow(['Grace', '+16175550101']);
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const relsPath = 'xl/_rels/workbook.xml.rels';
    let rels = await zip.file(relsPath)!.async('string');
    // The second sheet under another name, every target absolute.
    zip.file('xl/worksheets/staff-list.xml', await zip.file('xl/worksheets/sheet2.xml')!.async('uint8array'));
    zip.remove('xl/worksheets/sheet2.xml');
    rels = rels.replace('Target="worksheets/sheet2.xml"', 'Target="/xl/worksheets/staff-list.xml"').replace(/Target="(?!\/)([^"]+)"/g, 'Target="/xl/$1"');
    expect(rels).toContain('Target="/xl/worksheets/sheet1.xml"');
    expect(rels).toContain('Target="/xl/sharedStrings.xml"');
    zip.file(relsPath, rels);
    const path = join(dir, 'openpyxl.xlsx');
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));

    const read = async (sheet?: string): Promise<[string[], string[][]]> => {
      const source = await openTable(path, {sheet});
      const rows: string[][] = [];
      for await (const row of source.rows()) rows.push(row.cells);
      return [source.headers, rows];
    };
    expect(await read()).toEqual([['Name', 'Email'], [['Ada', 'ada@example.com']]]);
    expect(await read('Staff')).toEqual([['Name', 'Phone'], [['Grace', '+16175550101']]]);
  });
});

describe('formulas whose value the file never saved', () => {
  it('are listed on the row (a row of them is not blank); the import makes such a row invalid, naming the formula', async () => {
    const path = join(dir, 'generated.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['First', 'Email', 'Phone', 'Notes']);
    // Written by a program: formulas, no values (openpyxl writes them so).
    ws.addRow(['Ada', {formula: 'LOWER(A2)&"@example.com"'}, '+16175550101', '']);
    ws.addRow([{formula: 'UPPER("x")'}, {formula: 'LOWER(A3)&"@example.com"'}]);
    // Saved by Excel: the value is there.
    ws.addRow(['Linus', {formula: 'LOWER(A4)&"@example.com"', result: 'linus@example.com'}, '', '']);
    // A formula in a column the import does not read.
    ws.addRow(['Grace', 'grace@example.com', '', {formula: 'TODAY()'}]);
    await wb.xlsx.writeFile(path);

    const source = await openTable(path);
    const rows: RawRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows.map((r) => [r.index, r.cells[1], r.unsavedFormulas])).toEqual([
      [1, '', [{column: 1, formula: 'LOWER(A2)&"@example.com"'}]],
      [2, '', [{column: 0, formula: 'UPPER("x")'}, {column: 1, formula: 'LOWER(A3)&"@example.com"'}]],
      [3, 'linus@example.com', undefined],
      [4, 'grace@example.com', [{column: 3, formula: 'TODAY()'}]],
    ]);

    const results = join(dir, 'generated.results.csv');
    const summary = await runImport({input: path, dryRun: true, out: results});
    expect(summary.counts).toMatchObject({invalid: 2, would_create: 2});
    const text = readFileSync(results, 'utf8');
    expect(text).toContain('1,invalid,,unsaved_formula,"Column ""Email"" holds a formula (=LOWER(A2)&""@example.com"") whose value was never saved');
    expect(text).toContain('2,invalid,,unsaved_formula,');
    expect(text).toContain('Grace,grace@example.com,,,4,would_create');
  });
});

describe('cells as Excel and other programs write them', () => {
  /** A workbook with one sheet whose XML (and shared strings) are given as written. */
  async function workbook(name: string, sheetData: string, sharedStrings: string[]): Promise<string> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('People').addRow(['placeholder']);
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const sheetPath = 'xl/worksheets/sheet1.xml';
    const sheet = await zip.file(sheetPath)!.async('string');
    // As bytes: JSZip's own encoding of a long string can cut a character made of two UTF-16 units.
    zip.file(sheetPath, Buffer.from(sheet.replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, `<sheetData>${sheetData}</sheetData>`), 'utf8'));
    zip.file(
      'xl/sharedStrings.xml',
      Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">${sharedStrings.join('')}</sst>`,
        'utf8',
      ),
    );
    const path = join(dir, name);
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));
    return path;
  }
  const header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>';
  const headerStrings = ['<si><t>Name</t></si>', '<si><t>Email</t></si>', '<si><t>Key</t></si>'];
  async function cells(path: string): Promise<string[][]> {
    const out: string[][] = [];
    for await (const row of (await openTable(path)).rows()) out.push(row.cells);
    return out;
  }

  it('thousands of names in Cyrillic, Japanese and emoji read whole: no character is split where the unzipped part is cut into chunks', async () => {
    const names = Array.from({length: 12_000}, (_, i) => ['Смирнова Елена', '山田 太郎', 'Zoë 🎉 Brontë', 'Кузнецов Иван'][i % 4]! + ` ${i}`);
    const shared = [...headerStrings, ...names.filter((_, i) => i % 2 === 0).map((name) => `<si><t>${name}</t></si>`)];
    let rows = '';
    names.forEach((name, i) => {
      const r = i + 2;
      const cell = i % 2 === 0 ? `<c r="A${r}" t="s"><v>${3 + i / 2}</v></c>` : `<c r="A${r}" t="inlineStr"><is><t>${name}</t></is></c>`;
      rows += `<row r="${r}">${cell}<c r="B${r}" t="inlineStr"><is><t>p${i}@example.com</t></is></c></row>`;
    });
    const path = await workbook('many-scripts.xlsx', `${header}${rows}`, shared);
    const read = await cells(path);
    // Were: a few names with "\uFFFD\uFFFD" where a two-, three- or four-byte character straddled two chunks.
    expect(read.filter((row) => row[0]!.includes('\uFFFD'))).toEqual([]);
    expect(read.map((row) => row[0])).toEqual(names);
  });

  it('a Japanese name keeps its text, not its reading (furigana) that Excel stores beside it', async () => {
    const path = await workbook('furigana.xlsx', `${header}<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="inlineStr"><is><t>taro@example.com</t></is></c></row>`, [
      ...headerStrings,
      '<si><t>山田太郎</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><rPh sb="2" eb="4"><t>タロウ</t></rPh><phoneticPr fontId="1"/></si>',
    ]);
    expect(await cells(path)).toEqual([['山田太郎', 'taro@example.com', '']]);
  });

  it('text written into the cell in formatted pieces is read whole', async () => {
    const path = await workbook(
      'inline-rich.xlsx',
      `${header}<row r="2"><c r="A2" t="inlineStr"><is><r><t xml:space="preserve">Bob </t></r><r><rPr><i/></rPr><t>Ray</t></r></is></c><c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>ann</t></r><r><t>@example.com</t></r></is></c></row>`,
      [...headerStrings, '<si><r><t>rich </t></r><r><rPr><b/></rPr><t>shared</t></r></si>'],
    );
    expect(await cells(path)).toEqual([['Bob Ray', 'ann@example.com', '']]);
  });

  it('cells and rows without a reference (the attribute is optional) take the next position', async () => {
    const path = await workbook(
      'no-refs.xlsx',
      '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row><row><c t="inlineStr"><is><t>Ada</t></is></c><c t="inlineStr"><is><t>ada@example.com</t></is></c><c><v>42</v></c></row><row r="5"><c r="B5" t="inlineStr"><is><t>b@example.com</t></is></c><c><v>7</v></c></row>',
      headerStrings,
    );
    const source = await openTable(path);
    expect(source.headers).toEqual(['Name', 'Email', 'Key']);
    const rows: Array<[number, string[]]> = [];
    for await (const row of source.rows()) rows.push([row.line, row.cells]);
    expect(rows).toEqual([
      [2, ['Ada', 'ada@example.com', '42']],
      [5, ['', 'b@example.com', '7']],
    ]);
  });

  // Two <row r="2"> (or row 9 before row 8): two people were given one row number, both were
  // created, and the run ended "BUG: 2 rows were never settled" with no results file.
  it('rows out of order or given twice are refused before anything is sent, naming the rows', async () => {
    for (const [name, rows, said] of [
      ['twice.xlsx', '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="B2" t="inlineStr"><is><t>ann@example.com</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Bob</t></is></c><c r="B2" t="inlineStr"><is><t>bob@example.com</t></is></c></row>', 'row 2 after row 2'],
      ['backwards.xlsx', '<row r="9"><c r="B9" t="inlineStr"><is><t>ann@example.com</t></is></c></row><row r="8"><c r="B8" t="inlineStr"><is><t>bob@example.com</t></is></c></row>', 'row 8 after row 9'],
    ] as const) {
      const path = await workbook(name, `${header}${rows}`, headerStrings);
      const importer = new Importer({input: path, dryRun: true, out: join(dir, `${name}.results.csv`)});
      const error = await importer.prepare().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).code).toBe('input_unreadable');
      expect((error as ImportError).message).toContain(`its worksheet gives ${said}, where rows must come in order, each once`);
    }
  });

  it('a formula whose saved value is empty text or an error has that value; only one with no value is unknown', async () => {
    const path = await workbook(
      'formula-values.xlsx',
      `${header}<row r="2"><c r="A2" t="str"><f>IF(D2="","",D2)</f><v></v></c><c r="B2" t="inlineStr"><is><t>a@example.com</t></is></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row><row r="3"><c r="A3" t="str"><f>"Ann"</f></c><c r="B3" t="inlineStr"><is><t>b@example.com</t></is></c></row>`,
      headerStrings,
    );
    const rows: RawRow[] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row);
    expect(rows.map((r) => [r.cells, r.unsavedFormulas])).toEqual([
      [['', 'a@example.com', '#DIV/0!'], undefined],
      [['', 'b@example.com', ''], [{column: 0, formula: '"Ann"'}]],
    ]);
  });

  it('rows hidden in the sheet (a filter) are imported, and the plan says which', async () => {
    const path = await workbook(
      'hidden.xlsx',
      `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>Ada</t></is></c><c r="B2" t="inlineStr"><is><t>ada@example.com</t></is></c></row><row r="3" hidden="1"><c r="A3" t="inlineStr"><is><t>Moved Out</t></is></c><c r="B3" t="inlineStr"><is><t>gone@example.com</t></is></c></row><row r="4" hidden="true"><c r="A4" t="inlineStr"><is><t>Left Too</t></is></c><c r="B4" t="inlineStr"><is><t>left@example.com</t></is></c></row>`,
      headerStrings,
    );
    const warnings: string[] = [];
    const importer = new Importer({input: path, dryRun: true, out: join(dir, 'hidden.results.csv')});
    importer.on('warning', (w) => warnings.push(w));
    const plan = await importer.prepare();
    expect(plan.toCreate).toBe(3);
    expect(warnings).toEqual([
      '2 rows are hidden in the worksheet (sheet rows 3, 4), by a filter or by hand; they are imported like the others. To leave them out, delete them from the sheet and save.',
    ]);
  });
});

describe('columns hidden in the sheet', () => {
  it('a column the import reads that is hidden is said before the plan; a hidden column it does not read is not', async () => {
    const write = async (name: string, headers: string[], hidden: number): Promise<string> => {
      const path = join(dir, name);
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('People');
      ws.addRow(headers);
      ws.addRow(headers.map((h) => (h === 'Email' ? 'ann@example.com' : /phone/i.test(h) ? '+1 217 555 0101' : 'Ann')));
      ws.getColumn(hidden).hidden = true;
      await wb.xlsx.writeFile(path);
      return path;
    };
    const warningsOf = async (path: string): Promise<string[]> => {
      const warnings: string[] = [];
      const importer = new Importer({input: path, dryRun: true, out: `${path}.results.csv`});
      importer.on('warning', (w) => warnings.push(w));
      await importer.prepare();
      return warnings;
    };
    expect(await warningsOf(await write('hidden-phone.xlsx', ['Name', 'Phone', 'Email'], 2))).toEqual([
      'A column the import reads is hidden in worksheet "People": "Phone" (column 2, read for phone_number). Check that it is the one you mean; --map picks another.',
    ]);
    // The mobile beside it is read: the hidden desk line is not, and nothing is said.
    expect(await warningsOf(await write('hidden-desk.xlsx', ['Name', 'Phone', 'Cell Phone', 'Email'], 2))).toEqual([]);
    expect(await warningsOf(await write('hidden-notes.xlsx', ['Name', 'Email', 'Notes'], 3))).toEqual([]);
  });
});

describe('the packed shared-strings table', () => {
  it('gives back every string as pushed, across blocks, in any script, and nothing past its end', async () => {
    const {SharedStrings} = await import('../src/engine/read/xlsx-parts.js');
    const table = new SharedStrings();
    const strings = Array.from({length: 2500}, (_, i) => (i % 7 === 0 ? '' : i % 5 === 0 ? `山田 ${i} 🙂` : `person-${i}@example.com`));
    for (const text of strings) table.push(text);
    expect(table.length).toBe(2500);
    expect(strings.every((text, i) => table.get(i) === text)).toBe(true);
    for (const index of [-1, 2500, 1.5, Number.NaN]) expect(table.get(index)).toBeUndefined();
  });
});

describe('workbooks other programs write', () => {
  /** Every element of the SpreadsheetML namespace written with a prefix, as code using the OpenXML SDK writes it. */
  const prefixed = (xml: string): string =>
    xml
      .replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
      .replace(/<(\/?)([A-Za-z][\w]*)(?=[\s>/])/g, '<$1x:$2');

  async function people(): Promise<JSZip> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['Employee ID', 'Name', 'Email', 'Phone']);
    ws.addRow(['P1', 'Ana Ruiz', 'ana@example.com', 2125550701]);
    ws.addRow(['P2', 'Bo Chen', 'bo@example.com', '+1 212 555 0702']);
    ws.getCell('D2').numFmt = '(###) ###-####';
    return JSZip.loadAsync(await wb.xlsx.writeBuffer());
  }

  async function read(zip: JSZip, name: string, sheet?: string): Promise<string[][]> {
    const path = join(dir, name);
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));
    const source = await openTable(path, {sheet});
    const rows = [source.headers];
    for await (const row of source.rows()) rows.push(row.cells);
    return rows;
  }

  // Read by the bare names, such a worksheet was "empty"; prefixed shared strings alone were
  // dropped, and the people were created with their phone only, exit 0.
  it.each([
    ['every part', ['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/_rels/workbook.xml.rels']],
    ['the shared strings only', ['xl/sharedStrings.xml']],
    ['the worksheet only', ['xl/worksheets/sheet1.xml']],
  ])('SpreadsheetML with a namespace prefix (x:row, x:c, x:si) in %s reads as without', async (_what, parts) => {
    const zip = await people();
    for (const part of parts) zip.file(part, prefixed(await zip.file(part)!.async('string')));
    expect(await zip.file('xl/sharedStrings.xml')!.async('string')).toMatch(parts.includes('xl/sharedStrings.xml') ? /<x:si>/ : /<si>/);
    expect(await read(zip, `prefixed-${parts.length}.xlsx`)).toEqual([
      ['Employee ID', 'Name', 'Email', 'Phone'],
      ['P1', 'Ana Ruiz', 'ana@example.com', '(212) 555-0701'],
      ['P2', 'Bo Chen', 'bo@example.com', '+1 212 555 0702'],
    ]);
  });

  it('a cell pointing past the end of the shared strings stops the read; it is never an empty cell', async () => {
    const zip = await people();
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file('xl/worksheets/sheet1.xml', sheet.replace(/(<c r="C2"[^>]*t="s"[^>]*><v>)\d+(<\/v>)/, '$1999$2'));
    await expect(read(zip, 'past-strings.xlsx')).rejects.toMatchObject({
      code: 'input_unreadable',
      message: expect.stringContaining('refers to shared string 999, which its shared-strings table does not have'),
    });
  });

  // Both were "a zip file but not an Excel workbook (an OpenDocument, Numbers or Word file?)".
  it.each([
    ['people.xlsb', ['[Content_Types].xml', 'xl/workbook.bin', 'xl/worksheets/sheet1.bin'], 'people.xlsb is an Excel Binary Workbook (.xlsb), which seam-import cannot read.', /save it as \.xlsx/],
    ['people.numbers', ['Index/Document.iwa', 'Metadata/Properties.plist'], 'people.numbers is an Apple Numbers document, which seam-import cannot read.', /File > Export To > Excel/],
    // A zip of spreadsheets, as they arrive by email (a Mac's __MACOSX copies are not named).
    ['people.zip', ['export/residents.csv', '__MACOSX/export/._residents.csv'], 'people.zip is a zip archive holding a spreadsheet: "export/residents.csv".', /^Unzip it and import the file inside/],
    ['batch.zip', ['a.xlsx', 'b.csv', 'c.csv', 'd.tsv', 'readme.pdf'], 'batch.zip is a zip archive holding spreadsheets: "a.xlsx", "b.csv", "c.csv", and 1 more.', /^Unzip it/],
    // A slide deck with a chart holds its data as an .xlsx: not "unzip it"; a README.txt is not a spreadsheet.
    ['deck.pptx', ['[Content_Types].xml', 'ppt/presentation.xml', 'ppt/embeddings/Microsoft_Excel_Worksheet.xlsx'], 'deck.pptx is a zip file but not an Excel workbook (an OpenDocument, Numbers or Word file?).', /save it as \.xlsx/],
    ['people-ods.zip', ['README.txt', 'people.ods'], 'people-ods.zip is a zip file but not an Excel workbook (an OpenDocument, Numbers or Word file?).', /save it as \.xlsx/],
  ])('%s says what it is and how to save it', async (name, parts, message, hint) => {
    const zip = new JSZip();
    for (const part of parts) zip.file(part, 'x');
    const path = join(dir, name);
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));
    await expect(openTable(path, {})).rejects.toMatchObject({code: 'input_unreadable', message, hint: expect.stringMatching(hint)});
  });

  // A "Dashboard" chart sheet in front of the data: "has no worksheets", exit 2.
  it('a chart sheet first is passed over for the first worksheet; --sheet naming it says it is a chart', async () => {
    const zip = await people();
    const workbook = await zip.file('xl/workbook.xml')!.async('string');
    zip.file('xl/workbook.xml', workbook.replace('<sheets>', '<sheets><sheet name="Chart1" sheetId="9" r:id="rIdChart"/>'));
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', rels.replace('</Relationships>', '<Relationship Id="rIdChart" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>'));
    zip.file('xl/chartsheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>');
    expect((await read(zip, 'chart-first.xlsx'))[1]).toEqual(['P1', 'Ana Ruiz', 'ana@example.com', '(212) 555-0701']);
    await expect(read(zip, 'chart-first.xlsx', 'chart1')).rejects.toMatchObject({
      code: 'sheet_not_found',
      message: 'Sheet "Chart1" of chart-first.xlsx is a chart, not a worksheet: it holds no rows. Its worksheets: "Sheet1".',
    });
  });
});

describe('phones Excel saved through scientific notation', () => {
  it('a number cell left with 6 significant digits of 12 (4.47911E+11), or 5 of 11 (a narrow column), is invalid; a real number ending in 0000 and the same digits as text are not', async () => {
    const path = join(dir, 'scientific.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['Email', 'Mobile']);
    ws.addRow(['a@example.com', 447911000000]);
    ws.addRow(['b@example.com', 2125550100]);
    ws.addRow(['c@example.com', '+447911000000']);
    // Cut to 1.2175E+10 in a column too narrow for its 11 digits.
    ws.addRow(['d@example.com', 12175000000]);
    ws.getCell('B5').numFmt = '0.00E+00';
    // Real numbers: General shows 10 and 11 digits whole, so Excel never cut these to 6 digits. Were invalid.
    ws.addRow(['e@example.com', 6465550000]);
    ws.addRow(['f@example.com', 12069100000]);
    await wb.xlsx.writeFile(path);
    const out = join(dir, 'scientific.results.csv');
    const summary = await runImport({input: path, dryRun: true, out});
    expect(summary.counts).toMatchObject({invalid: 2, would_create: 4});
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(
      '1,invalid,,invalid_phone,"Column ""Mobile"" has ""447911000000"" which the file holds as a number ending in 6 zeros: what is left after Excel showed it in scientific notation (4.47911E+11); the last digits are lost.',
    );
    expect(text).toContain('4,invalid,,invalid_phone,"Column ""Mobile"" has ""12175000000"" which the file holds as a number ending in 6 zeros');
    expect(text).toContain('e@example.com,6465550000,5,would_create,,,,e@example.com,+16465550000');
  });

  // A CSV's "1.21255E+10" (the demo's damaged phone) opened and saved as .xlsx is the number
  // 12125500000 in a cell formatted 0.00E+00: 6 significant digits of 11. It was sent as
  // +12125500000, someone else's number.
  it('a cell formatted in scientific notation left with 6 significant digits of 11 is invalid; one holding all its digits is not', async () => {
    const path = join(dir, 'scientific-resaved.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['Email', 'Mobile']);
    ws.addRow(['a@example.com', 12125500000]);
    ws.addRow(['b@example.com', 12125550100]);
    ws.addRow(['c@example.com', 12125500000]);
    ws.getCell('B2').numFmt = '0.00E+00';
    ws.getCell('B3').numFmt = '0.00E+00';
    await wb.xlsx.writeFile(path);
    const out = join(dir, 'scientific-resaved.results.csv');
    const summary = await runImport({input: path, dryRun: true, out});
    expect(summary.counts).toMatchObject({invalid: 1, would_create: 2});
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('1,invalid,,invalid_phone,"Column ""Mobile"" has ""12125500000"" which the file holds as a number ending in 5 zeros: what is left after Excel showed it in scientific notation (1.21255E+10); the last digits are lost.');
    expect(text).toContain('b@example.com,12125550100,2,would_create,,,,b@example.com,+12125550100');
    // In General format Excel shows 11 digits whole: these are the digits typed.
    expect(text).toContain('c@example.com,12125500000,3,would_create,,,,c@example.com,+12125500000');
  });
});

describe('phones and keys in a column formatted as a date', () => {
  // A phone in a date-formatted cell was dropped (beyond 9999-12-31: nothing) or sent as a date;
  // a key of 3000001 went to Seam as "10113-09-20".
  it('are invalid, saying the cell is formatted as a date; the number is never lost, and a date elsewhere stays a date', async () => {
    const path = join(dir, 'date-phones.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['Employee ID', 'Email', 'Phone', 'Start date']);
    ws.addRow([3000001, 'h1@example.com', 2125550801, 45000]);
    ws.addRow(['K-2', 'h2@example.com', 2125550802, 45000]);
    ws.addRow(['K-3', 'h3@example.com', 45000, 45000]);
    ws.addRow(['K-4', 'h4@example.com', '+12125550804', 45000]);
    ws.getCell('A2').numFmt = 'yyyy-mm-dd';
    ws.getCell('C2').numFmt = 'm/d/yyyy';
    ws.getCell('C3').numFmt = 'h:mm';
    ws.getCell('C4').numFmt = 'd-mmm';
    for (const row of [2, 3, 4, 5]) ws.getCell(`D${row}`).numFmt = 'yyyy-mm-dd';
    await wb.xlsx.writeFile(path);

    const rows: RawRow[] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row);
    expect(rows.map((r) => [r.cells, r.dateCells])).toEqual([
      [['3000001', 'h1@example.com', '2125550801', '2023-03-15'], [0, 2, 3]],
      [['K-2', 'h2@example.com', '00:00:00', '2023-03-15'], [2, 3]],
      [['K-3', 'h3@example.com', '2023-03-15', '2023-03-15'], [2, 3]],
      [['K-4', 'h4@example.com', '+12125550804', '2023-03-15'], [3]],
    ]);

    const out = join(dir, 'date-phones.results.csv');
    const summary = await runImport({input: path, dryRun: true, out});
    expect(summary.counts).toMatchObject({invalid: 3, would_create: 1});
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('1,invalid,,invalid_phone,"Column ""Phone"" has ""2125550801"", from a cell the workbook formats as a date or a time: not a phone number as typed. Format the column as Text in the spreadsheet, type the values again and save."');
    expect(text).toContain('2,invalid,,invalid_phone,"Column ""Phone"" has ""00:00:00"", from a cell');
    expect(text).toContain('3,invalid,,invalid_phone,"Column ""Phone"" has ""2023-03-15"", from a cell');
    expect(text).toContain('K-4,h4@example.com,+12125550804,2023-03-15,4,would_create');

    // The key alone in a date cell.
    ws.getCell('C2').numFmt = 'General';
    ws.getCell('C2').value = '+12125550801';
    await wb.xlsx.writeFile(path);
    await runImport({input: path, dryRun: true, out});
    expect(readFileSync(out, 'utf8')).toContain('1,invalid,,invalid_key,"Column ""Employee ID"" has ""3000001"", from a cell the workbook formats as a date or a time: not a key as typed.');
  });
});

describe('a workbook with no styles part (optional in the format; some exporters leave it out)', () => {
  it('is read with every cell in General format, not "This is a bug"', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('People');
    ws.addRow(['Name', 'Phone']);
    ws.addRow(['Ada', 2125550100]);
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    zip.remove('xl/styles.xml');
    const relsPath = 'xl/_rels/workbook.xml.rels';
    zip.file(relsPath, (await zip.file(relsPath)!.async('string')).replace(/<Relationship [^>]*styles\.xml"\/>/, ''));
    const types = '[Content_Types].xml';
    zip.file(types, (await zip.file(types)!.async('string')).replace(/<Override [^>]*styles\.xml"[^>]*\/>/, ''));
    const path = join(dir, 'no-styles.xlsx');
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));
    expect(await zip.file('xl/styles.xml')).toBeNull();
    const rows: string[][] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row.cells);
    expect(rows).toEqual([['Ada', '2125550100']]);
  });
});

describe('numbers of more digits than a spreadsheet keeps', () => {
  // LibreOffice saves a badge number typed as 1234567890123456789 as 1.23456789012345E+018: the
  // reader gave key "1234567890123450112" (the float's noise), and 98765432109876500 in another
  // column as "98765432109876496".
  it('show 15 significant digits; a key held as such a number is invalid, and says the digits are lost', async () => {
    const path = join(dir, 'bigkeys.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Badges');
    ws.addRow(['Badge Number', 'Email', 'Card']);
    ws.addRow([1.23456789012345e18, 'ann@example.com', 98765432109876500]);
    ws.addRow([98765432109876500, 'bob@example.com', 'x']);
    ws.getCell('A3').numFmt = '0';
    ws.addRow([{formula: 'A2+1', result: 1.23456789012345e18}, 'cy@example.com', 'x']);
    // The same digits typed as text, and a number of 15 digits, are the person's.
    ws.addRow(['1234567890123456789', 'di@example.com', 'x']);
    ws.addRow([123456789012345, 'ed@example.com', 'x']);
    ws.addRow([1234567890123460, 'fay@example.com', 'x']);
    // 16 digits a program (pandas, openpyxl) wrote: held exactly, so they are the person's.
    ws.addRow([4111111111111111, 'gus@example.com', 4111111111111111]);
    await wb.xlsx.writeFile(path);

    const rows: RawRow[] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row);
    expect(rows.map((r) => [r.cells[0], r.cells[2], r.longNumbers])).toEqual([
      ['1234567890123450000', '98765432109876500', [0, 2]],
      ['98765432109876500', 'x', [0]],
      ['1234567890123450000', 'x', [0]],
      ['1234567890123456789', 'x', undefined],
      ['123456789012345', 'x', undefined],
      ['1234567890123460', 'x', [0]],
      ['4111111111111111', '4111111111111111', undefined],
    ]);

    const out = join(dir, 'bigkeys.results.csv');
    const summary = await runImport({input: path, dryRun: true, out});
    expect(summary.counts).toMatchObject({invalid: 4, would_create: 3});
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(
      '1234567890123450000,ann@example.com,98765432109876500,1,invalid,,invalid_key,"Column ""Badge Number"" has ""1234567890123450000"" which the file holds as a number of 19 digits: the spreadsheet kept only its first 15 digits, so the last 4 are lost. Format the column as Text in the spreadsheet, type the keys again and export again."',
    );
    expect(text).toContain('2,invalid,,invalid_key,"Column ""Badge Number"" has ""98765432109876500"" which the file holds as a number of 17 digits: the spreadsheet kept only its first 15 digits, so the last 2 are lost.');
    expect(text).toContain('3,invalid,,invalid_key,');
    expect(text).toContain('1234567890123456789,di@example.com,x,4,would_create');
    expect(text).toContain('123456789012345,ed@example.com,x,5,would_create');
    expect(text).toContain('6,invalid,,invalid_key,"Column ""Badge Number"" has ""1234567890123460"" which the file holds as a number of 16 digits: the spreadsheet kept only its first 15 digits, so the last digit is lost.');
  });
});

describe('cells merged across rows', () => {
  // A family's unit and last name merged down over its rows (LibreOffice and Excel keep the value
  // in the first cell only): the second person was created as "Ngozi", not "Ngozi Okafor", and a
  // household's merged email left the second person with none (missing_contact).
  it('give each row of the merge their value, below the header only, and the plan says so', async () => {
    const path = join(dir, 'merged.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Households');
    // A title merged across the columns above the header: still a title.
    ws.addRow(['Households — Building A']);
    ws.mergeCells('A1:E1');
    ws.addRow(['Unit', 'Last Name', 'First Name', 'Email', 'Phone']);
    ws.addRow(['5A', 'Okafor', 'Chidi', 'chidi@okafor.example', '']);
    ws.addRow([null, null, 'Ngozi', 'ngozi@okafor.example', '']);
    ws.mergeCells('A3:A4');
    ws.mergeCells('B3:B4');
    ws.addRow(['101', 'Smith', 'John', 'smith.family@example.com', '']);
    ws.addRow(['101', 'Smith', 'Jane', null, '+1 212 555 0202']);
    ws.mergeCells('D5:D6');
    // A name merged across two columns is in the row once, not twice; a merge over a row with
    // no one on it leaves that row empty.
    ws.addRow(['7C', 'Ann Lee', null, 'ann@example.com', '']);
    ws.mergeCells('B7:C7');
    ws.addRow([]);
    ws.getCell('E8').value = null;
    ws.mergeCells('A7:A8');
    await wb.xlsx.writeFile(path);

    const source = await openTable(path, {isHeader: (headers) => canMap(headers)});
    expect(source.headers).toEqual(['Unit', 'Last Name', 'First Name', 'Email', 'Phone']);
    expect(source.info.aboveHeader).toEqual({line: 2, rows: [['Households — Building A']]});
    const rows: Array<[number, string[], number[] | undefined]> = [];
    for await (const row of source.rows()) rows.push([row.line, row.cells, row.mergedCells]);
    expect(rows).toEqual([
      [3, ['5A', 'Okafor', 'Chidi', 'chidi@okafor.example', ''], undefined],
      [4, ['5A', 'Okafor', 'Ngozi', 'ngozi@okafor.example', ''], [0, 1]],
      [5, ['101', 'Smith', 'John', 'smith.family@example.com', ''], undefined],
      [6, ['101', 'Smith', 'Jane', 'smith.family@example.com', '+1 212 555 0202'], [3]],
      [7, ['7C', 'Ann Lee', '', 'ann@example.com', ''], undefined],
    ]);

    const out = join(dir, 'merged.results.csv');
    const warnings: string[] = [];
    const importer = new Importer({input: path, dryRun: true, out});
    importer.on('warning', (w) => warnings.push(w));
    const plan = await importer.prepare();
    expect(plan).toMatchObject({toCreate: 4, duplicate: 1, invalid: 0});
    expect(warnings).toEqual([
      'The header is on row 2 of worksheet "Households"; the row above it is not people and left out of the import and the results file: "Households — Building A".',
      '3 cells are merged across rows (into sheet rows 4, 6): each row of a merge takes its value. To give a row a value of its own, unmerge the cells in the sheet, type it and save.',
    ]);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('5A,Okafor,Ngozi,ngozi@okafor.example,,2,would_create');
    // The shared address is one person's: the second row repeats it.
    expect(text).toContain('101,Smith,Jane,smith.family@example.com,\'+1 212 555 0202,4,duplicate,,duplicate_email,"Repeats row 3:');
  });
});

describe('workbooks in the 1904 date system', () => {
  // Excel for Mac's old default, and LibreOffice's with a 1904 null date: the reader took every
  // workbook for the 1900 system, and 2024-01-15 read as 2020-01-14.
  it.each([
    ['1', 'as Excel writes it'],
    ['true', 'as LibreOffice writes it'],
  ])('date1904="%s" (%s): dates are the ones the sheet shows', async (flag) => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('People');
    ws.addRow(['Name', 'Email', 'Move-in Date', 'Badge Pickup']);
    ws.addRow(['Ann Lee', 'ann@example.com', new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(2023, 11, 31, 14, 30))]);
    ws.getColumn(3).numFmt = 'yyyy-mm-dd';
    ws.getColumn(4).numFmt = 'yyyy-mm-dd hh:mm';
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const workbookXml = await zip.file('xl/workbook.xml')!.async('string');
    expect(workbookXml).toContain('date1904="1"');
    zip.file('xl/workbook.xml', workbookXml.replace('date1904="1"', `date1904="${flag}"`));
    const path = join(dir, `mac1904-${flag}.xlsx`);
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE'}));

    const rows: string[][] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row.cells);
    expect(rows).toEqual([['Ann Lee', 'ann@example.com', '2024-01-15', '2023-12-31T14:30:00']]);
  });
});

describe('times in an .xlsx', () => {
  it('a cell formatted as a time gives the time alone, a duration its hours, a date and time both', async () => {
    const path = join(dir, 'times.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Contractors');
    ws.addRow(['Name', 'Email', 'Badge Pickup', 'Shift Length', 'Start']);
    ws.addRow(['Bob Sparks', 'bob@example.com', 0.395833333333333, 1.5, 45352.395833333336]);
    ws.getCell('C2').numFmt = 'h:mm AM/PM';
    ws.getCell('D2').numFmt = '[h]:mm';
    ws.getCell('E2').numFmt = 'yyyy-mm-dd hh:mm';
    await wb.xlsx.writeFile(path);

    const rows: string[][] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row.cells);
    expect(rows).toEqual([['Bob Sparks', 'bob@example.com', '09:30:00', '36:00:00', '2024-03-01T09:30:00']]);
  });
});

describe('a small workbook made to take gigabytes to read', () => {
  // Each was read in full: a shared string nested 9,000,000 elements deep (a 63 KB file) took
  // 2.98 GB and 77 s, one 400 MB shared string (400 KB) 1.37 GB, 3,000,000 shared strings no cell
  // uses (9 MB) 1.36 GB, 1 GB of blanks inside <sheetData> (1 MB) 661 MB, then "could not be
  // read … (Invalid string length)". Here each is made just past the limit it meets.
  const header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>';
  const ann = '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="B2" t="inlineStr"><is><t>ann@example.com</t></is></c></row>';
  const strings = '<si><t>Name</t></si><si><t>Email</t></si>';

  async function crafted(name: string, parts: {sheetData?: string; sharedStrings?: string; styles?: string}): Promise<string> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('People').addRow(['placeholder']);
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const sheetPath = 'xl/worksheets/sheet1.xml';
    const sheet = await zip.file(sheetPath)!.async('string');
    zip.file(sheetPath, sheet.replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, `<sheetData>${parts.sheetData ?? header + ann}</sheetData>`));
    zip.file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${parts.sharedStrings ?? strings}</sst>`);
    if (parts.styles !== undefined) zip.file('xl/styles.xml', parts.styles);
    const path = join(dir, name);
    writeFileSync(path, await zip.generateAsync({type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: {level: 9}}));
    return path;
  }

  async function refusal(path: string): Promise<ImportError> {
    try {
      for await (const row of (await openTable(path)).rows()) void row;
    } catch (error) {
      if (error instanceof ImportError) return error;
      throw error;
    }
    throw new Error('expected the workbook to be refused');
  }

  it.each([
    ['a shared string nested 101 elements deep', 'deep.xlsx', {sharedStrings: `${strings}<si>${'<r>'.repeat(101)}<t>x</t>${'</r>'.repeat(101)}</si>`}, 'its part xl/sharedStrings.xml nests XML elements more than 100 deep'],
    ['a styles part nested as deep, before exceljs parses it', 'deep-styles.xlsx', {styles: `<styleSheet>${'<a>'.repeat(101)}${'</a>'.repeat(101)}</styleSheet>`}, 'its part xl/styles.xml nests XML elements more than 100 deep'],
    ['a shared string of 9 MB', 'long-string.xlsx', {sharedStrings: `${strings}<si><t>${'A'.repeat(9 * 1024 * 1024)}</t></si>`}, 'its part xl/sharedStrings.xml has more than 8 MB of XML between two tags'],
    ['a comment of 9 MB with tags in it', 'long-comment.xlsx', {sharedStrings: `${strings}<!--${'<a>'.repeat(3 * 1024 * 1024)}-->`}, 'its part xl/sharedStrings.xml has more than 8 MB of XML between two tags'],
    ['9 MB of blanks inside <sheetData>', 'blanks.xlsx', {sheetData: `${header}${' '.repeat(9 * 1024 * 1024)}${ann}`}, 'its part xl/worksheets/sheet1.xml has more than 8 MB of XML between two tags'],
    ['a shared string in 1,100 pieces of 1,000 characters', 'pieces.xlsx', {sharedStrings: `${strings}<si>${`<r><t>${'A'.repeat(1000)}</t></r>`.repeat(1100)}</si>`}, 'a cell or shared string in its part xl/sharedStrings.xml holds more than 1,048,576 characters'],
    ['a cell of as many characters', 'long-cell.xlsx', {sheetData: `${header}<row r="2"><c r="A2" t="inlineStr"><is>${`<r><t>${'A'.repeat(1000)}</t></r>`.repeat(1100)}</is></c></row>`}, 'a cell or shared string in its part xl/worksheets/sheet1.xml holds more than 1,048,576 characters'],
    ['70,000 shared strings no cell uses', 'unused.xlsx', {sharedStrings: strings + Array.from({length: 70_000}, (_, i) => `<si><t>s${i}</t></si>`).join('')}, 'holds more than 65,5'],
    ['a cell past Excel\'s last column', 'far-column.xlsx', {sheetData: `${header}<row r="2"><c r="ZZZZZZZZ2" t="inlineStr"><is><t>Ann</t></is></c></row>`}, 'a cell past column 16,384 (XFD, Excel\'s last) in row 2'],
    ['a row of 20,000 cells with no reference', 'wide-row.xlsx', {sheetData: `${header}<row r="2">${'<c/>'.repeat(20_000)}</row>`}, 'a cell past column 16,384'],
  ])('%s is refused, naming the limit, as damaged or hostile', async (_what, name, parts, reason) => {
    const error = await refusal(await crafted(name, parts));
    expect(error.code).toBe('input_malformed');
    expect(error.message).toContain(`${name} was not read: `);
    expect(error.message).toContain(reason);
    expect(error.message).toContain('this one looks damaged or hostile');
    expect(error.hint).toContain('export it as CSV UTF-8');
  });

  it('a part that inflates to over 16 MB at more than 500 times its size in the zip is refused as it inflates', async () => {
    // Blanks in 1 MB runs (under the run limit), a tag between them: deflate packs it ~1,000 times.
    const blanks = `${' '.repeat(1024 * 1024)}<x/>`.repeat(17);
    const error = await refusal(await crafted('bomb.xlsx', {sheetData: `${header}${ann}<extra>${blanks}</extra>`}));
    expect(error.message).toContain('its part xl/worksheets/sheet1.xml inflates to more than 16 MB of XML, 500 times what it takes in the zip');
  });

  it('a lease clause repeated on every row (shared strings ~200 times smaller in the zip, as LibreOffice writes them) is read', async () => {
    const clause = 'The tenant shall keep the premises clean and return every key and fob at the end of the lease. '.repeat(300);
    const rows = Array.from({length: 700}, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>P${i}</t></is></c><c r="B${i + 2}" t="inlineStr"><is><t>p${i}@example.com</t></is></c><c r="C${i + 2}" t="s"><v>${i + 3}</v></c></row>`);
    const sharedStrings = `${strings}<si><t>Terms</t></si>${Array.from({length: 700}, (_, i) => `<si><t>Unit ${i}: ${clause}</t></si>`).join('')}`;
    const path = await crafted('clauses.xlsx', {sheetData: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>${rows.join('')}`, sharedStrings});
    const read: RawRow[] = [];
    for await (const row of (await openTable(path)).rows()) read.push(row);
    expect(read).toHaveLength(700);
    expect(read[699]!.cells.slice(0, 2)).toEqual(['P699', 'p699@example.com']);
  });

  it('a cell between 64 KB and the limit is still read: its row is malformed_row, as in a CSV', async () => {
    const long = 'A'.repeat(100_000);
    const path = await crafted('long-but-read.xlsx', {sheetData: `${header}<row r="2"><c r="A2" t="inlineStr"><is><t>${long}</t></is></c><c r="B2" t="inlineStr"><is><t>ann@example.com</t></is></c></row>${ann.replace(/"2"|A2|B2/g, (m) => m.replace('2', '3'))}`});
    const rows: RawRow[] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row);
    expect(rows.map((r) => [r.line, r.problem?.code, r.cells[1]])).toEqual([
      [2, 'malformed_row', 'ann@example.com'],
      [3, undefined, 'ann@example.com'],
    ]);
    expect(rows[0]!.problem?.message).toContain('Row 2: the value in column "Name" is 98 KB long (at most 64 KB)');
  });
});
