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

/** Under this many characters, two readings that both score ENOUGH are not told apart by their order. */
const FEW = 20;

/**
 * Windows-1252 bytes that Western names and contact lists hardly hold: undefined ones, ƒ † ‡ ˆ ‰ ‹ ˜ ›
 * ¤ ¥ ¦ ¨ ¬ soft hyphen ¯ ± µ ¶ ¸ ¼ ¾ × ÷. Big5 and Shift_JIS lead bytes fall on them often,
 * and their second bytes can be ASCII, so a short file of theirs has no long runs to show.
 */
const UNUSUAL_IN_WESTERN = new Set([
  0x81, 0x83, 0x86, 0x87, 0x88, 0x89, 0x8b, 0x8d, 0x8f, 0x90, 0x98, 0x9b, 0x9d, 0xa4, 0xa5, 0xa6, 0xa8, 0xac, 0xad, 0xaf, 0xb1, 0xb5,
  0xb6, 0xb8, 0xbc, 0xbe, 0xd7, 0xf7,
]);

/** `unknown`: `wordy` when its non-ASCII bytes make words, as no Western text does (else they are only unusual). */
export type RegionalGuess =
  | {kind: 'western'}
  | {kind: 'regional'; encoding: RegionalEncoding}
  /** `between`: the code pages that read it alike, when it is too short to tell them apart. */
  | {kind: 'unknown'; wordy: boolean; between?: [RegionalEncoding, RegionalEncoding]};

/**
 * `bytes`: a sample of the file that is not UTF-8, from the start of a line. Western: the
 * non-ASCII bytes stand alone as Western letters (or there are too few to tell); unknown: they
 * are not Western, but no encoding known here reads them surely (Greek, Hebrew, Arabic, Thai,
 * mixed encodings, or a sample too short to tell Korean from Chinese).
 */
export function guessRegional(bytes: Uint8Array): RegionalGuess {
  let high = 0;
  let inWords = 0;
  let unusual = 0;
  let run = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i]! : 0;
    if (b >= 0x80) {
      high++;
      run++;
      if (UNUSUAL_IN_WESTERN.has(b)) unusual++;
      continue;
    }
    if (run >= 3) inWords += run;
    run = 0;
  }
  const wordy = inWords >= high / 2;
  const odd = unusual >= 2 && unusual >= high / 5;
  if (high < 4 || (!wordy && !odd)) return {kind: 'western'};
  const readings = ORDER.map((encoding) => ({encoding, ...read(bytes, encoding)}))
    .filter((r) => r.score >= ENOUGH)
    .sort((a, b) => b.score - a.score);
  const [best, second] = readings;
  if (best === undefined) return {kind: 'unknown', wordy};
  // Korean text is valid, everyday GBK too (and a few Russian words can pass for GBK): a short
  // sample that two read well is not guessed at.
  if (second !== undefined && best.chars < FEW && best.score - second.score < 0.15) return {kind: 'unknown', wordy, between: [best.encoding, second.encoding]};
  return {kind: 'regional', encoding: best.encoding};
}

/** How well `encoding` reads the bytes: the share of characters in everyday use (-1: a byte breaks its rules), and how many. */
function read(bytes: Uint8Array, encoding: RegionalEncoding): {score: number; chars: number} {
  return encoding === 'windows-1251' ? cyrillic(bytes) : doubleByte(bytes, encoding);
}

type DoubleByte = Exclude<RegionalEncoding, 'windows-1251'>;

function doubleByte(bytes: Uint8Array, encoding: DoubleByte): {score: number; chars: number} {
  let chars = 0;
  let common = 0;
  let halfWidth = 0;
  let hanzi = 0;
  let firstLevel = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    if (encoding === 'shift_jis' && lead >= 0xa1 && lead <= 0xdf) {
      // Half-width katakana, one byte each: old Japanese systems write names in them, in words
      // (ﾔﾏﾀﾞ ﾀﾛｳ); one alone between ASCII is more likely a Western sign (°, ², £).
      chars++;
      halfWidth++;
      if ((bytes[i - 1] ?? 0) >= 0xa1 || (bytes[i + 1] ?? 0) >= 0xa1) common++;
      continue;
    }
    if (i + 1 >= bytes.length) break; // the sample ends inside a character
    const trail = bytes[++i]!;
    if (!validPair(encoding, lead, trail)) return {score: -1, chars};
    chars++;
    if (everyday(encoding, lead, trail)) common++;
    if (encoding === 'gbk' && lead >= 0xb0 && lead <= 0xf7 && trail >= 0xa1) {
      hanzi++;
      if (lead <= 0xd7) firstLevel++;
    }
  }
  if (chars === 0) return {score: 0, chars};
  // Chinese names are written mostly in GB2312's first level, its 3,755 common hanzi. Greek,
  // Arabic or Hebrew letters read two by two fall mostly on the rare second level ("铋腱 噫屐嚅").
  if (firstLevel * 2 < hanzi) return {score: 0, chars};
  // Mostly half-width katakana: also what GBK's or Big5's bytes look like read one by one, so a
  // reading in whole characters that does as well is preferred.
  return {score: (halfWidth * 2 > chars ? 0.8 : 1) * (common / chars), chars};
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
      // All of GB2312: its symbols (A1–A9) and both levels of hanzi (B0–F7); given names use the second.
      return trail >= 0xa1 && ((lead >= 0xa1 && lead <= 0xa9) || (lead >= 0xb0 && lead <= 0xf7));
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

