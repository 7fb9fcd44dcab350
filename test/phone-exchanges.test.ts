import {createRequire} from 'node:module';
import {describe, expect, it} from 'vitest';
import {parsePhoneNumberFromString, type CountryCode} from 'libphonenumber-js/min';
import {northAmerican, toE164} from '../src/engine/phone.js';

/**
 * The smallest and largest number of characters a metadata pattern matches: digits, \d,
 * [classes], (?:groups), | and the quantifiers {n}, {n,m} and ?; anything else throws, so a
 * pattern of another shape fails the test rather than passing it.
 */
function lengths(source: string): {min: number; max: number} {
  let at = 0;
  function alternation(): {min: number; max: number} {
    let result = sequence();
    while (source[at] === '|') {
      at += 1;
      const next = sequence();
      result = {min: Math.min(result.min, next.min), max: Math.max(result.max, next.max)};
    }
    return result;
  }
  function sequence(): {min: number; max: number} {
    let min = 0;
    let max = 0;
    while (at < source.length && source[at] !== '|' && source[at] !== ')') {
      let atom: {min: number; max: number};
      const char = source[at]!;
      if (char === '(') {
        at += source.startsWith('(?:', at) ? 3 : 1;
        atom = alternation();
        if (source[at] !== ')') throw new Error(`unclosed group in ${source}`);
        at += 1;
      } else if (char === '[') {
        const end = source.indexOf(']', at);
        if (end < 0) throw new Error(`unclosed class in ${source}`);
        at = end + 1;
        atom = {min: 1, max: 1};
      } else if (source.startsWith('\\d', at)) {
        at += 2;
        atom = {min: 1, max: 1};
      } else if (/[0-9]/.test(char)) {
        at += 1;
        atom = {min: 1, max: 1};
      } else {
        throw new Error(`"${char}" in ${source} is not read here`);
      }
      const quantifier = /^\{(\d+)(?:,(\d+))?\}|^\?/.exec(source.slice(at));
      if (quantifier) {
        at += quantifier[0].length;
        const low = quantifier[0] === '?' ? 0 : Number(quantifier[1]);
        const high = quantifier[0] === '?' ? 1 : Number(quantifier[2] ?? quantifier[1]);
        atom = {min: atom.min * low, max: atom.max * high};
      }
      min += atom.min;
      max += atom.max;
    }
    return {min, max};
  }
  const result = alternation();
  if (at !== source.length) throw new Error(`stopped at ${at} of ${source}`);
  return result;
}

/** The top-level alternatives of a pattern. */
function alternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') i += 1;
    else if (char === '[') i = source.indexOf(']', i);
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/**
 * Whether a pattern, matched against ten digits, asks nothing of the last four: each of its
 * alternatives either cannot match ten digits or ends in four or more \d.
 */
function lastFourFree(pattern: string): boolean {
  return alternatives(pattern).every((alternative) => {
    const free = /(?:\\d\{(\d+)\}|\\d)$/.exec(alternative);
    const count = free === null ? 0 : free[1] === undefined ? 1 : Number(free[1]);
    const head = lengths(alternative.slice(0, alternative.length - (free?.[0].length ?? 0)));
    return head.min + count > 10 || head.max + count < 10 || count >= 4;
  });
}

type CountryMetadata = unknown[];
const countries = createRequire(import.meta.url)('libphonenumber-js/metadata.min.json') as {countries: Record<string, CountryMetadata>; country_calling_codes: Record<string, string[]>};
const NORTH_AMERICA = countries.country_calling_codes['1']!;

