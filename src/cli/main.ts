import {existsSync} from 'node:fs';
import {wrapWords} from '../report/wrap.js';
import {EventEmitter} from 'node:events';
import {isImportError} from '../engine/errors.js';
import {classify, readPrefix} from '../engine/read/detect.js';
import type {ImportEvents, Plan, Summary} from '../engine/events.js';
import {defaultOutPath, journalPathFor, type ImportOptions} from '../engine/options.js';
import {confirmQuestion, planRefusal} from '../report/format.js';
import {exitCodeOf, jsonReport, notPeopleOf, unclearRows, type NextSteps, type Outcome} from '../report/outcome.js';
import {UsageError, asksForJson, collectSecrets, displayHost, parseCommand, type Command, type Env, type UiFlags} from './args.js';
import {againCommand, forRealCommand, programName, restartCommand, resumeCommand, retryCommand, type Invocation} from './commands.js';
import {freshDemoOutPath, startEmbeddedSandbox, type EmbeddedSandbox} from './embedded-sandbox.js';
import {helpPointer, helpText, readVersion} from './help.js';
import {inputPathProblem} from './input-path.js';
import {makeRedact, redactDeep, type Redact} from './redact.js';
import {plainReporter, type Reporter} from './reporters.js';
import {wantsNoColor, wantsTui} from './tty.js';

/** The engine as the CLI uses it: events out, prepare then execute. */
export interface ImporterLike extends EventEmitter<ImportEvents> {
  prepare(options: {signal?: AbortSignal}): Promise<Plan>;
  execute(options: {signal?: AbortSignal}): Promise<Summary>;
}

export interface CliIo {
  /** The arguments after the program. */
  args: readonly string[];
  env: Env;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  cwd: string;
  /** `process.argv[1]`, to print commands the way they were typed. */
  script: string | undefined;
}

export interface CliDeps {
  createImporter: (options: ImportOptions) => Promise<ImporterLike>;
  startSandbox: (options: {demo: boolean}) => Promise<EmbeddedSandbox>;
  runSandboxCommand: (argv: string[], program: string) => Promise<number>;
  /** Where SIGINT, SIGTERM and SIGHUP come from. */
  signals: Pick<NodeJS.Process, 'on' | 'off'>;
  /** The second Ctrl-C: quit now, without waiting for anything. */
  exitNow: (code: number) => void;
  /** Seconds between plain progress lines, in ms (tests shorten it). */
  progressIntervalMs?: number;
  /** After SIGTERM, how long the run may take to stop before it quits at once (tests shorten it). */
  termGraceMs?: number;
}

/**
 * A SIGTERM is a CI job's or a container's stop, with a SIGKILL a few seconds behind it (Docker
 * waits 10 s): waiting the requests in flight out (up to --timeout) lost the --json summary and
 * the resume command to the SIGKILL. After this long the run quits as at a second Ctrl-C: the
 * record (written row by row) is kept, and --resume looks up the rows that were in flight.
 */
const TERM_GRACE_MS = 8_000;

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

const defaultDeps: CliDeps = {
  // Loaded when an import starts: --help, --version and usage errors do not pay for the engine.
  createImporter: async (options) => new (await import('../engine/importer.js')).Importer(options),
  startSandbox: startEmbeddedSandbox,
  runSandboxCommand: async (argv, program) => (await import('../sandbox/command.js')).runSandboxCommand(argv, {program}),
  signals: process,
  exitNow: (code) => process.exit(code),
};

/** The whole CLI: resolves to the exit code (the caller exits with it). */
export async function main(io: CliIo, deps: Partial<CliDeps> = {}): Promise<number> {
  const d: CliDeps = {...defaultDeps, ...deps};
  const redact = makeRedact(collectSecrets(io.args, io.env));

  let command: Command;
  try {
    command = parseCommand(io.args, io.env, existsSync);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const pointer = helpPointer(programName(io.script, io.cwd));
    io.stderr.write(redact(`seam-import: ${error.message}\n${pointer}\n`));
    // The flags did not parse, but a script that passed --json still reads stdout for its one object.
    if (asksForJson(io.args)) writeJsonError(io, redact, {kind: 'error', code: 'usage', message: error.message, hint: pointer, exitCode: error.exitCode});
    return error.exitCode;
  }

  switch (command.kind) {
    case 'help':
      io.stdout.write(helpText());
      return 0;
    case 'version':
      io.stdout.write(`${readVersion()}\n`);
      return 0;
    case 'sandbox':
      return d.runSandboxCommand(command.argv, programName(io.script, io.cwd));
    case 'import': {
      const json = {written: false};
      try {
        return await runImport(command.options, command.ui, io, d, redact, json);
      } catch (error) {
        // A bug of ours got past the flow's own handling: say it in one line, exit 2.
        const debug = io.env['DEBUG'] !== undefined && io.env['DEBUG'] !== '';
        const detail = debug && error instanceof Error && error.stack !== undefined ? error.stack : messageOf(error);
        io.stderr.write(redact(`seam-import: unexpected error: ${detail}\n`));
        // --json promises one object on stdout, this time too (a run may have written one already).
        if (command.ui.json && !json.written) writeJsonError(io, redact, {kind: 'error', code: 'unexpected_error', message: `unexpected error: ${messageOf(error)}`, exitCode: 2});
        return 2;
      }
    }
  }
}

