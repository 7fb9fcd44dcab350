// HTTPS through a company proxy (HTTPS_PROXY, NO_PROXY): which endpoints go through it, and the
// built CLI importing through a CONNECT proxy on 127.0.0.1 into the sandbox behind a TLS
// front (test/helpers/tls: a certificate for seam.test, trusted through NODE_EXTRA_CA_CERTS).
// The proxy resolves seam.test itself, as a real one would; nothing leaves this machine.
import {readFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import {connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket} from 'node:net';
import {once} from 'node:events';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createServer as createTlsServer} from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {proxyFor} from '../src/seam/proxy.js';
import {startSandbox, type Sandbox} from '../src/sandbox/index.js';
import {runCli} from './helpers/cli.js';
import {cleanPeople, readResults, tempDir, writeCsv} from './helpers/files.js';

const KEY = 'seam_sandbox_key';
const TLS = fileURLToPath(new URL('./helpers/tls/', import.meta.url));

describe('proxyFor: which endpoints go through HTTPS_PROXY', () => {
  const seam = new URL('https://connect.getseam.com');
  const proxy = (url: URL, env: Record<string, string>) => proxyFor(url, env)?.href;

  it('takes HTTPS_PROXY (either case), else ALL_PROXY; a bare host:port is http://', () => {
    expect(proxy(seam, {HTTPS_PROXY: 'http://proxy.corp:3128'})).toBe('http://proxy.corp:3128/');
    expect(proxy(seam, {https_proxy: 'proxy.corp:8080'})).toBe('http://proxy.corp:8080/');
    expect(proxy(seam, {ALL_PROXY: 'http://all.corp:1'})).toBe('http://all.corp:1/');
    expect(proxy(seam, {HTTP_PROXY: 'http://plain.corp:1'})).toBeUndefined();
    expect(proxy(seam, {})).toBeUndefined();
  });

  it('never proxies this machine', () => {
    for (const url of ['https://localhost:8787', 'https://127.0.0.1', 'https://[::1]:1', 'https://api.localhost', 'http://127.0.0.1:8787']) {
      expect(proxy(new URL(url), {HTTPS_PROXY: 'http://proxy.corp:3128'}), url).toBeUndefined();
    }
  });

  it('follows NO_PROXY: *, names, .suffixes, *.suffixes, ports', () => {
    const through = (noProxy: string, url = seam) => proxy(url, {HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy}) !== undefined;
    expect(through('*')).toBe(false);
    expect(through('connect.getseam.com')).toBe(false);
    expect(through('getseam.com')).toBe(false);
    expect(through('.getseam.com')).toBe(false);
    expect(through('*.getseam.com')).toBe(false);
    expect(through('example.com, internal')).toBe(true);
    expect(through('seam.com')).toBe(true);
    expect(through('getseam.com:443')).toBe(false);
    expect(through('getseam.com:8443')).toBe(true);
  });

  it('refuses a proxy setting it cannot use', () => {
    expect(() => proxyFor(seam, {HTTPS_PROXY: 'https://proxy.corp:443'})).toThrow('only an http:// proxy is supported');
    expect(() => proxyFor(seam, {HTTPS_PROXY: 'http://[bad'})).toThrow('HTTPS_PROXY is not a URL');
  });
});

interface Proxy {
  port: number;
  /** The CONNECT targets asked for, the Proxy-Authorization each came with, and all the request's headers. */
  connects: Array<{target: string; authorization: string | undefined; headers: string}>;
  close(): Promise<void>;
}

