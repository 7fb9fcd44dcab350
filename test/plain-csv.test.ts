// The plain reader (src/engine/read/plain-csv.ts) against csv-parse with the importer's options:
// the same records wherever it reads, and csv-parse taking over exactly where it stops.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {parse} from 'csv-parse';
import {afterAll, describe, expect, it} from 'vitest';
import iconv from 'iconv-lite';
import {runImport} from '../src/engine/index.js';
import {cleanPeople, readResults, writeCsv} from './helpers/files.js';
import {NotPlain, PlainCsv} from '../src/engine/read/plain-csv.js';
import {openTable} from '../src/engine/read/index.js';
import {textRecords} from '../src/engine/read/text.js';
import {ImportError} from '../src/engine/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'seam-plain-csv-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

interface Reading {
  records: string[][];
  error?: string;
}

/** csv-parse as text.ts sets it up, over the whole input at once. */
function csvParse(input: string | Buffer, delimiter: string): Promise<Reading> {
  return new Promise((resolve) => {
    const records: string[][] = [];
    const parser = parse({
      bom: true,
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 32 * 1024 * 1024,
      record_delimiter: ['\r\n', '\n', '\r'],
    });
    parser.on('readable', () => {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) records.push(record);
    });
    parser.on('error', (error: Error & {code?: string}) => resolve({records, error: error.code ?? error.message}));
    parser.on('end', () => resolve({records}));
    parser.end(input);
  });
}

/** The plain reader fed `chunks` as text.ts feeds it (bytes through a UTF-8 decoder). */
function plainRead(chunks: (string | Buffer)[], delimiter: string): Reading & {notPlain: boolean; spanning: number[]} {
  const reader = new PlainCsv(delimiter);
  const utf8 = new StringDecoder('utf8');
  const records: string[][] = [];
  const spanning: number[] = [];
  try {
    for (const chunk of chunks) reader.feed(typeof chunk === 'string' ? chunk : utf8.write(chunk), false, records, spanning);
    reader.feed(chunks.some((chunk) => typeof chunk !== 'string') ? utf8.end() : '', true, records, spanning);
    return {records, notPlain: false, spanning};
  } catch (error) {
    if (error instanceof NotPlain) return {records, notPlain: true, spanning: spanning.filter((k) => k < records.length)};
    throw error;
  }
}

/** The places of the records with a line break in a cell. */
function spanningOf(records: string[][]): number[] {
  return records.flatMap((cells, k) => (cells.some((cell) => /[\r\n]/.test(cell)) ? [k] : []));
}

/** A seeded generator (the same cases on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Well-formed CSV most of the time; otherwise any mix of the characters that matter. */
function generated(rnd: () => number, delimiter: string): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  let text = rnd() < 0.1 ? '\uFEFF' : '';
  if (rnd() < 0.6) {
    const records = Math.floor(rnd() * 6);
    for (let r = 0; r < records; r++) {
      const fields = 1 + Math.floor(rnd() * 4);
      for (let f = 0; f < fields; f++) {
        if (f > 0) text += delimiter;
        const length = Math.floor(rnd() * 5);
        let value = '';
        if (rnd() < 0.4) {
          for (let k = 0; k < length; k++) value += pick(['a', 'é', '😀', delimiter, '\n', '\r\n', '\r', '""', ' ', ',', ';']);
          text += `"${value}"`;
        } else {
          for (let k = 0; k < length; k++) value += pick(['a', 'b', 'é', '😀', ' ', '\t', ',', ';', '\uFEFF'].filter((c) => c !== delimiter));
          text += value;
        }
      }
      if (r < records - 1 || rnd() < 0.5) text += pick(['\n', '\r\n', '\r']);
    }
  } else {
    const alphabet = pick([
      ['a', 'b', ',', '"', '\n', '\r', '\r\n', ' ', 'é', '😀', ';', '""', '\uFEFF', '\t'],
      ['ab', 'cd', ',', '"', '"x"', '\r\n', '\n', 'Zoë', ',""', '",'],
      ['x', ',', '"', '\n'],
    ]);
    const length = Math.floor(rnd() * 40);
    for (let k = 0; k < length; k++) text += pick(alphabet);
  }
  return text;
}