/** `json.written`: whether --json's one object has gone to stdout (the caller's last resort writes one otherwise). */
async function runImport(options: ImportOptions, ui: UiFlags, io: CliIo, d: CliDeps, redact: Redact, json: {written: boolean} = {written: false}): Promise<number> {
  const writeErr = (text: string): void => {
    io.stderr.write(redact(text));
  };
  const invocation: Invocation = {program: programName(io.script, io.cwd), args: io.args};

  // Standard input cannot be the spreadsheet (input-path.ts). Said first: `cat people.csv |
  // seam-import -` would otherwise be told to pass --yes, and then fail anyway.
  const inputProblem = inputPathProblem(options.input);
  if (inputProblem !== undefined) return refuse(io, ui, redact, 'input_unreadable', inputProblem);

  const uiStream = ui.json ? io.stderr : io.stdout;
  const tui = wantsTui({noTui: ui.noTui, env: io.env, stream: uiStream, stdin: io.stdin});
  // Nobody can answer a prompt on a pipe, nor see one written to a file (`2>err.log` with the
  // plain output): say so now, before reading anything.
  if (!ui.yes && !ui.demo && !options.dryRun && (io.stdin.isTTY !== true || (!tui && io.stderr.isTTY !== true))) {
    // A file that is not there is the first thing to say, before how to answer.
    if (!existsSync(options.input)) return refuse(io, ui, redact, 'input_not_found', `File not found: ${options.input}. Check the path and the file name.`);
    // So is a file that is no spreadsheet (a folder, an empty file, a PDF): --yes would only lead to that.
    try {
      const {prefix, wholeFile} = await readPrefix(options.input);
      classify(options.input, prefix, wholeFile);
    } catch (error) {
      if (isImportError(error)) return refuse(io, ui, redact, error.code, `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`);
    }
    return refuse(
      io,
      ui,
      redact,
      'confirmation_needed',
      `Cannot ask for confirmation: ${io.stdin.isTTY !== true ? 'stdin' : 'stderr, where the question would be asked,'} is not a terminal. Pass --yes to import without asking (or --dry-run to see the plan first).`,
    );
  }

  const controller = new AbortController();
  let reporter: Reporter | undefined;
  let interrupts = 0;
  /**
   * The run's end once its outcome is known: `--json`'s one object, the exit code, and whether
   * results were written (a summary; a run stopped early, declined or not started wrote none).
   */
  let ended: {json: string; code: number; written: boolean} | undefined;
  let jsonWritten = false;
  /** Resolves once written: with the error's code if the write failed (a full disk under `--json > file`). */
  const writeJson = (text: string): Promise<string | undefined> => {
    if (!ui.json || jsonWritten) return Promise.resolve(undefined);
    jsonWritten = true;
    json.written = true;
    return new Promise((resolve) => {
      io.stdout.write(`${redact(text)}\n`, (error?: NodeJS.ErrnoException | null) => resolve(error ? (error.code ?? error.message) : undefined));
    });
  };
  // Asked when needed: the demo sets its own --out once the sandbox is up.
  const outPath = (): string => options.out ?? defaultOutPath(options.input);
  /** What made the run quit at once, for its last words. */
  let quitBy: string | undefined;
  /** A stop (Ctrl-C, SIGTERM, a hang-up); the second quits at once, said as `second`. */
  const interrupt = (second = 'second Ctrl-C'): void => {
    interrupts++;
    if (interrupts === 1) {
      controller.abort();
      // Once the outcome is known there is nothing left to stop: the end screen is being drawn.
      if (ended === undefined) reporter?.stopping();
      return;
    }
    quitBy ??= second;
    // The second Ctrl-C: the journal is appended row by row, so it is consistent at any instant.
    // Before the first create there is none: nothing was sent, and there is nothing to resume.
    reporter?.abandon();
    const out = outPath();
    const recorded = existsSync(journalPathFor(out));
    // The results file is written at the end: quitting before leaves none, or an earlier attempt's.
    const results = existsSync(out) ? `${out} is from an earlier attempt, not this one` : `no results file was written`;
    const written = ended?.written === true;
    const resume = !written && recorded && !ui.sandbox ? redact(resumeCommand(invocation)) : undefined;
    const said =
      written
        ? `Quit (${quitBy}) after the results were written to ${out}.`
        : !recorded
          ? `Quit at once (${quitBy}), before anything was sent to Seam.`
          : resume === undefined
            ? `Quit at once (${quitBy}): ${results}. The embedded sandbox ends with this run: run the same command again to start over.`
            : `Quit at once (${quitBy}): ${results}. The run record is kept: continue it and write the results with this command (rows already sent are looked up, not sent twice):`;
    // On a terminal, wrapped at words: the terminal itself would cut it mid-word.
    const columns = io.stderr.isTTY === true && io.stderr.columns > 0 ? io.stderr.columns : undefined;
    // The command whole, on its own line: a terminal's wrapping must not split it.
    io.stderr.write(`\n${columns === undefined ? said : wrapWords(said, columns)}\n${resume === undefined ? '' : `  ${resume}\n`}`);
    // --json promises one object on stdout, also now: the run's own when it is known, else this.
    void writeJson(ended?.json ?? JSON.stringify({ok: false, exitCode: 130, interrupted: true, quit: true, message: said, ...(recorded ? {journalPath: journalPathFor(out)} : {}), ...(resume === undefined ? {} : {next: {resume}})}));
    d.exitNow(ended?.code ?? 130);
  };
  // The terminal closed (a window shut, an SSH session dropped): stop as at the first Ctrl-C, and
  // write the results; never quit at once, since nobody is there to have asked for it. The
  // terminal's streams are gone by then (survivePipeClose drops what is written to them).
  const hangup = (): void => {
    if (interrupts === 0) interrupt();
  };
  let termTimer: ReturnType<typeof setTimeout> | undefined;
  const terminate = (): void => {
    const first = interrupts === 0;
    interrupt('SIGTERM while stopping');
    if (!first) return;
    const graceMs = d.termGraceMs ?? TERM_GRACE_MS;
    const timer = (termTimer = setTimeout(() => {
      if (interrupts !== 1 || ended !== undefined) return;
      quitBy = `SIGTERM, and the run had not stopped ${formatSeconds(graceMs)} later`;
      interrupt();
    }, graceMs));
    timer.unref();
  };
  const ctrlC = (): void => interrupt();
  d.signals.on('SIGINT', ctrlC);
  d.signals.on('SIGTERM', terminate);
  d.signals.on('SIGHUP', hangup);

  let sandbox: EmbeddedSandbox | undefined;
  try {
    if (ui.sandbox) {
      try {
        sandbox = await d.startSandbox({demo: ui.demo});
      } catch (error) {
        return refuse(io, ui, redact, 'sandbox_failed', `Could not start the embedded sandbox: ${messageOf(error)}`);
      }
      options.endpoint = sandbox.url;
      options.apiKey = sandbox.apiKey;
      if (ui.demo && options.out === undefined) options.out = freshDemoOutPath(options.input);
    }

    options.program = invocation.program;
    const importer = await d.createImporter(options);
    // Ink colours through chalk, which never reads NO_COLOR: it reads FORCE_COLOR, from the
    // process's environment, once, when the UI chunk below is first loaded. So it is set here.
    if (tui && wantsNoColor(io.env)) process.env['FORCE_COLOR'] = '0';
    reporter = tui
      ? (await import('./ink-reporter.js')).inkReporter(redactedEvents(importer, redact), {stdout: uiStream, stderr: io.stderr, stdin: io.stdin, onInterrupt: () => interrupt()})
      : plainReporter(importer, {
          write: writeErr,
          stdin: io.stdin,
          stderr: io.stderr,
          onInterrupt: () => interrupt(),
          intervalMs: d.progressIntervalMs,
        });
    if (controller.signal.aborted) reporter.stopping();

    const target = sandbox === undefined ? describeEndpoint(options) : `the embedded sandbox (${displayHost(sandbox.url)})`;
    let outcome = scrub(await drive(importer, reporter, controller.signal, ui, target, io.env), redact);
    // Stopped early, but an earlier attempt's record is there (a --resume stopped while checking): it is kept, to continue.
    if (outcome.kind === 'stopped' && !ui.sandbox && existsSync(journalPathFor(outPath()))) outcome = {kind: 'stopped', recorded: true};
    const next = nextSteps(outcome, invocation, ui, io.cwd, io.stdin.isTTY !== true);
    ended = {json: JSON.stringify(jsonReport(outcome, next)), code: exitCodeOf(outcome), written: outcome.kind === 'summary'};
    // The terminal UI draws the outcome as it is; the plain reporter writes through a scrubbing writer.
    await reporter.finish(tui ? redactDeep(outcome, redact) : outcome, next);
    const lost = await writeJson(ended.json);
    // The object is lost (`--json > summary.json` on a full disk), and a script reads an empty file
    // with the run's own exit code: said where it can still be read. A reader that left (EPIPE) wants nothing.
    if (lost !== undefined && lost !== 'EPIPE') {
      io.stderr.write(
        `\nThe --json object could not be written to stdout (${lost}${lost === 'ENOSPC' ? ': no space left on the disk' : ''}). The run itself ended with exit code ${ended.code}: the lines above, and the results file if one was written, say what it did.\n`,
      );
    }
    return ended.code;
  } finally {
    d.signals.off('SIGINT', ctrlC);
    d.signals.off('SIGTERM', terminate);
    if (termTimer !== undefined) clearTimeout(termTimer);
    d.signals.off('SIGHUP', hangup);
    await sandbox?.close();
  }
}

