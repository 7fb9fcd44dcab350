import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, describe, expect, it} from 'vitest';
import iconv from 'iconv-lite';
import {mapSourceColumns} from '../src/engine/source-columns.js';
import {openTable} from '../src/engine/read/index.js';
import {canMap, mapColumns} from '../src/engine/columns.js';
import {ImportError} from '../src/engine/errors.js';
import type {RawRow, TableSource} from '../src/engine/types.js';

const dir = mkdtempSync(join(tmpdir(), 'seam-read-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

let n = 0;
function file(content: string | Buffer, ext = '.csv'): string {
  const path = join(dir, `f${++n}${ext}`);
  writeFileSync(path, content);
  return path;
}

async function all(source: TableSource): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of source.rows()) rows.push(row);
  return rows;
}

async function openError(path: string): Promise<ImportError> {
  try {
    const source = await openTable(path);
    await all(source);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

describe('plain UTF-8 CSV', () => {
  it('reads headers and rows, padding short rows', async () => {
    const source = await openTable(file('Name,Email,Phone\nJane,jane@x.com,2015550123\nBob,bob@x.com\n'));
    expect(source.headers).toEqual(['Name', 'Email', 'Phone']);
    expect(source.info).toMatchObject({format: 'csv', encoding: 'utf-8', delimiter: ','});
    expect(await all(source)).toEqual([
      {index: 1, line: 2, lines: 1, cells: ['Jane', 'jane@x.com', '2015550123']},
      {index: 2, line: 3, lines: 1, cells: ['Bob', 'bob@x.com', '']},
    ]);
  });

  it('strips a UTF-8 BOM and handles CRLF and quoted newlines, keeping line numbers', async () => {
    const source = await openTable(file('\uFEFFName,Notes\r\n"Doe, Jane","line one\r\nline two"\r\nBob,"x"\r\n'));
    expect(source.headers).toEqual(['Name', 'Notes']);
    expect(source.info.encoding).toBe('utf-8-bom');
    expect(await all(source)).toEqual([
      {index: 1, line: 2, lines: 2, cells: ['Doe, Jane', 'line one\r\nline two']},
      {index: 2, line: 4, lines: 1, cells: ['Bob', 'x']},
    ]);
  });

  it("lines ending CR CR LF (Python's csv writer on Windows) are one line end each: no blank rows, no line feed in the first cell", async () => {
    const source = await openTable(file('Resident ID,Email,Unit\r\r\nZ9001,z9001@example.com,1A\r\r\nZ9002,z9002@example.com,"1B\r\nrear"\r\r\n'));
    expect(source.headers).toEqual(['Resident ID', 'Email', 'Unit']);
    expect(await all(source)).toEqual([
      {index: 1, line: 2, lines: 1, cells: ['Z9001', 'z9001@example.com', '1A']},
      {index: 2, line: 3, lines: 2, cells: ['Z9002', 'z9002@example.com', '1B\r\nrear']},
    ]);
  });

  describe('any mix of CRLF, LF and CR ends a line outside quotes, as in Excel', () => {
    const people = (cells: string[][]): RawRow[] => cells.map((row, i) => ({index: i + 1, line: i + 2, lines: 1, cells: row}));
    const ann = ['E1', 'Ann', 'ann@example.com', '+12125550101'];
    const bob = ['E2', 'Bob', 'bob@example.com', '+12125550102'];
    const cy = ['E3', 'Cy', 'cy@example.com', '+12125550103'];
    const line = (cells: string[]): string => cells.join(',');
    const header = 'Employee ID,Name,Email,Phone';

    it('a CRLF file with LF rows appended (echo >>): every row its own, not three rows run into one', async () => {
      const source = await openTable(file(`${header}\r\n${line(ann)}\r\n${line(bob)}\n${line(cy)}\n`));
      expect(await all(source)).toEqual(people([ann, bob, cy]));
    });

    it('a header ending in a bare CR, then LF rows', async () => {
      const source = await openTable(file(`${header}\r${line(ann)}\n${line(bob)}\n${line(cy)}\n`));
      expect(source.headers).toEqual(header.split(','));
      expect(await all(source)).toEqual(people([ann, bob, cy]));
    });

    it('a header ending in LF, then CRLF rows: no CR left on the last cell', async () => {
      const source = await openTable(file(`${header}\n${line(ann)}\r\n${line(bob)}\r\n${line(cy)}\r\n`));
      expect(await all(source)).toEqual(people([ann, bob, cy]));
    });

    it('line breaks inside quotes stay as they are, and count in the line numbers', async () => {
      const source = await openTable(file(`Name,Notes\r\nAnn,"one\ntwo"\r\nBob,"three\r\nfour"\nCy,x\rDi,"five\rsix"\nEd,y\n`));
      expect(await all(source)).toEqual([
        {index: 1, line: 2, lines: 2, cells: ['Ann', 'one\ntwo']},
        {index: 2, line: 4, lines: 2, cells: ['Bob', 'three\r\nfour']},
        {index: 3, line: 6, lines: 1, cells: ['Cy', 'x']},
        {index: 4, line: 7, lines: 2, cells: ['Di', 'five\rsix']},
        {index: 5, line: 9, lines: 1, cells: ['Ed', 'y']},
      ]);
    });
  });

  it('can be read twice', async () => {
    const source = await openTable(file('Email\na@x.com\nb@x.com\n'));
    expect((await all(source)).length).toBe(2);
    expect((await all(source)).length).toBe(2);
  });

  it('skips blank rows but counts them, so import_row matches the spreadsheet row', async () => {
    const source = await openTable(file('\n\nEmail,Name\na@x.com,A\n\n ,\u200B\nb@x.com,B\n,,\n,\n'));
    expect(await all(source)).toEqual([
      {index: 1, line: 4, lines: 1, cells: ['a@x.com', 'A']},
      {index: 4, line: 7, lines: 1, cells: ['b@x.com', 'B']},
    ]);
  });

  it('flags a row with more values than headers, naming the line', async () => {
    const rows = await all(await openTable(file('Name,Email\nSmith, John,j@x.com\nOk,ok@x.com,,\n')));
    expect(rows[0]?.problem?.code).toBe('malformed_row');
    expect(rows[0]?.problem?.message).toContain('Line 2 has 3 values (comma-separated) but the header has 2 columns');
    expect(rows[0]?.cells).toEqual(['Smith', ' John']);
    expect(rows[1]).toEqual({index: 2, line: 3, lines: 1, cells: ['Ok', 'ok@x.com']});
  });

  it('a header with no data rows is a valid, empty table', async () => {
    const source = await openTable(file('Name,Email\r\n'));
    expect(source.headers).toEqual(['Name', 'Email']);
    expect(await all(source)).toEqual([]);
  });

  it('keeps blank and duplicate headers', async () => {
    const source = await openTable(file('Email,,Email\na,b,c\n'));
    expect(source.headers).toEqual(['Email', '', 'Email']);
  });
});

describe('broken text files', () => {
  it('missing file', async () => {
    const error = await openError(join(dir, 'nope.csv'));
    expect(error.code).toBe('input_not_found');
    expect(error.exitCode).toBe(2);
  });

  it.each([[''], ['\n\n  \n'], ['\uFEFF'], [',,,\r\n,,,\r\n']])('empty: %j', async (content) => {
    expect((await openError(file(content))).code).toBe('input_empty');
  });

  it('unclosed quote names the line where it opened', async () => {
    const error = await openError(file('Name,Email\nA,a@x.com\n"B,b@x.com\nC,c@x.com\nD,d@x.com\n'));
    expect(error.code).toBe('input_malformed');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/f\d+\.csv/);
    expect(error.message).toContain('line 3');
  });
});

describe('encodings and delimiters', () => {
  it('semicolons in Windows-1252 (German Excel)', async () => {
    const source = await openTable(file(iconv.encode('Name;E-Mail;Telefon\r\nMüller, Jürgen;jm@x.de;0151 12345678\r\nGroß;g@x.de;030 1234567\r\n', 'windows-1252')));
    expect(source.info).toMatchObject({encoding: 'windows-1252', delimiter: ';'});
    expect(source.headers).toEqual(['Name', 'E-Mail', 'Telefon']);
    expect((await all(source)).map((r) => r.cells[0])).toEqual(['Müller, Jürgen', 'Groß']);
  });

  it('finds Windows-1252 even when the first non-ASCII byte is far into the file', async () => {
    const filler = 'Person,p@x.com\n'.repeat(10_000);
    const source = await openTable(file(iconv.encode(`Name,Email\n${filler}Müller,m@x.de\n`, 'windows-1252')));
    expect(source.info.encoding).toBe('windows-1252');
    const rows = await all(source);
    expect(rows.at(-1)).toEqual({index: 10_001, line: 10_002, lines: 1, cells: ['Müller', 'm@x.de']});
  });

  // Excel for Mac's "CSV (Macintosh)" was read as Windows-1252: "José Müller" came out "JosŽ MŸller".
  describe('Mac Roman or Windows-1252', () => {
    const people = ['José Müller', 'Zoë Ångström', 'François Weiß', 'Sánchez Pérez', 'Ærø Søren'];
    const csv = (names: string[], eol: string): string => ['Name,Email', ...names.map((name, i) => `${name},p${i}@x.com`)].join(eol) + eol;

    it.each([
      ['CR line breaks (Excel for Mac "CSV (Macintosh)")', '\r'],
      ['LF line breaks: the accented letters alone say so', '\n'],
      ['CRLF line breaks', '\r\n'],
    ])('Mac Roman with %s', async (_name, eol) => {
      const source = await openTable(file(iconv.encode(csv(people, eol), 'macintosh')));
      expect(source.info).toMatchObject({encoding: 'mac-roman', delimiter: ','});
      expect((await all(source)).map((r) => [r.line, r.cells[0]])).toEqual(people.map((name, i) => [i + 2, name]));
    });

    it('CR line breaks decide when every accented letter would read as a letter in Windows-1252 too', async () => {
      // ú ñ í ó are œ – ’ — in Windows-1252: as likely inside a word, so only the line breaks tell.
      const names = ['María García', 'Núñez Martínez', 'Gómez'];
      const source = await openTable(file(iconv.encode(csv(names, '\r'), 'macintosh')));
      expect(source.info.encoding).toBe('mac-roman');
      expect((await all(source)).map((r) => r.cells[0])).toEqual(names);
    });

    it('Mac Roman first seen after the 64 KiB prefix', async () => {
      const filler = 'Person,p@x.com\r'.repeat(10_000);
      const source = await openTable(file(iconv.encode(`Name,Email\r${filler}José Müller,m@x.de\r`, 'macintosh')));
      expect(source.info.encoding).toBe('mac-roman');
      expect((await all(source)).at(-1)?.cells).toEqual(['José Müller', 'm@x.de']);
    });

    const windows: Array<[string, string[]]> = [
      ['German names', ['Jürgen Müller', 'Änne Groß', 'Weiß-Öztürk']],
      ['French names', ['François Lefèvre', 'Hélène Naïve', 'Zoë Cœur']],
      ['Spanish names', ['José Núñez', 'María García', 'Sánchez Pérez', 'Íñigo Gómez']],
      ['Nordic names in capitals', ['SØREN ÆRØ', 'GARCÍA MÜLLER', 'ÅNGSTRÖM']],
      ['curly quotes, apostrophes, dashes and euros', ['“Bobby” O’Brien', 'don’t – ever', 'Jean—Luc', 'Paid 100 € … etc', 'Acme™ Corp', '„Hallo“ sagte er', 'it‘s D´Angelo']],
    ];
    it.each(windows.flatMap(([name, names]): Array<[string, string, string[]]> => [
      [name, 'CRLF', names],
      [name, 'LF', names],
    ]))('Windows-1252 stays Windows-1252: %s, %s', async (_name, eol, names) => {
      const source = await openTable(file(iconv.encode(csv(names, eol === 'CRLF' ? '\r\n' : '\n'), 'windows-1252')));
      expect(source.info.encoding).toBe('windows-1252');
      expect((await all(source)).map((r) => r.cells[0])).toEqual(names);
    });

    it('Windows-1252 with CR line breaks stays Windows-1252 when its letters say so', async () => {
      const names = ['Jürgen Müller', 'François Weiß'];
      const source = await openTable(file(iconv.encode(csv(names, '\r'), 'windows-1252')));
      expect(source.info.encoding).toBe('windows-1252');
      expect((await all(source)).map((r) => r.cells[0])).toEqual(names);
    });
  });

  it('UTF-8 with a multi-byte character across the 64 KiB prefix edge stays UTF-8', async () => {
    const pad = 'x'.repeat(64 * 1024 - 'Name\n'.length - 1);
    const source = await openTable(file(`Name\n${pad}é\nZoë\n`));
    expect(source.info.encoding).toBe('utf-8');
    expect((await all(source)).at(-1)?.cells).toEqual(['Zoë']);
  });

  it('UTF-16LE with tabs (Excel "Unicode Text")', async () => {
    const text = 'Name\tEmail\tPhone\r\nZoë Ångström\tzoe@x.com\t+44 7911 123456\r\n李小龙\tli@x.cn\t\r\n';
    const source = await openTable(file(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), '.txt'));
    expect(source.info).toMatchObject({encoding: 'utf-16le', delimiter: '\t'});
    expect(source.headers).toEqual(['Name', 'Email', 'Phone']);
    expect(await all(source)).toEqual([
      {index: 1, line: 2, lines: 1, cells: ['Zoë Ångström', 'zoe@x.com', '+44 7911 123456']},
      {index: 2, line: 3, lines: 1, cells: ['李小龙', 'li@x.cn', '']},
    ]);
  });

  it('UTF-16BE with BOM', async () => {
    const text = 'Name,Email\nJosé,jose@x.es\n';
    const source = await openTable(file(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])));
    expect(source.info.encoding).toBe('utf-16be');
    expect((await all(source))[0]?.cells).toEqual(['José', 'jose@x.es']);
  });

  it('honours an Excel sep= line', async () => {
    const source = await openTable(file('sep=;\r\nName;Email\r\nA, B;a@x.com\r\n'));
    expect(source.info).toMatchObject({delimiter: ';'});
    expect(source.headers).toEqual(['Name', 'Email']);
    expect(await all(source)).toEqual([{index: 1, line: 3, lines: 1, cells: ['A, B', 'a@x.com']}]);
  });

  it.each([
    ['comma', 'a,b,c\n1,2,3\n', ','],
    ['semicolon', 'a;b;c\n1;2,5;3\n', ';'],
    ['tab', 'a\tb\n"x, y"\t2\n', '\t'],
    ['pipe', 'Name|Email\nDoe, J|j@x.com\n', '|'],
    ['single column', 'Email\na@x.com\n', ','],
    ['tie goes to comma', 'a;b,c\n1;2,3\n', ','],
    ['quoted delimiters do not count', 'Name;Email\n"Doe; Jane";j@x.com\n"A;B;C";a@x.com\n', ';'],
  ])('sniffs %s', async (_name, content, delimiter) => {
    expect((await openTable(file(content))).info.delimiter).toBe(delimiter);
  });
});

