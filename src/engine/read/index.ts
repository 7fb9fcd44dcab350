/**
 * Open a spreadsheet: delimited text (.csv .tsv .txt, any encoding Excel writes) or .xlsx.
 *
 * Blank rows (every cell empty) are not people and are never yielded, but they DO count in
 * `RawRow.index`: `import_row` then equals the spreadsheet's row number minus the header row,
 * which is what the user sees when they open the file (row 7 in Excel is import_row 6, even
 * with a blank row 4 above it). So indexes can have gaps; a trailing run of empty rows that
 * Excel exports (",,,,") costs nothing.
 *
 * A header with no data rows is not an error here: `rows()` simply yields nothing, and the
 * engine, which counts rows, can say "no data rows".
 */
import {basename} from 'node:path';
import {ImportError} from '../errors.js';
import type {RawRow, SourceInfo, TableSource} from '../types.js';
import {classify, detectText, encodingName, readPrefix, type TextFormat} from './detect.js';
import {HeaderSearch} from './header.js';
import {isBlank, shapeRow, textRecordBatches, textRecords} from './text.js';

export interface OpenTableOptions {
  /** Worksheet of an .xlsx, by name (case-insensitive). @default the first sheet */
  sheet?: string;
  /** A text file's encoding (see `encodingOption`). @default found from the file's bytes */
  encoding?: string;
  /**
   * Whether a row's cells are a header the import can use; rows above the first that is
   * (title lines) are left out. Without it, the first non-blank row is the header.
   */
  isHeader?: (headers: string[]) => boolean;
}

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableSource> {
  const {prefix, wholeFile} = await readPrefix(path);
  const kind = classify(path, prefix, wholeFile);
  if (kind.kind === 'xlsx') {
    // exceljs takes seconds to load on a small machine: only a workbook pays for it.
    const {openXlsx} = await import('./xlsx.js');
    return openXlsx(path, options.sheet, options.isHeader);
  }
  const format = await detectText(path, kind.prefix, kind.wholeFile, options.encoding);
  const {source, recognised} = await openText(path, format, options.isHeader);
  if (!recognised && options.isHeader) {
    // Title lines above the header can hide its delimiter from the sniffer: try the others it saw.
    for (const delimiter of format.otherDelimiters ?? []) {
      const other = await openText(path, {...format, delimiter}, options.isHeader);
      if (other.recognised) return other.source;
    }
  }
  return source;
}

async function openText(path: string, format: TextFormat, isHeader: OpenTableOptions['isHeader']): Promise<{source: TableSource; recognised: boolean}> {
  const search = new HeaderSearch(isHeader);
  for await (const record of textRecords(path, format)) {
    if (isBlank(record.cells)) continue;
    if (search.offer(record.cells, record.line)) break;
  }
  const found = search.found();
  if (found === undefined) {
    throw new ImportError('input_empty', `${basename(path)} has no header row: ${format.sepLine ? 'after the "sep=" line ' : ''}every line is blank.`, {
      hint: 'Export the spreadsheet again; the first row must name the columns (e.g. Name, Email, Phone).',
    });
  }
  const header = found.headers;
  const headerLine = found.line;
  const info: SourceInfo = {path, format: 'csv', encoding: encodingName(format.encoding), delimiter: format.delimiter, headers: header};
  if (format.damagedUtf8) info.damagedUtf8 = true;
  if (format.utf8UnderNamed) info.utf8UnderNamed = format.utf8UnderNamed;
  if (found.above.length > 0) info.aboveHeader = {line: headerLine, rows: found.above};

  async function* rowBatches(signal?: AbortSignal): AsyncGenerator<RawRow[]> {
    let seenHeader = false;
    let index = 0;
    for await (const records of textRecordBatches(path, format, signal)) {
      const batch: RawRow[] = [];
      for (const record of records) {
        if (!seenHeader) {
          // Everything up to the header found above (blank lines, title lines) is skipped.
          if (record.line === headerLine) seenHeader = true;
          continue;
        }
        index++;
        if (isBlank(record.cells)) continue;
        batch.push(shapeRow(record.cells, header, index, record.line, format.delimiter, record.lines));
      }
      if (batch.length > 0) yield batch;
    }
  }

  async function* rows(signal?: AbortSignal): AsyncGenerator<RawRow> {
    for await (const batch of rowBatches(signal)) {
      for (const row of batch) {
        if (signal?.aborted) throw signal.reason;
        yield row;
      }
    }
  }

  return {source: {info, headers: header, rows, rowBatches}, recognised: found.recognised};
}
