import {inputPathProblem} from './input-path.js';
import {isSupportedCountry, type CountryCode} from 'libphonenumber-js';
import {z} from 'zod';
import {DEFAULT_ENDPOINT, type ImportOptions} from '../engine/options.js';
import {isLoopbackHost} from '../engine/preflight.js';
import {MAP_TARGETS, type ColumnMap, type MapTarget} from '../engine/types.js';
import type {Command, UiFlags} from './args.js';
import {countryProblem} from '../engine/country.js';

/**
 * The command line, validated with zod: each flag's own rule (with a message that names it),
 * then the rules between flags (credentials, endpoint, resume), then the engine's options.
 */

/** A value and where it came from, so that a message can name the flag or the variable. */
export interface Sourced {
  value: string;
  from: string;
}

export function pick(flag: string | undefined, flagName: string, envValue: string | undefined, envName: string): Sourced | undefined {
  if (flag !== undefined) return {value: flag, from: flagName};
  // An empty variable is the same as an unset one (`SEAM_API_KEY= seam-import ...`).
  if (envValue !== undefined && envValue !== '') return {value: envValue, from: envName};
  return undefined;
}


/** A URL's host without any user info, for display ("the key never appears"). */
export function displayHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid endpoint)';
  }
}

/** An integer flag within a range, e.g. `-c, --concurrency` 1–100. */
function wholeNumber(flag: string, min: number, max: number) {
  const problem = (input: unknown) => `${flag} must be a whole number from ${min} to ${max}; got "${String(input)}".`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, {error: (issue) => problem(issue.input)})
    .transform(Number)
    .pipe(z.number().min(min, {error: (issue) => problem(issue.input)}).max(max, {error: (issue) => problem(issue.input)}));
}

/** A number as people type it: `10`, `2.5`, `.5`, `5.` or `1e3`; not `0x10`, `Infinity` or `-1`. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A flag's text as a finite decimal number; `problem` words the refusal of anything else (1e999 too). */
function decimal(problem: (input: unknown) => string) {
  return z
    .string()
    .trim()
    .regex(DECIMAL, {error: (issue) => problem(issue.input)})
    .refine((text) => Number.isFinite(Number(text)), {error: (issue) => problem(issue.input)})
    .transform(Number);
}

/** A positive decimal flag, e.g. `--rate 2.5`. */
function positiveNumber(flag: string, unit: string) {
  const problem = (input: unknown) => `${flag} must be a number of ${unit} above 0; got "${String(input)}".`;
  return decimal(problem).pipe(z.number().positive({error: (issue) => problem(issue.input)}));
}

/** A decimal flag within a range, e.g. `--timeout 7.5` (seconds, 1–3600). */
function numberBetween(flag: string, unit: string, min: number, max: number, why: string) {
  const problem = (input: unknown) => `${flag} must be a number of ${unit} from ${min} to ${max} (${why}); got "${String(input)}".`;
  return decimal(problem).pipe(z.number().min(min, {error: (issue) => problem(issue.input)}).max(max, {error: (issue) => problem(issue.input)}));
}

const sourcedSchema = z.object({value: z.string(), from: z.string()}).optional();

const mapSchema = z
  .array(
    z.string().transform((entry, ctx) => {
      const eq = entry.indexOf('=');
      const field = (eq < 0 ? entry : entry.slice(0, eq)).trim();
      const header = eq < 0 ? '' : entry.slice(eq + 1).trim();
      if (eq < 0 || field === '' || header === '') {
        ctx.addIssue({code: 'custom', message: `--map takes <field>=<header>, e.g. --map email_address="Work Email"; got "${entry}".`});
        return z.NEVER;
      }
      if (!(MAP_TARGETS as readonly string[]).includes(field)) {
        ctx.addIssue({code: 'custom', message: `--map: "${field}" is not a field; use one of ${MAP_TARGETS.join(', ')}.`});
        return z.NEVER;
      }
      return {field: field as MapTarget, header};
    }),
  )
  .transform((entries, ctx) => {
    const map: ColumnMap = {};
    for (const {field, header} of entries) {
      if (map[field] !== undefined) {
        ctx.addIssue({code: 'custom', message: `--map: ${field} is mapped twice ("${map[field]}" and "${header}").`});
        return z.NEVER;
      }
      map[field] = header;
    }
    return map;
  });