describe('regional code pages (what Excel writes as "CSV" on a Chinese, Japanese, Korean or Russian Windows)', () => {
  const csv = (rows: string[]): string => `${rows.join('\r\n')}\r\n`;
  it.each([
    ['GBK (simplified Chinese)', 'gbk', 'simplified Chinese (gbk)', ['姓名,邮箱,手机', '张伟,zhang.wei@example.cn,13800138000', '王芳,wang.fang@example.cn,13912345678', '李娜,li.na@example.cn,13700001111']],
    ['Big5 (traditional Chinese)', 'big5', 'traditional Chinese (big5)', ['姓名,Email,Phone', '陳志明,chen@example.tw,0912345678', '林美玲,lin@example.tw,0922333444', '張偉,chang@example.tw,0933555666']],
    ['Shift_JIS (Japanese)', 'shift_jis', 'Japanese (shift_jis)', ['氏名,メールアドレス,携帯電話', '山田 太郎,taro@example.jp,090-1234-5678', '佐藤 花子,hanako@example.jp,080-2345-6789']],
    ['Shift_JIS with half-width katakana names', 'shift_jis', 'Japanese (shift_jis)', ['Name,Email', 'ﾔﾏﾀﾞ ﾀﾛｳ,taro@example.jp', 'ｻﾄｳ ﾊﾅｺ,hanako@example.jp']],
    // Second review: English names, Japanese quotes in a note ("“VIP”" is 0x81 0x67 … 0x81 0x68: "ügVIPüh" in code page 850).
    ['Shift_JIS, English names and full-width quotes in notes', 'shift_jis', 'Japanese (shift_jis)', ['Name,Email,Notes', 'Carl Webb,u0@example.com,“VIP”', 'Bob Stone,u1@example.com,Key（Front）', 'Ann Lee,u2@example.com,“VIP” guest']],
    // Review: "（" is 0x81 then "i": after "Key" it looked like code page 850's ü inside a word ("KeyüiFront").
    ['Shift_JIS, katakana names and full-width brackets after English words', 'shift_jis', 'Japanese (shift_jis)', ['Unit,Name,Email,Notes', '101,ジョン・スミス,u0@example.jp,Key（Front）', '102,メアリー・ジョーンズ,u1@example.jp,Key（Front）', '103,マイケル・ブラウン,u2@example.jp,Key（Front）']],
    ['EUC-KR (Korean)', 'euc-kr', 'Korean (euc-kr)', ['이름,이메일,전화번호', '김민준,minjun.kim@example.kr,010-1234-5678', '이서연,seoyeon.lee@example.kr,010-2345-6789', '박지호,jiho.park@example.kr,010-3456-7890', '최하은,haeun.choi@example.kr,010-4567-8901']],
    ['Windows-1251 (Russian)', 'windows-1251', 'Cyrillic (windows-1251)', ['ФИО,Email,Телефон', 'Иванов Иван Иванович,ivanov@example.ru,+7 912 345-67-89', 'Петрова Анна Сергеевна,petrova@example.ru,+7 912 345-67-80']],
    ['Windows-1251 (Ukrainian)', 'windows-1251', 'Cyrillic (windows-1251)', ['Name,Email', 'Шевченко Тарас Григорович,t.shevchenko@example.ua', 'Їжакевич Ірина,i.izh@example.ua', 'Євтушенко Олена,o.y@example.ua']],
  ])('%s is read as such, names intact', async (_name, encoding, shown, rows) => {
    const source = await openTable(file(iconv.encode(csv(rows), encoding)));
    expect(source.info.encoding).toBe(shown);
    expect(source.headers).toEqual(rows[0]!.split(','));
    const read = await all(source);
    expect(read.map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(',')));
  });

  it.each([
    ['Polish', ['Imię i nazwisko,Email', 'Łukasz Żółkiewski,lukasz@example.pl', 'Agnieszka Wąs,aga@example.pl', 'Paweł Ślązak,pawel@example.pl']],
    // Two rows: was read as Cyrillic ("Јukasz Їуіkiewski").
    ['Polish, two rows', ['Name,Email', 'Łukasz Żółkiewski,lukasz@example.pl']],
    ['Slovak among Czech', ['Name,Email', 'Jiří Dvořák,jiri@example.cz', 'Ľubomír Šťastný,lubo@example.sk', 'Zdeněk Kaláb,zdenek@example.cz', 'Petr Suchý,petr@example.cz', 'Ľudmila Ťapáková,lu@example.sk']],
    // Were read as Windows-1252: "Antonín Dvoøák", "Pøemysl Š\x9dastný", "Kateøina Èerná", "Kõrösi Csaba".
    ['Czech, one row', ['Name,Email', 'Antonín Dvořák,antonin@example.cz']],
    ['Czech, one row with ť', ['Name,Email', 'Přemysl Šťastný,premysl@example.cz']],
    ['Czech', ['Jméno,Email', 'Kateřina Černá,katerina@example.cz', 'Tomáš Růžička,tomas@example.cz', 'Zdeněk Kaláb,zdenek@example.cz']],
    ['Hungarian', ['Név,Email', 'Kőrösi Csaba,csaba@example.hu', 'Nagy Gergő,gergo@example.hu']],
    // Was read as Windows-1252 with no word ("£ukasz", "Wiœniewski", "Imiê"): one Ł, beside one ś and two ę.
    ['Polish, three names with one Ł', ['Imię;Nazwisko;E-mail', 'Łukasz;Wiśniewski;lukasz@firma.pl', 'Zofia;Kowalczyk;zofia@firma.pl', 'Grzegorz;Brzęczyszczykiewicz;gb@firma.pl']],
    ['Polish, one ł inside a name', ['Name,Email', 'Michał Wisła,m@firma.pl', 'Anna Nowak,a@firma.pl']],
  ])('Windows-1250 (%s, Excel\'s "CSV" on a Central European Windows) is read as such, not as Windows-1252 ("£ukasz ¯ó³kiewski")', async (_name, rows) => {
    const source = await openTable(file(iconv.encode(csv(rows), 'windows-1250')));
    expect(source.info.encoding).toBe('windows-1250');
    const read = await all(source);
    expect(read.map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(rows[0]!.includes(';') ? ';' : ',')));
  });

  it.each([
    // Were read as Mac Roman or Windows-1252 ("Anna SchÑfer", "Klaus Kîhler", "Ren‚ LefŠvre"), or a
    // long one as Japanese ("Person 0 M〕ler"), and the garbled names sent with no word.
    ['German, code page 850', 'cp850', ['Personalnummer;Vorname;Nachname;E-Mail', '1000;Jürgen;Müller;j0@firma.de', '1001;Anna;Schäfer;a1@firma.de', '1002;Klaus;Köhler;k2@firma.de', '1003;Günter;Groß;g3@firma.de', '1004;Heike;Schröder;h4@firma.de', '1005;Björn;Jäger;b5@firma.de']],
    ['French, Spanish and Swedish, code page 437 (an American Windows)', 'cp437', ['Name,Email', 'René Lefèvre,rl@example.fr', 'José Muñoz,jm@example.es', 'Zoë Brontë,z@example.uk', 'Åsa Ström,a@example.se']],
    ['fifty rows of two names', 'cp850', ['Name,Email', ...Array.from({length: 50}, (_, i) => `Person ${i} ${i % 2 === 0 ? 'Müller' : 'Schäfer'},p${i}@example.de`)]],
  ])('Excel\'s "CSV (MS-DOS)" (%s) is read as such, names intact', async (_name, encoding, rows) => {
    const source = await openTable(file(iconv.encode(csv(rows), encoding)));
    expect(source.info.encoding).toBe('DOS Western European (cp850)');
    const read = await all(source);
    const delimiter = rows[0]!.includes(';') ? ';' : ',';
    expect(source.headers).toEqual(rows[0]!.split(delimiter));
    expect(read.map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(delimiter)));
  });

  it.each([
    ['a pound sign and an inverted question mark', ['Name,Email,Note', 'José Müller,jose@example.es,¿Llamar? Debe £5', 'Zoë Brontë,zoe@example.co.uk,Paid £20', 'Søren Åberg,soren@example.dk,']],
    ['Danish, Norwegian, Italian, French and Portuguese names beside letters Czech and Hungarian share', ['Name,Email', 'Sæbø Aarø,s@example.dk', 'Kjærstad Høie,k@example.no', 'Ole Frøen,o@example.no', 'Fabrizio Martì,f@example.it', 'Ève Lachèze,e@example.fr', 'Brûlé Dûment,b@example.fr', 'João Simões,j@example.pt', 'Tõnu Kõiv,t@example.ee']],
    // Was read as Windows-1250: every ñ went to Seam as ń ("Ińaki Muńoz").
    // "m³" and "£5": Windows-1250 letters' bytes, but neither inside a word nor opening one.
    ['a unit and a price in a short note', ['Name,Email,Note', 'Zoë Brontë,zoe@example.co.uk,Storage 12 m³', 'Renée Dubois,renee@example.fr,£5 deposit']],
    // Second review: read as Windows-1250 ("José Muńoz") once dashes and € stopped counting against it.
    ['storage sizes, a dash and a euro sign', ['Name,Email,Notes', 'José Muñoz,jm@example.es,Trastero 15 m³', 'María Núñez,mn@example.es,Fianza 500 € – pagada', 'Ángel Ibáñez,ai@example.es,', 'Lucía Peña,lp@example.es,Trastero 8 m³']],
    // Second review: "¾in" opened a word in small letters, as "Łukasz" does, and counted twice.
    ['a fraction before its unit', ['Name,Email,Notes', 'Guðrún Jónsdóttir,g@example.is,Pipe ¾in', 'Fábio Guimarães,f@example.pt,', 'Zoë de Boer,z@example.nl,']],
    // Second review: a no-break space ending names pasted from a web page (0xA0) read as code page 850's "á" ("John Smithá").
    ['no-break spaces after names pasted from a web page', ['Name,Email', 'John Smith\u00a0,js@example.com', 'Mary Jones\u00a0,mj@example.com', 'Pietro Fabbrì,pf@example.com', 'Ann Lee\u00a0,al@example.com']],
    ['Spanish notes opening questions', ['Nombre,Correo,Notas', 'Iñaki Muñoz,inaki@example.es,¿Llave extra?', 'María Núñez,maria@example.es,¿Baja en julio?', 'José Peña,jose@example.es,', 'Begoña Ibáñez,begona@example.es,¿Sí?']],
  ])('Western European text with %s is still Windows-1252', async (_name, rows) => {
    const source = await openTable(file(iconv.encode(csv(rows), 'windows-1252')));
    expect(source.info.encoding).toBe('windows-1252');
    expect((await all(source)).map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(',')));
  });

  it.each([['Name,Email', '엄 표,eom@example.kr'], ['Name,Email', '어 수빈,eo@example.kr', '태 형,tae@example.kr']])('a 1–2-row Korean file (%j…) is not read as Windows-1250', async (...rows) => {
    // Refused as too short to tell Korean from Chinese (as before), or read as Korean: never Windows-1250.
    const encoding = await openTable(file(iconv.encode(csv(rows), 'cp949'))).then(
      (source) => source.info.encoding,
      (error: unknown) => (error as {code?: string}).code,
    );
    expect(['input_unreadable', 'Korean (euc-kr)']).toContain(encoding);
  });

  it('GBK with given names from the second level of GB2312 (梓 涵 萱 轩 睿): Chinese, not Cyrillic', async () => {
    const names = ['王梓涵', '李欣怡', '张子轩', '刘雨萱', '陈浩然', '杨诗涵', '黄睿', '赵婷', '吴皓轩', '周琪'];
    for (const header of ['姓名,邮箱', 'Name,Email']) {
      const source = await openTable(file(iconv.encode(csv([header, ...names.map((n, i) => `${n},p${i}@x.cn`)]), 'gbk')));
      expect(source.info.encoding).toBe('simplified Chinese (gbk)');
      expect((await all(source)).map((r) => r.cells[0])).toEqual(names);
    }
  });

  it('a short Big5 file, whose second bytes are often ASCII letters, is still Big5', async () => {
    const rows = ['姓名,電子郵件', '陳志明,a@x.tw', '林美玲,b@x.tw', '張偉,c@x.tw', '王淑芬,d@x.tw', '李家豪,e@x.tw'];
    const source = await openTable(file(iconv.encode(csv(rows), 'big5')));
    expect(source.info.encoding).toBe('traditional Chinese (big5)');
  });

  it('three short names that read as Korean and as Chinese alike are refused, naming both encodings, not guessed', async () => {
    const error = await openError(file(iconv.encode(csv(['Name,Email', '李白,a@x.cn', '陈红,b@x.cn', '黄海,c@x.cn']), 'gbk')));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toMatch(/ is not UTF-8: its text reads as Korean \(euc-kr\) or as simplified Chinese \(gbk\), and there is too little of it to tell which\./);
    expect(error.hint).toBe('Pass --encoding euc-kr (or --encoding gbk), or save the file as "CSV UTF-8" (Excel: File > Save As).');
  });

  it('finds the code page from a sample deep in a long file (its first megabyte plain ASCII)', async () => {
    const filler = 'Someone,someone@example.com\r\n'.repeat(40_000);
    const source = await openTable(file(iconv.encode(`Name,Email\r\n${filler}张伟,zhang.wei@example.cn\r\n王芳,wang.fang@example.cn\r\n`, 'gbk')));
    expect(source.info.encoding).toBe('simplified Chinese (gbk)');
    const read = await all(source);
    expect(read.at(-1)?.cells).toEqual(['王芳', 'wang.fang@example.cn']);
  });

  it.each([
    ['German', 'Name;E-Mail\r\nMüller, Jürgen;jm@x.de\r\nGroß;g@x.de\r\nÖzdemir Çağla;o@x.de\r\n'],
    ['French', 'Nom,Email\r\nHélène Lefèvre,h@x.fr\r\nFrançois Gaëtan,f@x.fr\r\nÉloïse Bérénice,e@x.fr\r\n'],
    ['Portuguese', 'Nome,Email\r\nConceição Gonçalves,c@x.pt\r\nJoão Simões,j@x.pt\r\nAntónio Sebastião,a@x.pt\r\n'],
    ['Nordic', 'Navn,Email\r\nSøren Ærø,s@x.dk\r\nÅsa Öberg,a@x.se\r\nBjørn Østergård,b@x.no\r\n'],
  ])('%s text in Windows-1252 stays Windows-1252', async (_name, text) => {
    const source = await openTable(file(iconv.encode(text, 'windows-1252')));
    expect(source.info.encoding).toBe('windows-1252');
  });

  it('refuses text in a code page it cannot tell (Greek), rather than garble the names, and names --encoding', async () => {
    const path = file(iconv.encode('Name,Email\r\nΓιώργος Παπαδόπουλος,g@x.gr\r\nΜαρία Κωνσταντίνου,m@x.gr\r\n', 'windows-1253'));
    const error = await openError(path);
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toContain('names would be garbled');
    expect(error.hint).toContain('windows-1253 (Greek)');
  });

  // Read as Cyrillic (windows-1251), the names went to Seam garbled: "נועה לוי" as "ретд мей",
  // "Νίκος Γεωργίου" as "НЯкпт ГещсгЯпх"; "محمد أحمد" was read as simplified Chinese ("阃阆 猛阆").
  it.each([
    ['Hebrew, two rows', 'windows-1255', ['Employee ID,Name,Email,Mobile', 'I1,נועה לוי,noa@example.co.il,+972 52-555-0101', 'I2,דוד כהן,david@example.co.il,+972 54-555-0102']],
    ['Hebrew, one row', 'windows-1255', ['Name,Email', 'שרה אברהם,sara@example.co.il']],
    ['Greek, one row', 'windows-1253', ['Name,Email', 'Νίκος Γεωργίου,nikos@example.gr']],
    ['Greek, one row without an accented capital', 'windows-1253', ['Name,Email', 'Γιώργος Παπαδόπουλος,g@example.gr']],
    ['Arabic, one row', 'windows-1256', ['Name,Email', 'علي حسين,ali@example.com']],
    ['Arabic, one row that reads as GBK', 'windows-1256', ['Name,Email', 'محمد أحمد,m@example.com']],
  ])('%s (%s) is refused, not read as Cyrillic or Chinese, and the hint names its --encoding', async (_name, encoding, rows) => {
    const error = await openError(file(iconv.encode(csv(rows), encoding)));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toContain('names would be garbled');
    expect(error.hint).toContain(`${encoding} (`);
  });

  it('a mostly English file with two Hebrew names (windows-1255) is refused, not read as Cyrillic', async () => {
    const english = Array.from({length: 40}, (_, i) => `E${i},John Smith ${i},john${i}@example.com,+1 555 01${String(i).padStart(2, '0')}`);
    const rows = ['Employee ID,Name,Email,Mobile', ...english, 'I1,נועה לוי,noa@example.co.il,+972 52-555-0101', 'I2,יוסי מזרחי,yossi@example.co.il,+972 54-555-0102'];
    const error = await openError(file(iconv.encode(csv(rows), 'windows-1255')));
    expect(error.code).toBe('input_unreadable');
    expect(error.hint).toContain('windows-1255 (Hebrew)');
  });

  it.each([
    ['one Russian row', ['Имя,Фамилия', 'Ольга,Морозова']],
    ['Bulgarian', ['Name,Email', 'Йордан Кънчев,y@example.bg', 'Цветан Тодоров,c@example.bg']],
    ['Serbian', ['Name,Email', 'Николић Јелена,j@example.rs', 'Петровић Милица,m@example.rs']],
    ['Russian job titles and departments in small letters', ['ФИО,Должность,Отдел', 'Иванов Иван Иванович,менеджер по продажам,отдел продаж', 'Петрова Анна,главный бухгалтер,бухгалтерия']],
  ])('short Cyrillic text (%s) is still read as Cyrillic', async (_name, rows) => {
    const source = await openTable(file(iconv.encode(csv(rows), 'windows-1251')));
    expect(source.info.encoding).toBe('Cyrillic (windows-1251)');
    expect((await all(source)).map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(',')));
  });

  // Read as Windows-1252 without a word: "Yýlmaz", "Aðaoðlu", "Ðarûnas Þukauskas", "Jânis Bçrziòð".
  describe('Turkish (windows-1254) and Baltic (windows-1257), whose letters fall on Windows-1252\'s Icelandic ones', () => {
    it.each([
      ['Turkish', 'windows-1254', ['Sicil No,Ad,Soyad,E-posta,Cep Telefonu', '1,Özlem,Yılmaz,ozlem@firma.com.tr,0532 123 45 67', '2,Şükrü,Çelik,sukru@firma.com.tr,0533 222 33 44', '3,Ayşegül,Ağaoğlu,aysegul@firma.com.tr,0534 111 22 33']],
      ['Turkish, no .tr address', 'windows-1254', ['Name,Email', 'Özlem Yılmaz,ozlem@example.com', 'İsmail Doğan,ismail@example.com']],
      ['Lithuanian and Latvian', 'windows-1257', ['Name,Email', 'Šarūnas Žukauskas,sarunas@example.com', 'Jānis Bērziņš,janis@example.com']],
      ['Lithuanian, one row', 'windows-1257', ['Name,Email', 'Aušra Petrauskaitė,ausra@example.com']],
      ['Latvian', 'windows-1257', ['Vārds,E-pasts', 'Andris Ozoliņš,andris@example.lv', 'Līga Krūmiņa,liga@example.lv']],
      // ģ reads as ì in Windows-1252, as Czech ě does: not taken for Windows-1250.
      ['Latvian with ģ', 'windows-1257', ['Name,Email', 'Ģirts Bērziņš,girts@example.com', 'Reģīna Šmite,regina@example.com']],
    ])('%s is read as %s, names intact', async (_name, encoding, rows) => {
      const source = await openTable(file(iconv.encode(csv(rows), encoding)));
      expect(source.info.encoding).toBe(encoding);
      expect(source.headers).toEqual(rows[0]!.split(','));
      expect((await all(source)).map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(',')));
    });

    it('a name that reads as Western, Turkish and Baltic alike is refused, each reading and its --encoding named', async () => {
      const error = await openError(file(iconv.encode(csv(['Name,Email', 'Ahmet Doğan,ahmet@example.com']), 'windows-1254')));
      expect(error.code).toBe('input_unreadable');
      expect(error.message).toMatch(/ is not UTF-8, and its letters read as Western European \(windows-1252: "Doðan"\), Turkish \(windows-1254: "Doğan"\) or Baltic \(windows-1257: "Došan"\) alike: nothing in the file tells which\. Guessed wrong, the names would be garbled\.$/);
      expect(error.hint).toBe('Pass the --encoding that reads the names right: --encoding windows-1252, --encoding windows-1254 or --encoding windows-1257; or save the file as "CSV UTF-8" (Excel: File > Save As).');
    });

    it('Czech names that none of the three readings fits are refused with windows-1250 named too', async () => {
      const error = await openError(file(iconv.encode(csv(['Name,Email', 'Jana Nováková,jana@firma.cz', 'Petr Černý,petr@firma.cz', 'Jan Malý,jan@firma.cz']), 'windows-1250')));
      expect(error.code).toBe('input_unreadable');
      expect(error.hint).toBe(
        'Pass the --encoding that reads the names right: --encoding windows-1252, --encoding windows-1254, --encoding windows-1257 or --encoding windows-1250 (Czech, Slovak, Hungarian); or save the file as "CSV UTF-8" (Excel: File > Save As).',
      );
    });

    it('the same name with a .com.tr address is read as Turkish', async () => {
      const source = await openTable(file(iconv.encode(csv(['Name,Email', 'Ahmet Doğan,ahmet@firma.com.tr']), 'windows-1254')));
      expect(source.info.encoding).toBe('windows-1254');
      expect((await all(source))[0]?.cells).toEqual(['Ahmet Doğan', 'ahmet@firma.com.tr']);
    });

    it.each([
      ['Icelandic names', ['Name,Email', 'Guðrún Þórsdóttir,gudrun@example.com', 'Sigurður Jónsson,sigurdur@example.com', 'Eyþór Arnalds,eythor@example.com']],
      ['one Icelandic name', ['Name,Email', 'Sigurður Sigurðsson,s@example.com']],
      ['Icelandic among Western names', ['Name,Email', 'Jürgen Müller,j@example.de', 'Davíð Oddsson,d@example.com', 'Søren Ærø,s@example.dk', 'Iñaki Muñoz,i@example.es']],
      ['Czech and Slovak names with ý', ['Name,Email', 'Petr Novotný,petr@example.cz', 'Ján Suchý,jan@example.sk', 'Hélène Lefèvre,h@example.fr']],
      ['Western names with æ ø å ö ü é ñ', ['Name,Email', 'Bjørn Østergård,b@example.no', 'Åsa Öberg,a@example.se', 'Zoë Brontë,z@example.co.uk', 'José Peña,j@example.es', 'Ærø Jensen,ae@example.dk']],
    ])('%s in Windows-1252 stay Windows-1252, with no refusal', async (_name, rows) => {
      const source = await openTable(file(iconv.encode(csv(rows), 'windows-1252')));
      expect(source.info.encoding).toBe('windows-1252');
      expect((await all(source)).map((row) => row.cells)).toEqual(rows.slice(1).map((row) => row.split(',')));
    });
  });

  it('Mac Roman French stays Mac Roman: its "’é" (D5 8E) is well-formed UTF-8, but for an Armenian letter', async () => {
    const notes = 'l’équipe d’étage et d’été; d’éclairage';
    const text = `Name,Email,Notes\rHélène Dupont,h@x.fr,${notes}\rMarc Petit,m@x.fr,${notes}\rJosé Brûlé,j@x.fr,${notes}\r`;
    const source = await openTable(file(iconv.encode(text, 'macintosh')));
    expect(source.info.encoding).toBe('mac-roman');
    expect((await all(source)).map((r) => [r.cells[0], r.cells[2]])).toEqual([
      ['Hélène Dupont', notes],
      ['Marc Petit', notes],
      ['José Brûlé', notes],
    ]);
  });

  it('a Windows-1252 file with a line pasted from a UTF-8 source: that line is read as UTF-8, the others as Windows-1252', async () => {
    const path = file(
      Buffer.concat([
        iconv.encode('Name,Email\r\nJosé García,jose@example.com\r\nJürgen Müller,j@example.com\r\n', 'windows-1252'),
        Buffer.from('Zoë Ångström-Núñez,zoe@example.com\r\n', 'utf8'),
        iconv.encode('Hélène Lefèvre,h@example.com\r\n', 'windows-1252'),
      ]),
    );
    const source = await openTable(path);
    expect(source.info.encoding).toBe('windows-1252');
    expect((await all(source)).map((r) => r.cells[0])).toEqual(['José García', 'Jürgen Müller', 'Zoë Ångström-Núñez', 'Hélène Lefèvre']);
  });

  it('a line from another program past the first megabyte of UTF-8 still leaves the file UTF-8', async () => {
    // The first megabyte holds the accents; the next one, where the stray line is, only ASCII.
    const rows = `${'José Núñez,jose@example.com\r\n'.repeat(32_000)}${'Ann Lee,ann@example.com\r\n'.repeat(3000)}`;
    const path = file(Buffer.concat([Buffer.from(`Name,Email\r\n${rows}`, 'utf8'), iconv.encode('Jürgen Müller,j@example.com\r\n', 'windows-1252')]));
    const source = await openTable(path);
    expect(source.info).toMatchObject({encoding: 'utf-8', damagedUtf8: true});
    const read = await all(source);
    expect(read[0]?.cells[0]).toBe('José Núñez');
    expect(read.at(-1)?.cells[0]).toBe('J\uFFFDrgen M\uFFFDller');
  });

  it('--encoding utf-8 on a UTF-16 file ("Unicode Text") says what the file is, not that it is binary', async () => {
    const path = file(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('Name\tEmail\r\nAda\ta@x.com\r\n', 'utf-16le')]), '.txt');
    await expect(openTable(path, {encoding: 'utf-8'})).rejects.toMatchObject({
      code: 'usage',
      message: `${basename(path)} is UTF-16 (Excel's "Unicode Text"), not utf-8.`,
      hint: 'Leave out --encoding (the file says what it is), or pass --encoding utf-16le.',
    });
  });

  it('reads a file in the encoding --encoding names', async () => {
    const source = await openTable(file(iconv.encode('Name,Email\r\nΓιώργος Παπαδόπουλος,g@x.gr\r\n', 'windows-1253')), {encoding: 'windows-1253'});
    expect(source.info.encoding).toBe('windows-1253');
    expect((await all(source))[0]?.cells).toEqual(['Γιώργος Παπαδόπουλος', 'g@x.gr']);
  });

  // A wrong --encoding was obeyed without a word: "Zoë" went to Seam as "ZoÃ«".
  it('--encoding naming an 8-bit encoding for a file that is UTF-8 through and through: obeyed, with a word of it both ways', async () => {
    const path = file(Buffer.from('Name,Email\r\nAda Lee,ada@x.com\r\nZoë Brontë,zoe@x.com\r\n', 'utf8'));
    const source = await openTable(path, {encoding: 'latin1'});
    expect(source.info.encoding).toBe('latin1');
    expect(source.info.utf8UnderNamed).toEqual({utf8: 'Zoë', named: 'ZoÃ«'});
    expect((await all(source))[1]?.cells[0]).toBe('ZoÃ« BrontÃ«');
  });

  // Windows-1252 reads a UTF-8 line as UTF-8; under "cp1252" (one of its names) it did not.
  it('--encoding windows-1252 under any of its names reads the UTF-8 lines of a file as UTF-8, and says nothing', async () => {
    for (const name of ['windows-1252', 'cp1252', 'win1252']) {
      const path = file(Buffer.concat([Buffer.from('Name,Email\r\nZoë Brontë,zoe@x.com\r\n', 'utf8'), iconv.encode('Jürgen Müller,j@x.com\r\n', 'windows-1252')]));
      const source = await openTable(path, {encoding: name});
      expect(source.info.utf8UnderNamed).toBeUndefined();
      expect((await all(source)).map((r) => r.cells[0])).toEqual(['Zoë Brontë', 'Jürgen Müller']);
    }
  });

  it('no such word for a file that is what --encoding says, nor for one with no letter beyond ASCII', async () => {
    const greek = await openTable(file(iconv.encode('Name,Email\r\nΓιώργος Παπαδόπουλος,g@x.gr\r\n', 'windows-1253')), {encoding: 'windows-1253'});
    expect(greek.info.utf8UnderNamed).toBeUndefined();
    const ascii = await openTable(file(Buffer.from('Name,Email\r\nAda Lee,ada@x.com\r\n')), {encoding: 'windows-1252'});
    expect(ascii.info.utf8UnderNamed).toBeUndefined();
  });
});

