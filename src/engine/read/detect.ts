/**
 * What kind of file this is, decided from its bytes: the extension is a hint people get wrong
 * (an .xlsx renamed .csv, an HTML table saved as .xls).
 */
import {open} from 'node:fs/promises';
import {createReadStream} from 'node:fs';
import {isAscii, isUtf8} from 'node:buffer';
import {basename} from 'node:path';
import iconv from 'iconv-lite';
import {ImportError} from '../errors.js';
import {HEADER_SEARCH_ROWS} from './header.js';
import {firstNulText, LineCounter} from './lines.js';
import {isAsciiAlphanumeric, isAsciiLetter, isSmallAsciiLetter} from './ascii.js';
import {crLineBreaks, isDosWestern, isMacRoman} from './mac-roman.js';
import {guessRegional, REGIONAL, type RegionalEncoding} from './regional.js';
import {LATIN_LANGUAGE, westernTurkishOrBaltic} from './turkish-baltic.js';

/**
 * The name is what the "Reading …" line shows, so a person can tell the encodings apart; or any
 * other name iconv-lite knows, given with --encoding.
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'mac-roman' | RegionalEncoding | (string & {});

/** iconv-lite's name for an encoding it decodes. */
export function iconvName(encoding: TextEncoding): string {
  return encoding === 'mac-roman' ? 'macintosh' : encoding;
}

/** Two or four bytes a character: NUL bytes are part of its text. */
function isWide(encoding: TextEncoding): boolean {
  return /^(?:utf-?16|utf-?32|ucs-?2)/.test(encoding);
}

/** One name per encoding, for comparing two runs' --encoding ("cp1251", "win1251" and "windows-1251" are one). */
export function canonicalEncoding(name: string): string {
  iconv.getCodec('utf-8'); // fills iconv.encodings
  const table = (iconv as unknown as {encodings: Record<string, unknown> | null}).encodings ?? {};
  let key = name.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
  for (let hops = 0; hops < 5 && typeof table[key] === 'string'; hops++) key = table[key] as string;
  return key;
}

/** Windows-1252 under any of its names ("cp1252", "win1252"): read line by line, a UTF-8 line as UTF-8 (see text.ts). */
export function isWindows1252(encoding: TextEncoding): boolean {
  return canonicalEncoding(encoding) === 'windows1252';
}

/** --encoding's name in the reader's spelling; a usage error for a name iconv-lite does not know. */
export function encodingOption(name: string): TextEncoding {
  const n = name.trim().toLowerCase();
  if (/^utf-?8$/.test(n)) return 'utf-8';
  if (/^utf-?16-?le$/.test(n)) return 'utf-16le';
  if (/^utf-?16-?be$/.test(n)) return 'utf-16be';
  if (n === 'macroman' || n === 'mac-roman' || n === 'macintosh') return 'mac-roman';
  if (!iconv.encodingExists(n) || n === 'base64' || n === 'hex' || n === 'base64url') {
    throw new ImportError('usage', `--encoding ${name}: not an encoding seam-import knows.`, {
      hint: 'For example: windows-1251 (Cyrillic), windows-1253 (Greek), windows-1250 or iso-8859-2 (Central European), windows-1255 (Hebrew), windows-1256 (Arabic), shift_jis, gbk, big5, euc-kr.',
    });
  }
  return n;
}

/** As the "Reading …" line says it: a regional code page with its language ("simplified Chinese (gbk)"). */
export function encodingName(encoding: TextEncoding): string {
  if (encoding === 'cp850') return 'DOS Western European (cp850)';
  return encoding in REGIONAL ? `${REGIONAL[encoding as RegionalEncoding]} (${encoding})` : encoding;
}

export interface TextFormat {
  encoding: TextEncoding;
  delimiter: string;
  /** The first line is Excel's `sep=;`: skip it, the header is on line 2. */
  sepLine: boolean;
  /** UTF-8 with a few bytes that are not: they decode as U+FFFD, and the rows they fall in are said. */
  damagedUtf8?: boolean;
  /**
   * Other delimiters the sample points to when the header is not its first record (title
   * lines above a semicolon header leave no semicolon to count on the first line). Tried, in
   * order, only when no header is recognised with `delimiter`.
   */
  otherDelimiters?: string[];
  /** Lines that end in CR CR LF: what Python's csv module writes on Windows to a file not opened with newline=''. */
  recordDelimiter?: string[];
  /** --encoding named an 8-bit encoding, but the file is UTF-8 through and through: a word of it both ways. */
  utf8UnderNamed?: {utf8: string; named: string};
}

