// The CLI's flow, with a scripted stand-in for the engine: prompt, refusal, exit codes, Ctrl-C,
// --json, key redaction. (test/cli-exit-codes.test.ts does the same against the built CLI.)
import {execFileSync} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import {main, type CliDeps, type ImporterLike} from '../src/cli/main.js';
import {wantsTui} from '../src/cli/tty.js';
import {ImportError} from '../src/engine/errors.js';
import type {ImportOptions, Plan} from '../src/engine/index.js';
import {FakeImporter, counts, summary} from './ui-fixtures.js';

const KEY = 'seam_live_Zq8sEcReT0nly';
const ESC = /\u001B/;

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 100;
  rows = 50;
  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A stdin that is (or is not) a terminal, and that a test can type into. */
function fakeStdin(isTTY: boolean) {
  const stdin = new PassThrough() as PassThrough & {isTTY?: boolean; setRawMode?: (mode: boolean) => void; ref?: () => void; unref?: () => void};
  stdin.isTTY = isTTY;
  if (isTTY) stdin.setRawMode = () => {};
  // What a real tty.ReadStream has and ink calls.
  stdin.ref = () => {};
  stdin.unref = () => {};
  return stdin;
}

interface RunOptions {
  env?: Record<string, string>;
  stdinTTY?: boolean;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  importer?: FakeImporter;
  deps?: Partial<CliDeps>;
  /** The process signals the run listens to; a test that raises one mid-run passes its own. */
  signals?: EventEmitter;
  /** Typed at the prompt once it appears on stderr. */
  answer?: string | null;
  /** Called with all of stderr so far after each write (to act at a point of the run's output). */
  onStderr?: (text: string) => void;
  /** `process.argv[1]`: how the command was run (default: the bin on the PATH). */
  script?: string;
}

async function run(args: string[], options: RunOptions = {}) {
  const stdout = new Capture(options.stdoutTTY ?? false);
  // A person at a terminal has stderr on it too.
  const stderr = new Capture(options.stderrTTY ?? options.stdinTTY ?? false);
  const stdin = fakeStdin(options.stdinTTY ?? false);
  const signals = options.signals ?? new EventEmitter();
  const importer = options.importer ?? new FakeImporter();
  const created: ImportOptions[] = [];
  const exitNow = vi.fn<(code: number) => void>();
  if (options.answer !== undefined) {
    const answer = options.answer;
    // Answer when the question is asked, as a person would.
    const onWrite = stderr.write.bind(stderr);
    let answered = false;
    stderr.write = ((chunk: string | Buffer, ...rest: never[]) => {
      const result = onWrite(chunk, ...rest);
      if (!answered && stderr.text.includes('[y/N]')) {
        answered = true;
        // null: end of input (Ctrl-D).
        queueMicrotask(() => (answer === null ? stdin.end() : stdin.write(answer)));
      }
      return result;
    }) as typeof stderr.write;
  }
  if (options.onStderr !== undefined) {
    const watch = options.onStderr;
    const write = stderr.write.bind(stderr);
    stderr.write = ((chunk: string | Buffer, ...rest: never[]) => {
      const result = write(chunk, ...rest);
      watch(stderr.text);
      return result;
    }) as typeof stderr.write;
  }
  const code = await main(
    {
      args,
      env: options.env ?? {SEAM_API_KEY: KEY},
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      cwd: '/work',
      script: options.script ?? '/usr/local/bin/seam-import',
    },
    {
      createImporter: async (o) => {
        created.push(o);
        return importer as ImporterLike;
      },
      signals: signals as unknown as CliDeps['signals'],
      exitNow,
      startSandbox: async () => ({url: 'http://127.0.0.1:40123', apiKey: 'seam_sandbox_key', close: async () => {}}),
      ...options.deps,
    },
  );
  return {code, stdout: stdout.text, stderr: stderr.text, importer, created, signals, exitNow};
}

