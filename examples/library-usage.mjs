#!/usr/bin/env node
// The engine as a library: import examples/building.csv into a sandbox started in this process,
// listen to the events, and check the outcome. Exits non-zero when anything is off.
// Run after `npm run build`: node examples/library-usage.mjs
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Importer} from '../dist/engine/index.js';
import {startSandbox} from '../dist/sandbox/index.js';

const input = fileURLToPath(new URL('./building.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seam-import-example-'));
const out = join(dir, 'building.results.csv');

const sandbox = await startSandbox({port: 0});
try {
  const importer = new Importer({input, out, endpoint: sandbox.url, apiKey: sandbox.apiKey, concurrency: 8});

  // Reporters only listen: here, a count of rows per status as they finish.
  const seen = new Map();
  importer.on('row', (row) => seen.set(row.status, (seen.get(row.status) ?? 0) + 1));
  importer.on('phase', (phase) => console.log(`phase: ${phase}`));

  // prepare() reads, checks and looks up; nothing is written to Seam yet.
  const plan = await importer.prepare();
  console.log(`plan: ${plan.toCreate} to create, ${plan.invalid} invalid, ${plan.duplicate} duplicates`);
  assert.equal(plan.total, 200);
  assert.equal(plan.invalid, 6);
  assert.equal(plan.duplicate, 4);
  assert.equal(plan.toCreate, 190);

  // execute() sends the creates and writes the results file.
  const summary = await importer.execute();
  console.log(`summary: ${JSON.stringify(summary.counts)}, exit code ${summary.exitCode}`);
  assert.equal(summary.counts.created, 190);
  assert.equal(summary.exitCode, 1, 'invalid and duplicate rows need attention: exit code 1');
  assert.equal(seen.get('created'), 190);

  // Every identity the sandbox holds is named by exactly one row of the results file.
  const held = new Set(sandbox.identities().map((identity) => identity.user_identity_id));
  assert.equal(held.size, 190);
  const lines = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 201, 'a header and one line per input row');
  const named = lines.filter((line) => [...held].some((id) => line.includes(id)));
  assert.equal(named.length, 190);
  console.log('ok');
} finally {
  await sandbox.close();
  rmSync(dir, {recursive: true, force: true});
}
