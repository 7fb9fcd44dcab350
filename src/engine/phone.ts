/**
 * Phone numbers to E.164, and the damage spreadsheets do to them.
 *
 * Excel stores a phone typed as a number as a float: it drops a leading zero (07911 123456 →
 * 7911123456), drops a leading "+" (+447911123456 → 447911123456), shows long numbers in
 * scientific notation (15551234567 → 1.55551E+10, digits lost for good) and keeps only 15
 * significant digits. None of that is guessed back here: each case is reported, with what to do.
 */
import {foldFullWidth, isPlaceholder, NOT_ASCII} from './clean.js';
import {getCountryCallingCode, Metadata, parsePhoneNumberFromString, type CountryCode, type PhoneNumber} from 'libphonenumber-js/min';
import {isValidPhoneNumber as isValidByNumberRanges} from 'libphonenumber-js/max';

function parse(text: string, defaultCountry: CountryCode | undefined): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, defaultCountry === undefined ? {extract: false} : {defaultCountry, extract: false});
}

/**
 * A valid number. The small metadata checks little more than a number's length, which let
 * "12345" (a German extension, a Durchwahl) become +4912345 and "99999999" become +8699999999; so
 * outside North America a number must also fall in a range its country's numbering plan uses
 * (the full metadata). North American numbers (+1, most of the rows) keep the small check, which
 * for them is already the area code and exchange rules.
 */
function isValid(phone: PhoneNumber | undefined): phone is PhoneNumber {
  return phone !== undefined && phone.isValid() && (phone.countryCallingCode === '1' || isValidByNumberRanges(phone.number));
}

const CALLING_CODES = new Map<CountryCode, string>();
function callingCode(country: CountryCode): string {
  let code = CALLING_CODES.get(country);
  if (code === undefined) {
    code = getCountryCallingCode(country);
    CALLING_CODES.set(country, code);
  }
  return code;
}

const TRUNK_ZERO = new Map<CountryCode, boolean>();
/** Whether national numbers in `country` are dialled with a leading 0 that is not part of the number (GB, DE, FR…). */
function hasTrunkZero(country: CountryCode): boolean {
  let answer = TRUNK_ZERO.get(country);
  if (answer === undefined) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(country);
    const plan = metadata.numberingPlan as unknown as {nationalPrefix?: () => string | undefined} | undefined;
    answer = plan?.nationalPrefix?.() === '0';
    TRUNK_ZERO.set(country, answer);
  }
  return answer;
}

/** `byCountry`: the number was judged as the country's (not a valid number there, a lost "+" or trunk 0), not as text that is no number at all. */
export type PhoneResult = {ok: true; e164: string} | {ok: false; reason: string; byCountry?: boolean};

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/;
/** A number Excel or a script wrote as a decimal: "4915112345678.0". */
const DECIMAL_TAIL = /^\+?\d+[.,]0+$/;
const DIGITS_ONLY = /^\d+$/;
/** An Indian mobile as Indians write it: 10 digits from 6 to 9, no trunk 0. */
const INDIAN_MOBILE = /^[6-9]\d{9}$/;
/** 2,125,550,104: a number column with thousands separators (Excel's #,##0). The digits are all there. */
const GROUPED = /^\d{1,3}(?:,\d{3})+$/;
const NON_DIGIT = /\D/g;
/** Characters people use to format a phone number. Anything else (letters, "#") is not a phone. */
const PHONE_CHARS = /^[+\d\s().\-/]+$/;
const EXTENSION = /^(.*?\d[\s().\-/]*)(?:ext\.?|extension|x|#|;ext=)\s*(\d+)$/i;

/** "(000) 000-0000": an export's way of writing no number. */
const ALL_ZEROS = /^0{7,}$/;
const NONE = `which stands for "none", not a number. Type the person's number, or empty the cell if they have none (the row then needs an email address).`;
/** A date as spreadsheets write it (2017-10-05, 10/05/2017, 5.10.17): phone characters, but not a phone. */
const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T][\d:.]+)?$|^\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})$/;

