/**
 * Turkish (Windows-1254) and Baltic (Windows-1257) text, told from Western (Windows-1252).
 *
 * Excel's plain "CSV" on a Turkish Windows is Windows-1254; on a Lithuanian, Latvian or Estonian
 * one, Windows-1257. Read as Windows-1252 they raise no error: their letters fall on Western
 * ones, mostly on the Icelandic Ð ð Þ þ Ý ý ("Yılmaz" → "Yýlmaz", "Ağaoğlu" → "Aðaoðlu",
 * "Šarūnas Žukauskas" → "Ðarûnas Þukauskas", "Jānis Bērziņš" → "Jânis Bçrziòð"). So the words
 * that hold one of those six bytes are read three ways, each judged by its language's letters and
 * where they go: ð never starts an Icelandic word and follows a vowel or r, þ follows no vowel,
 * ğ follows a vowel in Turkish, and each language has its own set of letters. A word that breaks
 * them rules that reading out.
 *
 * Windows-1252 stays the default: a file without those bytes is not looked at, and one whose
 * only such letter is ý (Czech "Novotný", Icelandic "Sýr") is read as Western when that fits.
 */
import iconv from 'iconv-lite';

export type LatinPage = 'windows-1252' | 'windows-1254' | 'windows-1257';

/** As the refusal names them. */
export const LATIN_LANGUAGE: Record<LatinPage, string> = {
  'windows-1252': 'Western European',
  'windows-1254': 'Turkish',
  'windows-1257': 'Baltic',
};

const PAGES: readonly LatinPage[] = ['windows-1252', 'windows-1254', 'windows-1257'];

/**
 * `between`: the pages that read it alike; `none`: no page reads it surely, and `candidates` are
 * all three. `word`: one of its words, read each way.
 */
export type LatinGuess = {kind: 'page'; encoding: LatinPage} | {kind: 'between' | 'none'; candidates: LatinPage[]; word: Record<LatinPage, string>};

/** Windows-1252's Ð Ý Þ ð ý þ: Turkish Ğ İ Ş ğ ı ş, Baltic Š Ż Ž š ż ž. */
const SUSPECT = new Set([0xd0, 0xdd, 0xde, 0xf0, 0xfd, 0xfe]);

const HIGH = Buffer.from(Array.from({length: 128}, (_, i) => 0x80 + i));
const TABLES = Object.fromEntries(PAGES.map((page) => [page, Array.from(iconv.decode(HIGH, page))])) as Record<LatinPage, string[]>;

/** The letters beyond ASCII each reading may hold in a word with one of the six bytes. */
const ALPHABET: Record<LatinPage, string> = {
  // Icelandic and Faroese; ý also Czech and Slovak.
  'windows-1252': 'áðéíóúýþæöøÁÐÉÍÓÚÝÞÆÖØ',
  'windows-1254': 'çğıöşüâîûÇĞİÖŞÜÂÎÛ',
  // Lithuanian, Latvian, Estonian.
  'windows-1257': 'ąčęėįšųūžāēģīķļņõäöüĄČĘĖĮŠŲŪŽĀĒĢĪĶĻŅÕÄÖÜ',
};

const VOWELS: Record<LatinPage, RegExp> = {
  'windows-1252': /[aeiouyáéíóúýæöø]/i,
  'windows-1254': /[aeıioöuüâîûİ]/i,
  'windows-1257': /[aeiouyąęėįųūāēīõäöü]/i,
};

/** Bytes that make a word: ASCII letters, and those that are letters in any of the three. */
function isWordByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0xc0 && b !== 0xd7 && b !== 0xf7) || [0x8a, 0x8c, 0x8e, 0x9a, 0x9c, 0x9e, 0x9f].includes(b);
}

function decode(word: Uint8Array, page: LatinPage): string {
  let out = '';
  for (const b of word) out += b < 0x80 ? String.fromCharCode(b) : TABLES[page][b - 0x80];
  return out;
}

const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;

/** Whether the word, read in this page, could be a word of its languages. */
function fits(word: string, page: LatinPage): boolean {
  const chars = [...word];
  const vowel = (c: string | undefined): boolean => c !== undefined && VOWELS[page].test(c);
  let ys = 0;
  for (const [i, c] of chars.entries()) {
    const before = chars[i - 1];
    if (c > '\x7f' && !ALPHABET[page].includes(c)) return false;
    // A capital after a small letter: "JosÝ", "aŽuolas".
    if (UPPER.test(c) && before !== undefined && LOWER.test(before)) return false;
    const lower = c.toLowerCase();
    if (page === 'windows-1252') {
      // Icelandic ð: "Guðrún", "Sigurður", "Davíð"; þ: "Þór", "Arnþór", "Eyþór".
      if (lower === 'ð' && (i === 0 || !(vowel(before) || before === 'r' || before === 'R'))) return false;
      if (lower === 'þ' && i > 0 && vowel(before) && chars.slice(i - 2, i).join('').toLowerCase() !== 'ey') return false;
      if (lower === 'ý' && (vowel(before) || ++ys > 1)) return false;
    }
    // Turkish ğ follows a vowel: "Doğan", "Ağaoğlu".
    if (page === 'windows-1254' && lower === 'ğ' && !vowel(before)) return false;
  }
  return true;
}

