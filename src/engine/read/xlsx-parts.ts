/**
 * The shared strings and the worksheets of an .xlsx, read with exceljs's SAX parser but not
 * with exceljs's readers, which lose text a person typed:
 * - a Japanese name typed in Excel keeps its reading (furigana, `<rPh>`) beside it in the
 *   file; exceljs kept only the reading ("タロウ" for "山田太郎");
 * - text with mixed formatting written into the cell (`<is><r>…</r><r>…</r></is>`, as
 *   openpyxl and export tools write it) kept only its last piece ("Ray" for "Bob Ray");
 * - cells and rows without a reference (`r` is optional in the format) failed with a
 *   JavaScript error;
 * - a formula's saved empty text ("") or error (#N/A) read as a value never saved.
 * Rows also say whether they are hidden (by hand, or by a filter); hidden columns are collected
 * into `hiddenColumns` when given.
 */
import {kb, MAX_COLUMNS, MAX_TEXT_CHARS, saxEvents, sharedStringsRoom, WorkbookLimit} from './xlsx-limits.js';

/** A cell's value in the shape `valueText` reads (exceljs's own shapes). */
export type CellValue = string | number | boolean | {error: string} | {formula: string; result?: unknown} | undefined;

export interface SheetCell {
  /** 1-based column. */
  col: number;
  value: CellValue;
  /** Index into the workbook's cell formats. */
  style: number;
  /** A formula whose value the file does not hold (a program wrote it; nothing calculated it). */
  unsavedFormula?: string;
}

export interface SheetRow {
  /** 1-based sheet row. */
  number: number;
  hidden: boolean;
  cells: SheetCell[];
}

/**
 * An element's name without its namespace prefix: SpreadsheetML written with one (`<x:row>`,
 * `<x:c>`, `<x:si>`, as code using Microsoft's OpenXML SDK writes it) is the same XML. Read by
 * the bare names, such a worksheet was "empty", and prefixed shared strings were dropped: people
 * were created with a phone alone.
 */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function tooMuchText(path: string): WorkbookLimit {
  return new WorkbookLimit(`a cell or shared string in its part ${path} holds more than ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters (Excel holds at most 32,767 in a cell)`);
}

/** Text of a string item: its `<t>` parts, joined, without phonetic readings (`<rPh>`). */
class TextCollector {
  private parts = '';
  private inT = false;
  private inPhonetic = 0;

  constructor(private readonly path: string) {}

  open(name: string): void {
    if (name === 'rPh') this.inPhonetic += 1;
    else if (name === 't' && this.inPhonetic === 0) this.inT = true;
  }

  close(name: string): void {
    if (name === 'rPh') this.inPhonetic -= 1;
    else if (name === 't') this.inT = false;
  }

  text(value: string): void {
    if (!this.inT) return;
    this.parts += value;
    // Text in many pieces (<r><t>…</t></r> over and over) is one cell's.
    if (this.parts.length > MAX_TEXT_CHARS) throw tooMuchText(this.path);
  }

  take(): string {
    const text = this.parts;
    this.parts = '';
    this.inT = false;
    this.inPhonetic = 0;
    return text;
  }
}

/** Strings per block of the packed table (a power of two). */
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;

/**
 * The workbook's shared strings, packed: each block of BLOCK strings is one flat string and the
 * offsets where its strings end. Kept as half a million separate strings (a 200,000-row roster
 * as Excel saves it), they held about 40 MB of the heap and the run peaked near 275 MB.
 */
export class SharedStrings {
  private readonly blocks: string[] = [];
  private readonly ends: Uint32Array[] = [];
  private pending: string[] = [];
  length = 0;

  push(text: string): void {
    this.pending.push(text);
    this.length += 1;
    if (this.pending.length === BLOCK) this.pack();
  }