/** `whole` in pieces of 1 to 8 (bytes, or characters without splitting a surrogate pair). */
function pieces(rnd: () => number, whole: string | Buffer): (string | Buffer)[] {
  const chunks: (string | Buffer)[] = [];
  let at = 0;
  while (at < whole.length) {
    let step = 1 + Math.floor(rnd() * 8);
    if (typeof whole === 'string' && /[\uD800-\uDBFF]/.test(whole[at + step - 1] ?? '')) step++;
    chunks.push(whole.slice(at, at + step));
    at += step;
  }
  return chunks;
}

describe('the plain reader gives the records csv-parse gives', () => {
  it('on 3,000 generated texts, in pieces: the same records, or the same records up to where it hands over', async () => {
    const rnd = random(20261129);
    let plain = 0;
    let handedOver = 0;
    for (let i = 0; i < 3000; i++) {
      const delimiter = [',', ';', '\t'][i % 3]!;
      const text = generated(rnd, delimiter);
      const input = i % 2 === 0 ? Buffer.from(text) : text;
      const mine = plainRead(pieces(rnd, input), delimiter);
      const theirs = await csvParse(input, delimiter);
      const context = JSON.stringify({text, delimiter});
      if (!mine.notPlain) {
        plain++;
        expect(theirs.error, context).toBeUndefined();
        expect(mine.records, context).toEqual(theirs.records);
        expect(mine.spanning, context).toEqual(spanningOf(mine.records));
        continue;
      }
      handedOver++;
      let expected = theirs.records;
      if (theirs.error !== undefined) {
        // csv-parse drops the records it holds when it fails: its reading of the longest prefix it reads whole.
        for (let cut = text.length - 1; cut > 0; cut--) {
          const prefix = await csvParse(typeof input === 'string' ? text.slice(0, cut) : Buffer.from(text.slice(0, cut)), delimiter);
          if (prefix.error === undefined && prefix.records.length >= mine.records.length) {
            expected = prefix.records;
            break;
          }
        }
      }
      expect(mine.records, context).toEqual(expected.slice(0, mine.records.length));
      expect(mine.spanning, context).toEqual(spanningOf(mine.records));
    }
    // Both paths were exercised, many times.
    expect(plain).toBeGreaterThan(500);
    expect(handedOver).toBeGreaterThan(500);
  });

  it('reads what exports write without handing over: quoted cells with delimiters, doubled quotes, line breaks; CRLF split across pieces', () => {
    const text = '\uFEFFName,Notes\r\n"Doe, Jane","says ""hi""\r\nand bye"\r\nBob,\r\n,\r\n"",x\r\n';
    const mine = plainRead([...text], ',');
    expect(mine.notPlain).toBe(false);
    expect(mine.records).toEqual([['Name', 'Notes'], ['Doe, Jane', 'says "hi"\r\nand bye'], ['Bob', ''], ['', ''], ['', 'x']]);
    // Read a character at a time, the record with a line break is still known for one.
    expect(mine.spanning).toEqual([1]);
  });

  it('keeps a quote inside a value that does not start with one as text, as csv-parse does (relax_quotes)', () => {
    expect(plainRead(['a,b\nBob "Bobby" Smith,x\n5" pipe,"y"\n'], ',')).toEqual({records: [['a', 'b'], ['Bob "Bobby" Smith', 'x'], ['5" pipe', 'y']], notPlain: false, spanning: []});
  });

  it('hands over at text after a closing quote, a quote never closed, an undecodable byte', () => {
    expect(plainRead(['a,b\n"ab"c,x\n'], ',')).toEqual({records: [['a', 'b']], notPlain: true, spanning: []});
    expect(plainRead(['a,b\n"ab,x\n'], ',')).toEqual({records: [['a', 'b']], notPlain: true, spanning: []});
    expect(plainRead([Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xe9, 0x0a])], ',')).toEqual({records: [], notPlain: true, spanning: []});
    // Half a surrogate pair, as a damaged UTF-16 file decodes: csv-parse reads it as U+FFFD.
    expect(plainRead(['a,b\n\uD83Dx,y\n'], ',')).toEqual({records: [], notPlain: true, spanning: []});
  });

  it('hands over a record still unfinished after a megabyte (a quote never closed, in a big file)', () => {
    const reader = new PlainCsv(',');
    const records: string[][] = [];
    reader.feed('a,b\n"', false, records);
    expect(records).toEqual([['a', 'b']]);
    expect(() => reader.feed('x'.repeat(1024 * 1024), false, records)).toThrow(NotPlain);
  });
});

