import {createWriteStream, readdirSync, rmSync, type WriteStream} from 'node:fs';
import {rename, rm} from 'node:fs/promises';
import {once} from 'node:events';
import {basename, dirname, join} from 'node:path';
import {isAlive} from './alive.js';
import {ImportError} from './errors.js';
import type {RowOutcome} from './events.js';
import {RESULT_COLUMNS} from './types.js';

/**
 * A cell Excel would run as a formula gets a leading apostrophe: the text stays readable, the
 * formula never runs. Plain numbers such as `-3` or `+15551234567` are not formulas and stay.
 */
export function neutralizeCell(value: string): string {
  if (value === '') return value;
  const first = value.charCodeAt(0);
  // = + - @ TAB CR
  if (first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return value;
  if ((first === 43 || first === 45) && isSignedNumber(value)) return value;
  return `'${value}`;
}

/** /^[+-]\d+(\.\d+)?$/ without a regex (a phone column's every cell starts with "+"). */
function isSignedNumber(value: string): boolean {
  const n = value.length;
  let i = 1;
  while (i < n && isDigit(value.charCodeAt(i))) i += 1;
  if (i === 1) return false;
  if (i === n) return true;
  if (value.charCodeAt(i) !== 46 || i + 1 === n) return false;
  for (i += 1; i < n; i += 1) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Undo `neutralizeCell` for a results file read back in. */
export function unneutralizeCell(value: string): string {
  return value.length > 1 && value.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * Quoted: a quote, a line break, edge spaces, and any character a spreadsheet may split on, not
 * only this file's delimiter. LibreOffice opens a CSV splitting on comma, semicolon and tab at
 * once (its Text Import default): a household's "Ana; Luis" written bare became two cells, the
 * rest of the row moved one column right, and the row's id and status with it.
 *
 * The rule, as a regex: a cell /[",;\t\r\n]|^\s|\s$/ matches is quoted. Utf8Chunks.plain applies
 * it while it writes (the regex's own pass was 3% of a dry run): these are the ASCII characters
 * quoted anywhere in a cell, and isSpace is \s.
 */
const QUOTED_ASCII = new Uint8Array(128);
for (const c of '",;\t\r\n') QUOTED_ASCII[c.charCodeAt(0)] = 1;

/** Whether a UTF-16 unit is whitespace to a regex's \s: a cell starting or ending with one is quoted. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Bytes of the results file, UTF-8, gathered a chunk at a time. Lines are written here field by
 * field rather than joined into strings first: a million lines made by concatenation reached the
 * file as deep trees of string pieces, which cost 0.6–0.7 µs a row to flatten and encode (about
 * 7% of a dry run). The same bytes as Buffer.from(line) (a lone surrogate as U+FFFD).
 */
class Utf8Chunks {
  private buffer: Buffer;
  private at = 0;

  constructor(private readonly size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.at;
  }

  /** The bytes so far, and a fresh buffer for the next (the stream keeps the one it is given). */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.at);
    this.buffer = Buffer.allocUnsafe(this.size);
    this.at = 0;
    return taken;
  }

  /** An ASCII character. */
  byte(code: number): void {
    if (this.at >= this.buffer.length) this.room(1);
    this.buffer[this.at++] = code;
  }

  /**
   * `text` as it is when it needs no quotes (no QUOTED_ASCII character, no \s at either end), and
   * true; else nothing is written (the bytes put so far are not counted) and false. One pass over
   * an ASCII cell, where the regex made two.
   */
  plain(text: string): boolean {
    const n = text.length;
    if (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(n - 1))) return false;
    if (this.at + n * 3 > this.buffer.length) this.room(n * 3);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        // From the first character outside ASCII: checked to the end, then written by the encoder.
        for (let j = i + 1; j < n; j += 1) {
          const d = text.charCodeAt(j);
          if (d < 0x80 && QUOTED_ASCII[d] === 1) return false;
        }
        this.at = at;
        this.text(text, false, i);
        return true;
      }
      if (QUOTED_ASCII[c] === 1) return false;
      buffer[at++] = c;
    }
    this.at = at;
    return true;
  }

  /** `text` from its unit `from`, with every '"' doubled when `doubleQuotes`. */
  text(text: string, doubleQuotes = false, from = 0): void {
    const n = text.length;
    // At most 3 bytes a UTF-16 unit (a surrogate pair: 4 bytes for 2), 6 with its quote doubled.
    if (this.at + (n - from) * 6 > this.buffer.length) this.room((n - from) * 6);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = from; i < n; i += 1) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        buffer[at++] = c;
        if (c === 34 && doubleQuotes) buffer[at++] = 34;
      } else if (c < 0x800) {
        buffer[at++] = 0xc0 | (c >> 6);
        buffer[at++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            i += 1;
            buffer[at++] = 0xf0 | (c >> 18);
            buffer[at++] = 0x80 | ((c >> 12) & 0x3f);
            buffer[at++] = 0x80 | ((c >> 6) & 0x3f);
            buffer[at++] = 0x80 | (c & 0x3f);
            continue;
          }
          c = 0xfffd;
        }
        buffer[at++] = 0xe0 | (c >> 12);
        buffer[at++] = 0x80 | ((c >> 6) & 0x3f);
        buffer[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.at = at;
  }

  /** A whole number (0 or more, below 2^53) in decimal, as String() writes it. */
  digits(value: number): void {
    if (this.at + 16 > this.buffer.length) this.room(16);
    let count = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) count += 1;
    const buffer = this.buffer;
    let at = this.at + count;
    this.at = at;
    let v = value;
    do {
      buffer[--at] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /** A buffer with room for `bytes` more: a larger one when a line is longer than a chunk. */
  private room(bytes: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.size, (this.at + bytes) * 2));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }
}

