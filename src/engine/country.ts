import {getCountries, getCountryCallingCode, isSupportedCountry, type CountryCode} from 'libphonenumber-js';

/**
 * Region names and codes as people write them: "UK" (Britain's common name, not its code),
 * "United Kingdom", "Germany", "Deutschland", "USA", "DEU".
 *
 * For `--default-country`, only to word the usage error: the flag takes codes only, so that a
 * name never picks the region of a whole file silently. For a row's own country column, to
 * read the region of that row's phone number (`regionOf`).
 */

/** What people write that the region names below do not cover: short forms, parts, old names, ISO alpha-3. */
const ALIASES: Readonly<Record<string, CountryCode>> = {
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  gbr: 'GB',
  usa: 'US',
  'united states of america': 'US',
  america: 'US',
  deutschland: 'DE',
  deu: 'DE',
  fra: 'FR',
  can: 'CA',
  aus: 'AU',
  ind: 'IN',
  irl: 'IE',
  esp: 'ES',
  espana: 'ES',
  ita: 'IT',
  nld: 'NL',
  holland: 'NL',
  mex: 'MX',
  bra: 'BR',
  jpn: 'JP',
  chn: 'CN',
  nzl: 'NZ',
  che: 'CH',
  uae: 'AE',
  korea: 'KR',
  'hong kong': 'HK',
  macau: 'MO',
  turkey: 'TR',
  'czech republic': 'CZ',
  burma: 'MM',
  'ivory coast': 'CI',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'hong kong sar': 'HK',
  'united mexican states': 'MX',
  'estados unidos mexicanos': 'MX',
  // More ISO alpha-3 codes, as HR and ERP exports write them.
  kor: 'KR', swe: 'SE', nor: 'NO', dnk: 'DK', fin: 'FI', pol: 'PL', prt: 'PT', bel: 'BE', aut: 'AT', grc: 'GR',
  rus: 'RU', ukr: 'UA', isr: 'IL', sgp: 'SG', hkg: 'HK', twn: 'TW', tha: 'TH', phl: 'PH', idn: 'ID', mys: 'MY',
  vnm: 'VN', zaf: 'ZA', arg: 'AR', chl: 'CL', col: 'CO', per: 'PE', are: 'AE', sau: 'SA', egy: 'EG', nga: 'NG',
  ken: 'KE', tur: 'TR', cze: 'CZ', hun: 'HU', rou: 'RO', lux: 'LU', pak: 'PK', bgd: 'BD', qat: 'QA', kwt: 'KW',
};

/** Region names said with "the". */
const WITH_THE: ReadonlySet<string> = new Set(['US', 'GB', 'NL', 'AE', 'PH', 'BS', 'GM', 'DO', 'CF', 'KY', 'FO', 'FK', 'MH', 'SB', 'VA', 'VG', 'VI', 'CD', 'CG']);

/** Lowercase, no accents, dots or punctuation: "U.S.A." → "usa", "Côte d’Ivoire" → "cote divoire". */
function key(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

/** Languages whose region names a country column may hold ("Alemania", "Allemagne", "Deutschland"). */
const NAME_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl', 'sv', 'da', 'nb', 'pl', 'ru', 'zh', 'zh-Hant', 'ja', 'ko'];

let names: {byCode: Map<CountryCode, string>; byName: Map<string, CountryCode>} | undefined;
/** Region names in scripts `key` would erase (Cyrillic, CJK, Hangul), as written. Filled with `names`. */
const NON_LATIN_NAMES = new Map<string, CountryCode>();

/** Region names from the ICU data Node ships (Intl), for every region the phone library knows; English for display. */
function regionNames(): {byCode: Map<CountryCode, string>; byName: Map<string, CountryCode>} {
  if (names) return names;
  const byCode = new Map<CountryCode, string>();
  const byName = new Map<string, CountryCode>();
  names = {byCode, byName};
  for (const language of NAME_LANGUAGES) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([language], {type: 'region', fallback: 'none'});
    } catch {
      // A Node built without Intl (or this language): the aliases above still answer.
      continue;
    }
    for (const code of getCountries()) {
      const name = display.of(code);
      if (name === undefined) continue;
      if (language === 'en') byCode.set(code, name);
      if (key(name) === '') {
        // Россия, 中国, 日本, 대한민국: kept as written, spaces aside.
        if (!NON_LATIN_NAMES.has(name.replace(/\s+/g, ''))) NON_LATIN_NAMES.set(name.replace(/\s+/g, ''), code);
        continue;
      }
      if (!byName.has(key(name))) byName.set(key(name), code);
      // "Myanmar (Burma)", "Hong Kong SAR China": the part people write.
      const short = name.replace(/\s*\(.*\)$/, '').replace(/ SAR China$/, '');
      if (short !== name && !byName.has(key(short))) byName.set(key(short), code);
    }
  }
  return names;
}