describe('more broken files', () => {
  it('binary content', async () => {
    const error = await openError(file(Buffer.from([0x4e, 0x61, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x41])));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toContain('not a text file');
  });

  // A damaged export with one NUL byte in it was refused "near byte 69776" (a big file) or with
  // no place at all (a small one): the line is what a person can find in an editor.
  it.each([
    ['a small file', 10, 4, '\n'],
    ['a file over a megabyte (read in pieces)', 40_000, 30_001, '\n'],
    ['CRLF lines', 40_000, 30_001, '\r\n'],
    ['CR lines', 10, 4, '\r'],
  ])('a NUL byte in %s is refused naming its line', async (_, rows, nulLine, eol) => {
    const lines = ['Name,Email'];
    for (let i = 1; i <= rows; i++) lines.push(`Person ${i},person${i}@example.com`);
    lines[nulLine - 1] = 'Bad\u0000Name,bad@example.com';
    const error = await openError(file(lines.join(eol) + eol));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toMatch(new RegExp(`contains NUL bytes, the first on line ${nulLine.toLocaleString('en-US')}, at byte [\\d,]+\\)`));
  });

  // `gzip -k people.csv` gives people.csv.gz; it was reported as "not a text file (it contains
  // NUL bytes)" with advice to open it in Excel.
  it('a gzip-compressed CSV says it is compressed and how to unpack it, whatever its name', async () => {
    const gz = gzipSync('Name,Email\nAda,ada@x.com\n');
    const packed = file(gz, '.csv.gz');
    const error = await openError(packed);
    expect(error.code).toBe('input_unreadable');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${basename(packed)} is a compressed (gzip) file, not a spreadsheet.`);
    expect(error.hint).toBe(`Unpack it first (e.g. gunzip -k ${basename(packed)}) and import the file inside, ${basename(packed, '.gz')}.`);

    const renamed = file(gz, '.csv');
    const again = await openError(renamed);
    expect(again.message).toBe(`${basename(renamed)} is a compressed (gzip) file, not a spreadsheet.`);
    expect(again.hint).toBe(`Unpack it first (e.g. gunzip -c ${basename(renamed)} > unpacked-${basename(renamed)}) and import the unpacked file.`);
  });

  // Read as CSV, a JSON file's first object became the header, and the hint offered
  // --map email_address="{"email":"ann@example.com"".
  it.each([
    ['JSON lines', '{"email":"ann@example.com","name":"Ann"}\n{"email":"bo@example.com","name":"Bo"}\n', '.jsonl', 'is JSON, not CSV or .xlsx.'],
    ['a JSON array', '[\n  {"email": "ann@example.com"}\n]\n', '.csv', 'is JSON, not CSV or .xlsx.'],
    ['a run record', '{"type":"run","version":4,"input":"/x/people.csv"}\n{"type":"send","row":1,"attempt":1}\n', '.jsonl', 'is the run record of an import (the .journal.jsonl beside its results file), not a spreadsheet.'],
  ])('%s says what it is', async (_what, content, ext, said) => {
    const path = file(content, ext);
    const error = await openError(path);
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toBe(`${basename(path)} ${said}`);
  });

  it("Excel's lock file beside an open workbook (~$people.xlsx) names the workbook to import", async () => {
    const path = join(dir, '~$people.xlsx');
    writeFileSync(path, Buffer.concat([Buffer.from([0x0a]), Buffer.from('Jane Doe'), Buffer.alloc(150, 0x20)]));
    const error = await openError(path);
    expect(error.message).toBe('~$people.xlsx is the lock file Excel keeps beside people.xlsx while that file is open, not the spreadsheet itself.');
    expect(error.hint).toBe('Import people.xlsx (the part after "~$"; save it in Excel first if it is being edited).');
  });

  it('an old .xls workbook', async () => {
    const error = await openError(file(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), '.xls'));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toContain('Excel 97-2003');
    expect(error.hint).toContain('.xlsx');
  });

  it('an .xlsx with a password to open (stored encrypted, in the .xls container) is named as such, not as an old .xls', async () => {
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024), Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(64), Buffer.from('EncryptedPackage', 'utf16le')]);
    const error = await openError(file(cfb, '.xlsx'));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toBe(`${basename(error.message.split(' ')[0]!)} is a workbook protected by a password to open, which seam-import cannot read.`);
    expect(error.hint).toContain('remove the password');
  });

  it('an OpenDocument spreadsheet (.ods) is named as such', async () => {
    const mimetype = 'application/vnd.oasis.opendocument.spreadsheet';
    const header = Buffer.alloc(30);
    header.write('PK\x03\x04', 0, 'latin1');
    header.writeUInt16LE(8, 26);
    const ods = Buffer.concat([header, Buffer.from(`mimetype${mimetype}PK\x03\x04`, 'latin1'), Buffer.alloc(200)]);
    const error = await openError(file(ods, '.ods'));
    expect(error.code).toBe('input_unreadable');
    expect(error.message).toMatch(/ is an OpenDocument spreadsheet \(\.ods, LibreOffice Calc\), which seam-import cannot read\.$/);
    expect(error.hint).toContain('save it as .xlsx');
  });

  it('an HTML page saved as .xls', async () => {
    expect((await openError(file('<html><table><tr><td>x</td></tr></table></html>', '.xls'))).code).toBe('input_unreadable');
  });

  it('keeps a quote inside an unquoted value as text, as Excel shows it', async () => {
    const rows = await all(await openTable(file('Name,Email\nA,a@x.com\nBob "B" Smith,b@x.com\n"C" D,c@x.com\n')));
    expect(rows.map((r) => r.cells[0])).toEqual(['A', 'Bob "B" Smith', '"C" D']);
  });

  it('a field of megabytes makes its row malformed and reading goes on', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const rows = await all(await openTable(file(`Name,Notes,Email\nA,"${big}",a@x.com\nB,short,b@x.com\n`)));
    expect(rows).toHaveLength(2);
    expect(rows[0]?.problem?.code).toBe('malformed_row');
    expect(rows[0]?.problem?.message).toContain('column "Notes" is 3.0 MB long');
    expect(rows[0]?.cells[1]?.length).toBeLessThan(2000);
    expect(rows[0]?.cells[2]).toBe('a@x.com');
    expect(rows[1]).toEqual({index: 2, line: 3, lines: 1, cells: ['B', 'short', 'b@x.com']});
  });
});

describe('quote problems name the right line', () => {
  it.each([
    ['unclosed after quoted CRLFs', 'Name,Notes\r\nA,"x\r\ny\r\nz"\r\nB,"open\r\nC,c\r\nD,d\r\n', 'line 5', 'never closed'],
    ['unclosed late in a long file', `Name,Email\n${'A,a@x.com\n'.repeat(5000)}"B,b@x.com\nC,c@x.com\n`, 'line 5002', 'never closed'],
    ['after stray quotes that are text', `\uFEFF"Name",Email\nBob "B" Smith,b@x.com\n"A" B,a@x.com\n${'A,a@x.com\n'.repeat(5000)}"Z,z@x.com\n`, 'line 5004', 'never closed'],
  ])('%s', async (_name, content, line, words) => {
    const error = await openError(file(content));
    expect(error.code).toBe('input_malformed');
    expect(error.message).toContain(line);
    expect(error.message).toContain(words);
  });
});

