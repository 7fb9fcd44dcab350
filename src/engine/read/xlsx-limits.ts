/**
 * Bounds on what reading a workbook may cost. An .xlsx is a zip of XML, and a small one can be
 * made to cost gigabytes: a shared string nested 9,000,000 elements deep (a 63 KB file) took
 * 2.98 GB and 77 s, one 400 MB shared string (a 400 KB file) 1.37 GB, 3,000,000 shared strings
 * no cell uses (9 MB) 1.36 GB, and 1 GB of blanks inside <sheetData> (1 MB) ended in "Invalid
 * string length" after 661 MB. Each limit here is far past any workbook of people, so a file
 * that reaches one is refused as it is read, saying which limit, before it costs much.
 */
import {createRequire} from 'node:module';
import {StringDecoder} from 'node:string_decoder';

/** Elements inside elements. A workbook's XML goes about 10 deep; exceljs's parser keeps every open one. */
export const MAX_XML_DEPTH = 100;

/**
 * Characters of one cell's or shared string's text: 32 times the 32,767 Excel holds in a cell.
 * Over 64 KB a row is already malformed_row and the cell cut in the results file, as for a CSV.
 */
export const MAX_TEXT_CHARS = 1024 * 1024;

/**
 * Characters of XML with no tag among them (text, a tag's attributes, a comment): the parser
 * holds all of it until the next tag. Room for a cell of MAX_TEXT_CHARS written as escapes.
 */
export const MAX_XML_RUN = 8 * MAX_TEXT_CHARS;

/**
 * How much a part may inflate: real worksheets and shared strings inflate 5 to 15 times (a
 * 1,000,000-row roster: 207 MB from 29 MB; 1,000,000 blank styled rows 13 times, their row
 * numbers all different), a lease clause repeated on every row about 200 times (a LibreOffice
 * workbook: 24.7 MB from 123 KB); the most deflate can do is about 1,000 times.
 */
export const MAX_INFLATE_RATIO = 500;
/** Below this a part is never refused for its ratio. */
export const SMALL_PART_CHARS = 16 * 1024 * 1024;

/**
 * The shared strings are held in memory: a 1,000,000-row roster's are 102 MB of XML (3,000,000
 * strings); Excel's last row is 1,048,576.
 */
export const MAX_SHARED_STRINGS_CHARS = 256 * 1024 * 1024;

/**
 * Shared strings a workbook may hold beyond what its worksheets have cells for: each string a
 * cell uses costs the worksheet at least `<c t="s"><v>1</v></c>`, 21 characters of XML.
 */
export const FREE_SHARED_STRINGS = 65_536;
const CHARS_PER_STRING_CELL = 21;

/** Parts read whole (workbook, relationships, styles): kilobytes in a real workbook, a few MB at most. */
export const MAX_WHOLE_PART_CHARS = 64 * 1024 * 1024;

/** Excel's last column, XFD. */
export const MAX_COLUMNS = 16_384;

/** A limit a workbook went past: what, and the limit, in words. */
export class WorkbookLimit extends Error {}

export interface ZipPart {
  path: string;
  compressedSize?: number;
  uncompressedSize?: number;
}

function mb(chars: number): string {
  return `${Math.round(chars / 1024 / 1024)} MB`;
}

