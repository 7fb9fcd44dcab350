import {schemas} from '@seamapi/types/connect';
import {describe, expect, it} from 'vitest';

import {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN,
  DEFAULT_SANDBOX_WORKSPACE_ID,
  SANDBOX_ACS_SYSTEMS,
  type ConflictShape,
  type Sandbox,
} from '../src/sandbox/index.js';
import {useSandboxes} from './helpers/sandbox.js';

const start = useSandboxes();

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Bodies are checked field by field against literal expectations.
  json: any;
}

interface CallInit {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string;
}

async function call(sandbox: Sandbox, path: string, body?: unknown, init: CallInit = {}): Promise<Answer> {
  const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(new URL(path, sandbox.url), {
    method: init.method ?? 'POST',
    headers: {authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json', ...init.headers},
    ...(payload === undefined ? {} : {body: payload}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {status: response.status, headers: response.headers, text, json};
}

const [SYSTEM_A, SYSTEM_B] = SANDBOX_ACS_SYSTEMS.map((system) => system.acs_system_id);

function expectSeamError(answer: Answer, status: number, type: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.json).toMatchObject({error: {type, message: expect.any(String)}, ok: false});
  expect(answer.json.error.request_id).toBe(answer.headers.get('seam-request-id'));
}

describe('authentication', () => {
  it('accepts the API key as a Bearer token', async () => {
    const sandbox = await start();
    expect(sandbox.apiKey).toBe(DEFAULT_SANDBOX_API_KEY);
    expect((await call(sandbox, '/acs/systems/list', {})).status).toBe(200);
  });

  it.each([
    ['no Authorization header', {authorization: ''}],
    ['a wrong key', {authorization: 'Bearer seam_wrong_key'}],
    ['a key without "Bearer"', {authorization: DEFAULT_SANDBOX_API_KEY}],
    ['the PAT without seam-workspace', {authorization: `Bearer ${DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN}`}],
    [
      'the PAT with another workspace',
      {
        authorization: `Bearer ${DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN}`,
        'seam-workspace': '00000000-0000-4000-8000-000000000000',
      },
    ],
    ['an unknown token with a good seam-workspace', {authorization: 'Bearer x', 'seam-workspace': DEFAULT_SANDBOX_WORKSPACE_ID}],
  ])('refuses %s with 401 unauthorized in Seam’s shape', async (_name, headers) => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {email_address: 'a@example.com'}, {headers});
    expectSeamError(answer, 401, 'unauthorized');
    expect(answer.text).not.toContain(DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN);
    expect(sandbox.identities()).toEqual([]);
  });

  it('accepts the PAT with seam-workspace naming its workspace', async () => {
    const sandbox = await start();
    const answer = await call(
      sandbox,
      '/user_identities/create',
      {email_address: 'pat@example.com'},
      {headers: {authorization: `Bearer ${sandbox.personalAccessToken}`, 'seam-workspace': sandbox.workspaceId}},
    );
    expect(answer.status).toBe(200);
    expect(answer.json.user_identity.workspace_id).toBe(DEFAULT_SANDBOX_WORKSPACE_ID);
  });

  it('takes its credentials from the options', async () => {
    const workspaceId = '11111111-2222-4333-8444-555555555555';
    const sandbox = await start({apiKey: 'seam_other', personalAccessToken: 'seam_at_other', workspaceId});
    expect((await call(sandbox, '/acs/systems/list', {})).status).toBe(200);
    const pat = {authorization: 'Bearer seam_at_other', 'seam-workspace': workspaceId};
    expect((await call(sandbox, '/acs/systems/list', {}, {headers: pat})).status).toBe(200);
    const old = {authorization: `Bearer ${DEFAULT_SANDBOX_API_KEY}`};
    expectSeamError(await call(sandbox, '/acs/systems/list', {}, {headers: old}), 401, 'unauthorized');
  });
});

describe('/user_identities/create', () => {
  it('returns the full user_identity, with null for what was not given', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {
      user_identity_key: 'emp-1',
      email_address: 'Jane@Example.com',
      phone_number: '+15551234567',
      full_name: 'Jane Doe',
      acs_system_ids: [SYSTEM_A, SYSTEM_B],
    });
    expect(answer.status).toBe(200);
    expect(answer.json.ok).toBe(true);
    const identity = schemas.user_identity.parse(answer.json.user_identity);
    expect(identity).toMatchObject({
      user_identity_key: 'emp-1',
      email_address: 'Jane@Example.com',
      phone_number: '+15551234567',
      full_name: 'Jane Doe',
      display_name: 'Jane Doe',
      workspace_id: sandbox.workspaceId,
      errors: [],
      warnings: [],
    });
    expect(identity.acs_user_ids).toHaveLength(2);
    expect(new Date(identity.created_at).toISOString()).toBe(identity.created_at);
    expect(Object.keys(answer.json.user_identity).sort()).toEqual(
      [
        'acs_user_ids',
        'created_at',
        'display_name',
        'email_address',
        'errors',
        'full_name',
        'phone_number',
        'user_identity_id',
        'user_identity_key',
        'warnings',
        'workspace_id',
      ].sort(),
    );
    expect(sandbox.identities()).toEqual([answer.json.user_identity]);
  });

  it.each([
    [{full_name: 'Ann', email_address: 'a@example.com'}, 'Ann'],
    [{email_address: 'a@example.com', phone_number: '+15550001111'}, 'a@example.com'],
    [{phone_number: '+15550001111', user_identity_key: 'k'}, '+15550001111'],
    [{user_identity_key: 'k'}, 'k'],
    [{}, 'Unnamed'],
  ])('display_name of %j is %s', async (body, displayName) => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', body);
    expect(answer.status).toBe(200);
    expect(answer.json.user_identity.display_name).toBe(displayName);
    expect(schemas.user_identity.safeParse(answer.json.user_identity).success).toBe(true);
  });

  it('accepts null for the nullable fields', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {
      user_identity_key: null,
      email_address: 'n@example.com',
      phone_number: null,
      full_name: null,
    });
    expect(answer.status).toBe(200);
    expect(answer.json.user_identity).toMatchObject({user_identity_key: null, phone_number: null, full_name: null});
  });

  it('answers a bad email with invalid_input and zod’s formatted tree', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {email_address: 'not-an-email'});
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.validation_errors).toEqual({_errors: [], email_address: {_errors: ['Invalid email']}});
    expect(sandbox.identities()).toEqual([]);
  });

  it('names every broken field in validation_errors', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {
      user_identity_key: '',
      phone_number: '5551234567',
      full_name: '',
      email_address: 42,
      acs_system_ids: ['not-a-uuid'],
    });
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.validation_errors).toEqual({
      _errors: [],
      user_identity_key: {_errors: ['String must contain at least 1 character(s)']},
      phone_number: {_errors: ['Phone number must be in E.164 format: +14155552671']},
      full_name: {_errors: ['String must contain at least 1 character(s)']},
      email_address: {_errors: ['Expected string, received number']},
      acs_system_ids: {_errors: [], 0: {_errors: ['Invalid uuid']}},
    });
  });

  it.each(['+0123456', '+1', '+1234567890123456', '15551234567', '+1 555 123 4567'])(
    'refuses the phone %s, which is not E.164',
    async (phone) => {
      const sandbox = await start();
      const answer = await call(sandbox, '/user_identities/create', {phone_number: phone});
      expectSeamError(answer, 400, 'invalid_input');
      expect(Object.keys(answer.json.error.validation_errors)).toEqual(['_errors', 'phone_number']);
    },
  );

  it('refuses an access system the workspace does not have with 404 acs_system_not_found', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {
      email_address: 'a@example.com',
      acs_system_ids: [SYSTEM_A, '00000000-0000-4000-8000-00000000abcd'],
    });
    expectSeamError(answer, 404, 'acs_system_not_found');
    expect(sandbox.identities()).toEqual([]);
  });

  it('takes access system ids in any letter case', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', {acs_system_ids: [SYSTEM_A?.toUpperCase()]});
    expect(answer.status).toBe(200);
    expect(answer.json.user_identity.acs_user_ids).toHaveLength(1);
  });
});