describe('cancelling', () => {
  it('stops reading when the signal aborts', async () => {
    const source = await openTable(file(`Email\n${'a@x.com\n'.repeat(50_000)}`));
    const controller = new AbortController();
    let seen = 0;
    await expect(async () => {
      for await (const _row of source.rows(controller.signal)) {
        if (++seen === 10) controller.abort(new Error('stop'));
      }
    }).rejects.toThrow('stop');
    expect(seen).toBe(10);
  });

  it('a consumer that stops early leaves nothing running', async () => {
    const source = await openTable(file(`Email\n${'a@x.com\n'.repeat(50_000)}`));
    for await (const row of source.rows()) {
      expect(row.index).toBe(1);
      break;
    }
    expect((await all(source)).length).toBe(50_000);
  });
});

describe('a byte order mark read in the wrong encoding and saved (LibreOffice re-saving a results file)', () => {
  it('is not part of the first header', async () => {
    const source = await openTable(file('\u00EF\u00BB\u00BFResident ID,Email\nR-1,a@x.com\n'));
    expect(source.headers).toEqual(['Resident ID', 'Email']);
    expect(mapColumns(source.headers).fields.user_identity_key).toBe(0);
  });
});

describe('title rows above the header', () => {
  const importable = (headers: string[]): boolean => canMap(headers);

  it('finds the header under a title and a date; rows and lines count from the file', async () => {
    const source = await openTable(file('Resident list - Building A\nExported 2026-11-01\n\nFirst Name,Last Name,Email,Mobile\nAda,Lovelace,ada@x.com,617-555-0101\n\nGrace,Hopper,grace@x.com,\n'), {isHeader: importable});
    expect(source.headers).toEqual(['First Name', 'Last Name', 'Email', 'Mobile']);
    expect(source.info.aboveHeader).toEqual({line: 4, rows: [['Resident list - Building A'], ['Exported 2026-11-01']]});
    expect(await all(source)).toEqual([
      {index: 1, line: 5, lines: 1, cells: ['Ada', 'Lovelace', 'ada@x.com', '617-555-0101']},
      {index: 3, line: 7, lines: 1, cells: ['Grace', 'Hopper', 'grace@x.com', '']},
    ]);
  });

  it("finds the header under a report's 12 lines of titles and notes (it stopped looking after 9)", async () => {
    const titles = Array.from({length: 12}, (_, i) => `Tower B occupancy report, note ${i + 1}`).join('\n');
    const source = await openTable(file(`${titles}\nName,Email,Phone\nAda Lovelace,ada@x.com,617-555-0101\n`), {isHeader: importable});
    expect(source.headers).toEqual(['Name', 'Email', 'Phone']);
    expect(source.info.aboveHeader?.line).toBe(13);
    expect((await all(source)).map((r) => r.cells)).toEqual([['Ada Lovelace', 'ada@x.com', '617-555-0101']]);
  });

  it('a semicolon header under a title with a comma: the semicolon is still the delimiter', async () => {
    const source = await openTable(file('Mieterliste Haus A, Stand 2026\nVorname;Nachname;E-Mail\nAda;Lovelace;ada@x.de\nGrace;Hopper;grace@x.de\n'), {isHeader: importable});
    expect(source.info.delimiter).toBe(';');
    expect(source.headers).toEqual(['Vorname', 'Nachname', 'E-Mail']);
    expect(source.info.aboveHeader?.rows).toEqual([['Mieterliste Haus A, Stand 2026']]);
    expect((await all(source)).map((r) => r.cells)).toEqual([
      ['Ada', 'Lovelace', 'ada@x.de'],
      ['Grace', 'Hopper', 'grace@x.de'],
    ]);
  });

  it('a header named by --map is found under a title too', async () => {
    const source = await openTable(file('Staff\nWho,Contact\nAda,ada@x.com\n'), {isHeader: (h) => canMap(h, {email_address: 'Contact'})});
    expect(source.headers).toEqual(['Who', 'Contact']);
    expect(source.info.aboveHeader?.line).toBe(2);
  });

  it('a first row that maps is the header, whatever is below it', async () => {
    const source = await openTable(file('Email,Note\nName,Email\na@x.com,hi\n'), {isHeader: importable});
    expect(source.headers).toEqual(['Email', 'Note']);
    expect(source.info.aboveHeader).toBeUndefined();
  });

  it('no importable header in the first rows: the first non-blank row stays the header, nothing is left out', async () => {
    const lines = ['Title', ...Array.from({length: 30}, (_, i) => `x${i},y${i}`), 'Name,Email', 'Ada,ada@x.com'];
    const source = await openTable(file(`${lines.join('\n')}\n`), {isHeader: importable});
    expect(source.headers).toEqual(['Title']);
    expect(source.info.aboveHeader).toBeUndefined();
    expect(() => mapColumns(source.headers)).toThrow('No column holds an email address or a phone number');
  });

  it('a data row is never taken for the header, even with a cell that reads "Mobile" (a Gmail export)', async () => {
    const gmail = [
      'Name,Given Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value',
      'Ada Lovelace,Ada,* Home,ada@x.com,Mobile,+1 617-555-0101',
      'Grace Hopper,Grace,* Work,grace@x.com,Mobile,+1 617-555-0102',
    ];
    const source = await openTable(file(`${gmail.join('\n')}\n`), {isHeader: importable});
    expect(source.headers[0]).toBe('Name');
    expect(source.info.aboveHeader).toBeUndefined();
    // Under a title too: the real header is as wide as the data, so nothing below it is taken.
    const titled = await openTable(file(`Contacts\n${gmail.join('\n')}\n`), {isHeader: importable});
    expect(titled.headers).toEqual(['Contacts']);
  });

  it('a title as wide as the header is left out too; one wider than the header is not', async () => {
    const source = await openTable(file('Resident Roster,Building A,Printed 11/01/2026\nName,Email,Phone\nAda,ada@x.com,617-555-0101\n'), {isHeader: importable});
    expect(source.headers).toEqual(['Name', 'Email', 'Phone']);
    expect(source.info.aboveHeader?.rows).toEqual([['Resident Roster', 'Building A', 'Printed 11/01/2026']]);
    const wider = await openTable(file('Residents,Building A,2026,Draft\nName,Email,Phone\nAda,ada@x.com,617-555-0101\n'), {isHeader: importable});
    expect(wider.headers).toEqual(['Residents', 'Building A', '2026', 'Draft']);
  });

  it('a header in two rows (group names above, the grouped columns below) is read as one', async () => {
    const source = await openTable(file('Resident Directory\nName,Contact,,Unit\n,Email,Phone,\nAda,ada@x.com,617-555-0101,4B\n'), {isHeader: importable});
    expect(source.headers).toEqual(['Name', 'Email', 'Phone', 'Unit']);
    expect(source.info.aboveHeader).toEqual({line: 3, rows: [['Resident Directory']]});
    expect(await all(source)).toEqual([{index: 1, line: 4, lines: 1, cells: ['Ada', 'ada@x.com', '617-555-0101', '4B']}]);
  });

  // Group names over repeated names (",Home,,Work," over "Name,Email,Phone,Email,Phone") are not
  // joined to them: a results file (one header row) fed back would map its columns otherwise and
  // lose its ids, and a title above a header is not a group. The first Email and Phone are read.
  it('names that repeat under group names stay as the header row gives them; the first of each is read', async () => {
    const source = await openTable(file(',Home,,Work,\nName,Email,Phone,Email,Phone\nBo Li,bo@home.example,617-555-0100,bo@work.example,617-555-0101\n'), {isHeader: importable});
    expect(source.headers).toEqual(['Name', 'Email', 'Phone', 'Email', 'Phone']);
    const mapped = await mapSourceColumns(source, {}, undefined);
    expect([mapped.fields.email_address, mapped.fields.phone_number]).toEqual([1, 2]);
  });

  it('without isHeader, the first non-blank row is the header', async () => {
    const source = await openTable(file('Resident list\nName,Email\nAda,ada@x.com\n'));
    expect(source.headers).toEqual(['Resident list']);
  });
});