describe('North American numbers are judged by their exchange', () => {
  it('tells a pattern that asks something of the last four digits', () => {
    expect(lastFourFree('[2-9]\\d{9}|3\\d{6}')).toBe(true);
    expect(lastFourFree('52(?:3(?:[2-46-9][02-9]\\d|5(?:[02-46-9]\\d|5[0-46-9])))\\d{4}|5(?:00|2[125-9])[2-9]\\d{6}')).toBe(true);
    expect(lastFourFree('617\\d{3}[2-9]\\d{3}')).toBe(false);
    expect(lastFourFree('[2-9]\\d{6}(?:0\\d{2}|1\\d)\\d')).toBe(false);
    expect(lastFourFree('212555\\d{3}1|[2-9]\\d{9}')).toBe(false);
    expect(() => lastFourFree('[2-9]\\d+')).toThrow();
  });

  it("every +1 pattern in the phone library's metadata leaves the last four digits of a ten-digit number free", () => {
    // What keeping answers by the first six digits rests on: a pattern that fixed one of the
    // last four digits would fail here, and the memo in toE164 would have to go.
    expect(NORTH_AMERICA.length).toBeGreaterThan(20);
    let patterns = 0;
    for (const code of NORTH_AMERICA) {
      const country = countries.countries[code]!;
      // [calling code, IDD prefix, national number pattern, lengths, formats, national prefix, …,
      // national prefix for parsing (7), …, leading digits (10), types (11)].
      const whole = [country[2] as string];
      const types = (country[11] as unknown[] | undefined) ?? [];
      for (const type of types) if (Array.isArray(type) && typeof type[0] === 'string' && type[0] !== '') whole.push(type[0]);
      for (const pattern of whole) {
        patterns += alternatives(pattern).length;
        expect({code, pattern, free: lastFourFree(pattern)}).toEqual({code, pattern, free: true});
      }
      // A country told from its leading digits ("268", "8001|8[024]9"): no more than six of them.
      const leading = country[10];
      if (typeof leading === 'string') expect({code, leading, max: lengths(leading).max <= 6}).toEqual({code, leading, max: true});
      // Prefixes taken off a national number are only ever a "1" or a seven-digit local number.
      const forParsing = country[7];
      if (typeof forParsing === 'string') expect({code, forParsing, local: /^(?:\((?:\[[^\]]*\]|\d)\\d\{6\}\)\$\|)?1$/.test(forParsing)}).toEqual({code, forParsing, local: true});
    }
    expect(patterns).toBeGreaterThan(40);
  });

  it('reads the usual ways of writing one, and no other', () => {
    expect(northAmerican('+16175550100', 'DE')).toEqual({digits: '6175550100', written: 'DE+', exchange: 417_555});
    expect(northAmerican('+1 (617) 555-0100', 'US')?.digits).toBe('6175550100');
    expect(northAmerican('+1-617-555-0100', 'US')?.digits).toBe('6175550100');
    expect(northAmerican('+1 617 555 0100', 'GB')?.digits).toBe('6175550100');
    expect(northAmerican('(617) 555-0100', 'US')).toEqual({digits: '6175550100', written: 'US(', exchange: 417_555});
    expect(northAmerican('(999) 999-9999', 'US')?.exchange).toBe(799_999);
    expect(northAmerican('200-000-0000', 'US')?.exchange).toBe(0);
    expect(northAmerican('(617)555-0100', 'CA')?.written).toBe('CA(');
    expect(northAmerican('617-555-0100', 'US')?.written).toBe('US-');
    expect(northAmerican('617.555.0100', 'US')?.written).toBe('US-');
    expect(northAmerican('617 555 0100', 'US')?.written).toBe('US-');
    expect(northAmerican('6175550100', 'US')?.written).toBe('USd');
    for (const other of [
      '16175550100', // a "1" before the area code (and a lost "+"?): the full check's question
      '+1 117 555 0100', // an area code starting with 1
      '(017) 555-0100',
      '617-555-01000',
      '617-555-010',
      '617--555-0100',
      '617-5550-100',
      '(617 555-0100',
      '617) 555-0100',
      '617-555-0100 x12',
      '+44 617 555 0100',
      '+1617555010O',
      '６１７５５５０１００',
      '617555.0100', // digits and one ".": a decimal number (617555.0000 is refused as one)
      '+1617555.0100',
    ]) {
      expect({other, read: northAmerican(other, 'US')}).toEqual({other, read: undefined});
    }
    // Without "+1", only where the default country is North American.
    expect(northAmerican('(617) 555-0100', 'DE')).toBeUndefined();
    expect(northAmerican('617-555-0100', 'MX')).toBeUndefined();
  });

  it("gives the phone library's answer for numbers of an exchange it has already answered for", () => {
    // Two numbers of each sampled exchange, each way of writing: the second is answered from the
    // first. An exchange kept too coarsely (the area code alone), or for another default country,
    // would call some of these valid that the library does not.
    let seed = 20261129;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const ways: [CountryCode, (area: string, exchange: string, line: string) => string][] = [
      ['US', (a, e, l) => `+1${a}${e}${l}`],
      ['US', (a, e, l) => `(${a}) ${e}-${l}`],
      ['US', (a, e, l) => `${a}${e}${l}`],
      ['CA', (a, e, l) => `${a}-${e}-${l}`],
      ['JM', (a, e, l) => `${a}.${e}.${l}`],
      ['DE', (a, e, l) => `+1 (${a}) ${e}-${l}`],
    ];
    let valid = 0;
    let compared = 0;
    for (let k = 0; k < 4000; k += 1) {
      const area = String(200 + random(800));
      const exchange = String(random(1000)).padStart(3, '0');
      for (const [country, write] of ways) {
        for (let twice = 0; twice < 2; twice += 1) {
          const cell = write(area, exchange, String(random(10000)).padStart(4, '0'));
          const library = parsePhoneNumberFromString(cell, country);
          const expected = library?.isValid() ? library.number : undefined;
          const got = toE164(cell, country);
          compared += 1;
          if (got.ok) valid += 1;
          if ((got.ok ? got.e164 : undefined) !== expected) expect({cell, country, got}).toEqual({cell, country, got: expected});
        }
      }
    }
    expect(compared).toBe(48_000);
    // Both kinds are in the sample: valid exchanges and ones with no valid numbers.
    expect(valid).toBeGreaterThan(10_000);
    expect(compared - valid).toBeGreaterThan(10_000);
  });

  it('keeps an answer for its default country only, and checks a number of an invalid exchange in full each time', () => {
    // 511 is a valid area code in Jamaica's plan as the library has it, not in the US's.
    expect(toE164('511-200-0101', 'JM')).toEqual({ok: true, e164: '+15112000101'});
    // Not valid for the US (the full check's own message, with the number), twice.
    expect(toE164('511-200-0102', 'US')).toEqual({
      ok: false,
      reason: 'which is not a valid US number; if it is +5112000102, write it with the "+" (+511-200-0102).',
      byCountry: true,
    });
    expect(toE164('511-200-0103', 'US')).toEqual({
      ok: false,
      reason: 'which is not a valid US number; if it is +5112000103, write it with the "+" (+511-200-0103).',
      byCountry: true,
    });
    // A number Excel stored as a decimal is refused by its last digits, whatever came before it
    // (a review finding: after "617-555-0100", "617555.0000" was taken as +16175550000).
    for (const [country, valid, decimal] of [
      ['US', '617-555-0100', '617555.0000'],
      ['US', '+16175550100', '+1617555.0000'],
      ['DE', '+16175550100', '+1617555.0000'],
    ] as const) {
      expect(toE164(valid, country).ok).toBe(true);
      expect({decimal, country, got: toE164(decimal, country)}).toEqual({
        decimal,
        country,
        got: {ok: false, reason: expect.stringMatching(/^which was stored as a decimal number, not as text\./)},
      });
    }
    // No exchange starts with 1 in the US: the same message the second time.
    const first = toE164('(212) 155-0100', 'US');
    expect(first.ok).toBe(false);
    expect(toE164('(212) 155-0199', 'US')).toEqual(first);
  });
});
