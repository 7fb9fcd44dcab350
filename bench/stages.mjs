#!/usr/bin/env node
// Where the dry run's time goes, stage by stage, in one process on the built engine modules.
// A diagnostic for the CPU figure of `npm run bench`, not a figure itself; it reaches into
// dist/engine internals, so it may need a touch when those change. libphonenumber-js is loaded
// with the edits the command is built with (bench/libphonenumber-hooks.mjs), as in `seam-import`.
//
//   node bench/stages.mjs [rows]        (default 300,000; run `npm run build` first)
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createReadStream} from 'node:fs';
import {parse} from 'csv-parse';
import {register} from 'node:module';

import {generateCsv} from './generate.mjs';

register('./libphonenumber-hooks.mjs', import.meta.url);
const rows = Number(process.argv[2] ?? 300_000);
const dist = new URL('../dist/engine/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const [{openTable}, {mapColumns, headerOf, extractPerson}, {normalizePerson}, {Deduper}, {ResultsWriter}, {toE164}] = await Promise.all([
  load('read/index.js'),
  load('columns.js'),
  load('normalize.js'),
  load('dedupe.js'),
  load('results.js'),
  load('phone.js'),
]);

const work = mkdtempSync(join(tmpdir(), 'seam-import-stages-'));
const input = join(work, 'stages.csv');
await generateCsv(input, rows);

async function time(label, fn) {
  globalThis.gc?.();
  const began = performance.now();
  const count = await fn();
  const ms = performance.now() - began;
  return {label, ms, usPerRow: (ms * 1000) / rows, count};
}

const results = [];
results.push(
  await time('csv-parse alone (the baseline)', async () => {
    let n = 0;
    for await (const _ of createReadStream(input).pipe(parse({bom: true}))) n += 1;
    return n - 1;
  }),
);
const source = await openTable(input, {});
const mapping = mapColumns(source.headers, {});
const ctx = {defaultCountry: 'US', headerOf: headerOf(source.headers, mapping), extraAcsSystemIds: []};
results.push(
  await time('the importer’s reader (decode, plain reader, row shape)', async () => {
    let n = 0;
    for await (const _ of source.rows()) n += 1;
    return n;
  }),
);
results.push(
  await time('+ column mapping and normalize (email, phone, rules)', async () => {
    let n = 0;
    for await (const raw of source.rows()) {
      normalizePerson(extractPerson(raw, mapping), ctx);
      n += 1;
    }
    return n;
  }),
);
results.push(
  await time('+ dedupe', async () => {
    const deduper = new Deduper();
    let n = 0;
    for await (const raw of source.rows()) {
      const normalized = normalizePerson(extractPerson(raw, mapping), ctx);
      if (normalized.ok) deduper.claim(normalized.person, raw.index);
      n += 1;
    }
    return n;
  }),
);
results.push(
  await time('+ results file (one line written per row)', async () => {
    const deduper = new Deduper();
    const writer = new ResultsWriter(join(work, 'stages.results.csv'), source.headers);
    let n = 0;
    for await (const raw of source.rows()) {
      const normalized = normalizePerson(extractPerson(raw, mapping), ctx);
      if (normalized.ok) deduper.claim(normalized.person, raw.index);
      await writer.write(raw.cells, {row: raw.index, status: 'would_create'});
      n += 1;
    }
    await writer.commit();
    return n;
  }),
);

// The phone on its own: the share of normalize that toE164 takes (its table of valid North American
// exchanges, filled by the passes above, answers most of these; libphonenumber-js the rest).
const phones = [];
for await (const raw of source.rows()) phones.push(raw.cells[3]);
results.push(
  await time('toE164 alone, on the same phones', async () => {
    for (const phone of phones) toE164(phone, 'US');
    return phones.length;
  }),
);

rmSync(work, {recursive: true, force: true});
const base = results[0].usPerRow;
console.log(`\nstage costs over ${rows.toLocaleString('en-US')} rows (node ${process.version})\n`);
for (const r of results) {
  console.log(`${r.label.padEnd(58)} ${r.usPerRow.toFixed(2).padStart(7)} µs/row  ${(r.usPerRow / base).toFixed(1).padStart(5)}× csv-parse`);
}
console.log('\nA dry run at ≥ 0.5 of csv-parse alone has about 2× the csv-parse line to spend per row, for everything.');
