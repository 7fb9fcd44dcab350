import {EventEmitter} from 'node:events';
import {copyFileSync, createReadStream, createWriteStream, existsSync} from 'node:fs';
import {readdir, rm, stat} from 'node:fs/promises';
import {pipeline} from 'node:stream/promises';
import {tmpdir} from 'node:os';
import {basename, join, resolve} from 'node:path';
import type {SeamClient} from '../seam/client.js';
import {SeamApiError} from '../seam/errors.js';
import type {Pacer} from '../seam/pacer.js';
import {canMap, headerOf as headerOfMapping} from './columns.js';
import type {DecideContext} from './decide.js';
import {isAlive} from './alive.js';
import {checkRows, goneWarning, type GivenIds} from './check-pass.js';
import type {ImportEvents, Plan, RowOutcome, Summary} from './events.js';
import {noLongerInSeam, sendRows} from './import-pass.js';
import {resumeAdviceOff, type Halt} from './run-stop.js';
import type {Tally} from './tally.js';
import {aboveHeaderWarning, hiddenColumnsWarning, mapSourceColumns, otherSheetsWarning} from './source-columns.js';
import {ImportError} from './errors.js';
import type {RowPrints} from './row-prints.js';
import {Journal, RUN_RECORD_VERSION, type JournalState, type RunRecord} from './journal.js';
import type {ImportOptions} from './options.js';
import {checkCredentials, checkOutput, fingerprint, readingMismatch, readingOptions, resolveSettings, RESTART_FINDS, RESTART_OTHERWISE, type Settings} from './preflight.js';
import {openTable, type OpenTableOptions} from './read/index.js';
import {credentialKindHint, startError, startWorkspaceLookup, type Workspace} from './workspace.js';
import {PhoneMemo} from './phone-memo.js';
import type {ColumnMapping, TableSource} from './types.js';

interface Prepared {
  settings: Settings;
  source: TableSource;
  mapping: ColumnMapping;
  decide: DecideContext;
  client?: SeamClient;
  pacer?: Pacer;
  plan: Plan;
  journalState?: JournalState;
  /** --restart: the rows the record it starts over from says were created, by row (earlierCreated). */
  restartedFrom?: Map<number, RowOutcome>;
  /** Dry run: the results were written during the check pass. */
  summary?: Summary;
  /** A 401/403 during the first lookups. */
  fatal?: SeamApiError;
  /** Each row as the check pass read it (not in a dry run): the import pass stops at one that differs. */
  prints?: RowPrints;
  /** How the input was opened: the import pass opens its copy the same way. */
  openOptions: OpenTableOptions;
  /** The input's size and modification time when the check pass began. */
  checked?: {size: number; mtimeMs: number};
  /** Rows kept with an id the workspace does not list (GivenIds.unlisted), if any. */
  unlisted?: number;
  /** Of those, the rows whose id Seam answered "not found" when asked for it: row → id. */
  gone?: Map<number, string>;
}

/**
 * The rows the run record --restart starts over from (read by checkOutput) says were created,
 * with their ids. None when there is no record, it could not be read, or it is of another input
 * file (its people are not this file's to find).
 */
function earlierCreated(state: JournalState | undefined, input: string): Map<number, RowOutcome> {
  const created = new Map<number, RowOutcome>();
  if (state === undefined || state.run.input !== resolve(input)) return created;
  for (const [row, outcome] of state.done) if (outcome.status === 'created' && outcome.userIdentityId !== undefined) created.set(row, outcome);
  return created;
}

/**
 * --restart: people the earlier run made (Seam still has them) whom no row of the file finds now.
 * A row whose email or phone was corrected since, with no key, is one of them, and this run makes
 * that person a second time (a reviewer's run: a typo fixed after a crash, two Bob Twos, exit 0).
 * Said before the plan, with the ids, so that the question can be answered no, or the identity
 * found afterwards; rows removed or moved on purpose give the same sign, so it does not stop the run.
 */