/** Written like a phone number (phone characters, 7 to 15 digits, not a date); not checked against any country. */
export function looksLikePhoneNumber(text: string): boolean {
  if (!PHONE_CHARS.test(text)) {
    // "Mobile: (217) 555-0106", and AppFolio's "Mobile: …, Home: …": the mobile in it.
    const bare = bareNumber(labelledMobile(text) ?? text);
    return bare !== text && PHONE_CHARS.test(bare) && looksLikePhoneNumber(bare);
  }
  if (DATE.test(text)) return false;
  const digits = text.replace(NON_DIGIT, '').length;
  return digits >= 7 && digits <= 15;
}

/**
 * What joins several numbers in one cell: ";", ",", "|", "&", " or ", " and ", Google Contacts'
 * " ::: ", and a line break (Alt+Enter in Excel).
 */
/** Labels of another kind of line than a mobile ("Home:", "… (work)"), and a mobile's ("Cell:"). */
const OTHER_LABELS = 'home|work|office|business|landline|desk|fax|h|w|o';
const MOBILE_LABELS = 'cell|mobile|mob|m|c';

const NUMBER_SEPARATOR = /[;,|&\r\n]|\s(?:or|and)\s|:::/i;
const NUMBER_SEPARATORS = /[;,|&\r\n]|\s+(?:or|and)\s+|:::/i;

/**
 * Where a label starts the next number with only a space before it: Yardi's "Mobile: (212)
 * 555-0101 Home: (212) 555-0102", "M: … H: …". The space before the label is the separator.
 */
const LABEL_BOUNDARY = new RegExp(`\\s+(?=(?:${OTHER_LABELS}|${MOBILE_LABELS}|phone|tel)\\s*:)`, 'i');
const NUMBER_SEPARATORS_OR_LABELS = new RegExp(`${NUMBER_SEPARATORS.source}|${LABEL_BOUNDARY.source}`, 'i');

/** Parts of a cell between separators, two or more of them with 7+ digits each. */
function severalNumbers(text: string): boolean {
  const long = (part: string) => part.replace(NON_DIGIT, '').length >= 7;
  // "555-1234 / 555-9876"; a "/" inside one number ("030/1234567", "0171/1234567") leaves one long part.
  if (text.includes('/') && text.split('/').filter(long).length >= 2) return true;
  const labels = text.includes(':') && LABEL_BOUNDARY.test(text);
  if (!labels && !NUMBER_SEPARATOR.test(text)) return false;
  return text.split(labels ? NUMBER_SEPARATORS_OR_LABELS : NUMBER_SEPARATORS).filter(long).length >= 2;
}

/** A label of another kind of line than a mobile: "Home: …", "… (work)", "Fax: …". */
const OTHER_LINE = new RegExp(`^(${OTHER_LABELS})\\s*:\\s*(.+)$|^(.+?)\\s*\\((${OTHER_LABELS})\\)$`, 'i');
const LINE_NAMES: Record<string, string> = {h: 'home', w: 'work', o: 'office'};

/**
 * The number of a cell that labels it a home or work line, or the first of several labelled ones
 * ("Work: (512) 627-5743", "Home: …, Work: …"): a column of them holds phone numbers, though none
 * is a mobile. For telling columns by their content, not for importing.
 */
export function labelledLineNumber(cell: string): string | undefined {
  const first = cell.split(MOBILE_PARTS)[0]?.trim() ?? '';
  const m = OTHER_LINE.exec(first);
  const number = (m?.[2] ?? m?.[3])?.trim();
  return number !== undefined && looksLikePhoneNumber(number) ? number : undefined;
}

/** The reason for a number labelled as a home, work or fax line, if it is one. */
function otherLine(text: string): string | undefined {
  const m = OTHER_LINE.exec(text);
  if (!m) return undefined;
  const label = (m[1] ?? m[4] ?? '').toLowerCase();
  const number = m[2] ?? m[3] ?? '';
  if (!looksLikePhoneNumber(number.trim())) return undefined;
  const kind = LINE_NAMES[label] ?? label;
  if (kind === 'fax') return 'which is labelled as a fax number; Seam needs a number that reaches the person. Give their mobile number here.';
  return `which is labelled as a ${kind} line${kind === label ? '' : ` ("${m[1] ?? m[4]}")`}. If it is the person's mobile, remove the label; otherwise give their mobile number here.`;
}

