import {existsSync} from 'node:fs';
import {createFetch} from 'ofetch';
import {describeValidationErrors, parseRetryAfter, SeamApiError} from './errors.js';
import {maskCredentials, scrubbed, serverText, withoutSecrets} from './server-text.js';
import {proxyFor, ProxyTunnelError} from './proxy.js';
import type {Pacer} from './pacer.js';
import {createNodeFetch, LightAbortController, LightHeaders} from './transport.js';
import {DEFAULT_ENDPOINT} from '../engine/options.js';

export interface UserIdentity {
  user_identity_id: string;
  user_identity_key: string | null;
  email_address: string | null;
  phone_number: string | null;
  full_name: string | null;
  display_name?: string;
  workspace_id?: string;
  created_at?: string;
  errors?: unknown[];
  warnings?: unknown[];
  acs_user_ids?: string[];
}

export interface AcsSystem {
  acs_system_id: string;
  name?: string;
}

export interface CreateBody {
  user_identity_key?: string;
  email_address?: string;
  phone_number?: string;
  full_name?: string;
  acs_system_ids?: string[];
}

export interface SeamClientOptions {
  endpoint: string;
  apiKey?: string;
  personalAccessToken?: string;
  workspaceId?: string;
  /** @default 30000 */
  timeoutMs?: number;
  pacer: Pacer;
}

export interface SeamResult<T> {
  data: T;
  requestId: string | undefined;
}

export interface SeamClient {
  /** `signal` cancels only the wait for a turn; a create once sent runs to its answer. */
  createUserIdentity(body: CreateBody, signal?: AbortSignal): Promise<SeamResult<UserIdentity>>;
  /** Undefined when Seam says there is no such identity. */
  getUserIdentity(by: {user_identity_key: string} | {user_identity_id: string}, signal?: AbortSignal): Promise<UserIdentity | undefined>;
  listUserIdentities(
    query: {search?: string; limit?: number; page_cursor?: string},
    signal?: AbortSignal,
  ): Promise<{identities: UserIdentity[]; nextCursor: string | undefined}>;
  listAcsSystems(signal?: AbortSignal): Promise<AcsSystem[]>;
  /** A create without an answer was found made by a lookup: the create route works (see ClientStats). */
  createAnswered(): void;
  /** Requests sent so far, and how many are waiting for an answer now. */
  readonly stats: ClientStats;
}

export interface ClientStats {
  requests: number;
  inFlight: number;
  /** Requests in a row that ended without an answer from Seam (5xx, a cut connection, no answer in time). */
  failuresInARow: number;
  /** When Seam last answered (any answer of its own, a refusal or a 429 included). */
  lastAnswerAt: number;
  /** Creates in a row that ended without an answer from Seam: the create route down while lookups answer. */
  createFailuresInARow: number;
  /** When Seam last answered a create (or when the first was sent). */
  lastCreateAnswerAt: number;
  /**
   * When the latest create that got an answer was sent (0: none yet). A create sent before
   * another's failure but answered after it says nothing of the route since then (SilenceWatch).
   */
  lastAnsweredCreateSentAt: number;
  /**
   * How far the server's clock is ahead of this machine's (behind: below 0), by the Date header of
   * its last answer that had one; 0 before. Its created_at times are read on its clock.
   */
  serverAheadMs: number;
}

const CREATE_PATH = '/user_identities/create';

