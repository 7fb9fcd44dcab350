/**
 * .xlsx, streamed: rows are parsed as the worksheet is inflated, never the whole sheet at once.
 * (Shared strings, which Excel keeps in one table for the workbook, are held in memory.) The
 * zip's parts are taken through its central directory, in the order a worksheet needs them:
 * see DirectoryWorkbookReader. exceljs reads the workbook's relationships, sheet list and
 * styles; the strings and the worksheets are read here (xlsx-parts.ts says why).
 *
 * Cells become the text the cell shows, so that phone and id columns never pass through a float:
 * see `cellText`.
 */
import {createRequire} from 'node:module';
import {basename, posix} from 'node:path';
import {Readable} from 'node:stream';
import ExcelJS from 'exceljs';
import {ImportError} from '../errors.js';
import type {RawRow, SourceInfo, TableSource, UnsavedFormula} from '../types.js';
import {HeaderSearch} from './header.js';
import {isBlank, shapeRow} from './text.js';
import {beyondNumberDigits, isDateFormat, isScientificFormat, valueText} from './xlsx-cell.js';
import {MergeFill, readRowMerges, type CellMarks, type RowMerge} from './xlsx-merges.js';
import {readSharedStrings, SharedStrings, worksheetRows, type SheetCell, type SheetRow} from './xlsx-parts.js';
import {limited, MAX_SHARED_STRINGS_CHARS, wholePart, WorkbookLimit} from './xlsx-limits.js';

interface SheetMeta {
  id?: number;
  name: string;
  state?: string;
  rId?: string;
}

/** What exceljs's stream reader has but its typings do not say. */
interface WorkbookReaderInternals {
  /** Worksheets with no value in any cell (Excel's default Sheet2, rows of formatting only): not worth pointing to. */
  blankSheets?: Set<string>;
  /** The sheets that are worksheets (not chart sheets, dialog sheets), by name. */
  worksheetNames?: Set<string>;
  /** The zip's part names: what the file is when it is no workbook. */
  partNames?: string[];
  workbookRels?: Array<{Id?: string; Type?: string; Target?: string}>;
  model?: {sheets?: SheetMeta[]};
  /** The workbook counts its dates from 1904 (see usesDate1904). */
  date1904?: boolean;
  styles?: {getStyleModel(id: number): {numFmt?: unknown} | null};
  stream?: {destroy?: () => void};
}

/** What exceljs's stream reader does with the parts of a workbook (not in its typings). */
interface WorkbookReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
}

/** One worksheet, as the workbook reader hands it out; its rows are read when iterated. */
interface Worksheet {
  id: number | string;
  name: string;
  state?: string;
  /** Closes the worksheet's part without reading it. */
  skip(): void;
  /** `hiddenColumns`: filled with the columns hidden in the sheet (before its first row is given). */
  rows(hiddenColumns?: Set<number>): AsyncGenerator<SheetRow>;
  /** Its merges across rows, read from a second pass over its part. */
  merges(): Promise<RowMerge[]>;
}

interface ZipEntry {
  path: string;
  compressedSize?: number;
  uncompressedSize?: number;
  stream(): Readable;
}

/**
 * A worksheet part this small may hold no value; read whole to tell. An empty sheet is a few
 * hundred bytes; one with formatted empty rows (a template's 200 styled rows) some tens of KB.
 */
const SMALL_SHEET_BYTES = 256 * 1024;

