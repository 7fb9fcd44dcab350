/**
 * Text cleaning shared by the reader (headers), column mapping and normalization.
 *
 * Spreadsheets carry characters nobody typed on purpose: a BOM glued to the first header,
 * zero-width spaces pasted from a web page, non-breaking spaces from Word, bidi marks from an
 * RTL locale. They make "a@b.com" and "a@b.com\u200B" two different people, so every value is
 * cleaned before it means anything.
 */

/** Removed outright: zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, bidi marks, Mongolian vowel separator. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Turned into a plain space: no-break, figure, narrow no-break and ideographic spaces. */
const ODD_SPACE = /[\u00A0\u2007\u202F\u3000]/g;
/** Anything outside printable ASCII: only then is the slow path worth running. */
const NOT_PLAIN = /[^\x20-\x7E]/;
/** Any character outside ASCII: the cheap test before a fold or a normalization that only such text needs. */
export const NOT_ASCII = /[^\x00-\x7F]/;

/** Strip invisible characters, turn odd spaces into spaces, trim. Empty result = absent. */
export function cleanText(value: string): string {
  if (!NOT_PLAIN.test(value)) return value.trim();
  return value.replace(INVISIBLE, '').replace(ODD_SPACE, ' ').trim();
}

/**
 * A UTF-8 byte order mark read as Windows-1252 or Latin-1: what a program that guessed the wrong
 * encoding (LibreOffice opening a results file, say) glues to the first header and saves.
 */
const MISREAD_BOM = /^\u00EF\u00BB\u00BF/;

/** Header text for display: invisible characters and surrounding whitespace removed, the rest as written. */
export function cleanHeader(value: string): string {
  return cleanText(value.charCodeAt(0) === 0xef ? value.replace(MISREAD_BOM, '') : value);
}

/** Words people put in a cell to say "there is none": N/A, -, TBD, "no email". */
const PLACEHOLDER =
  /^(?:n\/?a|none|null|nil|tbd|tba|unknown|-+|\?+|x|\.+|no (?:e-?mail|phone|mobile|number|cell)(?: (?:address|number))?|not (?:available|applicable|provided|given|known))$/i;

/** Whether `text` (cleaned) is a placeholder for "no value". Only ever used to word a message. */
export function isPlaceholder(text: string): boolean {
  return text.length <= 24 && PLACEHOLDER.test(text);
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/g;

/**
 * Full-width ASCII (＠, ０-９, Ａ-Ｚ, ＋, －, the ideographic space) as typed with a CJK input
 * method, to ASCII. Only that: NFKC would also turn "²" into "2" and "Ⓐ" into "a", changing a
 * value rather than its width.
 */
export function foldFullWidth(text: string): string {
  return text.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}
