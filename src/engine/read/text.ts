/**
 * Delimited text (CSV, TSV, Excel "Unicode Text") as a stream of records.
 *
 * Memory stays flat: the file is streamed through the decoder, 64 KiB at a time, into the plain
 * reader (plain-csv.ts), or csv-parse from the first record that is not plain; nothing collects
 * rows. Each `rows()` call opens the file again.
 */
import {isAscii, isUtf8} from 'node:buffer';
import {createReadStream} from 'node:fs';
import {pipeline} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';
import {basename} from 'node:path';
import {parse, CsvError} from 'csv-parse';
import iconv from 'iconv-lite';
import {ImportError} from '../errors.js';
import type {RawRow} from '../types.js';
import {cleanText} from '../clean.js';
import {binaryError, iconvName, isWindows1252, type TextFormat} from './detect.js';
import {firstNulText, LineCounter} from './lines.js';
import {NotPlain, PlainCsv} from './plain-csv.js';

/** A cell longer than this makes its row `malformed_row` (and is cut in the results file). */
export const MAX_CELL_CHARS = 64 * 1024;
/**
 * A record longer than this stops the read. Far above any real row (cells over 64 KiB are
 * already row problems), it exists so that a quote never closed in a 1 GB file does not
 * buffer the whole file as one value.
 */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** How much of an over-long cell is kept, so the results file still shows what it was. */
const KEPT_OF_LONG_CELL = 1024;

/**
 * Any of them ends a line outside quotes, in any mix, as in Excel and LibreOffice. Left to find
 * the line end itself, csv-parse keeps the first one it sees: a CRLF file with LF rows appended
 * (`echo >>`) read them all as one row, and a header read with LF left a CR on every row's last
 * cell. CRLF comes before CR so that it is one line end, not two.
 */
const LINE_ENDS = ['\r\n', '\n', '\r'];

export const DELIMITER_NAMES: Readonly<Record<string, string>> = {',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe'};

export interface TextRecord {
  cells: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** Physical lines it takes: 1 + the line breaks inside its quoted cells. */
  lines: number;
}

class BinaryContent extends Error {}

/** Every record after an Excel `sep=` line, blank ones included, with the line it starts on. */
export async function* textRecords(path: string, format: TextFormat, signal?: AbortSignal, options: {nulOk?: boolean} = {}): AsyncGenerator<TextRecord> {
  for await (const batch of textRecordBatches(path, format, signal, options)) {
    for (const record of batch) {
      if (signal?.aborted) throw signal.reason;
      yield record;
    }
  }
}

/**
 * textRecords a piece of the file at a time (the records of one 64 KiB read): a million rows
 * passed one by one through three nested async generators cost about a microsecond each, as
 * much as reading them. A consumer that acts on rows checks `signal` before each (textRecords
 * and the sources' rows() do).
 */