describe('rows a read at a time (rowBatches)', () => {
  // The passes over every row take a text file's rows a 64 KiB read at a time; rows() gives them
  // one by one. Both must be the same rows, numbered alike, on plain text and past the point where
  // csv-parse takes over (a quote left open).
  function bigFile(strayAt: number | undefined): string {
    const lines = ['Resident list, exported 2026-11-29', '', 'Name,Email,Notes'];
    for (let i = 1; i <= 6000; i += 1) {
      if (i % 997 === 0) lines.push('');
      const notes = i % 250 === 0 ? `"line one\r\nline two, ${i}"` : i === strayAt ? 'a "quoted" word' : `note ${i}`;
      lines.push(`Person ${i},p${i}@example.com,${notes}`);
    }
    if (strayAt !== undefined) lines.push('"Bob" Smith,bob@example.com,after the stray quote');
    return file(`${lines.join('\r\n')}\r\n`);
  }

  it.each([
    ['plain throughout', undefined],
    ['csv-parse from a record near the end', 5800],
  ])('gives the same rows as rows(), %s', async (_, strayAt) => {
    const path = bigFile(strayAt);
    const isHeader = (headers: string[]) => canMap(headers);
    const one = await all(await openTable(path, {isHeader}));
    const source = await openTable(path, {isHeader});
    const batches: RawRow[][] = [];
    for await (const batch of source.rowBatches!()) batches.push(batch);
    expect(batches.flat()).toEqual(one);
    expect(one.length).toBe(6000 + (strayAt === undefined ? 0 : 1));
    expect(one[0]).toMatchObject({index: 1, line: 4, cells: ['Person 1', 'p1@example.com', 'note 1']});
    // Several reads, each of many rows (not a row a batch).
    expect(batches.length).toBeGreaterThan(3);
    expect(Math.max(...batches.map((batch) => batch.length))).toBeGreaterThan(500);
  });

  it('rows() stops at the row after Ctrl-C, not at the end of the read', async () => {
    const controller = new AbortController();
    const source = await openTable(bigFile(undefined), {isHeader: (headers) => canMap(headers)});
    const seen: number[] = [];
    const reading = (async () => {
      for await (const row of source.rows(controller.signal)) {
        seen.push(row.index);
        if (seen.length === 10) controller.abort(new Error('stopped'));
      }
    })();
    await expect(reading).rejects.toThrow('stopped');
    expect(seen).toHaveLength(10);
  });
});