function unmatchedWarning(unmatched: readonly RowOutcome[], input: string): string {
  const n = unmatched.length;
  const shown = unmatched
    .slice(0, 3)
    .map((o) => `row ${o.row}: ${o.userIdentityId}${o.email ? ` with email ${JSON.stringify(o.email)}` : ''}${o.phone ? `${o.email ? ' and' : ' with'} phone ${o.phone}` : ''}`)
    .join('; ');
  return `The earlier run recorded here made ${n === 1 ? '1 person' : `${n} people`} whom no row of ${basename(input)} finds now (${shown}${n > 3 ? '; …' : ''}). If a row's email or phone was corrected since and it has no key, this run creates that person a second time: stop here (answer no), give ${n === 1 ? 'that identity' : 'those identities'} the row's details in Seam, then run again. Rows removed or moved on purpose show the same way: then nothing is made twice.`;
}

/**
 * The headless import: `prepare()` reads, checks and looks up (nothing is written to Seam) and
 * resolves to the plan; `execute()` sends the creates and writes the results file. Reporters
 * listen to the events; nothing here prints, prompts or exits.
 */
export class Importer extends EventEmitter<ImportEvents> {
  readonly options: ImportOptions;
  private prepared: Prepared | undefined;
  private readonly startedAt = Date.now();
  /** When the plan was ready; the wait from then to execute() (the person reading it, the prompt) is not the run's time. */
  private plannedAt: number | undefined;
  private waitedMs = 0;

  /** Every warning of the run; those said before the plan go in the summary: they still stand when it ends. */
  private readonly warnings: string[] = [];
  private warningsAtPlan: number | undefined;

  constructor(options: ImportOptions) {
    super();
    this.options = options;
    this.on('warning', (warning) => void this.warnings.push(warning));
  }