export async function* textRecordBatches(path: string, format: TextFormat, signal?: AbortSignal, {nulOk = false}: {nulOk?: boolean} = {}): AsyncGenerator<TextRecord[]> {
  // Counted as records are consumed (csv-parse's own count is off after a quoted CRLF, and its
  // on_record hook costs a context object per record: half the read time on a million rows).
  let nextLine = 1;
  let first = true;
  try {
    for await (const {records, spanning} of fileRecordBatches(path, format, signal, nulOk)) {
      if (signal?.aborted) throw signal.reason;
      const batch: TextRecord[] = [];
      let next = 0;
      for (let k = 0; k < records.length; k += 1) {
        const record = records[k]!;
        const line = nextLine;
        // Searched only where a line break may be: every record when csv-parse read them.
        let lines = 1;
        if (spanning === undefined) lines += breaksInside(record);
        else if (spanning[next] === k) {
          next += 1;
          lines += breaksInside(record);
        }
        nextLine += lines;
        if (first) {
          first = false;
          if (format.sepLine) continue;
        }
        batch.push({cells: record, line, lines});
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    // When the parser fails, the records it had buffered are dropped, so `nextLine` may lag
    // behind: find the line by scanning the file again (only on this path).
    if (error instanceof CsvError) throw await csvImportError(error, path, format);
    if (error instanceof BinaryContent) {
      const line = await nulLine(path, format).catch(() => undefined);
      throw binaryError(path, firstNulText(/^utf-?16/.test(format.encoding) ? 'characters' : 'bytes', line));
    }
    throw error;
  }
}

/**
 * The file's records, a read's worth at a time: by the plain reader (plain-csv.ts) while the
 * text is plain, by csv-parse from the first record that is not (it reads the file again from
 * the start and skips the records already given: the two give the same records for plain text).
 * `spanning`: the records with a line break in a cell (PlainCsv.feed); undefined: not known.
 */
async function* fileRecordBatches(path: string, format: TextFormat, signal: AbortSignal | undefined, nulOk: boolean): AsyncGenerator<{records: string[][]; spanning?: number[]}> {
  let given = 0;
  const plain = plainReader(format);
  if (plain !== undefined) {
    const file = createReadStream(path, {highWaterMark: 64 * 1024});
    const utf8 = new StringDecoder('utf8');
    try {
      let text = true;
      for await (const chunk of decoder(format, {nulOk})(file)) {
        text = typeof chunk === 'string';
        const records: string[][] = [];
        const spanning: number[] = [];
        plain.feed(typeof chunk === 'string' ? chunk : utf8.write(chunk), false, records, spanning);
        if (records.length > 0) {
          given += records.length;
          yield {records, spanning};
        }
      }
      const records: string[][] = [];
      const spanning: number[] = [];
      plain.feed(text ? '' : utf8.end(), true, records, spanning);
      if (records.length > 0) yield {records, spanning};
      return;
    } catch (error) {
      if (!(error instanceof NotPlain)) throw error;
    } finally {
      file.destroy();
    }
  }
  // One record at a time: csv-parse gives them so, and an error must come after the records before it.
  for await (const cells of csvParseRecords(path, format, given, signal, nulOk)) yield {records: [cells]};
}

function plainReader(format: TextFormat): PlainCsv | undefined {
  if (format.recordDelimiter) return undefined;
  try {
    return new PlainCsv(format.delimiter);
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}

/** The file's records by csv-parse, after the first `skip`. */
async function* csvParseRecords(path: string, format: TextFormat, skip: number, signal: AbortSignal | undefined, nulOk: boolean): AsyncGenerator<string[]> {
  const parser = parse({
    bom: true,
    delimiter: format.delimiter,
    // A quote inside a value that does not start with one (Bob "Bobby" Smith, or a TSV that
    // never quotes) is kept as text, as Excel shows it: one stray quote must not stop a
    // 10,000-row import. A quote that OPENS a value and never closes is still an error.
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
    record_delimiter: format.recordDelimiter ? [...format.recordDelimiter, '\r'] : LINE_ENDS,
  });
  // 64 KiB chunks: csv-parse turns a whole chunk into records at once, so the chunk size is
  // what sits in memory between reads (1M rows: ~90 MB peak RSS here vs ~130 MB at 256 KiB).
  const file = createReadStream(path, {highWaterMark: 64 * 1024});
  pipeline(file, decoder(format, {nulOk}), parser, () => {
    // Errors reach the consumer through the parser's iterator; an early `break` by the
    // consumer destroys the parser, which ends up here as a premature close: nothing to do.
  });
  let skipped = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (skipped < skip) {
        // Skipping a million records takes seconds: Ctrl-C is heard meanwhile.
        if ((++skipped & 1023) === 0 && signal?.aborted) throw signal.reason;
      } else yield cells;
    }
  } finally {
    parser.destroy();
    file.destroy();
  }
}

/**
 * Bytes → text. UTF-8 goes on as bytes (the reader decodes them); the rest through iconv-lite.
 * A NUL stops the read (BinaryContent) unless `nulOk`.
 */
function decoder(format: TextFormat, {nulOk = false}: {nulOk?: boolean} = {}): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer | string> {
  const check = nulOk ? () => undefined : (text: string | Buffer) => {
    if (typeof text === 'string' ? text.includes('\0') : text.includes(0)) throw new BinaryContent();
  };
  if (format.encoding === 'utf-8' || format.encoding === 'utf-8-bom') {
    return async function* utf8(source) {
      for await (const chunk of source) {
        check(chunk);
        yield chunk;
      }
    };
  }
  const encoding = iconvName(format.encoding);
  if (isWindows1252(format.encoding)) return lineByLine(encoding, check);
  return async function* decode(source) {
    const dec = iconv.getDecoder(encoding, {stripBOM: true});
    // iconv-lite's UTF-16BE decoder can end a piece on the first half of a pair (an emoji at a
    // 64 KiB boundary): held back for the next piece, so the character reaches the reader whole.
    let held = '';
    for await (const chunk of source) {
      let text = held + dec.write(chunk);
      held = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        held = text.slice(-1);
        text = text.slice(0, -1);
      }
      check(text);
      if (text !== '') yield text;
    }
    const rest = held + (dec.end() ?? '');
    check(rest);
    if (rest) yield rest;
  };
}

