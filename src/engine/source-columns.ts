/**
 * An opened table's columns, with the words for when they cannot be imported as they are: a
 * header that names no contact column (the hint names the columns whose cells read as emails
 * and phones), a first worksheet that is a cover page (the hint names the other sheets), and
 * title rows found above the header (a warning names them).
 */
import {basename} from 'node:path';
import {contactColumnsByContent, mapColumns, namePartColumns} from './columns.js';
import {looksLikePhoneNumber} from './phone.js';
import {ImportError} from './errors.js';
import {HEADER_SEARCH_ROWS} from './read/header.js';
import type {CountryCode} from 'libphonenumber-js';
import type {ColumnMap, ColumnMapping, SourceInfo, TableSource} from './types.js';

/** `mapColumns` over the source's header; its errors carry what the file's content suggests. */
export async function mapSourceColumns(
  source: TableSource,
  map: ColumnMap,
  sheet: string | undefined,
): Promise<ColumnMapping> {
  try {
    return mapColumns(source.headers, map);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    let message = error.message;
    let hint = error.hint;
    if (error.code === 'no_contact_column') {
      const found = contactColumnsByContent(source.headers, await firstRows(source, 50));
      const filled = source.headers.filter((h) => h.trim() !== '');
      if (found.email === undefined && found.phone === undefined && filled.length <= 1) {
        // The first row is a title ("Tower B — occupancy report") and no row below it, of those
        // looked at, names an email or a phone column: offering --map on the title would be no help.
        message = `No row among the first ${HEADER_SEARCH_ROWS} names an email or a phone column; the first, ${JSON.stringify(filled[0] ?? '')}, reads as a title.`;
        hint = 'If the header row is further down, delete the rows above it and save; or name its columns, e.g. --map email_address="Email" (the row with that header is then taken as the header).';
      }
      const maps = [
        found.email === undefined ? undefined : `--map email_address="${found.email}"`,
        found.phone === undefined ? undefined : `--map phone_number="${found.phone}"`,
      ].filter((m): m is string => m !== undefined);
      const holds = [
        found.email === undefined ? undefined : `"${found.email}" holds email addresses`,
        found.phone === undefined ? undefined : `"${found.phone}" holds phone numbers`,
      ].filter((m): m is string => m !== undefined);
      if (maps.length > 0) hint = `Column ${holds.join(' and column ')}: pass ${maps.join(' ')}.`;
    }
    const others = (source.info.sheets ?? []).filter((name) => name !== source.info.sheet);
    if (sheet === undefined && others.length > 0) {
      const list = others.map((name) => `"${name}"`).join(', ');
      message = `${message} That is the first worksheet, "${source.info.sheet ?? ''}"; the workbook also has ${list}.`;
      hint = `Pass --sheet "${others[0]}" if the people are there${others.length > 1 ? ' (or another sheet’s name)' : ''}. ${hint ?? ''}`.trim();
    }
    if (message === error.message && hint === error.hint) throw error;
    throw new ImportError(error.code, message, {hint, cause: error});
  }
}

const PHONE_WORD =
  /phone|mobile|cell|tel|sms|handy|whats\s?app|t[ée]l[ée]f|m[oó]vil|portable|mobiel|puhelin|телефон|мобильн|мобільн|電話|携帯|手机|电话|手機|휴대|전화|핸드폰|τηλ|κινητ|هاتف|جوال|موبايل|محمول|טלפון|נייד|điện\s*thoại|di\s*động|sđt|\bhp\b|ponsel|โทร|มือถือ|फ़ोन|फोन|मोबाइल|\bgsm\b|komórk|\bcep\s*tel/i;

/**
 * Most of the column's filled cells written as international numbers ("+30 691 234 5601", "0044
 * …"), and mostly different ones: the people's phones, whatever the header says. Not a "Reception"
 * number every row shares, which would make them duplicates of one another.
 */
function writtenInternationally(header: string, headers: readonly string[], sample: readonly (readonly string[])[]): boolean {
  const i = headers.indexOf(header);
  let filled = 0;
  let international = 0;
  const distinct = new Set<string>();
  for (const row of sample) {
    const cell = (row[i] ?? '').trim();
    if (cell === '') continue;
    filled += 1;
    distinct.add(cell.replace(/\D/g, ''));
    if (/^(?:\+|00)[1-9]/.test(cell) && looksLikePhoneNumber(cell)) international += 1;
  }
  return filled > 0 && international * 5 >= filled * 4 && distinct.size * 2 > filled;
}

/**
 * A contact field no header names while a column's cells hold it ("Email *", "E-mail 1 - Value"
 * beside a "Phone" that was found): a warning with the --map to pass, since the people would
 * otherwise be created without it. Columns about someone else ("Manager Email") are not offered.
 * `sample`: the first rows, as the check pass read them (read again here, a workbook's shared
 * strings would be parsed twice).
 */
