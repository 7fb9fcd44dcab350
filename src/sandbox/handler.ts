import {randomUUID} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';

import {authenticate} from './auth.js';
import type {SandboxEventEmitter, SandboxFaultKind} from './events.js';
import type {FailureKind, FaultInjector} from './faults.js';
import {errorBody, parseParameters, readBody, SandboxHttpError, sendJson, sendText} from './http.js';
import type {ResolvedSandboxOptions} from './options.js';
import {isSandboxRoute, ROUTES} from './routes.js';
import type {StatsRecorder} from './stats.js';
import type {IdentityStore} from './store.js';

export interface HandlerDeps {
  options: ResolvedSandboxOptions;
  faults: FaultInjector;
  store: IdentityStore;
  stats: StatsRecorder;
  events: SandboxEventEmitter;
  /** Aborted when the sandbox stops listening: requests still waiting give up without effect. */
  lifetime: () => AbortSignal;
  /** `http://host:port` of the sandbox, when the Host header cannot be used. */
  url: () => string;
}

const CREATE = '/user_identities/create';

/**
 * One request, in the order a real deployment would meet it: the proxy (reset, rate limit,
 * 5xx), then Seam (auth, content type, validation, the route), then the commit faults. Its
 * answer (or the cut connection of a commit fault) leaves `latencyMs` (+ jitter) after the
 * request arrived: the work is done on arrival and the wait takes up the rest, so the latency
 * is what a client meets, not latency plus the sandbox's own work. (Doing the work after the
 * wait made answers whose timers fired together queue behind each other's work: at 1,280
 * creates a second, several milliseconds on top of every 50 ms.)
 */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const arrived = performance.now();
    const requestId = randomUUID();
    res.setHeader('seam-request-id', requestId);
    const context: RequestContext = {requestId, route: '(unknown)', res};
    handle(deps, context, req, arrived).catch((error: unknown) => {
      // A bug in the sandbox: answer like Seam would, rather than leave the client hanging.
      const internal = new SandboxHttpError(500, 'internal_server_error', describe(error));
      send(deps, context, internal.status, errorBody(internal, requestId));
    });
  };
}

interface RequestContext {
  requestId: string;
  route: string;
  res: ServerResponse;
}

async function handle(deps: HandlerDeps, context: RequestContext, req: IncomingMessage, arrived: number): Promise<void> {
  const {faults, stats} = deps;
  const {requestId, res} = context;
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();

  if (path.startsWith('/_sandbox/')) {
    handleInternal(deps, path, method, res, requestId);
    return;
  }

  const route = isSandboxRoute(path) ? path : undefined;
  context.route = route ?? '(unknown)';
  const end = stats.begin(context.route, route === CREATE);
  res.once('close', end);
  deps.events.emit('request', {requestId, route: context.route, method});
  const lifetime = deps.lifetime();

  try {
    if (route === undefined) throw new SandboxHttpError(404, 'not_found', `Not found: ${method} ${path}`);
    if (faults.resetBeforeRead(route)) {
      fault(deps, context, 'resets');
      req.socket.resetAndDestroy();
      return;
    }
    const definition = ROUTES[route];
    if (!definition.methods.includes(method)) {
      throw new SandboxHttpError(
        405,
        'method_not_allowed',
        `Method ${method} is not allowed on ${route}; use ${definition.methods.join(' or ')}`,
        {},
        {allow: definition.methods.join(', ')},
      );
    }
    const body = await readBody(req);
    const wait = faults.delayMs();
    const answer = work(deps, context, req, route, url, body);
    const remaining = wait - (performance.now() - arrived);
    // Stopping the sandbox cuts the connections still waiting: what was done stays done, as
    // when a server dies after its work and before its answer. (Not rounded to whole
    // milliseconds: measured, that made answers leave half a millisecond late on average.
    // Unreferenced: a stopped sandbox is not kept alive by them. No listener on `lifetime` per
    // request: hundreds at a time cost more than the check after.)
    if (remaining > 0) await new Promise<void>((resolve) => setTimeout(resolve, remaining).unref());
    if (lifetime.aborted) throw lifetime.reason;
    answer();
  } catch (error) {
    if (error instanceof SandboxHttpError) {
      send(deps, context, error.status, errorBody(error, requestId), error.headers);
    } else if (lifetime.aborted) {
      req.socket.destroy();
    } else {
      throw error;
    }
  }
}

