import {isIPv6} from 'node:net';
import {wrapHelp} from '../report/wrap.js';
import {parseArgs} from 'node:util';

import {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_SANDBOX_SEED,
  DEFAULT_SANDBOX_WORKSPACE_ID,
  type ConflictShape,
  type RetryAfterStyle,
  type SandboxOptions,
} from './options.js';
import {startSandbox} from './server.js';

/** Where the command writes, and what stops it besides SIGINT/SIGTERM; for tests and embedding. */
export interface SandboxCommandIo {
  /** @default process.stdout */
  stdout?: {write(text: string): unknown};
  /** @default process.stderr */
  stderr?: {write(text: string): unknown};
  /** Stops the sandbox when aborted, as SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  /** How the tool was run ("seam-import", "node dist/cli.js"), for the line that points to --help. @default "seam-import" */
  program?: string;
}

const HELP = `Usage: seam-import sandbox [options]

Runs a local stand-in for the Seam API in the foreground, until Ctrl-C.

Options:
  --port <n>                       port to listen on; 0 picks a free one (default ${DEFAULT_SANDBOX_PORT})
  --host <host>                    interface to listen on (default ${DEFAULT_SANDBOX_HOST})
  --api-key <key>                  the API key it accepts (default ${DEFAULT_SANDBOX_API_KEY})
  --personal-access-token <token>  the personal access token it accepts (default ${DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN})
  --workspace-id <uuid>            the workspace the token must name in seam-workspace
                                   (default ${DEFAULT_SANDBOX_WORKSPACE_ID})
  --conflict-shape <shape>         how a taken key, email or phone is refused:
                                   invalid_input (400) or conflict (409) (default invalid_input)
  --latency-ms <n>                 each answer leaves this long after its request arrived (default 0)
  --jitter-ms <n>                  up to this much more delay, at random (default 20% of --latency-ms)
  --rate-limit <rps>               requests per second before 429s; 0 for none (default 0)
  --retry-after <style>            Retry-After on a 429: seconds, http-date or none (default seconds)
  --fail-rate <0..1>               share of requests answered with a 5xx (default 0)
  --drop-after-commit-rate <0..1>  share of creates that commit, then cut the connection (default 0)
  --hang-after-commit-rate <0..1>  share of creates that commit, then never answer (default 0)
  --reset-before-read-rate <0..1>  share of requests reset on arrival, nothing done (default 0)
  --seed <n>                       random seed for the faults (default ${DEFAULT_SANDBOX_SEED})
  -h, --help                       show this help
`;

const FLAGS = {
  port: {type: 'string'},
  host: {type: 'string'},
  'api-key': {type: 'string'},
  'personal-access-token': {type: 'string'},
  'workspace-id': {type: 'string'},
  'conflict-shape': {type: 'string'},
  'latency-ms': {type: 'string'},
  'jitter-ms': {type: 'string'},
  'rate-limit': {type: 'string'},
  'retry-after': {type: 'string'},
  'fail-rate': {type: 'string'},
  'drop-after-commit-rate': {type: 'string'},
  'hang-after-commit-rate': {type: 'string'},
  'reset-before-read-rate': {type: 'string'},
  seed: {type: 'string'},
  help: {type: 'boolean', short: 'h'},
} as const;

class UsageError extends Error {}

/**
 * `seam-import sandbox [options]`: starts the sandbox, prints one line
 * `seam sandbox listening on http://HOST:PORT (api key: KEY)`, and runs until SIGINT/SIGTERM.
 * Resolves to the exit code: 0 after a clean stop, 2 for bad flags or a port it cannot take.
 */
export async function runSandboxCommand(argv: string[], io: SandboxCommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let options: SandboxOptions;
  try {
    const {values} = parseArgs({args: argv, options: FLAGS, strict: true, allowPositionals: false});
    if (values.help === true) {
      stdout.write(wrapHelp(HELP));
      return 0;
    }
    options = toOptions(values);
  } catch (error) {
    stderr.write(`seam-import sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    stderr.write(`Run "${io.program ?? 'seam-import'} sandbox --help" for the options.\n`);
    return 2;
  }

  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    stderr.write(`seam-import sandbox: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  // "--host 0.0.0.0" listens on every interface; the importer sends a key over plain http:// only
  // to this machine, so the URL printed is the one it takes from here.
  const url = loopbackUrl(sandbox.host, sandbox.port) ?? sandbox.url;
  const everywhere = url !== sandbox.url;
  stdout.write(`seam sandbox listening on ${url} (api key: ${sandbox.apiKey})\n`);
  if (everywhere) stdout.write(`  and on every interface (--host ${sandbox.host}); seam-import sends an API key over plain http:// only to this machine (${url}).\n`);
  await untilStopped(io.signal);
  await sandbox.close();
  return 0;
}

/** `--host`: "[::]", as an address is written in a URL, is the address itself. */
export function hostFlag(value: string | undefined): string | undefined {
  return value?.replace(/^\[(.*)\]$/, '$1');
}

/** For a host that is every interface (0.0.0.0, ::, 0:0:0:0:0:0:0:0): the loopback URL to reach it from this machine. */
export function loopbackUrl(host: string, port: number): string | undefined {
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  return isIPv6(host) && /^[0:]+$/.test(host) ? `http://[::1]:${port}` : undefined;
}

type Values = {[K in keyof typeof FLAGS]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string};

function toOptions(values: Values): SandboxOptions {
  const options: SandboxOptions = {
    port: DEFAULT_SANDBOX_PORT,
    host: hostFlag(nonEmpty('--host', values.host)),
    apiKey: nonEmpty('--api-key', values['api-key']),
    personalAccessToken: nonEmpty('--personal-access-token', values['personal-access-token']),
    workspaceId: uuid('--workspace-id', values['workspace-id']),
    conflictShape: oneOf<ConflictShape>('--conflict-shape', values['conflict-shape'], ['invalid_input', 'conflict']),
    latencyMs: number('--latency-ms', values['latency-ms'], 0),
    jitterMs: number('--jitter-ms', values['jitter-ms'], 0),
    rateLimit: number('--rate-limit', values['rate-limit'], 0),
    retryAfter: oneOf<RetryAfterStyle>('--retry-after', values['retry-after'], ['seconds', 'http-date', 'none']),
    failRate: rate('--fail-rate', values['fail-rate']),
    dropAfterCommitRate: rate('--drop-after-commit-rate', values['drop-after-commit-rate']),
    hangAfterCommitRate: rate('--hang-after-commit-rate', values['hang-after-commit-rate']),
    resetBeforeReadRate: rate('--reset-before-read-rate', values['reset-before-read-rate']),
    seed: integer('--seed', values.seed, -(2 ** 31), 2 ** 32 - 1),
  };
  const port = integer('--port', values.port, 0, 65_535);
  if (port !== undefined) options.port = port;
  return options;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return value;
}

function uuid(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`${flag} must be a UUID, got "${value}"`);
  }
  return value?.toLowerCase();
}

function oneOf<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const choice = choices.find((candidate) => candidate === value);
  if (choice === undefined) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return choice;
}

function number(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new UsageError(`${flag} must be a number of at least ${min}, got "${value}"`);
  }
  return parsed;
}

function rate(flag: string, value: string | undefined): number | undefined {
  const parsed = number(flag, value, 0);
  if (parsed !== undefined && parsed > 1) throw new UsageError(`${flag} must be between 0 and 1, got "${value}"`);
  return parsed;
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted === true) stop();
    else signal?.addEventListener('abort', stop, {once: true});
  });
}