export function unnamedContactWarning(headers: readonly string[], sample: readonly (readonly string[])[], mapping: ColumnMapping, defaultCountry: CountryCode): string | undefined {
  // A field turned off (--map phone_number=none) is not one to be reminded of.
  const fields = {...mapping.fields};
  for (const field of mapping.off ?? []) if (field === 'email_address' || field === 'phone_number') fields[field] = -1;
  if (fields.email_address !== undefined && fields.phone_number !== undefined) return undefined;
  const used = new Set<number>([...Object.values(fields), ...Object.values(mapping.results)]);
  if (mapping.nameParts) used.add(mapping.nameParts.first).add(mapping.nameParts.last);
  const found = contactColumnsByContent(headers, sample, used, defaultCountry);
  if (found.phone === undefined && fields.phone_number === undefined) {
    // Numbers written the way another country writes them ("06 12 34 56 78" under --default-country
    // US) are not valid at home, but under a header that says phone they are still phones.
    const loose = contactColumnsByContent(headers, sample, used).phone;
    if (loose !== undefined && loose !== found.email && PHONE_WORD.test(loose)) found.phone = loose;
  }
  const said: string[] = [];
  if (fields.email_address === undefined && found.email !== undefined) {
    said.push(`column "${found.email}" holds email addresses, which are not imported: pass --map email_address="${found.email}" to import them`);
  }
  // A warning (the import goes on) only for a column its header calls a phone, or whose cells are
  // written with a country code ("Info" holding "+30 691 …"): digits alone can be anything.
  if (fields.phone_number === undefined && found.phone !== undefined && (PHONE_WORD.test(found.phone) || writtenInternationally(found.phone, headers, sample))) {
    said.push(`column "${found.phone}" holds phone numbers, which are not imported: pass --map phone_number="${found.phone}" to import them`);
  }
  if (said.length === 0) return undefined;
  return `No header names ${said.length === 2 ? 'an email or a phone' : found.email !== undefined && fields.email_address === undefined ? 'an email' : 'a phone'} column, but ${said.join('; and ')}.`;
}

/**
 * A workbook read from its first sheet (no --sheet) that has other visible sheets: people on a
 * second sheet ("Residents" after "Property Contacts") would be left out without a word.
 */
export function otherSheetsWarning(info: SourceInfo, sheet: string | undefined): string | undefined {
  if (info.format !== 'xlsx' || sheet !== undefined) return undefined;
  const others = (info.sheets ?? []).filter((name) => name !== info.sheet);
  if (others.length === 0) return undefined;
  const list = others.slice(0, 5).map((name) => `"${name}"`).join(', ') + (others.length > 5 ? ` and ${others.length - 5} more` : '');
  return `Only worksheet "${info.sheet ?? ''}" (the first) is imported; the workbook also has ${list}. If people are on another sheet, import it too with --sheet "${others[0]}" and another --out.`;
}

/**
 * Columns read for a field that are hidden in the worksheet (an old "Phone" hidden beside the
 * "Cell Phone" everyone looks at): said, since nobody checking the sheet sees what is imported.
 */
export function hiddenColumnsWarning(info: SourceInfo, mapping: ColumnMapping): string | undefined {
  const hidden = new Set(info.hiddenColumns ?? []);
  if (hidden.size === 0) return undefined;
  const read: Array<[string, number]> = Object.entries(mapping.fields).filter(([, i]) => i !== undefined && hidden.has(i)) as Array<[string, number]>;
  for (const i of mapping.nameParts ? namePartColumns(mapping.nameParts) : []) if (hidden.has(i)) read.push(['full_name', i]);
  if (read.length === 0) return undefined;
  const said = read.map(([field, i]) => `"${info.headers[i] ?? ''}" (column ${i + 1}, read for ${field})`).join(', ');
  return `${read.length === 1 ? 'A column the import reads is' : 'Columns the import reads are'} hidden in worksheet "${info.sheet ?? ''}": ${said}. Check that ${read.length === 1 ? 'it is' : 'they are'} the one${read.length === 1 ? '' : 's'} you mean; --map picks another.`;
}

/** The warning for title rows left out above the header, or undefined when there were none. */
export function aboveHeaderWarning(info: SourceInfo): string | undefined {
  const above = info.aboveHeader;
  if (!above) return undefined;
  const where = info.format === 'xlsx' ? `row ${above.line} of worksheet "${info.sheet ?? ''}"` : `line ${above.line} of ${basename(info.path)}`;
  const shown = above.rows.slice(0, 3).map((cells) => JSON.stringify(clip(cells.join(', '), 60)));
  const rows = above.rows.length === 1 ? 'the row above it is' : `the ${above.rows.length} rows above it are`;
  return `The header is on ${where}; ${rows} not people and left out of the import and the results file: ${shown.join(', ')}${above.rows.length > 3 ? ', …' : ''}.`;
}

/** The cells of up to `n` data rows (fewer when the file ends or cannot be read further). */
async function firstRows(source: TableSource, n: number): Promise<string[][]> {
  const rows: string[][] = [];
  try {
    for await (const row of source.rows()) {
      rows.push(row.cells);
      if (rows.length >= n) break;
    }
  } catch {
    // A hint is built from what could be read.
  }
  return rows;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