describe('the import flow', () => {
  it('--yes --no-tui: plan, import, summary on stderr, nothing on stdout, the summary exit code', async () => {
    const r = await run(['people.csv', '--yes', '--no-tui']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Plan for 200 rows');
    expect(r.stderr).toContain('Finished in 8.4s.');
    expect(r.stderr).not.toMatch(ESC);
    expect(r.importer.executed).toBe(true);
    expect(r.created[0]).toMatchObject({input: 'people.csv', apiKey: KEY, concurrency: 10});
  });

  it('exit 0 when every row is in', async () => {
    const importer = new FakeImporter({summary: summary({exitCode: 0, counts: counts({created: 200}), failures: []})});
    expect((await run(['people.csv', '-y'], {importer})).code).toBe(0);
  });

  it('--json: exactly one JSON object on stdout, the words on stderr', async () => {
    const r = await run(['people.csv', '--yes', '--json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(report).toMatchObject({ok: false, exitCode: 1, total: 200, outPath: 'examples/building.results.csv'});
    // The 3 rows with a 5xx are continued with --resume (created if a lost answer made them); the conflict and the invalid rows retried from the results file.
    expect(report['next']).toEqual({
      resume: 'seam-import people.csv --yes --json --resume',
      retry: 'seam-import examples/building.results.csv --yes --json -o examples/building.retry.csv',
    });
    expect(r.stderr).toContain('Finished in 8.4s.');
  });

  it('refuses to start with exit 2 when nobody can answer the prompt', async () => {
    const r = await run(['examples/building.csv', '--no-tui'], {stdinTTY: false});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot ask for confirmation: stdin is not a terminal. Pass --yes');
    expect(r.created).toHaveLength(0);
  });

  it('refuses when the question would go to a file (2>err.log) though stdin is a terminal: it would wait unseen', async () => {
    const r = await run(['examples/building.csv', '--no-tui'], {stdinTTY: true, stderrTTY: false});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot ask for confirmation: stderr, where the question would be asked, is not a terminal. Pass --yes');
    expect(r.created).toHaveLength(0);
  });

  // Was "Cannot ask for confirmation … Pass --yes", and only with --yes the file's own problem.
  it('a file that is no spreadsheet (a folder, an empty file, a PDF) is said first, not that nobody can answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-main-'));
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'list.pdf'), '%PDF-1.7\n%\u00e2\u00e3\n');
    for (const [path, said] of [
      [dir, `seam-import: ${dir} is a folder, not a file.`],
      [join(dir, 'empty.csv'), 'seam-import: empty.csv is empty (0 bytes). Export the spreadsheet again.'],
      [join(dir, 'list.pdf'), 'seam-import: list.pdf is a PDF, not a spreadsheet. Export the list from its source as .xlsx or CSV.'],
    ] as const) {
      const r = await run([path], {stdinTTY: false});
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stderr).not.toContain('Cannot ask for confirmation');
    }
    rmSync(dir, {recursive: true, force: true});
  });

  it('a file that is not there is said first, not that nobody can answer', async () => {
    const r = await run(['no-such-file.csv'], {stdinTTY: false});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('seam-import: File not found: no-such-file.csv. Check the path and the file name.');
  });

  it('a dry run needs no answer', async () => {
    const importer = new FakeImporter({plan: {...(await import('./ui-fixtures.js')).plan, dryRun: true}, summary: summary({dryRun: true, exitCode: 0})});
    const r = await run(['people.csv', '--dry-run'], {env: {}, importer});
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('[y/N]');
    expect(importer.executed).toBe(true);
  });

  it('asks y/N on a terminal; "n" sends nothing and exits 1', async () => {
    const r = await run(['people.csv', '--no-tui'], {stdinTTY: true, answer: 'n\n'});
    expect(r.stderr).toContain('Create 187 user identities in connect.getseam.com? [y/N]');
    expect(r.stderr).toContain('Nothing was sent to Seam.');
    expect(r.code).toBe(1);
    expect(r.importer.executed).toBe(false);
  });

  it('end of input at the question (Ctrl-D) is no, and what follows starts on a line of its own', async () => {
    const r = await run(['people.csv', '--no-tui'], {stdinTTY: true, answer: null});
    // Was "[y/N] Nothing was sent to Seam." on one line.
    expect(r.stderr).toMatch(/\[y\/N\] (?:\u001B\[\d+G)?\nNothing was sent to Seam\./);
    expect(r.importer.executed).toBe(false);
  });

  it('"y" goes on', async () => {
    const r = await run(['people.csv', '--no-tui'], {stdinTTY: true, answer: 'y\n'});
    expect(r.importer.executed).toBe(true);
    expect(r.code).toBe(1);
  });

  it('an empty answer is no', async () => {
    const r = await run(['people.csv', '--no-tui'], {stdinTTY: true, answer: '\n'});
    expect(r.code).toBe(1);
    expect(r.importer.executed).toBe(false);
  });

  it('does not ask when Seam already refused the credentials (exit 3, every row skipped)', async () => {
    const {plan} = await import('./ui-fixtures.js');
    // `Plan.fatal` is asked of the engine (see planRefusal); the CLI honours it once it is there.
    const refused: Plan = Object.assign({...plan}, {fatal: {code: 'unauthorized', message: 'Seam refused the credentials (401).'}});
    const importer = new FakeImporter({plan: refused, summary: summary({exitCode: 3, fatal: {code: 'unauthorized', message: 'Seam refused the credentials (401).'}})});
    const r = await run(['people.csv', '--no-tui'], {stdinTTY: true, importer});
    expect(r.stderr).not.toContain('[y/N]');
    expect(r.stderr).toContain('Seam refused the credentials (401). Nothing will be sent.');
    expect(r.code).toBe(3);
  });

  it('--json gives no retry command when nothing is to be sent again (only duplicates, or rows that are not people)', async () => {
    const failures = [{code: 'not_a_person' as const, count: 2, example: {row: 7, message: 'Not a person: …'}}];
    const importer = new FakeImporter({summary: summary({exitCode: 1, counts: counts({created: 190, invalid: 2, duplicate: 8}), failures})});
    const r = await run(['people.csv', '-y', '--json'], {importer});
    const report = JSON.parse(r.stdout) as {exitCode: number; next: object};
    expect(report.exitCode).toBe(1);
    expect(report.next).toEqual({});
  });

  it('a run Seam stopped (an outage) ends with the resume command, as its rows say', async () => {
    const halted = {code: 'network_error' as const, message: 'Seam gave no answer for 61 s (20 requests in a row failed). Run again with --resume when it is back'};
    const importer = new FakeImporter({summary: summary({exitCode: 1, halted, counts: counts({created: 40, skipped: 147})})});
    const r = await run(['people.csv', '-y'], {importer});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Stopped after 8.4s: ${halted.message}.`);
    expect(r.stderr).toMatch(/147 rows marked skipped: not sent, or not confirmed by Seam before the stop \(import_error_message says which\)\. Continue where it stopped with:\n {2}seam-import people\.csv --yes --resume\n/);
    expect(r.stderr).not.toContain('.retry.csv');
  });

  // A reviewer's run: the file saved during sending, then Ctrl-C: "Continue with … --resume", which
  // was then refused because the file had changed (and the warning had said not --restart).
  it('a run stopped after its file was saved again ends with the results file to import, not a --resume that would be refused', async () => {
    const importer = new FakeImporter({summary: summary({exitCode: 130, interrupted: true, inputSavedDuringRun: true, counts: counts({created: 40, skipped: 147})})});
    const r = await run(['people.csv', '-y'], {importer});
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/147 rows marked skipped: not sent, or not confirmed by Seam before the stop \(import_error_message says which\)\. The file was saved during the run \(the warning above\), so --resume would be refused: continue from the results file: rows created keep their ids, the rest are sent \(a person made but not confirmed is found in Seam, not made twice\):\n {2}seam-import \S*building\.results\.csv --yes -o \S*building\.retry\.csv\n/);
    expect(r.stderr).not.toContain('--resume\n');
    const json = await run(['people.csv', '-y', '--json'], {importer: new FakeImporter({summary: summary({exitCode: 130, interrupted: true, inputSavedDuringRun: true, counts: counts({created: 40, skipped: 147})})})});
    expect(JSON.parse(json.stdout).next).toEqual({retry: expect.stringMatching(/^seam-import \S*building\.results\.csv --yes --json -o \S*building\.retry\.csv$/)});
  });

  // A redirect on the create route: the resume command printed went to the same endpoint, or was refused with another.
  it('a run stopped because the create route is not Seam\'s ends with what to fix, not a --resume command', async () => {
    const halted = {code: 'server_error' as const, message: "Seam's address answered /user_identities/create with a redirect (308 to https://x/), the same for every row. …", endpoint: true};
    const importer = new FakeImporter({summary: summary({exitCode: 130, halted, counts: counts({skipped: 187})})});
    const r = await run(['people.csv', '-y'], {importer});
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('187 rows marked skipped: not sent, or not confirmed by Seam before the stop (import_error_message says which).\n  Fix --endpoint as said above before running again; the results file says which rows were not made.\n');
    expect(r.stderr).not.toContain('--resume\n');
  });

  // Its record no longer matches the file, so --resume would be refused: --restart is the way on.
  it('a run stopped because the file changed while it was sent ends with the --restart command, not --resume', async () => {
    const halted = {code: 'input_changed' as const, message: 'people.csv changed while it was being imported (row 900 is not the row checked there): … Check the file, then import it again with --restart (people already made are found, not made twice)'};
    const importer = new FakeImporter({summary: summary({exitCode: 1, halted, counts: counts({created: 899, skipped: 101})})});
    const r = await run(['people.csv', '-y', '--json'], {importer});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '101 rows marked skipped: the file changed while it was being imported (the warning above says where). Check the file, then import it as it is now with (people already made are found, not made twice):\n  seam-import people.csv --yes --json --restart\n',
    );
    expect(r.stderr).not.toContain('--resume\n');
    expect(JSON.parse(r.stdout).next).toEqual({again: 'seam-import people.csv --yes --json --restart'});
  });

  it.each([
    ['input_not_found', 2],
    ['journal_exists', 2],
    ['unauthorized', 3],
    ['forbidden', 3],
  ] as const)('ImportError %s → exit %i, with the hint', async (code, exit) => {
    const importer = new FakeImporter({prepareError: new ImportError(code, `It went wrong (${code}).`, {hint: 'Do this next.'})});
    const r = await run(['people.csv', '-y'], {importer});
    expect(r.code).toBe(exit);
    expect(r.stderr).toContain(`Error: It went wrong (${code}).\n  Do this next.`);
  });

  it('an unexpected error: one line and exit 2, the stack only with DEBUG', async () => {
    const importer = new FakeImporter({executeError: new TypeError('cannot read x of undefined')});
    const r = await run(['people.csv', '-y'], {importer});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: cannot read x of undefined');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = await run(['people.csv', '-y'], {importer: new FakeImporter({executeError: new TypeError('boom')}), env: {SEAM_API_KEY: KEY, DEBUG: '1'}});
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  // Was: exit 2 and nothing on stdout, where --json promises one object.
  it('an unexpected error outside the run (the demo with TMPDIR pointing nowhere) still prints the --json object', async () => {
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/nonexistent-seam-import-tmp';
    try {
      const r = await run(['examples/building.csv', '--sandbox', '--demo', '--json'], {env: {}});
      expect(r.code).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ok: false, exitCode: 2, error: {code: 'unexpected_error', message: expect.stringContaining('ENOENT')}});
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });

  // A disk that filled up mid-run: the JSON had only its error, and the words no command.
  it('a run stopped mid-run by a full disk (exit 130) gives the --resume command, in the words and in --json', async () => {
    const importer = new FakeImporter({executeError: new ImportError('output_unwritable', 'Could not write the results file people.results.csv: ENOSPC. 650 of 3000 rows had been sent.', {midRun: true, hint: 'Free some disk space, then run again with --resume.'})});
    const r = await run(['people.csv', '-y', '--json'], {importer});
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ok: false, exitCode: 130, error: {code: 'output_unwritable'}, next: {resume: 'seam-import people.csv --yes --json --resume'}});
    expect(r.stderr).toContain('Continue it with:\n  seam-import people.csv --yes --json --resume');
  });

  // Its hint said --restart and the line after it "Continue it with: … --resume" (a reviewer's finding).
  it('a run stopped mid-run whose record went with its folder gives the --restart command', async () => {
    const importer = new FakeImporter({executeError: new ImportError('output_unwritable', 'Could not write the results file out/people.results.csv: ENOENT. 12 of 200 rows had been sent when it stopped; the run record out/people.results.csv.journal.jsonl is gone too (was its folder removed?).', {midRun: true, restartToContinue: true, hint: 'Put the folder back, then run the same command again with --restart.'})});
    const r = await run(['people.csv', '-y', '--json'], {importer});
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({next: {resume: 'seam-import people.csv --yes --json --restart'}});
    expect(r.stderr).toContain('Continue it with:\n  seam-import people.csv --yes --json --restart');
    expect(r.stderr).not.toContain('--resume');
  });

  it('never prints the key, even when an error carries it', async () => {
    const importer = new FakeImporter({prepareError: new ImportError('unauthorized', `Seam refused the key ${KEY}.`, {hint: `Check ${KEY}.`})});
    const r = await run(['people.csv', '-y', '--json', '--api-key', KEY], {importer, env: {}});
    expect(r.code).toBe(3);
    expect(r.stderr + r.stdout).not.toContain(KEY);
    expect(r.stderr).toContain('Seam refused the key ***.');
  });

  it('never prints the key in a usage error', async () => {
    const r = await run(['people.csv', `--apikey=${KEY}`, '-c', '0'], {env: {}});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('seam-import: Unknown option --apikey.\nRun `seam-import --help` for usage.\n');
  });

  it('points to --help as the tool was run (node dist/cli.js on a clone)', async () => {
    const r = await run(['people.csv', '--max-attempts', '0'], {script: '/work/dist/cli.js'});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('seam-import: --max-attempts must be a whole number from 1 to 20; got "0".\nRun `node dist/cli.js --help` for usage.\n');
  });

  it.each([
    ['a bad flag value', ['people.csv', '-c', '0', '--json'], '--concurrency must be a whole number from 1 to 100; got "0".'],
    ['contradicting flags', ['people.csv', '--resume', '--restart', '--json'], '--resume and --restart contradict each other: --resume continues the earlier run, --restart starts over. Pass one.'],
    ['an unknown flag', ['people.csv', '--json', '--frobnicate'], 'Unknown option --frobnicate.'],
  ])('--json with a usage error (%s): the one JSON object on stdout, the words on stderr, exit 2', async (_name, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`seam-import: ${message}\nRun \`seam-import --help\` for usage.\n`);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ok: false, exitCode: 2, error: {code: 'usage', message, hint: 'Run `seam-import --help` for usage.'}});
    expect(r.created).toHaveLength(0);
  });

  it('a usage error without --json leaves stdout empty, and never prints the key in the JSON', async () => {
    expect((await run(['people.csv', '-c', '0'])).stdout).toBe('');
    const r = await run(['people.csv', '--json', '--api-key', KEY, '--personal-access-token', 'seam_at_1'], {env: {}});
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ok: false, exitCode: 2, error: {code: 'usage'}});
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('shows the endpoint host and never the key', async () => {
    const r = await run(['people.csv', '--no-tui', '--endpoint', 'https://seam.example.com/v1'], {stdinTTY: true, answer: 'n\n'});
    expect(r.stderr).toContain('Create 187 user identities in seam.example.com?');
    expect(r.stderr).not.toContain(KEY);
  });
});