  /** Throws ImportError when the run cannot start (exit 2) or the API refuses the credentials (exit 3). */
  async prepare({signal}: {signal?: AbortSignal} = {}): Promise<Plan> {
    const settings = resolveSettings(this.options);
    this.emit('phase', 'reading');
    checkCredentials(settings);
    const {state: journalState, restartReadsOtherwise, restartedFrom} = await checkOutput(settings);
    if (restartReadsOtherwise) this.emit('warning', restartReadsOtherwise);
    for (const notice of this.options.notices ?? []) this.emit('warning', notice);
    if (settings.resume && !journalState) {
      // A mistyped -o would otherwise start over in silence.
      this.emit('warning', `Nothing to resume: no run is recorded for ${settings.out} (no ${settings.journalPath}), so this is a new run. Check -o if you meant to continue one.`);
    }
    const endpointHost = settings.hasCredentials ? new URL(settings.endpoint).host : undefined;
    // Rows the record calls created exist in the Seam it was made against, not necessarily this one.
    const recorded = journalState?.run;
    if (recorded && !settings.dryRun && (recorded.endpointHost !== endpointHost || (recorded.workspaceId && settings.workspaceId && recorded.workspaceId !== settings.workspaceId))) {
      throw new ImportError(
        'journal_mismatch',
        `The run recorded in ${settings.journalPath} went to ${recorded.endpointHost ?? 'no Seam (a dry run)'}${
          recorded.workspaceId ? `, workspace ${recorded.workspaceId}` : ''
        }; this one would go to ${endpointHost ?? 'none'}${settings.workspaceId ? `, workspace ${settings.workspaceId}` : ''}.`,
        {hint: 'Resume against the same Seam, or pass -o with another path (or --restart) for a new run there.'},
      );
    }
    if (journalState && journalState.run.version !== RUN_RECORD_VERSION) {
      throw new ImportError('journal_mismatch', `The run recorded in ${settings.journalPath} was made by ${journalState.run.version < RUN_RECORD_VERSION ? 'an earlier' : 'a later'} version of seam-import, which reads some columns and cells otherwise (a desk phone before a mobile, for one): resumed by this one, a row it sent could be looked up by another value and sent again.`, {
        hint: `Finish it with the version that started it; or import its results file with this one (rows created or existing keep their ids); or pass --restart (people already in Seam are found by key, email or phone; check that the Columns lines show the columns that run used, or pass --map to choose them).`,
      });
    }
    const differs = journalState && readingMismatch(journalState.run.reading, settings);
    if (differs) {
      throw new ImportError('journal_mismatch', differs, {
        hint: `Resume with the options of that run. ${
          readingMismatch(journalState.run.reading, settings, {finding: true}) === undefined ? `Or pass --restart to start over (${RESTART_FINDS})` : `--restart would start over, and ${RESTART_OTHERWISE}`
        }.`,
      });
    }
    // The workspace's identities are asked for now, while the file is opened and mapped.
    const lookup = settings.hasCredentials ? startWorkspaceLookup(settings, {signal, onPage: (listed) => this.emit('looking', listed)}) : undefined;
    let source: TableSource;
    let mapping: ColumnMapping;
    let openOptions: OpenTableOptions;
    try {
      // A header is a row the import can use with the --map given, or (a --map with a typo) without
      // it: then the --map's error lists that header's columns, not a title line's.
      const mapped = Object.values(settings.map).some((header) => header !== undefined);
      openOptions = {
        sheet: settings.sheet,
        encoding: settings.encoding,
        isHeader: (headers) => canMap(headers, settings.map) || (mapped && canMap(headers)),
      };
      source = await openTable(settings.input, openOptions);
      mapping = await mapSourceColumns(source, settings.map, settings.sheet);
      if (journalState) {
        const [inputSize, inputSha256] = await fingerprint(settings.input);
        if (journalState.run.inputSha256 !== inputSha256 || journalState.run.inputSize !== inputSize) {
          if (resolve(settings.input) !== journalState.run.input) {
            throw new ImportError('journal_mismatch', `The run recorded in ${settings.journalPath} imported ${journalState.run.input}, not ${settings.input}.`, {
              hint: 'Resume with that file, or pass -o with another path for a run of this one.',
            });
          }
          throw new ImportError('journal_mismatch', `${settings.input} has changed since the run recorded in ${settings.journalPath}.`, {
            hint: `Resume with the file as it was, or pass --restart to start over (${RESTART_FINDS}).`,
          });
        }
      }
    } catch (error) {
      lookup?.cancel();
      throw error;
    }
    const isResultsFile = mapping.results.import_status !== undefined;
    const headerOf = headerOfMapping(source.headers, mapping);
    this.emit('source', {
      source: source.info,
      mapping: mapping.describe,
      isResultsFile,
      outPath: settings.out,
      journalPath: settings.journalPath,
      endpointHost,
      workspaceId: settings.personalAccessToken ? settings.workspaceId : undefined,
      resumed: journalState !== undefined,
    });
    const titles = aboveHeaderWarning(source.info);
    if (titles) this.emit('warning', titles);
    const sheets = otherSheetsWarning(source.info, settings.sheet);
    if (sheets) this.emit('warning', sheets);
    const hiddenRead = hiddenColumnsWarning(source.info, mapping);
    if (hiddenRead) this.emit('warning', hiddenRead);
    if (source.info.damagedUtf8) {
      this.emit(
        'warning',
        `${basename(settings.input)} is UTF-8 but for a few bytes that are not (a line saved by another program?): they read as \uFFFD. A row where they fall in a name, email, phone or key is invalid (unreadable_text); in other columns they are carried as \uFFFD. Retype those cells, or save the file again as CSV UTF-8.`,
      );
    }
    const underNamed = source.info.utf8UnderNamed;
    if (underNamed && settings.encoding !== undefined) {
      this.emit(
        'warning',
        `--encoding ${settings.encoding} is obeyed, but ${basename(settings.input)} looks like UTF-8: read as ${settings.encoding}, ${JSON.stringify(underNamed.utf8)} becomes ${JSON.stringify(underNamed.named)}. Leave out --encoding unless you are sure.`,
      );
    }
    if (settings.encoding !== undefined && source.info.format === 'xlsx') {
      this.emit('warning', `--encoding ${settings.encoding} is ignored: ${settings.input} is a workbook (.xlsx), whose text is always Unicode.`);
    }
    if (settings.sheet !== undefined && source.info.format !== 'xlsx') {
      this.emit('warning', `--sheet ${settings.sheet} is ignored: ${settings.input} is a text file, not a workbook.`);
    }

    let workspace: Workspace | undefined;
    if (lookup) {
      this.emit('phase', 'preflight');
      // Access systems are looked up only when the run gives some: a workspace (or a server) without them still imports.
      const needsAcsSystems = mapping.fields.acs_system_ids !== undefined || settings.acsSystemIds.length > 0;
      workspace = await lookup.finish({needsAcsSystems});
      if (workspace.fatal) {
        const kind = workspace.fatal.kind === 'unauthorized' ? credentialKindHint(settings) : undefined;
        this.emit('warning', `${(startError(workspace.fatal, settings.endpoint, settings) as Error).message} Nothing will be sent.${kind === undefined ? '' : ` ${kind}`}`);
      }
    }
    const {client, pacer, existing, knownAcsSystems, acsSystemNames, fatal, granted} = workspace ?? {};
    if (existing?.cutShortAt !== undefined) {
      this.emit(
        'warning',
        `The workspace's listing stopped at page ${existing.cutShortAt} (${existing.size === 1 ? '1 identity' : `${existing.size} identities`}) though Seam said there were more: its pages came back again, or brought no one new. People it did not list are counted here as new${settings.dryRun ? '' : "; a create Seam refuses for one of them is looked up, and the row is existing or a conflict, not made twice"}.`,
      );
    }

    const decide: DecideContext = {
      mapping,
      headers: source.headers,
      ...(source.info.delimiter === undefined ? {} : {delimiter: source.info.delimiter}),
      headerOf,
      isResultsFile,
      existing,
      journal: journalState,
      dryRun: settings.dryRun,
      ...(settings.dryRun && fatal
        ? {
            unverified: `Not looked up: Seam refused the ${fatal.kind === 'forbidden' ? 'access (403)' : 'credentials (401)'}, so whether this person is in Seam already is not known. Fix the ${fatal.kind === 'forbidden' ? "credentials' access to this workspace" : 'API key or personal access token'}, then run the dry run again.`,
          }
        : {}),
      normalize: {
        defaultCountry: settings.defaultCountry,
        defaultCountryGiven: settings.defaultCountryGiven,
        ...(mapping.phoneCountry === undefined ? {} : {countryHeader: source.headers[mapping.phoneCountry]}),
        headerOf,
        knownAcsSystems,
        acsSystemNames,
        extraAcsSystemIds: settings.acsSystemIds,
        phones: settings.dryRun ? undefined : new PhoneMemo(),
      },
    };
    this.prepared = {settings, source, mapping, decide, client, pacer, plan: undefined!, journalState, fatal, openOptions, ...(settings.restart && existing ? {restartedFrom: earlierCreated(restartedFrom, settings.input)} : {})};
    this.emit('phase', 'checking');
    this.prepared.checked = await fileState(settings.input);
    const plan = await this.checkPass(signal);
    // Without credentials (a dry run), the ids as given.
    const grants = granted ?? settings.acsSystemIds;
    if (grants.length > 0) plan.granted = [...grants];
    this.prepared.plan = plan;
    this.plannedAt = Date.now();
    this.warningsAtPlan = this.warnings.length;
    this.emit('plan', plan);
    return plan;
  }