describe('a create that clashes with an existing person', () => {
  const first = {user_identity_key: 'emp-1', email_address: 'jane@example.com', phone_number: '+15551234567'};
  const clashes = [
    ['the same key', {user_identity_key: 'emp-1', email_address: 'other@example.com'}, 'user_identity_key'],
    ['the same email in other letter case', {email_address: 'JANE@Example.COM'}, 'email_address'],
    ['the same phone', {phone_number: '+15551234567', user_identity_key: 'emp-2'}, 'phone_number'],
  ] as const;

  it.each(clashes)('with %s is refused as 400 invalid_input naming the field', async (_name, body, field) => {
    const sandbox = await start({conflictShape: 'invalid_input'});
    expect((await call(sandbox, '/user_identities/create', first)).status).toBe(200);
    const answer = await call(sandbox, '/user_identities/create', body);
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.message).toContain(field);
    expect(answer.json.error.validation_errors[field]._errors).toHaveLength(1);
    expect(sandbox.identities()).toHaveLength(1);
  });

  it.each(clashes)('with %s is refused as 409 user_identity_already_exists', async (_name, body, field) => {
    const sandbox = await start({conflictShape: 'conflict'});
    expect((await call(sandbox, '/user_identities/create', first)).status).toBe(200);
    const answer = await call(sandbox, '/user_identities/create', body);
    expectSeamError(answer, 409, 'user_identity_already_exists');
    expect(answer.json.error.message).toContain(field);
    expect(sandbox.identities()).toHaveLength(1);
  });

  it('defaults to the invalid_input shape', async () => {
    const sandbox = await start();
    await call(sandbox, '/user_identities/create', first);
    expectSeamError(await call(sandbox, '/user_identities/create', first), 400, 'invalid_input');
  });

  it('compares keys exactly: another letter case is another person', async () => {
    const sandbox = await start();
    await call(sandbox, '/user_identities/create', first);
    expect((await call(sandbox, '/user_identities/create', {user_identity_key: 'EMP-1'})).status).toBe(200);
  });

  it('lets the email of a deleted person be used again', async () => {
    const sandbox = await start();
    const created = await call(sandbox, '/user_identities/create', first);
    const id: string = created.json.user_identity.user_identity_id;
    expect((await call(sandbox, '/user_identities/delete', {user_identity_id: id})).status).toBe(200);
    expect((await call(sandbox, '/user_identities/create', first)).status).toBe(200);
  });
});

