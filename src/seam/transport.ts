import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import {tunnelingAgent} from './proxy.js';

/**
 * A `fetch` for ofetch over node:http with keep-alive. Node's built-in fetch (undici) spends
 * about 0.37 ms of CPU on each small POST (web streams, a tee of every body); node:http spends
 * about 0.10 ms. At hundreds of creates a second on a small machine, that is the difference
 * between the API's rate limit and our own CPU being the bound (bench/RESULTS.md).
 *
 * Only what ofetch uses is supported: a URL string, method, headers, a string body, a signal.
 * The whole answer is read before ofetch sees it, so its timeout covers the body too.
 */
export function createNodeFetch(options: {maxSockets?: number; proxy?: URL} = {}): typeof fetch {
  const agentOptions = {keepAlive: true, maxSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const};
  const agents = {
    'http:': new http.Agent(agentOptions),
    // Through a company proxy (HTTPS_PROXY), https connections are tunnels (proxy.ts).
    'https:': options.proxy === undefined ? new https.Agent(agentOptions) : tunnelingAgent(options.proxy, agentOptions),
  };

  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
      const headers: Record<string, string> = {};
      const given = init.headers instanceof LightHeaders ? init.headers : new LightHeaders(init.headers);
      given.forEach((value, name) => {
        headers[name] = value;
      });
      const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : String(init.body);
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const request = (protocol === 'https:' ? https : http).request(
        {
          protocol,
          // An IPv6 literal is bracketed in a URL ("[::1]"), not in a socket's address.
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: init.method ?? 'GET',
          headers,
          agent: agents[protocol],
        },
        (response: http.IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            let text: string;
            try {
              text = decoded(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), response.headers['content-encoding']).toString('utf8');
            } catch (error) {
              reject(error);
              return;
            }
            resolve(lightResponse(response, text));
          });
        },
      );
      function fail(error: Error): void {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      }
      function onAbort(): void {
        request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      }
      signal?.addEventListener('abort', onAbort, {once: true});
      request.on('error', fail);
      request.end(body);
    });
  return nodeFetch as typeof fetch;
}

/**
 * A body compressed although nothing asked for it (a proxy or gateway on the way): unpacked,
 * so that its JSON is read rather than shown as bytes.
 */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || body.length === 0) return body;
  switch (encoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      // "deflate" is meant to be zlib-wrapped; some servers send it raw.
      return body[0] === 0x78 ? zlib.inflateSync(body) : zlib.inflateRawSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      return body;
  }
}

type HeadersInit = ConstructorParameters<typeof Headers>[0] | LightHeaders;

/**
 * What ofetch does with headers (merge the defaults, set content-type and accept, read a few),
 * over a plain object. undici's Headers (validation, a sorted copy on every read) cost about a
 * tenth of the client's CPU per create. Names are kept in lower case, as HTTP/1.1 sends them.
 */
export class LightHeaders {
  private readonly map: Record<string, string> = {};

  constructor(init?: HeadersInit) {
    if (init === undefined || init === null) return;
    if (init instanceof LightHeaders || init instanceof Headers) {
      init.forEach((value, name) => this.set(name, value));
    } else if (Array.isArray(init)) {
      for (const [name, value] of init) this.set(name!, value!);
    } else {
      for (const [name, value] of Object.entries(init)) this.set(name, value as string);
    }
  }

  get(name: string): string | null {
    return this.map[name.toLowerCase()] ?? null;
  }

  has(name: string): boolean {
    return this.map[name.toLowerCase()] !== undefined;
  }

  set(name: string, value: string): void {
    this.map[name.toLowerCase()] = String(value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.map[key];
    this.map[key] = before === undefined ? String(value) : `${before}, ${value}`;
  }

  delete(name: string): void {
    delete this.map[name.toLowerCase()];
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const name in this.map) callback(this.map[name]!, name);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name in this.map) yield [name, this.map[name]!];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * The AbortController ofetch makes for its timeout, without an EventTarget: the one listener
 * is the transport's, which destroys the request when the timer fires.
 */
export class LightAbortController {
  readonly signal = new LightAbortSignal();

  abort(reason?: unknown): void {
    this.signal.fire(reason ?? Object.assign(new Error('This operation was aborted'), {name: 'AbortError'}));
  }
}

class LightAbortSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * What ofetch reads of a Response (status, a header or two, the text), without building web
 * streams and a Headers object for every answer: most of what remained of the client's CPU.
 */
function lightResponse(response: http.IncomingMessage, text: string): Response {
  const status = response.statusCode ?? 0;
  const raw = response.headers;
  const headers = {
    get(name: string): string | null {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    has(name: string): boolean {
      return raw[name.toLowerCase()] !== undefined;
    },
  };
  const nullBody = status === 204 || status === 205 || status === 304 || text === '';
  return {
    status,
    statusText: response.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    headers,
    body: nullBody ? null : {},
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer,
    blob: async () => new Blob([text]),
  } as unknown as Response;
}
