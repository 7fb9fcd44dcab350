// The edits scripts/libphonenumber-speedups.mjs makes to libphonenumber-js: they still find the
// installed code, they stop loudly when it changes, and they change no answer (the same phones
// through the package as installed and through a patched copy, in two separate processes).
import {execFileSync} from 'node:child_process';
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {speedUpLibphonenumber} from '../scripts/libphonenumber-speedups.mjs';

const packageDir = dirname(createRequire(import.meta.url).resolve('libphonenumber-js/package.json'));
const es6 = join(packageDir, 'es6');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') ? [path] : [];
  });
}

describe('speedUpLibphonenumber', () => {
  it('finds its edits in the installed package', () => {
    /** The installed module (a path under es6/) as the edits leave it. */
    const edited = (...parts: string[]): string | undefined => {
      const path = join(es6, ...parts);
      return speedUpLibphonenumber(path, readFileSync(path, 'utf8'));
    };
    const patched = edited('helpers', 'matchesEntirely.js');
    expect(patched).toContain('MATCHES_ENTIRELY_CACHE.get(regularExpressionText)');
    expect(patched).not.toContain("return new RegExp('^(?:' + regularExpressionText + ')$').test(text);");

    const spread = edited('parsePhoneNumberWithError_.js');
    expect(spread).toContain('Object.assign(e, t)');
    expect(spread).not.toContain('getOwnPropertyDescriptors');

    const loop = edited('parseIncompletePhoneNumber.js');
    expect(loop).toContain('var character = string[_index];');
    expect(loop).not.toContain("string.split('')");

    const classes = edited('metadata.js');
    expect(classes).toContain('function _classCallCheck(a, n) {}');
    expect(classes).not.toContain('Cannot call a class as a function');
  });

  it('stops with a message when a module it must edit has changed', () => {
    const matches = join(es6, 'helpers', 'matchesEntirely.js');
    expect(() => speedUpLibphonenumber(matches, 'export default function matchesEntirely(t, r) { return cached(r).test(t) }')).toThrow(
      /libphonenumber-js has changed: .*matchesEntirely\.js/,
    );
    const parse = join(es6, 'parsePhoneNumberWithError_.js');
    expect(() => speedUpLibphonenumber(parse, 'export default function f(text, options) { return parse(text, {...options, v2: true}) }')).toThrow(
      /libphonenumber-js has changed/,
    );
    const incomplete = join(es6, 'parseIncompletePhoneNumber.js');
    expect(() => speedUpLibphonenumber(incomplete, 'export default function parseIncompletePhoneNumber(s) { let r = ""; for (const c of s) r += c; return r }')).toThrow(
      /libphonenumber-js has changed: .*parseIncompletePhoneNumber\.js/,
    );
  });

  it('leaves other modules and other packages alone', () => {
    expect(speedUpLibphonenumber(join(es6, 'constants.js'), 'export var X = 1;')).toBeUndefined();
    expect(speedUpLibphonenumber('/app/node_modules/other/es6/helpers/matchesEntirely.js', 'anything')).toBeUndefined();
    expect(speedUpLibphonenumber('/app/src/phone.ts', 'anything')).toBeUndefined();
  });
});

describe('the patched libphonenumber-js', () => {
  let work: string;
  let patchedDir: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'seam-import-lpn-'));
    patchedDir = join(work, 'libphonenumber-js');
    cpSync(packageDir, patchedDir, {recursive: true});
    let edited = 0;
    for (const path of files(join(patchedDir, 'es6'))) {
      // The copy sits outside node_modules: name it as the installed module to match the filter.
      const asInstalled = join(es6, path.slice(join(patchedDir, 'es6').length));
      const patched = speedUpLibphonenumber(asInstalled, readFileSync(path, 'utf8'));
      if (patched !== undefined) {
        writeFileSync(path, patched);
        edited += 1;
      }
    }
    expect(edited).toBeGreaterThan(2);
  });
  afterAll(() => rmSync(work, {recursive: true, force: true}));

  it('gives the same answer as the package as installed, phone for phone', () => {
    // Seeded: national and international numbers of several countries, short and long, bare digits,
    // formatted, with extensions, trunk zeros and "00" prefixes, valid and not.
    let seed = 20261128;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const digits = (n: number): string => Array.from({length: n}, () => String(next(10))).join('');
    const phones = [
      '+1 617 555 0123', '(617) 555-0123', '617.555.0123', '+44 7911 123456', '07911 123456', '+49 151 12345678',
      '015112345678', '+33 6 12 34 56 78', '06 12 34 56 78', '+39 06 6982 0000', '+61 412 345 678', '0412 345 678',
      '+91 98765 43210', '+55 11 91234 5678', '+81 90 1234 5678', '0044 7911 123456', '+1 617 555 0123 ext. 42',
      '447911123456', '4915112345678', '7911123456', '12345', '+999 123 456', '', '+', '+1 (800) FLOWERS',
      // Characters the per-character parse reads otherwise: full-width and Arabic-Indic digits, a
      // second "+", a character outside the BMP (two UTF-16 units).
      '＋１ ６１７ ５５５ ０１２３', '٠٧٩١١ ١٢٣٤٥٦', '+1 617 555 0123 😀', '😀+1 617 555 0123', '+1 617 + 555 0123', '۰۷۹۱۱۱۲۳۴۵۶',
    ];
    for (let i = 0; i < 1500; i += 1) {
      const prefix = ['+1', '+44', '+49', '+33', '+39', '+61', '+91', '+55', '+81', '0', '00', '', '+'][next(13)];
      phones.push(`${prefix}${digits(6 + next(9))}`);
    }
    const countries = ['US', 'GB', 'DE', 'FR', 'IT', 'AU', 'IN', 'BR', 'JP'];
    const script = `
      const {parsePhoneNumberFromString, isValidPhoneNumber, AsYouType} = await import(process.argv[1]);
      const {phones, countries} = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const out = [];
      for (const text of phones) for (const defaultCountry of countries) {
        const p = parsePhoneNumberFromString(text, {defaultCountry, extract: false});
        out.push(p === undefined ? null : [p.number, p.country, p.isValid(), p.isPossible(), p.formatNational(), p.formatInternational(), p.getPossibleCountries()]);
        out.push(isValidPhoneNumber(text, defaultCountry), new AsYouType(defaultCountry).input(text));
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const answers = (dir: string): unknown[] =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=commonjs', '-e', `(async () => {${script}})()`, pathToFileURL(join(dir, 'min', 'index.js')).href], {
          input: JSON.stringify({phones, countries}),
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        }),
      ) as unknown[];
    const installed = answers(packageDir);
    const patched = answers(patchedDir);
    expect(installed.length).toBe(phones.length * countries.length * 3);
    expect(installed.filter((a) => Array.isArray(a) && a[2] === true).length).toBeGreaterThan(100);
    expect(patched).toEqual(installed);
  });
});

describe('the bundled command', () => {
  it('carries the edits (npm test builds dist/ first)', () => {
    const dist = join(dirname(new URL(import.meta.url).pathname), '..', 'dist');
    const bundle = [join(dist, 'cli.js'), ...files(join(dist, 'chunks'))].map((path) => readFileSync(path, 'utf8')).join('\n');
    expect(bundle).toContain('MATCHES_ENTIRELY_CACHE.get(regularExpressionText)');
    expect(bundle).toContain('Object.assign(e, t)');
    expect(bundle).not.toContain('Object.getOwnPropertyDescriptors(t)');
    expect(bundle).toContain('var character = string[_index];');
    expect(bundle).not.toContain('Cannot call a class as a function');
  });
});