/** A CONNECT proxy that sends every tunnel to `upstreamPort` on 127.0.0.1, or answers `refuse`. */
async function startProxy(upstreamPort: number, refuse?: number, reason = 'Proxy Authentication Required'): Promise<Proxy> {
  const connects: Proxy['connects'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push({target: req.url ?? '', authorization: req.headers['proxy-authorization'], headers: JSON.stringify(req.rawHeaders)});
    if (refuse !== undefined) {
      client.end(`HTTP/1.1 ${refuse} ${reason}\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n`);
      return;
    }
    const upstream = netConnect(upstreamPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connects,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A port on 127.0.0.1 that nothing listens on, held until `close`: the local end of a connection
 * kept open. Connecting to it is refused; and no server can be given it meanwhile, as a closed
 * proxy's port could be (a sandbox on port 0 in the other test worker, and the run would meet that).
 */
async function refusingPort(): Promise<{port: number; close(): Promise<void>}> {
  const accepted = new Set<Socket>();
  const server = createNetServer((socket) => accepted.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const held = netConnect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(held, 'connect');
  return {
    port: held.localPort!,
    close: () =>
      new Promise((resolve) => {
        held.destroy();
        for (const socket of accepted) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** TLS in front of the sandbox (a plain http server), with the test certificate for seam.test. */
async function startTlsFront(sandbox: Sandbox): Promise<{port: number; close(): Promise<void>}> {
  const backend = new URL(sandbox.url);
  const sockets = new Set<Socket>();
  const server: NetServer = createTlsServer({key: readFileSync(join(TLS, 'tls-self-signed.key')), cert: readFileSync(join(TLS, 'tls-self-signed.crt'))}, (secure) => {
    const plain = netConnect(Number(backend.port), backend.hostname);
    sockets.add(plain);
    plain.on('close', () => sockets.delete(plain));
    secure.pipe(plain).pipe(secure);
    plain.on('error', () => secure.destroy());
    secure.on('error', () => plain.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('the CLI through an HTTPS proxy', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('imports through the CONNECT tunnel: every row created, the key never shown to the proxy', async () => {
    const sandbox = await startSandbox({port: 0});
    cleanups.push(() => sandbox.close());
    const front = await startTlsFront(sandbox);
    cleanups.push(() => front.close());
    const proxy = await startProxy(front.port);
    cleanups.push(() => proxy.close());

    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(25));
    const out = join(dir, 'people.results.csv');
    const result = await runCli([input, '--endpoint', 'https://seam.test', '--yes', '--json', '-o', out, '-c', '4'], {
      SEAM_API_KEY: KEY,
      HTTPS_PROXY: `http://corp-user:corp-pass@127.0.0.1:${proxy.port}`,
      NO_PROXY: 'example.com',
      NODE_EXTRA_CA_CERTS: join(TLS, 'tls-self-signed.crt'),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readResults(out).map((r) => r['import_status'])).toEqual(Array.from({length: 25}, () => 'created'));
    expect(sandbox.identities()).toHaveLength(25);
    // Every connection was a tunnel to seam.test:443 with the proxy's own credentials.
    expect(proxy.connects.length).toBeGreaterThan(0);
    for (const c of proxy.connects) {
      expect(c.target).toBe('seam.test:443');
      expect(c.authorization).toBe(`Basic ${Buffer.from('corp-user:corp-pass').toString('base64')}`);
      // The API key goes inside the TLS tunnel, never in what the proxy reads.
      expect(c.headers).not.toContain(KEY);
    }
    expect(result.stdout + result.stderr).not.toContain('corp-pass');
  });

  it('a proxy that asks for credentials stops the run at once, naming the proxy but not its password', async () => {
    const proxy = await startProxy(1, 407);
    cleanups.push(() => proxy.close());
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
    const result = await runCli([input, '--endpoint', 'https://seam.test', '--yes', '-o', join(dir, 'out.csv')], {
      SEAM_API_KEY: KEY,
      HTTPS_PROXY: `http://corp-user:wrong-pass@127.0.0.1:${proxy.port}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The proxy at 127.0.0.1:${proxy.port} did not open a tunnel (407 Proxy Authentication Required) to Seam for /user_identities/list`);
    expect(result.stderr).toContain('Check HTTPS_PROXY (the proxy, its user and password) or NO_PROXY. Nothing was sent.');
    expect(result.stdout + result.stderr).not.toContain('wrong-pass');
    // Asked once: the same answer would come back.
    expect(proxy.connects).toHaveLength(1);
  });

  it('a proxy that echoes its credentials in its refusal (the reason phrase) has them masked', async () => {
    const basic = Buffer.from('corp-user:wrong-pass').toString('base64');
    const proxy = await startProxy(1, 407, `Bad creds corp-user:wrong-pass Basic ${basic}`);
    cleanups.push(() => proxy.close());
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
    const result = await runCli([input, '--endpoint', 'https://seam.test', '--yes', '--json', '-o', join(dir, 'out.csv')], {
      SEAM_API_KEY: KEY,
      HTTPS_PROXY: `http://corp-user:wrong-pass@127.0.0.1:${proxy.port}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The proxy at 127.0.0.1:${proxy.port} did not open a tunnel (407 Bad creds *** Basic ***) to Seam`);
    expect(result.stdout + result.stderr).not.toContain('wrong-pass');
    expect(result.stdout + result.stderr).not.toContain(basic);
  });

  it('a proxy that cannot be reached is named as the proxy, not as Seam', async () => {
    const proxy = await refusingPort();
    cleanups.push(proxy.close);
    const dir = tempDir();
    const input = writeCsv(join(dir, 'people.csv'), cleanPeople(3));
    const result = await runCli([input, '--endpoint', 'https://seam.test', '--yes', '-o', join(dir, 'out.csv')], {
      SEAM_API_KEY: KEY,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Could not connect to the proxy at 127.0.0.1:${proxy.port} for /user_identities/list (ECONNREFUSED)`);
  });
});