describe('request handling', () => {
  it('refuses a non-JSON content type on a non-empty body with invalid_content_type', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', undefined, {
      raw: 'email_address=a%40example.com',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
    });
    expectSeamError(answer, 400, 'invalid_content_type');
    expect(sandbox.identities()).toEqual([]);
  });

  it('treats an empty form-encoded body as {}, as Seam’s client sends it', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/acs/systems/list', undefined, {
      raw: '',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
    });
    expect(answer.status).toBe(200);
    expect(answer.json.acs_systems).toHaveLength(SANDBOX_ACS_SYSTEMS.length);
  });

  it('accepts a JSON content type with a charset', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/list', {}, {headers: {'content-type': 'application/json; charset=utf-8'}});
    expect(answer.status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_input', async () => {
    const sandbox = await start();
    expectSeamError(await call(sandbox, '/user_identities/create', undefined, {raw: '{"email_address":'}), 400, 'invalid_input');
  });

  it('answers a body that is not an object with 400 invalid_input', async () => {
    const sandbox = await start();
    const answer = await call(sandbox, '/user_identities/create', [1, 2]);
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.validation_errors._errors).toHaveLength(1);
  });

  it.each([
    ['GET', '/user_identities/create'],
    ['PUT', '/user_identities/list'],
    ['GET', '/user_identities/delete'],
  ])('answers %s %s with 405 method_not_allowed', async (method, path) => {
    const sandbox = await start();
    const answer = await call(sandbox, path, undefined, {method});
    expectSeamError(answer, 405, 'method_not_allowed');
    expect(answer.headers.get('allow')).toMatch(/POST/);
  });

  it('answers an unknown route with 404 in Seam’s shape', async () => {
    const sandbox = await start();
    expectSeamError(await call(sandbox, '/devices/list', {}), 404, 'not_found');
  });

  it('gives every answer its own seam-request-id', async () => {
    const sandbox = await start();
    const answers = [
      await call(sandbox, '/acs/systems/list', {}),
      await call(sandbox, '/acs/systems/list', {}),
      await call(sandbox, '/nowhere', {}),
      await call(sandbox, '/user_identities/create', {email_address: 'x'}),
      await call(sandbox, '/user_identities/list', {}, {headers: {authorization: 'Bearer nope'}}),
    ];
    const ids = answers.map((answer) => answer.headers.get('seam-request-id'));
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('/user_identities/get and /delete', () => {
  it('finds a person by id and by key, with POST or GET', async () => {
    const sandbox = await start();
    const created = (await call(sandbox, '/user_identities/create', {user_identity_key: 'k 1', email_address: 'k@example.com'})).json
      .user_identity;
    const byId = await call(sandbox, '/user_identities/get', {user_identity_id: created.user_identity_id});
    const byKey = await call(sandbox, '/user_identities/get', {user_identity_key: 'k 1'});
    const byGet = await call(sandbox, `/user_identities/get?user_identity_key=${encodeURIComponent('k 1')}`, undefined, {
      method: 'GET',
    });
    for (const answer of [byId, byKey, byGet]) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({user_identity: created, ok: true});
    }
  });

  it.each([
    ['an unknown id', {user_identity_id: '00000000-0000-4000-8000-000000000000'}],
    ['an unknown key', {user_identity_key: 'nobody'}],
  ])('answers %s with 404 user_identity_not_found', async (_name, body) => {
    const sandbox = await start();
    expectSeamError(await call(sandbox, '/user_identities/get', body), 404, 'user_identity_not_found');
  });

  it('refuses a get with neither id nor key, or an id that is not a UUID', async () => {
    const sandbox = await start();
    expectSeamError(await call(sandbox, '/user_identities/get', {}), 400, 'invalid_input');
    const answer = await call(sandbox, '/user_identities/get', {user_identity_id: 'abc'});
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.validation_errors.user_identity_id._errors).toEqual(['Invalid uuid']);
  });

  it('deletes a person, and a second delete is 404', async () => {
    const sandbox = await start();
    const id: string = (await call(sandbox, '/user_identities/create', {email_address: 'd@example.com'})).json.user_identity
      .user_identity_id;
    const deleted = await call(sandbox, '/user_identities/delete', {user_identity_id: id});
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ok: true});
    expectSeamError(await call(sandbox, '/user_identities/get', {user_identity_id: id}), 404, 'user_identity_not_found');
    expectSeamError(await call(sandbox, '/user_identities/delete', {user_identity_id: id}), 404, 'user_identity_not_found');
    expect(sandbox.identities()).toEqual([]);
  });
});