const SEVERAL_NUMBERS = 'which holds more than one phone number; Seam keeps one per person. Leave the mobile number (the one that gets codes) in this column.';

const TEXT_FIX = 'Format the column as Text in the spreadsheet, type the numbers again (with + and country code, e.g. +44 7911 123456) and export again.';

/**
 * A phone the file holds as a number (an .xlsx number cell in General format) whose digits end
 * in a run of zeros: what Excel's scientific notation leaves of a number when the file is saved
 * as CSV and opened again. A CSV shows the notation itself; a workbook holds the damaged number,
 * which would pass for a real one. Excel's General format shows up to 11 digits whole when the
 * column is wide enough: a number of 12 or more keeps 6 significant digits (4.47911E+11); one of
 * 10 or 11 is cut only in a column too narrow for it, to 5 at most (1.2069E+10), so it ends in 6
 * zeros or more. A real number ending in 0000 (646 555 0000) is not taken for one.
 *
 * `scientific`: the cell is formatted in scientific notation (0.00E+00), so it shows no number
 * whole, and what it holds is what a spreadsheet read from such text: a CSV's "1.21255E+10" opened
 * and saved as .xlsx holds 12125500000 in a scientific cell, 6 significant digits of 11 (LibreOffice,
 * Excel). There 6 significant digits or fewer is the loss, at any length.
 */
export function lostToScientific(text: string, scientific = false): string | undefined {
  if (text.length < 10 || !DIGITS_ONLY.test(text)) return undefined;
  const significant = text.replace(/0+$/, '').length;
  if (significant > (text.length >= 12 || scientific ? 6 : text.length - 6)) return undefined;
  const notation = `${text[0]}${significant > 1 ? `.${text.slice(1, significant)}` : ''}E+${text.length - 1}`;
  return `which the file holds as a number ending in ${text.length - significant} zeros: what is left after Excel showed it in scientific notation (${notation}); the last digits are lost. ${TEXT_FIX}`;
}

/**
 * Dashes other than "-" between a number's groups: hyphen, non-breaking hyphen, figure dash, en
 * and em dash (Word's and macOS's autocorrect), minus sign, and the long-vowel mark (ー) and
 * full-width hyphen Japanese input methods type (090ー1234ー5678).
 */
const OTHER_DASH = /[\u2010-\u2015\u2212\u30FC\uFF0D]/g;
/** Arabic-Indic (٠–٩) and Eastern Arabic-Indic (۰–۹, Persian and Urdu) digits. */
const ARABIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/g;
/** A tel: link or a label before the number; only these words, so "Home:" or "Fax:" stay "not a phone number". */
const LABEL_BEFORE = /^(?:tel|cell|mobile|mob|phone|m|c)\s*:\s*/i;
const LABEL_AFTER = /\s*\((?:cell|mobile|m|c)\)$/i;

/**
 * The number as typed, without what surrounds it and in ASCII: full-width digits and punctuation
 * from a CJK input method, Arabic-Indic digits, the apostrophe Excel uses to keep a cell
 * as text ('2125550116), a tel: link and a label ("Cell: …", "… (mobile)").
 */
function bareNumber(cell: string): string {
  let text = cell;
  if (NOT_ASCII.test(text)) {
    text = foldFullWidth(text)
      .replace(ARABIC_DIGIT, (digit) => String(digit.charCodeAt(0) - (digit.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)))
      .replace(OTHER_DASH, '-')
      .trim();
  }
  if (text.charCodeAt(0) === 39 && text.length > 1) text = text.slice(1).trimStart();
  const before = LABEL_BEFORE.exec(text);
  if (before && before[0].length < text.length) text = text.slice(before[0].length);
  const after = LABEL_AFTER.exec(text);
  if (after && after.index > 0) text = text.slice(0, after.index);
  // "(+44) 7911 123457", "(0044) 20 7946 0018": the country code in brackets, as much of Europe writes it.
  const code = BRACKETED_CODE.exec(text);
  if (code && code[0].length < text.length) text = `${code[1]} ${text.slice(code[0].length)}`;
  return text;
}

