import {parseArgs} from 'node:util';
import type {z} from 'zod';
import type {ImportOptions} from '../engine/options.js';
import {commandSchema, pick, type flagsSchema} from './options-schema.js';

export {displayHost} from './options-schema.js';
export {isLoopbackHost} from '../engine/preflight.js';


/** A mistake on the command line: exit 2, one line naming the flag, one line pointing at --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** How the run is shown; none of these reach the engine. */
export interface UiFlags {
  /** `-y, --yes`: no confirmation prompt. */
  yes: boolean;
  /** `--no-tui`: plain lines even on a terminal. */
  noTui: boolean;
  /** `--json`: the summary as one JSON object on stdout. */
  json: boolean;
  /** `--sandbox`: start the embedded sandbox and import into it. */
  sandbox: boolean;
  /** `--demo` (hidden): `--sandbox` with latency, a few seeded faults and a fresh results path. */
  demo: boolean;
}

export type Command =
  | {kind: 'help'}
  | {kind: 'version'}
  | {kind: 'sandbox'; argv: string[]}
  | {kind: 'import'; options: ImportOptions; ui: UiFlags};

export type Env = Readonly<Record<string, string | undefined>>;

/** The import command's flags, for parseArgs (also used to re-tokenize a command line). */
export const IMPORT_OPTIONS = {
  out: {type: 'string', short: 'o'},
  endpoint: {type: 'string'},
  'api-key': {type: 'string'},
  'personal-access-token': {type: 'string'},
  'workspace-id': {type: 'string'},
  concurrency: {type: 'string', short: 'c'},
  rate: {type: 'string'},
  timeout: {type: 'string'},
  'max-attempts': {type: 'string'},
  'dry-run': {type: 'boolean'},
  resume: {type: 'boolean'},
  restart: {type: 'boolean'},
  yes: {type: 'boolean', short: 'y'},
  'no-tui': {type: 'boolean'},
  'default-country': {type: 'string'},
  map: {type: 'string', multiple: true},
  sheet: {type: 'string'},
  encoding: {type: 'string'},
  'acs-system-id': {type: 'string', multiple: true},
  sandbox: {type: 'boolean'},
  demo: {type: 'boolean'},
  json: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
  version: {type: 'boolean', short: 'v'},
} as const;

/** Flags whose value is a secret: never echoed, dropped from printed commands. */
export const SECRET_FLAGS = ['--api-key', '--personal-access-token'] as const;
export const SECRET_ENV = ['SEAM_API_KEY', 'SEAM_PERSONAL_ACCESS_TOKEN'] as const;

/**
 * Every secret value given on the command line or in the environment, even when the command line
 * is otherwise wrong, so that any message can be scrubbed of them before it is printed.
 */
export function collectSecrets(argv: readonly string[], env: Env): string[] {
  const secrets = new Set<string>();
  for (const name of SECRET_ENV) {
    const value = env[name];
    if (value) secrets.add(value);
  }
  argv.forEach((arg, i) => {
    for (const flag of SECRET_FLAGS) {
      if (arg.startsWith(`${flag}=`)) {
        const value = arg.slice(flag.length + 1);
        if (value) secrets.add(value);
      } else if (arg === flag) {
        const value = argv[i + 1];
        if (value) secrets.add(value);
      }
    }
  });
  return [...secrets];
}