/**
 * The sample's lines end in CR CR LF (Excel shows a blank line between the rows): read
 * as one line end. Left to find them itself, the parser took CR for the line end, then made the
 * LF the first character of the next row's first cell ("\nZ9001" as a key).
 */
function crCrLf(text: string): {recordDelimiter: string[]} | Record<string, never> {
  const doubled = text.split('\r\r\n').length - 1;
  // Most of them: a line break typed inside a quoted cell stays a plain CR LF.
  return doubled > 0 && doubled * 2 >= text.split('\r\n').length - 1 ? {recordDelimiter: ['\r\r\n', '\r\n', '\n']} : {};
}

export const PREFIX_BYTES = 64 * 1024;

export type FileKind = {kind: 'xlsx'} | {kind: 'text'; prefix: Buffer; wholeFile: boolean};

export async function readPrefix(path: string): Promise<{prefix: Buffer; wholeFile: boolean}> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ImportError('input_not_found', `File not found: ${path}`, {hint: 'Check the path and the file name.', cause: error});
    }
    if (code === 'EISDIR') throw new ImportError('input_unreadable', `${path} is a folder, not a file.`, {cause: error});
    const hint =
      code === 'EACCES' || code === 'EPERM'
        ? 'This user may not read it: check its permissions (ls -l), or copy it somewhere you can read. On Windows, a file open in Excel is locked: close it there, then run again.'
        : code === 'EBUSY'
          ? 'Another program has it open and locked (Excel, on Windows): close it there, then run again.'
          : undefined;
    throw new ImportError('input_unreadable', `Cannot open ${path}: ${(error as Error).message}`, {cause: error, ...(hint === undefined ? {} : {hint})});
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new ImportError('input_unreadable', `${path} is a folder, not a file.`);
    const buffer = Buffer.alloc(PREFIX_BYTES);
    let filled = 0;
    while (filled < PREFIX_BYTES) {
      const {bytesRead} = await handle.read(buffer, filled, PREFIX_BYTES - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return {prefix: buffer.subarray(0, filled), wholeFile: filled < PREFIX_BYTES || stat.size <= PREFIX_BYTES};
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ImportError('input_unreadable', `${path} is a folder, not a file.`, {cause: error});
    throw new ImportError('input_unreadable', `Cannot read ${path}: ${(error as Error).message}`, {cause: error});
  } finally {
    await handle.close();
  }
}

function startsWith(buffer: Buffer, bytes: readonly number[]): boolean {
  return buffer.length >= bytes.length && bytes.every((b, i) => buffer[i] === b);
}

const SAVE_AS = 'Open it in Excel (or LibreOffice) and save it as .xlsx or as CSV UTF-8.';