const BRACKETED_CODE = /^\(\s*((?:\+|00)[1-9]\d{0,3})\s*\)\s*/;

const MOBILE_LABEL = /^(?:cell|mobile|mob|m|c)\s*:|\((?:cell|mobile|m|c)\)$/i;
/** What parts a cell of several numbers: a separator, " / ", or the space before a label ("… Home: …"). */
const MOBILE_PARTS = new RegExp(`[,;|\\n]|\\s\\/\\s|${LABEL_BOUNDARY.source}`, 'i');

/** Of several numbers in a cell, the only one labelled a mobile ("Mobile: …", "… (cell)"), if one is. */
function labelledMobile(cell: string): string | undefined {
  const parts = cell.split(MOBILE_PARTS).map((part) => part.trim());
  const mobiles = parts.filter((part) => MOBILE_LABEL.test(part));
  return mobiles.length === 1 && severalNumbers(mobiles[0]!) === false ? mobiles[0] : undefined;
}

/** "+52 1 55 1234 5678": a Mexican mobile in the form used before 2019, as the valid number without the "1". */
function oldMexicanMobile(text: string, digits: string): string | undefined {
  const international = text.startsWith('+') ? digits : text.startsWith('00') ? digits.slice(2) : undefined;
  if (international?.length !== 13 || !international.startsWith('521')) return undefined;
  const without = parse(`+52${international.slice(3)}`, undefined);
  return isValid(without) ? without.number : undefined;
}

/**
 * `cell` is already cleaned (trimmed, no invisible characters) and not empty.
 * The returned reason completes a sentence that starts with `Column "Phone" has "…"`.
 * `regionColumn`: the header of the country column `defaultCountry` was read from, for the row's message.
 */
export function toE164(cell: string, defaultCountry: CountryCode, regionColumn?: string): PhoneResult {
  const nanp = northAmerican(cell, defaultCountry);
  const known = nanp === undefined ? undefined : VALID_EXCHANGES.get(nanp.written);
  if (nanp !== undefined && known !== undefined && (known[nanp.exchange >> 3]! & (1 << (nanp.exchange & 7))) !== 0) return {ok: true, e164: `+1${nanp.digits}`};
  const result = checkPhone(cell, defaultCountry, regionColumn);
  if (nanp !== undefined && result.ok && result.e164 === `+1${nanp.digits}`) {
    let table = known;
    if (table === undefined && VALID_EXCHANGES.size < TABLES_KEPT) {
      table = new Uint8Array(EXCHANGES / 8);
      VALID_EXCHANGES.set(nanp.written, table);
    }
    if (table !== undefined) table[nanp.exchange >> 3]! |= 1 << (nanp.exchange & 7);
  }
  return result;
}

/**
 * North American numbers (+1) by their exchange, the first six digits (area code and exchange):
 * in the phone library's numbering plans for +1 every pattern ends in four or more digits of any
 * value (…[2-9]\d{6}, …\d{4}), so whether a ten-digit number is valid, and which country's it is,
 * is decided by those six digits (test/phone-exchanges.test.ts checks this against the library's
 * metadata). A number written in one of the usual ways whose exchange the full check already found
 * valid, written the same way and read with the same default country, is valid too, with no
 * second look: the full check costs more than csv-parse's whole row, and a building's people
 * share exchanges. A bit per exchange (200-000 to 999-999: 100 KB) for each default country and
 * way of writing (with +1, in brackets, digits alone, separated), set from the full check's own
 * answers; a number not found valid is always checked in full, so its message is the full check's.
 */
const VALID_EXCHANGES = new Map<string, Uint8Array>();
const EXCHANGES = 800_000;
const TABLES_KEPT = 64;

/**
 * A cell written in one of the usual North American ways: "+1" and ten digits ("+16175550100",
 * "+1 (617) 555-0100", "+1-617-555-0100"), or, with a +1 default country, ten digits ("(617)
 * 555-0100", "617-555-0100", "617.555.0100", "617 555 0100", "6175550100"), the area code not
 * starting with 0 or 1. Its ten digits; `written`, the default country and way of writing;
 * `exchange`, its first six digits less 200,000.
 */
