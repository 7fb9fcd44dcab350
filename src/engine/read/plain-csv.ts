/**
 * A fast reader for the plain shape nearly every export has: values unquoted (a quote inside one
 * is text, as csv-parse's relax_quotes keeps it: Bob "Bobby" Smith), or wholly in quotes (inner
 * quotes doubled), split by one delimiter, lines ended by CRLF, LF or CR. It gives exactly the
 * records csv-parse gives with the importer's options for such text, in about a seventh of the
 * time (300,000 rows: 0.2 s against 1.4 s; csv-parse was the largest single cost of a dry run,
 * paid twice).
 *
 * Anything else (text after a closing quote, a quote never closed, a record over a megabyte, a
 * character the decoder could not read, half a UTF-16 pair) throws `NotPlain` with nothing given
 * for the record it is in: the caller hands the file to csv-parse, which skips the records
 * already given and goes on (or reports the problem as it always has). test/plain-csv.test.ts
 * holds the two to the same records on generated text.
 */

/** The text is not plain here; csv-parse reads it from this record on. */
export class NotPlain extends Error {
  constructor(reason: string) {
    super(`not plain CSV: ${reason}`);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** A record still unfinished after this many characters goes to csv-parse (it may be a quote never closed). */
const MAX_PENDING_CHARS = 1024 * 1024;

export class PlainCsv {
  private readonly delimiter: number;
  private pending = '';
  private atStart = true;

  /** `delimiter` is one character (csv-parse handles longer ones). */
  constructor(delimiter: string) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw new NotPlain('delimiter');
    this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * The records that `text` completes (appended to `out`). The last, unfinished record waits
   * for the next call; `final` says there is no more text. `spanning` gets the place in `out` of
   * each record with a line break inside a cell (only a quoted value holds one), so that the
   * others need no search for one (the reader counts lines, decide looks for swallowed rows).
   */
  feed(text: string, final: boolean, out: string[][], spanning?: number[]): void {
    let s = this.pending === '' ? text : this.pending + text;
    if (this.atStart && s.length > 0) {
      this.atStart = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    if (s.includes('\uFFFD')) throw new NotPlain('undecodable bytes');
    // Half a UTF-16 pair (a damaged "Unicode Text" file): csv-parse, which re-encodes text as
    // UTF-8, reads it as U+FFFD. (isWellFormed: Node 20 has it; the ES2023 lib does not name it.)
    if (!(s as unknown as {isWellFormed(): boolean}).isWellFormed()) throw new NotPlain('half a UTF-16 pair');
    const n = s.length;
    const delimiter = this.delimiter;
    let recordStart = 0;
    let i = 0;
    let cells: string[] = [];
    // One pass over the text, a record at a time; `break scan` leaves an unfinished record pending.
    scan: while (i < n) {
      let c: number;
      if (s.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q === -1) {
            if (final) throw new NotPlain('a quote never closed');
            break scan;
          }
          if (q + 1 >= n && !final) break scan; // `"` or `""`: the next text tells
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += s.slice(from, q);
          i = q + 1;
          break;
        }
        if (spanning !== undefined && spanning[spanning.length - 1] !== out.length && (value.includes('\n') || value.includes('\r'))) spanning.push(out.length);
        cells.push(value);
        if (i >= n) {
          out.push(cells); // final: the last record, with no line break after it
          cells = [];
          recordStart = i;
          break;
        }
        c = s.charCodeAt(i);
        if (c !== delimiter && c !== LF && c !== CR) throw new NotPlain('text after a closing quote');
      } else {
        let j = i;
        c = -1;
        while (j < n) {
          c = s.charCodeAt(j);
          if (c === delimiter || c === LF || c === CR) break;
          j++;
        }
        if (j >= n) {
          if (!final) break;
          cells.push(s.slice(i, j));
          out.push(cells);
          cells = [];
          recordStart = j;
          i = j;
          break;
        }
        cells.push(s.slice(i, j));
        i = j;
      }
      if (c === delimiter) {
        i++;
        if (i >= n) {
          if (!final) break;
          cells.push('');
          out.push(cells);
          cells = [];
          recordStart = i;
        }
        continue;
      }
      // A line end: CRLF is one.
      if (c === CR) {
        if (i + 1 >= n && !final) break;
        i += s.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      out.push(cells);
      cells = [];
      recordStart = i;
    }
    this.pending = recordStart === 0 ? s : s.slice(recordStart);
    if (final) {
      if (this.pending !== '') throw new NotPlain('an unfinished record at the end');
    } else if (this.pending.length > MAX_PENDING_CHARS) {
      throw new NotPlain('a record over a megabyte');
    }
  }
}
