/**
 * Cells merged across rows. A family's last name or unit is often merged down over the family's
 * rows: the sheet shows it on each row, but the file holds it only in the merge's first (top-left)
 * cell, and the cells it covers are empty. Read as written, the second person of the family had
 * no last name, or no email when a shared address was merged. Here each row of such a merge takes
 * its value, as the sheet shows it.
 *
 * Only merges that span rows, and only below the header: a title merged across the columns
 * above the header is no value of anyone's, and a value merged across columns is already in the
 * row once (copied into the next columns it would be read twice, "Ann Lee Ann Lee").
 */
import type {UnsavedFormula} from '../types.js';
import {MAX_XML_RUN, WorkbookLimit} from './xlsx-limits.js';

/** More merges across rows than Excel has rows: no sheet of people has them (each is kept in memory). */
const MAX_ROW_MERGES = 1_048_576;

/** A merge that spans rows: its first column (0-based) and its first and last sheet rows. */
export interface RowMerge {
  column: number;
  top: number;
  bottom: number;
}

/** "AB12" → {column: 27 (0-based), row: 12}. */
function cellRef(ref: string): {column: number; row: number} | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(ref);
  if (!m) return undefined;
  let column = 0;
  for (const c of m[1]!.toUpperCase()) column = column * 26 + (c.charCodeAt(0) - 64);
  return {column: column - 1, row: Number(m[2])};
}

const MERGE = /<(?:\w+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']*)["']/g;

/**
 * The worksheet's merges that span rows (its `<mergeCells>`, which come after all its rows). The
 * part is scanned as text, not parsed: one inflate, no XML events for the rows.
 */
export async function readRowMerges(entry: AsyncIterable<string | Buffer>, path: string): Promise<RowMerge[]> {
  const merges: RowMerge[] = [];
  let carry = '';
  for await (const chunk of entry) {
    // Latin-1 keeps every byte one character: a reference is ASCII, split anywhere or not.
    const text = carry + (Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk));
    // A tag cut at the chunk's end is read with the next chunk.
    const open = text.lastIndexOf('<');
    const complete = open !== -1 && text.indexOf('>', open) === -1 ? open : text.length;
    for (const m of text.slice(0, complete).matchAll(MERGE)) {
      const [from, to] = (m[1] ?? '').split(':');
      const first = cellRef(from ?? '');
      const last = to === undefined ? undefined : cellRef(to);
      if (first && last && last.row > first.row) merges.push({column: Math.min(first.column, last.column), top: Math.min(first.row, last.row), bottom: Math.max(first.row, last.row)});
    }
    if (merges.length > MAX_ROW_MERGES) throw new WorkbookLimit(`its part ${path} merges cells across rows more than ${MAX_ROW_MERGES.toLocaleString('en-US')} times`);
    carry = text.slice(complete);
    if (carry.length > MAX_XML_RUN) throw new WorkbookLimit(`its part ${path} has a tag longer than ${MAX_XML_RUN / 1024 / 1024} MB`);
  }
  return merges;
}

/**
 * What a row's text does not say about its cells: each list holds 0-based columns, or the formula.
 * A merge carries them down with the value.
 */
export interface CellMarks {
  /** Formulas with no saved value. */
  unsaved: UnsavedFormula[];
  /** Numbers in General format (not text). */
  numbers: number[];
  /** Numbers of more than 15 digits (not dates): their digits past the 15th are lost. */
  long: number[];
  /** Numbers shown through a date or time format. */
  dates: number[];
  /** Numbers shown in scientific notation (0.00E+00): a subset of `numbers`. */
  scientific: number[];
}

interface OpenMerge {
  merge: RowMerge;
  text: string;
  unsaved?: string;
  number: boolean;
  long: boolean;
  date: boolean;
  scientific: boolean;
}

/** Gives the cells merges cover the value of the merge's first cell; rows are given in sheet order. */
export class MergeFill {
  private readonly starting = new Map<number, RowMerge[]>();
  private open: OpenMerge[] = [];

  /** `merges` whose first row is below `headerRow` are filled in. */
  constructor(merges: readonly RowMerge[], headerRow: number) {
    for (const merge of merges) {
      if (merge.top <= headerRow) continue;
      const list = this.starting.get(merge.top);
      if (list) list.push(merge);
      else this.starting.set(merge.top, [merge]);
    }
  }

  /**
   * Fills the cells of sheet row `row` that merges from the rows above cover, and takes the values
   * of the merges that start in it. The columns filled, each holding a value.
   */
  next(row: number, cells: string[], marks: CellMarks): number[] {
    const filled: number[] = [];
    if (this.open.length > 0) {
      this.open = this.open.filter((o) => o.merge.bottom >= row);
      for (const o of this.open) {
        // Nothing to give, or a column beyond the header's (its cells are not read).
        if ((o.text === '' && o.unsaved === undefined) || o.merge.column >= cells.length) continue;
        fill(cells, marks, o);
        filled.push(o.merge.column);
      }
    }
    for (const merge of this.starting.get(row) ?? []) {
      const column = merge.column;
      this.open.push({
        merge,
        text: cells[column] ?? '',
        unsaved: marks.unsaved.find((u) => u.column === column)?.formula,
        number: marks.numbers.includes(column),
        long: marks.long.includes(column),
        date: marks.dates.includes(column),
        scientific: marks.scientific.includes(column),
      });
    }
    return filled;
  }
}

/** The merge's value in the cell it covers, with what is known of it (a number, a formula with no value). */
function fill(cells: string[], marks: CellMarks, o: OpenMerge): void {
  const column = o.merge.column;
  cells[column] = o.text;
  marks.unsaved = marks.unsaved.filter((u) => u.column !== column);
  if (o.unsaved !== undefined) marks.unsaved.push({column, formula: o.unsaved});
  marks.numbers = marks.numbers.filter((c) => c !== column);
  if (o.number) marks.numbers.push(column);
  marks.long = marks.long.filter((c) => c !== column);
  if (o.long) marks.long.push(column);
  marks.dates = marks.dates.filter((c) => c !== column);
  if (o.date) marks.dates.push(column);
  marks.scientific = marks.scientific.filter((c) => c !== column);
  if (o.scientific) marks.scientific.push(column);
}