/** Parse the command line and the environment. Throws UsageError. */
/** `exists`: whether the input file is there (the CLI passes the file system's answer). */
export function parseCommand(argv: readonly string[], env: Env, exists: (path: string) => boolean = () => true): Command {
  if (argv[0] === 'sandbox') return {kind: 'sandbox', argv: argv.slice(1)};

  let parsed;
  try {
    parsed = parseArgs({args: [...argv], options: IMPORT_OPTIONS, strict: true, allowPositionals: true});
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const {values, positionals} = parsed;
  if (values.help) return {kind: 'help'};
  if (values.version) return {kind: 'version'};

  if (positionals.length === 0) {
    // "-o building.csv --dry-run": the file name taken as the results path.
    const out = typeof values.out === 'string' ? values.out : undefined;
    const swallowed = out !== undefined && !/\.results\.csv$/i.test(out) && exists(out) ? ` (-o ${out} took the file as the results path: write the file first, then -o <results path>.)` : '';
    throw new UsageError(`Missing <file>: name the spreadsheet to import.${swallowed}`);
  }
  // A flag beside its variable holding another secret (CI: a global SEAM_API_KEY, a job's own
  // --api-key): the run used the flag's, but every command it prints says "$SEAM_API_KEY", and
  // pasted, imported into the other key's workspace. Said without either value.
  // The embedded sandbox uses its own key: neither is sent anywhere.
  const sandboxed = values.sandbox === true || values.demo === true;
  for (const [flag, variable] of sandboxed ? [] : ([
    ['api-key', 'SEAM_API_KEY'],
    ['personal-access-token', 'SEAM_PERSONAL_ACCESS_TOKEN'],
  ] as const)) {
    const given = values[flag];
    const set = env[variable];
    if (typeof given === 'string' && given.trim() !== '' && set !== undefined && set.trim() !== '' && set.trim() !== given.trim()) {
      throw new UsageError(
        `--${flag} and ${variable} hold different keys. The commands this run prints (to resume, retry, import for real) use "$${variable}", so pasted they would go to the other key's workspace. Unset ${variable}, or set it to this key instead of passing --${flag}.`,
      );
    }
  }
  // "--map user_identity_key Badge": the header read as a second file.
  const loose = (Array.isArray(values.map) ? values.map : []).find((entry) => typeof entry === 'string' && !entry.includes('='));
  if (loose !== undefined && positionals.length > 1) {
    const header = positionals.find((word) => !exists(word)) ?? positionals[1]!;
    throw new UsageError(`--map takes <field>=<header> as one word, with "=": write --map ${loose}="${header}"; "${header}" was read as a second file.`);
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `Only one <file> can be imported at a time; got ${positionals.length} (${positionals.slice(1).length} too many). Quote a path that has spaces.`,
    );
  }

  const raw: z.input<typeof flagsSchema> = {
    input: positionals[0] ?? '',
    inputMissing: positionals[0] !== undefined && positionals[0].trim() !== '' && !exists(positionals[0].trim()),
    out: values.out,
    endpoint: pick(values.endpoint, '--endpoint', env['SEAM_ENDPOINT'], 'SEAM_ENDPOINT'),
    apiKey: pick(values['api-key'], '--api-key', env['SEAM_API_KEY'], 'SEAM_API_KEY'),
    personalAccessToken: pick(
      values['personal-access-token'],
      '--personal-access-token',
      env['SEAM_PERSONAL_ACCESS_TOKEN'],
      'SEAM_PERSONAL_ACCESS_TOKEN',
    ),
    workspaceId: pick(values['workspace-id'], '--workspace-id', env['SEAM_WORKSPACE_ID'], 'SEAM_WORKSPACE_ID'),
    concurrency: values.concurrency,
    rate: values.rate,
    timeout: values.timeout,
    maxAttempts: values['max-attempts'],
    dryRun: values['dry-run'] ?? false,
    resume: values.resume ?? false,
    restart: values.restart ?? false,
    yes: values.yes ?? false,
    noTui: values['no-tui'] ?? false,
    defaultCountry: values['default-country'],
    map: values.map ?? [],
    sheet: values.sheet,
    encoding: values.encoding,
    acsSystemIds: values['acs-system-id'] ?? [],
    sandbox: (values.sandbox ?? false) || (values.demo ?? false),
    demo: values.demo ?? false,
    json: values.json ?? false,
  };

  const result = commandSchema.safeParse(raw);
  if (!result.success) throw new UsageError(result.error.issues[0]?.message ?? 'Invalid command line.');
  return result.data;
}

/**
 * Whether the command line asks for `--json`, even when it is otherwise wrong: a usage error
 * still owes such a caller its one JSON object on stdout. Read with parseArgs' own tokens, so a
 * `--json` after `--` (a file name) or given as another flag's value does not count.
 */
export function asksForJson(argv: readonly string[]): boolean {
  if (argv[0] === 'sandbox') return false;
  // Not strict: unknown flags and missing values, the very errors being reported, do not throw.
  const {tokens} = parseArgs({args: [...argv], options: IMPORT_OPTIONS, strict: false, allowPositionals: true, tokens: true});
  // `-o --json`: --json read as -o's value, the error being that -o has none.
  return tokens.some((token) => token.kind === 'option' && (token.name === 'json' || (token.value === '--json' && token.inlineValue === false)));
}

function describeParseError(error: unknown): string {
  const code = (error as {code?: unknown}).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' ]*)/.exec(message)?.[1] ?? /'-\w, (--[^' ]+)/.exec(message)?.[1];
  const named = /'(?:-\w, )?(--[\w-]+)/.exec(message)?.[1] ?? flag ?? 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Never echo an inline value: `--apikey=seam_...` is a typo with a secret in it.
    const unknown = (flag ?? 'an option').split('=')[0];
    return `Unknown option ${unknown}.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `${named} does not take a value.`;
    if (message.includes('ambiguous')) return `${named} needs a value (the next word starts with "-"; write ${named}=<value> if it really does).`;
    return `${named} needs a value.`;
  }
  return 'Invalid command line.';
}