  /** Read every row once and count what would happen; a dry run writes its results here. */
  private async checkPass(signal?: AbortSignal): Promise<Plan> {
    const p = this.prepared!;
    // The people the record --restart starts over from made, that Seam still has.
    const made = [...(p.restartedFrom?.values() ?? [])].filter((o) => p.decide.existing?.ids.has(o.userIdentityId!) === true);
    const watch = made.length > 0 ? new Set(made.map((o) => o.userIdentityId!)) : undefined;
    const {plan, written, given, prints, matched} = await checkRows({...p, fatal: p.fatal ? fatalOf(p.fatal) : undefined, ...(watch ? {watch} : {})}, this, signal);
    if (prints) p.prints = prints;
    const unmatched = made.filter((o) => !matched.has(o.userIdentityId!));
    if (unmatched.length > 0) this.emit('warning', unmatchedWarning(unmatched, p.settings.input));
    // Seam's answers for the unlisted ids, asked once: found, not found, or no answer (undefined).
    const byId = new Map<string, boolean | undefined>();
    if (!p.settings.dryRun && p.client && given.count > 0 && given.unlisted === given.count) await this.refuseOtherWorkspace(given, byId, signal);
    const unlisted = await this.stillUnlisted(given, byId, signal);
    if (unlisted.count > 0) {
      this.emit(
        'warning',
        unlisted.unchecked
          ? `${unlisted.count === 1 ? '1 more row is' : `${unlisted.count} more rows are`} kept as ${unlisted.count === 1 ? 'it was' : 'they were'} (created or existing) with an id the workspace's listing did not show, past the ${given.unlistedRows.length} asked for one by one (all of which Seam has: its listing may be behind): check ${unlisted.count === 1 ? 'that one' : 'those'} in Seam before handing the results on.`
          : goneWarning(unlisted.count, unlisted.examples, p.decide.isResultsFile),
      );
      p.unlisted = unlisted.count;
      const gone = new Map(given.unlistedRows.filter((r) => byId.get(r.userIdentityId!) === false).map((r) => [r.row, r.userIdentityId!] as const));
      if (gone.size > 0) p.gone = gone;
    }
    if (written) p.summary = this.summarize(written, {interrupted: false, fatal: p.fatal});
    return plan;
  }

