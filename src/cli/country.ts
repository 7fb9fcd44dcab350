import {getCountries, type CountryCode} from 'libphonenumber-js';

/**
 * The code to suggest when `--default-country` is given something other than a two-letter ISO
 * code: "UK" (Britain's common name, not its code), "United Kingdom", "Germany", "USA", "DEU".
 * Only used to word the usage error; the flag itself still takes codes only, so that a name
 * never picks a region silently.
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

/** English region names, from the ICU data Node ships (Intl), for every region the phone library knows. */
function englishNames(): {byCode: Map<CountryCode, string>; byName: Map<string, CountryCode>} {
  const byCode = new Map<CountryCode, string>();
  const byName = new Map<string, CountryCode>();
  let names: Intl.DisplayNames;
  try {
    names = new Intl.DisplayNames(['en'], {type: 'region', fallback: 'none'});
  } catch {
    // A Node built without Intl: the aliases above still answer.
    return {byCode, byName};
  }
  for (const code of getCountries()) {
    const name = names.of(code);
    if (name === undefined) continue;
    byCode.set(code, name);
    byName.set(key(name), code);
    // "Myanmar (Burma)", "Hong Kong SAR China": the part people write.
    const short = name.replace(/\s*\(.*\)$/, '').replace(/ SAR China$/, '');
    if (short !== name) byName.set(key(short), code);
  }
  return {byCode, byName};
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
  const {byCode, byName} = englishNames();
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