export const flagsSchema = z.object({
  input: z.string().trim().min(1, {error: 'Missing <file>: name the spreadsheet to import.'}),
  /** No such file (as the CLI found it): said before a missing key, which would only be the next problem. */
  inputMissing: z.boolean().default(false),
  out: z
    .string()
    .trim()
    .min(1, {error: '--out needs a path.'})
    // `-o=x.csv`: a short option takes what follows it as is, so the path would be "=x.csv".
    .refine((path) => !path.startsWith('='), {
      error: (issue) => `-o ${String(issue.input)}: a path starting with "=" (was -o=… meant?). Write -o ${String(issue.input).slice(1)} or --out=${String(issue.input).slice(1)}.`,
    })
    // The results are CSV: a workbook's name would give Excel a file it refuses to open.
    .refine((path) => !/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(path), {
      error: (issue) => `--out ${String(issue.input)}: the results file is CSV (Excel opens it); name it .csv, e.g. ${String(issue.input).replace(/\.[^.]+$/, '')}.csv.`,
    })
    .optional(),
  endpoint: sourcedSchema,
  apiKey: sourcedSchema,
  personalAccessToken: sourcedSchema,
  workspaceId: sourcedSchema,
  concurrency: wholeNumber('--concurrency', 1, 100).default(10),
  rate: positiveNumber('--rate', 'requests per second').optional(),
  // Node's timers overflow past 2^31 ms (about 25 days) and then fire at once: every request
  // timed out. Under a second, most would on an ordinary link; over an hour, a hung request holds
  // its place in the queue that long. The default, 30, is well inside.
  timeout: numberBetween('--timeout', 'seconds', 1, 3600, "one request's time limit; default 30").optional(),
  // Tries of one row when Seam gives no clear answer (a 5xx, a cut connection, a timeout), each
  // after a lookup: past 20 a row is better left to --resume than tried for many minutes.
  maxAttempts: wholeNumber('--max-attempts', 1, 20).optional(),
  dryRun: z.boolean(),
  resume: z.boolean(),
  restart: z.boolean(),
  yes: z.boolean(),
  noTui: z.boolean(),
  defaultCountry: z
    .string()
    .transform((input, ctx) => {
      const cc = input.trim().toUpperCase();
      if (isSupportedCountry(cc)) return cc;
      // The message quotes what was typed ("United Kingdom"), not its upper case.
      ctx.addIssue({code: 'custom', message: countryProblem('--default-country', input.trim())});
      return z.NEVER;
    })
    // Left out: US (preflight), and the check pass may say the file's numbers look like another country's.
    .optional(),
  map: mapSchema,
  sheet: z.string().trim().min(1, {error: '--sheet needs a worksheet name.'}).optional(),
  encoding: z.string().trim().min(1, {error: '--encoding needs the name of an encoding, such as windows-1251.'}).optional(),
  acsSystemIds: z
    .array(z.string().trim().pipe(z.guid({error: (issue) => `--acs-system-id must be a UUID; got "${String(issue.input)}".`})))
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]),
  sandbox: z.boolean(),
  demo: z.boolean(),
  json: z.boolean(),
});

type Flags = z.output<typeof flagsSchema>;