  /** Whether Seam has the identity of this id (undefined: no answer), asked once per check pass. */
  private async hasId(id: string, byId: Map<string, boolean | undefined>, signal?: AbortSignal): Promise<boolean | undefined> {
    if (byId.has(id)) return byId.get(id);
    let answer: boolean | undefined;
    try {
      answer = (await this.prepared!.client!.getUserIdentity({user_identity_id: id}, signal)) !== undefined;
    } catch {
      answer = undefined;
    }
    byId.set(id, answer);
    return answer;
  }

  /**
   * Of the rows kept with an id the workspace's listing did not show, those Seam does not have
   * when asked by id (the first UNLISTED_KEPT; the rest stay counted). A resume moments after a
   * crash met a listing behind: 238 people made seconds before were "deleted since, or made in
   * another workspace", with --restart offered.
   */
  private async stillUnlisted(given: GivenIds, byId: Map<string, boolean | undefined>, signal?: AbortSignal): Promise<{count: number; examples: RowOutcome[]; unchecked?: true}> {
    if (given.unlisted === 0 || this.prepared?.client === undefined || this.prepared.fatal) return {count: given.unlisted, examples: given.examples};
    const rows = given.unlistedRows;
    // Not known (no answer): counted as the listing showed.
    for (let i = 0; i < rows.length; i += 8) await Promise.all(rows.slice(i, i + 8).map(({userIdentityId}) => this.hasId(userIdentityId!, byId, signal)));
    const left = rows.filter((r) => byId.get(r.userIdentityId!) !== true);
    // Every one asked for is there: the listing is behind. Rows past those asked for are not
    // known either way: still counted (the warning names none of them).
    if (left.length === 0) return {count: given.unlisted - rows.length, examples: [], unchecked: true};
    return {count: given.unlisted - (rows.length - left.length), examples: left.slice(0, 3)};
  }

  /**
   * Not one of the ids the run record (a resume) or the results file gives is in this workspace:
   * its credentials are for another one (two API keys reach one host), or all those people were
   * deleted. Rows kept as created there would be reported in Seam here ("Every row is in Seam",
   * exit 0) while the people are not. A few are asked for by id first (a listing a moment behind).
   */
  private async refuseOtherWorkspace(given: GivenIds, byId: Map<string, boolean | undefined>, signal?: AbortSignal): Promise<void> {
    const {settings, journalState} = this.prepared!;
    // Found, or not known: the run goes on, and the rows say what the listing showed.
    for (const {userIdentityId} of given.examples) if ((await this.hasId(userIdentityId!, byId, signal)) !== false) return;
    const examples = `${given.examples.map((o) => `import_row ${o.row}: ${o.userIdentityId}`).join('; ')}${given.count > given.examples.length ? '; …' : ''}`;
    const which = given.count === 1 ? 'the id' : `all ${given.count} ids`;
    if (journalState) {
      throw new ImportError(
        'other_workspace',
        `The run recorded in ${settings.journalPath} made or found people this workspace does not have: ${which} it recorded (${examples}) are missing here. The credentials given are likely for another workspace than that run's. Nothing was sent.`,
        {
          hint: `Resume with the API key (or personal access token and --workspace-id) of the workspace that run used. If those people were deleted from this workspace since, pass --restart to import the file again (people still in Seam are found, not created twice).`,
        },
      );
    }
    throw new ImportError(
      'other_workspace',
      `${settings.input} is a results file whose rows are in another workspace: ${which} it gives its created and existing rows (${examples}) are missing from this one. Nothing was sent.`,
      {
        hint: settings.embedded
          ? `With --sandbox every run has a new, empty sandbox: the one that made these rows ended with its run. To import these people again, import the original spreadsheet (or clear the user_identity_id and import_status columns); to feed results back into the same workspace, run \`${settings.program} sandbox\` in another terminal and import into it with --endpoint.`
          : `Import it with the credentials of the workspace it was made in. To import these people into this workspace, import the original spreadsheet instead (or clear the user_identity_id and import_status columns).`,
      },
    );
  }

