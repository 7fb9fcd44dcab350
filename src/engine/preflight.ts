import {createHash} from 'node:crypto';
import {closeSync, createReadStream, existsSync, lstatSync, openSync, readSync, statSync} from 'node:fs';
import {access, constants, rm, writeFile} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';
import type {CountryCode} from 'libphonenumber-js';
import {ImportError} from './errors.js';
import {canonicalEncoding, encodingOption} from './read/detect.js';
import {textRecords} from './read/text.js';
import {isLoopbackHost} from '../seam/loopback.js';
// Also the CLI's check of --endpoint.
export {isLoopbackHost} from '../seam/loopback.js';
import {proxyFor} from '../seam/proxy.js';
import {readJournal, recordLockedError, runHoldingRecord, type JournalState} from './journal.js';
import {DEFAULT_ENDPOINT, defaultOutPath, journalPathFor, type ImportOptions} from './options.js';
import {RETRYABLE_CODES, type ColumnMap, type Field, type ResultColumn} from './types.js';

export interface Settings {
  input: string;
  out: string;
  journalPath: string;
  endpoint: string;
  apiKey?: string;
  personalAccessToken?: string;
  workspaceId?: string;
  hasCredentials: boolean;
  concurrency: number;
  rate?: number;
  dryRun: boolean;
  resume: boolean;
  restart: boolean;
  embedded: boolean;
  /** How the command is typed (ImportOptions.program). */
  program: string;
  defaultCountry: CountryCode;
  /** --default-country was given (not the US default): the person chose how numbers without + are read. */
  defaultCountryGiven: boolean;
  map: ColumnMap;
  sheet?: string;
  /** Named by --encoding, in the reader's spelling. */
  encoding?: string;
  acsSystemIds: string[];
  timeoutMs: number;
  maxAttempts: number;
  rateLimitBudgetMs: number;
  outageMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The options with every default filled in. */
export function resolveSettings(options: ImportOptions): Settings {
  const out = options.out ?? defaultOutPath(options.input);
  const concurrency = options.concurrency ?? 10;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    throw new ImportError('usage', `--concurrency must be a whole number from 1 to 100 (got ${concurrency}).`);
  }
  if (options.rate !== undefined && !(options.rate > 0)) {
    throw new ImportError('usage', `--rate must be a number of requests per second above 0 (got ${options.rate}).`);
  }
  const acsSystemIds = (options.acsSystemIds ?? []).map((id) => id.trim().toLowerCase());
  const bad = acsSystemIds.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new ImportError('usage', `--acs-system-id "${bad}" is not a UUID.`);
  return {
    input: options.input,
    out,
    journalPath: journalPathFor(out),
    endpoint: options.endpoint ?? DEFAULT_ENDPOINT,
    apiKey: options.apiKey || undefined,
    personalAccessToken: options.personalAccessToken || undefined,
    workspaceId: options.workspaceId || undefined,
    hasCredentials: Boolean(options.apiKey || options.personalAccessToken),
    concurrency,
    rate: options.rate,
    dryRun: options.dryRun ?? false,
    resume: options.resume ?? false,
    restart: options.restart ?? false,
    embedded: options.embedded ?? false,
    program: options.program ?? 'seam-import',
    defaultCountry: options.defaultCountry ?? 'US',
    defaultCountryGiven: options.defaultCountry !== undefined,
    map: options.map ?? {},
    sheet: options.sheet,
    encoding: options.encoding === undefined ? undefined : encodingOption(options.encoding),
    acsSystemIds: [...new Set(acsSystemIds)],
    timeoutMs: options.timeoutMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 5,
    rateLimitBudgetMs: options.rateLimitBudgetMs ?? 300_000,
    outageMs: options.outageMs ?? 60_000,
  };
}

