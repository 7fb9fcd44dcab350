/**
 * Mac Roman or Windows-1252, for a text file that is not UTF-8. Excel for Mac's "CSV
 * (Macintosh)" is Mac Roman with CR line breaks; read as Windows-1252 it raises no error, the
 * names just come out wrong ("José Müller" → "JosŽ MŸller"). Both encodings give a character
 * for nearly every byte, so each byte above 0x7F is read both ways and judged by where it sits:
 * in the file's own encoding it is a letter where letters go (é after a letter, Å before one)
 * or a quote at a word's edge; in the other it is often a symbol wedged inside a word
 * ("M¸ller"), a capital after a small letter ("JosŽ") or a byte the encoding does not define.
 *
 * Windows-1252 stays the default; Mac Roman needs the evidence (see `isMacRoman`).
 */
import iconv from 'iconv-lite';
import {isAsciiLetter} from './ascii.js';

type Kind = 'lower' | 'upper' | 'other';
type Fit = 'fit' | 'neutral' | 'misfit';

const HIGH = Buffer.from(Array.from({length: 128}, (_, i) => 0x80 + i));
const MAC = Array.from(iconv.decode(HIGH, 'macintosh'));
const WINDOWS = Array.from(iconv.decode(HIGH, 'windows-1252'));

const LOWER = /^\p{Ll}$/u;
const UPPER = /^[\p{Lu}\p{Lt}]$/u;
/** Bytes the encoding leaves undefined (iconv-lite gives U+FFFD) or control characters: never text. */
const UNDEFINED = /^[\uFFFD\u0080-\u009F]$/;
/** Inside a word: an apostrophe (typed right, or as ‘ or ´) or a dash ("don’t", "Jean–Luc"). */
const JOINERS = new Set(['’', '‘', '´', '–', '—']);
/** At a word's edge: quotes and the marks that follow a word ("“Bob”", "etc…", "Acme™"). */
const EDGE_MARKS = new Set(['“', '”', '„', '‚', '‘', '’', '«', '»', '‹', '›', '…', '™', '®', '†']);

/** How well a character sits between neighbours of these kinds. */
function fit(ch: string, before: Kind, after: Kind): Fit {
  if (UNDEFINED.test(ch)) return 'misfit';
  const letterBefore = before !== 'other';
  const letterAfter = after !== 'other';
  if (LOWER.test(ch)) {
    if (after === 'upper') return 'misfit'; // "OíBrien", "“ìBobby"
    return letterBefore || letterAfter ? 'fit' : 'neutral';
  }
  if (UPPER.test(ch)) {
    if (before === 'lower') return 'misfit'; // "JosŽ"
    if (before === 'upper' && after === 'lower') return 'misfit'; // "MŸller"
    return letterBefore || letterAfter ? 'fit' : 'neutral';
  }
  if (letterBefore && letterAfter) return JOINERS.has(ch) ? 'fit' : 'misfit'; // "M¸ller"
  if (letterBefore !== letterAfter && EDGE_MARKS.has(ch)) return 'fit';
  return 'neutral';
}

export interface Evidence {
  /** Bytes that read well as Mac Roman and badly as Windows-1252. */
  mac: number;
  /** Bytes that read well as Windows-1252 and badly as Mac Roman. */
  windows: number;
}

const KINDS: readonly Kind[] = ['lower', 'upper', 'other'];
const LOWER_KIND = 0;
const UPPER_KIND = 1;
const OTHER_KIND = 2;

/** One encoding's reading of the bytes above 0x7F, worked out once: a file may have a million of them. */
class Reading {
  /** Kind of each byte above 0x7F, as its index in KINDS. */
  private readonly kinds: number[];
  /** Fit of each byte above 0x7F between each kind before and each kind after it. */
  private readonly fits: Fit[] = [];

  constructor(chars: readonly string[]) {
    this.kinds = chars.map((ch) => (LOWER.test(ch) ? LOWER_KIND : UPPER.test(ch) ? UPPER_KIND : OTHER_KIND));
    for (const ch of chars) for (const before of KINDS) for (const after of KINDS) this.fits.push(fit(ch, before, after));
  }

  private kind(byte: number | undefined): number {
    if (byte === undefined) return OTHER_KIND;
    if (byte >= 0x80) return this.kinds[byte - 0x80] ?? OTHER_KIND;
    return byte >= 0x61 && byte <= 0x7a ? LOWER_KIND : byte >= 0x41 && byte <= 0x5a ? UPPER_KIND : OTHER_KIND;
  }

  /** How well `bytes[i]`, a byte above 0x7F, fits where it is. */
  fitAt(bytes: Buffer, i: number): Fit {
    const at = (bytes[i]! - 0x80) * 9 + this.kind(bytes[i - 1]) * 3 + this.kind(bytes[i + 1]);
    return this.fits[at] ?? 'neutral';
  }
}

const MAC_ROMAN = new Reading(MAC);
const WINDOWS_1252 = new Reading(WINDOWS);
/** Excel's "CSV (MS-DOS)": the DOS code page of Western Europe (437, the American one, has the same letters for names). */
const DOS_WESTERN = new Reading(Array.from(iconv.decode(HIGH, 'cp850')));

/**
 * Bytes that fit one reading and not the other, counted for each. A byte that fits both (ö in
 * Mac Roman is š in Windows-1252; í is ’, as in "don’t") or neither counts for none.
 */