/** The one API client: auth headers, timeouts, pacing, and every failure as a SeamApiError. */
export function createSeamClient(options: SeamClientOptions): SeamClient {
  const headers: Record<string, string> = {'user-agent': 'seam-import'};
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  if (options.personalAccessToken) {
    headers['authorization'] = `Bearer ${options.personalAccessToken}`;
    if (options.workspaceId) headers['seam-workspace'] = options.workspaceId;
  }
  const api = createFetch({
    // The endpoint is the one origin: whether it is reached through a proxy is decided once.
    fetch: createNodeFetch({proxy: proxyFor(new URL(options.endpoint), process.env)}),
    Headers: LightHeaders as unknown as typeof Headers,
    AbortController: LightAbortController as unknown as typeof AbortController,
    defaults: {
      baseURL: options.endpoint.replace(/\/+$/, ''),
      method: 'POST',
      headers,
      retry: false,
      ignoreResponseError: true,
      // ofetch's own timer (cleared when the answer is read), cheaper than AbortSignal.timeout per request.
      timeout: options.timeoutMs ?? 30_000,
    },
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A server or a proxy may echo the Authorization header in its error text ("… for Bearer
  // seam_…"): the text goes into row messages, the results file and the run record, so the
  // credential is taken out of it here, before it is cut to length (a cut key is still a key).
  const secrets = [options.apiKey, options.personalAccessToken].filter((s): s is string => typeof s === 'string' && s.length > 0);
  const scrub = (value: unknown): unknown => scrubbed(value, secrets);
  // A good answer's values are compared with the rows': a short key ("acme", a sandbox's) is a
  // word of people's emails and keys too, and masking it there made people conflicts. Seam's are long.
  const longSecrets = secrets.filter((secret) => secret.length >= 16);
  const stats: ClientStats = {requests: 0, inFlight: 0, failuresInARow: 0, lastAnswerAt: Date.now(), createFailuresInARow: 0, lastCreateAnswerAt: 0, lastAnsweredCreateSentAt: 0, serverAheadMs: 0};

  /**
   * One POST. `signal` only cancels the wait for a turn to send: once sent, a request runs to
   * its answer or its timeout, so that Ctrl-C never leaves a create in an unknown state.
   */
  async function call<T>(path: string, body: object, signal?: AbortSignal): Promise<SeamResult<T>> {
    await options.pacer.acquire(signal);
    const create = path === CREATE_PATH;
    // The create route's clock starts with its first request (the check pass may have taken minutes).
    if (create && stats.lastCreateAnswerAt === 0) stats.lastCreateAnswerAt = Date.now();
    const sentAt = Date.now();
    try {
      const result = await send<T>(path, body);
      answered(create, sentAt);
      return result;
    } catch (error) {
      if (error instanceof SeamApiError && OUTAGE_KINDS.has(error.kind)) {
        stats.failuresInARow += 1;
        if (create) stats.createFailuresInARow += 1;
      } else answered(create, sentAt);
      throw error;
    }
  }

  function answered(create: boolean, sentAt: number): void {
    stats.failuresInARow = 0;
    stats.lastAnswerAt = Date.now();
    if (create) {
      stats.createFailuresInARow = 0;
      stats.lastCreateAnswerAt = stats.lastAnswerAt;
      if (sentAt > stats.lastAnsweredCreateSentAt) stats.lastAnsweredCreateSentAt = sentAt;
    }
  }

  async function send<T>(path: string, body: object): Promise<SeamResult<T>> {
    stats.requests += 1;
    stats.inFlight += 1;
    let response;
    try {
      response = await api.raw(path, {body});
    } catch (error) {
      throw networkError(path, error, timeoutMs);
    } finally {
      stats.inFlight -= 1;
    }
    // Kept with the row for support: a proxy may put anything here, the credential too.
    const requestHeader = response.headers.get('seam-request-id');
    const requestId = requestHeader ? serverText(maskCredentials(requestHeader, secrets), 120) || undefined : undefined;
    const status = response.status;
    // To the second (a Date header's grain), which is plenty beside madeLongBefore's hour.
    const dated = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(dated)) stats.serverAheadMs = dated - Date.now();
    const answer = jsonOf(response._data);
    if (status >= 200 && status < 300 && isObject(answer) && answer['ok'] !== false) {
      options.pacer.succeeded();
      // A server that echoes the credential in a person's fields: masked before a row's message,
      // the results file or the run record quotes them (the terminal's output is masked anyway).
      return {data: withoutSecrets(answer, longSecrets) as T, requestId};
    }
    const data: unknown = scrub(answer);
    const seamError = readSeamError(data);
    const type = seamError?.type;
    const described = describeValidationErrors(seamError?.validation_errors) ?? seamError?.message;
    const detail = described === undefined ? undefined : serverText(described);
    const said = detail ? `: ${detail}` : '';
    // The body's request_id (SEAM-API.md) where no header carries one; the body is scrubbed of credentials above.
    const common = {status, type, requestId: requestId ?? seamError?.request_id, validationErrors: seamError?.validation_errors};
    if (status === 401) throw new SeamApiError('unauthorized', `Seam refused the credentials (401${said})`, common);
    if (status === 403) throw new SeamApiError('forbidden', `Seam refused access (403${said})`, common);
    // An HTTP date in Retry-After is the server's clock: measured against its Date header, so that
    // a server 10 minutes ahead asking for 5 s is not read as 10 minutes.
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Number.isNaN(serverNow) ? Date.now() : serverNow);
    if (status === 429) {
      throw new SeamApiError('rate_limited', `Seam asked to slow down (429${said})`, {...common, retryAfterMs});
    }
    if (status >= 300 && status < 400) {
      // Not followed: the key would go wherever the redirect points. The same answer comes next time.
      const location = serverText(maskCredentials(response.headers.get('location') ?? '', secrets));
      // "https://connect.example.net/user_identities/create": the API's address is what comes before
      // the route (not named for plain http://, which the importer sends a key to only on this machine).
      const route = location.replace(/[?#].*$/, '').replace(/\/$/, '');
      const base = /^https:\/\/[^/]/i.test(route) && route.endsWith(path) && route.length > path.length ? route.slice(0, -path.length) : undefined;
      throw new SeamApiError('refused', `Seam's address answered ${path} with a redirect (${status}${location ? ` to ${location}` : ''})`, {
        ...common,
        permanent: true,
        advice: location
          ? `Check --endpoint: it redirects to ${location}. If that is Seam's API, pass ${base === undefined ? 'it as --endpoint' : `--endpoint ${base}`} (the importer does not follow redirects with your key). Nothing was sent.`
          : 'Check --endpoint: it answers with a redirect, which the importer does not follow with your key. Nothing was sent.',
      });
    }
    if (status >= 500 || status < 400 || status === 408) {
      const what = seamError ? `${status}${said}` : `${status}, ${describeBody(data)}`;
      // A 503 with Retry-After (maintenance): the next try of a create waits that long (up to a bound, see backoffAfter).
      // A 200 whose body is not Seam's JSON (a captive portal's page, "Please wait…") is no error code.
      const as = status < 400 ? "an answer that is not Seam's" : 'an error';
      throw new SeamApiError('server_error', `Seam answered ${path} with ${as} (${what})`, {...common, retryAfterMs});
    }
    if (!seamError) {
      // A 404 or 405 page: no such route here, asking again will not help. Any other refusal in
      // another shape than Seam's (a 409 with no body, a gateway's 400 page): the person is looked
      // up (a clash is a conflict, naming the identity), not retried at once; not Seam's own
      // answer, so not a sign that Seam is well either.
      const noRoute = status === 404 || status === 405;
      if (noRoute) {
        throw new SeamApiError('refused', `--endpoint has no ${path} (it answered ${status}, ${describeBody(data)}, not as Seam's API does)`, {
          ...common,
          permanent: true,
          advice: `Check --endpoint (Seam's is ${DEFAULT_ENDPOINT}), or the proxy or gateway in front of it. Nothing was sent.`,
        });
      }
      throw new SeamApiError('refused', `Seam refused the request (${status}, ${describeBody(data)})`, {...common, foreign: true});
    }
    options.pacer.succeeded();
    if (status === 404 && type !== undefined && /not_found$/.test(type) && !/acs_system/.test(type)) {
      throw new SeamApiError('not_found', `Seam answered ${path}: not found (${type})`, common);
    }
    throw new SeamApiError('refused', `Seam refused the request (${status} ${type ?? 'error'}${said})`, common);
  }

  return {
    stats,
    createAnswered: () => answered(true, 0),
    async createUserIdentity(body, signal) {
      const result = await call<{user_identity: UserIdentity}>(CREATE_PATH, body, signal);
      const identity = result.data.user_identity;
      if (!isObject(identity) || typeof identity.user_identity_id !== 'string') {
        throw new SeamApiError('server_error', 'Seam answered the create without a user_identity', {
          requestId: result.requestId,
        });
      }
      return {data: identity, requestId: result.requestId};
    },
    async getUserIdentity(by, signal) {
      try {
        const result = await call<{user_identity: UserIdentity}>('/user_identities/get', by, signal);
        return result.data.user_identity;
      } catch (error) {
        if (error instanceof SeamApiError && error.kind === 'not_found') return undefined;
        throw error;
      }
    },
    async listUserIdentities(query, signal) {
      type Page = {user_identities?: unknown; pagination?: {has_next_page?: unknown; next_page_cursor?: unknown; next_page_url?: unknown}};
      let result: SeamResult<Page>;
      try {
        result = await call<Page>('/user_identities/list', query, signal);
      } catch (error) {
        // A server that takes smaller pages than Seam's 500 (a 400 for the limit): its own page size.
        if (!(error instanceof SeamApiError && error.kind === 'refused' && error.status === 400 && query.limit !== undefined)) throw error;
        const {limit: _limit, ...rest} = query;
        result = await call<Page>('/user_identities/list', rest, signal);
      }
      const listed = result.data.user_identities;
      if (!Array.isArray(listed)) {
        // Read as an empty workspace, everyone would be sent, and a person there already called created.
        throw new SeamApiError('server_error', 'Seam answered /user_identities/list without a list of user identities (no "user_identities")', {requestId: result.requestId, permanent: true, advice: NOT_SEAM_LIST});
      }
      const nextCursor = cursorOf(result.data.pagination);
      if (nextCursor === null) {
        throw new SeamApiError('server_error', 'Seam answered /user_identities/list with has_next_page true but no next_page_cursor to ask for the next page: the workspace cannot be read whole', {
          requestId: result.requestId,
          permanent: true,
          advice: NOT_SEAM_LIST,
        });
      }
      return {identities: listed.flatMap(identityOf), nextCursor};
    },
    async listAcsSystems(signal) {
      const result = await call<{acs_systems?: AcsSystem[]}>('/acs/systems/list', {}, signal);
      return result.data.acs_systems ?? [];
    },
  };
}

const NOT_SEAM_LIST = `Nothing was sent. The server at --endpoint does not list user identities as Seam's API does: check --endpoint (Seam's is ${DEFAULT_ENDPOINT}), or ask whoever runs that server.`;

/** What to do about an untrusted certificate, with NODE_EXTRA_CA_CERTS as it is set (Node ignores a file it cannot load, with a warning of its own). */
export function tlsAdvice(extraCerts: string | undefined): string {
  if (extraCerts === undefined || extraCerts === '') {
    return 'If a company proxy inspects HTTPS, point NODE_EXTRA_CA_CERTS at its CA certificate file and run again; otherwise check --endpoint. Nothing was sent.';
  }
  if (!existsSync(extraCerts)) {
    return `NODE_EXTRA_CA_CERTS is set to ${extraCerts}, which does not exist, so Node ignored it: point it at the CA certificate file of the company proxy that inspects HTTPS and run again; otherwise check --endpoint. Nothing was sent.`;
  }
  return `NODE_EXTRA_CA_CERTS is set to ${extraCerts}, and the server's certificate is signed by none of the CAs it holds (nor Node's own): if a company proxy inspects HTTPS, point it at that proxy's CA certificate file (PEM) and run again; otherwise check --endpoint. Nothing was sent.`;
}

/** A body ofetch left as text (a JSON answer labelled text/plain): parsed when it is JSON. */
function jsonOf(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  const text = data.trim();
  if (!text.startsWith('{')) return data;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return data;
  }
}

/**
 * The next page's cursor: undefined on the last page, null when the server says there is another
 * but gives no way to ask for it. A number is taken as its text; without a cursor, the
 * page_cursor of next_page_url is taken. A cursor means another page unless the server says
 * there is none (some leave out has_next_page).
 */
function cursorOf(pagination: {has_next_page?: unknown; next_page_cursor?: unknown; next_page_url?: unknown} | undefined): string | null | undefined {
  if (!isObject(pagination) || pagination.has_next_page === false) return undefined;
  const cursor = pagination.next_page_cursor;
  if ((typeof cursor === 'string' && cursor !== '') || (typeof cursor === 'number' && Number.isFinite(cursor))) return String(cursor);
  if (typeof pagination.next_page_url === 'string') {
    try {
      const fromUrl = new URL(pagination.next_page_url, 'http://localhost').searchParams.get('page_cursor');
      if (fromUrl) return fromUrl;
    } catch {
      // not a URL: as if absent
    }
  }
  return pagination.has_next_page === true ? null : undefined;
}

/**
 * A listed identity as the importer reads it: fields that are not text are left out, and an
 * entry that is not an identity at all is skipped (a malformed page must not stop a run with a
 * JavaScript error; someone missed here is still found when Seam refuses their create).
 */
function identityOf(entry: unknown): UserIdentity[] {
  if (!isObject(entry) || typeof entry['user_identity_id'] !== 'string') return [];
  const identity: Record<string, unknown> = {...entry};
  for (const field of ['user_identity_key', 'email_address', 'phone_number', 'full_name', 'display_name'] as const) {
    if (identity[field] !== undefined && identity[field] !== null && typeof identity[field] !== 'string') delete identity[field];
  }
  return [identity as unknown as UserIdentity];
}

/** Failures that say nothing came back from Seam itself. */
const OUTAGE_KINDS: ReadonlySet<SeamApiError['kind']> = new Set(['server_error', 'network_error', 'timeout', 'unreachable']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSeamError(
  data: unknown,
): {type?: string; message?: string; validation_errors?: unknown; request_id?: string} | undefined {
  if (!isObject(data)) return undefined;
  const error = data['error'];
  if (!isObject(error)) return undefined;
  return {
    type: typeof error['type'] === 'string' ? serverText(error['type'], 60) : undefined,
    message: typeof error['message'] === 'string' ? error['message'] : undefined,
    validation_errors: error['validation_errors'],
    request_id: typeof error['request_id'] === 'string' ? serverText(error['request_id'], 120) || undefined : undefined,
  };
}

function describeBody(data: unknown): string {
  if (data === undefined || data === null || data === '') return 'no body';
  if (typeof data === 'string') {
    const text = serverText(data.replace(/<[^>]*>/g, ' '), 80);
    return text ? `"${text}"` : 'a body that is not JSON';
  }
  return 'a body that is not Seam\u2019s';
}

const PROXY_ADVICE = 'Check HTTPS_PROXY (the proxy, its user and password) or NO_PROXY. Nothing was sent.';

/** Node's codes for a certificate it does not trust (self-signed, an unknown issuer, expired, another host's). */
const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function networkError(path: string, error: unknown, timeoutMs: number): SeamApiError {
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as {cause?: unknown}).cause) chain.push(e);
  const names = chain.map((e) => (e as {name?: string}).name);
  const codes = chain.map((e) => (e as {code?: unknown}).code);
  if (names.includes('TimeoutError')) {
    return new SeamApiError('timeout', `No answer from Seam to ${path} within ${Math.round(timeoutMs / 1000)} s`, {
      cause: error,
    });
  }
  const tunnel = chain.find((e): e is ProxyTunnelError => e instanceof ProxyTunnelError);
  if (tunnel) {
    // 407 (credentials) and 403 (not allowed) come back the same next time; a 502 may not.
    return new SeamApiError('unreachable', `${tunnel.message} to Seam for ${path}`, {
      cause: error,
      permanent: tunnel.statusCode === 407 || tunnel.statusCode === 403,
      advice: PROXY_ADVICE,
    });
  }
  const tls = codes.find((c): c is string => typeof c === 'string' && UNTRUSTED_CERTIFICATE.test(c));
  if (tls !== undefined) {
    // The handshake failed before the request was sent; the same certificate comes back next time.
    return new SeamApiError('unreachable', `The server's TLS certificate is not trusted for ${path} (${tls})`, {
      cause: error,
      permanent: true,
      advice: tlsAdvice(process.env['NODE_EXTRA_CA_CERTS']),
    });
  }
  const proxy = chain.map((e) => (e as {proxy?: unknown}).proxy).find((p): p is string => typeof p === 'string');
  if (codes.some((c) => c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EHOSTUNREACH')) {
    const code = String(codes.find((c) => typeof c === 'string'));
    return proxy === undefined
      ? new SeamApiError('unreachable', `Could not connect to Seam for ${path} (${code})`, {cause: error})
      : new SeamApiError('unreachable', `Could not connect to the proxy at ${proxy} for ${path} (${code})`, {cause: error, advice: PROXY_ADVICE});
  }
  const code = codes.find((c) => typeof c === 'string') as string | undefined;
  return new SeamApiError('network_error', `The connection to Seam failed during ${path}${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}
