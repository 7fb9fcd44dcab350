import type {EventEmitter} from 'node:events';

import {describe, expect, it} from 'vitest';

import {
  mulberry32,
  startSandbox,
  type Sandbox,
  type SandboxEvents,
} from '../src/sandbox/index.js';
import {useSandboxes} from './helpers/sandbox.js';

const start = useSandboxes();

function post(sandbox: Sandbox, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(new URL(path, sandbox.url), {
    method: 'POST',
    headers: {authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json'},
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : {signal}),
  });
}

const create = (sandbox: Sandbox, body: unknown, signal?: AbortSignal): Promise<Response> =>
  post(sandbox, '/user_identities/create', body, signal);

/** The next event of that name on the sandbox (that passes the test): waits on the server, not the clock. */
function nextEvent<K extends keyof SandboxEvents>(
  sandbox: Sandbox,
  event: K,
  test: (payload: SandboxEvents[K][0]) => boolean = () => true,
): Promise<SandboxEvents[K][0]> {
  // The plain emitter type: TypeScript cannot match a generic listener to the typed overloads.
  const events: EventEmitter = sandbox.events;
  return new Promise((resolve) => {
    const listener = (payload: SandboxEvents[K][0]): void => {
      if (!test(payload)) return;
      events.off(event, listener);
      resolve(payload);
    };
    events.on(event, listener);
  });
}

/** Status and content type of each answer, as a fingerprint of the faults met. */
async function fingerprint(response: Response): Promise<string> {
  await response.arrayBuffer();
  return `${response.status} ${response.headers.get('content-type') ?? ''}`;
}