/** Temporary files a killed run (SIGKILL, power cut) left beside `path`: their process is gone. */
function removeStaleTemps(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dirname(path), name), {force: true});
  }
}

/** Bytes gathered before one write to the file. */
const CHUNK = 64 * 1024;

/**
 * Writes the results CSV for Excel (UTF-8 BOM, CRLF) to a temporary file beside the target and
 * renames it into place at the end, so the path never holds half a file.
 *
 * Lines are formatted here rather than by csv-stringify: its per-record stream machinery cost
 * 6.9 µs a row, a quarter of a dry run's time; this costs about 1 µs (bench/, 200,000 rows).
 */
export class ResultsWriter {
  private readonly file: WriteStream;
  private readonly tempPath: string;
  private failed: Error | undefined;
  private readonly pending = new Utf8Chunks(CHUNK + 4096);

  private readonly delimiterCode: number;

  /**
   * `delimiter`: ";" for an input that has it (Excel's CSV where the decimal mark is a comma), so
   * that the results open in the same Excel in columns; else ",".
   */
  constructor(readonly path: string, headers: readonly string[], {delimiter = ','}: {delimiter?: ',' | ';'} = {}) {
    removeStaleTemps(path);
    this.delimiterCode = delimiter.charCodeAt(0);
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.file = createWriteStream(this.tempPath);
    this.file.on('error', (error: Error) => {
      this.failed ??= error;
    });
    this.pending.text('\uFEFF');
    const columns = [...headers, ...RESULT_COLUMNS];
    columns.forEach((column, i) => this.put(column, i === columns.length - 1));
  }

  /**
   * One CSV field (RFC 4180) of a line, and the delimiter or line end after it: neutralized
   * (neutralizeCell), quoted when it holds a quote, a delimiter (see QUOTED_ASCII) or a line
   * break, or edge spaces, its quotes doubled.
   */
  private put(value: string, last = false): void {
    const out = this.pending;
    if (value !== '') {
      const cell = neutralizeCell(value);
      if (!out.plain(cell)) {
        out.byte(34);
        out.text(cell, true);
        out.byte(34);
      }
    }
    if (last) {
      out.byte(13);
      out.byte(10);
    } else {
      out.byte(this.delimiterCode);
    }
  }

  /** put(String(value)) for a row number or a count, without the string. */
  private putNumber(value: number): void {
    if (!(Number.isSafeInteger(value) && value >= 0)) return this.put(String(value));
    this.pending.digits(value);
    this.pending.byte(this.delimiterCode);
  }

  /**
   * A promise when the file must take what is pending before more is written (await it to keep
   * memory flat), or when the file cannot be written (it rejects); else undefined, with nothing
   * to wait for (most rows: no promise made for them).
   */
  write(cells: readonly string[], outcome: RowOutcome): Promise<void> | undefined {
    if (this.failed) return Promise.reject(this.unwritable(this.failed));
    for (const cell of cells) this.put(cell);
    // The result columns in RESULT_COLUMNS' order, written out (no array per row: this runs on every row).
    this.putNumber(outcome.row);
    this.put(outcome.status);
    this.put(outcome.userIdentityId ?? '');
    this.put(outcome.code ?? '');
    this.put(outcome.message ?? '');
    this.put(outcome.email ?? '');
    this.put(outcome.phone ?? '');
    if (outcome.duplicateOfRow === undefined) this.put('');
    else this.putNumber(outcome.duplicateOfRow);
    if (outcome.attempts) this.putNumber(outcome.attempts);
    else this.put('');
    this.put(outcome.requestId ?? '', true);
    return this.pending.length >= CHUNK ? this.drain() : undefined;
  }

  private async drain(): Promise<void> {
    const chunk = this.pending.take();
    try {
      if (!this.file.write(chunk)) await once(this.file, 'drain');
    } catch (error) {
      this.failed ??= error as Error;
    }
    if (this.failed) throw this.unwritable(this.failed);
  }

  async commit(): Promise<void> {
    if (this.pending.length > 0) await this.drain();
    try {
      this.file.end();
      if (!this.file.closed) await once(this.file, 'close');
      if (this.failed) throw this.failed;
      await rename(this.tempPath, this.path);
    } catch (error) {
      throw this.unwritable(error as Error);
    }
  }

  /** A disk that fills up or a folder that goes away mid-run: words a person can act on. */
  private unwritable(error: Error): ImportError {
    return new ImportError('output_unwritable', `Could not write the results file ${this.path}: ${error.message}.`, {
      hint: 'Free some disk space (or fix the folder), then run the same command again.',
      cause: error,
    });
  }

  async discard(): Promise<void> {
    this.file.end();
    if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
    await rm(this.tempPath, {force: true});
  }
}
