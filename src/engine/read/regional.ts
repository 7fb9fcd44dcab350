/**
 * Which regional encoding a text file is in, when it is neither UTF-8 nor Western European.
 *
 * Excel's plain "CSV" is written in the computer's ANSI code page: Shift_JIS on a Japanese
 * Windows, GBK on a Chinese one, EUC-KR (code page 949) on a Korean one, Big5 in Taiwan and
 * Windows-1251 in Russia. Read as Windows-1252, their names become "ÕÅÎ°" and go to Seam so.
 *
 * Western text has its non-ASCII bytes alone between ASCII letters ("Müller", "José"); these
 * encodings write whole words of them (a Chinese name is 4–6 such bytes, a Russian one 5–12).
 * So a file is judged regional when most of its non-ASCII bytes sit in runs of three or more.
 * Each candidate then reads the bytes by its own rules: any byte its rules refuse rules it out,
 * and it scores the share of characters that fall in the part of its table everyday text uses
 * (GB2312's first level for GBK, the Hangul syllables for EUC-KR, kana and first-level kanji for
 * Shift_JIS, Big5's frequent characters, Cyrillic letters for Windows-1251). The right reading
 * scores near 1; the others, reading another table's bytes, fall well short.
 */

/** iconv-lite names, with the language the "Reading …" line gives beside them. */
export const REGIONAL = {
  'euc-kr': 'Korean',
  shift_jis: 'Japanese',
  gbk: 'simplified Chinese',
  big5: 'traditional Chinese',
  'windows-1251': 'Cyrillic',
} as const;

export type RegionalEncoding = keyof typeof REGIONAL;

/** In this order when two score the same: Korean text reads as valid, common GBK too. */
const ORDER: readonly RegionalEncoding[] = ['euc-kr', 'shift_jis', 'gbk', 'big5', 'windows-1251'];

/** The least score taken as a reading. */
const ENOUGH = 0.8;

export type RegionalGuess = {kind: 'western'} | {kind: 'regional'; encoding: RegionalEncoding} | {kind: 'unknown'};

/**
 * `bytes`: a sample of the file that is not UTF-8, from the start of a line. Western: the
 * non-ASCII bytes stand alone (or there are too few to tell); unknown: they make words, but in
 * no encoding known here (Greek, Hebrew, Arabic, Thai, or a file of mixed encodings).
 */
export function guessRegional(bytes: Uint8Array): RegionalGuess {
  let high = 0;
  let inWords = 0;
  let run = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i]! : 0;
    if (b >= 0x80) {
      high++;
      run++;
      continue;
    }
    if (run >= 3) inWords += run;
    run = 0;
  }
  if (high < 6 || inWords < high / 2) return {kind: 'western'};
  let best: RegionalEncoding | undefined;
  let bestScore = 0;
  for (const encoding of ORDER) {
    const s = score(bytes, encoding);
    if (s > bestScore) {
      best = encoding;
      bestScore = s;
    }
  }
  return best !== undefined && bestScore >= ENOUGH ? {kind: 'regional', encoding: best} : {kind: 'unknown'};
}

/** Share of the non-ASCII characters in everyday use, or -1 when a byte breaks the encoding's rules. */
export function score(bytes: Uint8Array, encoding: RegionalEncoding): number {
  return encoding === 'windows-1251' ? cyrillic(bytes) : doubleByte(bytes, encoding);
}

type DoubleByte = Exclude<RegionalEncoding, 'windows-1251'>;

function doubleByte(bytes: Uint8Array, encoding: DoubleByte): number {
  let chars = 0;
  let common = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    if (encoding === 'shift_jis' && lead >= 0xa1 && lead <= 0xdf) {
      // Half-width katakana, one byte each: old Japanese systems write names in them.
      chars++;
      common++;
      continue;
    }
    if (i + 1 >= bytes.length) break; // the sample ends inside a character
    const trail = bytes[++i]!;
    if (!validPair(encoding, lead, trail)) return -1;
    chars++;
    if (everyday(encoding, lead, trail)) common++;
  }
  return chars === 0 ? 0 : common / chars;
}

function validPair(encoding: DoubleByte, lead: number, trail: number): boolean {
  switch (encoding) {
    case 'shift_jis':
      return ((lead >= 0x81 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xfc)) && trail >= 0x40 && trail <= 0xfc && trail !== 0x7f;
    case 'gbk':
      return lead >= 0x81 && lead <= 0xfe && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f;
    case 'big5':
      return lead >= 0x81 && lead <= 0xfe && ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe));
    case 'euc-kr':
      // Code page 949: EUC-KR's table plus the Hangul it adds with trail bytes in the ASCII letters.
      return lead >= 0x81 && lead <= 0xfe && ((trail >= 0x41 && trail <= 0x5a) || (trail >= 0x61 && trail <= 0x7a) || (trail >= 0x81 && trail <= 0xfe));
  }
}

/** Symbols and full-width forms (rows A1–A3), or the table's everyday characters. */
function everyday(encoding: DoubleByte, lead: number, trail: number): boolean {
  switch (encoding) {
    case 'shift_jis':
      // Symbols, full-width digits and letters, hiragana, katakana (81–83); level-1 kanji (889F–9872).
      return lead <= 0x83 || (lead >= 0x88 && lead <= 0x98);
    case 'gbk':
      return trail >= 0xa1 && ((lead >= 0xa1 && lead <= 0xa3) || (lead >= 0xb0 && lead <= 0xd7));
    case 'big5':
      return (lead >= 0xa1 && lead <= 0xa3) || (lead >= 0xa4 && lead <= 0xc6);
    case 'euc-kr':
      return trail >= 0xa1 && ((lead >= 0xa1 && lead <= 0xa3) || (lead >= 0xb0 && lead <= 0xc8));
  }
}

/** Windows-1251's letters: А–я (C0–FF) and Ё ё Ґ ґ Є є І і Ї ї Ў ў. */
function isCyrillicLetter(b: number): boolean {
  return b >= 0xc0 || [0xa1, 0xa2, 0xa5, 0xa8, 0xaa, 0xaf, 0xb2, 0xb3, 0xb4, 0xb8, 0xba, 0xbf].includes(b);
}

/** Its punctuation: neither for nor against (« » — – № " " ' ' … and the no-break space). */
const CYRILLIC_PUNCTUATION = new Set([0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0xa0, 0xab, 0xb9, 0xbb]);

/** А Е И О У Ы Э Ю Я Ё Є І Ї and their small letters. */
function isCyrillicVowel(b: number): boolean {
  const small = b >= 0xe0 ? b - 0x20 : b;
  return [0xc0, 0xc5, 0xc8, 0xce, 0xd3, 0xdb, 0xdd, 0xde, 0xdf].includes(small) || [0xa8, 0xb8, 0xaa, 0xba, 0xb2, 0xb3, 0xaf, 0xbf].includes(b);
}

function cyrillic(bytes: Uint8Array): number {
  let counted = 0;
  let letters = 0;
  let vowels = 0;
  for (const b of bytes) {
    if (b < 0x80 || CYRILLIC_PUNCTUATION.has(b)) continue;
    if (b === 0x98) return -1; // the one byte Windows-1251 leaves undefined
    counted++;
    if (!isCyrillicLetter(b)) continue;
    letters++;
    if (isCyrillicVowel(b)) vowels++;
  }
  if (counted === 0) return 0;
  // Slavic words are a third to a half vowels; Greek or Hebrew read through this table are not.
  if (letters >= 20 && (vowels / letters < 0.25 || vowels / letters > 0.65)) return 0;
  return letters / counted;
}