export function checkCredentials(s: Settings): void {
  if (s.apiKey && s.personalAccessToken) {
    throw new ImportError('usage', 'Give either an API key or a personal access token, not both.', {
      hint: 'Unset SEAM_API_KEY or SEAM_PERSONAL_ACCESS_TOKEN (or drop --api-key / --personal-access-token).',
    });
  }
  if (s.personalAccessToken && !s.workspaceId) {
    throw new ImportError('usage', 'A personal access token needs a workspace id.', {
      hint: 'Pass --workspace-id or set SEAM_WORKSPACE_ID.',
    });
  }
  if (s.resume && s.restart) throw new ImportError('usage', 'Pass --resume or --restart, not both.');
  if (!s.dryRun && !s.hasCredentials) {
    throw new ImportError('credentials_missing', 'No Seam credentials: set SEAM_API_KEY (or pass --api-key).', {
      hint: 'Or a personal access token with a workspace id; or --dry-run to check the file only; or --sandbox to try it locally.',
    });
  }
  let url: URL;
  try {
    url = new URL(s.endpoint);
  } catch {
    throw new ImportError('usage', `--endpoint "${s.endpoint}" is not a URL.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ImportError('insecure_endpoint', `Refusing to send the API key over plain http to ${url.host}.`, {
      hint: 'Use an https:// endpoint (http is allowed only for a server on this machine).',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ImportError('usage', `--endpoint must be an http(s) URL (got ${url.protocol}).`);
  }
  if (s.hasCredentials) {
    try {
      proxyFor(url, process.env);
    } catch (error) {
      throw new ImportError('usage', (error as Error).message, {hint: 'Fix HTTPS_PROXY (or unset it to connect directly).'});
    }
  }
}

/**
 * The options that decide what a row means, as flags, for the run record: the default country,
 * --map, --sheet, --encoding and --acs-system-id. A resume with others would judge rows differently from
 * the run it continues (a created row read as invalid, and its id lost from the results).
 */
export function readingOptions(s: Settings): string[] {
  const flags = [`--default-country ${s.defaultCountry}`];
  for (const [field, header] of Object.entries(s.map).sort()) if (header !== undefined) flags.push(`--map ${field}="${header}"`);
  if (s.sheet !== undefined) flags.push(`--sheet "${s.sheet.toLowerCase()}"`);
  if (s.encoding !== undefined) flags.push(`--encoding ${canonicalEncoding(s.encoding)}`);
  for (const id of [...s.acsSystemIds].sort()) flags.push(`--acs-system-id ${id}`);
  return flags;
}

/**
 * The options of this command a results file must be imported with to be read and sent as this
 * run would (the country and columns its rows are read with, the access systems, the Seam it goes
 * to), for the commands a hint prints: without them a reviewer's UK numbers became invalid US ones.
 * Not --sheet nor --encoding: a results file is a UTF-8 CSV.
 */
export function resultsImportFlags(s: Settings): string {
  const flags: string[] = [];
  if (s.defaultCountryGiven) flags.push('--default-country', s.defaultCountry);
  for (const [field, header] of Object.entries(s.map).sort()) if (header !== undefined) flags.push('--map', shellWord(`${field}=${header}`));
  for (const id of [...s.acsSystemIds].sort()) flags.push('--acs-system-id', id);
  if (s.endpoint !== DEFAULT_ENDPOINT) flags.push('--endpoint', hasUserinfo(s.endpoint) ? '<the same endpoint>' : shellWord(s.endpoint));
  if (s.workspaceId !== undefined) flags.push('--workspace-id', shellWord(s.workspaceId));
  return flags.map((flag) => ` ${flag}`).join('');
}

/** A word as a POSIX shell reads it back: as it is when plain, else in single quotes (a header with spaces, quotes or $). */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_\/.,:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** An endpoint URL with a user name or password in it (never printed). */
function hasUserinfo(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.username !== '' || url.password !== '';
  } catch {
    return true;
  }
}

/** The run recorded was made with other reading options than this one's: a sentence saying which, or undefined. */
/** `finding`: only the options that change how a row's person is found (not --acs-system-id). */
export function readingMismatch(recorded: readonly string[] | undefined, s: Settings, {finding = false}: {finding?: boolean} = {}): string | undefined {
  if (recorded === undefined) return undefined;
  const kept = (flag: string): boolean => !finding || !flag.startsWith('--acs-system-id');
  const now = readingOptions(s).filter(kept);
  const before = recorded.filter((flag) => kept(flag) && !now.includes(flag));
  const after = now.filter((flag) => !recorded.includes(flag));
  if (before.length === 0 && after.length === 0) return undefined;
  return `The run recorded in ${s.journalPath} read the file with ${before.join(' ') || 'no such option'}; this one has ${after.join(' ') || 'none of that'}, so rows would not be judged as they were.`;
}

/** Whether two paths are one file: by path, or (through a symlink, a hard link) by device and inode. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const one = statSync(a);
    const two = statSync(b);
    return one.dev === two.dev && one.ino === two.ino;
  } catch {
    return false;
  }
}

/** Two of the results columns (types.ts), each as a whole cell of a header. */
const RESULTS_HEADER = (['import_row', 'import_status'] satisfies ResultColumn[]).map((column) => new RegExp(`(?:^|[,;\\t])"?${column}"?(?:[,;\\t]|$)`, 'm'));

/** Whether the file's header names the results columns (read as UTF-8, or UTF-16 if a spreadsheet re-saved it). */
function isResultsFile(path: string): boolean {
  let head: Buffer;
  try {
    head = readHead(path, 65_536);
  } catch {
    return false;
  }
  if (head.length === 0) return true;
  // Anywhere in the head, as whole cells: a header cell wrapped in Excel ("E-mail⏎Address") puts
  // a line break before them.
  return [head.toString('utf8'), head.toString('utf16le')].some((text) => RESULTS_HEADER.every((column) => column.test(text)));
}

/**
 * Whether a results file holds a row `created`: it pairs rows with the ids a real run made (a dry
 * run's results have none). Unreadable as this tool writes it (re-saved as UTF-16, say): true.
 */
async function holdsCreatedRows(path: string): Promise<boolean> {
  // The header may span lines (a cell wrapped in Excel: "Full⏎Name").
  const head = readHead(path, 65_536).toString('utf8');
  if (!head.includes('import_status')) return true;
  const delimiter = /(?:^|;)"?import_status"?(?:;|$)/m.test(head) ? ';' : ',';
  let status = -1;
  try {
    // A NUL in a cell is no sign of created rows (nulOk: read on, as csv-parse did here before).
    for await (const {cells: record} of textRecords(path, {encoding: 'utf-8', delimiter, sepLine: false}, undefined, {nulOk: true})) {
      if (status < 0) {
        status = record.indexOf('import_status');
        if (status < 0) return true;
      } else if (record[status] === 'created') return true;
    }
  } catch {
    return true;
  }
  return false;
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Before anything is read or sent: the results can be written (and replace nothing but a results
 * file), and an earlier run's record is neither ignored nor overwritten by accident. Returns the
 * record to resume, if any.
 */
/**
 * What the results path holds, and whether this run may write there: the record of the run it
 * continues (`state`, with --resume), and with --restart over a record made with other reading
 * options, a sentence saying so (`restartReadsOtherwise`).
 */
export async function checkOutput(s: Settings): Promise<{state?: JournalState; restartReadsOtherwise?: string; restartedFrom?: JournalState}> {
  if (sameFile(s.out, s.input)) {
    throw new ImportError('usage', `The results file would overwrite the input ${s.input}${resolve(s.out) === resolve(s.input) ? '' : ` (${s.out} is the same file, by a link)`}.`, {
      hint: 'Pass -o with another path.',
    });
  }
  // A device, a pipe or a link at -o (-o /dev/null, "only the JSON, please"): the results are
  // written beside it and renamed into place, which replaced /dev/null itself with a file of
  // people's names (as root), and a named pipe hung the run before it started.
  let entry: ReturnType<typeof lstatSync> | undefined;
  try {
    entry = lstatSync(s.out);
  } catch {
    entry = undefined;
  }
  if (entry?.isSymbolicLink()) {
    throw new ImportError('output_unwritable', `The results path ${s.out} is a symbolic link: the results would replace the link, not go where it points.`, {
      hint: 'Pass -o with the path of a file itself (or a new name). Nothing was sent.',
    });
  }
  if (entry && !entry.isFile() && !entry.isDirectory()) {
    throw new ImportError('output_unwritable', `The results path ${s.out} is not a file (a device, a pipe or a socket): the results file is written beside it and renamed into place, which would replace it.`, {
      hint: 'Pass -o with a file path; to keep only the --json summary, point -o into a temporary folder. Nothing was sent.',
    });
  }
  // Not a link (refused above): what is there, as stat would say it.
  const existing = entry;
  if (existing?.isDirectory()) {
    throw new ImportError('output_unwritable', `The results path ${s.out} is a folder.`, {hint: 'Pass -o with a file path.'});
  }
  // A results file is replaced on every run; any other file (notes, another spreadsheet) is not ours to replace.
  if (existing && !existsSync(s.journalPath) && !isResultsFile(s.out)) {
    throw new ImportError('output_exists', `${s.out} already exists and is not a results file of seam-import: the results would replace it.`, {
      hint: 'Pass -o with another path, or move that file away first. Nothing was sent.',
    });
  }
  // Another building's results, copied away from their record (to a share, for handing on):
  // replaced, the pairing of its rows with the ids its run made would be lost. A dry run's, or
  // with --restart, is replaced.
  if (existing && existing.size > 0 && !s.restart && !existsSync(s.journalPath) && (await holdsCreatedRows(s.out))) {
    throw new ImportError('output_exists', `${s.out} holds the results of an earlier run (rows created, with their user_identity_id), and no run record beside it: the results of this one would replace it.`, {
      hint: `Pass -o with another path; or, to replace it, --restart. (To carry on from that file, import it: ${s.program} ${shellWord(s.out)}${resultsImportFlags(s)} -o <new path>.) Nothing was sent.`,
    });
  }
  // The longest name a run writes beside the results: a name that fits but whose record's lock does
  // not stopped the run after the plan was confirmed, as "a bug in seam-import" (ENAMETOOLONG).
  // The write probe below and the temporary results file carry a process id: the longest one (7 digits).
  const probeName = `.${basename(s.out)}.4194304.probe`;
  const longest = s.dryRun || Buffer.byteLength(probeName) > Buffer.byteLength(`${basename(s.journalPath)}.lock`) ? probeName : `${basename(s.journalPath)}.lock`;
  if (Buffer.byteLength(longest) > NAME_MAX) {
    throw new ImportError('output_unwritable', `The results file's name is too long: ${longest === probeName ? 'its temporary file' : 'its run record\'s lock'} beside it, ${longest.length > 60 ? `${longest.slice(0, 30)}…${longest.slice(-30)}` : longest}, would have ${Buffer.byteLength(longest)} bytes, over the ${NAME_MAX} a file name may have.`, {
      hint: `Pass -o with a name of at most ${NAME_MAX - (Buffer.byteLength(longest) - Buffer.byteLength(basename(s.out)))} bytes. Nothing was sent.`,
    });
  }
  // The folder as given, not resolved: "nodir/../x.csv" names a folder that is not there, which
  // resolve() would hide (the system does not), and the results would fail to be written at the end.
  const folder = dirname(s.out);
  const probe = join(folder, `.${basename(s.out)}.${process.pid}.probe`);
  try {
    await access(folder, constants.W_OK);
    await writeFile(probe, '');
    await rm(probe, {force: true});
  } catch (cause) {
    throw new ImportError('output_unwritable', `Cannot write the results in ${folder} (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'Pass -o with a path in a folder you can write to. Nothing was sent.',
      cause,
    });
  }
  // A folder where the run record or its lock goes: "This is a bug in seam-import" (EISDIR), the
  // lock's only once the plan was confirmed and the first request sent.
  for (const [path, what] of [
    [s.journalPath, 'run record'],
    [`${s.journalPath}.lock`, "run record's lock"],
    // --restart keeps the earlier record there.
    [`${s.journalPath}.old`, 'earlier run record'],
  ] as const) {
    // The earlier record is moved there only when --restart finds one.
    if (what === 'run record' || (!s.dryRun && (what !== 'earlier run record' || (s.restart && existsSync(s.journalPath))))) {
      let isFolder = false;
      try {
        isFolder = lstatSync(path).isDirectory();
      } catch {
        // Nothing there: as it should be, or a record file.
      }
      if (isFolder) {
        throw new ImportError('output_unwritable', `${path} is a folder, where the ${what} of a run into ${s.out} goes.`, {
          hint: `Move that folder away (or pass -o with another path). Nothing was sent.`,
        });
      }
    }
  }
  const recorded = existsSync(s.journalPath);
  if (!recorded) return {};
  const holder = runHoldingRecord(s.journalPath);
  if (holder !== undefined) throw recordLockedError(s.journalPath, holder);
  if (s.dryRun) {
    throw new ImportError('journal_exists', `${s.out} belongs to an earlier run (recorded in ${s.journalPath}); a dry run would overwrite its results.`, {
      hint: s.resume
        ? 'To see what --resume would send, run it without --dry-run and without --yes: it shows the plan and asks before sending anything.'
        : 'Pass -o with another path for the dry run.',
    });
  }
  let state: JournalState | undefined;
  try {
    state = readJournal(s.journalPath);
  } catch (error) {
    if (!s.restart) throw error;
  }
  // The results were changed since a run of the record wrote them (invalid rows fixed in them, as
  // the end of the run said to; a name corrected after a Ctrl-C): written anew from the input,
  // those changes would be lost.
  const ended = state?.ended;
  const wrote = state?.wrote;
  if ((s.resume || s.restart) && wrote && existing && (existing.size !== wrote.resultsSize || existing.mtimeMs !== wrote.resultsMtimeMs)) {
    throw new ImportError('output_exists', `${s.out} was changed after the run recorded in ${s.journalPath} ${wrote.type === 'end' ? 'finished and wrote it' : 'stopped and wrote it'} (rows fixed in it, or saved again by a spreadsheet): ${s.resume ? '--resume' : '--restart'} would write it anew and lose those changes. Nothing was sent.`, {
      hint: `To send its fixed and failed rows${wrote.type === 'end' ? '' : ' and the rows the run left'}, import it: ${s.program} ${shellWord(s.out)}${resultsImportFlags(s)} -o <new path>${wrote.type === 'end' ? '' : ' (rows created or existing keep their ids)'}. Or copy it away first, then run again.`,
    });
  }
  const otherwise = state && readingMismatch(state.run.reading, s);
  // Only the options that change how people are found (not --acs-system-id) make --restart make anyone again.
  const findsOtherwise = state !== undefined && readingMismatch(state.run.reading, s, {finding: true}) !== undefined;
  if (s.restart) return {...(otherwise && findsOtherwise ? {restartReadsOtherwise: `${otherwise} With --restart, ${RESTART_OTHERWISE}.`} : {}), ...(state ? {restartedFrom: state} : {})};
  if (!s.resume) {
    // Read whole above (a record it cannot read has stopped the run unless --restart).
    const recorded = state!.run.input;
    let print: string | undefined;
    const inputPrint = async () => (print ??= (await fingerprint(s.input)).join(' '));
    const recordedPrint = `${state!.run.inputSize} ${state!.run.inputSha256}`;
    // The same file moved (its folder renamed or copied elsewhere with the results): the same run.
    if (!sameFile(recorded, s.input) && (await inputPrint()) !== recordedPrint) {
      // Another file's run (last week's roster): --resume would be refused, --restart would replace its results.
      throw new ImportError('journal_exists', `${s.out} holds the results of an earlier run of another file, ${recorded} (recorded in ${s.journalPath}).`, {
        hint: `Pass -o with another path for ${basename(s.input)}, or --restart to replace that run's results with this one's (${RESTART_FINDS}).`,
      });
    }
    // A finished run into another Seam (a --sandbox trial before the real import): its results
    // file is that Seam's, and importing it here is refused as another workspace's.
    const here = s.hasCredentials ? new URL(s.endpoint).host : undefined;
    if (ended && state && state.run.endpointHost !== undefined && here !== undefined && state.run.endpointHost !== here) {
      throw new ImportError('journal_exists', `The run of ${basename(s.input)} into ${s.out} finished (recorded in ${s.journalPath}) into another Seam, ${state.run.endpointHost}${/^(?:127\.|localhost|\[::1\])/.test(state.run.endpointHost) ? ' (a sandbox on this machine)' : ''}; this one goes to ${here}.`, {
        hint: `To import ${basename(s.input)} into ${here}, pass --restart (${RESTART_FINDS}), or -o with another path.`,
      });
    }
    if (ended && state) {
      // Rows Seam did not answer clearly: --resume looks each person up first (one that run made is `created`).
      const unclear = [...state.done.values()].filter((o) => o.status === 'failed' && o.code !== undefined && RETRYABLE_CODES.has(o.code)).length;
      const resume = unclear === 0 ? '' : `${unclear === 1 ? '1 row' : `${unclear} rows`} got no clear answer from Seam: pass --resume to send ${unclear === 1 ? 'it' : 'them'} again (each person is looked up first). `;
      // Its results renamed or moved away, the record left: the command would name a file not there.
      const results = existing ? shellWord(s.out) : '<the results file, where it is now>';
      const gone = existing ? '' : `; its results file is no longer at ${s.out} (renamed or moved?)`;
      throw new ImportError('journal_exists', `The run of ${basename(s.input)} into ${s.out} finished (recorded in ${s.journalPath})${gone}.`, {
        hint: `${resume}To send its ${unclear === 0 ? 'failed rows again, or rows' : 'other failed rows, or rows'} fixed in the results file, import the results file: ${s.program} ${results}${resultsImportFlags(s)} -o <new path> (rows created or existing keep their ids). To import ${basename(s.input)} again from the start, pass --restart${findsOtherwise ? `; with this command's options, ${RESTART_OTHERWISE}` : ` (${RESTART_FINDS})`}.`,
      });
    }
    if (state && (await inputPrint()) !== recordedPrint) {
      throw new ImportError('journal_exists', `An earlier run of ${basename(s.input)} into ${s.out} is recorded in ${s.journalPath}, and ${basename(s.input)} has changed since, so it cannot be resumed.`, {
        hint: findsOtherwise
          ? `Pass --restart to import the file as it is now, or -o with another path. With --restart and this command's options, ${RESTART_OTHERWISE}.`
          : `Pass --restart to import the file as it is now (${RESTART_FINDS}), or -o with another path.`,
      });
    }
    if (otherwise) {
      throw new ImportError('journal_exists', otherwise, {
        hint: `Pass --resume with that run's options to continue it (rows already finished are not sent again). ${findsOtherwise ? `--restart would start over, and ${RESTART_OTHERWISE}` : `Or --restart to start over (${RESTART_FINDS})`}.`,
      });
    }
    throw new ImportError('journal_exists', `An earlier run into ${s.out} is recorded in ${s.journalPath}.`, {
      hint: `Pass --resume to continue it (rows already finished are not sent again), or --restart to start over (${RESTART_FINDS}).`,
    });
  }
  return {state};
}

/**
 * What --restart does when the options that decide what a row means changed (another
 * --default-country, --map): people are found as this run reads the rows.
 */
export const RESTART_OTHERWISE =
  'people that run made are looked up by key, email or phone as this run reads the rows, and a person not found that way (one with only a phone number, now read as another number) would be created again';

/**
 * What --restart does with people already in Seam, said where it is offered: it finds them by
 * key, email or phone; a person whose email or phone was corrected in the file after they were
 * created, with no key to find them by, is made again.
 */
export const RESTART_FINDS =
  'people already in Seam are found by key, email or phone and not created twice; but a row whose email or phone was corrected after its person was created, with no key, would be created again: fix that person in Seam, or import the results file instead';

/** The longest file name (in bytes) Linux, macOS and Windows' NTFS allow. */
const NAME_MAX = 255;

/** Size and SHA-256 of the input, so a resume can tell the file was not changed under it. */
export async function fingerprint(path: string): Promise<[number, string]> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return [size, hash.digest('hex')];
}
