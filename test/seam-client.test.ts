import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {createSeamClient, tlsAdvice} from '../src/seam/client.js';
import {SeamApiError} from '../src/seam/errors.js';
import {Pacer} from '../src/seam/pacer.js';
import {loadExisting} from '../src/engine/existing.js';

// Servers that speak Seam's API in ways Seam's own does not (a proxy, a gateway, a look-alike).
const KEY = 'seam_test_client_key_0123456789';
type Answer = (path: string, body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function server(answer: Answer): Promise<{url: string; bodies: Array<Record<string, unknown>>}> {
  const bodies: Array<Record<string, unknown>> = [];
  const http = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      bodies.push(body);
      answer(req.url ?? '', body, res, req);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => http.close(() => resolve())));
  return {url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, bodies};
}

function client(url: string) {
  const pacer = new Pacer({maxConcurrency: 1});
  return {client: createSeamClient({endpoint: url, apiKey: KEY, pacer}), pacer};
}

const identity = {user_identity_id: '00000000-0000-4000-8000-000000000001', user_identity_key: 'E-1', email_address: 'ann@example.com', phone_number: null, full_name: 'Ann'};

describe('answers in shapes Seam does not use', () => {
  it('a 200 whose JSON is labelled text/plain is the answer, not an unclear failure (which cost a lookup and a retry per row)', async () => {
    const seam = await server((_path, _body, res) => {
      res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'});
      res.end(JSON.stringify({ok: true, user_identity: identity}));
    });
    const {client: api} = client(seam.url);
    const made = await api.createUserIdentity({user_identity_key: 'E-1'});
    expect(made.data.user_identity_id).toBe(identity.user_identity_id);
    expect(api.stats.requests).toBe(1);
  });

  it('a 409 with no body, or a gateway\'s 400 page, is a refusal (the person is looked up), not a server error to retry', async () => {
    for (const [status, type, body] of [
      [409, undefined, ''],
      [400, 'text/html', '<html><body>400 Bad Request</body></html>'],
      [409, 'application/json', JSON.stringify({message: 'duplicate'})],
    ] as const) {
      const seam = await server((_path, _body, res) => {
        res.writeHead(status, type ? {'content-type': type} : {});
        res.end(body);
      });
      const error = await client(seam.url).client.createUserIdentity({user_identity_key: 'E-1'}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeamApiError);
      expect((error as SeamApiError).kind).toBe('refused');
      expect((error as SeamApiError).status).toBe(status);
      expect((error as SeamApiError).message).toMatch(new RegExp(`^Seam refused the request \\(${status}, `));
    }
  });

  // "answered /user_identities/list with an error (200, …)" and "Not found (not_found)", which named no route.
  it('a 200 page that is not JSON is not called an error code, and a 404 not_found names its route', async () => {
    const page = await server((_path, _body, res) => {
      res.writeHead(200, {'content-type': 'text/html'});
      res.end('<html><body>Please wait…</body></html>');
    });
    const wait = await client(page.url).client.listUserIdentities({limit: 1}).catch((e: unknown) => e);
    expect((wait as SeamApiError).kind).toBe('server_error');
    expect((wait as SeamApiError).message).toMatch(/^Seam answered \/user_identities\/list with an answer that is not Seam's \(200, /);
    const gone = await server((_path, _body, res) => {
      res.writeHead(404, {'content-type': 'application/json'});
      res.end(JSON.stringify({ok: false, error: {type: 'not_found', message: 'Not found'}}));
    });
    const missing = await client(gone.url).client.listAcsSystems().catch((e: unknown) => e);
    expect((missing as SeamApiError).kind).toBe('not_found');
    expect((missing as SeamApiError).message).toBe('Seam answered /acs/systems/list: not found (not_found)');
  });

  it('a request id header that echoes the key is masked (it goes into the results file and the run record)', async () => {
    const seam = await server((_path, _body, res) => {
      res.writeHead(502, {'content-type': 'text/html', 'seam-request-id': `req-${KEY}`});
      res.end('<html>502</html>');
    });
    const error = (await client(seam.url).client.createUserIdentity({user_identity_key: 'E-1'}).catch((e: unknown) => e)) as SeamApiError;
    expect(error.kind).toBe('server_error');
    expect(error.requestId).toBe('req-***');
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('a validation error keyed by the key (a field name, not a string) is masked: its message goes into the results file', async () => {
    const seam = await server((_path, _body, res) => {
      res.writeHead(400, {'content-type': 'application/json'});
      res.end(JSON.stringify({ok: false, error: {type: 'invalid_input', message: 'Invalid', validation_errors: {_errors: [], [KEY]: {_errors: ['bad']}}}}));
    });
    const error = (await client(seam.url).client.createUserIdentity({user_identity_key: 'E-1'}).catch((e: unknown) => e)) as SeamApiError;
    expect(error.message).toContain('***: bad');
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it("a good answer whose person's fields echo the key is masked before a message can quote them; one without is handed on as it came", async () => {
    const echoed = {...identity, user_identity_key: KEY, full_name: `Bearer ${KEY}`};
    const seam = await server((_path, body, res) => {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({ok: true, user_identity: body['user_identity_key'] === 'echo' ? echoed : identity}));
    });
    const {client: api} = client(seam.url);
    const made = await api.createUserIdentity({user_identity_key: 'echo'});
    expect(JSON.stringify(made)).not.toContain(KEY);
    expect(made.data.user_identity_key).toBe('***');
    expect((await api.createUserIdentity({user_identity_key: 'E-1'})).data).toEqual(identity);
  });

  it('a short key ("acme", a sandbox\'s) is not masked in a good answer: it is a word of people\'s emails and keys too', async () => {
    const person = {...identity, user_identity_key: 'acme', email_address: 'ann@acme.com'};
    const seam = await server((_path, _body, res) => {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({ok: true, user_identity: person}));
    });
    const api = createSeamClient({endpoint: seam.url, apiKey: 'acme', pacer: new Pacer({maxConcurrency: 1})});
    expect((await api.createUserIdentity({user_identity_key: 'acme', email_address: 'ann@acme.com'})).data).toEqual(person);
  });
});

describe('listing the workspace from servers that page their own way', () => {
  const person = (n: number) => ({...identity, user_identity_id: `00000000-0000-4000-8000-00000000000${n}`, user_identity_key: `E-${n}`, email_address: `p${n}@example.com`});

  it('a numeric next_page_cursor, or only a next_page_url, is followed to the last page (it stopped after the first, silently)', async () => {
    for (const paging of [(page: number) => ({has_next_page: true, next_page_cursor: page}), (page: number) => ({has_next_page: true, next_page_url: `http://seam.example/user_identities/list?page_cursor=p${page}`})]) {
      const seam = await server((_path, body, res) => {
        const cursor = body['page_cursor'];
        const page = cursor === undefined ? 1 : Number(String(cursor).replace('p', ''));
        res.writeHead(200, {'content-type': 'application/json'});
        res.end(JSON.stringify({ok: true, user_identities: [person(page)], pagination: page < 3 ? paging(page + 1) : {has_next_page: false}}));
      });
      const {client: api, pacer} = client(seam.url);
      expect((await loadExisting(api, pacer)).size).toBe(3);
      expect(seam.bodies).toHaveLength(3);
    }
  });

  it('has_next_page true with no way to ask for the next page, or no user_identities at all, stops the lookup: never read as a smaller or empty workspace', async () => {
    for (const [page, said] of [
      [{ok: true, user_identities: [person(1)], pagination: {has_next_page: true}}, 'has_next_page true but no next_page_cursor'],
      [{ok: true, data: [person(1)], pagination: {has_next_page: false}}, 'without a list of user identities'],
    ] as const) {
      const seam = await server((_path, _body, res) => {
        res.writeHead(200, {'content-type': 'application/json'});
        res.end(JSON.stringify(page));
      });
      const {client: api, pacer} = client(seam.url);
      const error = await loadExisting(api, pacer).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeamApiError);
      expect((error as SeamApiError).message).toContain(said);
      // Not asked again and again: the same answer would come.
      expect(seam.bodies).toHaveLength(1);
    }
  });

  it('a server that refuses Seam\'s page size (400 for limit 500) is asked again without one', async () => {
    const seam = await server((_path, body, res) => {
      if (body['limit'] !== undefined) {
        res.writeHead(400, {'content-type': 'application/json'});
        res.end(JSON.stringify({ok: false, error: {type: 'invalid_input', message: 'limit must be at most 100'}}));
        return;
      }
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({ok: true, user_identities: [person(1), person(2)], pagination: {has_next_page: false}}));
    });
    const {client: api, pacer} = client(seam.url);
    expect((await loadExisting(api, pacer)).size).toBe(2);
    expect(seam.bodies.map((b) => b['limit'])).toEqual([500, undefined]);
  });
});

describe('an untrusted certificate: the advice names NODE_EXTRA_CA_CERTS as it is set', () => {
  it('unset: to set it; set to a missing file (Node ignored it with a warning of its own): says so; set to a file: that it is not the right certificate', () => {
    expect(tlsAdvice(undefined)).toContain('point NODE_EXTRA_CA_CERTS at its CA certificate file');
    expect(tlsAdvice('/nonexistent/ca.pem')).toBe('NODE_EXTRA_CA_CERTS is set to /nonexistent/ca.pem, which does not exist, so Node ignored it: point it at the CA certificate file of the company proxy that inspects HTTPS and run again; otherwise check --endpoint. Nothing was sent.');
    expect(tlsAdvice(import.meta.filename)).toMatch(/^NODE_EXTRA_CA_CERTS is set to .*seam-client\.test\.ts, and the server's certificate is signed by none of the CAs it holds \(nor Node's own\): if a company proxy inspects HTTPS, point it at that proxy's CA certificate file \(PEM\)/);
  });
});
