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
import {classify, detectText, readPrefix, type TextFormat} from './detect.js';
import {headerCells, isBlank, shapeRow, textRecords} from './text.js';

export interface OpenTableOptions {
  /** Worksheet of an .xlsx, by name (case-insensitive). @default the first sheet */
  sheet?: string;
}

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableSource> {
  const {prefix, wholeFile} = await readPrefix(path);
  const kind = classify(path, prefix, wholeFile);
  if (kind.kind === 'xlsx') {
    // exceljs takes seconds to load on a small machine: only a workbook pays for it.
    const {openXlsx} = await import('./xlsx.js');
    return openXlsx(path, options.sheet);
  }
  const format = await detectText(path, kind.prefix, kind.wholeFile);
  return openText(path, format);
}

async function openText(path: string, format: TextFormat): Promise<TableSource> {
  let headers: string[] | undefined;
  let headerLine = 0;
  for await (const record of textRecords(path, format)) {
    if (isBlank(record.cells)) continue;
    headers = headerCells(record.cells);
    headerLine = record.line;
    break;
  }
  if (headers === undefined) {
    throw new ImportError('input_empty', `${basename(path)} has no header row: ${format.sepLine ? 'after the "sep=" line ' : ''}every line is blank.`, {
      hint: 'Export the spreadsheet again; the first row must name the columns (e.g. Name, Email, Phone).',
    });
  }
  const header = headers;
  const info: SourceInfo = {path, format: 'csv', encoding: format.encoding, delimiter: format.delimiter, headers: header};

  async function* rows(signal?: AbortSignal): AsyncGenerator<RawRow> {
    let seenHeader = false;
    let index = 0;
    for await (const record of textRecords(path, format, signal)) {
      if (!seenHeader) {
        // The header is the first non-blank record, as found above; blank lines before it are skipped.
        if (record.line === headerLine) seenHeader = true;
        continue;
      }
      index++;
      if (isBlank(record.cells)) continue;
      yield shapeRow(record.cells, header, index, record.line, format.delimiter);
    }
  }

  return {info, headers: header, rows};
}