/**
 * The region a country cell names: a two-letter code ("AU", "gb"), a name in one of the common
 * languages ("Australia", "Allemagne"), a short form or alpha-3 code ("UK", "USA", "DEU"), or a
 * calling code ("+61", "61": its main region). Undefined when it names none the phone library knows.
 */
export function regionOf(cell: string): CountryCode | undefined {
  // A country column holds a few values over many rows: each is read once.
  if (regionCache.has(cell)) return regionCache.get(cell);
  const region = readRegion(cell);
  if (regionCache.size < 10_000) regionCache.set(cell, region);
  return region;
}

const regionCache = new Map<string, CountryCode | undefined>();

function readRegion(cell: string): CountryCode | undefined {
  const text = cell.trim();
  if (text === '') return undefined;
  const calling = /^\+?(\d{1,3})$/.exec(text);
  if (calling) return mainRegionOfCallingCode(calling[1]!);
  const wanted = key(text);
  if (wanted.length === 2) {
    // "AU", "gb", "U.S."; "UK" is Britain's common name, not a code.
    const code = wanted.toUpperCase();
    if (code === 'UK') return 'GB';
    return isSupportedCountry(code) ? code : undefined;
  }
  const names = regionNames().byName;
  // The ISO list's "Korea, Republic of" and "Tanzania, United Republic of".
  const turned = /^(.+?) (republic of|united republic of|state of|islamic republic of|federation|the)$/.exec(wanted);
  return ALIASES[wanted] ?? names.get(wanted) ?? NON_LATIN_NAMES.get(text.replace(/\s+/g, '')) ?? (turned ? (ALIASES[turned[1]!] ?? names.get(turned[1]!)) : undefined);
}

let mainRegions: Map<string, CountryCode> | undefined;

function mainRegionOfCallingCode(code: string): CountryCode | undefined {
  if (!mainRegions) {
    mainRegions = new Map();
    // The phone library lists the main region of a shared calling code first (1: US, 44: GB, 7: RU).
    for (const region of ['US', 'GB', 'RU', 'IT', 'FI', 'NO', 'MA', 'AU'] as const) mainRegions.set(getCountryCallingCode(region), region);
    for (const region of getCountries()) {
      const calling = getCountryCallingCode(region);
      if (!mainRegions.has(calling)) mainRegions.set(calling, region);
    }
  }
  return mainRegions.get(code);
}

export interface CountrySuggestion {
  code: CountryCode;
  /** "the United Kingdom", "Germany"; the code itself when no name is known. */
  name: string;
}

/** The region `input` names, when it is a name, a common short form or an ISO alpha-3 code. */
export function suggestCountry(input: string): CountrySuggestion | undefined {
  const wanted = key(input);
  if (wanted === '') return undefined;
  const {byCode, byName} = regionNames();
  const code = ALIASES[wanted] ?? byName.get(wanted);
  if (code === undefined) return undefined;
  const name = byCode.get(code);
  if (name === undefined) return {code, name: code};
  return {code, name: WITH_THE.has(code) ? `the ${name}` : name};
}

/** The usage message for a `--default-country` that is not a supported two-letter code. */
export function countryProblem(flag: string, input: string): string {
  const suggestion = suggestCountry(input);
  if (suggestion !== undefined) {
    return `${flag} takes a two-letter ISO region code: the code for ${suggestion.name} is ${suggestion.code}, so pass ${flag} ${suggestion.code} (got "${input}").`;
  }
  return `${flag} must be a two-letter ISO region code such as US, GB or DE; got "${input}".`;
}
