/**
 * The fault suite: the built CLI against the sandbox (in process, port 0, seeded faults). For
 * every fault, the same promises: every input row appears once in the results, in order; every
 * valid row ends `created` or `existing`; every identity the sandbox holds is named by exactly
 * one results row; the exit code says what happened. Needs `npm run build` (npm test does it).
 *
 * Faults are switched on and off from the sandbox's own events (a commit, a fault), never after
 * a sleep, so the suite means the same thing on a slow machine.
 */
import {execFileSync, spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';

import {runImport} from '../src/engine/index.js';
import {startSandbox, type Sandbox, type SandboxOptions} from '../src/sandbox/index.js';
import {CLI, runCli, type CliResult} from './helpers/cli.js';
import {cleanPeople, readResults, tempDir, writeCsv, type ResultRow} from './helpers/files.js';
import {assertAccountedFor, statusCounts, type HeldIdentity} from './helpers/invariants.js';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
});

const sandboxes: Sandbox[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  // Last in, first out: undo a folder's protection before removing it.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

interface Scenario {
  sandbox: Sandbox;
  rows: string[][];
  input: string;
  out: string;
  dir: string;
}

async function scenario(people: number, options: SandboxOptions = {}, prefix = 'f'): Promise<Scenario> {
  const sandbox = await startSandbox({port: 0, ...options});
  sandboxes.push(sandbox);
  const dir = tempDir('seam-import-faults-');
  cleanups.push(() => rmSync(dir, {recursive: true, force: true}));
  const rows = cleanPeople(people, prefix);
  const input = writeCsv(join(dir, 'people.csv'), rows);
  return {sandbox, rows, input, out: join(dir, 'people.results.csv'), dir};
}

function importArgs(s: Scenario, extra: string[] = []): string[] {
  return [s.input, '--endpoint', s.sandbox.url, '--api-key', s.sandbox.apiKey, '--no-tui', '--yes', '--json', '-o', s.out, ...extra];
}

interface Summary {
  exitCode: number;
  counts: Record<string, number>;
  retries: number;
  rateLimited: number;
}

/** The `--json` summary: the last stdout line that is a JSON object. */
function summaryOf(result: CliResult): Summary {
  const line = result.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON summary (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as Summary;
}

/** Exit code 0 with every row created or existing, and the invariants. */
function expectAllIn(s: Scenario, result: CliResult, options: {preexisting?: HeldIdentity[]} = {}): ResultRow[] {
  const context = `exit ${result.code}\n${result.stderr.slice(-3000)}`;
  expect(result.code, context).toBe(0);
  const results = readResults(s.out);
  assertAccountedFor(s.rows, results, s.sandbox.identities(), options);
  const summary = summaryOf(result);
  expect(summary.exitCode).toBe(0);
  expect(summary.counts['created']! + summary.counts['existing']!).toBe(s.rows.length - 1);
  // Reconcile before retry: no create was ever sent blind for someone already there, which
  // the sandbox would have refused as a clash (400 invalid_input, or 409).
  const {byStatus} = s.sandbox.stats();
  expect({400: byStatus[400] ?? 0, 409: byStatus[409] ?? 0}, 'creates refused as a clash').toEqual({400: 0, 409: 0});
  return results;
}

/** Calls `action` once, when the sandbox has committed its `n`th create. */
function onCommit(sandbox: Sandbox, n: number, action: () => void): void {
  let commits = 0;
  const listener = (): void => {
    commits += 1;
    if (commits === n) {
      sandbox.events.off('commit', listener);
      action();
    }
  };
  sandbox.events.on('commit', listener);
}

/** Calls `action` once, after the sandbox has applied its `n`th fault of `kind`. */
function onFault(sandbox: Sandbox, kind: string, n: number, action: () => void): void {
  let seen = 0;
  const listener = (event: {kind: string}): void => {
    if (event.kind !== kind) return;
    seen += 1;
    if (seen === n) {
      sandbox.events.off('fault', listener);
      action();
    }
  };
  sandbox.events.on('fault', listener);
}

describe('faults on the wire', () => {
  it('resets before the request is read (20% of every route): every row created once, exit 0', async () => {
    const s = await scenario(150, {resetBeforeReadRate: 0.2, latencyMs: 2, seed: 11});
    // Ten tries a row: a fifth of requests cut means five in a row for some row now and then.
    const result = await runCli(importArgs(s, ['--concurrency', '8', '--max-attempts', '10']));
    expectAllIn(s, result);
    const stats = s.sandbox.stats();
    expect(stats.resets).toBeGreaterThan(10);
    expect(stats.creates).toBe(150);
    // A few seconds as a rule; but a row whose create is cut seven times (one run in 500) has
    // waited 31 to 62 s in all before its eighth try (the backoff doubles up to 30 s): vitest's 60 s
    // would fail a run that is doing just what it should.
  }, 180_000);

  it('drop after commit (20% of creates): the lost answers are found and reported created, seeded people adopted as existing', async () => {
    const s = await scenario(150, {dropAfterCommitRate: 0.2, latencyMs: 2, seed: 12});
    // Ten people already in Seam, exactly as the file gives them.
    const preexisting = s.sandbox.seedIdentities(
      s.rows.slice(1, 11).map(([key, name, email, phone]) => ({user_identity_key: key!, full_name: name!, email_address: email!, phone_number: phone!})),
    );
    const result = await runCli(importArgs(s, ['--concurrency', '8']));
    const results = expectAllIn(s, result, {preexisting});
    expect(s.sandbox.stats().dropped).toBeGreaterThan(10);
    // A person whose create answer was lost was still made by this run: `created`, not `existing`.
    expect(results.filter((r) => r['import_status'] === 'existing').map((r) => r['import_row'])).toEqual(
      Array.from({length: 10}, (_, i) => String(i + 1)),
    );
    expect(s.sandbox.identities()).toHaveLength(150);
  });

  it('hang after commit: the client timeout (--timeout 1) fires, the person is found, not made twice', async () => {
    const s = await scenario(60, {hangAfterCommitRate: 0.1, latencyMs: 2, seed: 13});
    const result = await runCli(importArgs(s, ['--concurrency', '8', '--timeout', '1']));
    const results = expectAllIn(s, result);
    const stats = s.sandbox.stats();
    expect(stats.hung).toBeGreaterThan(2);
    expect(stats.creates).toBe(60);
    // Each hang ended in the client's timeout and a retry decision (the lookup found the person).
    expect(summaryOf(result).retries).toBeGreaterThanOrEqual(stats.hung);
    // Each hung row was sent once, then looked up: one attempt, not a second create.
    expect(results.every((r) => r['import_status'] === 'created')).toBe(true);
  });

  it('a 5xx burst mid-run (every answer 5xx for 20 answers, then healthy): every row created, exit 0', async () => {
    const s = await scenario(150, {latencyMs: 2, seed: 14});
    onCommit(s.sandbox, 40, () => s.sandbox.setFaults({failRate: 1}));
    onFault(s.sandbox, 'failed', 20, () => s.sandbox.setFaults({failRate: 0}));
    const result = await runCli(importArgs(s, ['--concurrency', '8']));
    expectAllIn(s, result);
    expect(s.sandbox.stats().failed).toBe(20);
    expect(summaryOf(result).retries).toBeGreaterThan(0);
  });

  // An outage (every request 5xx, lookups too) longer than a lookup's six tries failed every row
  // in flight: 8 rows here, 20 at -c 10 in a 30 s outage. Seam silent, the tries are spared.
  it('an outage longer than a lookup\'s tries (every answer 5xx for 80 answers at -c 8): waited out, every row created, exit 0', async () => {
    const s = await scenario(100, {latencyMs: 2, seed: 16});
    onCommit(s.sandbox, 40, () => s.sandbox.setFaults({failRate: 1}));
    onFault(s.sandbox, 'failed', 80, () => s.sandbox.setFaults({failRate: 0}));
    const result = await runCli(importArgs(s, ['--concurrency', '8']));
    expectAllIn(s, result);
    expect(s.sandbox.stats().failed).toBe(80);
  });

  it('a 5xx storm longer than the retries: rows end failed (server_error, nothing made), exit 1; --resume finishes them', async () => {
    const s = await scenario(10, {failRate: 1, faultRoutes: ['/user_identities/create'], seed: 15});
    // Through the library, to shorten the retries (2 tries, not 5) and keep the test quick.
    const summary = await runImport({
      input: s.input,
      out: s.out,
      endpoint: s.sandbox.url,
      apiKey: s.sandbox.apiKey,
      concurrency: 10,
      maxAttempts: 2,
    });
    expect(summary.exitCode).toBe(1);
    expect(summary.counts.failed).toBe(10);
    const failed = readResults(s.out);
    assertAccountedFor(s.rows, failed, s.sandbox.identities(), {allowedStatuses: ['failed']});
    expect(new Set(failed.map((r) => r['import_error_code']))).toEqual(new Set(['server_error']));
    expect(s.sandbox.identities()).toHaveLength(0);
    // Not found when looked up, but never "nothing was created": an attempt without a clear
    // answer may still be finished by Seam after that lookup.
    for (const row of failed) {
      expect(row['import_error_message']).toMatch(
        /; gave up after 2 attempts\. Seam did not have this person when looked up after the last one, but an attempt without a clear answer may still be finished by Seam: run again with --resume, which looks the person up before sending anything\.$/,
      );
    }

    s.sandbox.setFaults({failRate: 0});
    const second = await runCli(importArgs(s, ['--resume']));
    expectAllIn(s, second);
  });

  it.each([
    ['seconds', 'with Retry-After in seconds'],
    ['http-date', 'with Retry-After as an HTTP date'],
    ['none', 'without Retry-After'],
  ] as const)('a 429 storm %s (%s): the limit drops to 20/s mid-run and lifts again; no row fails', async (retryAfter, _what) => {
    const s = await scenario(120, {retryAfter, latencyMs: 2, seed: 16});
    onCommit(s.sandbox, 30, () => s.sandbox.setFaults({rateLimit: 20}));
    onCommit(s.sandbox, 80, () => s.sandbox.setFaults({rateLimit: 0}));
    const result = await runCli(importArgs(s, ['--concurrency', '16']));
    const results = expectAllIn(s, result);
    const stats = s.sandbox.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(summaryOf(result).rateLimited).toBe(stats.rateLimited);
    expect(stats.creates).toBe(120);
    expect(results.filter((r) => r['import_error_code'] === 'rate_limited')).toEqual([]);
  });
  // BUG (src/seam/pacer.ts, Pacer.succeeded): the rate learned during a 429 storm caps the rest
  // of the run. It climbs back by 1% a second, so after a storm at 20/s the import stays near
  // 20 creates/s for minutes after the limit has gone (measured: 520 rows after the lift took
  // 23.5 s at ~22/s, where the unthrottled pace here is several hundred a second).
  it('after a 429 storm lifts, the import regains its pace (the storm\'s rate is not kept for the rest of the run)', async () => {
    const people = 700;
    const s = await scenario(people, {latencyMs: 2, seed: 23});
    let liftedAt = 0;
    let lastCommitAt = 0;
    onCommit(s.sandbox, 30, () => s.sandbox.setFaults({rateLimit: 20}));
    onCommit(s.sandbox, 100, () => {
      s.sandbox.setFaults({rateLimit: 0});
      liftedAt = performance.now();
    });
    s.sandbox.events.on('commit', () => (lastCommitAt = performance.now()));
    const result = await runCli(importArgs(s, ['--concurrency', '16']));
    expectAllIn(s, result);
    expect(s.sandbox.stats().rateLimited).toBeGreaterThan(0);
    // 600 creates after the lift. Held at the storm's 20/s they take 30 s; a pacer that probes
    // upwards once the 429s stop needs a few seconds. 15 s leaves room for a slow machine.
    const secondsAfterLift = (lastCommitAt - liftedAt) / 1000;
    expect(secondsAfterLift, `600 creates after the limit lifted took ${secondsAfterLift.toFixed(1)} s`).toBeLessThan(15);
  });
});

describe('the server goes away', () => {
  it('refuses connections for 2 s mid-run, then comes back with its state: every row created once', async () => {
    const s = await scenario(150, {latencyMs: 5, seed: 17});
    let createsAtOutage = -1;
    let back: Promise<void> | undefined;
    onCommit(s.sandbox, 50, () => {
      createsAtOutage = s.sandbox.identities().length;
      // The outage lasts 2 s of wall time: that is the fault itself, not a wait for something.
      back = s.sandbox.stopListening().then(() => new Promise<void>((resolve) => setTimeout(resolve, 2000))).then(() => s.sandbox.listen());
    });
    const result = await runCli(importArgs(s, ['--concurrency', '8']));
    await back;
    expect(createsAtOutage).toBe(50);
    expectAllIn(s, result);
    // The importer met the closed port (and the cut connections) and waited it out.
    expect(summaryOf(result).retries).toBeGreaterThan(0);
    expect(s.sandbox.identities()).toHaveLength(150);
  });
});

/** Starts the CLI and SIGKILLs it when the sandbox commits its `killAt`th create (counted from now). */
async function runUntilKilled(s: Scenario, killAt: number, extra: string[]): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...importArgs(s, extra)], {
    env: {...process.env, CI: '1', NO_COLOR: '1', SEAM_API_KEY: undefined},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('close', (code, signal) => resolve({code, signal})),
  );
  // Killed in the middle of a create: this one is committed, its answer never read.
  onCommit(s.sandbox, killAt, () => child.kill('SIGKILL'));
  const killed = await ended;
  expect(killed.signal, `the run ended before the kill (exit ${killed.code}):\n${stderr}`).toBe('SIGKILL');
  // The results file is written whole or not at all.
  expect(existsSync(s.out)).toBe(false);
  // Requests the dead process left behind still run their course on the server; let them.
  await until(() => s.sandbox.stats().inFlight === 0);
}

