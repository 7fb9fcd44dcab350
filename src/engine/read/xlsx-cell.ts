/**
 * An .xlsx cell → the text Excel shows for it.
 *
 * - Numbers never go through a float's default printing: 15551234567 stays "15551234567"
 *   (not 1.5551234567e+10), and a zero-padded format ("00000000000") keeps its leading zeros,
 *   as the sheet shows them. A Scientific format is the one exception: the file holds the exact
 *   number, so its digits are given rather than Excel's rounded "1.56E+10".
 * - No number shows more than the 15 significant digits a spreadsheet keeps (see fifteenDigits).
 * - Dates become ISO text: YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when there is a time; a time
 *   format with no date in it (h:mm AM/PM) gives the time alone, HH:MM:SS, and a duration
 *   ([h]:mm) its hours in full (36:00:00).
 * - Formulas give their cached result; rich text is joined; hyperlinks give their text;
 *   booleans TRUE/FALSE; errors their text (#N/A).
 */
export function valueText(value: unknown, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return decodeEscapes(value);
  if (typeof value === 'number') {
    if (numFmt !== undefined && isDateFormat(numFmt)) {
      const time = timeFormat(numFmt);
      if (time === 'time of day') return clockTime(value);
      if (time === 'duration') return duration(value);
      // Before 1900 or after 9999: Excel shows ##### (a phone or an id in a column formatted as
      // a date); the number the cell holds is given, not nothing.
      if (value < 0 || value >= LAST_SERIAL) return formatNumber(value, undefined);
      return isoDate(serialToDate(value, date1904));
    }
    return formatNumber(value, numFmt);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v) return String(v['error'] ?? '');
    if (Array.isArray(v['richText'])) {
      return decodeEscapes((v['richText'] as Array<{text?: unknown}>).map((part) => (typeof part.text === 'string' ? part.text : '')).join(''));
    }
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
      const result = v['result'];
      // exceljs's stream reader parses a formula's cached value with parseFloat, so an error
      // result (#N/A) arrives as NaN and its text is lost.
      if (typeof result === 'number' && Number.isNaN(result)) return '#ERROR';
      return valueText(result, numFmt, date1904);
    }
    if ('text' in v) return valueText(v['text'], numFmt, date1904);
    if ('hyperlink' in v) return String(v['hyperlink'] ?? '').replace(/^mailto:/i, '');
  }
  return String(value);
}

/** OOXML escapes characters XML cannot hold as _xHHHH_ (Excel writes a CR as _x000D_). */
function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// --- dates -------------------------------------------------------------------------------

/** exceljs's own rule (utils.isDateFmt): date letters outside quotes and brackets. */
export function isDateFormat(numFmt: string): boolean {
  // Bracketed parts ([Red], [$-409]), quoted text and backslash-escaped letters (\M0000) are not date parts.
  const bare = numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ymdhMsb]/.test(bare) && !/^general$/i.test(bare.trim());
}

type TimeFormat = 'time of day' | 'duration';

const TIME_FORMATS = new Map<string, TimeFormat | undefined>();

/**
 * A date format with no date in it: only hours, minutes and seconds (and AM/PM), as "h:mm AM/PM"
 * or "mm:ss" ("m" is minutes beside "h" or "s", else a month). A duration when it counts
 * elapsed time ([h]:mm, [mm]:ss), which goes past 24 hours. Undefined for a date.
 */
function timeFormat(numFmt: string): TimeFormat | undefined {
  if (TIME_FORMATS.has(numFmt)) return TIME_FORMATS.get(numFmt);
  // The first section is the one for positive numbers; literal text, escapes and padding are not parts.
  let bare = sections(numFmt)[0] ?? '';
  bare = bare.replace(/"[^"]*"/g, '').replace(/[\\_*]./g, '');
  const elapsed = /\[(?:h+|m+|s+)]/i.test(bare);
  bare = bare.replace(/\[[^\]]*]/g, '').replace(/AM\/PM|A\/P/gi, '');
  let kind: TimeFormat | undefined;
  if (!/[ydegb]/i.test(bare) && (elapsed || /[hs]/i.test(bare))) kind = elapsed ? 'duration' : 'time of day';
  TIME_FORMATS.set(numFmt, kind);
  return kind;
}