/** prepare → plan → y/N → execute, each step ending in an outcome rather than a throw. */
async function drive(importer: ImporterLike, reporter: Reporter, signal: AbortSignal, ui: UiFlags, target: string, env: Env): Promise<Outcome> {
  let plan: Plan;
  try {
    plan = await importer.prepare({signal});
  } catch (error) {
    return signal.aborted ? {kind: 'stopped'} : errorOutcome(error, env);
  }
  if (signal.aborted) return {kind: 'stopped'};

  // Nothing to ask when nothing will be sent: a dry run, no rows to create, or credentials
  // Seam already refused (execute() then writes the results, every row skipped, exit 3).
  if (!plan.dryRun && !ui.yes && plan.toCreate > 0 && planRefusal(plan) === undefined) {
    const yes = await reporter.confirm(confirmQuestion(plan, target), {signal, demo: ui.demo});
    if (signal.aborted) return {kind: 'stopped'};
    if (!yes) return {kind: 'declined'};
  }

  try {
    return {kind: 'summary', summary: await importer.execute({signal})};
  } catch (error) {
    return errorOutcome(error, env);
  }
}

function errorOutcome(error: unknown, env: Env): Outcome {
  if (isImportError(error)) {
    return {kind: 'error', code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode, ...(error.restartToContinue ? {restartToContinue: true} : {})};
  }
  // Ours, not the person's: a message, and the stack only when asked for.
  const debug = env['DEBUG'] !== undefined && env['DEBUG'] !== '';
  const stack = error instanceof Error && error.stack !== undefined ? error.stack : undefined;
  return {
    kind: 'error',
    code: 'unexpected',
    message: messageOf(error),
    hint: debug && stack !== undefined ? stack : 'This is a bug in seam-import. Set DEBUG=1 to see where it happened, and report it.',
    exitCode: 2,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const EVENT_NAMES = ['phase', 'source', 'checking', 'plan', 'row', 'progress', 'retry', 'paused', 'warning', 'done'] as const satisfies ReadonlyArray<keyof ImportEvents>;

/**
 * The importer's events with every string scrubbed, for the terminal UI: it draws cells' text
 * (a Seam key pasted into a spreadsheet cell) as it is, not through a scrubbing writer.
 */
function redactedEvents(source: EventEmitter<ImportEvents>, redact: Redact): EventEmitter<ImportEvents> {
  const relay = new EventEmitter<ImportEvents>();
  for (const name of EVENT_NAMES) {
    source.on(name, (...args: unknown[]) => {
      (relay.emit as (event: string, ...rest: unknown[]) => boolean)(name, ...args.map((arg) => redactDeep(arg, redact)));
    });
  }
  return relay;
}

/** Error text comes from outside (the API, the system): scrub it before any reporter sees it. */
function scrub(outcome: Outcome, redact: Redact): Outcome {
  if (outcome.kind !== 'error') return outcome;
  return {...outcome, message: redact(outcome.message), hint: outcome.hint === undefined ? undefined : redact(outcome.hint)};
}

/** "connect.getseam.com" or "connect.getseam.com, workspace …": the host, never the key. */
function describeEndpoint(options: ImportOptions): string {
  const host = displayHost(options.endpoint ?? 'https://connect.getseam.com');
  return options.workspaceId === undefined ? host : `${host} (workspace ${options.workspaceId})`;
}

/** `scripted`: no terminal to answer a question on (CI, a script). */
function nextSteps(outcome: Outcome, invocation: Invocation, ui: UiFlags, cwd: string, scripted = false): NextSteps {
  if (outcome.kind === 'stopped' && outcome.recorded === true) return {resume: resumeCommand(invocation)};
  // Stopped mid-run with what was sent recorded (a disk that filled up): --resume finishes it.
  // Its record gone with the results folder: --restart, as the hint says (people made are found).
  if (outcome.kind === 'error' && outcome.exitCode === 130 && !ui.sandbox) return {resume: outcome.restartToContinue === true ? restartCommand(invocation) : resumeCommand(invocation)};
  if (outcome.kind !== 'summary') return {};
  const s = outcome.summary;
  if (s.dryRun && s.fatal !== undefined) return {again: againCommand(invocation)};
  if (s.halted?.endpoint === true && !ui.sandbox) {
    // After a redirect, --resume (same endpoint) would only meet it again, or be refused with another.
    return {resumeNote: 'Fix --endpoint as said above before running again; the results file says which rows were not made.'};
  }
  // The file changed while it was being sent: its record no longer matches it (--resume is refused).
  if (s.halted?.code === 'input_changed' && !ui.sandbox) return {again: restartCommand(invocation)};
  if ((s.interrupted || s.halted !== undefined) && s.fatal === undefined && s.inputSavedDuringRun === true && !ui.sandbox) {
    // Its record no longer matches the file (--resume is refused): the rows left go on from the results file.
    return {retry: retryCommand(invocation, s.outPath, cwd)};
  }
  if (s.interrupted || s.fatal !== undefined || s.halted !== undefined) {
    return ui.sandbox
      ? {
          resumeNote:
            'The embedded sandbox ended with this run, so there is nothing to resume into: run the same command to start over. ' +
            `To see --resume at work, run \`${invocation.program} sandbox\` in another terminal and import into it with --endpoint.`,
        }
      : {resume: resumeCommand(invocation)};
  }
  if (s.dryRun) return {forReal: forRealCommand(invocation, {scripted})};
  if (s.exitCode === 1 && ui.sandbox) {
    // A retry would go into a new, empty sandbox: the people made here are gone with this one.
    return {
      resumeNote:
        'The embedded sandbox ended with this run, so a retry would go into a new, empty one. ' +
        `To retry into the same workspace, run \`${invocation.program} sandbox\` in another terminal and import into it with --endpoint; with Seam, the summary prints the command.`,
    };
  }
  if (s.exitCode !== 1) return {};
  // Rows Seam did not answer clearly (a 5xx, no answer): this run, continued, looks each person up
  // first, and one it made is `created`; fed back in a results file, `existing`.
  const unclear = unclearRows(s);
  // Something else to send again: rows refused or in conflict, or invalid ones to fix (not totals and notes, nor duplicates).
  const toRetry = s.counts.failed + s.counts.skipped - unclear + s.counts.invalid - notPeopleOf(s) > 0;
  return {...(unclear > 0 ? {resume: resumeCommand(invocation)} : {}), ...(toRetry ? {retry: retryCommand(invocation, s.outPath, cwd)} : {})};
}

function refuse(io: CliIo, ui: UiFlags, redact: Redact, code: string, message: string): number {
  io.stderr.write(redact(`seam-import: ${message}\n`));
  if (ui.json) writeJsonError(io, redact, {kind: 'error', code, message, exitCode: 2});
  return 2;
}

/** A run that could not start, as the one JSON object `--json` promises on stdout. */
function writeJsonError(io: CliIo, redact: Redact, outcome: Extract<Outcome, {kind: 'error'}>): void {
  io.stdout.write(`${redact(JSON.stringify(jsonReport(outcome)))}\n`);
}