describe('the importer is SIGKILLed and resumed', () => {
  it.each([0.1, 0.5, 0.9])('killed at %s of the creates: --resume finishes, nothing sent again for a finished row', async (share) => {
    const people = 300;
    const s = await scenario(people, {latencyMs: 10, seed: 18});
    const killAt = Math.ceil(people * share);
    await runUntilKilled(s, killAt, ['--concurrency', '8']);
    const heldBeforeResume = s.sandbox.identities().length;
    expect(heldBeforeResume).toBeGreaterThanOrEqual(killAt);
    expect(heldBeforeResume).toBeLessThan(people);
    s.sandbox.resetStats();

    const resumed = await runCli(importArgs(s, ['--resume', '--concurrency', '8']));
    const results = expectAllIn(s, resumed);
    // One run, resumed: everyone it made is `created`, including those whose answer died with it.
    expect(statusCounts(results)).toEqual({created: people});
    const stats = s.sandbox.stats();
    // Nothing is sent again for a row already in Seam: exactly the missing people are created.
    expect(stats.byRoute['/user_identities/create'] ?? 0).toBe(people - heldBeforeResume);
    expect(stats.creates).toBe(people - heldBeforeResume);
    // No create was refused as a clash (a re-send of someone already there). A 404 is fine: a
    // row whose create was sent but never arrived is looked up by key before it is sent again.
    expect(Object.keys(stats.byStatus).filter((status) => status !== '200' && status !== '404')).toEqual([]);
  });

  it('killed twice (at 30%, then again mid-resume), resumed twice: every row created once', async () => {
    const people = 300;
    const s = await scenario(people, {latencyMs: 10, seed: 20});
    await runUntilKilled(s, 90, ['--concurrency', '8']);
    const afterFirst = s.sandbox.identities().length;
    await runUntilKilled(s, 90, ['--resume', '--concurrency', '8']);
    expect(s.sandbox.identities().length).toBeGreaterThan(afterFirst);
    const resumed = await runCli(importArgs(s, ['--resume', '--concurrency', '8']));
    const results = expectAllIn(s, resumed);
    expect(statusCounts(results)).toEqual({created: people});
  });

  it('killed at 50%, then --restart instead of --resume: nobody made twice, the killed run\'s people adopted as existing', async () => {
    const people = 200;
    const s = await scenario(people, {latencyMs: 10, seed: 22});
    await runUntilKilled(s, 100, ['--concurrency', '8']);
    const madeByKilledRun = s.sandbox.identities();
    s.sandbox.resetStats();
    const restarted = await runCli(importArgs(s, ['--restart', '--concurrency', '8']));
    // A new run: what the killed one made was already in Seam before it started.
    const results = expectAllIn(s, restarted, {preexisting: madeByKilledRun});
    expect(statusCounts(results)).toEqual({created: people - madeByKilledRun.length, existing: madeByKilledRun.length});
    expect(s.sandbox.stats().byRoute['/user_identities/create']).toBe(people - madeByKilledRun.length);
  });

  it('killed at 50% while the wire is bad (resets, 5xx, dropped and hung answers), resumed under the same faults', async () => {
    const people = 200;
    const s = await scenario(people, {
      latencyMs: 5,
      resetBeforeReadRate: 0.05,
      failRate: 0.1,
      dropAfterCommitRate: 0.1,
      hangAfterCommitRate: 0.03,
      seed: 21,
    });
    // Ten tries a row: with about a fifth of attempts unclear, five in a row happens now and then.
    await runUntilKilled(s, 100, ['--concurrency', '8', '--timeout', '1', '--max-attempts', '10']);
    const resumed = await runCli(importArgs(s, ['--resume', '--concurrency', '8', '--timeout', '1', '--max-attempts', '10']));
    const results = expectAllIn(s, resumed);
    expect(statusCounts(results)).toEqual({created: people});
    const stats = s.sandbox.stats();
    expect(stats.dropped + stats.hung + stats.resets + stats.failed).toBeGreaterThan(20);
  });
});