/** Throws for files that are not a spreadsheet we read; says what they are. */
export function classify(path: string, prefix: Buffer, wholeFile: boolean): FileKind {
  const name = basename(path);
  // Excel's owner file beside a workbook open in it ("~$people.xlsx"): picked by a shell's tab
  // completion or a glob, it was "damaged, or another kind of file renamed".
  if (name.startsWith('~$') && /\.(xls[xmb]?|csv)$/i.test(name) && prefix.length <= 4096) {
    throw new ImportError('input_unreadable', `${name} is the lock file Excel keeps beside ${name.slice(2)} while that file is open, not the spreadsheet itself.`, {
      hint: `Import ${name.slice(2)} (the part after "~$"; save it in Excel first if it is being edited).`,
    });
  }
  if (prefix.length === 0) throw new ImportError('input_empty', `${name} is empty (0 bytes).`, {hint: 'Export the spreadsheet again.'});
  if (startsWith(prefix, [0x50, 0x4b, 0x03, 0x04])) {
    // An OpenDocument file starts with its uncompressed "mimetype" entry, which says what it is.
    const odf = /^application\/vnd\.oasis\.opendocument\.([a-z-]+)/.exec(prefix.subarray(38, 120).toString('latin1'));
    if (prefix.subarray(30, 38).toString('latin1') === 'mimetype' && odf) {
      const what = odf[1] === 'spreadsheet' ? 'an OpenDocument spreadsheet (.ods, LibreOffice Calc)' : `an OpenDocument ${odf[1]} file, not a spreadsheet`;
      throw new ImportError('input_unreadable', `${name} is ${what}, which seam-import cannot read.`, {
        hint: 'Open it in LibreOffice Calc (or Excel) and save it as .xlsx (File > Save As, "Excel 2007-365") or as CSV UTF-8.',
      });
    }
    return {kind: 'xlsx'};
  }
  if (startsWith(prefix, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // An .xlsx with a password to open is stored encrypted in this same container format.
    if (prefix.includes(Buffer.from('EncryptedPackage', 'utf16le')) || prefix.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
      throw new ImportError('input_unreadable', `${name} is a workbook protected by a password to open, which seam-import cannot read.`, {
        hint: 'Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), and save it again; or save a copy as CSV UTF-8.',
      });
    }
    throw new ImportError('input_unreadable', `${name} is an old Excel 97-2003 workbook (.xls)${/\.xlsx$/i.test(name) ? ', or a password-protected .xlsx,' : ''} which seam-import cannot read.`, {hint: SAVE_AS});
  }
  if (startsWith(prefix, [0x1f, 0x8b])) {
    // A gzip stream (a .csv.gz, or one renamed .csv): its bytes would be reported as "not a
    // text file", which sends the person to Excel when all it needs is unpacking.
    throw new ImportError('input_unreadable', `${name} is a compressed (gzip) file, not a spreadsheet.`, {hint: gunzipHint(name)});
  }
  if (startsWith(prefix, [0x25, 0x50, 0x44, 0x46])) {
    throw new ImportError('input_unreadable', `${name} is a PDF, not a spreadsheet.`, {hint: 'Export the list from its source as .xlsx or CSV.'});
  }
  if (startsWith(prefix, [0x50, 0x4b])) {
    throw new ImportError('input_unreadable', `${name} is a zip archive but not an Excel workbook.`, {hint: SAVE_AS});
  }
  const head = prefix.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^ï»¿/, '').trimStart().toLowerCase();
  if (head.startsWith('{"type":"run"')) {
    throw new ImportError('input_unreadable', `${name} is the run record of an import (the .journal.jsonl beside its results file), not a spreadsheet.`, {
      hint: 'Import the spreadsheet the run read (with --resume to continue that run), or its results file to retry its failed rows.',
    });
  }
  // JSON or JSON lines: read as CSV, its first object became a header and the hint offered --map on it.
  if (/^(?:\[\s*)?\{\s*"/.test(head)) {
    throw new ImportError('input_unreadable', `${name} is JSON, not CSV or .xlsx.`, {
      hint: 'Export the list as CSV from the program that wrote it (or convert it, e.g. in Excel: Data > Get Data > From File > From JSON, then save as CSV UTF-8).',
    });
  }
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<table') || head.startsWith('<?xml')) {
    throw new ImportError('input_unreadable', `${name} is a web page or XML file (an export that only looks like a spreadsheet), not CSV or .xlsx.`, {hint: SAVE_AS});
  }
  return {kind: 'text', prefix, wholeFile};
}

/** The command that unpacks it, for the file's own name (gunzip unpacks in place only a name ending .gz). */
function gunzipHint(name: string): string {
  const arg = (n: string): string => (/^[\w.+-]+$/.test(n) ? n : `"${n}"`);
  const inside = name.replace(/\.gz$/i, '');
  if (inside !== name && inside !== '') return `Unpack it first (e.g. gunzip -k ${arg(name)}) and import the file inside, ${inside}.`;
  return `Unpack it first (e.g. gunzip -c ${arg(name)} > ${arg(`unpacked-${name}`)}) and import the unpacked file.`;
}

export function binaryError(path: string, detail: string): ImportError {
  const name = basename(path);
  // Named as a workbook, but not one: an .xlsx is a zip archive, and this is not.
  if (/\.xls[xm]$/i.test(name)) {
    return new ImportError('input_unreadable', `${name} is named as an Excel workbook but is not one (an .xlsx is a zip archive; this file is not): it is damaged, or another kind of file renamed.`, {hint: SAVE_AS});
  }
  return new ImportError('input_unreadable', `${name} is not a text file (${detail}); seam-import reads CSV, TSV, Unicode Text and .xlsx.`, {hint: SAVE_AS});
}

/** UTF-16 without BOM: ASCII text shows as every other byte zero. Excel always writes a BOM, other tools may not. */
function utf16Guess(prefix: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(prefix.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (prefix[i] === 0) evenZero++;
    if (prefix[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (pairs < 8) return undefined;
  if (oddZero > pairs * 0.7 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.7 && oddZero < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * UTF-8 is decided on the WHOLE file, not a prefix: a German list sorted by name can be plain
 * ASCII for thousands of rows before its first "Müller". `isUtf8` runs at memory speed, and it
 * stops at the first byte that is not UTF-8. When it is not UTF-8, `sample` holds the bytes
 * that showed it (up to about 1 MiB), for telling the 8-bit encodings apart.
 */
async function scanUtf8(
  path: string,
  prefix: Buffer,
  wholeFile: boolean,
): Promise<{utf8: true} | {utf8: false; sample: Buffer; fromStart: boolean; utf8Before: boolean}> {
  if (wholeFile) {
    if (prefix.includes(0)) throw binaryError(path, await firstNul(path, prefix.indexOf(0)));
    return isUtf8(prefix) ? {utf8: true} : {utf8: false, sample: prefix, fromStart: true, utf8Before: false};
  }
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  /** An earlier megabyte was UTF-8 with non-ASCII text in it: what follows is most likely UTF-8 too. */
  let utf8Before = false;
  for await (const raw of createReadStream(path, {highWaterMark: 1024 * 1024})) {
    const chunk = raw as Buffer;
    if (chunk.includes(0)) throw binaryError(path, await firstNul(path, offset + chunk.indexOf(0)));
    offset += chunk.length;
    const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const end = completeUtf8Length(data);
    if (!isUtf8(data.subarray(0, end))) return {utf8: false, sample: data, fromStart: offset === chunk.length, utf8Before};
    if (!utf8Before && !isAscii(data.subarray(0, end))) utf8Before = true;
    carry = Buffer.from(data.subarray(end));
  }
  return carry.length === 0 ? {utf8: true} : {utf8: false, sample: carry, fromStart: false, utf8Before};
}

/**
 * "it contains NUL bytes, the first on line 3,001, at byte 69,776": where a damaged export can be
 * mended. `at` is the byte; its line is counted only here, on the way to the refusal.
 */
async function firstNul(path: string, at: number): Promise<string> {
  const lines = new LineCounter();
  if (at > 0) for await (const raw of createReadStream(path, {highWaterMark: 1024 * 1024, end: at - 1})) lines.add(raw as Buffer);
  return firstNulText('bytes', lines.line, at);
}

/** Length of the longest prefix that does not end inside a multi-byte character. */
export function completeUtf8Length(data: Buffer): number {
  const n = data.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = data[n - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > back ? n - back : n;
    }
    return n; // ASCII
  }
  return n;
}

const SEP_LINE = /^"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\n|\r|$)/i;
const CANDIDATES = [',', ';', '\t', '|'] as const;

/** Decode enough of the prefix to sniff the delimiter. */
function decodePrefix(prefix: Buffer, encoding: TextEncoding, wholeFile: boolean): string {
  let bytes = prefix;
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      if (!wholeFile) bytes = bytes.subarray(0, completeUtf8Length(bytes));
      return bytes.toString('utf8').replace(/^\uFEFF/, '');
    default:
      if (isWide(encoding)) return iconv.decode(bytes.subarray(0, bytes.length & ~3), encoding, {stripBOM: true}).replace(/^\uFEFF/, '');
      return iconv.decode(bytes, iconvName(encoding), {stripBOM: true});
  }
}

/**
 * UTF-8 when the whole file is; else a regional code page when its bytes make words in one (see
 * regional.ts); else Windows-1252, or Mac Roman when its bytes and line breaks say so.
 */
async function eightBitOrUtf8(path: string, prefix: Buffer, wholeFile: boolean): Promise<TextEncoding | 'damaged-utf-8'> {
  const scan = await scanUtf8(path, prefix, wholeFile);
  if (scan.utf8) return 'utf-8';
  // A sample from the middle of the file may begin inside a character: read it from a line's start.
  const sample = scan.fromStart ? scan.sample : scan.sample.subarray(scan.sample.indexOf(0x0a) + 1);
  // UTF-8 with a line or two from elsewhere ("Müller" typed in by a Windows program): read as
  // Windows-1252, every "José" of the rest would go to Seam as "JosÃ©".
  const {valid, invalid} = utf8Sequences(sample);
  if (scan.utf8Before || (valid >= 2 && valid >= 4 * invalid)) return 'damaged-utf-8';
  // Excel's "CSV (MS-DOS)": before the others, which read its ú ñ as Polish letters or its ü as half a Japanese one.
  if (!crLineBreaks(prefix, wholeFile) && isDosWestern(sample)) return 'cp850';
  // Mac Roman's accents fall on some of the same bytes (è ü ù ø æ): its own evidence first.
  if (centralEuropean(sample)) return isMacRoman(scan.sample, prefix, wholeFile) ? 'mac-roman' : 'windows-1250';
  const guess = guessRegional(sample);
  if (guess.kind === 'regional') return guess.encoding;
  if (guess.kind === 'unknown' && guess.between) {
    const [a, b] = guess.between;
    throw new ImportError('input_unreadable', `${basename(path)} is not UTF-8: its text reads as ${REGIONAL[a]} (${a}) or as ${REGIONAL[b]} (${b}), and there is too little of it to tell which. Guessed wrong, the names would be garbled.`, {
      hint: `Pass --encoding ${a} (or --encoding ${b}), or save the file as "CSV UTF-8" (Excel: File > Save As).`,
    });
  }
  if (guess.kind === 'unknown' && guess.wordy) {
    throw new ImportError('input_unreadable', `${basename(path)} is not UTF-8, and its non-ASCII text does not surely read as Western European, Chinese, Japanese, Korean or Cyrillic text: names would be garbled.`, {
      hint: `Save it as "CSV UTF-8" (Excel: File > Save As), or name its encoding with --encoding: gbk (simplified Chinese), big5 (traditional Chinese), shift_jis (Japanese), euc-kr (Korean), windows-1251 (Cyrillic), windows-1253 (Greek), windows-1255 (Hebrew), windows-1256 (Arabic), windows-874 (Thai), windows-1252 (Western European).`,
    });
  }
  // Western; or bytes that are only unusual for Western text (Mac Roman's accents among them)
  // and that no regional code page reads surely: Western, as before, unless its letters are
  // Turkish or Baltic ones that only look Western (see turkish-baltic.ts).
  if (isMacRoman(scan.sample, prefix, wholeFile)) return 'mac-roman';
  const latin = westernTurkishOrBaltic(sample);
  if (latin.kind === 'page') return latin.encoding;
  const readings = latin.candidates.map((page) => `${LATIN_LANGUAGE[page]} (${page}: "${latin.word[page]}")`);
  const listed = `${readings.slice(0, -1).join(', ')} or ${readings.at(-1)}`;
  throw new ImportError('input_unreadable', `${basename(path)} is not UTF-8, and its letters ${latin.kind === 'between' ? `read as ${listed} alike: nothing in the file tells which. Guessed wrong, the names would be garbled.` : `do not surely read as ${listed}: names would be garbled.`}`, {
    // None of the three fits: Central European names (Czech "Černý") are the likeliest others.
    hint: `Pass the --encoding that reads the names right: ${[...latin.candidates, ...(latin.kind === 'between' ? [] : ['windows-1250'])].map((page) => `--encoding ${page}`).join(', ').replace(/, (?=[^,]*$)/, ' or ')}${latin.kind === 'between' ? '' : ' (Czech, Slovak, Hungarian)'}; or save the file as "CSV UTF-8" (Excel: File > Save As).`,
  });
}

/**
 * Windows-1250 bytes for Central European letters that Windows-1252 reads as symbols or not at
 * all: Ł ł Ą ą Ż Ź ź ľ Ľ ť (£ ³ ¥ ¹ ¯ Ÿ ¼ ¾ and two undefined bytes). Beside a Latin letter they
 * are letters: Polish and Slovak names ("Łukasz Żółkiewski" read as "£ukasz ¯ó³kiewski"). Not ż
 * (¿): Spanish notes open questions with it ("¿Llave extra?").
 */
const CENTRAL_EUROPEAN_LETTERS = new Set([0xa3, 0xb3, 0xa5, 0xb9, 0xaf, 0x8f, 0x9f, 0xbc, 0xbe, 0x9d]);

/** Which bytes 0x80–0xFF Windows-1250 reads as letters. */
const LETTER_IN_1250 = Array.from(iconv.decode(Buffer.from(Array.from({length: 128}, (_, i) => 0x80 + i)), 'windows-1250'), (c) => /\p{L}/u.test(c));

/**
 * Excel's plain "CSV" on a Polish, Czech or Hungarian Windows (Windows-1250): its letters stand
 * alone or in twos or threes between ASCII letters, like Western ones, but some of them are bytes no
 * Western word holds. Cyrillic text (Windows-1251 has letters on those bytes too) is words of
 * non-ASCII bytes only, and is left to the regional guess.
 */
function centralEuropean(bytes: Uint8Array): boolean {
  let high = 0;
  let marks = 0;
  let inRuns = 0;
  let run = 0;
  let symbols = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i]! : 0;
    if (b >= 0x80) {
      high++;
      run++;
      // Beside an ASCII letter: a double-byte code page's bytes (Korean) stand beside each other.
      // Inside a word, or opening one that goes on in small letters ("£ukasz", "Wis³a"), it counts
      // twice: Western text has "m³", "¼ in" and "£5", never these (three Polish names showed one).
      if (CENTRAL_EUROPEAN_LETTERS.has(b)) {
        const before = bytes[i - 1];
        if (isAsciiLetter(before) && isAsciiLetter(bytes[i + 1])) marks += 2;
        // Not ¼ and ¾ (Slovak Ľ ľ) opening one: a fraction before its unit ("¾in pipe").
        else if (b !== 0xbc && b !== 0xbe && !isAsciiAlphanumeric(before) && (before === undefined || before < 0x80) && isSmallAsciiLetter(bytes[i + 1]) && isSmallAsciiLetter(bytes[i + 2])) marks += 2;
        else if (isAsciiLetter(before) || isAsciiLetter(bytes[i + 1])) marks++;
      }
      // A double-byte code page's lead bytes (Big5, Shift_JIS) read as symbols here (¤ § ° » ·).
      if (!LETTER_IN_1250[b - 0x80]) symbols++;
      continue;
    }
    // "Żół" is three; Cyrillic words are longer.
    if (run >= 4) inRuns += run;
    run = 0;
  }
  // Czech and Hungarian share most accents with Western text: a quarter of the words with one is
  // enough to show it, as a tenth of the accents is for the letters above.
  const {words, accented} = czechOrHungarianWords(bytes);
  return (marks >= 2 || words >= 1) && ((marks + words) * 10 >= high || words * 4 >= accented) && inRuns * 2 < high && symbols * 20 <= high;
}

/**
 * Words that Windows-1252 reads with a Western letter no Western word has beside the others:
 * Czech ř (ø) with á í ý é ú ě č ů š ž ("Dvořák" → "Dvoøák", "Jiří" → "Jiøí"; Danish and
 * Norwegian ø never stand with them) or after a vowel, not ending the word ("Kateøina"; Danish
 * "Aarø"), ě or ů between consonants and a letter (ì ù end Italian and French words, and Latvian ģ
 * in Windows-1257 reads as ì: "Reģīna"; "Zdeněk" → "Zdenìk", "Růžička" → "Rùžièka"), č before k ("Růžička" again), Ť ť Ź
 * (bytes Windows-1252 leaves undefined: "Šťastný"); Hungarian ő or ű with ö or ü ("Kőrösi" →
 * "Kõrösi"), or ő ending a word after a consonant ("Gergő"; Estonian õ does not end names,
 * Portuguese õ is followed by e). In a Western file one such name among many stays Western.
 */
const CZECH_OR_HUNGARIAN: readonly RegExp[] = [
  /^(?=.*[\xf8\xd8])(?=.*[\xe1\xed\xfd\xe9\xfa\xec\xe8\xf9\x9a\x9e\x8a\x8e\xc1\xcd\xc9\xda\xdd])/,
  /[aeiouy\xe1\xe9\xed\xf3\xfa\xfd]\xf8(?:[\xe1\xed\xe9\xfd]|[a-z]{2})/i,
  /[bdfmnptv]\xec[a-z]|[b-df-hj-np-tv-z]\xf9[a-z\x9a\x9e\xe0-\xfe]/i,
  /\xe8k/,
  /[\x8d\x8f\x9d]/,
  /^(?=.*[\xf5\xfb\xd5\xdb])(?=.*[\xf6\xfc\xd6\xdc])/,
  /[b-df-hj-np-tv-z]\xf5$/,
];

function czechOrHungarianWords(bytes: Uint8Array): {words: number; accented: number} {
  let words = 0;
  let accented = 0;
  for (const word of Buffer.from(bytes).toString('latin1').split(/[^A-Za-z\xc0-\xd6\xd8-\xf6\xf8-\xff\x8a\x8d-\x8f\x9a\x9d\x9e]+/)) {
    if (!/[\x80-\xff]/.test(word)) continue;
    accented++;
    // Latin words hold ASCII letters too; Hebrew, Greek or Cyrillic read as Windows-1252 do not.
    if (/[A-Za-z]/.test(word) && CZECH_OR_HUNGARIAN.some((pattern) => pattern.test(word))) words++;
  }
  return {words, accented};
}

/** `named`: the encoding --encoding gave, taken as it is. */
export async function detectText(path: string, prefix: Buffer, wholeFile: boolean, named?: TextEncoding): Promise<TextFormat> {
  let encoding: TextEncoding;
  let damagedUtf8 = false;
  const utf16 = startsWith(prefix, [0xff, 0xfe]) ? 'utf-16le' : startsWith(prefix, [0xfe, 0xff]) ? 'utf-16be' : utf16Guess(prefix);
  if (named !== undefined && utf16 !== undefined && !isWide(named)) {
    // Excel's "Unicode Text": read as an 8-bit encoding, every other byte is a NUL.
    throw new ImportError('usage', `${basename(path)} is UTF-16 (Excel's "Unicode Text"), not ${named}.`, {
      hint: `Leave out --encoding (the file says what it is), or pass --encoding ${utf16}.`,
    });
  }
  const utf8Bom = startsWith(prefix, [0xef, 0xbb, 0xbf]);
  if (named !== undefined) encoding = named === 'utf-8' && utf8Bom ? 'utf-8-bom' : named;
  else if (utf8Bom) encoding = 'utf-8-bom';
  else if (utf16 !== undefined) encoding = utf16;
  else {
    const found = await eightBitOrUtf8(path, prefix, wholeFile);
    damagedUtf8 = found === 'damaged-utf-8';
    encoding = damagedUtf8 ? 'utf-8' : found;
  }

  if (!isWide(encoding) && prefix.includes(0)) {
    throw binaryError(path, await firstNul(path, prefix.indexOf(0)));
  }

  const text = decodePrefix(prefix, encoding, wholeFile);
  if (text.includes('\0')) {
    const lines = new LineCounter();
    lines.add(text, text.indexOf('\0'));
    throw binaryError(path, firstNulText('characters', lines.line));
  }
  if (controlRatio(text) > 0.1) throw binaryError(path, 'it is mostly control characters');

  const sep = SEP_LINE.exec(text);
  const underNamed = named === undefined ? undefined : utf8UnderNamed(prefix, encoding, wholeFile);
  const said = {...(damagedUtf8 ? {damagedUtf8: true} : {}), ...(underNamed ? {utf8UnderNamed: underNamed} : {})};
  const lineEnds = crCrLf(text);
  if (sep) return {encoding, delimiter: sep[1] ?? ',', sepLine: true, ...said, ...lineEnds};
  const records = sampleRecords(text, 20 + HEADER_SEARCH_ROWS, wholeFile);
  const delimiter = delimiterOf(records.slice(0, 20));
  const otherDelimiters: string[] = [];
  for (let skip = 1; skip < HEADER_SEARCH_ROWS && skip < records.length; skip++) {
    const other = delimiterOf(records.slice(skip, skip + 20));
    if (other !== delimiter && !otherDelimiters.includes(other)) otherDelimiters.push(other);
  }
  return {encoding, delimiter, sepLine: false, ...(otherDelimiters.length > 0 ? {otherDelimiters} : {}), ...said, ...lineEnds};
}

/**
 * A file --encoding calls 8-bit (latin1, windows-1250, windows-1251…) whose bytes are UTF-8 through
 * and through, with letters beyond ASCII: such text is UTF-8 (genuine 8-bit text is not valid
 * UTF-8 once it has an accent), and read as named, "Zoë" goes to Seam as "ZoÃ«". The first word
 * with such a letter, read both ways, for the warning; undefined when the reading is plausible.
 */
function utf8UnderNamed(prefix: Buffer, encoding: TextEncoding, wholeFile: boolean): {utf8: string; named: string} | undefined {
  // Windows-1252 is read line by line, a UTF-8 line as UTF-8: nothing is garbled.
  if (isWide(encoding) || /^utf-?8/.test(encoding) || isWindows1252(encoding)) return undefined;
  // A prefix may end inside a character: its last bytes are not judged.
  const bytes = wholeFile ? prefix : prefix.subarray(0, Math.max(0, prefix.length - 3));
  const {valid, invalid} = utf8Sequences(bytes);
  if (valid === 0 || invalid > 0) return undefined;
  const word = /[^\s,;|"]*[^\x00-\x7F][^\s,;|"]*/u.exec(bytes.toString('utf8'))?.[0];
  if (word === undefined) return undefined;
  const shown = [...word].slice(0, 30).join('');
  return {utf8: shown, named: iconv.decode(Buffer.from(shown, 'utf8'), iconvName(encoding))};
}

/**
 * Well-formed UTF-8 sequences of two bytes or more that decode to a character text uses (accented
 * Latin, Greek, Cyrillic, punctuation, CJK, Hangul…), and the non-ASCII bytes in none. Mac Roman's
 * "’é" (D5 8E) is well-formed UTF-8 too, but for an Armenian letter: not counted.
 */
function utf8Sequences(bytes: Uint8Array): {valid: number; invalid: number} {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let k = 0;
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    while (k < need && i + 1 + k < bytes.length && (bytes[i + 1 + k]! & 0xc0) === 0x80) {
      cp = (cp << 6) | (bytes[i + 1 + k]! & 0x3f);
      k++;
    }
    if (need > 0 && k === need && plausible(cp)) {
      valid++;
      i += need;
    } else {
      invalid++;
    }
  }
  return {valid, invalid};
}

/** A code point people's names and contact lists are written in. */
function plausible(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0x24f) || // Latin-1 letters and signs, Latin Extended
    (cp >= 0x370 && cp <= 0x52f) || // Greek, Cyrillic
    (cp >= 0x5d0 && cp <= 0x6ff) || // Hebrew, Arabic
    (cp >= 0xe00 && cp <= 0xe7f) || // Thai
    (cp >= 0x1e00 && cp <= 0x1eff) || // Vietnamese
    (cp >= 0x2000 && cp <= 0x214f) || // punctuation, currency, letterlike (€ № ™)
    (cp >= 0x3000 && cp <= 0x9fff) || // CJK punctuation, kana, ideographs
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul
    (cp >= 0xff00 && cp <= 0xffef) || // full-width forms
    (cp >= 0x1f300 && cp <= 0x1faff) // emoji
  );
}