describe('a file read by both: plain up to text after a closing quote, csv-parse after it', () => {
  function file(content: string): string {
    const path = join(dir, `f${Math.floor(Math.random() * 1e9)}.csv`);
    writeFileSync(path, content);
    return path;
  }

  it('gives every record once, in order, with its line, as csv-parse alone would', async () => {
    // 5,000 rows (many 64 KiB pieces) with quoted line breaks and a stray quote before the
    // hand-over, so the line count carries over it; "Bob" Smith is kept as text (relax_quotes).
    let content = 'Name,Email,Notes\n';
    for (let i = 1; i <= 5000; i++) content += i % 1000 === 0 ? `P${i},p${i}@example.com,"two\nlines"\n` : `P${i},p${i}@example.com,\n`;
    content += 'Ann "Annie" Lee,ann@example.com,x\n"Bob" Smith,bob@example.com,x\n';
    for (let i = 5001; i <= 6000; i++) content += `P${i},p${i}@example.com,"a, b"\n`;
    content += 'P6001,p6001@example.com,"c\r\nd\re"\n';
    const path = file(content);
    const theirs = await csvParse(content, ',');
    const records: {cells: string[]; line: number; lines: number}[] = [];
    for await (const record of textRecords(path, {encoding: 'utf-8', delimiter: ',', sepLine: false})) records.push(record);
    expect(records.map((r) => r.cells)).toEqual(theirs.records);
    const bob = records.find((r) => r.cells[0] === '"Bob" Smith');
    expect(bob?.line).toBe(5000 + 5 + 3); // the header, 5,000 rows, five cells of two lines, Ann
    // The lines each record takes: two for the plain reader's five, three for csv-parse's last (CRLF is one break).
    expect(records.filter((r) => r.lines !== 1).map((r) => [r.cells[0], r.lines])).toEqual([['P1000', 2], ['P2000', 2], ['P3000', 2], ['P4000', 2], ['P5000', 2], ['P6001', 3]]);
    expect(records.at(-2)).toEqual({cells: ['P6000', 'p6000@example.com', 'a, b'], line: 5000 + 5 + 3 + 1000, lines: 1});
    expect(records.at(-1)).toEqual({cells: ['P6001', 'p6001@example.com', 'c\r\nd\re'], line: 5000 + 5 + 3 + 1001, lines: 3});
  });

  it('a quote never closed far into the file is refused naming its line, after the plain rows before it', async () => {
    let content = 'Name,Email\n';
    for (let i = 1; i <= 3000; i++) content += `P${i},p${i}@example.com\n`;
    content += '"Unclosed,x@example.com\n';
    for (let i = 1; i <= 10; i++) content += `Q${i},q${i}@example.com\n`;
    const source = await openTable(file(content));
    const error = await (async () => {
      try {
        for await (const _ of source.rows()) void _;
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toContain('opened on line 3002 is never closed');
  });
});

describe('what the plain reader met in other encodings, and the reads around it', () => {
  function file(content: string | Buffer, name = `g${Math.floor(Math.random() * 1e9)}.csv`): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }
  async function names(path: string): Promise<string[]> {
    const rows: string[] = [];
    for await (const row of (await openTable(path)).rows()) rows.push(row.cells[0]!);
    return rows;
  }
  /** UTF-16BE with a BOM, a row whose emoji starts 2 bytes before the 64 KiB read's end, and maybe text after a closing quote after it (csv-parse reads from there). */
  function utf16beWithSplitEmoji(handedOver: boolean): Buffer {
    let text = 'name,email\n';
    for (let i = 1; text.length < 32_500; i++) text += `P${i},p${i}@example.com\n`;
    // 2 bytes a character after the 2 of the BOM: the emoji's first half is bytes 65,534-65,535.
    text += `Zed ${'x'.repeat(32_766 - text.length - 4)}😀 Smith,zed@example.com\n`;
    text += `${handedOver ? '"Bob" Smith,bob@example.com\n' : ''}Amy,amy@example.com\n`;
    return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
  }

  // iconv-lite's UTF-16BE decoder ends a piece on the first half of a pair: csv-parse read the
  // emoji as two U+FFFD (the person refused as unreadable text), and the plain reader then handed over.
  it.each([false, true])('an emoji across a 64 KiB read of a UTF-16BE file reaches the row whole (csv-parse reading the file: %s)', async (handedOver) => {
    const content = utf16beWithSplitEmoji(handedOver);
    const at = content.indexOf(Buffer.from([0xd8, 0x3d]));
    expect(at).toBe(65_534);
    const zed = (await names(file(content))).find((name) => name.startsWith('Zed '));
    expect(zed?.endsWith('😀 Smith')).toBe(true);
  });

  it('half a UTF-16 pair in a UTF-16LE file reads as U+FFFD, as csv-parse read it (the row is then refused as unreadable text)', async () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('name,email\nAnn,ann@example.com\nBo', 'utf-16le'), Buffer.from([0x00, 0xd8]), iconv.encode('b,bob@example.com\n', 'utf-16le')]);
    expect(await names(file(content))).toEqual(['Ann', 'Bo\uFFFDb']);
  });

  // The reader named the line where its 64 KiB piece began, 2,100 lines before the NUL; in the
  // first 64 KiB of a BOM'd or UTF-16 file no line was named at all.
  it.each([
    ['UTF-8 with a BOM', 15_002, 'bytes', (text: string) => Buffer.from(`\uFEFF${text}`)],
    ['UTF-16LE', 15_002, 'characters', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
    ['UTF-8 with a BOM', 3, 'bytes', (text: string) => Buffer.from(`\uFEFF${text}`)],
    ['UTF-16BE', 3, 'characters', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
  ])('a NUL in a %s file is refused naming its line (%i)', async (_, nulAt, what, encode) => {
    const lines = ['Name,Email'];
    for (let i = 1; i <= 20_000; i++) lines.push(`Person ${i},person${i}@example.com`);
    lines[nulAt - 1] = 'Bad\u0000Name,bad@example.com';
    const path = file(encode(`${lines.join('\r\n')}\r\n`));
    const error = await (async () => {
      try {
        for await (const _ of (await openTable(path)).rows()) void _;
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({code: 'input_unreadable', message: expect.stringContaining(`is not a text file (it contains NUL ${what}, the first on line ${nulAt.toLocaleString('en-US')}`)});
  });

  it('a dry run over an earlier dry run\'s results file holding a NUL byte replaces it (no created rows in it), as before', async () => {
    const input = writeCsv(join(dir, 'nul-results.csv'), cleanPeople(3));
    const out = join(dir, 'nul-results.results.csv');
    await runImport({input, out, dryRun: true});
    writeFileSync(out, readFileSync(out, 'utf8').replace('would_create', 'would\u0000create'));
    const summary = await runImport({input, out, dryRun: true});
    expect(summary.counts.would_create).toBe(3);
    expect(readResults(out).map((row) => row['import_status'])).toEqual(['would_create', 'would_create', 'would_create']);
  });
});
