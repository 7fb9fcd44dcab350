/**
 * HTTPS through a company proxy: HTTPS_PROXY (or ALL_PROXY, either case) and NO_PROXY, read as
 * curl and Seam's own JavaScript client (axios) read them. The proxy is asked to CONNECT to the
 * endpoint and TLS runs through that tunnel, so the proxy never sees the API key. Loopback
 * endpoints (the sandbox) never go through a proxy; plain http:// is only allowed to them.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import {isIP} from 'node:net';
import type {Duplex} from 'node:stream';
import * as tls from 'node:tls';
import {isLoopbackHost} from './loopback.js';
import {maskCredentials} from './server-text.js';

type ProxyEnv = Readonly<Record<string, string | undefined>>;

function envValue(env: ProxyEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The proxy for an https:// URL, or undefined to connect directly. */
export function proxyFor(url: URL, env: ProxyEnv): URL | undefined {
  if (url.protocol !== 'https:' || isLoopbackHost(url.hostname)) return undefined;
  const setting = envValue(env, 'https_proxy') ?? envValue(env, 'all_proxy');
  if (setting === undefined || bypassed(url, envValue(env, 'no_proxy'))) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(setting.includes('://') ? setting : `http://${setting}`);
  } catch {
    throw new Error(`HTTPS_PROXY is not a URL (expected e.g. http://proxy.example.com:3128)`);
  }
  if (proxy.protocol !== 'http:') throw new Error(`HTTPS_PROXY: only an http:// proxy is supported (it then tunnels HTTPS), got ${proxy.protocol}//`);
  return proxy;
}

/** NO_PROXY: "*", or host names (with or without a leading "." or "*."), each optionally with :port. */
function bypassed(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.toLowerCase();
  const port = url.port || '443';
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const [name = '', entryPort] = entry.toLowerCase().split(/:(?=\d+$)/);
      if (entryPort !== undefined && entryPort !== port) return false;
      const bare = name.replace(/^\*?\./, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}

/** Where a proxy is, for messages: never its user or password. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.hostname}:${proxy.port || '80'}`;
}

/** An error from the proxy's answer to CONNECT: the tunnel was not opened, nothing was sent. */
export class ProxyTunnelError extends Error {
  readonly code = 'ERR_PROXY_TUNNEL';
  constructor(
    readonly proxy: string,
    readonly statusCode: number,
    statusMessage: string,
  ) {
    super(`The proxy at ${proxy} did not open a tunnel (${statusCode}${statusMessage ? ` ${statusMessage}` : ''})`);
  }
}

/** An https agent whose connections are TLS over a CONNECT tunnel through `proxy`. */
export function tunnelingAgent(proxy: URL, options: https.AgentOptions): https.Agent {
  const agent = new https.Agent(options);
  const label = proxyLabel(proxy);
  const authorization =
    proxy.username === ''
      ? undefined
      : `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  const proxySecrets = [authorization?.slice('Basic '.length), `${user}:${password}`, password, proxy.password].filter((s): s is string => s !== undefined && s !== '' && s !== ':');
  type Connect = (options: https.RequestOptions & tls.ConnectionOptions, done: (error: Error | null, socket?: Duplex) => void) => void;
  (agent as unknown as {createConnection: Connect}).createConnection = (target, done) => {
    const host = String(target.host ?? target.hostname ?? '');
    const authority = `${host.includes(':') ? `[${host}]` : host}:${String(target.port ?? 443)}`;
    const connect = http.request({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: authority,
      headers: {host: authority, ...(authorization ? {'proxy-authorization': authorization} : {})},
      agent: false,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        // The proxy's own words may echo its credentials ("407 Bad creds user:pass Basic dXNl…"): never shown.
        done(new ProxyTunnelError(label, response.statusCode ?? 0, maskCredentials(response.statusMessage ?? '', proxySecrets)));
        return;
      }
      // `host` is what the certificate is checked against (the socket is already the tunnel's).
      const secure: tls.ConnectionOptions = {socket, host};
      // SNI names a host, never an address (RFC 6066).
      const servername = target.servername ?? host;
      if (isIP(servername) === 0) secure.servername = servername;
      if (target.ca !== undefined) secure.ca = target.ca;
      if (target.rejectUnauthorized !== undefined) secure.rejectUnauthorized = target.rejectUnauthorized;
      done(null, tls.connect(secure));
    });
    // Marked as the proxy's, so that a refused connection names the proxy, not Seam.
    connect.once('error', (error) => done(Object.assign(error, {proxy: label})));
    connect.end();
  };
  return agent;
}