/** No cell with a value (<v>), an inline string (<is>) or a formula (<f>): rows of formatting only. */
async function blankWorksheet(entry: ZipEntry): Promise<boolean> {
  if (entry.uncompressedSize === undefined || entry.uncompressedSize > SMALL_SHEET_BYTES) return false;
  let xml = '';
  for await (const chunk of entry.stream()) {
    xml += String(chunk);
    // The size is the zip's word for it: a part that inflates to more is read in full later, not here.
    if (xml.length > SMALL_SHEET_BYTES) return false;
  }
  return !/<(?:\w+:)?(?:v|is|f)[\s>/]/.test(xml);
}
interface Unzipper {
  Open: {file(path: string): Promise<{files: ZipEntry[]}>};
}
// unzipper, the zip reader exceljs uses (a dependency here too): loaded only to read a workbook,
// from node_modules like exceljs (neither is bundled).
const unzipper = (): Unzipper => createRequire(import.meta.url)('unzipper') as Unzipper;

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * exceljs's streaming reader, fed the workbook's parts through the zip's central directory.
 * exceljs reads the zip in one streaming pass and, while it spools a worksheet stored before
 * the shared strings, pauses that pass; Node's zip stream can then drop the entries after it
 * (exceljs#3064): "Cannot read properties of undefined (reading 'sheets')" at random when the
 * workbook part comes last, as in files exceljs and other tools write, or a sheet lost. Here
 * the parts a worksheet needs are read first, then each worksheet streams row by row from the
 * file, with no temporary copy.
 */
class DirectoryWorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: string,
  options: object,
) => WorkbookReaderParts & WorkbookReaderInternals) {
  private readonly open: Readable[] = [];
  private sharedStrings = new SharedStrings();
  override blankSheets = new Set<string>();
  override worksheetNames = new Set<string>();
  override partNames: string[] = [];
  override date1904 = false;

  constructor(private readonly path: string, options: object) {
    super(path, options);
    // Closed by sheetRows when it is done, as for exceljs's own stream.
    this.stream = {destroy: () => this.open.forEach((stream) => stream.destroy())};
  }

  private read(entry: ZipEntry, cap?: number): {stream: Readable; text: AsyncIterable<string>} {
    const stream = entry.stream();
    // Text, decoded across chunks: exceljs's parser decodes each chunk of bytes alone, and a
    // character cut by a chunk's end read as two U+FFFD (a name in Cyrillic broken in the middle).
    stream.setEncoding('utf8');
    this.open.push(stream);
    return {stream, text: limited(stream, entry, cap)};
  }

  async *parse(): AsyncGenerator<unknown> {
    const {files} = await unzipper().Open.file(this.path);
    this.partNames = files.map((f) => f.path);
    const part = (name: string | undefined): ZipEntry | undefined => (name === undefined ? undefined : files.find((f) => f.path === name));
    const rels = part('xl/_rels/workbook.xml.rels');
    if (rels) await this._parseRels(Readable.from([unprefixed(await wholePart(rels.stream(), rels))]));
    const workbook = part('xl/workbook.xml');
    if (workbook) {
      const xml = await wholePart(workbook.stream(), workbook);
      this.date1904 = usesDate1904(xml);
      await this._parseWorkbook(Readable.from([unprefixed(xml)]));
    }
    // Parts are found through the workbook's relationships: their targets may be relative
    // ("worksheets/sheet1.xml", as Excel writes them) or absolute ("/xl/worksheets/sheet1.xml",
    // as openpyxl and pandas write them).
    const relations = this.workbookRels ?? [];
    const related = (type: string, fallback: string): ZipEntry | undefined => {
      const rel = relations.find((r) => r.Type?.endsWith(`/${type}`));
      return part(rel?.Target === undefined ? undefined : partPath(rel.Target)) ?? part(fallback);
    };
    const strings = related('sharedStrings', 'xl/sharedStrings.xml');
    if (strings) {
      // As many as the worksheets have cells for (by the sizes the zip gives them), no more.
      const worksheets = new Set(files.filter((f) => WORKSHEET.test(f.path)).map((f) => f.path));
      for (const r of relations) if (r.Type?.endsWith('/worksheet') && r.Target !== undefined) worksheets.add(partPath(r.Target));
      const worksheetChars = files.filter((f) => worksheets.has(f.path)).reduce((sum, f) => sum + (f.uncompressedSize ?? 0), 0);
      this.sharedStrings = await readSharedStrings(this.read(strings, MAX_SHARED_STRINGS_CHARS).text, strings.path, worksheetChars);
    }
    const styles = related('styles', 'xl/styles.xml');
    if (styles) await this._parseStyles(Readable.from([unprefixed(await wholePart(styles.stream(), styles))]));
    const sheets = this.model?.sheets ?? [];
    if (sheets.length === 0) {
      // No workbook part to name them: the worksheets by their usual names.
      const numbered = files
        .map((f) => ({entry: f, number: WORKSHEET.exec(f.path)?.[1]}))
        .filter((s): s is {entry: ZipEntry; number: string} => s.number !== undefined)
        .sort((a, b) => Number(a.number) - Number(b.number));
      for (const sheet of numbered) {
        this.worksheetNames.add(`Sheet${sheet.number}`);
        yield this.worksheet(sheet.entry, {id: sheet.number, name: `Sheet${sheet.number}`});
      }
      return;
    }
    const entries = sheets.map((sheet) => {
      const rel = relations.find((r) => r.Id === sheet.rId && r.Type?.endsWith('/worksheet'));
      return part(rel?.Target === undefined ? undefined : partPath(rel.Target));
    });
    for (const [i, entry] of entries.entries()) if (entry) this.worksheetNames.add(sheets[i]!.name);
    // Before the first sheet is handed out: the one read is told which others hold anything.
    for (const [i, entry] of entries.entries()) if (entry && (await blankWorksheet(entry))) this.blankSheets.add(sheets[i]!.name);
    for (const [i, sheet] of sheets.entries()) {
      const entry = entries[i];
      if (!entry) continue;
      yield this.worksheet(entry, {id: sheet.id ?? i + 1, name: sheet.name, state: sheet.state});
    }
  }

  /** The event exceljs's iterator hands out as a worksheet. */
  private worksheet(entry: ZipEntry, meta: {id: number | string; name: string; state?: string}): {eventType: 'worksheet'; value: Worksheet} {
    const strings = this.sharedStrings;
    let opened: {stream: Readable; text: AsyncIterable<string>} | undefined;
    const open = (): AsyncIterable<string> => (opened ??= this.read(entry)).text;
    return {
      eventType: 'worksheet',
      value: {
        ...meta,
        skip: () => opened?.stream.destroy(),
        rows: (hiddenColumns) => worksheetRows(open(), entry.path, strings, hiddenColumns),
        // Read while the rows are given, outside sheetRows: its errors are said here.
        merges: () => readRowMerges(this.read(entry).text, entry.path).catch((error: unknown) => Promise.reject(unreadable(this.path, error))),
      },
    };
  }
}