describe('output that cannot be written', () => {
  const setups: [string, (dir: string) => string | undefined][] = [
    [
      'a read-only folder',
      (dir) => {
        const folder = join(dir, 'read-only');
        mkdirSync(folder);
        chmodSync(folder, 0o555);
        cleanups.push(() => chmodSync(folder, 0o755));
        if (process.getuid?.() === 0) {
          // root writes through mode bits; the immutable attribute stops it.
          try {
            execFileSync('chattr', ['+i', folder], {stdio: 'ignore'});
          } catch {
            return undefined;
          }
          cleanups.push(() => execFileSync('chattr', ['-i', folder], {stdio: 'ignore'}));
        }
        return join(folder, 'results.csv');
      },
    ],
    [
      'a file where the folder should be',
      (dir) => {
        writeFileSync(join(dir, 'not-a-folder'), '');
        return join(dir, 'not-a-folder', 'results.csv');
      },
    ],
    ['a folder that does not exist', (dir) => join(dir, 'missing', 'results.csv')],
  ];

  it.each(setups)('%s: refused before the first request, exit 2', async (what, setup) => {
    const s = await scenario(20, {seed: 19});
    const out = setup(s.dir);
    if (out === undefined) {
      console.warn(`skipped "${what}": running as root without chattr`);
      return;
    }
    const result = await runCli(importArgs({...s, out}));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/results|write|folder/i);
    expect(s.sandbox.stats().requests).toBe(0);
    expect(existsSync(out)).toBe(false);
    // Nothing left behind beside the input: no journal, no temporary file.
    expect(readdirSync(s.dir).filter((name) => name !== 'people.csv' && !['read-only', 'not-a-folder'].includes(name))).toEqual([]);
  });
});

/** Waits for a condition on the sandbox (polled on the event loop: the server runs in this process). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