  /** The string at `index`, or undefined when the table has none there. */
  get(index: number): string | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const block = index >>> BLOCK_BITS;
    const at = index & (BLOCK - 1);
    if (block === this.blocks.length) return this.pending[at];
    const ends = this.ends[block]!;
    return this.blocks[block]!.slice(at === 0 ? 0 : ends[at - 1], ends[at]);
  }

  private pack(): void {
    const ends = new Uint32Array(this.pending.length);
    let end = 0;
    for (let i = 0; i < this.pending.length; i += 1) ends[i] = end += this.pending[i]!.length;
    // One copy of the block's text: the parser's pieces (slices of the XML it read) are let go.
    this.blocks.push(this.pending.join(''));
    this.ends.push(ends);
    this.pending = [];
  }
}

/**
 * `worksheetChars`: the size of the worksheets, which bounds how many strings they have cells
 * for (see sharedStringsRoom); the rest would be held in memory for nothing: 3,000,000 strings
 * no cell used took 1.36 GB.
 */
export async function readSharedStrings(entry: AsyncIterable<string>, path: string, worksheetChars = Infinity): Promise<SharedStrings> {
  const room = sharedStringsRoom(worksheetChars);
  const strings = new SharedStrings();
  const text = new TextCollector(path);
  let inItem = false;
  for await (const events of saxEvents(entry, path)) {
    for (const event of events) {
      if (event.eventType === 'text') {
        if (inItem) text.text(event.value);
      } else if (event.eventType === 'opentag') {
        const name = localName(event.value.name);
        if (name === 'si') {
          inItem = true;
          text.take();
        } else if (inItem) text.open(name);
      } else {
        const name = localName(event.value.name);
        if (name === 'si') {
          inItem = false;
          strings.push(text.take());
          if (strings.length > room) {
            throw new WorkbookLimit(
              `its part ${path} holds more than ${room.toLocaleString('en-US')} shared strings, more than its worksheets (${kb(worksheetChars)} of XML) have cells for`,
            );
          }
        } else if (inItem) text.close(name);
      }
    }
  }
  return strings;
}