/** HH:MM:SS, the time part of isoDate's text: the time of day the serial's fraction is. */
function clockTime(serial: number): string {
  const seconds = Math.round((serial - Math.floor(serial)) * 86_400) % 86_400;
  return hms(seconds);
}

/** H:MM:SS with every hour counted: 1.5 days is 36:00:00, as [h]:mm shows it (36:00). */
function duration(serial: number): string {
  return `${serial < 0 ? '-' : ''}${hms(Math.round(Math.abs(serial) * 86_400))}`;
}

function hms(seconds: number): string {
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

/** The day after 9999-12-31, the last date Excel shows. */
const LAST_SERIAL = 2_958_466;

function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Excel dates have no time zone: exceljs hands them over as UTC, and so they are printed. */
function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const day = `${pad(rounded.getUTCFullYear(), 4)}-${pad(rounded.getUTCMonth() + 1)}-${pad(rounded.getUTCDate())}`;
  const h = rounded.getUTCHours();
  const m = rounded.getUTCMinutes();
  const s = rounded.getUTCSeconds();
  return h === 0 && m === 0 && s === 0 ? day : `${day}T${pad(h)}:${pad(m)}:${pad(s)}`;
}

// --- numbers -----------------------------------------------------------------------------

/** Significant digits a spreadsheet keeps of a number (Excel and LibreOffice alike). */
export const NUMBER_DIGITS = 15;

/**
 * Whether a number has more digits before the point than a spreadsheet keeps: typed into a
 * number cell, its digits past the 15th were lost (a 16-digit card number ends in 0).
 */
export function beyondNumberDigits(value: number): boolean {
  if (Math.abs(value) < 10 ** NUMBER_DIGITS) return false;
  // Held exactly (up to 2^53): a program (pandas, openpyxl) wrote all its digits, unless it ends
  // in the 0 a spreadsheet puts in place of the 16th digit it dropped.
  return !Number.isSafeInteger(value) || value % 10 === 0;
}

/**
 * The number as the spreadsheet holds it, written out in full: 15 significant digits, then
 * zeros. A float has about 17, and past the 15th they are noise of its binary form: the cell
 * 1.23456789012345E+18 is the float 1234567890123450112, digits nobody typed.
 */
