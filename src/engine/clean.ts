/**
 * Text cleaning shared by the reader (headers), column mapping and normalization.
 *
 * Spreadsheets carry characters nobody typed on purpose: a BOM glued to the first header,
 * zero-width spaces pasted from a web page, non-breaking spaces from Word, bidi marks from an
 * RTL locale. They make "a@b.com" and "a@b.com\u200B" two different people, so every value is
 * cleaned before it means anything.
 */

/**
 * Removed from every value: zero-width space, word joiner, BOM, soft hyphen, bidi marks, Mongolian
 * vowel separator, the combining grapheme joiner, Hangul fillers.
 */
const UNTYPED = '\\u00AD\\u034F\\u115F\\u1160\\u180E\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\u3164\\uFEFF\\uFFA0';
/**
 * The zero-width non-joiner and joiner and the variation selectors: removed from keys, emails and
 * phones, kept inside a name, where they are spelling (Persian "حسین‌زاده" keeps its non-joiner,
 * Devanagari its half forms, 👩‍💻 stays one emoji). Names are never compared.
 */
const JOINERS = '\\u200C\\u200D\\uFE00-\\uFE0F';
const INVISIBLE = new RegExp(`[${UNTYPED}${JOINERS}]`, 'g');
const INVISIBLE_IN_NAME = new RegExp(`[${UNTYPED}]`, 'g');
/** Turned into a plain space: no-break, figure, narrow no-break and ideographic spaces. */
const ODD_SPACE = /[\u00A0\u2007\u202F\u3000]/g;
/** Anything outside printable ASCII: only then is the slow path worth running. */
const NOT_PLAIN = /[^\x20-\x7E]/;
/** Any character outside ASCII: the cheap test before a fold or a normalization that only such text needs. */
export const NOT_ASCII = /[^\x00-\x7F]/;

/** Strip invisible characters, turn odd spaces into spaces, trim. Empty result = absent. */
export function cleanText(value: string): string {
  return clean(value, INVISIBLE);
}

/** `cleanText` for a name: the joiners and variation selectors between its letters are kept (JOINERS). */
export function cleanName(value: string): string {
  // At either end they join nothing.
  return NOT_PLAIN.test(value) ? clean(value, INVISIBLE_IN_NAME).replace(EDGE_JOINERS, '').trim() : value.trim();
}
const EDGE_JOINERS = /^[\u200C\u200D\uFE00-\uFE0F\s]+|[\u200C\u200D\s]+$/g;

function clean(value: string, invisible: RegExp): string {
  if (!NOT_PLAIN.test(value)) return value.trim();
  return value.replace(invisible, '').replace(ODD_SPACE, ' ').trim();
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

/**
 * Words people put in a cell to say "there is none": N/A, n.a., -, – (a dash autocorrect made of
 * "-"), TBD, "no email", "(blank)" (Excel's pivot tables), "undefined" (a script's).
 */
const PLACEHOLDER =
  /^(?:n\/?a|n\.\s?a\.?|none|null|nil|tbd|tba|unknown|missing|undefined|\(blank\)|[-\u2010-\u2015\u2212]+|\?+|x|\.+|no (?:e-?mail|phone|mobile|number|cell)(?: (?:address|number))?|not (?:available|applicable|provided|given|known))$/i;
/** What pandas writes for a missing value: NaN (str() of it, "nan"), <NA>, NaT. Case kept: "Nan" may be a name. */
const PANDAS_MISSING = /^(?:NaN|nan|<NA>|NaT)$/;

/** Whether `text` (cleaned) is a placeholder for "no value". */
export function isPlaceholder(text: string): boolean {
  return text.length <= 24 && (PLACEHOLDER.test(text) || PANDAS_MISSING.test(text));
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

/**
 * A value in quotes (JSON, which writes C0 controls as \uXXXX), with the characters `unseen`
 * matches written as \uXXXX too, so that a message shows what no one can see. A plain space stays.
 */
export function quotedShowing(value: string, unseen: RegExp): string {
  return JSON.stringify(value).replace(unseen, (c) => (c === ' ' ? c : `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
}

/**
 * A key as it is sent and compared: full-width digits and letters as ASCII ("１００１" typed with a
 * Japanese input method is 1001) and Unicode's composed form ("E\u0301lodie", as macOS writes it,
 * is "Élodie"). Two ways of writing one key made two people; a key in Seam is compared the same way.
 */
export function keyForm(key: string): string {
  return NOT_ASCII.test(key) ? foldFullWidth(key).normalize('NFC') : key;
}