/** "3 KB", "1.2 MB": a size in a message. */
export function kb(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(chars / 1024))} KB`;
}

/** How many characters a part may inflate to, and the limit in words. */
export function inflateLimit(part: ZipPart, cap?: number): {chars: number; words: string} {
  const ratio = Math.max(SMALL_PART_CHARS, MAX_INFLATE_RATIO * (part.compressedSize ?? 0));
  if (cap !== undefined && cap <= ratio) return {chars: cap, words: `more than ${mb(cap)} of XML, the most seam-import reads for it`};
  return {chars: ratio, words: `more than ${mb(ratio)} of XML, ${MAX_INFLATE_RATIO} times what it takes in the zip (real parts inflate 5 to 15 times, repeated text a few hundred)`};
}

/** The most shared strings worksheets of `worksheetChars` characters of XML can use. */
export function sharedStringsRoom(worksheetChars: number): number {
  return FREE_SHARED_STRINGS + Math.floor(worksheetChars / CHARS_PER_STRING_CELL);
}

/** A part's text, as it is inflated, stopped past its inflate limit (see inflateLimit). */
export async function* limited(source: AsyncIterable<string | Buffer>, part: ZipPart, cap?: number): AsyncGenerator<string> {
  const limit = inflateLimit(part, cap);
  let chars = 0;
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    chars += text.length;
    if (chars > limit.chars) throw new WorkbookLimit(`its part ${part.path} inflates to ${limit.words}`);
    yield text;
  }
}

interface SaxNode {
  name: string;
  attributes: Record<string, string | undefined>;
}
export type SaxEvent = {eventType: 'opentag' | 'closetag'; value: SaxNode} | {eventType: 'text'; value: string};

interface SaxesParser {
  on(event: 'opentag' | 'closetag', handler: (node: SaxNode) => void): void;
  on(event: 'text', handler: (text: string) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  write(chunk: string): void;
  /** What the parser holds until it ends (text, a comment, CDATA): not in its typings. */
  text?: unknown;
}

// saxes, the SAX parser exceljs reads workbooks with, from exceljs's own dependencies.
const saxes = (): {SaxesParser: new () => SaxesParser} => {
  const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs/lib/utils/parse-sax'));
  return fromExceljs('saxes') as {SaxesParser: new () => SaxesParser};
};

/**
 * XML events of a part, a chunk's worth at a time (as exceljs's parse-sax gives them), with the
 * depth and the runs of text bounded: past MAX_XML_DEPTH or MAX_XML_RUN it stops.
 */
export async function* saxEvents(source: AsyncIterable<string>, path: string): AsyncGenerator<SaxEvent[]> {
  const parser = new (saxes().SaxesParser)();
  let events: SaxEvent[] = [];
  let depth = 0;
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('opentag', (value) => {
    depth += 1;
    if (depth > MAX_XML_DEPTH) throw new WorkbookLimit(`its part ${path} nests XML elements more than ${MAX_XML_DEPTH} deep (a workbook's go about 10 deep)`);
    events.push({eventType: 'opentag', value});
  });
  parser.on('closetag', (value) => {
    depth -= 1;
    events.push({eventType: 'closetag', value});
  });
  parser.on('text', (value) => events.push({eventType: 'text', value}));
  const tooLong = (): WorkbookLimit =>
    new WorkbookLimit(`its part ${path} has more than ${mb(MAX_XML_RUN)} of XML between two tags (text, blanks or a comment; a cell holds at most 32,767 characters in Excel)`);
  /** Characters since the last "<": all of it waits in the parser for the next tag. */
  let run = 0;
  for await (const chunk of source) {
    const first = chunk.indexOf('<');
    if (first === -1) run += chunk.length;
    else {
      if (run + first > MAX_XML_RUN) throw tooLong();
      run = chunk.length - 1 - chunk.lastIndexOf('<');
    }
    if (run > MAX_XML_RUN) throw tooLong();
    parser.write(chunk);
    if (error) throw error;
    // A comment or CDATA may hold "<" and still be one piece the parser keeps whole.
    if (typeof parser.text === 'string' && parser.text.length > MAX_XML_RUN) throw tooLong();
    yield events;
    events = [];
  }
}

/**
 * A part exceljs reads whole (workbook, relationships, styles), as it is inflated: stopped past
 * MAX_WHOLE_PART_CHARS, and checked with the bounds above before exceljs's own parser, which has
 * none, sees it. Errors of the XML itself are left for exceljs to report, as before.
 */
export async function wholePart(stream: AsyncIterable<Buffer | string>, part: ZipPart): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes > MAX_WHOLE_PART_CHARS) throw new WorkbookLimit(`its part ${part.path} inflates to more than ${mb(MAX_WHOLE_PART_CHARS)} of XML, the most seam-import reads for it`);
    chunks.push(buffer);
  }
  const xml = Buffer.concat(chunks);
  const decoder = new StringDecoder('utf8');
  async function* pieces(): AsyncGenerator<string> {
    for (let at = 0; at < xml.length; at += 64 * 1024) yield decoder.write(xml.subarray(at, at + 64 * 1024));
    yield decoder.end();
  }
  try {
    for await (const _ of saxEvents(pieces(), part.path));
  } catch (error) {
    if (error instanceof WorkbookLimit) throw error;
  }
  return xml;
}
