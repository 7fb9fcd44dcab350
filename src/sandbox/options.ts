/** The one API key a sandbox accepts unless told otherwise. */
export const DEFAULT_SANDBOX_API_KEY = 'seam_sandbox_key';
/** The personal access token a sandbox accepts, together with {@link DEFAULT_SANDBOX_WORKSPACE_ID}. */
export const DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN = 'seam_at_sandbox_pat';
/** The sandbox's one workspace: every identity belongs to it, and a PAT must name it. */
export const DEFAULT_SANDBOX_WORKSPACE_ID = '5eed5eed-0000-4000-8000-000000000001';
export const DEFAULT_SANDBOX_HOST = '127.0.0.1';
/** Port of `seam-import sandbox`; {@link startSandbox} defaults to 0 (a free port). */
export const DEFAULT_SANDBOX_PORT = 8787;
export const DEFAULT_SANDBOX_SEED = 1;

/** Paths of the Seam routes the sandbox serves. */
export type SandboxRoute =
  | '/user_identities/create'
  | '/user_identities/get'
  | '/user_identities/list'
  | '/user_identities/delete'
  | '/acs/systems/list';

export const SANDBOX_ROUTES: readonly SandboxRoute[] = [
  '/user_identities/create',
  '/user_identities/get',
  '/user_identities/list',
  '/user_identities/delete',
  '/acs/systems/list',
];

/**
 * How a create that clashes with an existing key, email or phone is refused. Real Seam's answer
 * is unknown, so clients are tested against both.
 * - `invalid_input`: 400, type `invalid_input`, the message and `validation_errors` name the field.
 * - `conflict`: 409, type `user_identity_already_exists`.
 */
export type ConflictShape = 'invalid_input' | 'conflict';

/** How a 429 says when to come back: whole seconds, an HTTP date, or not at all. */
export type RetryAfterStyle = 'seconds' | 'http-date' | 'none';

/** Faults, all off by default; changeable while running with `sandbox.setFaults()`. */
export interface SandboxFaults {
  /**
   * Each answer leaves this many milliseconds after its request arrived (the work is done on arrival).
   * @default 0
   */
  latencyMs?: number;
  /**
   * Up to this many milliseconds more, at random, on top of `latencyMs`.
   * @default 20% of latencyMs
   */
  jitterMs?: number;
  /**
   * Requests per second over all API routes together (token bucket, burst of `max(1, rateLimit)`);
   * over it the answer is 429. 0 means no limit.
   * @default 0
   */
  rateLimit?: number;
  /**
   * The `Retry-After` header on a 429.
   * @default 'seconds'
   */
  retryAfter?: RetryAfterStyle;
  /**
   * Share (0..1) of requests answered with a 5xx before anything is done: a JSON 500, or a
   * non-JSON 500, 502 or 503 as a proxy would send.
   * @default 0
   */
  failRate?: number;
  /**
   * Share (0..1) of creates that commit the identity, then cut the connection without answering.
   * @default 0
   */
  dropAfterCommitRate?: number;
  /**
   * Share (0..1) of creates that commit the identity, then never answer until the client gives up.
   * @default 0
   */
  hangAfterCommitRate?: number;
  /**
   * Share (0..1) of requests whose connection is reset as soon as they arrive; nothing is done.
   * @default 0
   */
  resetBeforeReadRate?: number;
  /**
   * The routes that `failRate` and `resetBeforeReadRate` apply to. The commit faults only ever
   * apply to create; latency and the rate limit apply to every route.
   * @default all routes
   */
  faultRoutes?: readonly SandboxRoute[];
  /**
   * Seed of the random numbers behind every fault: the same seed and the same requests give
   * the same faults. Setting it at run time starts the sequences over.
   * @default 1
   */
  seed?: number;
}

export interface SandboxOptions extends SandboxFaults {
  /**
   * Port to listen on; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * The one API key accepted as `Authorization: Bearer`.
   * @default 'seam_sandbox_key'
   */
  apiKey?: string;
  /**
   * The personal access token accepted, only with a `seam-workspace` header naming `workspaceId`.
   * @default 'seam_at_sandbox_pat'
   */
  personalAccessToken?: string;
  /**
   * Id of the sandbox's one workspace.
   * @default '5eed5eed-0000-4000-8000-000000000001'
   */
  workspaceId?: string;
  /**
   * How a clash on key, email or phone is refused.
   * @default 'invalid_input'
   */
  conflictShape?: ConflictShape;
}

export interface ResolvedSandboxOptions {
  port: number;
  host: string;
  apiKey: string;
  personalAccessToken: string;
  workspaceId: string;
  conflictShape: ConflictShape;
}

export function resolveSandboxOptions(options: SandboxOptions): ResolvedSandboxOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_SANDBOX_HOST,
    apiKey: options.apiKey ?? DEFAULT_SANDBOX_API_KEY,
    personalAccessToken: options.personalAccessToken ?? DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN,
    workspaceId: options.workspaceId ?? DEFAULT_SANDBOX_WORKSPACE_ID,
    conflictShape: options.conflictShape ?? 'invalid_input',
  };
}