/**
 * Windows-1252, line by line: a line that is UTF-8 through and through (pasted in from a web page
 * or another export) is read as UTF-8, the others as Windows-1252. Read whole as Windows-1252, its
 * "Zoë" went to Seam as "ZoÃ«". Genuine Windows-1252 text is never valid UTF-8 once it has an
 * accent ("é" is E9, which UTF-8 only has before two continuation bytes).
 */
function lineByLine(encoding: string, check: (text: string) => void): (source: AsyncIterable<Buffer>) => AsyncGenerator<string> {
  const decodeLine = (bytes: Buffer): string => (!isAscii(bytes) && isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, encoding));
  return async function* decode(source) {
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of source) {
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      // Whole lines now; the rest waits for the next chunk (unless there is no line break for a
      // megabyte: a file with CR line breaks only, read in pieces as before).
      const end = data.lastIndexOf(0x0a) + 1;
      const cut = end === 0 && data.length > 1024 * 1024 ? data.length : end;
      let text = '';
      let from = 0;
      for (let at = data.indexOf(0x0a); at !== -1 && at < cut; at = data.indexOf(0x0a, at + 1)) {
        text += decodeLine(data.subarray(from, at + 1));
        from = at + 1;
      }
      if (cut > from) text += decodeLine(data.subarray(from, cut));
      carry = Buffer.from(data.subarray(cut));
      check(text);
      if (text !== '') yield text;
    }
    if (carry.length > 0) {
      const text = decodeLine(carry);
      check(text);
      yield text;
    }
  };
}

/** Line breaks inside quoted cells (CRLF counts once). */
function breaksInside(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 10) n++;
      else if (c === 13) {
        n++;
        if (cell.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  return n;
}

/**
 * The line of the file's first NUL, counted over the decoded text (a UTF-16 file's NULs are
 * not its text's). Only on the way to refusing the file: the reader cannot tell it, as it was
 * still a 64 KiB piece behind.
 */
async function nulLine(path: string, format: TextFormat): Promise<number | undefined> {
  const lines = new LineCounter();
  const file = createReadStream(path, {highWaterMark: 256 * 1024});
  try {
    for await (const chunk of decoder(format, {nulOk: true})(file)) {
      const at = typeof chunk === 'string' ? chunk.indexOf('\0') : chunk.indexOf(0);
      lines.add(chunk, at === -1 ? chunk.length : at);
      if (at !== -1) return lines.line;
    }
  } finally {
    file.destroy();
  }
  return undefined;
}

export function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) {
    if (cell !== '' && cleanText(cell) !== '') return false;
  }
  return true;
}

function size(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(chars / 1024)} KB`;
}

/**
 * Shape one data record into a RawRow against the header: pad short rows, flag rows with
 * more non-empty cells than headers (extras go to the message, the cells stay header-wide so
 * the results file stays rectangular), flag and cut over-long cells.
 */
export function shapeRow(
  cells: string[],
  headers: readonly string[],
  index: number,
  line: number,
  delimiter: string | undefined,
  lines?: number,
): RawRow {
  const width = headers.length;
  let problem: RawRow['problem'];
  if (cells.length > width) {
    const extra = cells.slice(width).filter((c) => cleanText(c) !== '');
    if (extra.length > 0) {
      const shown = extra.slice(0, 3).map((c) => JSON.stringify(c.length > 40 ? `${c.slice(0, 40)}…` : c)).join(', ');
      const more = extra.length > 3 ? ', …' : '';
      const values = `${extra.length === 1 ? 'value is' : 'values are'} ${shown}${more}`;
      problem = {
        code: 'malformed_row',
        message:
          delimiter === undefined
            ? `Row ${line} has values to the right of the last header column; the extra ${values}. Give that column a header or clear it.`
            : `Line ${line} has ${cells.length} values (${DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)}-separated) but the header has ${width} columns; the extra ${values}. A value that contains the separator must be in quotes.`,
      };
    }
    cells = cells.slice(0, width);
  } else {
    while (cells.length < width) cells.push('');
  }
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] ?? '';
    if (cell.length > MAX_CELL_CHARS) {
      problem ??= {
        code: 'malformed_row',
        message: `${delimiter === undefined ? 'Row' : 'Line'} ${line}: the value in column "${headers[i] ?? i + 1}" is ${size(cell.length)} long (at most ${MAX_CELL_CHARS / 1024} KB); it is cut in the results file. If it holds other rows, a quote (") before it is not closed.`,
      };
      cells[i] = `${cell.slice(0, KEPT_OF_LONG_CELL)}…`;
    }
  }
  const row: RawRow = lines === undefined ? {index, line, cells} : {index, line, cells, lines};
  if (problem) row.problem = problem;
  return row;
}