/** "AB12" → 28; undefined when it is not a cell reference. */
function columnOf(ref: string | undefined): number | undefined {
  if (ref === undefined) return undefined;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? undefined : col;
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function isTrue(text: string | undefined): boolean {
  return text === '1' || text === 'true';
}

interface OpenCell {
  col: number;
  type: string | undefined;
  style: number;
  formula: string | undefined;
  value: string | undefined;
  inline: boolean;
}

/**
 * Rows of a worksheet part, in file order, as they are inflated. Cells are given with their
 * raw value: `t="s"` cells as the index into the shared strings.
 */
export async function* worksheetRows(entry: AsyncIterable<string>, path: string, sharedStrings: SharedStrings, hiddenColumns?: Set<number>): AsyncGenerator<SheetRow> {
  let row: SheetRow | undefined;
  let lastRow = 0;
  let cell: OpenCell | undefined;
  let lastCol = 0;
  /** Text goes to the cell's <f> or <v> while inside one. */
  let into: 'f' | 'v' | undefined;
  const inline = new TextCollector(path);
  let inInline = false;
  for await (const events of saxEvents(entry, path)) {
    const done: SheetRow[] = [];
    for (const event of events) {
      if (event.eventType === 'text') {
        if (!cell) continue;
        if (inInline) inline.text(event.value);
        else if (into === 'f') cell.formula = (cell.formula ?? '') + event.value;
        else if (into === 'v') cell.value = (cell.value ?? '') + event.value;
        if ((cell.formula?.length ?? 0) > MAX_TEXT_CHARS || (cell.value?.length ?? 0) > MAX_TEXT_CHARS) throw tooMuchText(path);
        continue;
      }
      const name = localName(event.value.name);
      const attributes = event.value.attributes;
      if (event.eventType === 'opentag') {
        // <cols> comes before the rows: a column hidden in Excel (<col min max hidden="1">), 0-based.
        if (name === 'col' && hiddenColumns && isTrue(attributes['hidden'])) {
          const min = positiveInt(attributes['min']);
          const max = positiveInt(attributes['max']) ?? min;
          if (min !== undefined && max !== undefined) for (let c = min; c <= Math.min(max, 16_384); c++) hiddenColumns.add(c - 1);
          continue;
        }
        if (name === 'row') {
          const number = positiveInt(attributes['r']) ?? lastRow + 1;
          // Rows in order, each once, as the format requires: a row given twice (or going back)
          // would put two people on one row number, and their results on the wrong lines.
          if (number <= lastRow) {
            throw new Error(`its worksheet gives row ${number} after row ${lastRow}, where rows must come in order, each once; a program other than Excel wrote it`);
          }
          lastRow = number;
          row = {number: lastRow, hidden: isTrue(attributes['hidden']), cells: []};
          lastCol = 0;
        } else if (name === 'c' && row) {
          lastCol = columnOf(attributes['r']) ?? lastCol + 1;
          // Past it, the row's cells would be padded out to a column no sheet has ("ZZZZZZZZ1").
          if (lastCol > MAX_COLUMNS || row.cells.length >= MAX_COLUMNS) {
            throw new WorkbookLimit(`its part ${path} has a cell past column ${MAX_COLUMNS.toLocaleString('en-US')} (XFD, Excel's last) in row ${row.number}`);
          }
          cell = {col: lastCol, type: attributes['t'], style: Number(attributes['s'] ?? 0) || 0, formula: undefined, value: undefined, inline: false};
        } else if (cell) {
          if (inInline) inline.open(name);
          else if (name === 'f') {
            into = 'f';
            cell.formula ??= '';
          } else if (name === 'v') {
            into = 'v';
            cell.value ??= '';
          } else if (name === 'is') {
            inInline = true;
            cell.inline = true;
            inline.take();
          }
        }
      } else if (name === 'row') {
        if (row) done.push(row);
        row = undefined;
      } else if (name === 'c') {
        if (cell && row) row.cells.push(finish(cell, sharedStrings));
        cell = undefined;
        into = undefined;
        inInline = false;
      } else if (cell) {
        if (name === 'is') {
          inInline = false;
          cell.value = inline.take();
        } else if (inInline) inline.close(name);
        else if (name === 'f' || name === 'v') into = undefined;
      }
    }
    yield* done;
  }
}

function finish(cell: OpenCell, sharedStrings: SharedStrings): SheetCell {
  const out: SheetCell = {col: cell.col, style: cell.style, value: undefined};
  const raw = cell.value;
  let value: CellValue;
  if (raw !== undefined) {
    switch (cell.type) {
      case 's': {
        // An index the table does not have: the cell's text is unknown, never read as empty.
        const text = sharedStrings.get(Number(raw));
        if (text === undefined) {
          throw new Error(`a cell refers to shared string ${raw.trim()}, which its shared-strings table does not have (it has ${sharedStrings.length}); the file is damaged, or written by a program whose workbooks seam-import cannot read`);
        }
        value = text;
        break;
      }
      case 'str':
      case 'inlineStr':
        value = raw;
        break;
      case 'b':
        value = isTrue(raw);
        break;
      case 'e':
        value = {error: raw};
        break;
      case 'd':
        // An ISO 8601 date written as text (strict OOXML); shown as written.
        value = raw;
        break;
      default:
        value = cell.inline ? raw : raw.trim() === '' ? undefined : Number(raw);
    }
  }
  if (cell.formula !== undefined) {
    // A formula with a saved value (even "" or an error) has that value; without one it is unknown.
    if (raw === undefined) out.unsavedFormula = cell.formula === '' ? '(a shared formula)' : cell.formula;
    out.value = raw === undefined ? {formula: cell.formula} : {formula: cell.formula, result: value};
  } else {
    out.value = value;
  }
  return out;
}