export function northAmerican(cell: string, defaultCountry: CountryCode): {digits: string; written: string; exchange: number} | undefined {
  const n = cell.length;
  let i = 0;
  let way: string;
  if (cell.charCodeAt(0) === 43 /* + */) {
    if (cell.charCodeAt(1) !== 49 /* 1 */) return undefined;
    i = 2;
    if (isSeparator(cell.charCodeAt(i))) i += 1;
    way = '+';
  } else {
    if (callingCode(defaultCountry) !== '1') return undefined;
    way = cell.charCodeAt(0) === 40 /* ( */ ? '(' : n === 10 ? 'd' : '-';
  }
  // The area code, in brackets or not.
  const bracket = cell.charCodeAt(i) === 40;
  if (bracket) i += 1;
  const area = i;
  if (!digitsAt(cell, i, 3) || cell.charCodeAt(i) < 50 /* 2 */) return undefined;
  i += 3;
  if (bracket) {
    if (cell.charCodeAt(i) !== 41 /* ) */) return undefined;
    i += 1;
    if (cell.charCodeAt(i) === 32) i += 1;
  } else if (isSeparator(cell.charCodeAt(i))) {
    i += 1;
  }
  const exchange = i;
  if (!digitsAt(cell, i, 3)) return undefined;
  i += 3;
  // "617555.0000", "+1617555.0000": digits and one "." read as a decimal number (Excel's), which
  // the full check refuses by its last digits; the other cells of this shape go to it too.
  if (cell.charCodeAt(i) === 46 && exchange === area + 3) return undefined;
  if (isSeparator(cell.charCodeAt(i))) i += 1;
  const line = i;
  if (i + 4 !== n || !digitsAt(cell, i, 4)) return undefined;
  const digits = cell.slice(area, area + 3) + cell.slice(exchange, exchange + 3) + cell.slice(line);
  let index = 0;
  for (let k = 0; k < 6; k += 1) index = index * 10 + digits.charCodeAt(k) - 48;
  return {digits, written: `${defaultCountry}${way}`, exchange: index - 200_000};
}

function isSeparator(code: number): boolean {
  return code === 32 || code === 45 || code === 46;
}