/**
 * Serbian and Macedonian letters (Ђ Ѓ Љ Њ Ќ Ћ Џ Ј Ѕ and their small letters): not scored, as
 * before, but part of a word when its shape is judged ("Јовановић" is one capitalised word).
 */
const SERBIAN_CAPITALS = new Set([0x80, 0x81, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0xa3, 0xbd]);
const SERBIAN_SMALL = new Set([0x83, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xbc, 0xbe]);

/** A small letter of Windows-1251. */
function isCyrillicSmall(b: number): boolean {
  return b >= 0xe0 || [0xa2, 0xb3, 0xb4, 0xb8, 0xba, 0xbf].includes(b) || SERBIAN_SMALL.has(b);
}

function cyrillic(bytes: Uint8Array): {score: number; chars: number} {
  let counted = 0;
  let letters = 0;
  let small = 0;
  let vowels = 0;
  // The shape of each word of Cyrillic letters: how it starts, and whether it could be one.
  let words = 0;
  let capitalised = 0;
  let odd = 0;
  let length = 0;
  let wordVowels = 0;
  let capitals = 0;
  let sawSmall = false;
  let mixed = false;
  let openedBadly = false;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i]! : 0;
    const inWord = b >= 0x80 && (isCyrillicLetter(b) || SERBIAN_CAPITALS.has(b) || SERBIAN_SMALL.has(b));
    if (inWord) {
      const isSmall = isCyrillicSmall(b);
      if (length === 0) {
        if (!isSmall) capitalised++;
        openedBadly = [0xda, 0xdb, 0xdc, 0xfa, 0xfb, 0xfc].includes(b);
      }
      if ((!isSmall && sawSmall) || (isSmall && capitals >= 2 && !sawSmall)) mixed = true;
      if (!isSmall) capitals++;
      sawSmall ||= isSmall;
      if (isCyrillicVowel(b)) wordVowels++;
      length++;
    } else if (length > 0) {
      words++;
      // "ИвАнов", "НУнд", "Ъбн" or "Гйщсгпт": a capital after a small letter or a second one
      // before a small letter, a word that starts with Ъ, Ь or Ы, or four letters and no vowel.
      if (mixed || openedBadly || (length >= 4 && wordVowels === 0)) odd++;
      length = 0;
      wordVowels = 0;
      capitals = 0;
      sawSmall = false;
      mixed = false;
    }
    if (b < 0x80 || CYRILLIC_PUNCTUATION.has(b)) continue;
    if (b === 0x98) return {score: -1, chars: counted}; // the one byte Windows-1251 leaves undefined
    counted++;
    if (!isCyrillicLetter(b)) continue;
    letters++;
    if (isCyrillicSmall(b)) small++;
    if (isCyrillicVowel(b)) vowels++;
  }
  if (counted === 0) return {score: 0, chars: 0};
  // Names are written "Иванов Иван": mostly small letters. GBK's bytes read through this table
  // are two thirds capitals; Greek or Hebrew ones are not a third to a half vowels, as Slavic words are.
  if (small < letters / 2) return {score: 0, chars: counted};
  if (letters >= 20 && (vowels / letters < 0.25 || vowels / letters > 0.65)) return {score: 0, chars: counted};
  // A short text has too few letters for those shares, but any text has words with a shape.
  // Cyrillic names start with a capital; Hebrew has no capitals, and its letters all read as small
  // ones here ("ретд мей"). Greek and Arabic letters read as words with capitals inside, or with
  // no vowel at all ("НЯкпт ГещсгЯпх").
  if (capitalised * 10 < words || odd * 3 > words) return {score: 0, chars: counted};
  return {score: letters / counted, chars: counted};
}