async function csvImportError(error: CsvError, path: string, format: TextFormat): Promise<ImportError> {
  const name = basename(path);
  const fix = 'Fix the file in a text editor, or open it in a spreadsheet and export it again.';
  let found: QuoteProblem | undefined;
  try {
    found = await findQuoteProblem(path, format);
  } catch {
    found = undefined;
  }
  const line = found?.line ?? (typeof error['lines'] === 'number' ? error['lines'] : '?');
  switch (found?.kind ?? error.code) {
    case 'unclosed':
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportError('input_malformed', `${name}: the quote (") opened on line ${line} is never closed, so everything after it would be one value.`, {
        hint: `Close or remove that quote. A value that contains a quote must be in quotes, with the inner quote doubled ("5"" pipe"). ${fix}`,
        cause: error,
      });
    case 'INVALID_OPENING_QUOTE':
      return new ImportError('input_malformed', `${name}, line ${line}: a value has a quote (") inside it but does not start with one.`, {
        hint: `Put the whole value in quotes and double the inner quote ("Bob ""Bobby"" Smith"). ${fix}`,
        cause: error,
      });
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new ImportError('input_malformed', `${name}, line ${line}: a quoted value goes on after its closing quote.`, {
        hint: `Double a quote that is part of the value ("5"" pipe"). ${fix}`,
        cause: error,
      });
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportError('input_malformed', `${name}: a row near line ${line} is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB; most likely a quote (") is never closed.`, {
        hint: fix,
        cause: error,
      });
    default:
      return new ImportError('input_malformed', `${name}, near line ${line}: ${error.message}`, {hint: fix, cause: error});
  }
}

interface QuoteProblem {
  kind: 'unclosed';
  line: number;
}

/**
 * Replays csv-parse's quote rules (with relax_quotes) over the file to find where a quote that
 * is still open at the end was opened. Only runs after the parser failed.
 */
async function findQuoteProblem(path: string, format: TextFormat): Promise<QuoteProblem | undefined> {
  const delimiter = format.delimiter;
  let line = 1;
  let state: 'start' | 'plain' | 'quoted' | 'closing' = 'start';
  let openedOn = 1;
  let pendingCR = false;
  let atStart = true;
  const file = createReadStream(path, {highWaterMark: 256 * 1024});
  try {
    for await (const chunk of decoder(format)(file as AsyncIterable<Buffer>)) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (let i = atStart && text.startsWith('\uFEFF') ? 1 : 0; i < text.length; i++) {
        const ch = text[i];
        const newline = ch === '\n' || ch === '\r';
        if (newline) {
          if (!(ch === '\n' && pendingCR)) line++;
          pendingCR = ch === '\r';
        } else {
          pendingCR = false;
        }
        switch (state) {
          case 'start':
            if (ch === '"') {
              state = 'quoted';
              openedOn = line;
            } else if (!newline && ch !== delimiter) state = 'plain';
            break;
          case 'plain':
            // With relax_quotes a quote here is text.
            if (newline || ch === delimiter) state = 'start';
            break;
          case 'quoted':
            if (ch === '"') state = 'closing';
            break;
          case 'closing':
            if (ch === '"') state = 'quoted';
            else if (newline || ch === delimiter) state = 'start';
            else state = 'plain'; // relax_quotes: `"ab"c` is the text `"ab"c`
            break;
        }
      }
      atStart = false;
    }
  } finally {
    file.destroy();
  }
  return state === 'quoted' ? {kind: 'unclosed', line: openedOn} : undefined;
}