export function weigh(bytes: Buffer): Evidence {
  const evidence: Evidence = {mac: 0, windows: 0};
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    const mac = MAC_ROMAN.fitAt(bytes, i);
    const windows = WINDOWS_1252.fitAt(bytes, i);
    if (mac === 'fit' && windows === 'misfit') evidence.mac++;
    else if (windows === 'fit' && mac === 'misfit') evidence.windows++;
  }
  return evidence;
}

/**
 * Most line breaks are CR alone, as classic Mac programs and Excel for Mac's "CSV (Macintosh)"
 * write them (a line break inside a cell may still be LF); nothing on Windows does. A CR at the
 * very end of an incomplete prefix may be half a CRLF.
 */
export function crLineBreaks(prefix: Buffer, wholeFile: boolean): boolean {
  let bareCr = 0;
  let lf = 0;
  const end = wholeFile ? prefix.length : prefix.length - 1;
  for (let i = 0; i < end; i++) {
    const byte = prefix[i];
    if (byte === 0x0a) lf++;
    else if (byte === 0x0d && prefix[i + 1] !== 0x0a) bareCr++;
  }
  return bareCr > lf;
}

/**
 * Whether a file that is not UTF-8 is Mac Roman rather than Windows-1252. With CR line breaks,
 * Mac Roman unless its bytes say Windows-1252 more often than Mac Roman. Without them, the
 * bytes alone must say Mac Roman at least 3 times, and more than ten times as often as they say
 * Windows-1252. A list that really is Windows-1252 seldom says Mac Roman at all: its accented
 * letters (0xC0–0xFF) read in Mac Roman as symbols and capitals, which vote for Windows-1252;
 * its quotes, apostrophes and dashes (0x80–0x9F) read in Mac Roman as small letters, which
 * fit no better than the punctuation they are (no vote), or worse before a capital ("ìBobby").
 *
 * @param sample bytes that hold the file's first bytes that are not UTF-8
 * @param prefix the file's first bytes, for its line breaks
 */
export function isMacRoman(sample: Buffer, prefix: Buffer, wholeFile: boolean): boolean {
  const {mac, windows} = weigh(sample);
  if (crLineBreaks(prefix, wholeFile)) return mac >= windows;
  return mac >= 3 && mac > 10 * windows;
}

/** What ends a word in a CSV line: a Shift_JIS lead byte is never followed by one of these. */
function endsWord(b: number | undefined): boolean {
  return b === undefined || b === 0x20 || b === 0x2c || b === 0x3b || b === 0x09 || b === 0x0d || b === 0x0a || b === 0x22 || b === 0x7c;
}

/**
 * Whether a file that is not UTF-8 is Excel's "CSV (MS-DOS)" (code page 850, or 437 in America):
 * its é è ñ ö are bytes 0x82–0xA5, which Windows-1252 reads as quotes, dashes or nothing
 * ("Sch„fer", "LefŠvre", "Mu¤oz"), and its ü ä as ones Mac Roman reads as capitals ("MÅller",
 * "SchÑfer"); read as either, the names went to Seam garbled. Its evidence against Windows-1252
 * counts only where the byte stands alone inside a Latin word (an ASCII letter on each side, and
 * another beside one of them) or ends one after two ASCII letters ("Giosuè", "Lefèvre"): a Japanese or
 * Chinese file's bytes come in pairs and runs, and its lead byte before an ASCII letter
 * ("Key（Front）") comes with names that are runs of them ("ジョン・スミス"). At least 3 such
 * letters of at least 2 kinds, more than ten times as many as the bytes that read better as Windows-1252, more bytes
 * that read better as DOS than as Mac Roman (whose letters fall on the same bytes), and few bytes
 * above 0x7F in runs of three or more (a tenth; "ção" and "Núñez" are two).
 */
export function isDosWestern(sample: Buffer): boolean {
  let overWindows = 0;
  let forWindows = 0;
  let overMac = 0;
  let forMac = 0;
  /** The bytes that gave that evidence: Shift_JIS punctuation among English words is 0x81 alone ("“VIP”", "Key（Front）"). */
  const letters = new Set<number>();
  let high = 0;
  let inRuns = 0;
  let run = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i]! < 0x80) {
      if (run >= 3) inRuns += run;
      run = 0;
      continue;
    }
    high++;
    run++;
    const dos = DOS_WESTERN.fitAt(sample, i);
    const windows = WINDOWS_1252.fitAt(sample, i);
    const mac = MAC_ROMAN.fitAt(sample, i);
    if (dos === 'misfit' && windows === 'fit') forWindows++;
    if (dos === 'misfit' && mac === 'fit') forMac++;
    if (dos === 'fit' && mac === 'misfit') overMac++;
    const inside = isAsciiLetter(sample[i - 1]) && isAsciiLetter(sample[i + 1]) && (isAsciiLetter(sample[i - 2]) || isAsciiLetter(sample[i + 2]));
    const ending = isAsciiLetter(sample[i - 1]) && isAsciiLetter(sample[i - 2]) && endsWord(sample[i + 1]);
    // Misfit in Windows-1252, not merely neutral: a no-break space ending a name pasted from a web
    // page (0xA0, "á" here) is nothing to Windows-1252 and read "John Smithá" (review).
    if ((inside || ending) && dos === 'fit' && windows === 'misfit') {
      overWindows++;
      letters.add(sample[i]!);
    }
  }
  if (run >= 3) inRuns += run;
  return overWindows >= 3 && letters.size >= 2 && overWindows > 10 * forWindows && overMac > forMac && inRuns * 10 <= high;
}