describe('/user_identities/list', () => {
  async function withPeople(): Promise<Sandbox> {
    const sandbox = await start();
    sandbox.seedIdentities([
      {user_identity_key: 'alpha-key', full_name: 'Ann Alpha', email_address: 'ann@alpha.example', phone_number: '+15550000001'},
      {user_identity_key: 'bravo-key', full_name: 'Bob Bravo', email_address: 'bob@bravo.example', phone_number: '+15550000002'},
      {user_identity_key: 'k3', full_name: 'Cy Charlie', email_address: 'cy@charlie.example', phone_number: '+447700900003'},
      {user_identity_key: 'k4', full_name: null, email_address: 'dee@delta.example', phone_number: null},
      {user_identity_key: 'k5', full_name: 'Eve Echo', email_address: null, phone_number: '+15550000005'},
    ]);
    return sandbox;
  }

  it('lists everyone in creation order, on one page by default', async () => {
    const sandbox = await withPeople();
    const answer = await call(sandbox, '/user_identities/list', {});
    expect(answer.status).toBe(200);
    expect(answer.json.user_identities).toEqual(sandbox.identities());
    expect(answer.json.pagination).toEqual({has_next_page: false, next_page_cursor: null, next_page_url: null});
    expect(answer.json.ok).toBe(true);
  });

  it('pages through small pages with the opaque cursor, each person once, in order', async () => {
    const sandbox = await withPeople();
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const answer: Answer = await call(sandbox, '/user_identities/list', {limit: 2, page_cursor: cursor});
      expect(answer.status).toBe(200);
      pageSizes.push(answer.json.user_identities.length);
      seen.push(...answer.json.user_identities.map((identity: {user_identity_key: string}) => identity.user_identity_key));
      cursor = answer.json.pagination.next_page_cursor;
      expect(answer.json.pagination.has_next_page).toBe(cursor !== null);
    } while (cursor !== null);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(['alpha-key', 'bravo-key', 'k3', 'k4', 'k5']);
  });

  it('serves next_page_url as a working GET', async () => {
    const sandbox = await withPeople();
    const first = await call(sandbox, '/user_identities/list', {limit: 3, search: 'example'});
    const url: string = first.json.pagination.next_page_url;
    expect(url).toContain('page_cursor=');
    const second = await call(sandbox, url, undefined, {method: 'GET'});
    expect(second.status).toBe(200);
    expect(second.json.user_identities.map((identity: {user_identity_key: string}) => identity.user_identity_key)).toEqual(['k4']);
    expect(second.json.pagination.has_next_page).toBe(false);
  });

  it('keeps pages stable when someone is deleted between them', async () => {
    const sandbox = await withPeople();
    const first = await call(sandbox, '/user_identities/list', {limit: 2});
    const third = sandbox.identities()[2];
    await call(sandbox, '/user_identities/delete', {user_identity_id: third?.user_identity_id});
    const rest = await call(sandbox, '/user_identities/list', {limit: 10, page_cursor: first.json.pagination.next_page_cursor});
    expect(rest.json.user_identities.map((identity: {user_identity_key: string}) => identity.user_identity_key)).toEqual(['k4', 'k5']);
  });

  it.each([
    ['part of a name, any case', 'BRAV', ['bravo-key']],
    ['part of an email', 'charlie.exa', ['k3']],
    ['part of a phone', '0000005', ['k5']],
    ['a phone with its +', '+4477', ['k3']],
    ['a shared domain', '.example', ['alpha-key', 'bravo-key', 'k3', 'k4']],
    ['a key, which is not searched', 'alpha-key', []],
    ['nothing that matches', 'zzz', []],
  ])('searches %s (%s)', async (_name, search, keys) => {
    const sandbox = await withPeople();
    const answer = await call(sandbox, '/user_identities/list', {search});
    expect(answer.json.user_identities.map((identity: {user_identity_key: string}) => identity.user_identity_key)).toEqual(keys);
  });

  it('searches part of an id', async () => {
    const sandbox = await withPeople();
    const target = sandbox.identities()[3];
    const answer = await call(sandbox, '/user_identities/list', {search: target?.user_identity_id.slice(9, 23).toUpperCase()});
    expect(answer.json.user_identities).toEqual([target]);
  });

  it('takes search and limit from a GET query string', async () => {
    const sandbox = await withPeople();
    const answer = await call(sandbox, '/user_identities/list?search=example&limit=1', undefined, {method: 'GET'});
    expect(answer.status).toBe(200);
    expect(answer.json.user_identities).toHaveLength(1);
    expect(answer.json.pagination.has_next_page).toBe(true);
  });

  it.each([
    [{page_cursor: 'garbage'}, 'page_cursor'],
    [{limit: 0}, 'limit'],
    [{limit: 'many'}, 'limit'],
  ])('refuses %j with invalid_input', async (body, field) => {
    const sandbox = await withPeople();
    const answer = await call(sandbox, '/user_identities/list', body);
    expectSeamError(answer, 400, 'invalid_input');
    expect(answer.json.error.validation_errors[field]._errors.length).toBeGreaterThan(0);
  });
});