describe('a spreadsheet on standard input is refused before anything starts', () => {
  const SAVE = 'the spreadsheet is read more than once (checked, then imported) and --resume reads it again. Save it to a file first (e.g. `… > people.csv`) and import that file.';

  it.each([
    // Was "File not found: -".
    ['-', `Reading from standard input ("-") is not supported: ${SAVE}`],
    // Was "Cannot read /dev/stdin: ESPIPE" from a pipe.
    ['/dev/stdin', `Reading from standard input (/dev/stdin) is not supported: ${SAVE}`],
    ['/dev/fd/0', `Reading from standard input (/dev/fd/0) is not supported: ${SAVE}`],
    ['/dev/null', `/dev/null is a device (a terminal, /dev/null or the like), not a file: ${SAVE}`],
  ])('%s: exit 2, one line that says to save it to a file, before the prompt question', async (input, message) => {
    const r = await run([input, '--no-tui'], {stdinTTY: false});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`seam-import: ${message}\n`);
    expect(r.created).toHaveLength(0);
  });

  // Without a key it said "File not found: -" (the README quotes the message above).
  it('"-" with no credentials is said the same way', async () => {
    const r = await run(['-', '--yes'], {stdinTTY: false, env: {}});
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`seam-import: Reading from standard input ("-") is not supported: ${SAVE}\n`);
  });

  it('a named pipe (mkfifo, or <(...) in a shell): exit 2, and --json says so on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-fifo-'));
    try {
      const fifo = join(dir, 'people.csv');
      execFileSync('mkfifo', [fifo]);
      const r = await run([fifo, '-y', '--json']);
      expect(r.code).toBe(2);
      const message = `${fifo} is a pipe, not a file, and reading from a pipe is not supported: ${SAVE}`;
      expect(r.stderr).toBe(`seam-import: ${message}\n`);
      expect(JSON.parse(r.stdout)).toEqual({ok: false, exitCode: 2, error: {code: 'input_unreadable', message}});
      expect(r.created).toHaveLength(0);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('with --sandbox, before the sandbox is started', async () => {
    const startSandbox = vi.fn(async () => ({url: 'http://127.0.0.1:40123', apiKey: 'seam_sandbox_key', close: async () => {}}));
    const r = await run(['-', '--sandbox', '-y'], {deps: {startSandbox}});
    expect(r.code).toBe(2);
    expect(startSandbox).not.toHaveBeenCalled();
  });

  it('an ordinary path that does not exist is left to the engine to report', async () => {
    const r = await run(['no-such-file.csv', '-y']);
    expect(r.created[0]).toMatchObject({input: 'no-such-file.csv'});
  });
});