/** Rules between flags, then the engine's options. */
export const commandSchema = flagsSchema.transform((flags, ctx): Command => {
  const fail = (message: string): typeof z.NEVER => {
    ctx.addIssue({code: 'custom', message});
    return z.NEVER;
  };
  if (flags.resume && flags.restart) {
    return fail('--resume and --restart contradict each other: --resume continues the earlier run, --restart starts over. Pass one.');
  }
  if (flags.sandbox && flags.resume) {
    return fail('--resume cannot be used with --sandbox: the embedded sandbox of the earlier run is gone, so every --sandbox run starts over.');
  }

  const options: ImportOptions = {input: flags.input, concurrency: flags.concurrency, defaultCountry: flags.defaultCountry};
  if (flags.out !== undefined) options.out = flags.out;
  if (flags.sheet !== undefined) options.sheet = flags.sheet;
  if (flags.encoding !== undefined) options.encoding = flags.encoding;
  if (flags.rate !== undefined) options.rate = flags.rate;
  if (flags.timeout !== undefined) options.timeoutMs = Math.round(flags.timeout * 1000);
  if (flags.maxAttempts !== undefined) options.maxAttempts = flags.maxAttempts;
  if (Object.keys(flags.map).length > 0) options.map = flags.map;
  if (flags.acsSystemIds.length > 0) options.acsSystemIds = flags.acsSystemIds;
  if (flags.dryRun) options.dryRun = true;
  if (flags.resume) options.resume = true;
  // An earlier record beside --out belongs to a sandbox that is gone: --sandbox always starts over.
  if (flags.restart || flags.sandbox) options.restart = true;
  // …and has nothing to resume into: the rows' messages say to run again.
  if (flags.sandbox) options.embedded = true;

  const ui: UiFlags = {yes: flags.yes, noTui: flags.noTui, json: flags.json, sandbox: flags.sandbox, demo: flags.demo};

  if (flags.sandbox) {
    // The embedded sandbox brings its own endpoint and key; ambient SEAM_* variables are ignored.
    for (const sourced of [flags.endpoint, flags.apiKey, flags.personalAccessToken, flags.workspaceId]) {
      if (sourced?.from.startsWith('--')) {
        return fail(`${sourced.from} cannot be used with --sandbox: the embedded sandbox has its own endpoint and key.`);
      }
    }
    return {kind: 'import', options, ui};
  }

  const endpoint = checkEndpoint(flags.endpoint ?? {value: DEFAULT_ENDPOINT, from: '--endpoint'});
  if (typeof endpoint !== 'string') return fail(endpoint.problem);
  options.endpoint = endpoint;

  const credentials = checkCredentials(flags);
  if ('problem' in credentials) return fail(credentials.problem);
  Object.assign(options, credentials);
  // A variable left from a token's session: the import goes to the key's workspace, whatever it says.
  if (credentials.apiKey && flags.workspaceId && flags.workspaceId.value.trim() !== '') {
    options.notices = [
      `${flags.workspaceId.from} (${flags.workspaceId.value.trim()}) is ignored: an API key belongs to one workspace, and the people go to that workspace, whatever the variable says. Check that ${flags.apiKey?.from ?? 'the API key'} is the key of the workspace you mean.`,
    ];
  }

  if (!options.apiKey && !options.personalAccessToken && !flags.dryRun) {
    // Standard input ("-") is the command's to refuse, saying why (main.ts), with or without
    // credentials: not "File not found: -".
    if (inputPathProblem(flags.input.trim()) !== undefined) return {kind: 'import', options, ui};
    if (flags.inputMissing) return fail(missingFile(flags.input));
    return fail('No Seam credentials: set SEAM_API_KEY (or pass --api-key), or try it first with --sandbox or --dry-run.');
  }
  return {kind: 'import', options, ui};
});