describe('/acs/systems/list', () => {
  it('lists the fixed systems, each a valid Seam acs_system, with GET or POST', async () => {
    const sandbox = await start();
    await call(sandbox, '/user_identities/create', {email_address: 'a@example.com', acs_system_ids: [SYSTEM_A]});
    for (const method of ['POST', 'GET']) {
      const answer = await call(sandbox, '/acs/systems/list', method === 'POST' ? {} : undefined, {method});
      expect(answer.status).toBe(200);
      expect(answer.json.ok).toBe(true);
      expect(answer.json.acs_systems.map((system: {acs_system_id: string}) => system.acs_system_id)).toEqual(
        SANDBOX_ACS_SYSTEMS.map((system) => system.acs_system_id),
      );
      for (const system of answer.json.acs_systems) {
        expect(schemas.acs_system.parse(system)).toMatchObject({workspace_id: sandbox.workspaceId});
      }
      expect(answer.json.acs_systems[0].acs_user_count).toBe(1);
    }
  });
});

describe('state for tests', () => {
  it('preloads people with seedIdentities, and refuses a clash', async () => {
    const sandbox = await start();
    const [seeded] = sandbox.seedIdentities([
      {user_identity_id: 'AAAAAAAA-0000-4000-8000-000000000001', email_address: 'old@example.com', created_at: '2020-01-01T00:00:00.000Z'},
    ]);
    expect(seeded).toMatchObject({user_identity_id: 'aaaaaaaa-0000-4000-8000-000000000001', created_at: '2020-01-01T00:00:00.000Z'});
    const answer = await call(sandbox, '/user_identities/get', {user_identity_id: seeded?.user_identity_id});
    expect(answer.json.user_identity).toEqual(seeded);
    expect(() => sandbox.seedIdentities([{email_address: 'OLD@example.com'}])).toThrow(/email_address/);
  });

  it('hands out copies, so a test cannot change the state by accident', async () => {
    const sandbox = await start();
    sandbox.seedIdentities([{email_address: 'c@example.com'}]);
    const [copy] = sandbox.identities();
    if (copy !== undefined) copy.email_address = 'changed@example.com';
    expect(sandbox.identities()[0]?.email_address).toBe('c@example.com');
  });

  it('counts requests by route and status, and serves its state without auth', async () => {
    const sandbox = await start();
    await call(sandbox, '/user_identities/create', {email_address: 's@example.com'});
    await call(sandbox, '/user_identities/create', {email_address: 'bad'});
    await call(sandbox, '/user_identities/list', {}, {headers: {authorization: 'Bearer nope'}});
    await call(sandbox, '/unknown', {});
    expect(sandbox.stats()).toMatchObject({
      requests: 4,
      byRoute: {'/user_identities/create': 2, '/user_identities/list': 1, '(unknown)': 1},
      byStatus: {200: 1, 400: 1, 401: 1, 404: 1},
      creates: 1,
    });

    const stats = await fetch(new URL('/_sandbox/stats', sandbox.url));
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({requests: 4, creates: 1});
    const identities = await fetch(new URL('/_sandbox/identities', sandbox.url));
    expect(await identities.json()).toEqual(sandbox.identities());
    expect((await fetch(new URL('/_sandbox/stats', sandbox.url), {method: 'POST'})).status).toBe(405);
    expect((await fetch(new URL('/_sandbox/nothing', sandbox.url))).status).toBe(404);
    // Reading the state is not itself counted.
    expect(sandbox.stats().requests).toBe(4);

    sandbox.resetStats();
    expect(sandbox.stats()).toMatchObject({requests: 0, byRoute: {}, byStatus: {}, creates: 0, maxInFlight: 0});
    expect(sandbox.identities()).toHaveLength(1);
  });
});

describe('options', () => {
  it.each<ConflictShape>(['invalid_input', 'conflict'])('reports its conflict shape %s through the answers', async (conflictShape) => {
    const sandbox = await start({conflictShape});
    await call(sandbox, '/user_identities/create', {phone_number: '+15550000000'});
    const answer = await call(sandbox, '/user_identities/create', {phone_number: '+15550000000'});
    expect(answer.status).toBe(conflictShape === 'conflict' ? 409 : 400);
  });

  it('listens on 127.0.0.1 on a free port by default', async () => {
    const sandbox = await start();
    expect(sandbox.host).toBe('127.0.0.1');
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });
});
