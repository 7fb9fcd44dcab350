// What bounds the CPU figure: libphonenumber-js on its own, on the phone column of the same file.
// Reads the file with csv-parse (as the baseline does), then times only the library's work per
// phone, the part no importer that validates phones with it can skip: parse with the default
// country, isValid(), the E.164 text. argv: csvPath [--as-built]
// Plain, it loads the package as installed; with --as-built, with the edits the command is built
// with (scripts/libphonenumber-speedups.mjs, through bench/libphonenumber-hooks.mjs).
import {createReadStream} from 'node:fs';
import {register} from 'node:module';
import {parse} from 'csv-parse';

if (process.argv.includes('--as-built')) register('./libphonenumber-hooks.mjs', import.meta.url);
const {parsePhoneNumberFromString} = await import('libphonenumber-js/min');

const phones = [];
let header = true;
for await (const record of createReadStream(process.argv[2]).pipe(parse({bom: true}))) {
  if (header) header = false;
  else phones.push(record[3]);
}
let valid = 0;
const began = process.hrtime.bigint();
for (const text of phones) {
  const phone = parsePhoneNumberFromString(text, {defaultCountry: 'US', extract: false});
  if (phone?.isValid() && phone.number) valid += 1;
}
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
process.stdout.write(`${JSON.stringify({phones: phones.length, valid, seconds})}\n`);
