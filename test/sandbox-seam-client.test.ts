import {
  SeamHttp,
  SeamHttpApiError,
  SeamHttpInvalidInputError,
  SeamHttpUnauthorizedError,
} from '@seamapi/http';
import {schemas} from '@seamapi/types/connect';
import {afterEach, describe, expect, it} from 'vitest';

import {SANDBOX_ACS_SYSTEMS, startSandbox, type Sandbox, type SandboxOptions} from '../src/sandbox/index.js';

// Seam's own JavaScript client, unchanged, against the sandbox: if it works with this, the
// sandbox speaks Seam's dialect (GET with a query for `get`, empty form-encoded POSTs, error shapes).

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: SandboxOptions = {}): Promise<{sandbox: Sandbox; seam: SeamHttp}> {
  const sandbox = await startSandbox({port: 0, ...options});
  sandboxes.push(sandbox);
  return {sandbox, seam: new SeamHttp({apiKey: sandbox.apiKey, endpoint: sandbox.url})};
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (error: unknown) => error,
  );
}

const SYSTEM_A = SANDBOX_ACS_SYSTEMS[0].acs_system_id;

describe('@seamapi/http against the sandbox', () => {
  it('creates, gets by key and by id, lists with search, and deletes', async () => {
    const {sandbox, seam} = await start();
    const calls: string[] = [];
    sandbox.events.on('request', ({method, route}) => calls.push(`${method} ${route}`));
    const created = await seam.userIdentities.create({
      user_identity_key: 'jane_doe',
      email_address: 'jane@example.com',
      phone_number: '+15551234567',
      full_name: 'Jane Doe',
      acs_system_ids: [SYSTEM_A],
    });
    expect(schemas.user_identity.parse(created)).toEqual(created);
    expect(created).toMatchObject({display_name: 'Jane Doe', workspace_id: sandbox.workspaceId});
    expect(created.acs_user_ids).toHaveLength(1);

    const byKey = await seam.userIdentities.get({user_identity_key: 'jane_doe'});
    const byId = await seam.userIdentities.get({user_identity_id: created.user_identity_id});
    expect(schemas.user_identity.parse(byKey)).toEqual(created);
    expect(schemas.user_identity.parse(byId)).toEqual(created);

    await seam.userIdentities.create({email_address: 'john@example.org', full_name: 'John Roe'});
    const found = await seam.userIdentities.list({search: 'JANE'});
    expect(found.map((identity) => schemas.user_identity.parse(identity).user_identity_id)).toEqual([created.user_identity_id]);

    await seam.userIdentities.delete({user_identity_id: created.user_identity_id});
    const gone = await rejection(seam.userIdentities.get({user_identity_id: created.user_identity_id}));
    expect(gone).toBeInstanceOf(SeamHttpApiError);
    expect(gone).toMatchObject({code: 'user_identity_not_found', statusCode: 404});
    expect(sandbox.identities().map((identity) => identity.email_address)).toEqual(['john@example.org']);
    // What the client sends, and the sandbox must accept: `get` is a GET with a query string.
    expect(calls).toEqual([
      'POST /user_identities/create',
      'GET /user_identities/get',
      'GET /user_identities/get',
      'POST /user_identities/create',
      'POST /user_identities/list',
      'POST /user_identities/delete',
      'GET /user_identities/get',
    ]);
  });

  it('pages through small pages with its paginator', async () => {
    const {sandbox, seam} = await start();
    for (let index = 1; index <= 5; index += 1) {
      await seam.userIdentities.create({email_address: `person${index}@example.com`, full_name: `Person ${index}`});
    }
    await seam.userIdentities.create({email_address: 'outsider@elsewhere.test'});

    const paginator = seam.createPaginator(seam.userIdentities.list({limit: 2, search: 'example.com'}));
    const pages: string[][] = [];
    for await (const page of paginator) {
      pages.push(page.map((identity) => schemas.user_identity.parse(identity).email_address ?? ''));
    }
    expect(pages).toEqual([
      ['person1@example.com', 'person2@example.com'],
      ['person3@example.com', 'person4@example.com'],
      ['person5@example.com'],
    ]);

    const all = await seam.createPaginator(seam.userIdentities.list({limit: 2})).flattenToArray();
    expect(all.map((identity) => identity.user_identity_id)).toEqual(sandbox.identities().map((identity) => identity.user_identity_id));

    const [firstPage, pagination] = await seam.createPaginator(seam.userIdentities.list({limit: 4})).firstPage();
    expect(firstPage).toHaveLength(4);
    expect(pagination.hasNextPage).toBe(true);
    expect(pagination.nextPageUrl).toContain('page_cursor=');
  });

  it('lists the access systems, each a valid Seam acs_system', async () => {
    const {seam} = await start();
    const systems = await seam.acs.systems.list();
    expect(systems.map((system) => schemas.acs_system.parse(system).acs_system_id)).toEqual(
      SANDBOX_ACS_SYSTEMS.map((system) => system.acs_system_id),
    );
  });

  it('throws SeamHttpInvalidInputError for a bad email, with the validation messages', async () => {
    const {seam} = await start();
    const error = await rejection(seam.userIdentities.create({email_address: 'not-an-email'}));
    expect(error).toBeInstanceOf(SeamHttpInvalidInputError);
    const invalid = error as SeamHttpInvalidInputError;
    expect(invalid.statusCode).toBe(400);
    expect(invalid.requestId).not.toBe('');
    expect(invalid.getValidationErrorMessages('email_address')).toEqual(['Invalid email']);
  });

  it('throws SeamHttpUnauthorizedError for a wrong key', async () => {
    const {sandbox} = await start();
    const seam = new SeamHttp({apiKey: 'seam_wrong_key', endpoint: sandbox.url});
    const error = await rejection(seam.userIdentities.create({email_address: 'a@example.com'}));
    expect(error).toBeInstanceOf(SeamHttpUnauthorizedError);
    expect((error as SeamHttpUnauthorizedError).requestId).not.toBe('');
    expect(sandbox.identities()).toEqual([]);
  });

  it.each([
    ['invalid_input', 400, SeamHttpInvalidInputError],
    ['conflict', 409, SeamHttpApiError],
  ] as const)('throws a SeamHttpApiError for a clash in the %s shape', async (conflictShape, status, errorClass) => {
    const {seam} = await start({conflictShape});
    await seam.userIdentities.create({email_address: 'jane@example.com'});
    const error = await rejection(seam.userIdentities.create({email_address: 'Jane@Example.com'}));
    expect(error).toBeInstanceOf(SeamHttpApiError);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as SeamHttpApiError).statusCode).toBe(status);
    expect((error as SeamHttpApiError).message).toContain('email_address');
  });

  it('works with a personal access token and its workspace', async () => {
    const {sandbox} = await start();
    const seam = SeamHttp.fromPersonalAccessToken(sandbox.personalAccessToken, sandbox.workspaceId, {endpoint: sandbox.url});
    const created = await seam.userIdentities.create({email_address: 'pat@example.com'});
    expect(schemas.user_identity.parse(created).workspace_id).toBe(sandbox.workspaceId);
    expect((await seam.userIdentities.get({user_identity_id: created.user_identity_id})).email_address).toBe('pat@example.com');

    const elsewhere = SeamHttp.fromPersonalAccessToken(sandbox.personalAccessToken, '00000000-0000-4000-8000-000000000000', {
      endpoint: sandbox.url,
    });
    expect(await rejection(elsewhere.userIdentities.list())).toBeInstanceOf(SeamHttpUnauthorizedError);
  });
});