function digitsAt(text: string, at: number, count: number): boolean {
  if (at + count > text.length) return false;
  for (let k = at; k < at + count; k += 1) {
    const code = text.charCodeAt(k);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function checkPhone(cell: string, defaultCountry: CountryCode, regionColumn?: string): PhoneResult {
  const bare = bareNumber(cell);
  const text = bare.includes(',') && GROUPED.test(bare) ? bare.replace(/,/g, '') : bare;
  const first = text.charCodeAt(0);
  // A number starts with a digit, "+" or "("; "N/A", "-", "TBD" do not.
  if (!(first >= 48 && first <= 57) && first !== 43 && first !== 40 && isPlaceholder(text)) return {ok: false, reason: NONE};
  if (SCIENTIFIC.test(text)) {
    return {
      ok: false,
      reason: `which Excel turned into scientific notation; the last digits are lost. ${TEXT_FIX}`,
    };
  }
  if (DECIMAL_TAIL.test(text)) {
    return {
      ok: false,
      reason: `which was stored as a decimal number, not as text. ${TEXT_FIX}`,
    };
  }
  if (severalNumbers(text)) {
    // AppFolio's "Mobile: (217) 555-0101, Home: (217) 555-0102": the one labelled a mobile is the person's.
    const mobile = labelledMobile(cell);
    return mobile === undefined ? {ok: false, reason: SEVERAL_NUMBERS} : toE164(mobile, defaultCountry, regionColumn);
  }
  // Yardi's "Home: n/a Mobile: (212) 555-0101", "Mobile: (212) 555-0101 Home:": one labelled mobile beside labels with no number.
  if (text.includes(':')) {
    const mobile = labelledMobile(cell);
    if (mobile !== undefined && mobile !== cell.trim()) return toE164(mobile, defaultCountry, regionColumn);
  }
  // "2024-01-15": was "not a valid phone number for US … pass --default-country", the wrong way to look.
  if (DATE.test(text)) return {ok: false, reason: 'which is a date, not a phone number: check that this column holds the phone numbers (or that the cell was not typed in the wrong column).'};
  const ext = EXTENSION.exec(text);
  if (ext && PHONE_CHARS.test(ext[1] ?? '')) {
    return {
      ok: false,
      reason: `which has an extension (${ext[2] ?? ''}); Seam stores a phone number without one. Remove the extension, or give a mobile number here.`,
    };
  }
  if (!PHONE_CHARS.test(text)) {
    return {ok: false, reason: otherLine(text) ?? 'which is not a phone number.'};
  }
  const digits = text.replace(NON_DIGIT, '');
  if (digits.length > 15) {
    // "0049 (0)151 23456789": 16 digits with the "(0)" that is not dialled.
    const withoutTrunk = withoutTrunkNote(text);
    if (withoutTrunk) return {ok: true, e164: withoutTrunk.number};
    // "(212) 555-0100 / (212) 555-0199": two numbers, not one number Excel cut.
    if (text.split('/').filter((part) => part.replace(NON_DIGIT, '').length >= 7).length >= 2) {
      return {ok: false, reason: SEVERAL_NUMBERS};
    }
    return {
      ok: false,
      reason: `which has ${digits.length} digits; no phone number has more than 15. If the column was a number in Excel, Excel kept only 15 digits and replaced the rest with zeros. ${TEXT_FIX}`,
    };
  }
  if (digits.length < 3) return {ok: false, reason: 'which is too short to be a phone number.'};
  // "(000) 000-0000", "0000000000": what an export writes for no number (no country has it).
  if (ALL_ZEROS.test(digits)) return {ok: false, reason: NONE};

  const plain = DIGITS_ONLY.test(text);
  const parsed = parse(text, defaultCountry);
  let valid = isValid(parsed) ? parsed : undefined;

  // A bare digit string is what Excel writes for a number cell: check for the kinds of damage
  // before accepting libphonenumber's reading of it.
  if (plain) {
    const ownCode = text.startsWith(callingCode(defaultCountry));
    // Excel drops a leading "+" (447911123456). Only worth a look when the national reading
    // fails, or when the digits start with the country's own code (Germany has long numbers, so
    // 4915112345678 also "works" as a national number).
    const withPlus = !valid || ownCode ? parse('+' + text, undefined) : undefined;
    const plusValid = isValid(withPlus) ? withPlus : undefined;
    if (plusValid && !valid) {
      return {
        ok: false,
        reason: `which is not a valid ${defaultCountry} number; if it is ${plusValid.number}, the "+" was lost (Excel drops it when the column is a number). ${TEXT_FIX}`,
        byCountry: true,
      };
    }
    if (plusValid && valid && ownCode && plusValid.number !== valid.number) {
      return {
        ok: false,
        reason: `which could be ${plusValid.number} (a lost "+") or ${valid.number}. Write the number with + and country code. ${TEXT_FIX}`,
        byCountry: true,
      };
    }
    // Excel drops a leading zero (07911123456 → 7911123456); libphonenumber would accept many of
    // those as they are. Only where 0 is the trunk prefix (so not Italy, whose 0 is part of the
    // number), and only for numbers written with it at home: a Chinese or Brazilian mobile never
    // has one (138 0013 8000), and Indian mobiles are written without it, so none was lost.
    if (!plusValid && text[0] !== '0' && hasTrunkZero(defaultCountry) && !(defaultCountry === 'IN' && INDIAN_MOBILE.test(text))) {
      const withZero = parse('0' + text, defaultCountry);
      if (isValid(withZero) && withZero.nationalNumber === text && withZero.formatNational().startsWith('0')) {
        return {
          ok: false,
          reason: `which looks like ${aRegion(defaultCountry)} number that lost its leading zero (0${text}); Excel removes it when the column is a number. ${TEXT_FIX}`,
          byCountry: true,
        };
      }
    }
  }

  // "33 6 12 34 56 78" with --default-country DE: a French number without its "+", or a German one
  // without the 0 it is written with at home? It became +4933612345678 unasked. (Digits alone are
  // checked above, as Excel's damage.) Not where the country's numbers are written without a 0
  // (a Chinese or Indian mobile: formatNational has none), nor in brackets ("(21) 98765-4321").
  if (valid && !plain && !/^[+0(]/.test(text) && hasTrunkZero(defaultCountry) && !(defaultCountry === 'IN' && INDIAN_MOBILE.test(digits))) {
    const withPlus = parse(`+${digits}`, undefined);
    if (isValid(withPlus) && withPlus.number !== valid.number && valid.formatNational().startsWith('0')) {
      return {
        ok: false,
        reason: `which could be ${withPlus.number} (a country code without its "+") or ${valid.number} (${aRegion(defaultCountry)} number missing its leading 0). Write it with + and country code, or with the 0.`,
        byCountry: true,
      };
    }
  }

  if (!valid && text.startsWith('00')) {
    // "00" is the international prefix in most of the world, also when the default country's is another (US: 011).
    const intl = parse('+' + text.slice(2), undefined);
    if (isValid(intl)) valid = intl;
  }
  if (!valid && !plain && !text.startsWith('+') && !text.startsWith('0') && !text.startsWith('(')) {
    // "44 7911 123456": a country code written without its "+". Not "(31) 91234-5678": brackets hold an area code.
    const withPlus = parse(`+${digits}`, undefined);
    if (isValid(withPlus)) {
      return {
        ok: false,
        reason: `which is not a valid ${defaultCountry} number; if it is ${withPlus.number}, write it with the "+" (+${text}).`,
        byCountry: true,
      };
    }
  }
  if (!valid) {
    const withoutTrunk = withoutTrunkNote(text);
    if (withoutTrunk) valid = withoutTrunk;
  }
  if (!valid) {
    const mexican = oldMexicanMobile(text, digits);
    if (mexican) {
      return {
        ok: false,
        reason: `which is not a valid phone number: the "1" after +52 is no longer used; without it the number is ${mexican} (Mexico dropped the "1" from mobile numbers in 2019). Write it that way.`,
      };
    }
    // "044 55 1234 5678", "01 55 1234 5678": the prefixes Mexico dialled before 2019.
    const prefix = defaultCountry === 'MX' && !text.startsWith('+') ? /^(01|04[45])/.exec(digits)?.[1] : undefined;
    const withoutPrefix = prefix === undefined ? undefined : parse(digits.slice(prefix.length), 'MX');
    if (prefix !== undefined && isValid(withoutPrefix) && withoutPrefix.nationalNumber.length === 10) {
      return {
        ok: false,
        reason: `which is not a valid phone number: the "${prefix}" before it is no longer used; without it the number is ${withoutPrefix.number} (Mexico dropped 01, 044 and 045 in 2019). Write it that way.`,
      };
    }

    return {
      ok: false,
      reason: text.startsWith('+')
        ? 'which is not a valid phone number.'
        : regionColumn === undefined
          ? `which is not a valid phone number for ${defaultCountry}. Write it with + and country code, or pass --default-country.`
          : `which is not a valid phone number for ${defaultCountry} (the region column "${regionColumn}" gives). Write it with + and country code, or fix that column.`,
      byCountry: !text.startsWith('+'),
    };
  }
  const result = valid;
  if (result.ext) {
    return {
      ok: false,
      reason: `which has an extension (${result.ext}); Seam stores a phone number without one. Remove the extension, or give a mobile number here.`,
    };
  }
  return {ok: true, e164: result.number};
}

/**
 * "+48 (0)22 123 45 67", "0049 (0)151 23456789": the "(0)" after a country code that says "not
 * dialled from abroad", of a country with no trunk 0 or with "00" (where libphonenumber does not
 * drop it already, as it does in "+44 (0)20 …"): the number without it, when that is valid.
 */
function withoutTrunkNote(text: string): PhoneNumber | undefined {
  const trunk = /^(?:\+|00)([1-9]\d{0,2})\s*\(0\)\s*/.exec(text);
  if (!trunk) return undefined;
  const phone = parse(`+${trunk[1]} ${text.slice(trunk[0].length)}`, undefined);
  return isValid(phone) ? phone : undefined;
}

/** "a GB number", but "an AU number", "an FR number": the article goes by how the code's first letter is said. */
function aRegion(code: string): string {
  return /^[AEFHILMNORSX]/.test(code) ? `an ${code}` : `a ${code}`;
}