/** A file that is not there; "sanbox" was meant as the command. */
function missingFile(input: string): string {
  const command = input.length >= 5 && input.length <= 9 && editDistance(input.toLowerCase(), 'sandbox') <= 2;
  return `File not found: ${input}. Check the path and the file name.${command ? ' To start the local sandbox server, the command is: seam-import sandbox' : ''}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `localhost:9` or `connect.getseam.com`: a host (and port, and path) with nothing in front. As a
 * URL the first reads as the scheme "localhost:" and the second does not parse at all; either
 * way, what was meant is plain. No "@": whatever stands before one may be a password.
 */
const BARE_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d+)?(\/[^@]*)?$/;

function missingScheme(endpoint: Sourced): string | undefined {
  const value = endpoint.value.trim();
  if (!BARE_HOST.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    return undefined;
  }
  const also = isLoopbackHost(url.hostname) ? ` (or http://${value}: plain http is allowed to this machine only)` : '';
  return `${endpoint.from} must start with https://; got "${value}". Write https://${value}${also}.`;
}

function checkEndpoint(endpoint: Sourced): string | {problem: string} {
  const bare = missingScheme(endpoint);
  if (bare !== undefined) return {problem: bare};
  let url: URL;
  try {
    url = new URL(endpoint.value);
  } catch {
    return {problem: `${endpoint.from} must be a URL such as https://connect.getseam.com; got "${endpoint.value}".`};
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {problem: `${endpoint.from} must be an https:// URL; got ${url.protocol}//.`};
  }
  if (url.username !== '' || url.password !== '') {
    // Said without the URL: whatever is in it may be a secret.
    return {problem: `${endpoint.from} must not carry a user name or password; pass the key with --api-key or SEAM_API_KEY.`};
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      problem: `${endpoint.from}: plain http:// would send the key unencrypted to ${url.host}; use https://, or http:// only to this machine (localhost, 127.0.0.1, ::1).`,
    };
  }
  return endpoint.value.replace(/\/+$/, '');
}

function checkCredentials(flags: Flags): {apiKey?: string; personalAccessToken?: string; workspaceId?: string} | {problem: string} {
  const {apiKey, personalAccessToken: pat, workspaceId} = flags;
  for (const [given, variable] of [
    [apiKey, 'SEAM_API_KEY'],
    [pat, 'SEAM_PERSONAL_ACCESS_TOKEN'],
  ] as const) {
    if (!given || given.value.trim() !== '') continue;
    // `--api-key "$SEAM_API_KEY"` (as the printed commands say) in a shell where it is not set.
    const unset = given.from.startsWith('--') ? ` If it was given as "$${variable}", that variable is not set in this shell: export ${variable}=… first.` : '';
    return {problem: `${given.from} is empty.${unset}`};
  }
  for (const given of [apiKey, pat, pat ? workspaceId : undefined]) {
    if (!given) continue;
    // Curly quotes from a document or a chat, a line break from a wrapped paste: a header cannot
    // carry them, and the request failed as "Could not reach Seam" (ERR_INVALID_CHAR). Said
    // without the value: it is a secret.
    const odd = [...given.value.trim()].find((c) => !/^[\x21-\x7E]$/.test(c));
    if (odd !== undefined) {
      const what = /[\u2018\u2019\u201C\u201D\u00AB\u00BB]/.test(odd) ? 'curly quotes' : /\s/.test(odd) ? 'a space or a line break' : `a character a key cannot have (U+${odd.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
      return {problem: `${given.from} holds ${what}: copy it again from the Seam console, as plain text, without quotes around it.`};
    }
  }
  if (apiKey && pat) {
    return {problem: `Both an API key (${apiKey.from}) and a personal access token (${pat.from}) are set; use one of them.`};
  }
  if (pat) {
    if (!workspaceId || workspaceId.value.trim() === '') {
      return {problem: `${pat.from} needs a workspace: pass --workspace-id <id> or set SEAM_WORKSPACE_ID.`};
    }
    return {personalAccessToken: pat.value.trim(), workspaceId: workspaceId.value.trim()};
  }
  if (workspaceId?.from === '--workspace-id') {
    return {
      problem: apiKey
        ? '--workspace-id goes with --personal-access-token; an API key already belongs to one workspace.'
        : '--workspace-id goes with --personal-access-token (or SEAM_PERSONAL_ACCESS_TOKEN).',
    };
  }
  return apiKey ? {apiKey: apiKey.value.trim()} : {};
}
