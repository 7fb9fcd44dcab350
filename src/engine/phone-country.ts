/**
 * Phone numbers written without + and a country code are read as numbers of the default country
 * (US unless --default-country says otherwise). An Italian export's "331 765 4321" is then a valid
 * US number, someone else's, and nothing failed to say so. The check pass counts such numbers and
 * the country the rows' email addresses point to (their domain's country ending: .it, .com.mx,
 * .co.in), and warns before anything is sent when most of them point elsewhere.
 */
import {getCountryCallingCode, type CountryCode} from 'libphonenumber-js/min';

/** Endings sold to anyone, whatever the country: they say nothing of where a person's phone is. */
const GENERIC = new Set(['io', 'co', 'me', 'tv', 'ai', 'ly', 'fm', 'am', 'to', 'cc', 'ws', 'gg', 'la', 'so', 'sh', 'ac', 'vc', 'nu', 'tk', 'ml', 'ga', 'cf', 'gq', 'eu']);
/** Endings that are not the country's ISO code. */
const ENDING_COUNTRY: Record<string, string> = {uk: 'GB'};
const COUNTRY_NAMES = new Intl.DisplayNames(['en'], {type: 'region'});
/** "+39…", "0039…", full-width "＋": written with a country code. */
const INTERNATIONAL = /^\s*(?:[+＋]|00)/;

/** At least this many numbers read as the default country's before the warning is worth saying. */
const MIN_NUMBERS = 3;

export class PhoneCountryHint {
  private read = 0;
  private readonly endings = new Map<string, number>();
  private example = '';

  /**
   * `phone`, `email`: the row's cells; `countryCell`: its country column's cell, when the file has
   * one (a row with a country there took its region from it, not from the default).
   */
  see(imported: boolean, phone: string | undefined, email: string | undefined, countryCell: string | undefined): void {
    if (!imported || phone === undefined || phone.trim() === '' || INTERNATIONAL.test(phone)) return;
    if (countryCell !== undefined && countryCell.trim() !== '') return;
    this.read += 1;
    if (this.example === '') this.example = phone.trim();
    const country = countryOfEmail(email);
    if (country !== undefined) this.endings.set(country, (this.endings.get(country) ?? 0) + 1);
  }

  /** The warning, or undefined when the numbers' rows do not point to another country. */
  warning(defaultCountry: CountryCode, header: string): string | undefined {
    if (this.read < MIN_NUMBERS) return undefined;
    let best: string | undefined;
    let count = 0;
    for (const [country, n] of this.endings) {
      if (n > count) {
        best = country;
        count = n;
      }
    }
    if (best === undefined || best === defaultCountry || count * 2 < this.read) return undefined;
    const code = callingCode(best);
    if (code === undefined || code === callingCode(defaultCountry)) return undefined;
    const name = COUNTRY_NAMES.of(best) ?? best;
    return `${this.read} phone numbers in column "${header}" are written without + and a country code, so they are read as ${defaultCountry} numbers (+${callingCode(defaultCountry) ?? ''}), such as ${JSON.stringify(this.example)}; but ${count} of their rows have email addresses in ${name} (.${best.toLowerCase()}). If they are numbers in ${name}, pass --default-country ${best} (or write them with +${code}): read as ${defaultCountry} numbers, codes and messages would go to other people.`;
  }
}

/** The country an address's domain ends in ("ana@ditta.it" → IT, "a@x.com.mx" → MX, "a@x.co.uk" → GB), or undefined. */
function countryOfEmail(email: string | undefined): string | undefined {
  if (email === undefined) return undefined;
  // Most rows: a last letter with neither "." nor "@" three from the end, so no two-letter ending (this runs on every row).
  const n = email.length;
  const last = email.charCodeAt(n - 1) | 0x20;
  if (last >= 97 && last <= 122 && email.charCodeAt(n - 3) !== 46 && email.charCodeAt(n - 3) !== 64) return undefined;
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
  const ending = domain.slice(domain.lastIndexOf('.') + 1);
  if (!/^[a-z]{2}$/.test(ending) || GENERIC.has(ending)) return undefined;
  const country = ENDING_COUNTRY[ending] ?? ending.toUpperCase();
  return callingCode(country) === undefined ? undefined : country;
}

function callingCode(country: string): string | undefined {
  try {
    return getCountryCallingCode(country as CountryCode);
  } catch {
    return undefined;
  }
}