  /** After `prepare()`. An aborted signal stops sending, drains requests in flight and writes the results. */
  async execute({signal}: {signal?: AbortSignal} = {}): Promise<Summary> {
    const p = this.prepared;
    if (!p) throw new Error('Importer.execute() called before prepare()');
    if (this.plannedAt !== undefined) this.waitedMs = Date.now() - this.plannedAt;
    if (p.summary) {
      this.emit('phase', 'done');
      this.emit('done', p.summary);
      return p.summary;
    }
    const {settings} = p;
    const client = p.client!;
    const pacer = p.pacer!;
    // The plan was made from the file as it was then: one saved again since (say, fixed in Excel
    // while the plan waited for a yes) is checked again first, not imported on a plan it no longer matches.
    const now = await fileState(settings.input);
    if (p.checked && (now.size !== p.checked.size || now.mtimeMs !== p.checked.mtimeMs)) {
      throw new ImportError('input_changed', `${settings.input} changed after it was checked: nothing was sent.`, {
        hint: 'Run the same command again: the file is checked anew, and the plan shows what will be sent.',
      });
    }
    // --restart writes the results file anew: the earlier one (which rows that run created, with
    // their ids) is kept beside it, as its run record is, rather than replaced without a trace.
    if (settings.restart && !p.journalState && existsSync(settings.out)) {
      try {
        copyFileSync(settings.out, `${settings.out}.old`);
        this.emit('warning', `--restart writes ${settings.out} anew; the earlier one is kept as ${settings.out}.old.`);
      } catch (error) {
        this.emit('warning', `--restart writes ${settings.out} anew, and a copy of the earlier one could not be kept (${(error as NodeJS.ErrnoException).code ?? String(error)}): copy it now if you need it.`);
      }
    }
    const journal = p.journalState
      ? Journal.reopen(settings.journalPath, p.journalState.bytes)
      : Journal.create(settings.journalPath, await this.runRecord(settings), {replacing: settings.restart});
    const copy = await this.copyOfInput(p);
    let end: Awaited<ReturnType<typeof sendRows>>;
    try {
      end = await sendRows({...p, source: copy?.source ?? p.source, client, pacer, journal}, this, signal);
    } finally {
      await copy?.dispose();
    }
    // Saved again while it was being sent: what was checked and confirmed went, from the copy.
    const after = await fileState(settings.input).catch(() => undefined);
    const saved = copy !== undefined && p.checked !== undefined && after !== undefined && (after.size !== p.checked.size || after.mtimeMs !== p.checked.mtimeMs);
    if (saved) {
      this.emit('warning', `${settings.input} was saved again while it was being imported: the rows sent are the ones checked and confirmed (read from a copy taken before sending), not the file as it is now. To import its changes, make them in the results file ${settings.out} and import that file: rows created or existing keep their id and are not sent again (a changed email or phone of one is said, not sent). Not --restart: it finds people by key, email or phone, so a row without a key whose email or phone was changed would be created a second time.`);
    }
    const summary = this.summarize(end.tally, end);
    if (saved) summary.inputSavedDuringRun = true;
    this.emit('phase', 'done');
    this.emit('done', summary);
    return summary;
  }

  /**
   * The import pass reads the file again: from a copy taken now, so that the file saved in place
   * while it is being sent (an editor fixing a typo, `echo >>`) changes nothing of what is sent or
   * written: what was confirmed is what is sent. Without room for a copy, the file itself (its rows
   * are still compared with the ones checked: RowPrints).
   */
  private async copyOfInput(p: Prepared): Promise<{source: TableSource; dispose: () => Promise<void>} | undefined> {
    const path = join(tmpdir(), `seam-import-${process.pid}-${Date.now()}-${basename(p.settings.input)}`);
    await sweepCopies();
    try {
      // Readable by this user alone: it holds the people's details, and the temp folder is shared.
      await pipeline(createReadStream(p.settings.input), createWriteStream(path, {flags: 'wx', mode: 0o600}));
      const source = await openTable(path, p.openOptions);
      return {source, dispose: () => rm(path, {force: true})};
    } catch {
      await rm(path, {force: true}).catch(() => undefined);
      return undefined;
    }
  }