/** The pages the file's email domains point to (.is Western, .tr Turkish, .lt .lv .ee Baltic). */
function domains(bytes: Uint8Array): Set<LatinPage> {
  const found = new Set<LatinPage>();
  for (const [, tld] of Buffer.from(bytes).toString('latin1').matchAll(/@[\w.-]+\.(is|tr|lt|lv|ee)\b/gi)) {
    found.add(tld!.toLowerCase() === 'is' ? 'windows-1252' : tld!.toLowerCase() === 'tr' ? 'windows-1254' : 'windows-1257');
  }
  return found;
}

/** Enough words to judge a file by. */
const MAX_WORDS = 2000;

/**
 * `bytes`: a sample of a file that is not UTF-8 and is taken for Western text. Which of the three
 * pages it is in; `between` when its letters read as more than one alike, `none` when as none surely.
 */
export function westernTurkishOrBaltic(bytes: Uint8Array): LatinGuess {
  const suspect: Uint8Array[] = [];
  const others: Uint8Array[] = [];
  let onlyY = true;
  for (let start = 0; start < bytes.length && suspect.length < MAX_WORDS; ) {
    if (!isWordByte(bytes[start]!)) {
      start++;
      continue;
    }
    let end = start;
    while (end < bytes.length && isWordByte(bytes[end]!)) end++;
    const word = bytes.subarray(start, end);
    if (word.some((b) => SUSPECT.has(b))) {
      suspect.push(word);
      if (word.some((b) => SUSPECT.has(b) && b !== 0xfd)) onlyY = false;
    } else if (word.some((b) => b >= 0x80) && others.length < MAX_WORDS) {
      others.push(word);
    }
    start = end;
  }
  if (suspect.length === 0) return {kind: 'page', encoding: 'windows-1252'};
  // A typo or a foreign name in a long file is forgiven; in a short one each word counts.
  let candidates = PAGES.filter((page) => suspect.filter((word) => !fits(decode(word, page), page)).length * 10 <= (suspect.length >= 10 ? suspect.length : 0));
  if (candidates.length > 1) {
    // Several readings fit: the email addresses may say whose file it is…
    const pointed = domains(bytes);
    const told = candidates.filter((page) => pointed.has(page));
    if (told.length === 1) candidates = told;
  }
  if (candidates.length > 1) {
    // …or its words have a shape only one language gives them: Icelandic "Davíð", "Sigurður";
    // Lithuanian women's surnames ("Petrauskaitė" → "Petrauskaitë").
    const icelandic = suspect.some((word) => /[áéíóúæ].*ð|ð.*[áéíóúæ]|..ður$/i.test(decode(word, 'windows-1252')));
    const lithuanian = [...suspect, ...others].some((word) => /(?:ait|yt|ut|ût|ien)ë$/.test(decode(word, 'windows-1252')));
    const told = candidates.filter((page) => (page === 'windows-1252' && icelandic && !lithuanian) || (page === 'windows-1257' && lithuanian && !icelandic));
    if (told.length === 1) candidates = told;
  }
  if (candidates.length > 1) {
    // …or the file's other words hold letters Turkish or Baltic text does not ("Jónsson").
    candidates = candidates.filter((page) => page === 'windows-1252' || others.every((word) => [...decode(word, page)].every((c) => c <= '\x7f' || !/\p{L}/u.test(c) || ALPHABET[page].includes(c))));
  }
  // ý alone is a Czech, Slovak or Icelandic letter as much as a Turkish ı.
  if (candidates.length > 1 && candidates.includes('windows-1252') && onlyY) candidates = ['windows-1252'];
  if (candidates.length === 1) return {kind: 'page', encoding: candidates[0]!};
  const shown = suspect[0]!.subarray(0, 30);
  const word = Object.fromEntries(PAGES.map((page) => [page, decode(shown, page)])) as Record<LatinPage, string>;
  return candidates.length === 0 ? {kind: 'none', candidates: [...PAGES], word} : {kind: 'between', candidates, word};
}
