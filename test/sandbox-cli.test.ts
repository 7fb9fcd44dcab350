/**
 * `seam-import sandbox` as a person runs it: the built CLI in its own process, on port 0, driven
 * over HTTP exactly as the curl checks do.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {once} from 'node:events';
import {afterEach, describe, expect, it} from 'vitest';
import {CLI} from './helpers/cli.js';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the sandbox and resolves with its URL and key, read from the one line it prints. */
async function sandbox(...args: string[]): Promise<{url: string; key: string; child: ChildProcessWithoutNullStreams}> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args]);
  children.push(child);
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const match = /^seam sandbox listening on (http:\/\/127\.0\.0\.1:\d+) \(api key: (\S+)\)\n/.exec(out);
    if (match) return {url: match[1]!, key: match[2]!, child};
  }
  throw new Error(`the sandbox printed no listening line: ${out}`);
}

const post = (url: string, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${url}${path}`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(body)});

describe('seam-import sandbox', () => {
  it('prints its line, creates with the printed key, refuses a clash in other case, a wrong key and a PAT without workspace; stops on SIGINT', async () => {
    const {url, key, child} = await sandbox();
    const auth = {authorization: `Bearer ${key}`};
    const created = await post(url, '/user_identities/create', {email_address: 'Jane@Example.com', full_name: 'Jane'}, auth);
    expect(created.status).toBe(200);
    const body = (await created.json()) as {user_identity: {user_identity_id: string}};
    expect(body.user_identity.user_identity_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.get('seam-request-id')).toBeTruthy();

    const clash = await post(url, '/user_identities/create', {email_address: 'jane@example.com'}, auth);
    expect(clash.status).toBeGreaterThanOrEqual(400);
    expect(((await clash.json()) as {ok: boolean}).ok).toBe(false);

    const wrong = await post(url, '/user_identities/create', {email_address: 'x@example.com'}, {authorization: 'Bearer seam_wrong'});
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ok: false, error: {type: 'unauthorized'}});

    const pat = await post(url, '/user_identities/create', {email_address: 'y@example.com'}, {authorization: 'Bearer seam_at_sandbox_pat'});
    expect(pat.status).toBe(401);

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('--rate-limit 5: a burst of 20 creates gets some 429s, each with Retry-After', async () => {
    const {url, key} = await sandbox('--rate-limit', '5');
    const answers = await Promise.all(
      Array.from({length: 20}, (_, i) => post(url, '/user_identities/create', {email_address: `burst${i}@example.com`}, {authorization: `Bearer ${key}`})),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThan(20);
    for (const answer of limited) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('--drop-after-commit-rate 1: the connection closes with no answer, and the identity exists afterwards', async () => {
    const {url, key} = await sandbox('--drop-after-commit-rate', '1');
    const auth = {authorization: `Bearer ${key}`};
    await expect(post(url, '/user_identities/create', {user_identity_key: 'dropped-1', email_address: 'd@example.com'}, auth)).rejects.toThrow();
    const got = await post(url, '/user_identities/get', {user_identity_key: 'dropped-1'}, auth);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({user_identity: {user_identity_key: 'dropped-1', email_address: 'd@example.com'}});
  });
});