  /** The journal's header: what was imported where, and the input's fingerprint for a later resume. */
  private async runRecord(settings: Settings): Promise<RunRecord> {
    const [inputSize, inputSha256] = await fingerprint(settings.input);
    return {
      type: 'run',
      version: RUN_RECORD_VERSION,
      input: resolve(settings.input),
      inputSize,
      inputSha256,
      endpointHost: new URL(settings.endpoint).host,
      workspaceId: settings.workspaceId,
      startedAt: new Date(this.startedAt).toISOString(),
      reading: readingOptions(settings),
    };
  }

  private summarize(
    tally: Tally,
    extra: {interrupted: boolean; fatal?: SeamApiError; halt?: Halt; notes?: string[]; requests?: number; retries?: number; rateLimited?: number; sendingMs?: number},
  ): Summary {
    const p = this.prepared!;
    const counts = tally.counts();
    const fatal = extra.fatal ? fatalOf(extra.fatal) : undefined;
    const total = tally.total;
    // Kept with an id Seam said it does not have: not "in Seam", whatever the record says. A dry
    // run's results are written before Seam is asked for those ids: counted here, not in the rows.
    const unmarked = p.settings.dryRun && p.gone ? [...p.gone] : [];
    const failures = tally.failures();
    if (unmarked.length > 0) {
      const [row, id] = unmarked[0]!;
      failures.push({code: 'not_in_seam', count: unmarked.length, example: {row, message: `${noLongerInSeam(id)}; the dry run's results file does not mark such rows.`}});
    }
    const gone = failures.find((f) => f.code === 'not_in_seam')?.count ?? 0;
    const good = counts.created + counts.existing + counts.would_create - gone;
    // Seam made the run stop (a long Retry-After, an outage): like Ctrl-C, the rest is resumable.
    const halted = extra.halt !== undefined && counts.skipped > 0;
    // 130 is "resumable": a file changed mid-run is not (its record no longer matches it), it is 1.
    const changed = halted && extra.halt?.code === 'input_changed';
    const exitCode = changed ? 1 : extra.interrupted || halted ? 130 : fatal ? 3 : good === total ? 0 : 1;
    const summary: Summary = {
      total,
      counts,
      failures,
      outPath: p.settings.out,
      ...(p.settings.dryRun ? {} : {journalPath: p.settings.journalPath}),
      ...(tally.kept.created + tally.kept.existing > 0 ? {kept: {...tally.kept}} : {}),
      ...(p.unlisted === undefined ? {} : {unlisted: p.unlisted}),
      dryRun: p.settings.dryRun,
      interrupted: extra.interrupted,
      fatal,
      halted:
        halted && extra.halt
          ? {code: extra.halt.code, message: p.settings.embedded ? resumeAdviceOff(extra.halt.text) : extra.halt.text, ...(extra.halt.endpoint ? {endpoint: true} : {})}
          : undefined,
      durationMs: Date.now() - this.startedAt - this.waitedMs,
      warnings: [...this.warnings.slice(0, this.warningsAtPlan ?? this.warnings.length), ...(extra.notes ?? [])],
      sendingMs: extra.sendingMs,
      requests: extra.requests ?? p.client?.stats.requests ?? 0,
      retries: extra.retries ?? 0,
      rateLimited: extra.rateLimited ?? 0,
      exitCode,
    };
    if (p.settings.dryRun) {
      this.emit('phase', 'done');
      this.emit('done', summary);
    }
    return summary;
  }
}

async function fileState(path: string): Promise<{size: number; mtimeMs: number}> {
  const {size, mtimeMs} = await stat(path);
  return {size, mtimeMs};
}

function fatalOf(error: SeamApiError): {code: 'unauthorized' | 'forbidden'; message: string} {
  return {code: error.kind === 'forbidden' ? 'forbidden' : 'unauthorized', message: error.message};
}

/** prepare + execute, for library use (no confirmation). */
export async function runImport(options: ImportOptions, {signal}: {signal?: AbortSignal} = {}): Promise<Summary> {
  const importer = new Importer(options);
  await importer.prepare({signal});
  return importer.execute({signal});
}

/** A copy of an input left by a run that was killed (SIGKILL leaves no time to remove it): removed. */
async function sweepCopies(): Promise<void> {
  try {
    for (const name of await readdir(tmpdir())) {
      const pid = /^seam-import-(\d+)-\d+-/.exec(name)?.[1];
      if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) await rm(join(tmpdir(), name), {force: true}).catch(() => undefined);
    }
  } catch {
    // Nothing to sweep, or not ours to: the copy is made all the same.
  }
}
