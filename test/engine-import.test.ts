import {join} from 'node:path';
import {appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Importer, runImport, type ImportOptions, type Progress, type RowOutcome, type Summary} from '../src/engine/index.js';
import {startSandbox, type Sandbox} from '../src/sandbox/index.js';
import {SANDBOX_ACS_SYSTEMS} from '../src/sandbox/acs-systems.js';
import {ResultsWriter} from '../src/engine/results.js';
import {Journal} from '../src/engine/journal.js';
import type {ImportError} from '../src/engine/errors.js';
import {cleanPeople, phoneFor, readResults, tempDir, writeCsv} from './helpers/files.js';
import {expectEveryRowAccounted, expectNoOrphans} from './helpers/accounting.js';
import {planLines} from '../src/report/format.js';

const KEY = 'seam_sandbox_key';
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** An importer whose warnings are collected as it says them. */
function watched(options: ImportOptions): {importer: Importer; warnings: string[]} {
  const importer = new Importer(options);
  const warnings: string[] = [];
  importer.on('warning', (w) => warnings.push(w));
  return {importer, warnings};
}

/** Deletes an identity through the API (someone cleaning up in Seam between two runs). */
async function deleteIdentity(url: string, id: string | undefined): Promise<void> {
  const response = await fetch(`${url}/user_identities/delete`, {
    method: 'POST',
    headers: {authorization: `Bearer ${KEY}`, 'content-type': 'application/json'},
    body: JSON.stringify({user_identity_id: id}),
  });
  expect(response.status).toBe(200);
}

/** One import at concurrency 1, stopped (as by Ctrl-C) once `rows` rows have finished. */
async function stoppedAfter(rows: number, options: ImportOptions): Promise<Summary> {
  const controller = new AbortController();
  const importer = new Importer({...options, concurrency: 1});
  let seen = 0;
  importer.on('row', () => {
    if (++seen === rows) controller.abort();
  });
  await importer.prepare();
  return importer.execute({signal: controller.signal});
}