/**
 * A workbook, relationships or styles part written with a namespace prefix on its elements
 * (`<x:workbook>`, OpenXML SDK), as exceljs's parsers read it: the same XML without the prefixes
 * (attributes keep theirs: `r:id`). Unprefixed parts are given back as they are.
 */
function unprefixed(xml: Buffer): Buffer | string {
  const head = xml.subarray(0, 512).toString('utf8');
  if (!/^\uFEFF?\s*(?:<\?xml[^>]*>\s*)?<[A-Za-z_][\w.-]*:(?:workbook|styleSheet|Relationships)\b/.test(head)) return xml;
  return xml.toString('utf8').replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1');
}

const DATE_1904 = /<(?:\w+:)?workbookPr\b[^>]*?\sdate1904\s*=\s*["'](?:1|true)["']/;

/**
 * Whether the workbook counts dates from 1904 (Excel for Mac's old default): its workbookPr's
 * date1904, "1" as Excel writes it, "true" as LibreOffice does. exceljs's stream reader keeps
 * neither (it holds workbookPr's parser, not what it parsed, and takes only "1"), and its
 * dates came out 4 years and a day early.
 */
function usesDate1904(xml: Buffer): boolean {
  return DATE_1904.test(xml.toString('latin1'));
}

/** A relationship target of xl/workbook.xml → the zip entry's path. */
function partPath(target: string): string {
  return posix.normalize(target.startsWith('/') ? target.slice(1) : `xl/${target}`);
}

function newReader(path: string): DirectoryWorkbookReader {
  return new DirectoryWorkbookReader(path, {
    worksheets: 'emit',
    // Hyperlink cells already hold their display text (e.g. the address of a mailto: link).
    hyperlinks: 'ignore',
    // Needed for number formats (dates, zero-padded numbers).
    styles: 'cache',
    entries: 'ignore',
  });
}

function unreadable(path: string, error: unknown): ImportError {
  if (error instanceof ImportError) return error;
  if (error instanceof WorkbookLimit) {
    return new ImportError(
      'input_malformed',
      `${basename(path)} was not read: ${error.message}. No workbook of people comes near that limit: this one looks damaged or hostile (made to take gigabytes of memory to read).`,
      {
        hint: 'Check where the file came from. If it should hold your people, open it in Excel (or LibreOffice), save it again as .xlsx or export it as CSV UTF-8, and import that.',
        cause: error,
      },
    );
  }
  return new ImportError('input_unreadable', `${basename(path)} could not be read as an Excel workbook (${(error as Error)?.message ?? String(error)}).`, {
    hint: 'The file may be damaged or still being written. Open it in Excel and save it again as .xlsx, or export it as CSV UTF-8.',
    cause: error,
  });
}

/**
 * Rows of one worksheet, each with its sheet row number, in order. Finds the sheet by name
 * (case-insensitive), or takes the first visible one.
 */
async function* sheetRows(
  path: string,
  wanted: string | undefined,
  found: (name: string, all: string[]) => void,
  hiddenColumns?: Set<number>,
): AsyncGenerator<{row: SheetRow; cellFormat: CellFormat; merges: () => Promise<RowMerge[]>}> {
  const reader = newReader(path);
  const internals = reader as WorkbookReaderInternals;
  const seen: string[] = [];
  let target: string | undefined;
  try {
    for await (const worksheet of reader as unknown as AsyncIterable<Worksheet>) {
      const name = worksheet.name;
      seen.push(name);
      const sheets = internals.model?.sheets ?? [];
      if (target === undefined) {
        if (wanted !== undefined) {
          target = sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase())?.name;
          if (target === undefined && name.toLowerCase() === wanted.toLowerCase()) target = name;
        } else {
          // The first visible worksheet: a chart sheet in front of the data ("Dashboard") holds no one.
          const worksheets = sheets.filter((s) => internals.worksheetNames?.has(s.name) ?? true);
          target = (worksheets.find((s) => s.state === undefined || s.state === 'visible') ?? worksheets[0])?.name ?? name;
        }
      }
      if (target === undefined || name !== target) {
        worksheet.skip();
        continue;
      }
      // The sheets a person sees (a hidden one is no place to point them to).
      found(name, sheets.filter((s) => s.name === name || ((s.state === undefined || s.state === 'visible') && !internals.blankSheets?.has(s.name) && (internals.worksheetNames?.has(s.name) ?? true))).map((s) => s.name));
      const cellFormat = new CellFormat(internals);
      const merges = (): Promise<RowMerge[]> => worksheet.merges();
      for await (const row of worksheet.rows(hiddenColumns)) yield {row, cellFormat, merges};
      return;
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    internals.stream?.destroy?.();
  }
  const names = (internals.model?.sheets ?? []).map((s) => s.name).filter((n) => internals.worksheetNames?.has(n) ?? true);
  const list = (names.length > 0 ? names : seen).map((n) => `"${n}"`).join(', ');
  if (wanted !== undefined) {
    const other = (internals.model?.sheets ?? []).find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    throw new ImportError(
      'sheet_not_found',
      other ? `Sheet "${other.name}" of ${basename(path)} is a chart, not a worksheet: it holds no rows. Its worksheets: ${list || '(none)'}.` : `${basename(path)} has no worksheet named "${wanted}". Its worksheets: ${list || '(none)'}.`,
      {hint: 'Pass --sheet with one of those names.'},
    );
  }
  if (internals.model === undefined) {
    const parts = internals.partNames ?? [];
    // Excel's binary workbook (.xlsb) and Apple Numbers are zips too, with their own parts.
    if (parts.includes('xl/workbook.bin')) {
      throw new ImportError('input_unreadable', `${basename(path)} is an Excel Binary Workbook (.xlsb), which seam-import cannot read.`, {
        hint: 'Open it in Excel and save it as .xlsx (File > Save As, "Excel Workbook") or as CSV UTF-8.',
      });
    }
    if (parts.includes('Index/Document.iwa') || parts.some((p) => p.startsWith('Index/') && p.endsWith('.iwa'))) {
      throw new ImportError('input_unreadable', `${basename(path)} is an Apple Numbers document, which seam-import cannot read.`, {
        hint: 'Open it in Numbers and export it: File > Export To > Excel (or CSV).',
      });
    }
    // A zip of spreadsheets, as they arrive by email: the file to import is inside it. Not an
    // Office document ([Content_Types].xml): a .pptx or .docx with a chart holds an .xlsx too.
    const inside = parts.includes('[Content_Types].xml') ? [] : parts.filter((p) => /\.(?:csv|tsv|xlsx)$/i.test(p) && !/(?:^|\/)(?:__MACOSX\/|\._)/.test(p));
    if (inside.length > 0) {
      const shown = inside.slice(0, 3).map((p) => `"${p}"`).join(', ') + (inside.length > 3 ? `, and ${inside.length - 3} more` : '');
      throw new ImportError('input_unreadable', `${basename(path)} is a zip archive holding ${inside.length === 1 ? 'a spreadsheet' : 'spreadsheets'}: ${shown}.`, {
        hint: `Unzip it and import the file inside (seam-import reads .csv, .tsv, .txt and .xlsx, not a zip of them).`,
      });
    }
    throw new ImportError('input_unreadable', `${basename(path)} is a zip file but not an Excel workbook (an OpenDocument, Numbers or Word file?).`, {
      hint: 'Open it in its program and save it as .xlsx or as CSV UTF-8.',
    });
  }
  throw new ImportError('input_empty', `${basename(path)} has no worksheets.`, {hint: 'Open it in Excel and check that it is the right file.'});
}

/** The workbook's number formats (by cell format index) and date system. */
class CellFormat {
  private readonly numFmts = new Map<number, string | undefined>();
  private readonly date1904: boolean;

  constructor(private readonly workbook: WorkbookReaderInternals) {
    this.date1904 = workbook.date1904 === true;
  }

  private numFmt(style: number): string | undefined {
    if (!this.numFmts.has(style)) {
      let numFmt: unknown;
      try {
        numFmt = this.workbook.styles?.getStyleModel(style)?.numFmt;
      } catch {
        // A workbook with no styles part (optional; some exporters leave it out): every cell is General.
        numFmt = undefined;
      }
      this.numFmts.set(style, typeof numFmt === 'string' ? numFmt : undefined);
    }
    return this.numFmts.get(style);
  }

  /** The row's cells as text; what the text alone does not say about them goes to `marks`, when given. */
  cells(row: SheetRow, width: number | undefined, marks?: CellMarks): string[] {
    const cells: string[] = [];
    for (const cell of row.cells) {
      while (cells.length < cell.col - 1) cells.push('');
      const numFmt = this.numFmt(cell.style);
      cells[cell.col - 1] = valueText(cell.value, numFmt, this.date1904);
      if (marks) mark(marks, cell, numFmt);
    }
    if (width !== undefined) while (cells.length < width) cells.push('');
    return cells;
  }
}

function newMarks(): CellMarks {
  return {unsaved: [], numbers: [], long: [], dates: [], scientific: []};
}

function mark(marks: CellMarks, cell: SheetCell, numFmt: string | undefined): void {
  const column = cell.col - 1;
  if (cell.unsavedFormula !== undefined) marks.unsaved.push({column, formula: cell.unsavedFormula});
  // A number shown as General or in scientific notation: what a phone saved through either looks like.
  if (typeof cell.value === 'number' && (numFmt === undefined || /^general$/i.test(numFmt) || isScientificFormat(numFmt))) {
    marks.numbers.push(column);
    if (numFmt !== undefined && isScientificFormat(numFmt)) marks.scientific.push(column);
  }
  // A formula's number is held to 15 digits as well.
  const value = typeof cell.value === 'object' && 'formula' in cell.value ? cell.value.result : cell.value;
  const date = numFmt !== undefined && isDateFormat(numFmt);
  if (typeof value === 'number' && beyondNumberDigits(value) && !date) marks.long.push(column);
  if (typeof value === 'number' && date) marks.dates.push(column);
}

/** A worksheet with no rows: the error names the workbook's other sheets and the --sheet to pass. */
function emptySheet(path: string, sheetName: string, sheetNames: readonly string[]): ImportError {
  const empty = `Worksheet "${sheetName}" of ${basename(path)} is empty`;
  if (sheetNames.length === 0) {
    // A workbook without its sheet list (sheets found by their part names): the others are not known.
    return new ImportError('input_empty', `${empty}.`, {hint: 'Pick the sheet that holds the people with --sheet <name>.'});
  }
  const others = sheetNames.filter((name) => name !== sheetName);
  if (others.length === 0) {
    return new ImportError('input_empty', `${empty}, and the workbook has no other sheet.`, {
      hint: 'Check that it is the right file, and that the people were saved in it.',
    });
  }
  const list = others.map((name) => `"${name}"`).join(', ');
  return new ImportError('input_empty', `${empty}; the workbook also has ${list}.`, {
    hint: `Pass --sheet "${others[0]}" if the people are there${others.length > 1 ? ' (or another sheet’s name)' : ''}.`,
  });
}

export async function openXlsx(path: string, sheet?: string, isHeader?: (headers: string[]) => boolean): Promise<TableSource> {
  let sheetName = '';
  const search = new HeaderSearch(isHeader);
  let sheetNames: string[] = [];
  const onSheet = (name: string, all: string[]): void => {
    sheetName = name;
    sheetNames = all;
  };
  const hidden = new Set<number>();
  for await (const {row, cellFormat} of sheetRows(path, sheet, onSheet, hidden)) {
    const cells = cellFormat.cells(row, undefined);
    if (isBlank(cells)) continue;
    // Trailing empty header cells are formatting, not columns (Excel keeps styled empty cells).
    while (cells.length > 0 && (cells[cells.length - 1] ?? '').trim() === '') cells.pop();
    if (search.offer(cells, row.number)) break;
  }
  const found = search.found();
  if (found === undefined) throw emptySheet(path, sheetName, sheetNames);
  const header = found.headers;
  const headerRow = found.line;
  const info: SourceInfo = {path, format: 'xlsx', sheet: sheetName, headers: header, sheets: sheetNames};
  if (found.above.length > 0) info.aboveHeader = {line: headerRow, rows: found.above};
  const hiddenColumns = header.map((_, i) => i).filter((i) => hidden.has(i));
  if (hiddenColumns.length > 0) info.hiddenColumns = hiddenColumns;

  /** Read on the first pass over the rows, for the others. */
  let merges: Promise<RowMerge[]> | undefined;

  async function* rows(signal?: AbortSignal): AsyncGenerator<RawRow> {
    let mergeFill: MergeFill | undefined;
    for await (const {row, cellFormat, merges: readMerges} of sheetRows(path, sheetName, () => {})) {
      if (signal?.aborted) throw signal.reason;
      if (row.number <= headerRow) continue;
      mergeFill ??= new MergeFill(await (merges ??= readMerges()), headerRow);
      const marks = newMarks();
      const cells = cellFormat.cells(row, header.length, marks);
      // Rows missing from the sheet and empty rows are skipped; the index is the sheet row
      // minus the header row, so import_row + header row = the row number Excel shows. A row
      // of formulas with no saved values is not empty: its values are unknown. A row with
      // nothing but the cells of a merge from above is empty too: no one is on it.
      if (isBlank(cells) && marks.unsaved.length === 0) continue;
      const merged = mergeFill.next(row.number, cells, marks);
      const shaped = shapeRow(cells, header, row.number - headerRow, row.number, undefined);
      if (marks.unsaved.length > 0) shaped.unsavedFormulas = marks.unsaved;
      if (row.hidden) shaped.hidden = true;
      if (marks.numbers.length > 0) shaped.numberCells = marks.numbers;
      if (marks.long.length > 0) shaped.longNumbers = marks.long;
      if (marks.dates.length > 0) shaped.dateCells = marks.dates;
      if (marks.scientific.length > 0) shaped.scientificCells = marks.scientific;
      if (merged.length > 0) shaped.mergedCells = merged;
      yield shaped;
    }
  }

  return {info, headers: header, rows};
}
