#!/usr/bin/env node
// Stop an import part-way (what Ctrl-C does in the CLI), then resume it: nobody is created twice,
// nobody is left out. Exits non-zero when anything is off.
// Run after `npm run build`: node examples/resume-after-abort.mjs
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Importer} from '../dist/engine/index.js';
import {startSandbox} from '../dist/sandbox/index.js';

const input = fileURLToPath(new URL('./building.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seam-import-example-'));
const out = join(dir, 'building.results.csv');
// Some latency, so that the run is still going when it is stopped.
const sandbox = await startSandbox({port: 0, latencyMs: 20});
const options = {input, out, endpoint: sandbox.url, apiKey: sandbox.apiKey, concurrency: 4};

try {
  // First run: abort after 30 rows have come back.
  const controller = new AbortController();
  const first = new Importer(options);
  let finished = 0;
  first.on('row', () => {
    finished += 1;
    if (finished === 30) controller.abort();
  });
  await first.prepare({signal: controller.signal});
  const stopped = await first.execute({signal: controller.signal});
  console.log(`first run: interrupted=${stopped.interrupted}, ${JSON.stringify(stopped.counts)}`);
  assert.equal(stopped.interrupted, true);
  assert.equal(stopped.exitCode, 130);
  assert.ok(stopped.counts.skipped > 0, 'rows not sent are marked skipped');

  // Without resume or restart, the record of the first run stops a second one.
  await assert.rejects(new Importer(options).prepare(), (error) => error.code === 'journal_exists' && error.exitCode === 2);

  // Resume: rows already finished are not sent again.
  const second = new Importer({...options, resume: true});
  await second.prepare();
  const done = await second.execute();
  console.log(`resumed: ${JSON.stringify(done.counts)}`);
  assert.equal(done.interrupted, false);
  assert.equal(done.counts.created, 190);
  assert.equal(done.counts.skipped, 0);
  assert.equal(sandbox.identities().length, 190, 'exactly one identity per person');
  console.log('ok');
} finally {
  await sandbox.close();
  rmSync(dir, {recursive: true, force: true});
}
