import * as http from 'node:http';
import * as https from 'node:https';

/**
 * A `fetch` for ofetch over node:http with keep-alive. Node's built-in fetch (undici) spends
 * about 0.37 ms of CPU on each small POST (web streams, a tee of every body); node:http spends
 * about 0.10 ms. At hundreds of creates a second on a small machine, that is the difference
 * between the API's rate limit and our own CPU being the bound (bench/RESULTS.md).
 *
 * Only what ofetch uses is supported: a URL string, method, headers, a string body, a signal.
 * The whole answer is read before ofetch sees it, so its timeout covers the body too.
 */
export function createNodeFetch(options: {maxSockets?: number} = {}): typeof fetch {
  const agentOptions = {keepAlive: true, maxSockets: options.maxSockets ?? 256, scheduling: 'lifo' as const};
  const agents = {'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions)};

  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
      const headers: Record<string, string> = {};
      const given = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
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
        url,
        {method: init.method ?? 'GET', headers, agent: agents[protocol]},
        (response: http.IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(lightResponse(response, Buffer.concat(chunks).toString('utf8')));
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
