#!/usr/bin/env node
// Retrying failed rows = feeding the results file back in. A first run meets a flaky server and
// gives up on some rows; the second run takes the results file as its input: rows already
// created keep their id and are not sent again, the failed ones are. Exits non-zero when anything is off.
// Run after `npm run build`: node examples/retry-failed-rows.mjs
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runImport} from '../dist/engine/index.js';
import {startSandbox} from '../dist/sandbox/index.js';

const input = fileURLToPath(new URL('./building.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seam-import-example-'));
// A server that answers 5xx to a fifth of the requests, and an importer that tries each row once.
const sandbox = await startSandbox({port: 0, failRate: 0.2, seed: 3});
const seam = {endpoint: sandbox.url, apiKey: sandbox.apiKey, concurrency: 5};

try {
  const first = await runImport({...seam, input, out: join(dir, 'building.results.csv'), maxAttempts: 1});
  console.log(`first run: ${JSON.stringify(first.counts)}`);
  assert.ok(first.counts.failed > 0, 'the flaky server made some rows fail');
  assert.equal(first.exitCode, 1);

  // The server is well again. The results file is the input; a fresh file is the output.
  sandbox.setFaults({failRate: 0});
  sandbox.resetStats();
  const retry = await runImport({...seam, input: first.outPath, out: join(dir, 'building.retry.csv')});
  console.log(`retry: ${JSON.stringify(retry.counts)}`);
  assert.equal(retry.counts.created + retry.counts.existing, 190, 'every valid person is in Seam');
  assert.equal(retry.counts.failed, 0);
  assert.equal(sandbox.stats().creates, first.counts.failed, 'only the failed rows were created now');
  assert.equal(sandbox.identities().length, 190, 'nobody twice');
  console.log('ok');
} finally {
  await sandbox.close();
  rmSync(dir, {recursive: true, force: true});
}