/** Everything after the body is read; returns what to do when the answer is due. */
function work(
  deps: HandlerDeps,
  context: RequestContext,
  req: IncomingMessage,
  route: keyof typeof ROUTES,
  url: URL,
  body: Buffer,
): () => void {
  const {faults, stats, store, options} = deps;
  const {requestId} = context;
  try {
    const token = faults.takeToken();
    if (!token.allowed) {
      fault(deps, context, 'rateLimited');
      throw new SandboxHttpError(429, 'rate_limited', 'Too many requests: slow down', {}, retryAfter(deps, token.retryAfterSeconds));
    }
    const failure = faults.failure(route);
    if (failure !== undefined) {
      fault(deps, context, 'failed');
      return () => sendFailure(deps, context, failure);
    }

    authenticate(req.headers, options);
    const input = parseParameters(body, req.headers['content-type'], url.searchParams);
    const result = ROUTES[route].handle({
      input,
      store,
      conflictShape: options.conflictShape,
      workspaceId: options.workspaceId,
      baseUrl: baseUrl(req, deps),
    });

    if (result.committed !== undefined) {
      deps.events.emit('commit', {requestId, route: context.route, userIdentityId: result.committed});
    }
    if (route === CREATE && result.committed !== undefined) {
      stats.count('creates');
      if (faults.dropAfterCommit()) {
        return () => {
          fault(deps, context, 'dropped');
          req.socket.destroy();
        };
      }
      if (faults.hangAfterCommit()) {
        // Never answered: the client gives up, or close() cuts the connection.
        return () => fault(deps, context, 'hung');
      }
    }
    return () => send(deps, context, 200, result.body);
  } catch (error) {
    if (!(error instanceof SandboxHttpError)) throw error;
    return () => send(deps, context, error.status, errorBody(error, requestId), error.headers);
  }
}

function send(
  deps: HandlerDeps,
  context: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (context.res.headersSent || context.res.destroyed) return;
  answered(deps, context, status);
  sendJson(context.res, status, body, headers);
}

function answered(deps: HandlerDeps, context: RequestContext, status: number): void {
  deps.stats.status(status);
  deps.events.emit('response', {requestId: context.requestId, route: context.route, status});
}

function fault(deps: HandlerDeps, context: RequestContext, kind: SandboxFaultKind): void {
  deps.stats.count(kind);
  deps.events.emit('fault', {requestId: context.requestId, route: context.route, kind});
}

/** The 5xx mix a client meets in the wild: Seam's own JSON 500, and a proxy's non-JSON pages. */
function sendFailure(deps: HandlerDeps, context: RequestContext, kind: FailureKind): void {
  if (kind === 'json-500') {
    const error = new SandboxHttpError(500, 'internal_server_error', 'Internal server error (sandbox fault)');
    send(deps, context, 500, errorBody(error, context.requestId));
    return;
  }
  const pages: Record<Exclude<FailureKind, 'json-500'>, [number, string, string]> = {
    'html-502': [
      502,
      'text/html',
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
    ],
    'text-500': [500, 'text/plain; charset=utf-8', 'Internal Server Error'],
    'text-503': [503, 'text/plain', 'upstream connect error or disconnect/reset before headers. reset reason: overflow'],
  };
  const [status, contentType, text] = pages[kind];
  if (context.res.headersSent || context.res.destroyed) return;
  answered(deps, context, status);
  sendText(context.res, status, text, contentType);
}

function retryAfter(deps: HandlerDeps, seconds: number): Record<string, string> {
  switch (deps.faults.retryAfter) {
    case 'seconds':
      return {'retry-after': String(seconds)};
    case 'http-date':
      // An HTTP date only has whole seconds; round up so a client that honours it is not early.
      return {'retry-after': new Date((Math.floor(Date.now() / 1000) + seconds + 1) * 1000).toUTCString()};
    case 'none':
      return {};
  }
}

/** Unauthenticated reads of the sandbox's state, for a benchmark in another process. */
function handleInternal(deps: HandlerDeps, path: string, method: string, res: ServerResponse, requestId: string): void {
  const views: Record<string, () => unknown> = {
    '/_sandbox/stats': () => deps.stats.snapshot(),
    '/_sandbox/identities': () => deps.store.all(),
  };
  const view = views[path];
  if (view === undefined) {
    sendJson(res, 404, errorBody(new SandboxHttpError(404, 'not_found', `Not found: ${path}`), requestId));
  } else if (method !== 'GET') {
    const error = new SandboxHttpError(405, 'method_not_allowed', `Use GET on ${path}`);
    sendJson(res, 405, errorBody(error, requestId), {allow: 'GET'});
  } else {
    sendJson(res, 200, view());
  }
}

function baseUrl(req: IncomingMessage, deps: HandlerDeps): string {
  const host = req.headers.host;
  if (host !== undefined && URL.canParse(`http://${host}`)) return `http://${host}`;
  return deps.url();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
