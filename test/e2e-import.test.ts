/**
 * The built CLI against the sandbox on port 0, as an operator would run it in a pipeline:
 * `--no-tui --yes --json`. Each test checks the two promises from outside: every row accounted
 * for once, in order, and no identity in Seam that the results do not name.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import iconv from 'iconv-lite';
import {afterEach, describe, expect, it} from 'vitest';
import {startSandbox, type Sandbox} from '../src/sandbox/index.js';
import {expectEveryRowAccounted, expectNoOrphans} from './helpers/accounting.js';
import {runCli} from './helpers/cli.js';
import {cleanPeople, phoneFor, readResults, tempDir, writeCsv} from './helpers/files.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const KEY = 'seam_sandbox_key';
const run = (input: string, ...args: string[]) =>
  runCli([input, '--endpoint', sandbox!.url, '--no-tui', '--yes', '--json', ...args], {SEAM_API_KEY: KEY});

describe('seam-import end to end', () => {
  it('imports 1,000 clean rows: all created, exactly 1,000 in Seam, never more than --concurrency in flight', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, seed: 11});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'thousand.csv'), cleanPeople(1000));
    const result = await run(input, '--concurrency', '12');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {counts: Record<string, number>; exitCode: number};
    expect(summary.counts['created']).toBe(1000);
    expect(sandbox.identities()).toHaveLength(1000);
    expect(sandbox.stats().maxInFlightCreate).toBeLessThanOrEqual(12);
    expect(sandbox.stats().maxInFlightCreate).toBeGreaterThan(1);
    const results = readResults(join(dir, 'thousand.results.csv'));
    expectEveryRowAccounted(results, 1000);
    expect(results.every((r) => r['import_status'] === 'created')).toBe(true);
    expectNoOrphans(results, sandbox.identities());
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('gives invalid rows, in-file duplicates and people already in Seam their own status and code', async () => {
    sandbox = await startSandbox({port: 0, seed: 12, conflictShape: 'conflict'});
    sandbox.seedIdentities([
      {user_identity_key: 'R-3', email_address: 'three@example.com', full_name: 'Three'},
      {user_identity_key: 'R-99', phone_number: phoneFor(4), full_name: 'Somebody else'},
    ]);
    const [three, clash] = sandbox.identities();
    const dir = tempDir();
    const input = writeCsv(join(dir, 'mixed.csv'), [
      ['Resident ID', 'First Name', 'Last Name', 'Email', 'Phone', 'Notes'],
      ['R-1', 'Ana', 'Silva', 'Ana.Silva@Example.com', '617-200-0001', '=HYPERLINK("x")'],
      ['R-2', 'Bo', 'Chen', 'bo@', '', ''],
      ['R-3', 'Cy', 'Three', 'three@example.com', '', 'already there'],
      ['R-4', 'Di', 'Four', '', phoneFor(4), 'phone taken'],
      ['R-5', 'Ed', 'Dup', 'ana.silva@example.com', '', 'same email, other case'],
      ['R-6', 'Fa', 'Dup', '', '+1 (617) 200-0001', 'same phone, other format'],
      ['R-1', 'Gu', 'Dup', 'gu@example.com', '', 'same key'],
      ['R-8', 'Hy', 'Sci', '', '1.55512E+10', 'Excel damage'],
    ]);
    const result = await run(input);
    expect(result.code).toBe(1);
    const results = readResults(join(dir, 'mixed.results.csv'));
    expectEveryRowAccounted(results, 8);
    expect(results.map((r) => [r['import_status'], r['import_error_code']])).toEqual([
      ['created', ''],
      ['invalid', 'invalid_email'],
      ['existing', ''],
      ['failed', 'conflict'],
      ['duplicate', 'duplicate_email'],
      ['duplicate', 'duplicate_phone'],
      ['duplicate', 'duplicate_key'],
      ['invalid', 'invalid_phone'],
    ]);
    expect(results[0]!['Notes']).toBe(`'=HYPERLINK("x")`);
    expect(results[2]!['user_identity_id']).toBe(three!.user_identity_id);
    expect(results[3]!['import_error_message']).toContain(clash!.user_identity_id);
    expect(results[4]!['import_duplicate_of_row']).toBe('1');
    expect(sandbox.identities()).toHaveLength(3);
    expect(sandbox.identities()[2]).toMatchObject({full_name: 'Ana Silva', email_address: 'ana.silva@example.com'});
  });

  it('under 5xx (10%), dropped answers (5%) and latency, every valid row ends created and every identity is named once', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 10, failRate: 0.1, dropAfterCommitRate: 0.05, seed: 13});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'flaky.csv'), cleanPeople(500));
    // Ten tries a row (not the default five): 500 rows at 10% 5xx meet five in a row now and then.
    const result = await run(input, '--concurrency', '16', '--max-attempts', '10');
    expect(result.code).toBe(0);
    const results = readResults(join(dir, 'flaky.results.csv'));
    expectEveryRowAccounted(results, 500);
    expect(new Set(results.map((r) => r['import_status']))).toEqual(new Set(['created']));
    expect(sandbox.stats().dropped).toBeGreaterThan(5);
    expect(sandbox.identities()).toHaveLength(500);
    expectNoOrphans(results, sandbox.identities());
  });

  it('at a 50 requests/s limit no row fails and the 429s are honoured', async () => {
    sandbox = await startSandbox({port: 0, rateLimit: 50, seed: 14});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'limited.csv'), cleanPeople(250));
    const result = await run(input, '--concurrency', '32');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {counts: Record<string, number>; rateLimited: number};
    expect(summary.counts['created']).toBe(250);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(summary.rateLimited).toBe(sandbox.stats().rateLimited);
    expectNoOrphans(readResults(join(dir, 'limited.results.csv')), sandbox.identities());
  });

  it('a wrong key stops the run with exit 3 after at most --concurrency requests; every row is in the results, the rest skipped', async () => {
    sandbox = await startSandbox({port: 0, seed: 15});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'wrong.csv'), cleanPeople(100));
    const result = await runCli([input, '--endpoint', sandbox.url, '--no-tui', '--yes', '-c', '4'], {SEAM_API_KEY: 'seam_not_the_key'});
    expect(result.code).toBe(3);
    expect(sandbox.stats().requests).toBeLessThanOrEqual(4);
    expect(sandbox.stats().creates).toBe(0);
    expect(result.stderr).toMatch(/refused the credentials/i);
    expect(result.stdout + result.stderr).not.toContain('seam_not_the_key');
    const results = readResults(join(dir, 'wrong.results.csv'));
    expectEveryRowAccounted(results, 100);
    expect(results.every((r) => r['import_status'] === 'skipped')).toBe(true);
  });

  it('refuses to start over an earlier run unless told --resume or --restart', async () => {
    sandbox = await startSandbox({port: 0, seed: 16});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'twice.csv'), cleanPeople(5));
    expect((await run(input)).code).toBe(0);
    const again = await run(input);
    expect(again.code).toBe(2);
    // Finished: nothing to continue (--resume would write the results anew); the results file to import, or --restart.
    expect(again.stderr).toContain(`The run of twice.csv into ${join(dir, 'twice.results.csv')} finished`);
    // As it was typed (node dist/cli.js on a clone, where seam-import is not on the PATH).
    // With the Seam it went to (else the import goes to connect.getseam.com).
    expect(again.stderr).toMatch(new RegExp(`import the results file: node dist/cli\\.js ${join(dir, 'twice.results.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --endpoint http://127\\.0\\.0\\.1:\\d+ -o <new path>`));
    expect(again.stderr).toMatch(/--restart/);
    expect(again.stderr).not.toMatch(/--resume/);
    const restarted = await run(input, '--restart');
    expect(restarted.code).toBe(0);
    const results = readResults(join(dir, 'twice.results.csv'));
    expect(results.every((r) => r['import_status'] === 'existing')).toBe(true);
    expect(sandbox.identities()).toHaveLength(5);
  });
  it('reads a CSV saved by Excel on a Chinese Windows (GBK) and sends the names as written, not as "ÕÅÎ°"', async () => {
    sandbox = await startSandbox({port: 0, seed: 13});
    const dir = tempDir();
    const input = join(dir, 'gbk.csv');
    writeFileSync(input, iconv.encode('Name,Email,Phone\r\n张伟,zhang.wei@example.cn,+86 138 0013 8000\r\n王芳,wang.fang@example.cn,+86 139 1234 5678\r\n', 'gbk'));
    const result = await run(input);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('simplified Chinese (gbk)');
    expect(sandbox.identities().map((i) => i.full_name).sort()).toEqual(['张伟', '王芳'].sort());
    expect(readResults(join(dir, 'gbk.results.csv')).map((r) => r['Name'])).toEqual(['张伟', '王芳']);
  });
});