function fifteenDigits(value: number): string {
  // A whole number up to 2^53 is held exactly: all its digits are the file's (a program may write 16).
  if (Number.isSafeInteger(value)) return String(value);
  const [mantissa = '0', exponent = '0'] = Math.abs(value).toExponential(NUMBER_DIGITS - 1).split('e');
  const digits = mantissa.replace('.', '');
  const intLength = Number(exponent) + 1;
  let text: string;
  if (intLength >= digits.length) text = digits + '0'.repeat(intLength - digits.length);
  else if (intLength <= 0) text = `0.${'0'.repeat(-intLength)}${digits}`;
  else text = `${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

/** "0999" + 1 → "1000": rounding up a run of decimal digits. */
function incremented(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/**
 * `abs` (not negative) with `decimals` places, as toFixed writes it, but rounded from the 15
 * digits the sheet holds (toFixed gives the float's noise: 98765432109876500 → "…496"), half
 * up as Excel rounds (1.005 → "1.01").
 */
function fixed(abs: number, decimals: number): string {
  const [int = '0', frac = ''] = fifteenDigits(abs).split('.');
  if (frac.length <= decimals) return decimals === 0 ? int : `${int}.${frac.padEnd(decimals, '0')}`;
  let digits = int + frac.slice(0, decimals);
  if ((frac[decimals] ?? '0') >= '5') digits = incremented(digits);
  const point = digits.length - decimals;
  return decimals === 0 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** General: Excel's 15 significant digits, never in e-notation. */
export function generalNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return fifteenDigits(value);
}

/** A digit place ("0", "#", "?") or text shown as written, in the order the format gives them. */
type Token = {digit: '0' | '#' | '?'} | {text: string};

interface Pattern {
  prefix: string;
  suffix: string;
  minInt: number;
  grouping: boolean;
  minDec: number;
  maxDec: number;
  percent: boolean;
  /**
   * Text between the digit places of a whole number ("000-00-0000", "(###) ###-####"): the
   * digits fill the places from the right, as Excel shows them. Undefined for other formats.
   */
  places?: Token[];
}

const PATTERNS = new Map<string, Pattern | null>();

/** Scientific ("0.00E+00") is told by its E+ or E- outside quotes: "E-"00000 is a literal prefix. */
export function isScientificFormat(section: string): boolean {
  return /[eE][+-]/.test(section.replace(/"[^"]*"|\\./g, ''));
}

/** Parse one section of a number format into what we support; null = show as General. */
function parsePattern(section: string): Pattern | null {
  const cached = PATTERNS.get(section);
  if (cached !== undefined) return cached;
  let result: Pattern | null = null;
  if (section !== '' && !/^general$/i.test(section.trim()) && section.trim() !== '@' && !isScientificFormat(section)) {
    let prefix = '';
    let suffix = '';
    let digits = '';
    let seenDigit = false;
    const tokens: Token[] = [];
    for (let i = 0; i < section.length; i++) {
      const ch = section[i] ?? '';
      let literal: string | undefined;
      if (ch === '"') {
        const end = section.indexOf('"', i + 1);
        literal = section.slice(i + 1, end === -1 ? undefined : end);
        i = end === -1 ? section.length : end;
      } else if (ch === '\\') {
        literal = section[i + 1] ?? '';
        i++;
      } else if (ch === '_' || ch === '*') {
        i++; // padding / fill: no visible character of their own
        continue;
      } else if (ch === '[') {
        const end = section.indexOf(']', i + 1);
        i = end === -1 ? section.length : end; // colours, conditions, locales
        continue;
      } else if ('0#?,.'.includes(ch)) {
        digits += ch;
        seenDigit = true;
        if (ch === '0' || ch === '#' || ch === '?') tokens.push({digit: ch});
        continue;
      } else if (ch === '%') {
        digits += ch;
        continue;
      } else {
        literal = ch;
      }
      if (seenDigit) suffix += literal;
      else prefix += literal;
      tokens.push({text: literal});
    }
    const percent = digits.includes('%');
    const [intPart = '', decPart = ''] = digits.replace(/%/g, '').split('.');
    if (/[0#?]/.test(intPart + decPart)) {
      result = {
        prefix,
        suffix: suffix + (percent ? '%' : ''),
        minInt: (intPart.match(/0/g) ?? []).length,
        grouping: /[0#?],[0#?]/.test(intPart),
        minDec: (decPart.match(/0/g) ?? []).length,
        maxDec: (decPart.match(/[0#?]/g) ?? []).length,
        percent,
      };
      const first = tokens.findIndex((t) => 'digit' in t);
      const last = tokens.length - 1 - [...tokens].reverse().findIndex((t) => 'digit' in t);
      const textInside = tokens.slice(first, last + 1).some((t) => 'text' in t);
      if (textInside && !digits.includes('.') && !percent) result.places = tokens;
    }
  }
  PATTERNS.set(section, result);
  return result;
}

/** The sections of a format ("pos;neg;zero;text"), split outside quotes and brackets. */
function sections(numFmt: string): string[] {
  const out: string[] = [];
  let inQuotes = false;
  let from = 0;
  for (let i = 0; i < numFmt.length; i++) {
    const ch = numFmt[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\\') i++;
    else if (ch === '[' && !inQuotes) {
      const end = numFmt.indexOf(']', i + 1);
      if (end !== -1) i = end;
    } else if (ch === ';' && !inQuotes) {
      out.push(numFmt.slice(from, i));
      from = i + 1;
    }
  }
  out.push(numFmt.slice(from));
  return out;
}

const CONDITION = /\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?)\]/;

interface Section {
  text: string;
  /** A condition such as [<=9999999]: the section is for the values that meet it. */
  condition?: {op: string; limit: number};
}

/** Each format's sections, with their conditions, split once (a sheet has a few formats, many cells). */
const SECTIONS = new Map<string, Section[]>();

function sectionsOf(numFmt: string): Section[] {
  let cached = SECTIONS.get(numFmt);
  if (cached === undefined) {
    cached = sections(numFmt).map((text) => {
      const m = CONDITION.exec(text);
      return m ? {text, condition: {op: m[1]!, limit: Number(m[2])}} : {text};
    });
    SECTIONS.set(numFmt, cached);
  }
  return cached;
}

function meets(value: number, {op, limit}: {op: string; limit: number}): boolean {
  switch (op) {
    case '<=':
      return value <= limit;
    case '>=':
      return value >= limit;
    case '<>':
      return value !== limit;
    case '<':
      return value < limit;
    case '>':
      return value > limit;
    default:
      return value === limit;
  }
}

/**
 * The section a value is shown with. Conditional sections (Excel's Phone Number format,
 * "[<=9999999]###-####;(###) ###-####") are chosen by their condition; otherwise the first.
 */
function sectionFor(numFmt: string, value: number): string {
  const [first, second, third] = sectionsOf(numFmt);
  if (first === undefined || first.condition === undefined || meets(value, first.condition)) return first?.text ?? '';
  if (second === undefined) return 'General';
  if (second.condition !== undefined && !meets(value, second.condition)) return third?.text ?? 'General';
  return second.text;
}

/** A whole number through a format with text between its digit places. */
function fillPlaces(tokens: Token[], digits: string): string {
  const places = tokens.filter((t) => 'digit' in t).length;
  const out: string[] = [];
  let next = digits.length - 1;
  let place = places;
  for (let k = tokens.length - 1; k >= 0; k--) {
    const token = tokens[k]!;
    if ('text' in token) {
      out.push(token.text);
      continue;
    }
    place -= 1;
    // The leftmost place takes every digit left over.
    const take = place === 0 ? digits.slice(0, next + 1) : next >= 0 ? (digits[next] ?? '') : '';
    next = place === 0 ? -1 : next - 1;
    out.push(take !== '' ? take : token.digit === '0' ? '0' : token.digit === '?' ? ' ' : '');
  }
  return out.reverse().join('');
}

export function formatNumber(value: number, numFmt: string | undefined): string {
  if (!Number.isFinite(value)) return String(value);
  const pattern = numFmt === undefined ? null : parsePattern(sectionFor(numFmt, value));
  if (pattern === null) return generalNumber(value);
  if (pattern.places && Number.isInteger(value)) {
    const abs = Math.abs(value);
    return `${value < 0 ? '-' : ''}${fillPlaces(pattern.places, abs === 0 ? '' : fifteenDigits(abs))}`;
  }
  const scaled = pattern.percent ? value * 100 : value;
  const negative = scaled < 0;
  let text = fixed(Math.abs(scaled), Math.min(pattern.maxDec, 20));
  if (pattern.maxDec > pattern.minDec) {
    // Drop optional (#) decimals that are zero.
    const [i, d = ''] = text.split('.');
    let dec = d;
    while (dec.length > pattern.minDec && dec.endsWith('0')) dec = dec.slice(0, -1);
    text = dec === '' ? (i ?? '') : `${i ?? ''}.${dec}`;
  }
  let [intDigits = '', decDigits] = text.split('.');
  if (intDigits === '0' && pattern.minInt === 0) intDigits = '';
  intDigits = intDigits.padStart(pattern.minInt, '0');
  if (pattern.grouping) intDigits = intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = decDigits === undefined ? intDigits : `${intDigits}.${decDigits}`;
  return `${pattern.prefix}${negative && body !== '' && /[1-9]/.test(body) ? '-' : ''}${body}${pattern.suffix}`;
}