describe('mulberry32', () => {
  it('gives the same numbers for the same seed, in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const first = Array.from({length: 5}, () => a());
    expect(Array.from({length: 5}, () => b())).toEqual(first);
    expect(Array.from({length: 5}, () => c())).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('latency', () => {
  it('delays every answer by about latencyMs', async () => {
    const sandbox = await start({latencyMs: 150, jitterMs: 0});
    const began = performance.now();
    const response = await post(sandbox, '/user_identities/list', {});
    expect(response.status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
  });

  it('adds 20% jitter by default, and can be changed at run time', async () => {
    const sandbox = await start({latencyMs: 100});
    expect(sandbox.faults()).toMatchObject({latencyMs: 100, jitterMs: 20});
    sandbox.setFaults({latencyMs: 0});
    expect(sandbox.faults()).toMatchObject({latencyMs: 0, jitterMs: 0});
    sandbox.setFaults({jitterMs: 5});
    expect(sandbox.faults().jitterMs).toBe(5);
  });

  it('refuses nonsense fault settings', async () => {
    const sandbox = await start();
    expect(() => sandbox.setFaults({failRate: 1.5})).toThrow(RangeError);
    expect(() => sandbox.setFaults({latencyMs: -1})).toThrow(RangeError);
    await expect(startSandbox({dropAfterCommitRate: -0.1})).rejects.toThrow(RangeError);
  });
});

describe('rate limit', () => {
  /** Two lists at once against a bucket of one: whichever arrives second is the 429. */
  async function burstOfTwo(sandbox: Sandbox): Promise<Response> {
    const responses = await Promise.all([post(sandbox, '/user_identities/list', {}), post(sandbox, '/user_identities/list', {})]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 429]);
    const limited = responses.find((response) => response.status === 429);
    if (limited === undefined) throw new Error('no 429');
    return limited;
  }

  it('answers a burst of 20 creates at 5 per second with some 429s, each with Retry-After in seconds', async () => {
    const sandbox = await start({rateLimit: 5});
    const responses = await Promise.all(
      Array.from({length: 20}, (_, index) => create(sandbox, {email_address: `p${index}@example.com`})),
    );
    const limited = responses.filter((response) => response.status === 429);
    const created = responses.filter((response) => response.status === 200);
    expect(limited.length).toBeGreaterThan(0);
    expect(created.length).toBeGreaterThanOrEqual(5);
    expect(limited.length + created.length).toBe(20);
    for (const response of limited) {
      const retryAfter = response.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(response.headers.get('seam-request-id')).toBeTruthy();
      expect(await response.json()).toMatchObject({error: {type: 'rate_limited'}, ok: false});
    }
    expect(sandbox.stats().rateLimited).toBe(limited.length);
    expect(sandbox.identities()).toHaveLength(created.length);
  });

  it('can send Retry-After as an HTTP date', async () => {
    const sandbox = await start({rateLimit: 1, retryAfter: 'http-date'});
    const limited = await burstOfTwo(sandbox);
    const date = Date.parse(limited.headers.get('retry-after') ?? '');
    expect(date).toBeGreaterThan(Date.now());
  });

  it('can leave Retry-After out, for clients that must cope without it', async () => {
    const sandbox = await start({rateLimit: 1, retryAfter: 'none'});
    const limited = await burstOfTwo(sandbox);
    expect(limited.headers.has('retry-after')).toBe(false);
  });

  it('is switched off with rateLimit 0', async () => {
    const sandbox = await start({rateLimit: 1});
    sandbox.setFaults({rateLimit: 0});
    const responses = await Promise.all(Array.from({length: 10}, () => post(sandbox, '/user_identities/list', {})));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
  });
});

describe('failRate', () => {
  it('answers every request with a 5xx at 1, some JSON and some not, and does nothing', async () => {
    const sandbox = await start({failRate: 1, seed: 3});
    const kinds = new Set<string>();
    for (let index = 0; index < 16; index += 1) {
      const response = await create(sandbox, {email_address: `f${index}@example.com`});
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers.get('seam-request-id')).toBeTruthy();
      const contentType = response.headers.get('content-type') ?? '';
      const text = await response.text();
      if (contentType.startsWith('application/json')) {
        expect(JSON.parse(text)).toMatchObject({error: {type: 'internal_server_error'}, ok: false});
      } else {
        expect(() => JSON.parse(text) as unknown).toThrow();
      }
      kinds.add(`${response.status} ${contentType.split(';')[0]}`);
    }
    expect(kinds).toEqual(new Set(['500 application/json', '502 text/html', '500 text/plain', '503 text/plain']));
    expect(sandbox.identities()).toEqual([]);
    expect(sandbox.stats()).toMatchObject({failed: 16, creates: 0});
  });

  it('fails only the faultRoutes', async () => {
    const sandbox = await start({failRate: 1, faultRoutes: ['/user_identities/create']});
    expect((await post(sandbox, '/user_identities/list', {})).status).toBe(200);
    expect((await create(sandbox, {})).status).toBeGreaterThanOrEqual(500);
  });

  it('comes before authentication, like a proxy', async () => {
    const sandbox = await start({failRate: 1});
    const response = await fetch(new URL('/user_identities/list', sandbox.url), {method: 'POST'});
    expect(response.status).toBeGreaterThanOrEqual(500);
  });
});

describe('commit faults', () => {
  it('drop-after-commit: the connection closes with no answer, and the identity exists afterwards', async () => {
    const sandbox = await start({dropAfterCommitRate: 1});
    await expect(create(sandbox, {user_identity_key: 'dropped-1', email_address: 'd@example.com'})).rejects.toThrow();
    sandbox.setFaults({dropAfterCommitRate: 0});
    const got = await post(sandbox, '/user_identities/get', {user_identity_key: 'dropped-1'});
    expect(got.status).toBe(200);
    expect(((await got.json()) as {user_identity: {email_address: string}}).user_identity.email_address).toBe(
      'd@example.com',
    );
    expect(sandbox.stats()).toMatchObject({creates: 1, dropped: 1});
  });

  it('hang-after-commit: no answer until the client gives up, the identity exists, and close() still finishes', async () => {
    const sandbox = await startSandbox({port: 0, hangAfterCommitRate: 1});
    const firstHung = nextEvent(sandbox, 'fault', (payload) => payload.kind === 'hung');
    const error: unknown = await create(sandbox, {user_identity_key: 'hung-1'}, AbortSignal.timeout(500)).catch(
      (caught: unknown) => caught,
    );
    await firstHung;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(sandbox.identities().map((identity) => identity.user_identity_key)).toEqual(['hung-1']);
    expect(sandbox.stats()).toMatchObject({creates: 1, hung: 1});

    // A second one left hanging while the sandbox closes: close() must not wait for it.
    const hung = nextEvent(sandbox, 'fault', (payload) => payload.kind === 'hung');
    const pending = create(sandbox, {user_identity_key: 'hung-2'}).catch((caught: unknown) => caught);
    await hung;
    expect(sandbox.identities()).toHaveLength(2);
    await sandbox.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('commit faults apply to create only', async () => {
    const sandbox = await start({dropAfterCommitRate: 1, hangAfterCommitRate: 1});
    sandbox.seedIdentities([{email_address: 'x@example.com'}]);
    const id = sandbox.identities()[0]?.user_identity_id;
    expect((await post(sandbox, '/user_identities/delete', {user_identity_id: id})).status).toBe(200);
    expect((await post(sandbox, '/user_identities/list', {})).status).toBe(200);
  });

  it('a refused create is answered, not dropped: nothing was committed', async () => {
    const sandbox = await start({dropAfterCommitRate: 1});
    expect((await create(sandbox, {email_address: 'bad'})).status).toBe(400);
    expect(sandbox.stats().dropped).toBe(0);
  });
});

describe('reset-before-read', () => {
  it('resets the connection as the request arrives, and makes no identity', async () => {
    const sandbox = await start({resetBeforeReadRate: 1});
    await expect(create(sandbox, {user_identity_key: 'reset-1'})).rejects.toThrow();
    expect(sandbox.identities()).toEqual([]);
    expect(sandbox.stats()).toMatchObject({resets: 1, creates: 0});
    sandbox.setFaults({resetBeforeReadRate: 0});
    expect((await create(sandbox, {user_identity_key: 'reset-1'})).status).toBe(200);
  });
});

describe('stopListening and listen', () => {
  it('refuses connections while stopped, then comes back on the same port with its state', async () => {
    const sandbox = await start();
    expect((await create(sandbox, {user_identity_key: 'before'})).status).toBe(200);
    const {port, url} = sandbox;

    await sandbox.stopListening();
    expect(sandbox.listening).toBe(false);
    const error: unknown = await post(sandbox, '/user_identities/list', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');

    await sandbox.listen();
    expect(sandbox.listening).toBe(true);
    expect(sandbox.port).toBe(port);
    expect(sandbox.url).toBe(url);
    const got = await post(sandbox, '/user_identities/get', {user_identity_key: 'before'});
    expect(got.status).toBe(200);
    expect((await create(sandbox, {user_identity_key: 'after'})).status).toBe(200);
    expect(sandbox.identities().map((identity) => identity.user_identity_key)).toEqual(['before', 'after']);
  });

  it('cuts a request still waiting out its latency; its work stays done, as when a server dies before its answer', async () => {
    const sandbox = await start({latencyMs: 5_000, jitterMs: 0});
    const committed = nextEvent(sandbox, 'commit');
    const pending = create(sandbox, {user_identity_key: 'in-flight'}).catch((caught: unknown) => caught);
    await committed;
    await sandbox.stopListening();
    expect(await pending).toBeInstanceOf(Error);
    await sandbox.listen();
    expect(sandbox.identities().map((identity) => identity.user_identity_key)).toEqual(['in-flight']);
  });

  it('does the work on arrival and answers latencyMs after the request arrived, not after the work', async () => {
    const sandbox = await start({latencyMs: 300, jitterMs: 0});
    const began = performance.now();
    const committed = nextEvent(sandbox, 'commit').then(() => performance.now() - began);
    const response = await create(sandbox, {user_identity_key: 'timed'});
    const answeredAfter = performance.now() - began;
    expect(response.status).toBe(200);
    // The commit comes well before the answer; the answer no sooner than the latency.
    expect(await committed).toBeLessThan(answeredAfter);
    expect(answeredAfter).toBeGreaterThanOrEqual(290);
  });
});

describe('seed', () => {
  async function run(seed: number): Promise<string[]> {
    const sandbox = await start({seed, failRate: 0.4, resetBeforeReadRate: 0.1});
    const seen: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      seen.push(await post(sandbox, '/user_identities/list', {}).then(fingerprint, () => 'reset'));
    }
    return seen;
  }

  it('gives the same faults for the same seed and requests', async () => {
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first).toContain('reset');
    expect(first.some((entry) => entry.startsWith('200'))).toBe(true);
    expect(first.some((entry) => entry.startsWith('5'))).toBe(true);
    expect(await run(43)).not.toEqual(first);
  });

  it('starts the sequences over when the seed is set at run time', async () => {
    const sandbox = await start({seed: 9, failRate: 0.5});
    const sequence = async (): Promise<number[]> => {
      const statuses: number[] = [];
      for (let index = 0; index < 12; index += 1) {
        const response = await post(sandbox, '/user_identities/list', {});
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      return statuses;
    };
    const first = await sequence();
    sandbox.setFaults({seed: 9});
    expect(await sequence()).toEqual(first);
  });
});

describe('in-flight counting', () => {
  it('counts the most requests in flight at once, and the most creates', async () => {
    // A latency no test waits out: the requests stay in flight until the sandbox stops listening.
    const sandbox = await start({latencyMs: 60_000, jitterMs: 0});
    let arrived = 0;
    const allArrived = nextEvent(sandbox, 'request', () => (arrived += 1) === 8);
    const settled = Promise.allSettled([
      ...Array.from({length: 6}, (_, index) => create(sandbox, {email_address: `c${index}@example.com`})),
      post(sandbox, '/user_identities/list', {}),
      post(sandbox, '/acs/systems/list', {}),
    ]);
    await allArrived;
    expect(sandbox.stats()).toMatchObject({inFlight: 8, maxInFlight: 8, inFlightCreate: 6, maxInFlightCreate: 6, requests: 8});
    await sandbox.stopListening();
    expect((await settled).every((result) => result.status === 'rejected')).toBe(true);
    // The creates were done on arrival; only their answers were cut.
    expect(sandbox.identities()).toHaveLength(6);
  });

  it('counts requests out when answered: one after another never overlap', async () => {
    const sandbox = await start();
    for (let index = 0; index < 5; index += 1) {
      await fingerprint(await create(sandbox, {email_address: `s${index}@example.com`}));
    }
    expect(sandbox.stats()).toMatchObject({maxInFlight: 1, maxInFlightCreate: 1, creates: 5});
  });
});