function controlRatio(text: string): number {
  const sample = text.slice(0, 4096);
  if (sample.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control / sample.length;
}

/**
 * The delimiter of these records (counts of each candidate outside quotes), the first taken as
 * the header. The delimiter whose count is the same, and not zero, on the header and the most
 * records wins; a tie goes to the comma (a German "Müller, Hans" row must not turn a semicolon
 * file into a comma one, and vice versa).
 */
function delimiterOf(records: number[][]): string {
  const header = records[0];
  if (header === undefined) return ',';
  let best: string = ',';
  let bestScore = -1;
  for (const [i, d] of CANDIDATES.entries()) {
    const expected = header[i] ?? 0;
    if (expected === 0) continue;
    const rest = records.slice(1);
    const same = rest.filter((counts) => counts[i] === expected).length;
    const score = rest.length === 0 ? 1 : same / rest.length;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** Per record (quote-aware, blank lines skipped): how many of each candidate it holds. */
function sampleRecords(text: string, max: number, complete: boolean): number[][] {
  const out: number[][] = [];
  let counts = [0, 0, 0, 0];
  let inQuotes = false;
  let nonBlank = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      nonBlank = true;
    } else if (ch === '\n' || ch === '\r') {
      if (nonBlank) out.push(counts);
      counts = [0, 0, 0, 0];
      nonBlank = false;
    } else {
      const k = CANDIDATES.indexOf(ch as (typeof CANDIDATES)[number]);
      if (k !== -1) counts[k] = (counts[k] ?? 0) + 1;
      if (ch !== ' ') nonBlank = true;
    }
  }
  if (complete && nonBlank && out.length < max) out.push(counts);
  return out;
}