describe('Ctrl-C', () => {
  it('the first SIGINT aborts: the engine drains, exit 130, and the resume command without the key', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({midRun: () => signals.emit('SIGINT')});
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(
      {
        args: ['people.csv', '-y', '--no-tui', '--api-key', KEY, '-c', '4'],
        env: {},
        stdout: stdout as unknown as NodeJS.WriteStream,
        stderr: stderr as unknown as NodeJS.WriteStream,
        stdin: fakeStdin(false) as unknown as NodeJS.ReadStream,
        cwd: '/work',
        script: '/work/dist/cli.js',
      },
      {createImporter: async () => importer, signals: signals as unknown as CliDeps['signals'], exitNow: vi.fn()},
    );
    expect(code).toBe(130);
    expect(stderr.text).toContain('Stopping: no new requests are sent');
    expect(stderr.text).toContain('Continue where it stopped with:\n  node dist/cli.js people.csv --yes --no-tui --api-key "$SEAM_API_KEY" --concurrency 4 --resume\n');
    expect(stderr.text).not.toContain(KEY);
    // The handlers are gone once the run is over.
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('SIGTERM does the same', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({midRun: () => signals.emit('SIGTERM')});
    const r = await run(['people.csv', '-y'], {importer, signals});
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('--resume');
  });

  it('a second Ctrl-C once the results are written (the end being drawn) quits with the run\'s own exit code, and --json still gives its summary', async () => {
    const signals = new EventEmitter();
    let fired = false;
    const r = await run(['people.csv', '-y', '--json'], {
      signals,
      onStderr: (text) => {
        if (fired || !text.includes('Finished in')) return;
        fired = true;
        signals.emit('SIGINT');
        signals.emit('SIGINT');
      },
    });
    expect(fired).toBe(true);
    expect(r.exitNow).toHaveBeenCalledTimes(1);
    expect(r.exitNow).toHaveBeenCalledWith(r.code);
    expect(r.code).not.toBe(130);
    expect(r.stderr).toContain('Quit (second Ctrl-C) after the results were written to');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({exitCode: r.code, total: expect.any(Number)});
  });

  it('SIGHUP (the terminal closed) stops like Ctrl-C (drains, exit 130, the resume command said); a second one, or one after Ctrl-C, never quits at once', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({
      midRun: () => {
        signals.emit('SIGHUP');
        signals.emit('SIGHUP');
      },
    });
    const r = await run(['people.csv', '-y'], {importer, signals});
    expect(r.code).toBe(130);
    expect(r.exitNow).not.toHaveBeenCalled();
    expect(r.stderr).toContain('--resume');
    expect(signals.listenerCount('SIGHUP')).toBe(0);
    const afterCtrlC = new EventEmitter();
    const again = await run(['people.csv', '-y'], {
      importer: new FakeImporter({
        midRun: () => {
          afterCtrlC.emit('SIGINT');
          afterCtrlC.emit('SIGHUP');
        },
      }),
      signals: afterCtrlC,
    });
    expect(again.code).toBe(130);
    expect(again.exitNow).not.toHaveBeenCalled();
  });

  it('a second Ctrl-C quits at once with 130', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({
      midRun: () => {
        signals.emit('SIGINT');
        signals.emit('SIGINT');
      },
    });
    const r = await run(['people.csv', '-y'], {importer, signals});
    expect(r.exitNow).toHaveBeenCalledWith(130);
    // No run record beside people.results.csv: nothing was sent, nothing to resume.
    expect(r.stderr).toContain('Quit at once (second Ctrl-C), before anything was sent to Seam.');
  });

  it('with --json, a second Ctrl-C still leaves one JSON object on stdout (it was empty)', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({
      midRun: () => {
        signals.emit('SIGINT');
        signals.emit('SIGINT');
      },
    });
    const r = await run(['people.csv', '-y', '--json'], {importer, signals});
    expect(r.exitNow).toHaveBeenCalledWith(130);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ok: false, exitCode: 130, interrupted: true, quit: true, message: 'Quit at once (second Ctrl-C), before anything was sent to Seam.'});
  });

  // A CI job's stop: SIGTERM, SIGKILL 5-10 s later. The run waited its requests in flight out (up
  // to --timeout), and the SIGKILL took the --json summary and the resume command with it.
  it('a SIGTERM the run does not stop within its grace quits at once, with the --json object', async () => {
    const signals = new EventEmitter();
    let release: () => void = () => undefined;
    const importer = new FakeImporter({
      midRun: () => {
        signals.emit('SIGTERM');
        // A request in flight that does not come back: the run cannot stop by itself.
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    const exitNow = vi.fn<(code: number) => void>(() => release());
    const r = await run(['people.csv', '-y', '--json'], {importer, signals, deps: {exitNow, termGraceMs: 10}});
    expect(exitNow).toHaveBeenCalledWith(130);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ok: false, exitCode: 130, quit: true, message: 'Quit at once (SIGTERM, and the run had not stopped 10 ms later), before anything was sent to Seam.'});
  });

  // A supervisor that sends SIGTERM twice (or a Ctrl-C, then a kill from another shell): the
  // last words name what quit it, not a Ctrl-C nobody pressed.
  it('a second SIGTERM quits at once and says so, not "second Ctrl-C"', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({
      midRun: () => {
        signals.emit('SIGTERM', 'SIGTERM');
        signals.emit('SIGTERM', 'SIGTERM');
      },
    });
    const r = await run(['people.csv', '-y', '--json'], {importer, signals, deps: {termGraceMs: 60_000}});
    expect(r.exitNow).toHaveBeenCalledWith(130);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({quit: true, message: 'Quit at once (SIGTERM while stopping), before anything was sent to Seam.'});
  });

  it('a SIGTERM the run stops within its grace ends as a first Ctrl-C does: results written, no quit', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({midRun: () => void signals.emit('SIGTERM')});
    const exitNow = vi.fn<(code: number) => void>();
    const r = await run(['people.csv', '-y', '--json'], {importer, signals, deps: {exitNow, termGraceMs: 60_000}});
    expect(exitNow).not.toHaveBeenCalled();
    expect(r.code).toBe(130);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({interrupted: true, exitCode: 130});
  });

  it('a second Ctrl-C once the run is recorded says the record is kept for --resume', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-cli-'));
    try {
      const out = join(dir, 'people.results.csv');
      writeFileSync(`${out}.journal.jsonl`, '');
      const signals = new EventEmitter();
      const importer = new FakeImporter({
        midRun: () => {
          signals.emit('SIGINT');
          signals.emit('SIGINT');
        },
      });
      const r = await run(['people.csv', '-y', '-o', out], {importer, signals});
      expect(r.stderr).toContain(
        `Quit at once (second Ctrl-C): no results file was written. The run record is kept: continue it and write the results with this command (rows already sent are looked up, not sent twice):\n  seam-import people.csv --yes --out ${out} --resume\n`,
      );
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('before anything is sent (while reading): exit 130, nothing sent', async () => {
    const importer = new FakeImporter();
    const signals = new EventEmitter();
    importer.once('source', () => signals.emit('SIGINT'));
    const r = await run(['people.csv', '-y'], {importer, signals});
    expect(r.code).toBe(130);
    expect(r.importer.executed).toBe(false);
    expect(r.stderr).toContain('Stopped before anything was sent to Seam.');
  });

  it('a --resume stopped while checking: the earlier run is still recorded, with the command that continues it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seam-import-cli-'));
    try {
      const out = join(dir, 'people.results.csv');
      writeFileSync(`${out}.journal.jsonl`, '');
      const importer = new FakeImporter();
      const signals = new EventEmitter();
      importer.once('source', () => signals.emit('SIGINT'));
      const r = await run(['people.csv', '-y', '-o', out, '--resume'], {importer, signals});
      expect(r.code).toBe(130);
      expect(r.importer.executed).toBe(false);
      expect(r.stderr).toContain('Stopping: nothing has been sent in this attempt. Press Ctrl-C again to quit at once.');
      expect(r.stderr).not.toContain('writing the results');
      expect(r.stderr).not.toContain('start over');
      expect(r.stderr).toMatch(/Stopped before this attempt sent anything\. The earlier run is still recorded; continue it with:\n {2}seam-import people\.csv --yes --out \S+ --resume\n/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('at the prompt: exit 130, nothing sent', async () => {
    const importer = new FakeImporter();
    const signals = new EventEmitter();
    importer.once('plan', () => queueMicrotask(() => signals.emit('SIGINT')));
    const r = await run(['people.csv', '--no-tui'], {
      importer,
      stdinTTY: true,
      signals,
    });
    expect(r.code).toBe(130);
    expect(r.importer.executed).toBe(false);
  });
});

describe('--sandbox', () => {
  it('imports into the embedded sandbox with its key, starting over, and says the run cannot be resumed', async () => {
    const close = vi.fn(async () => {});
    const signals = new EventEmitter();
    const importer = new FakeImporter({midRun: () => signals.emit('SIGINT')});
    const r = await run(['people.csv', '--sandbox', '-y'], {
      env: {SEAM_API_KEY: KEY},
      importer,
      signals,
      deps: {
        startSandbox: async () => ({url: 'http://127.0.0.1:40123', apiKey: 'seam_sandbox_key', close}),
      },
    });
    expect(r.created[0]).toMatchObject({endpoint: 'http://127.0.0.1:40123', apiKey: 'seam_sandbox_key', restart: true});
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('The embedded sandbox ended with this run');
    expect(close).toHaveBeenCalled();
  });

  // On a fresh clone `seam-import` is not on the PATH: the advice said `seam-import sandbox` all the same.
  it('names the sandbox command as the run was typed', async () => {
    const signals = new EventEmitter();
    const importer = new FakeImporter({midRun: () => signals.emit('SIGINT')});
    const r = await run(['people.csv', '--sandbox', '-y'], {importer, signals, script: '/work/dist/cli.js'});
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('To see --resume at work, run `node dist/cli.js sandbox` in another terminal');
    expect(r.stderr).not.toContain('`seam-import sandbox`');
  });

  it('--demo writes to a fresh temp path and goes on by itself', async () => {
    const r = await run(['examples/building.csv', '--demo', '--no-tui'], {stdinTTY: true});
    const out = r.created[0]?.out ?? '';
    expect(out).toMatch(/seam-import-demo-\w+[/\\]building\.results\.csv$/);
    rmSync(dirname(out), {recursive: true, force: true});
    expect(r.stderr).toContain('in the embedded sandbox (127.0.0.1:40123)? yes (the demo goes on by itself)');
    expect(r.importer.executed).toBe(true);
  });
});

describe('the terminal UI', () => {
  // The plain and JSON output went through a scrubbing writer; the UI drew cells' text as it is.
  it('masks a Seam key it was not given (pasted in a cell) in what it draws, during the run and at the end', async () => {
    const pasted = 'seam_test2bMS_94SrGUXuNR2JmJkjtvBQDg5c';
    const said = `Column "Email" has "${pasted}" which is not an email address (there is no "@").`;
    const base = summary();
    const importer = new FakeImporter({summary: {...base, failures: [{code: 'invalid_email', count: 1, example: {row: 3, message: said}}], warnings: [`Row 3: ${said}`]}});
    importer.once('plan', () => importer.emit('warning', `Row 3: ${said}`));
    const r = await run(['people.csv', '-y'], {stdoutTTY: true, stdinTTY: true, importer});
    expect(r.stdout).toContain('Finished in 8.4s.');
    expect(r.stdout).toContain('Column "Email" has "***"');
    expect(r.stdout).not.toContain(pasted);
  });

  it('draws on a TTY and exits through the app once the end is drawn', async () => {
    const r = await run(['people.csv', '-y'], {stdoutTTY: true, stdinTTY: true});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Finished in 8.4s.');
    expect(r.stdout).toContain('Plan for 200 rows');
    expect(r.stderr).toBe('');
  });

  it('is not used in CI', async () => {
    const r = await run(['people.csv', '-y'], {stdoutTTY: true, env: {SEAM_API_KEY: KEY, CI: 'true'}});
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Finished in 8.4s.');
  });

  it('is not used with --no-tui', async () => {
    const r = await run(['people.csv', '-y', '--no-tui'], {stdoutTTY: true});
    expect(r.stdout).toBe('');
  });
});

describe('help and version', () => {
  it('--help shows real examples', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seam-import examples/building.csv --sandbox');
    expect(r.stdout).toContain('--personal-access-token');
  });

  // Lines of up to 108 characters wrapped mid-word on an 80-column terminal.
  it('--help and sandbox --help fit 80 columns, descriptions wrapped under their column, commands whole', async () => {
    const r = await run(['--help']);
    const {runSandboxCommand} = await import('../src/sandbox/command.js');
    let sandboxHelp = '';
    await runSandboxCommand(['--help'], {stdout: {write: (text: string) => (sandboxHelp += text)} as unknown as NodeJS.WritableStream});
    for (const text of [r.stdout, sandboxHelp]) {
      expect(text.split('\n').filter((line) => line.length > 80)).toEqual([]);
    }
    expect(r.stdout).toContain('  --encoding <name>                a text file\'s encoding, such as windows-1251\n                                   or shift_jis');
    expect(r.stdout).toContain('  seam-import export.csv --map email_address="Work Email" \\\n    --map user_identity_key=Badge \\\n');
    expect(sandboxHelp).toContain('Usage: seam-import sandbox [options]');
  });

  it('--version reads package.json', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('sandbox is handed its arguments', async () => {
    const runSandboxCommand = vi.fn(async () => 0);
    const r = await run(['sandbox', '--port', '0'], {deps: {runSandboxCommand}});
    expect(r.code).toBe(0);
    expect(runSandboxCommand).toHaveBeenCalledWith(['--port', '0'], 'seam-import');
  });

  it("the sandbox's pointer to its --help names the command as it was run", async () => {
    const {runSandboxCommand} = await import('../src/sandbox/command.js');
    let stderr = '';
    const r = await run(['sandbox', '--bogus'], {
      script: '/work/seam/dist/cli.js',
      deps: {runSandboxCommand: (argv, program) => runSandboxCommand(argv, {program, stdout: {write: () => true}, stderr: {write: (text: string) => (stderr += text)}})},
    });
    expect(r.code).toBe(2);
    expect(stderr.split('\n')[1]).toBe('Run "node seam/dist/cli.js sandbox --help" for the options.');
  });
});

describe('the terminal UI only where it can work', () => {
  const tty = {isTTY: true};
  const pipe = {isTTY: false};
  it.each([
    ['a terminal', {}, tty, tty, true],
    ['stdin from a file or /dev/null (Ink cannot read keys there; it stopped with a stack trace)', {}, tty, pipe, false],
    ['TERM=dumb (an Emacs shell: no cursor movement)', {TERM: 'dumb'}, tty, tty, false],
    ['CI', {CI: 'true'}, tty, tty, false],
    ['output to a pipe', {}, pipe, tty, false],
  ] as const)('%s', (_name, env, stream, stdin, expected) => {
    expect(wantsTui({noTui: false, env, stream, stdin})).toBe(expected);
  });
});

describe('a terminal that reports no width', () => {
  it('is drawn 80 columns wide, also after a resize that reports 0 again; a real width is kept', async () => {
    const {keepWidth} = await import('../src/cli/ink-reporter.js');
    const zero = Object.assign(new EventEmitter(), {columns: 0}) as unknown as NodeJS.WriteStream;
    keepWidth(zero);
    expect(zero.columns).toBe(80);
    zero.columns = 0;
    zero.emit('resize');
    expect(zero.columns).toBe(80);
    const wide = Object.assign(new EventEmitter(), {columns: 132}) as unknown as NodeJS.WriteStream;
    keepWidth(wide);
    expect(wide.columns).toBe(132);
  });
});