/** A server that answers every request with `answer`; returns its URL and the request count. */
async function serve(answer: (url: string, res: ServerResponse, req: IncomingMessage) => void) {
  const seen = {requests: 0};
  const server = createServer((req, res) => {
    seen.requests += 1;
    req.resume();
    req.on('end', () => answer(req.url ?? '', res, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {url, seen, close: () => new Promise((resolve) => server.close(resolve))};
}

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'content-type': 'application/json', ...headers});
  res.end(JSON.stringify(body));
}

/**
 * A small Seam of its own (not the sandbox): it keeps what it creates, lists with `search` and
 * gets by key. `answer` may answer a request otherwise first (return true when it did); `made`
 * is called after a create is kept, and may answer it otherwise too.
 */
async function miniSeam(hooks: {
  answer?: (url: string, body: Record<string, unknown>, res: ServerResponse) => boolean;
  made?: (identity: Record<string, unknown>, res: ServerResponse) => boolean;
}) {
  const identities: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const url = req.url ?? '';
      if (hooks.answer?.(url, body, res)) return;
      if (url === '/user_identities/list') {
        const search = typeof body['search'] === 'string' ? body['search'].toLowerCase() : '';
        const found = identities.filter((i) => !search || [i['email_address'], i['phone_number'], i['full_name']].some((v) => typeof v === 'string' && v.toLowerCase().includes(search)));
        return json(res, 200, {ok: true, user_identities: found, pagination: {has_next_page: false}});
      }
      if (url === '/user_identities/get') {
        const found = identities.find((i) => i['user_identity_key'] === body['user_identity_key']);
        return found ? json(res, 200, {ok: true, user_identity: found}) : json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
      }
      if (url === '/user_identities/create') {
        const identity = {user_identity_id: `mini-${identities.length + 1}`, errors: [], warnings: [], ...body};
        identities.push(identity);
        if (hooks.made?.(identity, res)) return;
        return json(res, 200, {ok: true, user_identity: identity});
      }
      json(res, 200, {ok: true, acs_systems: []});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    identities,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * A miniSeam that finds identities by id, and whose listing, once `behind()` is called, shows no
 * one: a listing a moment behind the people just made.
 */
async function behindSeam() {
  let listing = true;
  const seam = await miniSeam({
    answer: (url, body, res) => {
      if (url === '/user_identities/list' && !listing) {
        json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        return true;
      }
      if (url === '/user_identities/get' && typeof body['user_identity_id'] === 'string') {
        const found = seam.identities.find((i) => i['user_identity_id'] === body['user_identity_id']);
        json(res, found ? 200 : 404, found ? {ok: true, user_identity: found} : {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
        return true;
      }
      return false;
    },
  });
  return {...seam, behind: () => void (listing = false)};
}

/**
 * Two people imported into a miniSeam whose create answers carry `createdAt()` as created_at, and
 * whose every answer is dated `dateOffsetMs` from now when given (a server clock off, as node:http
 * would date it): both must come out created, none existing.
 */
async function expectBothCreated(name: string, createdAt: () => string, dateOffsetMs?: number): Promise<void> {
  const server = await miniSeam({
    answer: (_url, _body, res) => {
      if (dateOffsetMs === undefined) return false;
      const write = res.writeHead.bind(res);
      res.writeHead = ((status: number, headers?: Record<string, string>) => write(status, {...headers, date: new Date(Date.now() + dateOffsetMs).toUTCString()})) as typeof res.writeHead;
      return false;
    },
    made: (identity, res) => {
      json(res, 200, {ok: true, user_identity: {...identity, created_at: createdAt()}});
      return true;
    },
  });
  try {
    const dir = tempDir();
    const input = writeCsv(join(dir, `${name}.csv`), cleanPeople(2));
    const summary = await runImport({input, endpoint: server.url, apiKey: KEY});
    expect(readResults(join(dir, `${name}.results.csv`)).map((r) => r['import_status'])).toEqual(['created', 'created']);
    expect(summary.counts).toMatchObject({created: 2, existing: 0});
  } finally {
    await server.close();
  }
}

/**
 * A look-alike of Seam whose lookups show a person only `lagMs` after it was made, and whose create
 * refuses a key already held (listed or not). `made` runs after each create (true: answered there).
 */
async function laggingSeam(lagMs: number, made: (res: ServerResponse) => boolean) {
  const madeAt = new Map<string, number>();
  const seen = {creates: 0};
  const holder: {identities: Array<Record<string, unknown>>} = {identities: []};
  const visible = () => holder.identities.filter((i) => Date.now() - (madeAt.get(String(i['user_identity_id'])) ?? 0) >= lagMs);
  const seam = await miniSeam({
    answer: (url, body, res) => {
      if (url === '/user_identities/create') {
        seen.creates += 1;
        // Seam's uniqueness: a key held is refused, whether listed yet or not.
        if (holder.identities.some((i) => i['user_identity_key'] === body['user_identity_key'])) {
          json(res, 400, {ok: false, error: {type: 'user_identity_key_already_exists', message: 'User identity with this key already exists'}});
          return true;
        }
        return false;
      }
      if (url === '/user_identities/get') {
        const found = visible().find((i) => i['user_identity_key'] === body['user_identity_key']);
        if (found) json(res, 200, {ok: true, user_identity: found});
        else json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
        return true;
      }
      if (url === '/user_identities/list') {
        const search = typeof body['search'] === 'string' ? body['search'].toLowerCase() : '';
        const found = visible().filter((i) => !search || [i['email_address'], i['phone_number']].some((v) => typeof v === 'string' && v.toLowerCase().includes(search)));
        json(res, 200, {ok: true, user_identities: found, pagination: {has_next_page: false}});
        return true;
      }
      return false;
    },
    made: (identity, res) => {
      madeAt.set(String(identity['user_identity_id']), Date.now());
      return made(res);
    },
  });
  holder.identities = seam.identities;
  return {seam, seen};
}

/** Lists nobody; answers every other request 429 with this Retry-After (lookups after a 429 are told the same). Counts creates. */
async function rateLimitedServer(retryAfter: string) {
  const seen = {creates: 0};
  const server = await serve((url, res) => {
    if (url === '/user_identities/list') return json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
    if (url === '/user_identities/create') seen.creates += 1;
    json(res, 429, {ok: false, error: {type: 'rate_limited', message: 'Too many requests'}}, {'retry-after': retryAfter});
  });
  return {...server, creates: () => seen.creates};
}

describe('runImport against the sandbox', () => {
  it('creates every clean row once, with no more than --concurrency creates in flight', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 10, seed: 1});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(400));
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 7});
    expect(summary.counts.created).toBe(400);
    expect(summary.exitCode).toBe(0);
    // The sending phase is a part of the run, timed on its own (the benchmark reads it).
    expect(summary.sendingMs).toBeGreaterThan(0);
    expect(summary.sendingMs).toBeLessThanOrEqual(summary.durationMs);
    expect(sandbox.identities()).toHaveLength(400);
    expect(sandbox.stats().maxInFlightCreate).toBeLessThanOrEqual(7);
    // No access systems in the file or the flags: the workspace's are not asked for, so a
    // workspace (or server) without that route still imports.
    expect(sandbox.stats().byRoute['/acs/systems/list'] ?? 0).toBe(0);
    const results = readResults(join(dir, 'people.results.csv'));
    expectEveryRowAccounted(results, 400);
    expectNoOrphans(results, sandbox.identities());
    expect(results[0]).toMatchObject({'Employee ID': 'P-1', Unit: 'Unit 1', import_status: 'created', import_error_code: ''});
  });

  it('progress counts the requests in flight before the first answer comes (a slow Seam)', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 800, jitterMs: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'slow.csv'), cleanPeople(3));
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 3});
    const beforeAnswers: number[] = [];
    const unsettled: (number | undefined)[] = [];
    importer.on('progress', (p) => {
      if (p.sent === 0) beforeAnswers.push(p.inFlight);
      if (p.sent === 0) unsettled.push(p.unsettled);
    });
    await importer.prepare();
    await importer.execute();
    expect(Math.max(...beforeAnswers)).toBe(3);
    // The rows taken up and not finished, which a stopping screen names when none is in flight.
    expect(Math.max(...unsettled.map((n) => n ?? -1))).toBe(3);
  });

  it('the time the plan waited for an answer (the prompt) is not the run’s duration', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 0, jitterMs: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'waited.csv'), cleanPeople(3));
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY});
    await importer.prepare();
    // The person reads the plan for ten minutes before answering.
    const realNow = Date.now.bind(Date);
    const later = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 600_000);
    try {
      const summary = await importer.execute();
      expect(summary.counts.created).toBe(3);
      expect(summary.durationMs).toBeLessThan(600_000);
    } finally {
      later.mockRestore();
    }
  });

  it('into the embedded sandbox (gone with the run), a stopped run’s rows say to run again, not --resume', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, jitterMs: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'embedded.csv'), cleanPeople(30));
    const controller = new AbortController();
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 1, embedded: true});
    importer.on('row', () => controller.abort());
    await importer.prepare();
    const summary = await importer.execute({signal: controller.signal});
    expect(summary.counts.skipped).toBeGreaterThan(20);
    const skipped = readResults(join(dir, 'embedded.results.csv')).filter((r) => r['import_status'] === 'skipped');
    for (const row of skipped) {
      expect(row['import_error_message']).not.toContain('--resume');
      expect(row['import_error_message']).toMatch(/^Not sent: the run was stopped\. The embedded sandbox ended with the run: run the same command again to start over\.$/);
    }
  });

  // An editor fixing a typo (or `echo >>`) saves the file in place while it is being sent: the
  // import pass, which reads the file again, reads a copy taken before sending.
  it('a file saved again in place while it is being sent: what was checked and confirmed is sent, every row in the results, and a warning says so', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 0, jitterMs: 0});
    const dir = tempDir();
    // Rows long enough that the file is read in several chunks: the edit lands after the first.
    const people = cleanPeople(1000).map((cells, i) => [...cells, i === 0 ? 'Notes' : 'x'.repeat(600)]);
    const input = writeCsv(join(dir, 'people.csv'), people);
    const {importer, warnings} = watched({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 1});
    await importer.prepare();
    let edited = false;
    importer.on('row', () => {
      if (edited) return;
      edited = true;
      // The copy the rows are read from is this user's alone (the temp folder is shared).
      const copies = readdirSync(tmpdir()).filter((name) => name.startsWith(`seam-import-${process.pid}-`));
      expect(copies).toHaveLength(1);
      expect(lstatSync(join(tmpdir(), copies[0]!)).mode & 0o777).toBe(0o600);
      // Row 900's email fixed, and a row in the middle cut: the rows after it move.
      const changed = people.filter((_, i) => i !== 500).map((cells, i) => (i === 899 ? [cells[0]!, cells[1]!, cells[2]!.replace('p901@', 'q901@'), ...cells.slice(3)] : cells));
      writeCsv(input, changed);
    });
    const summary = await importer.execute();
    expect(summary.exitCode).toBe(0);
    // Said to the reporter too: a stop now would be continued from the results file, not --resume.
    expect(summary.inputSavedDuringRun).toBe(true);
    const results = readResults(summary.outPath);
    expect(results.map((r) => r['Email'])).toEqual(people.slice(1).map((cells) => cells[2]));
    expect(results.every((r) => r['import_status'] === 'created')).toBe(true);
    expect(sandbox.identities()).toHaveLength(1000);
    expect(sandbox.identities().some((i) => i.email_address === 'q901@example.com')).toBe(false);
    expect(warnings.at(-1)).toBe(
      `${input} was saved again while it was being imported: the rows sent are the ones checked and confirmed (read from a copy taken before sending), not the file as it is now. To import its changes, make them in the results file ${summary.outPath} and import that file: rows created or existing keep their id and are not sent again (a changed email or phone of one is said, not sent). Not --restart: it finds people by key, email or phone, so a row without a key whose email or phone was changed would be created a second time.`,
    );
    // The copy is gone with the run.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`seam-import-${process.pid}-`))).toEqual([]);
  });

  it('a copy of an input left in the temp folder by a run that was killed is removed by the next run', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 0, jitterMs: 0});
    const dir = tempDir();
    // No process has this pid (Linux's highest is 4,194,304).
    const stale = join(tmpdir(), 'seam-import-2147483646-1-people.csv');
    writeFileSync(stale, 'Name,Email\n');
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    expect(existsSync(stale)).toBe(false);
  });

  // The copy is taken after the check that the file is as it was checked (size, time): a change
  // that keeps both (the same length, the time set back) is still caught, row by row.
  it('a file changed before sending in a way its size and time do not show: sending stops at the first row not the one checked (input_changed)', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 0, jitterMs: 0});
    const dir = tempDir();
    const people = cleanPeople(1000);
    const input = writeCsv(join(dir, 'people.csv'), people);
    // A time in whole seconds, set back exactly after the change.
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 1});
    await importer.prepare();
    writeCsv(input, people.map((cells, i) => (i === 900 ? [cells[0]!, cells[1]!, cells[2]!.replace('p900@', 'q900@'), ...cells.slice(3)] : cells)));
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    const summary = await importer.execute();
    const results = readResults(summary.outPath);
    expect(results).toHaveLength(1000);
    // Rows read ahead of it (waiting for their turn) were not sent either: the stop came first.
    const made = results.findIndex((r) => r['import_status'] !== 'created');
    expect(made).toBeGreaterThan(880);
    expect(made).toBeLessThanOrEqual(899);
    expect(results.slice(made).map((r) => `${r['import_status']} ${r['import_error_code']}`)).toEqual(Array(1000 - made).fill('skipped input_changed'));
    expect(results[899]!['import_error_message']).toBe(
      `Not sent: ${input} changed while it was being imported (row 900 is not the row checked there): the rows from there on are not the ones checked and confirmed. Check the file, then import it again with --restart (people already made are found, not made twice).`,
    );
    expect(sandbox.identities()).toHaveLength(made);
    // Not 130 ("resumable"): its record no longer matches the file; --restart is the way on.
    expect(summary.exitCode).toBe(1);
    expect(summary.halted?.code).toBe('input_changed');
  });

  // Said "the run record … keeps them" after the folder (and the record in it) was removed mid-run.
  it('the results folder removed mid-run: says the run record went too, and --restart (not --resume) finishes with no one twice', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, jitterMs: 0});
    const dir = tempDir();
    const rows = cleanPeople(300);
    const input = writeCsv(join(dir, 'people.csv'), rows);
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    const out = join(outDir, 'people.results.csv');
    const write = ResultsWriter.prototype.write;
    let calls = 0;
    const gone = vi.spyOn(ResultsWriter.prototype, 'write').mockImplementation(async function (this: ResultsWriter, cells, outcome) {
      calls += 1;
      if (calls === 100) {
        rmSync(outDir, {recursive: true, force: true});
        (this as unknown as {file: NodeJS.EventEmitter}).file.emit('error', Object.assign(new Error(`ENOENT: no such file or directory, open '${out}.tmp'`), {code: 'ENOENT'}));
      }
      return write.call(this, cells, outcome);
    });
    try {
      await expect(runImport({input, out, endpoint: sandbox.url, apiKey: KEY, concurrency: 4})).rejects.toMatchObject({
        code: 'output_unwritable',
        message: expect.stringMatching(/rows had been sent when it stopped; the run record .*people\.results\.csv\.journal\.jsonl is gone too \(was its folder removed\?\)\.$/),
        hint: expect.stringMatching(/^Put the folder back \(or pass -o with another\), then run the same command again with --restart/),
        // The command printed after it is --restart's, not --resume's (which a reviewer saw beside this hint).
        restartToContinue: true,
        exitCode: 130,
      });
    } finally {
      gone.mockRestore();
    }
    const made = sandbox.identities().length;
    expect(made).toBeGreaterThan(0);
    mkdirSync(outDir);
    const summary = await runImport({input, out, endpoint: sandbox.url, apiKey: KEY, concurrency: 4, restart: true});
    expect(summary.counts.created + summary.counts.existing).toBe(300);
    expect(summary.counts.existing).toBe(made);
    expect(sandbox.identities()).toHaveLength(300);
  });

  it('stops and says so when the results file cannot be written mid-run, keeping the run record; --resume finishes with no one twice', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, jitterMs: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(300));
    const write = ResultsWriter.prototype.write;
    let calls = 0;
    // The disk fills up under the results file at its 100th row.
    const full = vi.spyOn(ResultsWriter.prototype, 'write').mockImplementation(async function (this: ResultsWriter, cells, outcome) {
      calls += 1;
      if (calls === 100) {
        (this as unknown as {file: NodeJS.EventEmitter}).file.emit('error', Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'}));
      }
      return write.call(this, cells, outcome);
    });
    try {
      await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 4})).rejects.toMatchObject({
        code: 'output_unwritable',
        message: expect.stringMatching(
          /^Could not write the results file .*people\.results\.csv: ENOSPC: no space left on device, write\. \d+ of 300 rows had been sent when it stopped; the run record .*people\.results\.csv\.journal\.jsonl keeps them\.$/,
        ),
        hint: expect.stringMatching(/--resume/),
        // Stopped after sending, resumable: not 2, "could not start" (a script would read it as nothing done).
        exitCode: 130,
        restartToContinue: false,
      });
    } finally {
      full.mockRestore();
    }
    const made = sandbox.identities().length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(300);
    expect(existsSync(join(dir, 'people.results.csv'))).toBe(false);

    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 4, resume: true});
    expect(summary.counts.created).toBe(300);
    expect(sandbox.identities()).toHaveLength(300);
    const results = readResults(join(dir, 'people.results.csv'));
    expectEveryRowAccounted(results, 300);
    expectNoOrphans(results, sandbox.identities());
  });

  it('stops sending when the run record cannot be written, finishes what is in flight and writes every row (exit 130)', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, jitterMs: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(300));
    const flush = Journal.prototype.flush;
    let calls = 0;
    // The 50th write of the record fails (a bad descriptor, as on a disk that went away).
    const broken = vi.spyOn(Journal.prototype, 'flush').mockImplementation(function (this: Journal) {
      calls += 1;
      if (calls !== 50) return flush.call(this);
      const self = this as unknown as {fd: number};
      const real = self.fd;
      self.fd = 1 << 30;
      try {
        return flush.call(this);
      } finally {
        self.fd = real;
      }
    });
    const warnings: string[] = [];
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 4});
    importer.on('warning', (message) => warnings.push(message));
    let summary;
    try {
      await importer.prepare();
      summary = await importer.execute();
    } finally {
      broken.mockRestore();
    }
    expect(warnings).toEqual([expect.stringMatching(/^Could not write the run record .*people\.results\.csv\.journal\.jsonl: .*--resume/)]);
    expect(summary.exitCode).toBe(130);
    expect(summary.counts.skipped).toBeGreaterThan(0);
    expect(summary.counts.created).toBe(sandbox.identities().length);
    expect(summary.counts.created + summary.counts.skipped).toBe(300);
    const results = readResults(join(dir, 'people.results.csv'));
    expectEveryRowAccounted(results, 300);
    expectNoOrphans(results, sandbox.identities());
    // A request whose send line could not be written was not sent: --resume finds every person the
    // run made by its record, so none is called existing (one sent unrecorded was).
    const resumed = await runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 4, resume: true});
    expect(resumed.counts).toMatchObject({created: 300, existing: 0});
    expect(sandbox.identities()).toHaveLength(300);
  });

  it('reports a file it cannot use at once, without waiting on a slow API for the lookups it started', async () => {
    // The workspace's identities are asked for while the file is opened: a server that takes a
    // minute to answer must not hold up "this file has no email or phone column".
    sandbox = await startSandbox({port: 0, latencyMs: 120_000, jitterMs: 0});
    const listAsked = new Promise<void>((resolve) => sandbox!.events.on('request', (e) => e.route === '/user_identities/list' && resolve()));
    const dir = tempDir();
    const input = writeCsv(join(dir, 'nobody.csv'), [
      ['Name', 'Unit'],
      ['One', '1'],
    ]);
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY});
    await expect(importer.prepare()).rejects.toMatchObject({code: 'no_contact_column'});
    // The lookup had gone out before the file was read (and was dropped with the run).
    await listAsked;
    expect(sandbox.stats().creates).toBe(0);
  });

  it.each(['invalid_input', 'conflict'] as const)(
    'gives every kind of row its status and code (clash answered as %s)',
    async (conflictShape) => {
      sandbox = await startSandbox({port: 0, seed: 2, conflictShape});
      sandbox.seedIdentities([
        {user_identity_key: 'K-3', email_address: 'three@example.com', phone_number: phoneFor(3), full_name: 'Three'},
        {user_identity_key: 'OTHER', email_address: 'four@example.com', full_name: 'Four elsewhere'},
      ]);
      const [exact, clashing] = sandbox.identities();
      const dir = tempDir();
      const input = writeCsv(join(dir, 'mixed.csv'), [
        ['Key', 'Name', 'E-mail', 'Mobile'],
        ['K-1', 'One', 'One@Example.com', '(617) 200-0001'],
        ['K-2', 'Two', 'not-an-email', phoneFor(2)],
        ['K-3', 'Three', 'THREE@example.com', phoneFor(3)],
        ['K-4', 'Four', 'four@example.com', ''],
        ['K-5', 'Five', 'one@example.com', ''],
        ['K-6', 'Six', '', '617.200.0001'],
        ['K-7', 'Seven', '', ''],
        ['K-8', 'Eight', 'eight@example.com', '1.55512E+10'],
      ]);
      const summary = await runImport({
        input,
        endpoint: sandbox.url,
        apiKey: KEY,
        map: {user_identity_key: 'Key'},
      });
      const results = readResults(join(dir, 'mixed.results.csv'));
      expectEveryRowAccounted(results, 8);
      const by = (row: number) => results[row - 1]!;
      expect(by(1)).toMatchObject({import_status: 'created', import_email_address: 'one@example.com', import_phone_number: '+16172000001'});
      expect(by(2)).toMatchObject({import_status: 'invalid', import_error_code: 'invalid_email'});
      expect(by(2)['import_error_message']).toContain('"E-mail"');
      expect(by(3)).toMatchObject({import_status: 'existing', user_identity_id: exact!.user_identity_id});
      expect(by(4)).toMatchObject({import_status: 'failed', import_error_code: 'conflict'});
      expect(by(4)['import_error_message']).toContain(clashing!.user_identity_id);
      expect(by(5)).toMatchObject({import_status: 'duplicate', import_error_code: 'duplicate_email', import_duplicate_of_row: '1'});
      expect(by(6)).toMatchObject({import_status: 'duplicate', import_error_code: 'duplicate_phone', import_duplicate_of_row: '1'});
      expect(by(7)).toMatchObject({import_status: 'invalid', import_error_code: 'missing_contact'});
      expect(by(8)).toMatchObject({import_status: 'invalid', import_error_code: 'invalid_phone'});
      expect(summary.exitCode).toBe(1);
      expect(sandbox.identities()).toHaveLength(3);
      expectNoOrphans(results, sandbox.identities(), new Set([exact!.user_identity_id, clashing!.user_identity_id]));
    },
  );

  it("access systems named in the cell by their name (\"Main Entrance (Salto KS)\", any case) are read as their ids; an unknown name says it is neither", async () => {
    const [main, parking] = SANDBOX_ACS_SYSTEMS;
    const seam = await miniSeam({
      answer: (url, _body, res) => {
        if (url !== '/acs/systems/list') return false;
        json(res, 200, {
          ok: true,
          acs_systems: [
            ...SANDBOX_ACS_SYSTEMS,
            {acs_system_id: '0d0d0d0d-0000-4000-8000-000000000001', name: 'Lobby'},
            {acs_system_id: '0d0d0d0d-0000-4000-8000-000000000002', name: 'lobby '},
            {acs_system_id: '0d0d0d0d-0000-4000-8000-000000000003', name: 'Gym, North Tower'},
          ],
        });
        return true;
      },
    });
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'named.csv'), [
        ['Name', 'Email', 'Access'],
        ['Ann', 'ann@example.com', 'Main Entrance (Salto KS)'],
        ['Bob', 'bob@example.com', `parking garage (brivo); ${main!.acs_system_id}`],
        ['Cy', 'cy@example.com', 'Front Door'],
        ['Di', 'di@example.com', 'Lobby'],
        // A name with a comma, and a name typed with two spaces.
        ['Ed', 'ed@example.com', 'Gym, North Tower'],
        ['Flo', 'flo@example.com', 'Main  Entrance (Salto KS)'],
      ]);
      const out = join(dir, 'named.results.csv');
      await runImport({input, out, endpoint: seam.url, apiKey: KEY, map: {acs_system_ids: 'Access'}});
      const results = readResults(out);
      expect(results.map((r) => r['import_status'])).toEqual(['created', 'created', 'invalid', 'invalid', 'created', 'created']);
      // Was: has "Main", which is not an access system id.
      expect(results[2]?.['import_error_message']).toBe(`Column "Access" has "Front Door", which is not an access system id (a UUID such as 7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70) nor the name of one of this workspace's. Separate several with ";".`);
      expect(results[3]?.['import_error_message']).toBe('Column "Access" has "Lobby", the name of 2 access systems of this workspace (0d0d0d0d-0000-4000-8000-000000000001, 0d0d0d0d-0000-4000-8000-000000000002). Put the id of the one meant in the cell.');
      expect(seam.identities.map((i) => [i['email_address'], i['acs_system_ids']])).toEqual([
        ['ann@example.com', [main!.acs_system_id]],
        ['bob@example.com', [parking!.acs_system_id, main!.acs_system_id]],
        ['ed@example.com', ['0d0d0d0d-0000-4000-8000-000000000003']],
        ['flo@example.com', [main!.acs_system_id]],
      ]);
      // A dry run without credentials cannot look names up: it quotes the whole name, and says why.
      await runImport({input, out: join(dir, 'dry.csv'), dryRun: true, map: {acs_system_ids: 'Access'}});
      expect(readResults(join(dir, 'dry.csv'))[0]?.['import_error_message']).toBe(
        `Column "Access" has "Main Entrance (Salto KS)", which is not an access system id (a UUID such as 7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70); a system's name is read as its id only when the workspace is looked up (with credentials). Separate several with ";".`,
      );
    } finally {
      await seam.close();
    }
  });

  it('an unknown --acs-system-id names a few of the workspace\'s systems with their names, not all of them (2,000 ids made 76 KB of error)', async () => {
    const systems = Array.from({length: 12}, (_, i) => ({acs_system_id: `0d0d0d0d-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`, name: `Door ${i}`}));
    const seam = await miniSeam({
      answer: (url, _body, res) => {
        if (url !== '/acs/systems/list') return false;
        json(res, 200, {ok: true, acs_systems: systems});
        return true;
      },
    });
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'flag.csv'), cleanPeople(1));
      await expect(runImport({input, endpoint: seam.url, apiKey: KEY, acsSystemIds: ['ffffffff-0000-4000-8000-000000000000']})).rejects.toMatchObject({
        message: '--acs-system-id ffffffff-0000-4000-8000-000000000000 is not an access system of this workspace.',
        hint: `The workspace has 12 access system(s): ${systems
          .slice(0, 5)
          .map((s) => `${s.acs_system_id} ("${s.name}")`)
          .join(', ')}, and 7 more (Seam's acs/systems/list has them all).`,
      });
      expect(seam.identities).toHaveLength(0);
    } finally {
      await seam.close();
    }
  });

  it('says, page by page, how many of the workspace\'s identities the lookup has listed', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    sandbox.seedIdentities(Array.from({length: 1200}, (_, i) => ({user_identity_key: `W-${i}`, email_address: `w${i}@example.com`, full_name: `W ${i}`})));
    const dir = tempDir();
    const input = writeCsv(join(dir, 'look.csv'), cleanPeople(2));
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, dryRun: true});
    const listed: number[] = [];
    importer.on('looking', (n) => listed.push(n));
    const plan = await importer.prepare();
    expect(plan.workspaceIdentities).toBe(1200);
    expect(listed).toEqual([500, 1000, 1200]);
  });

  it('a person already in Seam is adopted without the access systems the row asks for, and the plan and the results file say so', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    sandbox.seedIdentities([{user_identity_key: 'P-1', email_address: 'p1@example.com', phone_number: phoneFor(1), full_name: 'Person p1'}]);
    const system = SANDBOX_ACS_SYSTEMS[0]!.acs_system_id;
    const dir = tempDir();
    const input = writeCsv(join(dir, 'acs.csv'), cleanPeople(2));
    const {importer, warnings} = watched({input, endpoint: sandbox.url, apiKey: KEY, acsSystemIds: [system]});
    const plan = await importer.prepare();
    // The plan names what everyone created is given (nothing on screen said it).
    expect(plan.granted).toEqual([`"Main Entrance (Salto KS)" (${system})`]);
    expect(planLines(plan).map((line) => line.text)).toContain(`Each person created is given access system "Main Entrance (Salto KS)" (${system}) (--acs-system-id); people already in Seam are not changed.`);
    const summary = await importer.execute();
    expect(summary.counts).toMatchObject({existing: 1, created: 1});
    expect(summary.warnings).toEqual(warnings);
    expect(warnings).toEqual([
      'One row (import_row 1) is already in Seam and will be adopted as it is, without adding the access systems it asks for: the importer sets access systems only on people it creates. Check in Seam that that person has them (a run that made them, then stopped, gave them theirs); the results file says which rows.',
    ]);
    const [one, two] = readResults(join(dir, 'acs.results.csv'));
    expect(one).toMatchObject({import_status: 'existing', import_error_code: ''});
    expect(one!['import_error_message']).toBe(
      `Already in Seam: adopted, not changed. The access system ${system} this row asks for was not added by this run: the importer sets access systems only on people it creates. Check in Seam that this person has it, and add it there if not.`,
    );
    expect(two).toMatchObject({import_status: 'created', import_error_message: ''});

    // The results file fed back (the retry) keeps the note on the adopted row.
    const again = await runImport({input: join(dir, 'acs.results.csv'), out: join(dir, 'acs.retry.csv'), endpoint: sandbox.url, apiKey: KEY, acsSystemIds: [system]});
    expect(again.counts).toMatchObject({existing: 1, created: 1});
    // Both kept what the file said: this run made and found nobody (the summary said "created 1 made by this run").
    expect(again.kept).toEqual({created: 1, existing: 1});
    expect(readResults(join(dir, 'acs.retry.csv'))[0]!['import_error_message']).toBe(one!['import_error_message']);
  });

  it('a person Seam has is never a duplicate of an earlier row that conflicts with Seam (an HR export sorted anew): the earlier row is the duplicate', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const ids = sandbox
      .seedIdentities([
        {user_identity_key: 'R0007', email_address: 'linda@example.com', full_name: 'Linda Taylor'},
        {user_identity_key: 'R0005', email_address: 'jennifer@example.com', phone_number: '+16462000552', full_name: 'Jennifer Williams'},
      ])
      .map((i) => i.user_identity_id);
    const dir = tempDir();
    const input = join(dir, 'flip.csv');
    writeFileSync(
      input,
      [
        'Resident ID,First Name,Last Name,Email,Mobile',
        'R0007,James,White,james@example.com,(646) 201-4002',
        'R0007,Linda,Taylor,linda@example.com,',
        'R0100,José,Davis,jennifer@example.com,(646) 201-0021',
        'R0005,Jennifer,Williams,jennifer@example.com,+1 646 200 0552',
        'R0200,Ann,Lee,ann@example.com,',
        '',
      ].join('\n'),
    );
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const results = readResults(join(dir, 'flip.results.csv'));
    expect(results.map((r) => [r['import_status'], r['import_duplicate_of_row']])).toEqual([
      ['duplicate', '2'],
      ['existing', ''],
      ['duplicate', '4'],
      ['existing', ''],
      ['created', ''],
    ]);
    expect(results[1]!['user_identity_id']).toBe(ids[0]);
    expect(results[3]!['user_identity_id']).toBe(ids[1]);
    expect(results[0]!['import_error_message']).toMatch(/^Repeats row 2, which is already in Seam: the same key in column "Resident ID" \("R0007"\)\. Only that row is kept;/);
    expect(summary.counts).toMatchObject({existing: 2, duplicate: 2, created: 1});
    expect(sandbox.stats().creates).toBe(1);
  });

  it("a results file whose ids a fill handle counted up (ids Seam does not have) gives each row the id of the person Seam has with its details, not the made-up one", async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'fill.csv'), cleanPeople(3));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'fill.results.csv'));
    const ids = first.map((r) => r['user_identity_id']!);
    // Excel's fill handle dragged from row 1 down: the ids of rows 2 and 3 are row 1's, counted up.
    const countedUp = (n: number) => `${ids[0]!.slice(0, -3)}${((parseInt(ids[0]!.slice(-3), 16) + n) % 4096).toString(16).padStart(3, '0')}`;
    expect(ids).not.toContain(countedUp(1));
    const text = readFileSync(join(dir, 'fill.results.csv'), 'utf8').replace(ids[1]!, countedUp(1)).replace(ids[2]!, countedUp(2));
    writeFileSync(join(dir, 'filled.csv'), text);
    const summary = await runImport({input: join(dir, 'filled.csv'), out: join(dir, 'filled.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    const results = readResults(join(dir, 'filled.results.csv'));
    // Were: created with the made-up ids, exit 0, "Every row is in Seam."
    expect(results.map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
      ['created', ids[0]],
      ['existing', ids[1]],
      ['existing', ids[2]],
    ]);
    expect(summary.unlisted).toBeUndefined();
    expect(sandbox.stats().creates).toBe(3);
  });

  // Sorting the data columns only ("current selection" in Excel and LibreOffice) moves the import
  // columns onto other rows: a row that breaks a rule kept another person's id and `created`
  // (exit 0), and that id stood on two rows.
  it('a results file fed back whose import columns moved onto an invalid row: the id is not kept unless the row still reads as its person', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'u.csv'), [
      ['Employee ID', 'Name', 'Email'],
      ['U-1', 'Ann Uno', 'ann.uno@example.com'],
      ['U-2', 'Bob Uno', 'bob.uno@@example.com'],
      ['U-3', 'Cy Uno', 'cy.uno@example.com'],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const lines = readFileSync(join(dir, 'u.results.csv'), 'utf8').split('\r\n');
    const ann = readResults(join(dir, 'u.results.csv'))[0]!['user_identity_id']!;
    const cy = readResults(join(dir, 'u.results.csv'))[2]!['user_identity_id']!;
    const dataOf = (line: string) => line.split(',').slice(0, 3).join(',');
    const importOf = (line: string) => line.split(',').slice(3).join(',');
    // Rows 1 and 2 sorted by name the other way round, their import columns left in place; row 3's
    // email broken in the file, its key its own.
    const sorted = [lines[0], `${dataOf(lines[2]!)},${importOf(lines[1]!)}`, `${dataOf(lines[1]!)},${importOf(lines[2]!)}`, lines[3]!.replace('cy.uno@example.com', 'cy.uno@@example.com'), ''].join('\r\n');
    writeFileSync(join(dir, 'sorted.csv'), sorted);
    const {importer, warnings} = watched({input: join(dir, 'sorted.csv'), out: join(dir, 'sorted.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    await importer.prepare();
    const summary = await importer.execute();
    const results = readResults(join(dir, 'sorted.results.csv'));
    expect(results.map((r) => [r['Employee ID'], r['import_status'], r['user_identity_id'], r['import_error_code']])).toEqual([
      ['U-2', 'invalid', '', 'invalid_email'],
      ['U-1', 'existing', ann, ''],
      ['U-3', 'created', cy, ''],
    ]);
    expect(results[0]!['import_error_message']).toContain(`The results file gave this row user identity ${ann} (created), not kept: Seam's identity of that id does not have this row's details.`);
    expect(warnings).toContainEqual(expect.stringMatching(/^One row of the results file fed back \(import_row 1\) has a user_identity_id that is likely not its/));
    expect(summary.counts).toMatchObject({invalid: 1, existing: 1, created: 1});
    expect(sandbox.stats().creates).toBe(2);
  });

  // Review: with nothing to compare (no key, the only contact mistyped in the results file) the id
  // was dropped, and the row, fixed and fed back as the run said, made the person twice.
  it('a fed-back row that breaks a rule with nothing to compare keeps its id; one whose person is another row of the file does not', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'nokey.csv'), [
      ['Name', 'Email'],
      ['Ana Lopez', 'ana@example.com'],
      ['Bo Chen', 'bo@example.com'],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'nokey.results.csv'));
    const [ana, bo] = [first[0]!['user_identity_id']!, first[1]!['user_identity_id']!];
    const text = readFileSync(join(dir, 'nokey.results.csv'), 'utf8');
    writeFileSync(join(dir, 'typo.csv'), text.replace('Ana Lopez,ana@example.com', 'Ana Lopez,ana.new@example.con@'));
    await runImport({input: join(dir, 'typo.csv'), out: join(dir, 'typo.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(readResults(join(dir, 'typo.results.csv'))[0]).toMatchObject({import_status: 'created', user_identity_id: ana});
    // Fixed and fed back again: still that person, nobody made twice.
    writeFileSync(join(dir, 'fixed.csv'), readFileSync(join(dir, 'typo.results.csv'), 'utf8').replace('ana.new@example.con@', 'ana.new@example.com'));
    await runImport({input: join(dir, 'fixed.csv'), out: join(dir, 'fixed.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(readResults(join(dir, 'fixed.results.csv'))[0]).toMatchObject({import_status: 'created', user_identity_id: ana});
    // Columns A-B sorted apart from the import columns, no key: Bo's details now sit on row 1 with
    // an email broken, Ana's id beside them; Ana's row is row 2. The id is Ana's row's, not row 1's.
    const lines = text.split('\r\n');
    const importOf = (line: string) => line.split(',').slice(2).join(',');
    writeFileSync(join(dir, 'sorted.csv'), [lines[0], `Bo Chen,bo@@example.com,${importOf(lines[1]!)}`, `Ana Lopez,ana@example.com,${importOf(lines[2]!)}`, ''].join('\r\n'));
    await runImport({input: join(dir, 'sorted.csv'), out: join(dir, 'sorted.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    const sorted = readResults(join(dir, 'sorted.results.csv'));
    expect(sorted.map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
      ['invalid', ''],
      ['existing', ana],
    ]);
    expect(bo).not.toBe(ana);
    expect(sandbox.stats().creates).toBe(2);
  });

  // Second review: a row given to another person (HR reusing a leaver's row: name, email, all
  // new; no key) kept the leaver's id as created, and the new person was never made, exit 0.
  it('a fed-back row whose name and contacts are all another person\'s than its id\'s is not kept', async () => {
    sandbox = await startSandbox({port: 0, seed: 39});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'reuse.csv'), [
      ['Name', 'Email'],
      ['Zed Quinn', 'zed@example.com'],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const text = readFileSync(join(dir, 'reuse.results.csv'), 'utf8');
    for (const [name, email, status] of [
      ['valid', 'carl@example.com', 'failed'],
      ['broken', 'carl@@example.com', 'invalid'],
    ] as const) {
      writeFileSync(join(dir, `${name}.csv`), text.replace('Zed Quinn,zed@example.com', `Carl Berg,${email}`));
      const summary = await runImport({input: join(dir, `${name}.csv`), out: join(dir, `${name}.results.csv`), endpoint: sandbox.url, apiKey: KEY});
      expect(readResults(join(dir, `${name}.results.csv`))[0]).toMatchObject({import_status: status, user_identity_id: ''});
      expect(summary.exitCode).toBe(1);
    }
    expect(sandbox.stats().creates).toBe(1);
  });

  // An earlier build wrote "Ana; Luis" bare; LibreOffice splits on semicolons too, and the rest
  // of the row moved one column right: its row came back invalid without its id, and nothing said why.
  it('a results file fed back with a row whose cells moved right (a cell split in two): a warning names it', async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'hh.csv'), [
      ['Employee ID', 'Name', 'Household', 'Email'],
      ['H-1', 'One', 'single', 'h1@example.com'],
      ['H-2', 'Two', 'Ana; Luis', 'h2@example.com'],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const split = readFileSync(join(dir, 'hh.results.csv'), 'utf8').replace('"Ana; Luis"', 'Ana, Luis');
    writeFileSync(join(dir, 'split.csv'), split);
    const {importer, warnings} = watched({input: join(dir, 'split.csv'), out: join(dir, 'split.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    await importer.prepare();
    await importer.execute();
    expect(warnings).toContain(
      'One row of the results file fed back (import_row 2) has an import_status that is not one the importer writes ("2"): its cells may have moved, as when a cell holding a comma, a semicolon or a tab is split in two by a spreadsheet opening the file. It is judged by its cells as they stand now, like new rows, and any id it had is not kept: check that row against the file the import wrote.',
    );
    expect(readResults(join(dir, 'split.results.csv')).map((r) => r['import_status'])).toEqual(['created', 'invalid']);
    expect(sandbox.stats().creates).toBe(2);
  });

  it("a results file fed back whose ids were edited by hand (filled down, swapped): such ids are judged again and never sent; a row's own id is kept though its email changed, with a warning", async () => {
    sandbox = await startSandbox({port: 0, seed: 3});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'ids.csv'), cleanPeople(4));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'ids.results.csv'));
    const idOf = (row: number) => first[row - 1]!['user_identity_id']!;
    const [one, two, three, four] = [idOf(1), idOf(2), idOf(3), idOf(4)];
    // Row 1's id filled down onto row 2; rows 3 and 4 swapped; then row 4's email changed in the file.
    const text = readFileSync(join(dir, 'ids.results.csv'), 'utf8')
      .replace(two, one)
      .replace(three, 'SWAP')
      .replace(four, three)
      .replace('SWAP', four)
      .replace(/p4@example\.com/g, 'p4.new@example.com');
    writeFileSync(join(dir, 'edited.csv'), text);
    const {importer, warnings} = watched({input: join(dir, 'edited.csv'), out: join(dir, 'edited.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    await importer.prepare();
    const summary = await importer.execute();
    expect(warnings).toEqual([
      "3 rows of the results file fed back (import_row 2, 3, 4) have a user_identity_id that is likely not theirs (copied down a column, swapped by hand, or moved by sorting some columns only: Seam's identity of that id is someone else's, or is not there while another has the row's details): they are judged again by key, email and phone, never sent, and the results file says what each is now.",
    ]);
    const results = readResults(join(dir, 'edited.results.csv'));
    expect(results.map((r) => [r['import_status'], r['user_identity_id'], r['import_error_code']])).toEqual([
      ['created', one, ''],
      ['existing', two, ''],
      ['existing', three, ''],
      ['failed', '', 'conflict'],
    ]);
    expect(results[3]!['import_error_message']).toContain(`Seam already has user identity ${four}`);
    expect(summary.counts).toMatchObject({created: 1, existing: 2, failed: 1});
    expect(sandbox.stats().creates).toBe(4);

    // Its own id, its email changed in the file (to record a new address): kept, as PRODUCT.md
    // says, and warned of (the importer does not change people in Seam).
    const changed = readFileSync(join(dir, 'ids.results.csv'), 'utf8').replace(/p2@example\.com/g, 'p2.new@example.com');
    writeFileSync(join(dir, 'changed.csv'), changed);
    const watchedChange = watched({input: join(dir, 'changed.csv'), out: join(dir, 'changed.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    await watchedChange.importer.prepare();
    const kept = await watchedChange.importer.execute();
    expect(readResults(join(dir, 'changed.results.csv'))[1]).toMatchObject({import_status: 'created', user_identity_id: two});
    // The row itself says so too (the file is handed on; the warning is not): it was empty.
    expect(readResults(join(dir, 'changed.results.csv'))[1]!['import_error_message']).toBe(
      "Kept with its id, but Seam's details of this person differ from this row now (an email or phone changed in the file or in Seam): the importer does not change people in Seam. Update the person in Seam if the row is right.",
    );
    expect(kept.counts).toMatchObject({created: 4});
    expect(watchedChange.warnings).toEqual([
      "One row of the results file fed back (import_row 2) keeps its id, but Seam's details of that person differ from the row now (an email or phone changed in the file or in Seam): the importer does not change people in Seam. Update it in Seam if the file is right.",
    ]);

    // A row whose details are nowhere in Seam, yet the file says Seam has it (edited in Seam since,
    // or an id pasted in): never sent, so that nobody is made twice.
    const moved = readFileSync(join(dir, 'ids.results.csv'), 'utf8').replace('P-1,', 'P-100,').replace(/p1@example\.com/g, 'p100@example.com').replace(phoneFor(1), phoneFor(100));
    writeFileSync(join(dir, 'moved.csv'), moved);
    const again = await runImport({input: join(dir, 'moved.csv'), out: join(dir, 'moved.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    const [row1] = readResults(join(dir, 'moved.results.csv'));
    expect(row1).toMatchObject({import_status: 'failed', import_error_code: 'conflict', user_identity_id: ''});
    expect(row1!['import_error_message']).toBe(
      `The results file gives this row user identity ${one}, but in Seam its key is "P-1" where this row has "P-100", and nothing in Seam has this row's details. Not sent, so as not to make this person twice: fix the row or that identity, or, if this person is not in Seam, empty the row's user_identity_id and import_status; then import it again.`,
    );
    expect(again.counts).toMatchObject({failed: 1, created: 3});
    expect(sandbox.stats().creates).toBe(4);
  });

  it.each(['invalid_input', 'conflict'] as const)(
    'reports a clash that appears after the lookup as a conflict naming the identity (%s)',
    async (conflictShape) => {
      sandbox = await startSandbox({port: 0, seed: 3, conflictShape});
      const dir = tempDir();
      const input = writeCsv(join(dir, 'late.csv'), [
        ['Email', 'Name'],
        ['late@example.com', 'Late Comer'],
        ['same@example.com', 'Same Person'],
      ]);
      const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY});
      await importer.prepare();
      // Someone else creates them between our lookup and our create.
      sandbox.seedIdentities([
        {email_address: 'LATE@example.com', user_identity_key: 'theirs', full_name: 'Other'},
        {email_address: 'same@example.com', full_name: 'Same Person'},
      ]);
      const [theirs, same] = sandbox.identities();
      const summary = await importer.execute();
      const results = readResults(join(dir, 'late.results.csv'));
      // The row gives no key, so the identity with the same email is this person: adopted.
      expect(results[0]).toMatchObject({import_status: 'existing', user_identity_id: theirs!.user_identity_id});
      expect(results[1]).toMatchObject({import_status: 'existing', user_identity_id: same!.user_identity_id});
      expect(summary.exitCode).toBe(0);
      expect(sandbox.identities()).toHaveLength(2);
    },
  );

  it('finishes every valid row under 5xx, dropped answers and latency, and names every identity once', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, failRate: 0.1, dropAfterCommitRate: 0.05, seed: 4});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'faults.csv'), cleanPeople(300));
    // Ten tries a row: at five, one row in a few hundred met five 5xx in a row now and then (0.1^5),
    // and gave up as it should; this test is about every row ending created, not about giving up.
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 8, maxAttempts: 10});
    const results = readResults(join(dir, 'faults.results.csv'));
    expectEveryRowAccounted(results, 300);
    expect(results.every((r) => r['import_status'] === 'created')).toBe(true);
    expect(sandbox.stats().dropped).toBeGreaterThan(0);
    expectNoOrphans(results, sandbox.identities());
    expect(sandbox.identities()).toHaveLength(300);
    expect(summary.retries).toBeGreaterThan(0);
  });

  it('honours 429s under a 50 requests/s limit without failing a row', async () => {
    sandbox = await startSandbox({port: 0, rateLimit: 50, seed: 5});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'limited.csv'), cleanPeople(150));
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 20});
    expect(summary.counts.created).toBe(150);
    expect(sandbox.stats().rateLimited).toBeGreaterThan(0);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expectNoOrphans(readResults(join(dir, 'limited.results.csv')), sandbox.identities());
  });

  it('stops on a wrong key: nothing created, every sendable row skipped, exit 3', async () => {
    sandbox = await startSandbox({port: 0, seed: 6});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'badkey.csv'), cleanPeople(50));
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: 'seam_wrong', concurrency: 5});
    expect(summary.exitCode).toBe(3);
    expect(summary.counts.skipped).toBe(50);
    expect(sandbox.stats().requests).toBeLessThanOrEqual(5);
    expect(sandbox.stats().creates).toBe(0);
    const results = readResults(join(dir, 'badkey.results.csv'));
    expect(results.every((r) => r['import_status'] === 'skipped' && r['import_error_code'] === 'unauthorized')).toBe(true);
    expect(JSON.stringify(results)).not.toContain('seam_wrong');
  });

  it('a resume stopped by a wrong key: rows an earlier attempt sent (no answer came) say "Not confirmed", not "Not sent"', async () => {
    sandbox = await startSandbox({port: 0, seed: 6});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'killed.csv'), cleanPeople(3));
    const out = join(dir, 'killed.results.csv');
    await runImport({input, out, endpoint: sandbox.url, apiKey: KEY});
    // As if killed while the three were in flight: sent, made in Seam, no answer recorded.
    const journal = `${out}.journal.jsonl`;
    const sendsOnly = readFileSync(journal, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !/"type":"(done|end|wrote)"/.test(line));
    writeFileSync(journal, `${sendsOnly.join('\n')}\n`);
    rmSync(out);
    const summary = await runImport({input, out, endpoint: sandbox.url, apiKey: 'seam_wrong', resume: true});
    expect(summary.exitCode).toBe(3);
    const results = readResults(out);
    expect(results.map((r) => `${r['import_status']} ${r['import_error_code']}`)).toEqual(Array(3).fill('skipped unauthorized'));
    expect(results[0]!['import_error_message']).toBe(
      'Not confirmed: an earlier attempt sent it and no answer came, so the person may be in Seam: Seam refused the credentials (401) before it could be looked up. Fix the API key or personal access token, then run again with --resume: it looks the person up before sending.',
    );
  });

  it('a dry run with a wrong key: exit 3, and every would_create row says it was not looked up', async () => {
    sandbox = await startSandbox({port: 0, seed: 6});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'badkey.csv'), cleanPeople(5));
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: 'seam_wrong', dryRun: true});
    expect(summary.exitCode).toBe(3);
    // A dry run writes no run record, and names none (--json printed one that was never written).
    expect(summary.journalPath).toBeUndefined();
    expect(existsSync(`${summary.outPath}.journal.jsonl`)).toBe(false);
    const results = readResults(join(dir, 'badkey.results.csv'));
    expect(results.map((r) => r['import_status'])).toEqual(Array(5).fill('would_create'));
    expect(results.map((r) => r['import_error_message'])).toEqual(
      Array(5).fill('Not looked up: Seam refused the credentials (401), so whether this person is in Seam already is not known. Fix the API key or personal access token, then run the dry run again.'),
    );
  });

  it('resumes after an abort: finished rows are not sent again and every row ends created', async () => {
    sandbox = await startSandbox({port: 0, latencyMs: 5, seed: 7});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'stop.csv'), cleanPeople(200));
    const controller = new AbortController();
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 4});
    let seen = 0;
    importer.on('row', () => {
      seen += 1;
      if (seen === 40) controller.abort();
    });
    await importer.prepare();
    const first = await importer.execute({signal: controller.signal});
    expect(first.exitCode).toBe(130);
    expect(first.counts.skipped).toBeGreaterThan(0);
    const firstResults = readResults(join(dir, 'stop.results.csv'));
    expectEveryRowAccounted(firstResults, 200);
    const createdBefore = sandbox.stats().creates;
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `An earlier run into ${join(dir, 'stop.results.csv')} is recorded in ${join(dir, 'stop.results.csv.journal.jsonl')}.`,
    });
    // Another file into the same results: --resume would be refused; the message names the file the record is of.
    const other = writeCsv(join(dir, 'other.csv'), cleanPeople(3, 'o'));
    await expect(runImport({input: other, out: join(dir, 'stop.results.csv'), endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `${join(dir, 'stop.results.csv')} holds the results of an earlier run of another file, ${input} (recorded in ${join(dir, 'stop.results.csv.journal.jsonl')}).`,
      hint: expect.stringMatching(
        /^Pass -o with another path for other\.csv, or --restart to replace that run's results with this one's \(people already in Seam are found by key, email or phone and not created twice; but a row whose email or phone was corrected after its person was created, with no key, would be created again: /,
      ),
    });
    // A record an earlier version wrote (1 to 3) is not resumed: it read some columns and cells otherwise.
    const journalPath = join(dir, 'stop.results.csv.journal.jsonl');
    const record = readFileSync(journalPath, 'utf8');
    expect(record).toContain('"version":4');
    for (const older of [1, 2, 3]) {
      writeFileSync(journalPath, record.replace('"version":4', `"version":${older}`));
      await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
        code: 'journal_mismatch',
        message: expect.stringContaining('was made by an earlier version of seam-import'),
      });
    }
    // One a later version wrote is not called earlier.
    writeFileSync(journalPath, record.replace('"version":4', '"version":5'));
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
      code: 'journal_mismatch',
      message: expect.stringContaining('was made by a later version of seam-import'),
    });
    writeFileSync(journalPath, record);
    const resumed = new Importer({input, endpoint: sandbox.url, apiKey: KEY, resume: true});
    let last: Progress | undefined;
    resumed.on('progress', (p) => (last = p));
    await resumed.prepare();
    const second = await resumed.execute();
    expect(second.exitCode).toBe(0);
    expect(second.counts.created).toBe(200);
    expect(sandbox.stats().creates - createdBefore).toBe(200 - first.counts.created);
    // The progress counts this run's rows against this run's rows to send (it showed 87/2,935 beside "created 152").
    expect(last).toMatchObject({toSend: 200 - first.counts.created, sent: 200 - first.counts.created});
    expect(last!.counts.created).toBe(200 - first.counts.created);
    expectNoOrphans(readResults(join(dir, 'stop.results.csv')), sandbox.identities());
  });

  it('a Ctrl-C that comes after the last row was answered stopped nothing: not "interrupted", no exit 130', async () => {
    sandbox = await startSandbox({port: 0, seed: 24});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'late.csv'), cleanPeople(5));
    const controller = new AbortController();
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, concurrency: 1});
    let answered = 0;
    importer.on('row', () => {
      if (++answered === 5) controller.abort();
    });
    await importer.prepare();
    const summary = await importer.execute({signal: controller.signal});
    expect(controller.signal.aborted).toBe(true);
    expect(summary).toMatchObject({interrupted: false, exitCode: 0, counts: {created: 5, skipped: 0}});
  });

  it('refuses to resume a run against another Seam than the one it was recorded with', async () => {
    sandbox = await startSandbox({port: 0, seed: 17});
    const other = await startSandbox({port: 0, seed: 18});
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'moved.csv'), cleanPeople(3));
      await runImport({input, endpoint: sandbox.url, apiKey: KEY});
      await expect(runImport({input, endpoint: other.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
        code: 'journal_mismatch',
      });
      expect(other.stats().creates).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('rows kept as created whose id the workspace does not list (deleted since) are named in a warning', async () => {
    sandbox = await startSandbox({port: 0, seed: 22});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'moved.csv'), cleanPeople(5));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const ids = readResults(join(dir, 'moved.results.csv')).map((r) => r['user_identity_id']);
    // Four of the five deleted since; the fifth says this is the workspace they were made in.
    for (const id of ids.slice(0, 4)) {
      await deleteIdentity(sandbox.url, id);
    }
    // A dry run's results are written before Seam is asked for the ids: its summary counts them (review).
    const dry = await runImport({input: join(dir, 'moved.results.csv'), out: join(dir, 'dry.csv'), endpoint: sandbox.url, apiKey: KEY, dryRun: true});
    expect(dry.exitCode).toBe(1);
    expect(dry.failures).toEqual([{code: 'not_in_seam', count: 4, example: {row: 1, message: expect.stringContaining("the dry run's results file does not mark such rows") as string}}]);
    const {importer, warnings} = watched({input: join(dir, 'moved.results.csv'), out: join(dir, 'again.csv'), endpoint: sandbox.url, apiKey: KEY});
    const plan = await importer.prepare();
    expect(plan.alreadyDone + plan.existing).toBe(5);
    expect(warnings).toEqual([
      `4 rows are kept as they were (created or existing) with an id the workspace does not list (import_row 1, ${ids[0]}; import_row 2, ${ids[1]}; import_row 3, ${ids[2]}; …): deleted since, or made in another workspace. To create them again, clear import_status in those rows of the file, or import the original spreadsheet (people still in Seam are found, not created twice).`,
    ]);
    // The rows say it too, and the run needs attention: a script reading the results file or the
    // exit code took the four as in Seam (exit 0, status created, no message).
    const summary = await importer.execute();
    expect(summary.exitCode).toBe(1);
    expect(summary.counts).toMatchObject({created: 5});
    expect(summary.failures).toEqual([{code: 'not_in_seam', count: 4, example: {row: 1, message: expect.stringContaining(ids[0]!) as string}}]);
    const rows = readResults(join(dir, 'again.csv'));
    expect(rows.map((r) => [r['import_status'], r['user_identity_id'], r['import_error_code']])).toEqual([
      ...ids.slice(0, 4).map((id) => ['created', id, 'not_in_seam']),
      ['created', ids[4], ''],
    ]);
    expect(rows[0]!['import_error_message']).toBe(
      `Seam no longer has the identity ${ids[0]} this row was created as (deleted since, or made in another workspace). To create the person again, clear import_status in this row and feed the file back.`,
    );
    expect(sandbox.stats().creates).toBe(5);
  });

  it('a resume whose record gives a row an id Seam no longer has marks that row not_in_seam, --restart named, exit 1', async () => {
    sandbox = await startSandbox({port: 0, seed: 23});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'stopped.csv'), cleanPeople(6));
    expect((await stoppedAfter(3, {input, endpoint: sandbox.url, apiKey: KEY})).exitCode).toBe(130);
    const made = readResults(join(dir, 'stopped.results.csv')).filter((r) => r['import_status'] === 'created');
    expect(made.length).toBeGreaterThanOrEqual(3);
    const deleted = made[0]!;
    await deleteIdentity(sandbox.url, deleted['user_identity_id']);
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true});
    expect(summary.exitCode).toBe(1);
    const rows = readResults(join(dir, 'stopped.results.csv'));
    expectEveryRowAccounted(rows, 6);
    expect(rows.filter((r) => r['import_error_code'] === 'not_in_seam').map((r) => r['import_row'])).toEqual([deleted['import_row']]);
    expect(rows.find((r) => r['import_row'] === deleted['import_row'])).toMatchObject({
      import_status: 'created',
      user_identity_id: deleted['user_identity_id'],
      import_error_message: `Seam no longer has the identity ${deleted['user_identity_id']} this row was created as (deleted since, or made in another workspace). To create the person again, import with --restart.`,
    });
    // Not made again: the resume keeps what the record says.
    expect(sandbox.stats().creates).toBe(6);
  });

  // A reviewer's run: killed after row 2 was made, its email's typo fixed in the file, --restart:
  // two Bob Twos in Seam, the first in no results file, and "Every row is in Seam", exit 0, in silence.
  it('--restart says, before its plan, which people the earlier run made no row finds now (a corrected email with no key is made again)', async () => {
    sandbox = await startSandbox({port: 0, seed: 29});
    const dir = tempDir();
    const rows = [['Full Name', 'Email'], ['Ann One', 'ann@example.com'], ['Bob Two', 'bob@exmaple.com'], ['Cy Three', 'cy@example.com']];
    const input = writeCsv(join(dir, 'typo.csv'), rows);
    expect((await runImport({input, endpoint: sandbox.url, apiKey: KEY})).exitCode).toBe(0);
    const bob = readResults(join(dir, 'typo.results.csv'))[1]!['user_identity_id']!;
    writeCsv(input, [...rows.slice(0, 2), ['Bob Two', 'bob@example.com'], ...rows.slice(3)]);
    const {importer, warnings} = watched({input, endpoint: sandbox.url, apiKey: KEY, restart: true});
    await importer.prepare();
    // Said with the plan, before anything is sent: the answer to its question can be no.
    expect(warnings.filter((w) => w.includes('whom no row'))).toEqual([
      `The earlier run recorded here made 1 person whom no row of typo.csv finds now (row 2: ${bob} with email "bob@exmaple.com"). If a row's email or phone was corrected since and it has no key, this run creates that person a second time: stop here (answer no), give that identity the row's details in Seam, then run again. Rows removed or moved on purpose show the same way: then nothing is made twice.`,
    ]);
    // The file unchanged, or another file restarted into the same -o: nothing said.
    const other = writeCsv(join(dir, 'same.csv'), rows);
    await runImport({input: other, endpoint: sandbox.url, apiKey: KEY});
    const same = watched({input: other, endpoint: sandbox.url, apiKey: KEY, restart: true});
    await same.importer.prepare();
    const elsewhere = watched({input, out: join(dir, 'same.results.csv'), endpoint: sandbox.url, apiKey: KEY, restart: true});
    await elsewhere.importer.prepare();
    expect([...same.warnings, ...elsewhere.warnings].filter((w) => w.includes('whom no row'))).toEqual([]);
  });

  it('refuses to resume another file into the same results, naming the file the run imported', async () => {
    sandbox = await startSandbox({port: 0, seed: 21});
    const dir = tempDir();
    const first = writeCsv(join(dir, 'first.csv'), cleanPeople(2));
    const other = writeCsv(join(dir, 'other.csv'), cleanPeople(3, 'q'));
    const out = join(dir, 'shared.results.csv');
    await runImport({input: first, out, endpoint: sandbox.url, apiKey: KEY});
    await expect(runImport({input: other, out, endpoint: sandbox.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
      code: 'journal_mismatch',
      message: `The run recorded in ${out}.journal.jsonl imported ${first}, not ${other}.`,
    });
  });

  it('refuses to resume with options that read rows otherwise (a created row would be judged invalid and lose its id)', async () => {
    sandbox = await startSandbox({port: 0, seed: 19});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'country.csv'), cleanPeople(3));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const before = readFileSync(join(dir, 'country.results.csv'), 'utf8');
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true, defaultCountry: 'GB', map: {full_name: 'Name'}})).rejects.toMatchObject({
      code: 'journal_mismatch',
      message: `The run recorded in ${join(dir, 'country.results.csv.journal.jsonl')} read the file with --default-country US; this one has --default-country GB --map full_name="Name", so rows would not be judged as they were.`,
    });
    // Nothing was sent or rewritten; with the same options the resume goes through.
    expect(readFileSync(join(dir, 'country.results.csv'), 'utf8')).toBe(before);
    const again = await runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true});
    expect(again.counts.created).toBe(3);
    // A dry run never writes over a recorded run's results, --resume or not.
    await expect(runImport({input, dryRun: true, resume: true})).rejects.toMatchObject({code: 'journal_exists'});
  });

  // Run with --default-country MX, then again without it: the refusal offered --restart as finding
  // everyone, and --restart made the phone-only people again under US numbers, without a word.
  it('another --default-country than the recorded run\'s: the refusal says so, and --restart warns that phone-only people would be made again', async () => {
    sandbox = await startSandbox({port: 0, seed: 23});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'mx.csv'), [['Name', 'Phone'], ['Ana', '55 1234 5678'], ['Luis', '33 1234 5678']]);
    const out = join(dir, 'mx.results.csv');
    const first = await runImport({input, out, endpoint: sandbox.url, apiKey: KEY, defaultCountry: 'MX'});
    expect(first.counts.created).toBe(2);
    const journal = `${out}.journal.jsonl`;
    const otherwise = `The run recorded in ${journal} read the file with --default-country MX; this one has --default-country US, so rows would not be judged as they were.`;
    const error = await runImport({input, out, endpoint: sandbox.url, apiKey: KEY}).catch((e: unknown) => e as ImportError);
    expect(error).toMatchObject({code: 'journal_exists'});
    expect((error as ImportError).hint).toContain(
      "pass --restart; with this command's options, people that run made are looked up by key, email or phone as this run reads the rows, and a person not found that way (one with only a phone number, now read as another number) would be created again.",
    );
    // An access system added, the country the same: nobody is found otherwise, and nothing is said of phones.
    const acs = await runImport({input, out, endpoint: sandbox.url, apiKey: KEY, defaultCountry: 'MX', acsSystemIds: [SANDBOX_ACS_SYSTEMS[0]!.acs_system_id]}).catch((e: unknown) => e as ImportError);
    expect((acs as ImportError).hint).toContain(`pass --restart (people already in Seam are found by key, email or phone`);
    const {importer: same, warnings: none} = watched({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true, defaultCountry: 'MX', acsSystemIds: [SANDBOX_ACS_SYSTEMS[0]!.acs_system_id]});
    await same.prepare();
    expect(none.filter((w) => w.includes('With --restart'))).toEqual([]);
    const {importer, warnings} = watched({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true, dryRun: false});
    await importer.prepare();
    expect(warnings[0]).toBe(
      `${otherwise} With --restart, people that run made are looked up by key, email or phone as this run reads the rows, and a person not found that way (one with only a phone number, now read as another number) would be created again.`,
    );
    expect(sandbox.stats().creates).toBe(2);
  });

  // A finished run's results (which rows it created, with their ids) were replaced by --restart's without a trace.
  it('--restart keeps the earlier results file as <out>.old, and says so', async () => {
    sandbox = await startSandbox({port: 0, seed: 9});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(5));
    const out = join(dir, 'people.results.csv');
    await runImport({input, out, endpoint: sandbox.url, apiKey: KEY});
    const before = readFileSync(out, 'utf8');
    const {importer, warnings} = watched({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true});
    await importer.prepare();
    const summary = await importer.execute();
    expect(summary.counts.existing).toBe(5);
    expect(warnings).toContain(`--restart writes ${out} anew; the earlier one is kept as ${out}.old.`);
    expect(readFileSync(`${out}.old`, 'utf8')).toBe(before);
    expect(readResults(`${out}.old`).map((r) => r['import_status'])).toEqual(Array(5).fill('created'));
    expect(readResults(out).map((r) => r['import_status'])).toEqual(Array(5).fill('existing'));
    expect(sandbox.identities()).toHaveLength(5);
  });

  it('takes its own results file back as input: done rows are kept, not sent, columns not doubled', async () => {
    sandbox = await startSandbox({port: 0, seed: 8});
    const dir = tempDir();
    const rows = cleanPeople(20);
    rows[5]![2] = 'broken@';
    const input = writeCsv(join(dir, 'again.csv'), rows);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'again.results.csv'));
    const requests = sandbox.stats().creates;
    const out = join(dir, 'second.csv');
    const summary = await runImport({input: join(dir, 'again.results.csv'), out, endpoint: sandbox.url, apiKey: KEY});
    expect(sandbox.stats().creates).toBe(requests);
    const second = readResults(out);
    expect(Object.keys(second[0]!)).toEqual(Object.keys(first[0]!));
    expect(second.map((r) => [r['import_status'], r['user_identity_id']])).toEqual(
      first.map((r) => [r['import_status'], r['user_identity_id']]),
    );
    expect(summary.counts.created).toBe(19);
  });

  it("a Seam export from another workspace (a user_identity_id column, no import_status) keeps the old ids, copied as \"user_identity_id (input)\" beside the new ones", async () => {
    sandbox = await startSandbox({port: 0, seed: 8});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'export.csv'), [
      ['user_identity_id', 'full_name', 'email_address'],
      ['7d1c4f2e-0000-4000-8000-000000000001', 'Ann Old', 'ann.old@example.com'],
      ['7d1c4f2e-0000-4000-8000-000000000002', 'Bob Old', 'bob.old@example.com'],
    ]);
    const {importer} = watched({input, endpoint: sandbox.url, apiKey: KEY});
    const described: string[] = [];
    importer.on('source', (source) => described.push(...source.mapping));
    await importer.prepare();
    const summary = await importer.execute();
    expect(summary.counts.created).toBe(2);
    expect(described).toContain('"user_identity_id" copied to the results as "user_identity_id (input)": the file is not a results file (no import_status column), and the results file has its own "user_identity_id"');
    const results = readResults(join(dir, 'export.results.csv'));
    // Was dropped ("from an earlier results file: replaced, not copied"): the old → new id pairs were lost.
    expect(Object.keys(results[0]!).slice(0, 4)).toEqual(['user_identity_id (input)', 'full_name', 'email_address', 'import_row']);
    expect(results.map((r) => r['user_identity_id (input)'])).toEqual(['7d1c4f2e-0000-4000-8000-000000000001', '7d1c4f2e-0000-4000-8000-000000000002']);
    expect(results.every((r) => r['import_status'] === 'created' && r['user_identity_id'] && !r['user_identity_id'].startsWith('7d1c4f2e'))).toBe(true);
    // Fed back, that results file is one: the copied column stays as it is, and nothing is sent again.
    const creates = sandbox.stats().creates;
    const again = await runImport({input: join(dir, 'export.results.csv'), out: join(dir, 'again.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(sandbox.stats().creates).toBe(creates);
    expect(again.counts.created).toBe(2);
    expect(Object.keys(readResults(join(dir, 'again.csv'))[0]!)).toEqual(Object.keys(results[0]!));
  });

  it("a semicolon CSV (Excel where the decimal mark is a comma) gets its results with semicolons, so they open in columns there; fed back, nothing is sent again", async () => {
    sandbox = await startSandbox({port: 0, seed: 8});
    const dir = tempDir();
    const input = join(dir, 'de.csv');
    writeFileSync(input, 'Name;E-Mail;Notiz\r\nJürgen Müller;j@example.de;"Gehalt 3.100,50; netto"\r\nÄnne Groß;a@example.de;\r\n');
    const out = join(dir, 'de.results.csv');
    await runImport({input, out, endpoint: sandbox.url, apiKey: KEY});
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFName;E-Mail;Notiz;import_row;import_status;user_identity_id;import_error_code;import_error_message;import_email_address;import_phone_number;import_duplicate_of_row;import_attempts;import_request_id');
    // A cell with a semicolon is quoted; a comma alone needs no quotes here.
    expect(text.split('\r\n')[1]).toMatch(/^Jürgen Müller;j@example\.de;"Gehalt 3\.100,50; netto";1;created;[0-9a-f-]{36};;;j@example\.de;;;1;$/);
    const creates = sandbox.stats().creates;
    const again = await runImport({input: out, out: join(dir, 'again.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(sandbox.stats().creates).toBe(creates);
    expect(again.counts.created).toBe(2);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8').split('\r\n')[0]).toBe(text.split('\r\n')[0]);
  });

  it('a results file whose keys lost their leading zeros (saved by Excel) keeps the ids of rows Seam has, and sends no row whose key may have lost them', async () => {
    sandbox = await startSandbox({port: 0, seed: 8});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'zeros.csv'), [
      ['Key', 'Name', 'Email'],
      ['00042', 'Ana', 'ana@corp.example'],
      ['00043', 'Ben', 'ben@@corp.example'],
      ['E-77', 'Cy', 'cy@@corp.example'],
    ]);
    const out = join(dir, 'zeros.results.csv');
    await runImport({input, out, endpoint: sandbox.url, apiKey: KEY, map: {user_identity_key: 'Key'}});
    const first = readResults(out);
    expect(first.map((r) => r['import_status'])).toEqual(['created', 'invalid', 'invalid']);
    // Opened in Excel, the emails fixed, saved: the keys are numbers now.
    writeFileSync(out, readFileSync(out, 'utf8').replace('00042,', '42,').replace('00043,', '43,').replaceAll('@@', '@'));
    const creates = sandbox.stats().creates;
    const {importer, warnings} = watched({input: out, out: join(dir, 'retry.csv'), endpoint: sandbox.url, apiKey: KEY, map: {user_identity_key: 'Key'}});
    await importer.prepare();
    await importer.execute();
    const retry = readResults(join(dir, 'retry.csv'));
    // Was: row 1 failed/conflict ("its key is 00042 where this row has 42"), row 2 created in Seam with key "43".
    expect(retry.map((r) => [r['import_status'], r['import_error_code']])).toEqual([
      ['created', ''],
      ['invalid', 'invalid_key'],
      ['created', ''],
    ]);
    expect(retry[0]?.['user_identity_id']).toBe(first[0]?.['user_identity_id']);
    expect(retry[1]?.['import_error_message']).toMatch(/^Column "Key" has "43", which may have lost leading zeros: this results file lost them \(import_row 1 has "42", which is "00042" in Seam\)/);
    expect(warnings).toContain('This results file has lost the leading zeros of its keys (import_row 1: "42" here, "00042" in Seam), as Excel does when it opens a CSV and saves it. Rows Seam has keep their ids; a row to send whose key is digits only is not sent (invalid_key): which keys lost zeros cannot be told, and a person must not be made with a wrong key.');
    expect(sandbox.stats().creates).toBe(creates + 1);
    // A key not of digits alone cannot have lost zeros: sent.
    expect(sandbox.identities().map((i) => i.user_identity_key).sort()).toEqual(['00042', 'E-77']);
  });

  it('a results file fed back: a row already in Seam keeps its id even when a row above it now repeats it (fixed, or sorted above it)', async () => {
    sandbox = await startSandbox({port: 0, seed: 9});
    const dir = tempDir();
    // Row 2's phone is broken in the first run; row 3 has the number row 2 was meant to have.
    const input = writeCsv(join(dir, 'fix.csv'), [
      ['user_identity_key', 'email', 'phone', 'name'],
      ['K1', 'a1@example.com', '', 'A'],
      ['K2', '', '555-0124', 'B'],
      ['K3', 'c1@example.com', '+12125550124', 'C'],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'fix.results.csv'));
    expect(first.map((r) => r['import_status'])).toEqual(['created', 'invalid', 'created']);
    const k3 = first[2]!['user_identity_id']!;
    // Fixed in the results file: row 2 now has the phone row 3 was created with.
    const fixed = readFileSync(join(dir, 'fix.results.csv'), 'utf8').replace('K2,,555-0124,', 'K2,,+1 212 555 0124,');
    writeFileSync(join(dir, 'fixed.csv'), fixed);
    const creates = sandbox.stats().creates;
    const summary = await runImport({input: join(dir, 'fixed.csv'), out: join(dir, 'fixed.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(sandbox.stats().creates).toBe(creates);
    const second = readResults(join(dir, 'fixed.results.csv'));
    expect(second.map((r) => [r['import_status'], r['user_identity_id'], r['import_error_code'], r['import_duplicate_of_row']])).toEqual([
      ['created', first[0]!['user_identity_id'], '', ''],
      ['duplicate', '', 'duplicate_phone', '3'],
      ['created', k3, '', ''],
    ]);
    expect(second[1]!['import_error_message']).toBe('Repeats row 3, which is already in Seam: the same phone number in column "phone" ("+12125550124"). Only that row is kept; if this is another person who shares the number (a household or desk phone), give this row its own phone number, or only an email address.');
    expect(summary.counts).toMatchObject({created: 2, duplicate: 1});
    expectNoOrphans(second, sandbox.identities());
  });

  it('a results file sorted by status: a row marked duplicate now above the row Seam has stays the duplicate, not a second row with the same id', async () => {
    sandbox = await startSandbox({port: 0, seed: 9});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'ana.csv'), [
      ['name', 'email', 'phone'],
      ['Ana Ruiz', 'ana@example.com', '+12125550142'],
      ['Ana R', '', '+12125550142'],
      ['Bo Li', 'bo@example.com', ''],
    ]);
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const first = readResults(join(dir, 'ana.results.csv'));
    expect(first.map((r) => r['import_status'])).toEqual(['created', 'duplicate', 'created']);
    // Sorted A→Z by import_status in a spreadsheet: the duplicate first.
    const lines = readFileSync(join(dir, 'ana.results.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter((line) => line !== '');
    const [header, ana, anaR, bo] = lines;
    writeFileSync(join(dir, 'sorted.csv'), `${[header, anaR, ana, bo].join('\r\n')}\r\n`);
    const creates = sandbox.stats().creates;
    const summary = await runImport({input: join(dir, 'sorted.csv'), out: join(dir, 'sorted.results.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(sandbox.stats().creates).toBe(creates);
    const second = readResults(join(dir, 'sorted.results.csv'));
    // Was: both Ana rows existing with the same user_identity_id, and exit 0.
    expect(second.map((r) => [r['import_status'], r['user_identity_id'], r['import_duplicate_of_row']])).toEqual([
      ['duplicate', '', '2'],
      ['created', first[0]!['user_identity_id'], ''],
      ['created', first[2]!['user_identity_id'], ''],
    ]);
    expect(second[0]!['import_error_message']).toMatch(/^Repeats row 2, which is already in Seam: the same phone number/);
    expect(summary.counts).toMatchObject({created: 2, duplicate: 1});
  });

  describe('ids the workspace does not have (credentials of another workspace: two API keys reach one host)', () => {
    /** The same host, another workspace: none of the first workspace's people (deleted through the API). */
    async function emptyTheWorkspace(): Promise<void> {
      for (const identity of sandbox!.identities()) {
        await deleteIdentity(sandbox!.url, identity.user_identity_id);
      }
      expect(sandbox!.identities()).toHaveLength(0);
    }

    it('--resume whose record made people not one of whom is in this workspace is refused before anything is sent, not "Every row is in Seam" with their ids', async () => {
      sandbox = await startSandbox({port: 0, seed: 7});
      const dir = tempDir();
      const input = writeCsv(join(dir, 'ws.csv'), cleanPeople(30));
      const first = await stoppedAfter(5, {input, endpoint: sandbox.url, apiKey: KEY});
      expect(first.counts.created).toBeGreaterThanOrEqual(5);
      await emptyTheWorkspace();
      const creates = sandbox.stats().creates;
      await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
        code: 'other_workspace',
        message: expect.stringMatching(
          new RegExp(`^The run recorded in .*ws\\.results\\.csv\\.journal\\.jsonl made or found people this workspace does not have: all ${first.counts.created} ids it recorded \\(import_row 1: \\S+; import_row 2: \\S+; import_row 3: \\S+; …\\) are missing here\\. The credentials given are likely for another workspace than that run's\\. Nothing was sent\\.$`),
        ),
        hint: expect.stringMatching(/^Resume with the API key \(or personal access token and --workspace-id\) of the workspace that run used\./),
      });
      expect(sandbox.stats().creates).toBe(creates);
      // Was: created 30, "Every row is in Seam.", exit 0, the first rows with ids of the other workspace.
    });

  // A resume moments after a crash, the listing behind: 238 people made seconds before were
  // "deleted since, or made in another workspace", with --restart offered.
  it('kept ids the listing does not show but Seam has when asked by id are not said to be deleted', async () => {
    const seam = await behindSeam();
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'lag.csv'), cleanPeople(3));
      await runImport({input, endpoint: seam.url, apiKey: KEY});
      seam.behind();
      // One of them deleted for real: only that one is said.
      seam.identities.splice(1, 1);
      const {importer, warnings} = watched({input: join(dir, 'lag.results.csv'), out: join(dir, 'lag.again.csv'), endpoint: seam.url, apiKey: KEY});
      await importer.prepare();
      const summary = await importer.execute();
      expect(warnings).toEqual([expect.stringMatching(/^1 row is kept as it was \(created or existing\) with an id the workspace does not list \(import_row 2, mini-2\): deleted since/)]);
      expect(summary.unlisted).toBe(1);
      // Only the one Seam does not have is marked; the two the listing missed are not.
      expect(readResults(join(dir, 'lag.again.csv')).map((r) => r['import_error_code'])).toEqual(['', 'not_in_seam', '']);
      expect(summary.exitCode).toBe(1);
    } finally {
      await seam.close();
    }
  });

  // Review: past the 200 asked for by id, the rest stayed "deleted since", in a warning naming no
  // row; then (second review) nothing was said of them, and people not in Seam passed for created.
  it('more unlisted ids than are asked for by id, every one asked for there: the rest are said to be unchecked, not deleted', async () => {
    const seam = await behindSeam();
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'many.csv'), cleanPeople(250));
      await runImport({input, endpoint: seam.url, apiKey: KEY, concurrency: 20});
      seam.behind();
      const {importer, warnings} = watched({input: join(dir, 'many.results.csv'), out: join(dir, 'many.again.csv'), endpoint: seam.url, apiKey: KEY});
      await importer.prepare();
      const summary = await importer.execute();
      expect(warnings).toEqual([
        "50 more rows are kept as they were (created or existing) with an id the workspace's listing did not show, past the 200 asked for one by one (all of which Seam has: its listing may be behind): check those in Seam before handing the results on.",
      ]);
      expect(summary.unlisted).toBe(50);
    } finally {
      await seam.close();
    }
  });

  it('a results file fed back into a workspace that has none of its people is refused; one whose workspace lost one person goes on, and says which', async () => {
      sandbox = await startSandbox({port: 0, seed: 7});
      const dir = tempDir();
      const input = writeCsv(join(dir, 'fed.csv'), cleanPeople(3));
      await runImport({input, endpoint: sandbox.url, apiKey: KEY});
      const results = join(dir, 'fed.results.csv');
      const ids = readResults(results).map((r) => r['user_identity_id']);
      // One person deleted: the others are here, so this is the workspace; the row says what the listing showed.
      await deleteIdentity(sandbox.url, ids[1]);
      const {importer, warnings} = watched({input: results, out: join(dir, 'again.csv'), endpoint: sandbox.url, apiKey: KEY});
      await importer.prepare();
      expect((await importer.execute()).unlisted).toBe(1);
      expect(warnings.some((w) => w.startsWith(`1 row is kept as it was (created or existing) with an id the workspace does not list (import_row 2, ${ids[1]})`))).toBe(true);
      await emptyTheWorkspace();
      await expect(runImport({input: results, out: join(dir, 'elsewhere.csv'), endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
        code: 'other_workspace',
        message: `${results} is a results file whose rows are in another workspace: all 3 ids it gives its created and existing rows (import_row 1: ${ids[0]}; import_row 2: ${ids[1]}; import_row 3: ${ids[2]}) are missing from this one. Nothing was sent.`,
        hint: expect.stringMatching(/^Import it with the credentials of the workspace it was made in\./),
      });
      expect(existsSync(join(dir, 'elsewhere.csv'))).toBe(false);
      // With --sandbox (a new, empty sandbox each run) there are no such credentials: was the same advice.
      await expect(runImport({input: results, out: join(dir, 'elsewhere.csv'), endpoint: sandbox.url, apiKey: KEY, embedded: true})).rejects.toMatchObject({
        code: 'other_workspace',
        hint: expect.stringMatching(/^With --sandbox every run has a new, empty sandbox: the one that made these rows ended with its run\./),
      });
    });
  });

  it("-o naming another building's results, copied away from their run record, is refused (their rows' ids would be lost); --restart replaces them", async () => {
    sandbox = await startSandbox({port: 0, seed: 31});
    const dir = tempDir();
    const a = writeCsv(join(dir, 'building-a.csv'), cleanPeople(3, 'a'));
    await runImport({input: a, endpoint: sandbox.url, apiKey: KEY});
    const handedOn = join(dir, 'A-final.csv');
    writeFileSync(handedOn, readFileSync(join(dir, 'building-a.results.csv')));
    const b = writeCsv(join(dir, 'building-b.csv'), cleanPeople(1, 'b'));
    const creates = sandbox.stats().creates;
    await expect(runImport({input: b, out: handedOn, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'output_exists',
      message: `${handedOn} holds the results of an earlier run (rows created, with their user_identity_id), and no run record beside it: the results of this one would replace it.`,
    });
    expect(sandbox.stats().creates).toBe(creates);
    expect(readFileSync(handedOn, 'utf8')).toBe(readFileSync(join(dir, 'building-a.results.csv'), 'utf8'));
    // Was: replaced by building B's one row, exit 0. Asked for: replaced.
    await runImport({input: b, out: handedOn, endpoint: sandbox.url, apiKey: KEY, restart: true});
    expect(readResults(handedOn)).toHaveLength(1);
  });

  it('a finished run whose results were fixed by hand: run again, it says the run finished and to import the results; --resume and --restart refuse to write them anew', async () => {
    sandbox = await startSandbox({port: 0, seed: 33});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'fix.csv'), [...cleanPeople(2), ['P-3', 'Three', 'not-an-email', '']]);
    const out = join(dir, 'fix.results.csv');
    expect((await runImport({input, endpoint: sandbox.url, apiKey: KEY})).counts.invalid).toBe(1);
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `The run of fix.csv into ${out} finished (recorded in ${out}.journal.jsonl).`,
      hint: expect.stringMatching(/^To send its failed rows again, or rows fixed in the results file, import the results file: seam-import .*fix\.results\.csv --endpoint http:\/\/127\.0\.0\.1:\d+ -o <new path>/),
    });
    // The invalid row fixed in the results file, as the end of the run said to.
    const fixed = readFileSync(out, 'utf8').replace('not-an-email', 'three@example.com');
    writeFileSync(out, fixed);
    for (const again of [{resume: true}, {restart: true}]) {
      // Were: the results written anew from fix.csv, the fix lost, and the row invalid again.
      await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, ...again})).rejects.toMatchObject({
        code: 'output_exists',
        message: expect.stringMatching(/was changed after the run recorded in .* finished and wrote it .*: --(resume|restart) would write it anew and lose those changes\. Nothing was sent\.$/),
      });
      expect(readFileSync(out, 'utf8')).toBe(fixed);
    }
    const retried = await runImport({input: out, out: join(dir, 'fix.retry.csv'), endpoint: sandbox.url, apiKey: KEY});
    expect(retried.counts).toMatchObject({created: 3});
  });

  // -o /dev/null ("only the JSON") replaced /dev/null itself with a file of people's names (as
  // root); a named pipe at -o hung the run; a link was replaced by the file, not followed.
  it('-o naming a pipe, a device or a symbolic link is refused before anything is read or sent', async () => {
    sandbox = await startSandbox({port: 0, seed: 36});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(2));
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await expect(runImport({input, out: fifo, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'output_unwritable',
      message: `The results path ${fifo} is not a file (a device, a pipe or a socket): the results file is written beside it and renamed into place, which would replace it.`,
    });
    const link = join(dir, 'link.csv');
    symlinkSync(join(dir, 'elsewhere', 'target.csv'), link);
    await expect(runImport({input, out: link, endpoint: sandbox.url, apiKey: KEY, dryRun: true})).rejects.toMatchObject({
      code: 'output_unwritable',
      message: `The results path ${link} is a symbolic link: the results would replace the link, not go where it points.`,
    });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(sandbox.stats().requests).toBe(0);
  });

  // Was "EISDIR … This is a bug in seam-import"; for the lock, only after the plan and the first request.
  it('a folder where the run record or its lock goes is refused before anything is sent, naming it', async () => {
    sandbox = await startSandbox({port: 0, seed: 37});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(2));
    for (const suffix of ['.journal.jsonl', '.journal.jsonl.lock']) {
      const out = join(dir, `folder${suffix.length}.results.csv`);
      mkdirSync(`${out}${suffix}`);
      await expect(runImport({input, out, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
        code: 'output_unwritable',
        message: `${out}${suffix} is a folder, where the ${suffix.endsWith('.lock') ? "run record's lock" : 'run record'} of a run into ${out} goes.`,
        hint: 'Move that folder away (or pass -o with another path). Nothing was sent.',
      });
      expect(existsSync(out)).toBe(false);
    }
    expect(sandbox.stats().requests).toBe(0);
    // --restart keeps the earlier record as .old: a folder there was "EISDIR … a bug" after the plan (review).
    // With no earlier record nothing goes there, and the run goes on (second review).
    const out = join(dir, 'restart.results.csv');
    mkdirSync(`${out}.journal.jsonl.old`);
    expect((await runImport({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true})).exitCode).toBe(0);
    const creates = sandbox.stats().creates;
    await expect(runImport({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true})).rejects.toMatchObject({
      code: 'output_unwritable',
      message: `${out}.journal.jsonl.old is a folder, where the earlier run record of a run into ${out} goes.`,
    });
    expect(sandbox.stats().creates).toBe(creates);
  });

  // The results name fitted, its run record's lock did not: the run stopped after the plan was
  // confirmed, calling itself "a bug in seam-import" (ENAMETOOLONG).
  it('a results file name too long for its run record is refused before anything is read or sent, saying how long a name may be', async () => {
    sandbox = await startSandbox({port: 0, seed: 35});
    const dir = tempDir();
    const input = writeCsv(join(dir, `${'R'.repeat(230)}.csv`), cleanPeople(2));
    const out = join(dir, `${'R'.repeat(230)}.results.csv`);
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'output_unwritable',
      message: `The results file's name is too long: its run record's lock beside it, ${'R'.repeat(30)}…results.csv.journal.jsonl.lock, would have 261 bytes, over the 255 a file name may have.`,
      hint: 'Pass -o with a name of at most 236 bytes. Nothing was sent.',
    });
    expect(existsSync(out)).toBe(false);
    expect(sandbox.stats().requests).toBe(0);
    // A dry run writes no record, but its write probe (and temporary file) carry a process id: the
    // longest one is counted, so that the hint leads to a name that works (review).
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, dryRun: true})).rejects.toMatchObject({
      message: expect.stringMatching(/^The results file's name is too long: its temporary file beside it, .*, would have 257 bytes/),
      hint: 'Pass -o with a name of at most 240 bytes. Nothing was sent.',
    });
    const fits = join(dir, `${'R'.repeat(228)}.results.csv`);
    expect((await runImport({input, out: fits, endpoint: sandbox.url, apiKey: KEY, dryRun: true})).counts.would_create).toBe(2);
  });

  // A --sandbox trial, then the real import: told to import the results file, which was then
  // refused as another workspace's. Only --restart works, and now it is what is said.
  it('a finished run into another Seam (a sandbox trial) says so, and offers --restart, not its results file', async () => {
    sandbox = await startSandbox({port: 0, seed: 37});
    const other = await startSandbox({port: 0, seed: 38});
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'trial.csv'), cleanPeople(2));
      await runImport({input, endpoint: other.url, apiKey: KEY});
      const out = join(dir, 'trial.results.csv');
      await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
        code: 'journal_exists',
        message: `The run of trial.csv into ${out} finished (recorded in ${out}.journal.jsonl) into another Seam, ${new URL(other.url).host} (a sandbox on this machine); this one goes to ${new URL(sandbox.url).host}.`,
        hint: expect.stringMatching(/^To import trial\.csv into .*, pass --restart \(/),
      });
      expect(sandbox.stats().requests).toBe(0);
      expect((await runImport({input, endpoint: sandbox.url, apiKey: KEY, restart: true})).counts.created).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('a finished run whose folder was moved is the same run, not "another file"; one whose results file was renamed says it is not there', async () => {
    sandbox = await startSandbox({port: 0, seed: 34});
    const dir = tempDir();
    const before = join(dir, 'Y1');
    mkdirSync(before);
    writeCsv(join(before, 'people.csv'), cleanPeople(2));
    await runImport({input: join(before, 'people.csv'), endpoint: sandbox.url, apiKey: KEY});
    const after = join(dir, 'Y3');
    renameSync(before, after);
    const out = join(after, 'people.results.csv');
    // Was: "holds the results of an earlier run of another file, …/Y1/people.csv", offering --restart.
    await expect(runImport({input: join(after, 'people.csv'), endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `The run of people.csv into ${out} finished (recorded in ${out}.journal.jsonl).`,
    });
    renameSync(out, join(after, 'people results (final).csv'));
    // Was: "import the results file: seam-import …/people.results.csv", a file no longer there.
    await expect(runImport({input: join(after, 'people.csv'), endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `The run of people.csv into ${out} finished (recorded in ${out}.journal.jsonl); its results file is no longer at ${out} (renamed or moved?).`,
      hint: expect.stringMatching(/import the results file: seam-import <the results file, where it is now> --endpoint http:\/\/127\.0\.0\.1:\d+ -o <new path>/),
    });
    expect(sandbox.stats().creates).toBe(2);
  });

  // A name corrected in the results of a run stopped with Ctrl-C: --resume wrote them anew from the input, the fix gone without a word.
  it('a run stopped part-way whose results were edited since: --resume refuses to write them anew; untouched, it carries on', async () => {
    sandbox = await startSandbox({port: 0, seed: 35});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'cut.csv'), cleanPeople(30));
    const out = join(dir, 'cut.results.csv');
    const stopOnce = async (): Promise<void> => {
      expect((await stoppedAfter(3, {input, endpoint: sandbox!.url, apiKey: KEY, resume: existsSync(`${out}.journal.jsonl`)})).exitCode).toBe(130);
    };
    await stopOnce();
    // Untouched, the resume carries on; stopped again, its results are the ones compared.
    await stopOnce();
    const edited = readFileSync(out, 'utf8').replace('Person p30', 'Person p30 Jr.');
    writeFileSync(out, edited);
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, resume: true})).rejects.toMatchObject({
      code: 'output_exists',
      message: expect.stringMatching(/was changed after the run recorded in .* stopped and wrote it .*: --resume would write it anew and lose those changes\. Nothing was sent\.$/),
      hint: expect.stringMatching(/^To send its fixed and failed rows and the rows the run left, import it: seam-import .*cut\.results\.csv --endpoint http:\/\/127\.0\.0\.1:\d+ -o <new path> \(rows created or existing keep their ids\)/),
    });
    expect(readFileSync(out, 'utf8')).toBe(edited);
  });

  it('a run stopped part-way whose input changed since: the first refusal says so, not "pass --resume" (which would be refused next)', async () => {
    sandbox = await startSandbox({port: 0, seed: 34});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'part.csv'), cleanPeople(30));
    expect((await stoppedAfter(3, {input, endpoint: sandbox.url, apiKey: KEY})).exitCode).toBe(130);
    appendFileSync(input, 'P-99,Late,late@example.com,\r\n');
    await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY})).rejects.toMatchObject({
      code: 'journal_exists',
      message: `An earlier run of part.csv into ${join(dir, 'part.results.csv')} is recorded in ${join(dir, 'part.results.csv.journal.jsonl')}, and part.csv has changed since, so it cannot be resumed.`,
      hint: expect.stringMatching(/^Pass --restart to import the file as it is now/),
    });
  });

  it('-o through a folder that is not there ("nodir/../x.csv") is refused before anything is read or sent, not at the end as a bug', async () => {
    const dir = tempDir();
    const input = writeCsv(join(dir, 'in.csv'), cleanPeople(2));
    await expect(new Importer({input, dryRun: true, out: `${dir}/nodir/../x.csv`}).prepare()).rejects.toMatchObject({
      code: 'output_unwritable',
      message: expect.stringMatching(/^Cannot write the results in .*nodir\/\.\. \(ENOENT\)\.$/),
    });
  });

  it('--resume with no run recorded for -o says so (a mistyped -o would start over in silence)', async () => {
    const dir = tempDir();
    const input = writeCsv(join(dir, 'fresh.csv'), cleanPeople(2));
    const importer = new Importer({input, dryRun: true, resume: true});
    const warnings: string[] = [];
    importer.on('warning', (message) => warnings.push(message));
    await importer.prepare();
    expect(warnings).toEqual([
      `Nothing to resume: no run is recorded for ${join(dir, 'fresh.results.csv')} (no ${join(dir, 'fresh.results.csv.journal.jsonl')}), so this is a new run. Check -o if you meant to continue one.`,
    ]);
  });

  it('a --map with a typo under title lines names the real header\'s columns and line, not a title', async () => {
    const dir = tempDir();
    const input = join(dir, 'title.csv');
    writeFileSync(input, 'Residents - Building A\nExported 2026-11-01\n\nName,Email,Phone,Unit\nAnn Lee,ann@example.com,+12125550199,1A\n');
    await expect(new Importer({input, dryRun: true, map: {email_address: 'Nope'}}).prepare()).rejects.toMatchObject({
      code: 'unknown_column',
      message: '--map email_address="Nope": the file has no column "Nope". Columns found: "Name", "Email", "Phone", "Unit".',
    });
  });

  it('a column of email addresses no header names, beside a phone column that is found, is warned of with the --map to pass', async () => {
    const dir = tempDir();
    const input = join(dir, 'unnamed.csv');
    writeFileSync(input, 'Name,Manager Email,E-mail 1 - Value,Mobile\nAnn Lee,boss@example.com,ann@example.com,+12125550199\nBen Ode,boss@example.com,ben@example.com,+12125550198\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'No header names an email column, but column "E-mail 1 - Value" holds email addresses, which are not imported: pass --map email_address="E-mail 1 - Value" to import them.',
    ]);
    const {importer: named, warnings: none} = watched({input, dryRun: true, map: {email_address: 'E-mail 1 - Value'}});
    await named.prepare();
    expect(none).toEqual([]);
  });

  it('a phone column no header names, its numbers in another country\'s national format, is warned of too (they are not valid under the default country)', async () => {
    const dir = tempDir();
    const input = join(dir, 'fr.csv');
    writeFileSync(input, 'Nom complet,Courriel,Numéro de mobile\nAnn Lee,ann@example.fr,06 12 34 56 78\nBen Ode,ben@example.fr,07 98 76 54 32\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'No header names a phone column, but column "Numéro de mobile" holds phone numbers, which are not imported: pass --map phone_number="Numéro de mobile" to import them.',
    ]);
  });

  it("the command line's notices (SEAM_WORKSPACE_ID ignored beside an API key) are warnings before the plan", async () => {
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(2));
    const {importer, warnings} = watched({input, dryRun: true, notices: ['SEAM_WORKSPACE_ID (ws_1) is ignored.']});
    await importer.prepare();
    expect(warnings).toEqual(['SEAM_WORKSPACE_ID (ws_1) is ignored.']);
  });

  // A Greek file's "Κινητό" was not read and nothing said so: its people were created without phones.
  it('a column of numbers written with a country code is warned of whatever its header; digits alone under an unknown header are not', async () => {
    const dir = tempDir();
    const input = join(dir, 'info.csv');
    writeFileSync(input, 'Name,Email,Info,Badge\nAnn Lee,ann@example.gr,+30 691 234 5601,20145567\nBen Ode,ben@example.gr,0030 691 234 5602,20145568\nCy Dee,cy@example.gr,,20145569\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'No header names a phone column, but column "Info" holds phone numbers, which are not imported: pass --map phone_number="Info" to import them.',
    ]);
    // One switchboard number on every row is not the people's.
    const reception = join(dir, 'reception.csv');
    writeFileSync(reception, 'Name,Email,Reception\nAnn Lee,ann@example.com,+44 20 7946 0000\nBen Ode,ben@example.com,+44 20 7946 0000\nCy Dee,cy@example.com,+44 20 7946 0000\n');
    const {importer: shared, warnings: noneShared} = watched({input: reception, dryRun: true});
    await shared.prepare();
    expect(noneShared).toEqual([]);
    const badges = join(dir, 'badges.csv');
    writeFileSync(badges, 'Name,Email,Badge\nAnn Lee,ann@example.com,2125550101\nBen Ode,ben@example.com,2125550102\n');
    const {importer: other, warnings: none} = watched({input: badges, dryRun: true});
    await other.prepare();
    expect(none).toEqual([]);
  });

  it('--map phone_number=none: a switchboard "Phone" every row shares is not read, so nobody is a duplicate, and no warning asks for it back', async () => {
    const dir = tempDir();
    const input = join(dir, 'report.csv');
    writeFileSync(
      input,
      '"First Name","Last Name","Account Name","Phone","Email"\n"Emma","Thompson","Globex","(212) 555-0100","emma@globex.example"\n"Raj","Singh","Globex","(212) 555-0100","raj@globex.example"\n',
    );
    const {importer: plain} = watched({input, dryRun: true});
    expect(await plain.prepare()).toMatchObject({toCreate: 1, duplicate: 1});
    const {importer, warnings} = watched({input, dryRun: true, map: {phone_number: 'none'}});
    expect(await importer.prepare()).toMatchObject({toCreate: 2, duplicate: 0});
    expect(warnings).toEqual([]);
  });

  it('people the file says have left (a Status of Terminated) are imported like the others, and the check warns, naming the rows', async () => {
    const dir = tempDir();
    const input = join(dir, 'hr.csv');
    writeFileSync(input, 'Name,Email,Employment Status\nAnn,ann@x.com,Active\nBen,ben@x.com,Terminated\nBen again,ben@x.com,Terminated\nCy,,Terminated\n');
    const {importer, warnings} = watched({input, dryRun: true});
    const plan = await importer.prepare();
    expect(plan).toMatchObject({toCreate: 2, duplicate: 1, invalid: 1});
    expect(warnings).toEqual([
      'Column "Employment Status" says "Terminated" in one row (import_row 2): people who have left are imported like the others, and would be given access. To leave that person out, delete the row from the file.',
    ]);
  });

  it('a Workday worker marked "Yuki Tanaka (Terminated)" in the name column is named in the warning (was: imported without a word)', async () => {
    const dir = tempDir();
    const input = join(dir, 'workday.csv');
    writeFileSync(input, 'Worker,Email,Manager\nAnn Lee,ann@x.com,Kim Park (Terminated)\nYuki Tanaka (Terminated),yuki@x.com,Ann Lee\n');
    const {importer, warnings} = watched({input, dryRun: true});
    expect(await importer.prepare()).toMatchObject({toCreate: 2});
    expect(warnings).toEqual([
      'Column "Worker" writes "(Terminated)" after the name in one row (import_row 2): people who have left are imported like the others, and would be given access. To leave that person out, delete the row from the file.',
    ]);
  });

  it('a UK file\'s termination dates (30/09/2025, 13/11/2026) are read day first: those who have left are named, and 05/12/2026 is not taken for 12 May (was: rows 3 and 4 named instead of 1, 2 and 4)', async () => {
    const dir = tempDir();
    const input = join(dir, 'uk.csv');
    writeFileSync(
      input,
      'Employee ID,Name,Email,Mobile,Termination Date,Country\n' +
        'U1,Tom Hughes,tom.hughes@example.co.uk,07911 123457,30/09/2025,United Kingdom\n' +
        'U2,Amy Clarke,amy.clarke@example.co.uk,07911 123458,13/11/2026,United Kingdom\n' +
        'U3,Ben Ward,ben.ward@example.co.uk,07911 123459,05/12/2026,United Kingdom\n' +
        'U4,Cal Ng,cal.ng@example.co.uk,07911 123450,2025-09-30,United Kingdom\n',
    );
    // Without a day over 12 to go by, the country column (no phone column beside it) says how they are written.
    const ambiguous = join(dir, 'uk-ambiguous.csv');
    writeFileSync(ambiguous, 'Name,Email,Termination Date,Country\nAmy Clarke,amy@example.co.uk,03/11/2026,United Kingdom\nBen Ward,ben@example.co.uk,05/12/2026,United Kingdom\n');
    // "Today" is fixed: the tests do not depend on the real date.
    vi.useFakeTimers({toFake: ['Date'], now: new Date(2026, 10, 29)});
    try {
      const uk = watched({input, dryRun: true, defaultCountry: 'GB'});
      await uk.importer.prepare();
      expect(uk.warnings).toEqual([
        'Column "Termination Date" has a date that has come in 3 rows (import_row 1, 2, 4): people who have left are imported like the others, and would be given access. To leave them out, delete those rows from the file.',
      ]);
      const guessed = watched({input: ambiguous, dryRun: true});
      await guessed.importer.prepare();
      expect(guessed.warnings).toEqual([
        'Column "Termination Date" has a date that has come in one row (import_row 1): people who have left are imported like the others, and would be given access. To leave that person out, delete the row from the file. Column "Termination Date" has dates that read two ways, such as "05/12/2026": they were read day first (2026-12-05), as the people are outside the US (by their country or phone number). Read month first (2026-05-12), whether the person has left would change in one row (import_row 2).',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a workbook read from its first sheet warns of its other visible sheets (people on a second sheet are not left out silently)', async () => {
    const dir = tempDir();
    const input = join(dir, 'two-sheets.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Property Contacts').addRows([['Name', 'Email'], ['Manager', 'manager@example.com']]);
    wb.addWorksheet('Residents').addRows([['Name', 'Email'], ['Ada', 'ada@example.com']]);
    wb.addWorksheet('Lists', {state: 'hidden'}).addRows([['Unit'], ['1A']]);
    // Excel's default empty sheets are nothing to point to, nor one whose rows carry only formatting.
    wb.addWorksheet('Sheet2');
    const styled = wb.addWorksheet('Sheet3');
    for (let r = 1; r <= 200; r++) styled.getRow(r).getCell(1).fill = {type: 'pattern', pattern: 'solid', fgColor: {argb: 'FFFFFF00'}};
    await wb.xlsx.writeFile(input);
    const warningsOf = async (sheet?: string): Promise<string[]> => {
      const {importer, warnings} = watched({input, dryRun: true, sheet});
      await importer.prepare();
      return warnings;
    };
    expect(await warningsOf()).toEqual([
      'Only worksheet "Property Contacts" (the first) is imported; the workbook also has "Residents". If people are on another sheet, import it too with --sheet "Residents" and another --out.',
    ]);
    expect(await warningsOf('Residents')).toEqual([]);
  });

  it('a total, a heading or a printed-by line among the people is invalid as not_a_person, not as a person missing a contact', async () => {
    const dir = tempDir();
    const input = join(dir, 'report.csv');
    writeFileSync(
      input,
      'Unit,Name,Email,Phone,Building\nFloor 2,,,,\n201,Ann Lee,ann@x.com,,\n,Total Residents: 1,,,\nPrinted by jdoe on 3/31/2024,,,,\n202,Bob Ray,,,\n203,Wing Chan,,,\n204,Jane Roe,,,Tower 2\n',
    );
    const summary = await runImport({input, dryRun: true});
    expect(summary.counts).toMatchObject({would_create: 1, invalid: 6});
    const results = readResults(join(dir, 'report.results.csv'));
    // A person without a contact stays missing_contact, whatever their name or building says.
    expect(results.map((r) => r['import_error_code'])).toEqual(['not_a_person', '', 'not_a_person', 'not_a_person', 'missing_contact', 'missing_contact', 'missing_contact']);
    expect(results[2]!['import_error_message']).toBe(
      'Not a person: this row reads as a total, a heading or a note ("Total Residents: 1"), with no email address or phone number. Nothing to import; delete the row from the file to clear this.',
    );
    // No name column recognised ("Resident"): a row that starts with a person is a person.
    writeFileSync(input, 'Resident,Building,Unit,Email,Phone\nJohn Poe,Building A,102,,\nBuilding B,,,,\nResidents - Building C,,,,\nTower 2: Tenants,,,,\nOccupied Units: 44,,,,\n');
    await runImport({input, dryRun: true, out: join(dir, 'resident.csv')});
    // A section heading that names who is listed (was missing_contact) is one too; so is Yardi's "Occupied Units: 44" footer.
    expect(readResults(join(dir, 'resident.csv')).map((r) => r['import_error_code'])).toEqual(['missing_contact', 'not_a_person', 'not_a_person', 'not_a_person', 'not_a_person']);
    // Fed back in, the results file's rows are judged alike: its import columns (status, code, message) are not the row's cells.
    const again = join(dir, 'again.csv');
    await runImport({input: join(dir, 'report.results.csv'), dryRun: true, out: again});
    expect(readResults(again).map((r) => r['import_error_code'])).toEqual(['not_a_person', '', 'not_a_person', 'not_a_person', 'missing_contact', 'missing_contact', 'missing_contact']);
  });

  it('a row that repeats the header (two lists pasted one under the other) is not_a_person, not an invalid email', async () => {
    const dir = tempDir();
    const rows = cleanPeople(2);
    const input = writeCsv(join(dir, 'pasted.csv'), [...rows, rows[0]!, ...cleanPeople(4).slice(3)]);
    const out = join(dir, 'pasted.results.csv');
    await runImport({input, out, dryRun: true});
    const results = readResults(out);
    expect(results.map((r) => r['import_status'])).toEqual(['would_create', 'would_create', 'invalid', 'would_create', 'would_create']);
    // Was: Column "Email" has "Email" which is not an email address.
    expect(results[2]).toMatchObject({
      import_error_code: 'not_a_person',
      import_error_message: 'Not a person: this row repeats the header ("Employee ID", "Full Name", "Email", "Phone"): a second header row, or two lists pasted one under the other. Nothing to import; delete the row from the file to clear this.',
    });
  });

  it('a quote left open in a name (closed on a later line) makes the row malformed_row, not a person made with the next person\'s email and phone', async () => {
    const dir = tempDir();
    const input = join(dir, 'quote.csv');
    writeFileSync(
      input,
      'Employee ID,Name,Email,Phone\nE1,Ann,a1@example.com,+12125550101\nE2,"Bob,a2@example.com,+12125550102\nE3,Cy",a3@example.com,+12125550103\nE4,Di,a4@example.com,+12125550104\n',
    );
    const out = join(dir, 'quote.results.csv');
    await runImport({input, out, dryRun: true});
    const results = readResults(out);
    expect(results.map((r) => r['import_status'])).toEqual(['would_create', 'invalid', 'would_create']);
    expect(results[1]).toMatchObject({
      import_error_code: 'malformed_row',
      import_error_message:
        'Line 3: column "Name" runs over 2 lines and holds comma-separated values with an email address or a phone number ("Bob,a2@example.com,+12125550102\\nE3,Cy"): most likely a quote (") in it is not closed, and the lines after it were read into this row, their people with it. Close the quote (or remove it) and import again.',
    });
    // In a column not read (a note): the next person was lost without a word.
    const notes = join(dir, 'notes.csv');
    writeFileSync(notes, 'Employee ID,Name,Email,Phone,Notes\nE1,Ann,a1@example.com,+12125550101,ok\nE2,Bob,a2@example.com,+12125550102,"Prefers Bobby\nE3,Cy,a3@example.com,+12125550103,ok\nE4,Di,a4@example.com,+12125550104,ok"\n');
    await runImport({input: notes, out: join(dir, 'notes.results.csv'), dryRun: true});
    expect(readResults(join(dir, 'notes.results.csv')).map((r) => r['import_error_code'])).toEqual(['', 'malformed_row']);
    // An address, a name over two lines (co-tenants), a note with a comma: people, not swallowed rows.
    const legit = join(dir, 'legit.csv');
    writeFileSync(
      legit,
      'Unit,Name,Email,Address,Notes\n101,"Doe, Jane\nDoe, John",doe@example.com,"12 High St\nFlat 3, Leeds","call after 5, not before\nthanks, J"\n102,Ann Lee,ann@example.com,"1 Main St, Apt 2\nSpringfield, IL 62701",\n',
    );
    await runImport({input: legit, out: join(dir, 'legit.results.csv'), dryRun: true});
    expect(readResults(join(dir, 'legit.results.csv')).map((r) => r['import_status'])).toEqual(['would_create', 'would_create']);
  });

  it('headers saved decomposed (a Mac\'s) are read, and the results file keeps them as they were written', async () => {
    const dir = tempDir();
    const input = join(dir, 'mac.csv');
    writeFileSync(input, 'Pre\u0301nom,Nom,Te\u0301le\u0301phone portable,Courriel\nAnn,Lee,+33 6 12 34 56 78,ann@example.fr\n');
    const out = join(dir, 'mac.results.csv');
    await runImport({input, out, dryRun: true});
    expect(readFileSync(out, 'utf8').split(/\r?\n/)[0]).toMatch(/^(?:\uFEFF)?Pre\u0301nom,Nom,Te\u0301le\u0301phone portable,Courriel,import_row/);
    expect(readResults(out)[0]).toMatchObject({import_status: 'would_create', import_phone_number: '+33612345678'});
  });

  it("SuccessFactors' second header row (the labels under the field ids) is not_a_person, not an invalid email", async () => {
    const dir = tempDir();
    const input = join(dir, 'sf.csv');
    writeFileSync(
      input,
      [
        'STATUS,USERID,FIRSTNAME,LASTNAME,EMAIL,CELL_PHONE',
        'Status,User ID,First Name,Last Name,Email,Cell Phone',
        'active,cgrand,Carla,Grand,carla.grand@bestrun.example,+1 610 555 0101',
        // A person whose cells only look like labels in one column is still a person.
        'active,email,Eve,Mail,email@bestrun.example,+1 610 555 0102',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'sf.results.csv');
    await runImport({input, out, dryRun: true});
    const results = readResults(out);
    expect(results.map((r) => r['import_status'])).toEqual(['invalid', 'would_create', 'would_create']);
    expect(results[0]).toMatchObject({
      import_error_code: 'not_a_person',
      import_error_message: 'Not a person: this row repeats the header ("EMAIL", "CELL_PHONE"): a second header row, or two lists pasted one under the other. Nothing to import; delete the row from the file to clear this.',
    });
  });

  it("a report's footer (Salesforce's copyright and confidentiality lines) and a roster's empty units are not people", async () => {
    const dir = tempDir();
    const input = join(dir, 'report.csv');
    writeFileSync(
      input,
      [
        'Unit,Name,Email,Phone',
        '101,Ann Lee,ann@x.com,',
        '102,VACANT,,',
        '103,Model unit - do not issue keys,,',
        'Occupied: 1 of 3,,,',
        'Grand Totals (1 record),,,',
        // Salesforce's footer names the report first.
        '"Contacts & Accounts Report",,,',
        '"Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.",,,',
        'Confidential Information - Do Not Distribute,,,',
        '© 2025 Acme Property Management,,,',
        '104,Vacant Smith,,',
        '',
      ].join('\n'),
    );
    await runImport({input, dryRun: true});
    const codes = readResults(join(dir, 'report.results.csv')).map((r) => r['import_error_code']);
    // "Vacant Smith" is a name, so a person missing a contact.
    expect(codes).toEqual(['', ...Array(8).fill('not_a_person'), 'missing_contact']);
  });

  // A rent roll's empty unit keeps its beds, area and rent: it was missing_contact ("has no email
  // address and no phone number … Seam needs one"), as if a person's details were to be found.
  it("a rent roll's empty unit with its other cells filled is not a person either", async () => {
    const dir = tempDir();
    const input = join(dir, 'rent-roll.csv');
    writeFileSync(
      input,
      [
        'Unit,Resident Name,Email,Phone,Beds,Baths,SqFt,Market Rent,Lease Start',
        '101,Ann Lee,ann@x.com,,1,1,650,1250.00,2025-01-01',
        '105,VACANT,,,2,1,850,1450.00,',
        '106,Model Unit,,,2,2,900,1500.00,',
        '107,Dan Poe,,,1,1,650,1250.00,2025-03-01',
        '',
      ].join('\n'),
    );
    await runImport({input, dryRun: true});
    const results = readResults(join(dir, 'rent-roll.results.csv'));
    expect(results.map((r) => r['import_error_code'])).toEqual(['', 'not_a_person', 'not_a_person', 'missing_contact']);
    expect(results[1]?.['import_error_message']).toBe('Not a person: this row reads as a total, a heading or a note ("VACANT"), with no email address or phone number. Nothing to import; delete the row from the file to clear this.');
  });

  it("a person whose number is only in a second phone column (Min-jun's in \"Mobile No.\") is warned of before anything is sent, with the --map that takes it", async () => {
    const dir = tempDir();
    const input = join(dir, 'roster.csv');
    writeFileSync(
      input,
      [
        'Name,Email,Cell,Primary Phone,Mobile No.',
        'Ann,ann@x.com,+1 212 555 0101,,',
        'Min-jun Kim,minjun@x.com,,,+82 10-1234-5678',
        'Ben,,,+1 212 555 0102,',
        'Bad,not-an-email,,,+1 212 555 0103',
        '',
      ].join('\n'),
    );
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    // Ben's row is invalid for want of a contact in "Cell" and says so itself; the invalid row is not counted either.
    expect(warnings).toEqual([
      'Column "Cell" is empty in one row (import_row 2) where column "Mobile No." has a phone number: that person is imported without it. To read it from "Mobile No." instead, pass --map phone_number="Mobile No."; or fill "Cell" in that row.',
    ]);
  });

  it('a person whose number or address is only in a column no alias names ("Home Phone", "Alternate Email") is warned of too, where the cell holds one', async () => {
    const dir = tempDir();
    const input = join(dir, 'buildium.csv');
    writeFileSync(
      input,
      [
        'Name,Email,Mobile,Home Phone,Alternate Email,Cell Carrier,Manager Email,Email Opt-In',
        'Ann Lee,ann@x.com,,(212) 555-0101,,,boss@x.com,Yes',
        'Cy Dunn,,(212) 555-0102,,cy@alt.com,Verizon,,No',
        // Empty in the used columns, but nothing a phone or an address in the others: no warning for these.
        'Bo Li,,(212) 555-0103,,,AT&T,boss@x.com,Yes',
        'Di Ng,di@x.com,,n/a,,Verizon,,',
        '',
      ].join('\n'),
    );
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Column "Mobile" is empty in one row (import_row 1) where column "Home Phone" has a phone number: that person is imported without it. To read it from "Home Phone" instead, pass --map phone_number="Home Phone"; or fill "Mobile" in that row.',
      'Column "Email" is empty in one row (import_row 2) where column "Alternate Email" has an email address: that person is imported without it. To read it from "Alternate Email" instead, pass --map email_address="Alternate Email"; or fill "Email" in that row.',
    ]);
    // Someone else's or a shared number is not offered (a --map would give it to everyone, or to the
    // wrong person); each warning names the column its own rows' values are in.
    writeFileSync(
      input,
      [
        'Tenant Name,Email,Mobile,Property Phone,Roommate Phone,Co-Tenant Email,Company Email,Home Phone,Phone 2',
        'Ann One,ann@x.com,,(212) 555-0100,(212) 555-0199,,,,(212) 555-0102',
        'Cat Three,,(212) 555-0103,(212) 555-0100,,cat.roomie@x.com,billing@acme.example,,',
        'Eve Five,eve@x.com,,(212) 555-0100,,,,(212) 555-0105,',
        '',
      ].join('\n'),
    );
    const {importer: shared, warnings: own} = watched({input, dryRun: true, out: join(dir, 'shared.csv')});
    await shared.prepare();
    expect(own).toEqual([
      'Column "Mobile" is empty in one row (import_row 1) where column "Phone 2" has a phone number: that person is imported without it. To read it from "Phone 2" instead, pass --map phone_number="Phone 2"; or fill "Mobile" in that row.',
      'Column "Mobile" is empty in one row (import_row 3) where column "Home Phone" has a phone number: that person is imported without it. To read it from "Home Phone" instead, pass --map phone_number="Home Phone"; or fill "Mobile" in that row.',
    ]);
  });

  it('a column of labelled numbers where few are mobiles (AppFolio\'s "Phone Numbers": "Work: …", "Mobile: …") is still said to hold phone numbers', async () => {
    const dir = tempDir();
    const input = join(dir, 'appfolio.csv');
    writeFileSync(input, 'Unit,Phone Numbers,Emails\n#101,Mobile: (303) 772-6802,noah@x.com\n#102,Work: (512) 627-5743,hannah@x.com\n#104,"Home: (212) 381-9095, Work: (212) 381-9096",lucas@x.com\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'No header names a phone column, but column "Phone Numbers" holds phone numbers, which are not imported: pass --map phone_number="Phone Numbers" to import them.',
    ]);
  });

  it('names written "Last, First" (a rent roll) are warned of before anything is sent; "Acme, Inc." in a name column is one too, but a plain name is not', async () => {
    const dir = tempDir();
    const input = join(dir, 'rentroll.csv');
    writeFileSync(input, 'Tenant Name,Email\n"Johnson, Harper",h@x.com\nAnn Lee,a@x.com\n"Lopez, Ana María",l@x.com\n"Bad, Email",not-an-email\n"O\'Neil-Smith, Mary Kate",m@x.com\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Column "Tenant Name" has names written "Last, First" in 3 of 4 rows (import_row 1, 3, 5), such as "Johnson, Harper": they are sent as written, and Seam shows them so. To send "First Last", split the column into first and last names and pass --map first_name="…" --map last_name="…".',
    ]);
    const summary = await importer.execute();
    expect(readResults(summary.outPath).map((r) => r['Tenant Name'])).toEqual(['Johnson, Harper', 'Ann Lee', 'Lopez, Ana María', 'Bad, Email', "O'Neil-Smith, Mary Kate"]);
    writeFileSync(input, 'Name,Email\nAnn Lee,a@x.com\nBo Li,b@x.com\n"John Smith, Jr.",j@x.com\n"Ann Lee, PhD",p@x.com\n');
    const {importer: plain, warnings: none} = watched({input, dryRun: true, out: join(dir, 'plain.csv')});
    await plain.prepare();
    expect(none).toEqual([]);
  });

  it('"Ethan Dubois, Ava Clark" (two words each side of the comma) is warned of as "Last, First" that may name two people; "Van Dyke, Mary Ann" is only "Last, First"', async () => {
    const dir = tempDir();
    const input = join(dir, 'appfolio.csv');
    writeFileSync(input, 'Tenant Name,Email\n"Ethan Dubois, Ava Clark",ava@x.com\n"Doe, Jane",jane@x.com\n"Van Dyke, Mary Ann",mary@x.com\n"Sofia MacDonald, Hannah Nakamura",h@x.com\nPlain Person,p@x.com\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Column "Tenant Name" has names written "Last, First" in 4 of 5 rows (import_row 1, 2, 3, 4), such as "Doe, Jane": they are sent as written, and Seam shows them so. To send "First Last", split the column into first and last names and pass --map first_name="…" --map last_name="…". 2 of them (import_row 1, 4), such as "Ethan Dubois, Ava Clark", may instead name two people, one each side of the comma, unless the first part is a two-word surname (as in "García López, Ana María"): if so, each row makes one identity, with the row\'s email and phone, and the second person gets none; put each person on a row of their own, with their own email or phone.',
    ]);
  });

  it('co-tenants named in one cell ("John Smith & Jane Doe") are warned of: one identity is made, the second person gets none', async () => {
    const dir = tempDir();
    const input = join(dir, 'units.csv');
    writeFileSync(input, 'Resident Name,Unit,Email\nJohn Smith & Jane Doe,101,john@x.com\nAnn Lee,102,ann@x.com\nCarlos and Marisol Vega,103,vega@x.com\nMr & Mrs Okafor,104,okafor@x.com\nAlexander Anderson,105,alex@x.com\nBo Li,106,\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Column "Resident Name" seems to name two people in 3 of 5 rows (import_row 1, 3, 4), such as "John Smith & Jane Doe": each row makes one identity, with the row\'s email and phone, so the second person gets none. To give each person access, put them on rows of their own, each with their own email or phone (a company\'s name, such as "Barnes and Noble", is one tenant: nothing to do).',
    ]);
    // Companies renting a unit are one tenant each.
    writeFileSync(input, 'Resident Name,Unit,Email\nJohnson & Johnson,201,jj@x.com\nProcter & Gamble Co.,202,pg@x.com\nSmith & Wesson LLC,203,sw@x.com\nSand and Stone Cafe,204,ss@x.com\n');
    const {importer: companies, warnings: none} = watched({input, dryRun: true, out: join(dir, 'companies.csv')});
    await companies.prepare();
    expect(none).toEqual([
    ]);
  });

  it('names whose letters were saved as "?" (PowerShell\'s Export-Csv, a code page CSV) are warned of: they are sent as written', async () => {
    const dir = tempDir();
    const input = join(dir, 'ps.csv');
    writeFileSync(input, '"DisplayName","Mail","MobilePhone"\n"J?rg Ma?mann","JoergM@contoso.com","+49 170 7654321"\n"?? ??","TaroT@contoso.com","+81 90-1234-5678"\n"Ann Lee?","ann@contoso.com",""\n"Bo Li","bo@contoso.com",""\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Column "DisplayName" has "?" in place of letters in 2 of 4 rows (import_row 1, 2), such as "J?rg Ma?mann": the file was saved in an encoding without those letters (Windows PowerShell\'s Export-Csv writes ASCII; Excel\'s plain "CSV" writes its code page), and they are lost. They are sent as written; to keep the names, export the file again as UTF-8 (Export-Csv -Encoding utf8; Excel: "CSV UTF-8").',
    ]);
  });

  it('the same for a name in First Name and Last Name columns (the common HR layout): letters lost to "?", two people in one row', async () => {
    const dir = tempDir();
    const input = join(dir, 'parts.csv');
    writeFileSync(input, 'First Name,Last Name,Email\nJ?rg,Ma?mann,j@example.de\n?ukasz,Wi?niewski,l@example.pl\nAnn,Lee?,ann@example.com\nCarlos and Marisol,Vega,cv@example.com\nBo,Li,bo@example.com\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Columns "First Name" and "Last Name" seem to name two people in one row (import_row 4), such as "Carlos and Marisol Vega": each row makes one identity, with the row\'s email and phone, so the second person gets none. To give each person access, put them on rows of their own, each with their own email or phone (a company\'s name, such as "Barnes and Noble", is one tenant: nothing to do).',
      'Columns "First Name" and "Last Name" have "?" in place of letters in 2 of 5 rows (import_row 1, 2), such as "J?rg Ma?mann": the file was saved in an encoding without those letters (Windows PowerShell\'s Export-Csv writes ASCII; Excel\'s plain "CSV" writes its code page), and they are lost. They are sent as written; to keep the names, export the file again as UTF-8 (Export-Csv -Encoding utf8; Excel: "CSV UTF-8").',
    ]);
    // Parts are never "Last, First": a comma in a last name says nothing of the order.
    writeFileSync(input, 'First Name,Last Name,Email\nRamon,"Ortiz, Jr.",r@example.com\nAnn,"Lee, PhD",ann@example.com\n');
    const {importer: suffixes, warnings: none} = watched({input, dryRun: true, out: join(dir, 'suffixes.csv')});
    await suffixes.prepare();
    expect(none).toEqual([]);
  });

  it('keys that are all decimals ending ".0" (a pandas export), or shown in a Number format, are sent as written, with a warning', async () => {
    const dir = tempDir();
    const input = join(dir, 'pandas.csv');
    writeFileSync(input, 'Employee ID,Name,Email\n1001.0,Ann,ann@x.com\n1002.0,Ben,ben@x.com\n,Cy,cy@x.com\n');
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      'Every key in column "Employee ID" ends in ".0" ("1001.0"): a script (pandas, for one) wrote whole numbers as decimals. They are sent as written; if your other systems say "1001", fix the export (or remove the ".0") and import again.',
    ]);
    const summary = await importer.execute();
    expect(readResults(summary.outPath).map((r) => r['Employee ID'])).toEqual(['1001.0', '1002.0', '']);
    // A Number format's decimals ("0.00") and thousands separators ("#,##0"), as a workbook shows them: said too.
    writeFileSync(input, 'Employee ID,Name,Email\n2014.00,Ann,ann@x.com\n2015.00,Ben,ben@x.com\n');
    const {importer: formatted, warnings: decimals} = watched({input, dryRun: true, out: join(dir, 'formatted.csv')});
    await formatted.prepare();
    expect(decimals).toEqual([
      'Every key in column "Employee ID" is a whole number written with decimals ("2014.00"): the spreadsheet shows the column in a Number format. They are sent as written; if your other systems say "2014", format the column as Text or General, export again and import.',
    ]);
    writeFileSync(input, 'Employee ID,Name,Email\n"1,234,567",Ann,ann@x.com\n"2,000,001",Ben,ben@x.com\n3.0,Cy,cy@x.com\n');
    const {importer: grouped, warnings: separators} = watched({input, dryRun: true, out: join(dir, 'grouped.csv')});
    await grouped.prepare();
    expect(separators).toEqual([
      'Every key in column "Employee ID" is a whole number written with decimals or thousands separators ("1,234,567"): the spreadsheet shows the column in a Number format. They are sent as written; if your other systems say "1234567", format the column as Text or General, export again and import.',
    ]);
    // ".0" beside ".00": not pandas' ".0" alone.
    writeFileSync(input, 'Employee ID,Name,Email\n1001.0,Ann,ann@x.com\n2014.00,Ben,ben@x.com\n');
    const {importer: mixedDecimals, warnings: mixedSaid} = watched({input, dryRun: true, out: join(dir, 'mixed-decimals.csv')});
    await mixedDecimals.prepare();
    expect(mixedSaid).toEqual([expect.stringMatching(/^Every key in column "Employee ID" is a whole number written with decimals \("1001\.0"\)/)]);
    // One ordinary key among them: no warning.
    writeFileSync(input, 'Employee ID,Name,Email\n1001.0,Ann,ann@x.com\nE-7,Ben,ben@x.com\n');
    const {importer: mixed, warnings: none} = watched({input, dryRun: true, out: join(dir, 'mixed.csv')});
    await mixed.prepare();
    expect(none).toEqual([]);
  });

  it('empty rows between the people are counted in the check, so that none seems lost (import_row keeps counting them)', async () => {
    const dir = tempDir();
    const input = join(dir, 'gaps.csv');
    writeFileSync(input, 'Name,Email\nAda,a@x.com\n\n,\nBob,b@x.com\n\n\n');
    const importer = new Importer({input, dryRun: true});
    const checks: Array<{rowsRead: number; blank?: number}> = [];
    importer.on('checking', (c) => checks.push({rowsRead: c.rowsRead, blank: c.blank}));
    await importer.prepare();
    // The trailing empty lines are the end of the file, not gaps.
    expect(checks.at(-1)).toEqual({rowsRead: 2, blank: 2});
    const {checkSummary} = await import('../src/report/format.js');
    expect(checkSummary({rowsRead: 2, invalid: 0, duplicate: 0, blank: 2, samples: []})).toBe('Checked 2 rows (2 empty rows between them left out): 0 invalid, 0 duplicates');
  });

  it('says that --sheet is ignored for a text file', async () => {
    const dir = tempDir();
    const input = writeCsv(join(dir, 'sheet.csv'), cleanPeople(2));
    const importer = new Importer({input, dryRun: true, sheet: 'Staff'});
    const warnings: string[] = [];
    importer.on('warning', (message) => warnings.push(message));
    await importer.prepare();
    expect(warnings).toEqual([expect.stringContaining('--sheet Staff is ignored')]);
  });

  it('a first worksheet with no people (a cover page) names the other sheets and the --sheet to pass', async () => {
    const dir = tempDir();
    const input = join(dir, 'cover.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['Building A migration']);
    const residents = wb.addWorksheet('Residents');
    residents.addRow(['Name', 'Email']);
    residents.addRow(['Ada', 'ada@example.com']);
    await wb.xlsx.writeFile(input);
    await expect(new Importer({input, dryRun: true}).prepare()).rejects.toMatchObject({
      code: 'no_contact_column',
      message: 'No row among the first 25 names an email or a phone column; the first, "Building A migration", reads as a title. That is the first worksheet, "Cover"; the workbook also has "Residents".',
      hint: expect.stringMatching(/^Pass --sheet "Residents" if the people are there\. If the header row is further down, delete the rows above it/),
    });
    expect((await new Importer({input, dryRun: true, sheet: 'Residents'}).prepare()).total).toBe(1);
  });

  it('UTF-8 with one line from a Windows program: the rest keeps its accents, and the row with the stray byte is invalid (unreadable_text), said before the plan', async () => {
    const dir = tempDir();
    const input = join(dir, 'mixed.csv');
    const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
    writeFileSync(
      input,
      Buffer.concat([
        utf8('Name,Email,Notes\r\nJosé Núñez,jose@example.com,Élève\r\nZoë Brontë,zoe@example.com,Crème brûlée\r\n'),
        iconv.encode('Jürgen Müller,juergen@example.com,\r\n', 'windows-1252'),
        utf8('Ana,ana@example.com,Café crème\r\n'),
        Buffer.from([0x42, 0x6f, 0x62, 0x2c, 0x62, 0x6f, 0x62, 0x40, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x39, 0xb0, 0x0d, 0x0a]),
      ]),
    );
    const out = join(dir, 'mixed.results.csv');
    const {importer, warnings} = watched({input, out, dryRun: true});
    await importer.prepare();
    await importer.execute();
    expect(warnings[0]).toMatch(/^mixed\.csv is UTF-8 but for a few bytes that are not/);
    const results = readResults(out);
    expect(results.map((r) => [r['Name'], r['import_status'], r['import_error_code']])).toEqual([
      ['José Núñez', 'would_create', ''],
      ['Zoë Brontë', 'would_create', ''],
      ['J\uFFFDrgen M\uFFFDller', 'invalid', 'unreadable_text'],
      ['Ana', 'would_create', ''],
      ['Bob', 'would_create', ''],
    ]);
    expect(results[2]?.['import_error_message']).toMatch(/^Column "Name" has "J\uFFFDrgen M\uFFFDller": the file's bytes there are not text in its encoding/);
    expect(results[4]?.['Notes']).toBe('9\uFFFD');
  });

  // An Italian export's mobiles without +39 were all valid US numbers (other people's), and nothing said so.
  it('numbers without + read as US numbers while their rows\' emails are in another country: said before the plan, naming --default-country', async () => {
    const dir = tempDir();
    const input = join(dir, 'it.csv');
    writeFileSync(
      input,
      'Matricola;Cognome;Nome;Indirizzo e-mail;Cellulare\n0001;Rossi;Mario;mario.rossi@ditta.it;331 765 4321\n0002;Bianchi;Anna;anna@ditta.it;339 555 1212\n0003;Verdi;Luca;luca@gmail.com;320 444 5566\n0004;Neri;Sara;sara@ditta.it;+39 320 444 5567\n0005;Blu;Gia;gia@ditta.it;321 444 5568\n',
    );
    const {importer, warnings} = watched({input, dryRun: true});
    await importer.prepare();
    expect(warnings).toEqual([
      '4 phone numbers in column "Cellulare" are written without + and a country code, so they are read as US numbers (+1), such as "331 765 4321"; but 3 of their rows have email addresses in Italy (.it). If they are numbers in Italy, pass --default-country IT (or write them with +39): read as US numbers, codes and messages would go to other people.',
    ]);
    // The country given, or the addresses saying nothing of one: no warning.
    const {importer: given, warnings: none} = watched({input, dryRun: true, defaultCountry: 'IT', out: join(dir, 'given.csv')});
    await given.prepare();
    expect(none).toEqual([]);
    writeFileSync(input, readFileSync(input, 'utf8').replace(/@ditta\.it/g, '@example.com'));
    const {importer: plain, warnings: quiet} = watched({input, dryRun: true, out: join(dir, 'plain.csv')});
    await plain.prepare();
    expect(quiet).toEqual([]);
    // Mexico's .com.mx, the UK's .co.uk: the country ending is the last one.
    writeFileSync(input, 'Name,Email,Mobile\nA,a@x.com.mx,55 1234 5678\nB,b@x.com.mx,55 1234 5679\nC,c@x.com.mx,55 1234 5670\n');
    const {importer: mx, warnings: mexico} = watched({input, dryRun: true, out: join(dir, 'mx.csv')});
    await mx.prepare();
    expect(mexico).toEqual([expect.stringContaining('3 of their rows have email addresses in Mexico (.mx). If they are numbers in Mexico, pass --default-country MX (or write them with +52)')]);
  });

  it('--encoding latin1 on a UTF-8 file: obeyed, and said before the plan with a name both ways', async () => {
    const dir = tempDir();
    const input = join(dir, 'utf8.csv');
    writeFileSync(input, 'Name,Email\r\nZoë Brontë,zoe@example.com\r\n');
    const out = join(dir, 'utf8.results.csv');
    const {importer, warnings} = watched({input, out, dryRun: true, encoding: 'latin1'});
    await importer.prepare();
    await importer.execute();
    expect(warnings[0]).toBe(
      '--encoding latin1 is obeyed, but utf8.csv looks like UTF-8: read as latin1, "Zoë" becomes "ZoÃ«". Leave out --encoding unless you are sure.',
    );
    expect(readResults(out)[0]?.['Name']).toBe('ZoÃ« BrontÃ«');
  });

  it('a file of one column of addresses under a header no alias names: the hint offers that column, not a title message', async () => {
    const dir = tempDir();
    const input = join(dir, 'one.csv');
    writeFileSync(input, 'Contact\nann@example.com\nbo@example.com\n');
    await expect(new Importer({input, dryRun: true}).prepare()).rejects.toMatchObject({
      code: 'no_contact_column',
      message: 'No column holds an email address or a phone number. Columns found: "Contact".',
      hint: 'Column "Contact" holds email addresses: pass --map email_address="Contact".',
    });
  });

  it('a title and no header the import can use: the error says so, and offers no --map of the title', async () => {
    const dir = tempDir();
    const input = join(dir, 'report.csv');
    writeFileSync(input, ['Tower B — occupancy report', ...Array.from({length: 30}, (_, i) => `line ${i + 1} of the report`)].join('\n'));
    await expect(new Importer({input, dryRun: true}).prepare()).rejects.toMatchObject({
      code: 'no_contact_column',
      message: 'No row among the first 25 names an email or a phone column; the first, "Tower B — occupancy report", reads as a title.',
      hint: 'If the header row is further down, delete the rows above it and save; or name its columns, e.g. --map email_address="Email" (the row with that header is then taken as the header).',
    });
  });

  it('headers that name no contact column: the hint names the columns whose cells are emails and phones', async () => {
    const dir = tempDir();
    const input = join(dir, 'contacts.csv');
    writeFileSync(
      input,
      [
        'Name,Given Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value',
        'Ada Lovelace,Ada,* Home,ada@example.com,Mobile,+1 617-555-0101',
        'Grace Hopper,Grace,* Work,grace@example.com,Mobile,+1 617-555-0102',
      ].join('\n'),
    );
    await expect(new Importer({input, dryRun: true}).prepare()).rejects.toMatchObject({
      code: 'no_contact_column',
      hint: 'Column "E-mail 1 - Value" holds email addresses and column "Phone 1 - Value" holds phone numbers: pass --map email_address="E-mail 1 - Value" --map phone_number="Phone 1 - Value".',
    });
    const plan = await new Importer({input, dryRun: true, map: {email_address: 'E-mail 1 - Value', phone_number: 'Phone 1 - Value'}}).prepare();
    expect(plan.toCreate).toBe(2);
  });

  // Only the create route misdirected (a proxy rule): every row was sent, looked up three times and
  // marked `rejected` as if Seam had refused its data, and the endpoint's advice was lost.
  it.each([
    ['a redirect', (res: ServerResponse) => (res.writeHead(308, {location: 'https://elsewhere.example/user_identities/create'}), res.end())],
    ['a 404 page not from Seam', (res: ServerResponse) => (res.writeHead(404, {'content-type': 'text/html'}), res.end('<html><body>404 Not Found</body></html>'))],
  ])('the create route answering %s stops the run at once, saying what to check; every row resumable', async (_what, answer) => {
    let creates = 0;
    let lookups = 0;
    const server = await serve((url, res) => {
      if (url === '/user_identities/list') return json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
      if (url === '/user_identities/create') {
        creates += 1;
        return answer(res);
      }
      lookups += 1;
      json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
    });
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'route.csv'), cleanPeople(20));
      const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY, concurrency: 2});
      await importer.prepare();
      const summary = await importer.execute();
      expect(summary.exitCode).toBe(130);
      expect(creates).toBeLessThanOrEqual(2);
      expect(lookups).toBe(0);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^Seam's address answered \/user_identities\/create with a redirect \(308 to https:\/\/elsewhere\.example\/user_identities\/create\), the same for every row\. Check --endpoint: it redirects to https:\/\/elsewhere\.example\/user_identities\/create\. If that is Seam's API, pass --endpoint https:\/\/elsewhere\.example \(the importer does not follow redirects with your key\); then run again with that --endpoint and --restart \(people already in Seam are found, not created twice\)\. This run stops|^--endpoint has no \/user_identities\/create \(it answered 404, .*, not as Seam's API does\), the same for every row\. Check --endpoint \(Seam's is https:\/\/connect\.getseam\.com\), or the proxy or gateway in front of it; then run again: with this --endpoint once it answers, with --resume; with another, with --restart \(people already in Seam are found, not created twice\)\. This run stops/,
        ),
      ]);
      const results = readResults(join(dir, 'route.results.csv'));
      expectEveryRowAccounted(results, 20);
      expect(new Set(results.map((r) => `${r['import_status']} ${r['import_error_code']}`))).toEqual(new Set(['skipped server_error']));
      expect(summary.halted).toMatchObject({code: 'server_error', endpoint: true});
      expect(results.filter((r) => r['import_error_message']!.startsWith('Not created: ')).length).toBe(creates);
    } finally {
      await server.close();
    }
  });

  it('a workspace listing cut short (the server repeats its cursor) is said before the plan, not taken as the whole workspace', async () => {
    const server = await serve((url, res) => {
      if (url === '/user_identities/list') {
        return json(res, 200, {ok: true, user_identities: [{user_identity_id: '00000000-0000-4000-8000-000000000001', email_address: 'p1@example.com'}], pagination: {has_next_page: true, next_page_cursor: 'again'}});
      }
      json(res, 404, {ok: false, error: {type: 'not_found', message: 'no'}});
    });
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'cut.csv'), cleanPeople(2));
      const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY, dryRun: true});
      await importer.prepare();
      expect(warnings).toEqual([
        "The workspace's listing stopped at page 2 (1 identity) though Seam said there were more: its pages came back again, or brought no one new. People it did not list are counted here as new.",
      ]);
    } finally {
      await server.close();
    }
  });

  it('a 429 asking for a pause longer than the run waits (Retry-After: 3600) stops the run at once, every row skipped and resumable', async () => {
    const server = await rateLimitedServer('3600');
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'pause.csv'), cleanPeople(20));
      const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY, concurrency: 2});
      const pauses: number[] = [];
      importer.on('paused', ({until}) => pauses.push(until));
      await importer.prepare();
      const summary = await importer.execute();
      expect(summary.exitCode).toBe(130); // stopped by Seam, resumable: as for Ctrl-C
      expect(summary.counts.skipped).toBe(20);
      // Nothing is tried again, and no "all requests wait 3600s, then go on": the run stops.
      expect(summary.retries).toBe(0);
      expect(summary.rateLimited).toBe(server.creates());
      expect(pauses).toEqual([]);
      expect(server.creates()).toBeLessThanOrEqual(2);
      expect(warnings).toEqual([expect.stringMatching(/^Seam asked for a pause of 60 min \(Retry-After\), longer than a run waits \(5 min\)\. Run again with --resume after (?:\d{4}-\d\d-\d\d )?\d\d:\d\d \(UTC(?:[+-]\d+(?::\d\d)?)?\)\. This run stops/)]);
      expect(summary.halted).toEqual({code: 'rate_limited', message: expect.stringMatching(/^Seam asked for a pause of 60 min .*Run again with --resume after (?:\d{4}-\d\d-\d\d )?\d\d:\d\d \(UTC(?:[+-]\d+(?::\d\d)?)?\)$/)});
      const results = readResults(join(dir, 'pause.results.csv'));
      expectEveryRowAccounted(results, 20);
      expect(new Set(results.map((r) => r['import_error_code']))).toEqual(new Set(['rate_limited']));
      // The rows whose create met the 429 are left to --resume to look up; the others were never sent.
      const sent = results.filter((r) => r['import_error_message']!.startsWith('Not confirmed by Seam'));
      expect(sent.length).toBe(server.creates());
      expect(sent[0]!['import_error_message']).toMatch(/: it looks the person up before sending\.$/);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C during a 2-minute pause (Retry-After: 120) ends at once: the last lookups are left to --resume, not waited for', async () => {
    const server = await rateLimitedServer('120');
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'pause.csv'), cleanPeople(20));
      const controller = new AbortController();
      const importer = new Importer({input, endpoint: server.url, apiKey: KEY, concurrency: 2});
      importer.on('paused', () => controller.abort());
      await importer.prepare();
      const summary = await importer.execute({signal: controller.signal});
      expect(summary.exitCode).toBe(130);
      expect(summary.counts.skipped).toBe(20);
      const results = readResults(join(dir, 'pause.results.csv'));
      expectEveryRowAccounted(results, 20);
      const sent = results.filter((r) => r['import_error_message']!.startsWith('The run was stopped before Seam confirmed this row'));
      expect(sent.length).toBe(server.creates());
      expect(server.creates()).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C during a short 429 pause: a row sent, refused with 429 and then looked up and not found says "not created", never "not sent"', async () => {
    // Creates are refused with 429; lookups answer: nobody there.
    const server = await serve((url, res) => {
      if (url === '/user_identities/list') return json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
      if (url === '/user_identities/get') return json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
      json(res, 429, {ok: false, error: {type: 'rate_limited', message: 'Too many requests'}}, {'retry-after': '1'});
    });
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'pause.csv'), cleanPeople(6));
      const controller = new AbortController();
      const importer = new Importer({input, endpoint: server.url, apiKey: KEY, concurrency: 2});
      importer.on('paused', () => controller.abort());
      await importer.prepare();
      const summary = await importer.execute({signal: controller.signal});
      expect(summary.exitCode).toBe(130);
      const results = readResults(join(dir, 'pause.results.csv'));
      expectEveryRowAccounted(results, 6);
      const sent = results.filter((r) => Number(r['import_attempts'] || 0) > 0);
      expect(sent.length).toBeGreaterThan(0);
      for (const row of sent) {
        expect(row['import_status']).toBe('skipped');
        expect(row['import_error_message']).toBe(
          'Not created: the run was stopped before this row was sent again (looked up after the last attempt, Seam did not have it). Run again with --resume to send it.',
        );
      }
      for (const row of results.filter((r) => !r['import_attempts'])) expect(row['import_error_message']).toMatch(/^Not sent: the run was stopped\./);
    } finally {
      await server.close();
    }
  });

  describe('servers that answer otherwise than the sandbox', () => {
    it('Seam saying the workspace is not found (404 workspace_not_found) is a refusal to fix the workspace id (exit 3), not a wrong endpoint', async () => {
      const server = await serve((_url, res) => json(res, 404, {ok: false, error: {type: 'workspace_not_found', message: 'Workspace not found'}}));
      try {
        const input = writeCsv(join(tempDir(), 'ws.csv'), cleanPeople(2));
        const error = await new Importer({input, endpoint: server.url, personalAccessToken: 'seam_at_x', workspaceId: 'w'}).prepare().catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: 'forbidden',
          exitCode: 3,
          message: `Seam at ${new URL(server.url).host} does not know the workspace (404 workspace_not_found).`,
          hint: expect.stringContaining('Check the workspace id (--workspace-id or SEAM_WORKSPACE_ID)'),
        });
      } finally {
        await server.close();
      }
    });

    it('a server that echoes the Authorization header in its errors never gets the key into the results file or the run record', async () => {
      const secret = 'seam_test_SECRETKEY1234567890abcdefghijklmnop';
      let creates = 0;
      const server = await serve((url, res, req) => {
        if (url === '/user_identities/list') return json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        if (url === '/user_identities/get') return json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
        const echoed = req.headers.authorization ?? '';
        if (++creates % 2 === 0) {
          // A proxy's plain-text 500, the key where the message is cut (a cut key is still a key).
          res.writeHead(500, {'content-type': 'text/plain'});
          return res.end(`Internal Server Error ${'x'.repeat(30)} for ${echoed}`);
        }
        // Every third: a proxy that cuts the header it echoes (a cut key is still most of a key).
        if (creates % 3 === 0) return json(res, 400, {ok: false, error: {type: 'invalid_input', message: `Bad header ${echoed.slice(0, 30)}`}});
        json(res, 400, {ok: false, error: {type: 'invalid_input', message: `Rejected request with authorization: ${echoed}`}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'echo.csv'), cleanPeople(6));
        const out = join(dir, 'echo.results.csv');
        const summary = await runImport({input, out, endpoint: server.url, apiKey: secret, maxAttempts: 1});
        expect(summary.counts.failed).toBe(6);
        const results = readFileSync(out, 'utf8');
        const journal = readFileSync(`${out}.journal.jsonl`, 'utf8');
        expect(results).toContain('Rejected request with authorization: Bearer ***');
        expect(results).toContain('Internal Server Error xxx');
        expect(results).toContain('Bad header Bearer ***');
        for (const text of [results, journal, JSON.stringify(summary)]) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain('seam_test_SE');
        }
      } finally {
        await server.close();
      }
    });

    it('a key lookup answered 400 "not found" (not 404) does not leave a person made by a lost answer out: the email finds it, and the row is created with its id', async () => {
      let cut = 0;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/get') return false;
          json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'User identity not found'}});
          return true;
        },
        // Every second create is kept, then answered 502: the answer is lost.
        made: (_identity, res) => {
          if (++cut % 2 === 1) return false;
          res.writeHead(502, {'content-type': 'text/html'});
          res.end('<html><body>502 Bad Gateway</body></html>');
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'get400.csv'), cleanPeople(6));
        const out = join(dir, 'get400.results.csv');
        const summary = await runImport({input, out, endpoint: seam.url, apiKey: KEY});
        expect(summary.counts.created).toBe(6);
        expect(seam.identities).toHaveLength(6);
        const results = readResults(out);
        expectEveryRowAccounted(results, 6);
        expectNoOrphans(results, seam.identities as Array<{user_identity_id: string}>);
      } finally {
        await seam.close();
      }
    });

    // The rows refused for the key mid-run said only "Seam refused the credentials (401: Unauthorized)".
    it('a key revoked mid-run: the row it refused says it was not created and what to do', async () => {
      let creates = 0;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/create' || (creates += 1) < 2) return false;
          json(res, 401, {ok: false, error: {type: 'unauthorized', message: 'Unauthorized'}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'revoked.csv'), cleanPeople(3));
        const summary = await runImport({input, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        expect(summary.exitCode).toBe(3);
        const results = readResults(join(dir, 'revoked.results.csv'));
        expect(results.map((r) => `${r['import_status']} ${r['import_error_code']}`)).toEqual(['created ', 'failed unauthorized', 'skipped unauthorized']);
        expect(results[1]!['import_error_message']).toBe(
          'Not created: Seam refused the credentials (401: Unauthorized). Fix the API key or personal access token, then run again with --resume: this row is sent again.',
        );
      } finally {
        await seam.close();
      }
    });

    it('a key revoked while an answer was lost: that row says "not confirmed" for --resume, not that Seam refused it; --resume then finds the person; exit 3', async () => {
      let revoked = false;
      let cut = false;
      const seam = await miniSeam({
        answer: (_url, _body, res) => {
          if (!revoked) return false;
          json(res, 401, {ok: false, error: {type: 'unauthorized', message: 'Unauthorized'}});
          return true;
        },
        // The first create is kept, its connection cut, and the key revoked.
        made: (_identity, res) => {
          if (cut) return false;
          cut = true;
          revoked = true;
          res.destroy();
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'revoked.csv'), cleanPeople(3));
        const out = join(dir, 'revoked.results.csv');
        const summary = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        expect(summary.exitCode).toBe(3);
        expect(seam.identities).toHaveLength(1);
        const results = readResults(out);
        expectEveryRowAccounted(results, 3);
        expect(results[0]).toMatchObject({import_status: 'failed', import_error_code: 'unauthorized', user_identity_id: ''});
        expect(results[0]?.['import_error_message']).toMatch(/^Not confirmed by Seam: an earlier attempt may have made this person, then Seam refused the credentials \(401.*run again with --resume: it looks the person up before sending\.$/);
        expect(results.slice(1).map((r) => r['import_status'])).toEqual(['skipped', 'skipped']);
        // A working key again: --resume looks the first row up, finds the person its lost answer made, and sends the rest.
        revoked = false;
        cut = true;
        const again = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(again.exitCode).toBe(0);
        expect(seam.identities).toHaveLength(3);
        const after = readResults(out);
        expect(after.map((r) => r['import_status'])).toEqual(['created', 'created', 'created']);
        expect(after[0]?.['user_identity_id']).toBe(seam.identities[0]?.['user_identity_id']);
      } finally {
        await seam.close();
      }
    });

    it('an answer lost, then the retry refused because the person is now there, then the lookup refused too (429): the row is not confirmed and left to --resume, which finds the person this run made', async () => {
      // 0: the first create is kept and its connection cut; 1: the lookup after it does not see
      // the person yet (a slow replica); 2: the retry is refused (key taken); 3: lookups get 429s.
      let phase = 0;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (phase === 1 && url === '/user_identities/get') {
            json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
            return true;
          }
          // The replica behind for searches too.
          if (phase === 1 && url === '/user_identities/list') {
            json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
            return true;
          }
          if (phase === 1 && url === '/user_identities/create') {
            phase = 3;
            json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'user_identity_key is already in use'}});
            return true;
          }
          if (phase === 3 && url !== '/user_identities/create') {
            json(res, 429, {ok: false, error: {type: 'rate_limited', message: 'Too many requests'}}, {'retry-after': '3600'});
            return true;
          }
          return false;
        },
        made: (_identity, res) => {
          if (phase !== 0) return false;
          phase = 1;
          res.destroy();
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'refused-unseen.csv'), cleanPeople(1));
        const out = join(dir, 'refused-unseen.results.csv');
        await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        expect(seam.identities).toHaveLength(1);
        const first = readResults(out);
        expectEveryRowAccounted(first, 1);
        // Was failed/rejected, "Seam refused this row": final, so --resume kept it and the person this run made had no row.
        // The 429's hour-long pause stops the run: the row is left, unconfirmed, to --resume.
        expect(first[0]).toMatchObject({import_status: 'skipped', import_error_code: 'rate_limited', user_identity_id: ''});
        expect(first[0]?.['import_error_message']).toMatch(/^Not confirmed by Seam: Seam asked for a pause of 60 min .*: it looks the person up before sending\.$/);
        phase = 4;
        const again = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(again.exitCode).toBe(0);
        expect(seam.identities).toHaveLength(1);
        expect(readResults(out)[0]).toMatchObject({import_status: 'created', user_identity_id: seam.identities[0]?.['user_identity_id']});
      } finally {
        await seam.close();
      }
    });

    it('an answer lost, the retry refused (key taken), and lookups that show the person only 1.5 s after it was made: the row is created with its id, not rejected', async () => {
      let cut = false;
      const {seam, seen} = await laggingSeam(1_500, (res) => {
        if (cut) return false;
        cut = true;
        res.destroy();
        return true;
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'lagging.csv'), cleanPeople(1));
        const out = join(dir, 'lagging.results.csv');
        const summary = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        expect(seam.identities).toHaveLength(1);
        expect(seen.creates).toBe(2);
        // Was failed/rejected "Seam refused this row: (400 user_identity_key_already_exists …)", with no id, for good.
        expect(readResults(out)[0]).toMatchObject({import_status: 'created', user_identity_id: seam.identities[0]?.['user_identity_id']});
        expect(summary.exitCode).toBe(0);
      } finally {
        await seam.close();
      }
    });

    // Seam's framework answers 500 for an error it does not name (a database's unique constraint);
    // a look-alike of Seam, 409 with no body. Both were server errors retried five times.
    it.each([
      [
        "a 500 for an email someone else holds (a database's unique constraint) is a conflict naming that identity after one attempt, not five attempts and 'no clear answer'",
        'held-by-other-2',
        (res: ServerResponse) =>
          json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'duplicate key value violates unique constraint "user_identities_email_address_key"'}}),
      ],
      [
        'a 409 with no body (a look-alike of Seam) for an email someone else holds is a conflict naming that identity, after one attempt: not a server error retried five times',
        'held-by-old-26',
        (res: ServerResponse) => {
          res.writeHead(409);
          res.end();
        },
      ],
    ] as const)('%s', async (_what, holder, refuse) => {
      let creates = 0;
      const seam = await miniSeam({
        answer: (url, body, res) => {
          // The clash came after the run listed the workspace (another operator, someone in the app).
          if (url === '/user_identities/list' && body['search'] === undefined) {
            json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
            return true;
          }
          if (url !== '/user_identities/create') return false;
          creates += 1;
          if (body['email_address'] !== 'p2@example.com') return false;
          refuse(res);
          return true;
        },
      });
      seam.identities.push({user_identity_id: holder, user_identity_key: 'OTHER-2', email_address: 'p2@example.com', phone_number: null, full_name: 'Someone Else'});
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'clash.csv'), cleanPeople(3));
        const out = join(dir, 'clash.results.csv');
        await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        const results = readResults(out);
        expect(results.map((r) => r['import_status'])).toEqual(['created', 'failed', 'created']);
        expect(results[1]).toMatchObject({import_error_code: 'conflict', user_identity_id: ''});
        expect(results[1]?.['import_error_message']).toContain(`Seam already has user identity ${holder} with the same email`);
        // Was 5 creates for row 2 ("gave up after 5 attempts … run again with --resume"), and --resume did the same.
        expect(creates).toBe(3);
      } finally {
        await seam.close();
      }
    });

    it("a gateway's 400 page for a create (not Seam's answer) leaves the row to --resume after a lookup, not 'rejected' for good", async () => {
      let gateway = true;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (!gateway || url !== '/user_identities/create') return false;
          res.writeHead(400, {'content-type': 'text/html'});
          res.end('<html><body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>');
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'gateway.csv'), cleanPeople(2));
        const out = join(dir, 'gateway.results.csv');
        await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        const first = readResults(out);
        expect(first.map((r) => [r['import_status'], r['import_error_code']])).toEqual([
          ['failed', 'server_error'],
          ['failed', 'server_error'],
        ]);
        // Was: "Seam refused this row (400, …nginx)", rejected, and --resume had nothing left to send.
        expect(first[0]?.['import_error_message']).toMatch(/^An answer not from Seam's API \(400, .*nginx.*\): a proxy or a gateway in between\? The person was looked up and is not in Seam\. Run again with --resume/);
        gateway = false;
        const again = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(again.counts.created).toBe(2);
        expect(seam.identities).toHaveLength(2);
      } finally {
        await seam.close();
      }
    });

    it('a resume moments after a run stopped mid-send, whose retry is refused (key taken) while lookups lag 3 s: the row is created with its id, not rejected', async () => {
      const stop = new AbortController();
      const {seam, seen} = await laggingSeam(3_000, (res) => {
        if (seen.creates > 1) return false;
        // The first run: the person is made, the answer is lost, and the operator stops the run.
        stop.abort();
        res.destroy();
        return true;
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'quick.csv'), cleanPeople(1));
        const out = join(dir, 'quick.results.csv');
        const first = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1}, {signal: stop.signal});
        expect(first.counts.skipped).toBe(1);
        expect(seam.identities).toHaveLength(1);
        const resumed = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(seen.creates).toBe(2);
        expect(seam.identities).toHaveLength(1);
        // Was failed/rejected "Seam refused this row (400 user_identity_key_already_exists …)" with no id: the resume
        // looked the person up once before sending, and took the refusal as Seam's own.
        expect(readResults(out)[0]).toMatchObject({import_status: 'created', user_identity_id: seam.identities[0]?.['user_identity_id']});
        expect(resumed.exitCode).toBe(0);
      } finally {
        await seam.close();
      }
    });

    it('a resume moments after a run that finished with a 5xx row (looked up, not found): a refusal of the retry is said at once, not "the run this one resumes stopped"', async () => {
      let creates = 0;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/create') return false;
          creates += 1;
          if (creates === 1) json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'Internal error'}});
          else json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Invalid input', validation_errors: {_errors: [], phone_number: {_errors: ['Phone not supported']}}}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'finished.csv'), cleanPeople(1));
        const out = join(dir, 'finished.results.csv');
        const first = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, maxAttempts: 1});
        expect(readResults(out)[0]).toMatchObject({import_status: 'failed', import_error_code: 'server_error'});
        expect(first.exitCode).toBe(1);
        // Run again: the finished run's refusal offers --resume for that row, as the end of the run did.
        await expect(runImport({input, out, endpoint: seam.url, apiKey: KEY})).rejects.toMatchObject({
          code: 'journal_exists',
          hint: expect.stringMatching(/^1 row got no clear answer from Seam: pass --resume to send it again \(each person is looked up first\)\. To send its other failed rows, or rows fixed in the results file, import the results file: /),
        });
        const resumed = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(resumed.counts.failed).toBe(1);
        // Was failed/interrupted "the run this one resumes sent this row and stopped before Seam answered", after 7 s of lookups.
        expect(readResults(out)[0]).toMatchObject({import_status: 'failed', import_error_code: 'rejected'});
        expect(readResults(out)[0]?.['import_error_message']).toMatch(/^Seam refused this row: column "Phone"/);
      } finally {
        await seam.close();
      }
    });

    it('a resumed row Seam refuses for its own reasons: moments after the stop, not confirmed (looked up again); later, rejected with them at once', async () => {
      const stop = new AbortController();
      let creates = 0;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/create') return false;
          creates += 1;
          if (creates === 1) {
            // The first run: a 500, then Ctrl-C.
            stop.abort();
            json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'Internal error'}});
            return true;
          }
          json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Invalid input', validation_errors: {_errors: [], phone_number: {_errors: ['Phone not supported']}}}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'refused.csv'), cleanPeople(1));
        const out = join(dir, 'refused.results.csv');
        const first = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1}, {signal: stop.signal});
        expect(first.counts.skipped).toBe(1);
        // At once: the attempt the first run lost may have made a person Seam does not list yet.
        const soon = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(soon.counts.failed).toBe(1);
        expect(readResults(out)[0]).toMatchObject({import_status: 'failed', import_error_code: 'interrupted', user_identity_id: ''});
        expect(readResults(out)[0]?.['import_error_message']).toMatch(
          /^Not confirmed by Seam: the run this one resumes sent this row and stopped before Seam answered, then Seam refused the next attempt \(400 invalid_input: phone_number: Phone not supported\), .*Run again with --resume in a few minutes/,
        );
        // Minutes later (the record last written 5 minutes ago): Seam has listed anyone that attempt made.
        const journalPath = `${out}.journal.jsonl`;
        const fiveMinutesAgo = new Date(Date.now() - 300_000);
        utimesSync(journalPath, fiveMinutesAgo, fiveMinutesAgo);
        const resumed = await runImport({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1, resume: true});
        expect(resumed.counts.failed).toBe(1);
        const row = readResults(out)[0]!;
        // Was: failed/server_error "Not confirmed by Seam: an earlier attempt got no clear answer", after 7 s of lookups, on every resume.
        expect(row).toMatchObject({import_status: 'failed', import_error_code: 'rejected'});
        expect(row['import_error_message']).toMatch(/^Seam refused this row: column "Phone" has "\+1\d+" \(Phone not supported\)/);
        expect(seam.identities).toHaveLength(0);
      } finally {
        await seam.close();
      }
    });

    it('a person made with errors Seam reports (issue_with_acs_user) is created, but its row and a warning at the end say so', async () => {
      const seam = await miniSeam({
        made: (identity, res) => {
          if (identity['user_identity_key'] !== 'P-2') return false;
          json(res, 200, {ok: true, user_identity: {...identity, errors: [{error_code: 'issue_with_acs_user', message: 'Issue with ACS user', created_at: '2026-11-28T12:00:00.000Z'}]}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'acs.csv'), cleanPeople(3));
        const out = join(dir, 'acs.results.csv');
        const {importer, warnings} = watched({input, out, endpoint: seam.url, apiKey: KEY});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.counts.created).toBe(3);
        expect(summary.exitCode).toBe(0);
        const results = readResults(out);
        expect(results[1]?.['import_error_message']).toBe(
          'Seam reports a problem with this person (issue_with_acs_user: Issue with ACS user). It is in Seam, but check its access there before relying on it.',
        );
        expect(results[0]?.['import_error_message']).toBe('');
        const note =
          'One person (import_row 2) is in Seam with a problem Seam reports on it (such as issue_with_acs_user: an access system could not set the person up). Check it in Seam before handing out access; the results file says which rows and what Seam said.';
        expect(warnings).toContain(note);
        expect(summary.warnings).toContain(note);
      } finally {
        await seam.close();
      }
    });

    it('a one-letter key refused with a JSON 401 is a refusal, not a crash: the key is taken out of strings, not out of the JSON text', async () => {
      const server = await serve((_url, res) => json(res, 401, {ok: false, error: {type: 'unauthorized', message: 'Unauthorized'}}));
      try {
        const input = writeCsv(join(tempDir(), 'short-key.csv'), cleanPeople(2));
        const plan = await new Importer({input, endpoint: server.url, apiKey: 'a'}).prepare();
        expect(plan.fatal).toMatchObject({code: 'unauthorized', message: expect.stringContaining('(401: Unauthorized)')});
      } finally {
        await server.close();
      }
    });

    it('a person already in Seam with errors Seam reports, adopted at the check: its row says both that and the access systems not added; the end warning counts it', async () => {
      const system = '7d1c4f2e-0b5a-4c3e-9f1a-2b3c4d5e6f70';
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/acs/systems/list') return false;
          json(res, 200, {ok: true, acs_systems: [{acs_system_id: system, name: 'Front door'}]});
          return true;
        },
      });
      seam.identities.push({
        user_identity_id: 'old-1',
        user_identity_key: 'P-1',
        email_address: 'p1@example.com',
        phone_number: phoneFor(1),
        full_name: 'Person p1',
        errors: [{error_code: 'issue_with_acs_user', message: 'Issue with ACS user'}],
        warnings: [],
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'adopted.csv'), cleanPeople(2));
        const out = join(dir, 'adopted.results.csv');
        const {importer, warnings} = watched({input, out, endpoint: seam.url, apiKey: KEY, acsSystemIds: [system]});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.counts).toMatchObject({existing: 1, created: 1});
        const [adopted] = readResults(out);
        expect(adopted?.['import_error_message']).toBe(
          `Seam reports a problem with this person (issue_with_acs_user: Issue with ACS user). It is in Seam, but check its access there before relying on it. Already in Seam: adopted, not changed. The access system ${system} this row asks for was not added by this run: the importer sets access systems only on people it creates. Check in Seam that this person has it, and add it there if not.`,
        );
        expect(warnings.some((w) => w.startsWith('One row (import_row 1) is already in Seam and will be adopted as it is, without adding the access systems'))).toBe(true);
        expect(warnings.some((w) => w.startsWith('One person (import_row 1) is in Seam with a problem Seam reports on it'))).toBe(true);
      } finally {
        await seam.close();
      }
    });

    it('a long Retry-After (900 s) to a lookup stops the run at once, as one to a create does: exit 130, the row whose answer was lost not confirmed, the rest skipped', async () => {
      let lost = false;
      const seam = await miniSeam({
        answer: (url, _body, res) => {
          if (!lost || (url !== '/user_identities/get' && url !== '/user_identities/list')) return false;
          json(res, 429, {ok: false, error: {type: 'rate_limited', message: 'Slow down'}}, {'retry-after': '900'});
          return true;
        },
        // The first create is kept and its connection cut: its row is looked up next.
        made: (_identity, res) => {
          if (lost) return false;
          lost = true;
          res.destroy();
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'pause.csv'), cleanPeople(3));
        const out = join(dir, 'pause.results.csv');
        const {importer, warnings} = watched({input, out, endpoint: seam.url, apiKey: KEY, concurrency: 1});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.exitCode).toBe(130);
        expect(summary.halted?.code).toBe('rate_limited');
        expect(warnings.some((w) => w.startsWith('Seam asked for a pause of 15 min (Retry-After), longer than a run waits (5 min).'))).toBe(true);
        const results = readResults(out);
        expectEveryRowAccounted(results, 3);
        expect(results[0]?.['import_status']).toBe('skipped');
        expect(results[0]?.['import_error_message']).toMatch(/^Not confirmed by Seam: Seam asked for a pause of 15 min/);
        expect(results.slice(1).map((r) => r['import_status'])).toEqual(['skipped', 'skipped']);
      } finally {
        await seam.close();
      }
    });

    it('a long Retry-After to the first lookups is said at once (nothing sent), not waited out in silence', async () => {
      const server = await serve((_url, res) => json(res, 429, {ok: false, error: {type: 'rate_limited', message: 'Slow down'}}, {'retry-after': '900'}));
      try {
        const input = writeCsv(join(tempDir(), 'early-pause.csv'), cleanPeople(2));
        await expect(new Importer({input, endpoint: server.url, apiKey: KEY}).prepare()).rejects.toMatchObject({
          code: 'api_error',
          message: expect.stringMatching(/answered the first lookups with a 429: Seam asked for a pause of 15 min \(Retry-After\), longer than a run waits \(5 min\)\. Run the same command again after (?:\d{4}-\d\d-\d\d )?\d\d:\d\d \(UTC(?:[+-]\d+(?::\d\d)?)?\)\.$/),
          hint: 'Nothing was sent.',
        });
      } finally {
        await server.close();
      }
    });

    it("a redirect's advice names the API's address to pass, only where the importer would take it (https)", async () => {
      for (const [to, advice] of [
        ['https://connect.example.net/user_identities/list', 'If that is Seam\'s API, pass --endpoint https://connect.example.net (the importer'],
        ['http://connect.example.net/user_identities/list', 'If that is Seam\'s API, pass it as --endpoint (the importer'],
        ['https://connect.example.net/v2/user_identities/list/?from=old', 'If that is Seam\'s API, pass --endpoint https://connect.example.net/v2 (the importer'],
      ] as const) {
        const server = await serve((_url, res) => {
          res.writeHead(308, {location: to});
          res.end();
        });
        try {
          const input = writeCsv(join(tempDir(), 'moved.csv'), cleanPeople(1));
          await expect(new Importer({input, endpoint: server.url, apiKey: KEY}).prepare()).rejects.toMatchObject({hint: expect.stringContaining(advice)});
        } finally {
          await server.close();
        }
      }
    });

    it('a redirect is not followed with the key nor asked again: the error names where it points', async () => {
      const server = await serve((_url, res) => {
        res.writeHead(301, {location: 'https://api.example.com/seam'});
        res.end('Moved');
      });
      try {
        const input = writeCsv(join(tempDir(), 'moved.csv'), cleanPeople(2));
        await expect(new Importer({input, endpoint: server.url, apiKey: KEY}).prepare()).rejects.toMatchObject({
          code: 'api_error',
          message: expect.stringContaining('with a redirect (301 to https://api.example.com/seam)'),
          hint: expect.stringContaining('Check --endpoint: it redirects to https://api.example.com/seam.'),
        });
        expect(server.seen.requests).toBe(1);
      } finally {
        await server.close();
      }
    });

    it('a person whose identity Seam is deleting is not adopted nor sent: failed being_deleted, and --resume sends it once it is gone', async () => {
      let deleting = true;
      const creates: string[] = [];
      const server = await serve((url, res) => {
        if (url === '/user_identities/list') {
          const p2 = {user_identity_id: 'old-2', user_identity_key: 'P-2', email_address: 'p2@example.com', phone_number: phoneFor(2), full_name: 'Person p2'};
          const listed = deleting ? [{...p2, warnings: [{warning_code: 'being_deleted', message: 'Being deleted', created_at: '2026-11-28T12:00:00.000Z'}], errors: []}] : [];
          // The people the first run made are listed (with their keys) when the run resumes.
          const made = creates.map((_, i) => ({user_identity_id: `new-${i + 1}`, user_identity_key: i === 0 ? 'P-1' : 'P-3', email_address: null, phone_number: null, full_name: null}));
          return json(res, 200, {ok: true, user_identities: [...listed, ...made], pagination: {has_next_page: false}});
        }
        if (url === '/user_identities/create') {
          creates.push(url);
          return json(res, 200, {ok: true, user_identity: {user_identity_id: `new-${creates.length}`}});
        }
        json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'Not found'}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'del.csv'), cleanPeople(3));
        const importer = new Importer({input, endpoint: server.url, apiKey: KEY});
        const plan = await importer.prepare();
        expect(plan).toMatchObject({toCreate: 2, existing: 0, conflicts: 1});
        const summary = await importer.execute();
        expect(summary.counts).toMatchObject({created: 2, existing: 0, failed: 1});
        expect(creates.length).toBe(2);
        const row2 = readResults(join(dir, 'del.results.csv'))[1]!;
        expect(row2).toMatchObject({import_status: 'failed', import_error_code: 'being_deleted', user_identity_id: ''});
        expect(row2['import_error_message']).toContain('Seam has user identity old-2 with the same key "P-2", but it is being deleted.');

        deleting = false;
        const again = await runImport({input, endpoint: server.url, apiKey: KEY, resume: true});
        expect(again.counts).toMatchObject({created: 3, failed: 0});
        expect(creates.length).toBe(3);
      } finally {
        await server.close();
      }
    });

    it('answers compressed although nothing asked for it (a gateway on the way) are unpacked and read', async () => {
      const {gzipSync} = await import('node:zlib');
      let made = 0;
      const server = await serve((url, res) => {
        const body =
          url === '/user_identities/create'
            ? {ok: true, user_identity: {user_identity_id: `id-${++made}`}}
            : {ok: true, user_identities: [], pagination: {has_next_page: false}};
        res.writeHead(200, {'content-type': 'application/json', 'content-encoding': 'gzip'});
        res.end(gzipSync(JSON.stringify(body)));
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'gz.csv'), cleanPeople(3));
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY});
        expect(summary.counts.created).toBe(3);
        expect(readResults(join(dir, 'gz.results.csv')).map((r) => r['user_identity_id']).sort()).toEqual(['id-1', 'id-2', 'id-3']);
      } finally {
        await server.close();
      }
    });

    it('Seam down (every request a 503 page) stops the run once nothing has answered for a while, instead of wearing on row by row', async () => {
      let creates = 0;
      let down = false;
      const server = await serve((url, res) => {
        if (url === '/user_identities/list' && !down) {
          // The first lookups answer; then Seam goes down.
          down = true;
          json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
          return;
        }
        if (url === '/user_identities/create') creates += 1;
        res.writeHead(503, {'content-type': 'text/html'});
        res.end('<html>503 Service Temporarily Unavailable</html>');
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'down.csv'), cleanPeople(200));
        const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY, outageMs: 300});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.exitCode).toBe(130); // stopped by Seam, resumable: as for Ctrl-C
        expect(summary.counts.created).toBe(0);
        expect(warnings).toEqual([
          expect.stringMatching(/^Seam gave no answer for \d+ s \(\d+ requests in a row failed; the last: Seam answered \/user_identities\/(create|list|get) with an error \(503, "503 Service Temporarily Unavailable"\)\)\. Run again with --resume when it is back\. This run stops rather than wear on/),
        ]);
        const results = readResults(join(dir, 'down.results.csv'));
        expectEveryRowAccounted(results, 200);
        // Far fewer creates than 200 rows × 5 attempts; the rows left are skipped, for --resume.
        expect(creates).toBeLessThan(60);
        expect(summary.counts.skipped).toBeGreaterThan(140);
        expect(summary.halted).toEqual({code: 'server_error', message: expect.stringMatching(/^Seam gave no answer for .*Run again with --resume when it is back$/)});
        expect(results.filter((r) => r['import_status'] === 'skipped').every((r) => r['import_error_code'] === 'server_error')).toBe(true);
      } finally {
        await server.close();
      }
    });

    // Each lookup's answer restarted the outage count: 100 rows took 2 min and 1,651 requests
    // against a create route that never worked once (10,000 rows: hours).
    it('the create route alone failing (every create a 500, lookups answering) stops the run the same way', async () => {
      let creates = 0;
      const server = await serve((url, res) => {
        if (url === '/user_identities/create') {
          creates += 1;
          json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'Internal server error'}});
        } else if (url === '/user_identities/get') json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
        else json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'nocreate.csv'), cleanPeople(200));
        const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY, outageMs: 300});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.exitCode).toBe(130);
        expect(warnings).toEqual([
          expect.stringMatching(/^Seam answered no create for \d+ s \(\d+ creates in a row failed; the last: .*500.*\), while its lookups answer\. Run again with --resume when creates work again\. This run stops rather than wear on/),
        ]);
        const results = readResults(join(dir, 'nocreate.results.csv'));
        expectEveryRowAccounted(results, 200);
        expect(creates).toBeLessThan(150);
        expect(summary.counts.skipped).toBeGreaterThan(100);
        expect(summary.halted?.code).toBe('server_error');
      } finally {
        await server.close();
      }
    });

    // Review: every create's answer lost while it commits (a proxy cutting answers) counted as the
    // create route failing: the run stopped as an outage with 177 people made, where it used to finish.
    it('creates whose answers are lost but which the lookups find made do not count as the create route failing', async () => {
      const local = await startSandbox({port: 0, seed: 21, dropAfterCommitRate: 1});
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'dropped.csv'), cleanPeople(30));
        const summary = await runImport({input, endpoint: local.url, apiKey: KEY, concurrency: 2, outageMs: 300});
        expect(summary.halted).toBeUndefined();
        expect(summary.counts.created).toBe(30);
        expect(summary.exitCode).toBe(0);
        expect(local.identities()).toHaveLength(30);
      } finally {
        await local.close();
      }
    });

    it('Seam gone (connections refused) stops the run the same way, and the rows left say network_error, not server_error', async () => {
      let creates = 0;
      const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.url === '/user_identities/create' && ++creates === 1) {
            // The first create is answered; then the server goes away for good.
            json(res, 200, {ok: true, user_identity: {user_identity_id: 'id-1'}});
            server.close();
            server.closeAllConnections();
            return;
          }
          json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'gone.csv'), cleanPeople(100));
        const importer = new Importer({input, endpoint: url, apiKey: KEY, outageMs: 300, concurrency: 10});
        await importer.prepare();
        const summary = await importer.execute();
        expect(summary.halted?.code).toBe('network_error');
        expect(summary.counts.created).toBe(1);
        const results = readResults(join(dir, 'gone.results.csv'));
        expectEveryRowAccounted(results, 100);
        const skipped = results.filter((r) => r['import_status'] === 'skipped');
        expect(skipped.length).toBeGreaterThan(90);
        expect(new Set(skipped.map((r) => r['import_error_code']))).toEqual(new Set(['network_error']));
      } finally {
        server.close();
      }
    });

    // A server that answers a taken value with the person it has (an upsert): the row was marked
    // created with another person's id, exit 0.
    it("a create answered with an identity whose key, email or phone is not the row's is a conflict, not created with that id", async () => {
      const other = {user_identity_id: '11111111-2222-4333-8444-555555555555', user_identity_key: 'OTHER-9', email_address: 'p2@example.com', phone_number: '+13035550199'};
      const server = await miniSeam({
        made: (identity, res) => {
          if (identity['user_identity_key'] === 'P-2') json(res, 200, {ok: true, user_identity: other});
          // Row 3: an answer that leaves the details out is not doubted.
          else if (identity['user_identity_key'] === 'P-3') json(res, 200, {ok: true, user_identity: {user_identity_id: 'id-3', email_address: null}});
          // Row 1: the email in capitals is the same address.
          else json(res, 200, {ok: true, user_identity: {...identity, email_address: String(identity['email_address']).toUpperCase()}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'upsert.csv'), cleanPeople(3));
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY});
        const results = readResults(join(dir, 'upsert.results.csv'));
        expect(results.map((r) => [r['import_status'], r['user_identity_id'], r['import_error_code']])).toEqual([
          ['created', 'mini-1', ''],
          ['failed', '', 'conflict'],
          ['created', 'id-3', ''],
        ]);
        expect(results[1]!['import_error_message']).toBe(
          `Seam answered the create with user identity ${other.user_identity_id}, whose key is "OTHER-9" where this row has "P-2" (column "Employee ID"): not this person as sent (Seam may have answered with a person it already had, or stored the value otherwise). Not counted as created: check that identity in Seam.`,
        );
        expect(summary.exitCode).toBe(1);
      } finally {
        await server.close();
      }
    });

    // A server whose list refuses `search`: people made by creates whose answers were lost (a 500
    // after the commit) ended failed, "could not be looked up", until --resume (a reviewer's fake Seam).
    it('a list that refuses `search` is read page by page to find a person whose create answer was lost', async () => {
      let searches = 0;
      const server = await miniSeam({
        answer: (url, body, res) => {
          if (url !== '/user_identities/list' || body['search'] === undefined) return false;
          searches += 1;
          json(res, 400, {ok: false, error: {type: 'invalid_input', message: "Unrecognized key(s) in object: 'search'"}});
          return true;
        },
        made: (identity, res) => {
          // Every second create is made, then answered with a 500.
          if (server.identities.length % 2 === 0) {
            json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'Internal'}});
            return true;
          }
          return false;
        },
      });
      try {
        const dir = tempDir();
        // Keyless rows: a lookup searches by email or phone.
        const rows = cleanPeople(6).map((row, i) => (i === 0 ? row : ['', ...row.slice(1)]));
        const input = writeCsv(join(dir, 'nosearch.csv'), rows);
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY, concurrency: 1});
        const results = readResults(join(dir, 'nosearch.results.csv'));
        expect(results.map((r) => r['import_status'])).toEqual(['created', 'created', 'created', 'created', 'created', 'created']);
        expect(new Set(results.map((r) => r['user_identity_id'])).size).toBe(6);
        expect(server.identities).toHaveLength(6);
        expect(searches).toBeGreaterThan(0);
        expect(summary.exitCode).toBe(0);
      } finally {
        await server.close();
      }
    });

    // A server that answers phones written otherwise than as sent ("+1 617-200-0001"): every
    // person this run made with a phone was reported failed as a conflict with no id, and the same
    // person already in the workspace a conflict (a reviewer's fake Seam). A number it holds
    // without its "+" is no country's: not taken for a row's (a Chinese mobile written at home,
    // 13012345678, is not +1 301 234 5678).
    it('a phone Seam answers with spaces and dashes is the same number; one without its "+" is no one\'s', async () => {
      const written = (phone: unknown) => (typeof phone === 'string' && phone.startsWith('+1') ? `+1 ${phone.slice(2, 5)}-${phone.slice(5, 8)}-${phone.slice(8)}` : phone);
      const view = (identity: Record<string, unknown>) => ({...identity, phone_number: written(identity['phone_number'])});
      const server = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/list') return false;
          json(res, 200, {ok: true, user_identities: server.identities.map(view), pagination: {has_next_page: false}});
          return true;
        },
        made: (identity, res) => {
          json(res, 200, {ok: true, user_identity: view(identity)});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const rows = cleanPeople(4).map((row, i) => (i === 3 ? ['', row[1]!, '', row[3]!, row[4]!] : row));
        // Row 4 is in the workspace already (its phone answered as "+1 617-200-0004").
        server.identities.push({user_identity_id: 'before-4', user_identity_key: rows[4]![0], email_address: rows[4]![2], phone_number: rows[4]![3], full_name: rows[4]![1]});
        // Someone else, whose number the server holds without its "+": the same digits as row 3's (a phone-only row).
        server.identities.push({user_identity_id: 'someone-else', user_identity_key: null, email_address: null, phone_number: rows[3]![3]!.slice(1), full_name: 'Li Wei'});
        const input = writeCsv(join(dir, 'echo.csv'), rows);
        // One at a time: the server numbers its people in the order the creates arrive.
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY, concurrency: 1});
        const results = readResults(join(dir, 'echo.results.csv'));
        expect(results.map((r) => [r['import_status'], r['user_identity_id'], r['import_error_code']])).toEqual([
          ['created', 'mini-3', ''],
          ['created', 'mini-4', ''],
          ['created', 'mini-5', ''],
          ['existing', 'before-4', ''],
        ]);
        expect(summary.exitCode).toBe(0);
        expect(server.identities).toHaveLength(5);
      } finally {
        await server.close();
      }
    });

    // Seam may answer a clash with a 500 or a 429: the person then found, made weeks ago and
    // missed by the listing, was reported created ("made by this run").
    it('a person found after a 5xx whose created_at is well before the run is existing, not created', async () => {
      const seeded = {user_identity_id: 'old-2', user_identity_key: 'P-2', email_address: 'p2@example.com', phone_number: phoneFor(2), full_name: 'Person p2', created_at: '2026-10-01T09:00:00.000Z'};
      let lists = 0;
      const server = await miniSeam({
        answer: (url, body, res) => {
          // The workspace's listing before the run misses the person (a listing behind).
          if (url === '/user_identities/list' && lists++ === 0) {
            json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
            return true;
          }
          if (url === '/user_identities/create' && body['user_identity_key'] === 'P-2') {
            json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'duplicate key value violates unique constraint'}});
            return true;
          }
          return false;
        },
      });
      server.identities.push(seeded);
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'clash.csv'), cleanPeople(2));
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY});
        const results = readResults(join(dir, 'clash.results.csv'));
        expect(results.map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
          ['created', 'mini-2'],
          ['existing', 'old-2'],
        ]);
        expect(summary.counts).toMatchObject({created: 1, existing: 1});
        // By its date alone, the listing before the run not having it: said, for a server whose dates are wrong.
        expect(results[1]!['import_error_message']).toMatch(/^Existing by its date: Seam dates this person "2026-10-01T09:00:00\.000Z", more than an hour before this run began, though the workspace's listing before the run did not have them/);
        expect(summary.warnings.some((w) => w.startsWith('One person (import_row 2) found after an attempt of this run got no clear answer is reported existing because Seam dates them'))).toBe(true);
      } finally {
        await server.close();
      }
    });

    it("Seam's validation errors name the row's column and value", async () => {
      const server = await serve((url, res) => {
        if (url === '/user_identities/list') json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        else if (url === '/user_identities/create') {
          json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Invalid input', validation_errors: {_errors: [], email_address: {_errors: ['Invalid email']}}}}, {'seam-request-id': 'req_2'});
        } else json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'valid.csv'), cleanPeople(1));
        await runImport({input, endpoint: server.url, apiKey: KEY});
        expect(readResults(join(dir, 'valid.results.csv'))[0]!['import_error_message']).toBe(
          'Seam refused this row: column "Email" has "p1@example.com" (Invalid email) (400 invalid_input) (request req_2)',
        );
      } finally {
        await server.close();
      }
    });

    // Review: a server answering a create with the person it has, the same details, made months
    // ago: the row was created, "made by this run", and said nothing of the access systems not added.
    // Where the listing before the run cannot say (here it was cut short: its cursor came back), an
    // answer made long before by its created_at is a person Seam had.
    it('a create answered with a person made long before the run, the listing cut short: existing, not created', async () => {
      const server = await miniSeam({
        answer: (url, _body, res) => {
          if (url !== '/user_identities/list') return false;
          json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: true, next_page_cursor: 'again'}});
          return true;
        },
        made: (identity, res) => {
          json(res, 200, {ok: true, user_identity: {...identity, user_identity_id: 'old-1', created_at: '2026-01-01T00:00:00.000Z'}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'had.csv'), cleanPeople(1));
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY});
        expect(readResults(join(dir, 'had.results.csv'))[0]).toMatchObject({import_status: 'existing', user_identity_id: 'old-1'});
        expect(summary.counts).toMatchObject({existing: 1, created: 0});
      } finally {
        await server.close();
      }
    });

    // SEAM-API.md says list's search matches phones; a look-alike whose search leaves them out
    // never found a phone-only person its lost answer made: "not confirmed", the person in Seam.
    it('a phone-only person made by a create whose answer was lost, on a server whose search leaves out phones: found, created', async () => {
      const cut = new Set<string>();
      const server = await miniSeam({
        answer: (url, body, res) => {
          if (url === '/user_identities/list' && typeof body['search'] === 'string') {
            const search = body['search'].toLowerCase();
            const found = server.identities.filter((i) => [i['email_address'], i['full_name']].some((v) => typeof v === 'string' && v.toLowerCase().includes(search)));
            json(res, 200, {ok: true, user_identities: found, pagination: {has_next_page: false}});
            return true;
          }
          if (url === '/user_identities/create' && server.identities.some((i) => i['phone_number'] === body['phone_number'])) {
            json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Phone number already in use'}});
            return true;
          }
          return false;
        },
        // Each first create is kept, and its connection cut before the answer.
        made: (identity, res) => {
          const phone = String(identity['phone_number']);
          if (cut.has(phone)) return false;
          cut.add(phone);
          res.destroy();
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'phones.csv'), [
          ['Name', 'Mobile'],
          ['Ana Ruiz', '+12125550101'],
          ['Bo Chen', '+12125550102'],
        ]);
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY, concurrency: 2});
        const results = readResults(join(dir, 'phones.results.csv'));
        expect(results.map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
          ['created', server.identities.find((i) => i['phone_number'] === '+12125550101')!['user_identity_id']],
          ['created', server.identities.find((i) => i['phone_number'] === '+12125550102')!['user_identity_id']],
        ]);
        expect(server.identities).toHaveLength(2);
        expect(summary.exitCode).toBe(0);
      } finally {
        await server.close();
      }
    });

    // A server whose created_at has no zone (Python's utcnow().isoformat()) was read in this
    // machine's local time: east of UTC by more than the hour's margin, every person this run made
    // was "made long before", existing, exit 0 and "created 0" on an empty workspace.
    it('a created_at without its zone says nothing: the people this run made are created, whatever the local time zone', async () => {
      const zone = process.env['TZ'];
      // Nine hours east: a zone-less UTC time read as Tokyo's is nine hours before the run.
      process.env['TZ'] = 'Asia/Tokyo';
      try {
        await expectBothCreated('naive', () => new Date().toISOString().replace('Z', ''));
      } finally {
        if (zone === undefined) delete process.env['TZ'];
        else process.env['TZ'] = zone;
      }
    });

    // created_at is on the server's clock: one two hours behind this machine's made every person
    // "long before" the run by this machine's clock. Its Date header says how far behind it is.
    it("a server whose clock is two hours behind (its Date header says so): the people this run made are created", async () => {
      // Every answer dated on the server's clock, and its created_at too.
      const behind = 2 * 3_600_000;
      await expectBothCreated('behind', () => new Date(Date.now() - behind).toISOString(), -behind);
    });

    // The same look-alike answering the next attempts with a 500 for the phone the first one saved
    // (a unique constraint): the row gave up, "Seam did not have this person", the person in Seam.
    it('a phone-only person saved by a create answered 500, the next attempts 500 too, search leaving out phones: found before giving up', async () => {
      const server = await miniSeam({
        answer: (url, body, res) => {
          if (url === '/user_identities/list' && typeof body['search'] === 'string') {
            json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
            return true;
          }
          if (url === '/user_identities/create' && server.identities.some((i) => i['phone_number'] === body['phone_number'])) {
            json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'duplicate key value violates unique constraint "user_identities_phone_number_key"'}});
            return true;
          }
          return false;
        },
        made: (_identity, res) => {
          json(res, 500, {ok: false, error: {type: 'internal_server_error', message: 'Internal server error'}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'saved.csv'), [
          ['Name', 'Mobile'],
          ['Fay Roy', '+12125551275'],
        ]);
        const summary = await runImport({input, endpoint: server.url, apiKey: KEY, maxAttempts: 2});
        const [row] = readResults(join(dir, 'saved.results.csv'));
        expect(row).toMatchObject({import_status: 'created', user_identity_id: server.identities[0]!['user_identity_id']});
        expect(server.identities).toHaveLength(1);
        expect(summary.exitCode).toBe(0);
      } finally {
        await server.close();
      }
    });

    // A look-alike that writes one old created_at on every person: with a whole listing before the
    // run that had none of them, every person this run made was "existing", exit 0, "created 0".
    it('a fixed old created_at on every answer, the workspace listed whole and empty: the people this run made are created', async () => {
      await expectBothCreated('fixed', () => '2024-01-01T00:00:00Z');
    });

    it('the same look-alike, a resume: the rows it sends are created (not in the listing it made before its first create)', async () => {
      const server = await miniSeam({
        made: (identity, res) => {
          json(res, 200, {ok: true, user_identity: {...identity, created_at: '2024-01-01T00:00:00Z'}});
          return true;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'fixed.csv'), cleanPeople(3));
        const out = join(dir, 'fixed.results.csv');
        await runImport({input, out, endpoint: server.url, apiKey: KEY, concurrency: 1});
        // As if stopped after row 1: rows 2 and 3 never sent, and gone from Seam.
        const journal = `${out}.journal.jsonl`;
        const kept = readFileSync(journal, 'utf8')
          .split('\n')
          .filter((line) => line !== '' && !/"type":"(end|wrote)"/.test(line) && !/"row":[23],/.test(line));
        writeFileSync(journal, `${kept.join('\n')}\n`);
        server.identities.splice(1);
        rmSync(out);
        const summary = await runImport({input, out, endpoint: server.url, apiKey: KEY, resume: true});
        expect(readResults(out).map((r) => r['import_status'])).toEqual(['created', 'created', 'created']);
        expect(summary.counts).toMatchObject({created: 3});
      } finally {
        await server.close();
      }
    });

    // A resume whose run was killed before sending anything, on a server that answers a taken phone
    // with the person it has (made minutes ago, in the listing, which leaves phones out): the
    // person Seam had was "created" (created_at inside the hour's margin), the killed run having sent nothing.
    it('a resume: a person in the listing before it, answered to a create the killed run never sent, is existing', async () => {
      const server = await miniSeam({
        answer: (url, body, res) => {
          if (url === '/user_identities/list') {
            const listed = server.identities.map(({phone_number: _phone, ...rest}) => rest);
            json(res, 200, {ok: true, user_identities: typeof body['search'] === 'string' ? [] : listed, pagination: {has_next_page: false}});
            return true;
          }
          const held = url === '/user_identities/create' ? server.identities.find((i) => i['phone_number'] === body['phone_number']) : undefined;
          if (held) {
            json(res, 200, {ok: true, user_identity: held});
            return true;
          }
          return false;
        },
      });
      server.identities.push({user_identity_id: 'seeded-1', full_name: 'Seed One', phone_number: '+14155552001', created_at: new Date(Date.now() - 5 * 60_000).toISOString()});
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'upsert.csv'), [
          ['Name', 'Mobile'],
          ['Seed One', '+14155552001'],
          ['New One', '+14155553001'],
        ]);
        const out = join(dir, 'upsert.results.csv');
        await runImport({input, out, endpoint: server.url, apiKey: KEY, concurrency: 1});
        // As if killed before its first create: the record holds the run alone; Seam only the seeded person.
        const journal = `${out}.journal.jsonl`;
        writeFileSync(journal, `${readFileSync(journal, 'utf8').split('\n')[0]}\n`);
        server.identities.splice(1);
        rmSync(out);
        await runImport({input, out, endpoint: server.url, apiKey: KEY, resume: true, concurrency: 1});
        expect(readResults(out).map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
          ['existing', 'seeded-1'],
          ['created', server.identities[1]!['user_identity_id']],
        ]);
      } finally {
        await server.close();
      }
    });

    // A Date header from another clock than created_at's (an edge in front of the server), two
    // hours ahead: read as the server's clock, every person this run made was "long before".
    it("a Date header two hours ahead of a created_at that is right: the people this run made are created", async () => {
      await expectBothCreated('ahead', () => new Date().toISOString(), 2 * 3_600_000);
    });

    // A listing that lags: the person refused as taken was made long ago (its created_at says so),
    // and the row must not say they were "not in Seam when this run began".
    it('a create refused for a person made long ago whom the listing missed: existing, not "Refused, yet in Seam"', async () => {
      let lists = 0;
      const server = await miniSeam({
        answer: (url, body, res) => {
          if (url === '/user_identities/list' && lists++ === 0) {
            json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
            return true;
          }
          if (url === '/user_identities/create' && server.identities.some((i) => i['user_identity_key'] === body['user_identity_key'])) {
            json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Key already in use'}});
            return true;
          }
          return false;
        },
      });
      server.identities.push({user_identity_id: 'old-1', user_identity_key: 'P-1', email_address: 'p1@example.com', phone_number: phoneFor(1), full_name: 'Person p1', created_at: '2024-01-05T10:00:00.000Z'});
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'lagged.csv'), cleanPeople(1));
        const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY});
        await importer.prepare();
        await importer.execute();
        const [row] = readResults(join(dir, 'lagged.results.csv'));
        expect(row).toMatchObject({import_status: 'existing', user_identity_id: 'old-1'});
        expect(row!['import_error_message']).not.toMatch(/Refused, yet in Seam/);
        expect(warnings.join(' ')).not.toMatch(/refused the create, yet/);
      } finally {
        await server.close();
      }
    });

    // A server that keeps the person and then refuses the create (an access system it cannot find):
    // the row was "existing", "Already in Seam", exit 0, and Seam's refusal said nowhere.
    it('a create refused after the person was kept: adopted, but the refusal is quoted and a warning names the row', async () => {
      const server = await miniSeam({
        made: (identity, res) => {
          if (identity['user_identity_key'] === 'P-2') {
            json(res, 404, {ok: false, error: {type: 'acs_system_not_found', message: 'ACS system not found'}});
            return true;
          }
          return false;
        },
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'kept.csv'), cleanPeople(2));
        const {importer, warnings} = watched({input, endpoint: server.url, apiKey: KEY});
        await importer.prepare();
        await importer.execute();
        const results = readResults(join(dir, 'kept.results.csv'));
        expect(results.map((r) => [r['import_status'], r['user_identity_id']])).toEqual([
          ['created', 'mini-1'],
          ['existing', 'mini-2'],
        ]);
        expect(results[1]!['import_error_message']).toMatch(
          /^Refused, yet in Seam: Seam refused the create \(404 acs_system_not_found: ACS system not found\), yet a person with this row's details is in Seam now who was not when this run began: made meanwhile by someone else, or by this create before Seam refused it/,
        );
        expect(warnings.some((w) => w.startsWith('One person (import_row 2): Seam refused the create, yet a person with the row\'s details is in Seam now'))).toBe(true);
      } finally {
        await server.close();
      }
    });

    // SEAM-API.md: the error body may carry request_id; only the header was read.
    it("a refusal's request id is read from the error body when no header carries it", async () => {
      const server = await serve((url, res) => {
        if (url === '/user_identities/list') json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        else if (url === '/user_identities/create') json(res, 400, {ok: false, error: {type: 'invalid_input', message: 'Invalid phone', request_id: 'req_11fe'}});
        else json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'rid.csv'), cleanPeople(1));
        await runImport({input, endpoint: server.url, apiKey: KEY});
        const [row] = readResults(join(dir, 'rid.results.csv'));
        expect(row).toMatchObject({import_status: 'failed', import_error_code: 'rejected', import_request_id: 'req_11fe'});
        expect(row!['import_error_message']).toMatch(/\(request req_11fe\)$/);
      } finally {
        await server.close();
      }
    });

    it('a listed identity with fields that are not text, or an entry that is no identity, does not stop the run', async () => {
      const server = await serve((url, res) => {
        if (url === '/user_identities/list') {
          json(res, 200, {
            ok: true,
            user_identities: [null, 'x', {user_identity_id: 'id-odd', email_address: 42, phone_number: null, user_identity_key: 'P-1'}],
            pagination: {has_next_page: false},
          });
        } else if (url === '/user_identities/create') json(res, 200, {ok: true, user_identity: {user_identity_id: 'id-new'}});
        else json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'odd.csv'), cleanPeople(2));
        const importer = new Importer({input, endpoint: server.url, apiKey: KEY});
        const plan = await importer.prepare();
        // P-1 is there under its key, without the email and phone the row gives: a conflict, never a second identity.
        expect(plan).toMatchObject({workspaceIdentities: 1, conflicts: 1, toCreate: 1});
      } finally {
        await server.close();
      }
    });

    it("a server's text never brings escape sequences or line breaks to the terminal or the results", async () => {
      const hostile = 'Bad\u001b[2J\u001b[31m gate\u001b]0;pwned\u0007\nway\r\u0000';
      const server = await serve((url, res) => {
        if (url === '/user_identities/list') json(res, 200, {ok: true, user_identities: [], pagination: {has_next_page: false}});
        else if (url === '/user_identities/create') json(res, 400, {ok: false, error: {type: 'invalid_input', message: hostile}});
        else json(res, 404, {ok: false, error: {type: 'user_identity_not_found', message: 'none'}});
      });
      try {
        const dir = tempDir();
        const input = writeCsv(join(dir, 'esc.csv'), cleanPeople(1));
        const failures: string[] = [];
        const importer = new Importer({input, endpoint: server.url, apiKey: KEY});
        importer.on('row', (row) => failures.push(row.message ?? ''));
        await importer.prepare();
        await importer.execute();
        const message = readResults(join(dir, 'esc.results.csv'))[0]!['import_error_message']!;
        expect(message).toBe('Seam refused this row (400 invalid_input: Bad gate way)');
        expect(failures).toEqual([message]);
      } finally {
        await server.close();
      }
    });
  });

  it('an endpoint that is not Seam (every route a 404 page) stops at once, asking to check --endpoint', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(req.method === 'POST' ? 404 : 405, {'content-type': 'text/html'});
      res.end('<html><body><h1>Not Found</h1></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
      await expect(new Importer({input, endpoint: `http://127.0.0.1:${port}`, apiKey: KEY}).prepare()).rejects.toMatchObject({
        code: 'api_error',
        message: expect.stringContaining('--endpoint has no /user_identities/list (it answered 404, "Not Found", not as Seam\'s API does)'),
        hint: expect.stringContaining(`Check --endpoint: http://127.0.0.1:${port} does not answer as Seam's API does`),
      });
      // Not asked again: a missing route does not come back.
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an HTTPS endpoint whose certificate is not trusted stops at once, naming NODE_EXTRA_CA_CERTS', async () => {
    const tls = (name: string) => readFileSync(new URL(`./helpers/tls/${name}`, import.meta.url));
    const server = createHttpsServer({key: tls('tls-self-signed.key'), cert: tls('tls-self-signed.crt')}, (_req, res) => res.end('{}'));
    // Counted as TCP connections are accepted, which is before the client can see the certificate.
    let connections = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    try {
      const dir = tempDir();
      const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
      await expect(new Importer({input, endpoint: `https://localhost:${port}`, apiKey: KEY}).prepare()).rejects.toMatchObject({
        code: 'api_unreachable',
        message: expect.stringContaining("The server's TLS certificate is not trusted for /user_identities/list (DEPTH_ZERO_SELF_SIGNED_CERT)"),
        // Whether or not NODE_EXTRA_CA_CERTS is set where the tests run (a system CA bundle, here).
        hint: expect.stringMatching(/NODE_EXTRA_CA_CERTS .*CA certificate file/),
      });
      // One connection, not a round of retries: the same certificate would come back.
      expect(connections).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('imports into a Seam at an IPv6 loopback address (http://[::1]:port)', async () => {
    sandbox = await startSandbox({port: 0, host: '::1'});
    expect(sandbox.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    const dir = tempDir();
    const input = writeCsv(join(dir, 'v6.csv'), cleanPeople(5));
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    expect(summary.counts.created).toBe(5);
    expect(sandbox.identities()).toHaveLength(5);
  });

  it('a file saved again between the plan and the import is not imported on the old plan: nothing sent, run again', async () => {
    sandbox = await startSandbox({port: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(5));
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY});
    expect((await importer.prepare()).toCreate).toBe(5);
    // Fixed in Excel while the plan waited for a yes.
    appendFileSync(input, 'P-99,Late Person,late@example.com,,Unit 99\n');
    await expect(importer.execute()).rejects.toMatchObject({code: 'input_changed', exitCode: 2, message: `${input} changed after it was checked: nothing was sent.`});
    expect(sandbox.stats().creates).toBe(0);
    expect(existsSync(join(dir, 'people.results.csv.journal.jsonl'))).toBe(false);
    // Run again: the file as it is now.
    const summary = await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    expect(summary.counts.created).toBe(6);
  });

  // Both were planned before either started (a second terminal, a slow lookup, the prompt): the
  // second replaced the first's record (kept as .old) and results, and called its 20 people existing.
  it('two runs planned at once into the same results file: the one that starts second is refused, nothing sent, the first run\'s results kept', async () => {
    sandbox = await startSandbox({port: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(4));
    const out = join(dir, 'people.results.csv');
    const journal = `${out}.journal.jsonl`;
    const first = new Importer({input, out, endpoint: sandbox.url, apiKey: KEY});
    const second = new Importer({input, out, endpoint: sandbox.url, apiKey: KEY});
    await first.prepare();
    await second.prepare();
    await first.execute();
    const results = readFileSync(out, 'utf8');
    await expect(second.execute()).rejects.toMatchObject({code: 'journal_exists', exitCode: 2, message: expect.stringContaining('Another run recorded')});
    expect(sandbox.stats().creates).toBe(4);
    expect(readFileSync(out, 'utf8')).toBe(results);
    expect(existsSync(`${journal}.old`)).toBe(false);

    // Two --resume runs the same way: the second would plan from a record the first has moved on.
    const rows = cleanPeople(6);
    writeCsv(input, rows);
    const resumeA = new Importer({input, out, endpoint: sandbox.url, apiKey: KEY, restart: true});
    await resumeA.prepare();
    const stopped = new AbortController();
    stopped.abort();
    await resumeA.execute({signal: stopped.signal});
    const a = new Importer({input, out, endpoint: sandbox.url, apiKey: KEY, resume: true});
    const b = new Importer({input, out, endpoint: sandbox.url, apiKey: KEY, resume: true});
    await a.prepare();
    await b.prepare();
    await a.execute();
    await expect(b.execute()).rejects.toMatchObject({code: 'journal_exists', message: expect.stringContaining('Another run carried on the run recorded')});
    expect(readResults(out).map((r) => r['import_status'])).toEqual(['existing', 'existing', 'existing', 'existing', 'created', 'created']);
  });

  it('a second run into the same results file is refused while the first is alive (--resume or --restart alike)', async () => {
    sandbox = await startSandbox({port: 0});
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
    await runImport({input, endpoint: sandbox.url, apiKey: KEY});
    const journal = join(dir, 'people.results.csv.journal.jsonl');
    expect(existsSync(`${journal}.lock`)).toBe(false);
    // As if another seam-import (a node process alive now) were writing that record.
    const otherRun = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], {stdio: 'ignore'});
    await once(otherRun, 'spawn');
    try {
      writeFileSync(`${journal}.lock`, `${otherRun.pid}\n`);
      for (const again of [{resume: true}, {restart: true}]) {
        await expect(runImport({input, endpoint: sandbox.url, apiKey: KEY, ...again})).rejects.toMatchObject({code: 'journal_locked', exitCode: 2});
      }
    } finally {
      otherRun.kill();
    }
    expect(sandbox.stats().creates).toBe(3);
  });

  it('a dry run sends nothing and says what would happen', async () => {
    sandbox = await startSandbox({port: 0, seed: 9});
    sandbox.seedIdentities([{email_address: 'p1@example.com', user_identity_key: 'P-1', phone_number: phoneFor(1), full_name: 'x'}]);
    const dir = tempDir();
    const input = writeCsv(join(dir, 'dry.csv'), cleanPeople(10));
    const events: RowOutcome[] = [];
    const importer = new Importer({input, endpoint: sandbox.url, apiKey: KEY, dryRun: true});
    importer.on('row', (outcome) => events.push(outcome));
    const plan = await importer.prepare();
    expect(plan).toMatchObject({toCreate: 9, existing: 1, workspaceIdentities: 1});
    const summary = await importer.execute();
    expect(events).toHaveLength(0);
    expect(summary.counts).toMatchObject({existing: 1, would_create: 9});
    expect(summary.exitCode).toBe(0);
    expect(summary.sendingMs).toBeUndefined();
    expect(sandbox.stats().creates).toBe(0);
    expect(readResults(join(dir, 'dry.results.csv')).map((r) => r['import_status'])).toEqual([
      'existing',
      ...Array(9).fill('would_create'),
    ]);
  });
});
