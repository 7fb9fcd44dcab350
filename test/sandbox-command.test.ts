import {createServer} from 'node:net';

import {describe, expect, it} from 'vitest';

import {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN,
  DEFAULT_SANDBOX_WORKSPACE_ID,
  runSandboxCommand,
} from '../src/sandbox/index.js';
import {hostFlag, loopbackUrl} from '../src/sandbox/command.js';

/** Collects what the command writes; `line` resolves on its first write. */
function output(): {text: () => string; write: (text: string) => boolean; line: Promise<string>} {
  let text = '';
  let announce: (line: string) => void = () => {};
  const line = new Promise<string>((resolve) => {
    announce = resolve;
  });
  return {
    text: () => text,
    write: (chunk: string) => {
      text += chunk;
      announce(chunk);
      return true;
    },
    line,
  };
}

const LISTENING = /^seam sandbox listening on http:\/\/127\.0\.0\.1:(\d+) \(api key: (\S+)\)\n$/;

describe('seam-import sandbox', () => {
  it('prints its one line, serves with the printed key, and stops with 0', async () => {
    const stdout = output();
    const stderr = output();
    const stop = new AbortController();
    const signalsBefore = process.listenerCount('SIGINT');
    const running = runSandboxCommand(['--port', '0', '--api-key', 'seam_cli_key', '--seed', '5'], {
      stdout,
      stderr,
      signal: stop.signal,
    });
    const line = await stdout.line;
    const [, port, key] = LISTENING.exec(line) ?? [];
    expect(key).toBe('seam_cli_key');

    const response = await fetch(`http://127.0.0.1:${port}/user_identities/create`, {
      method: 'POST',
      headers: {authorization: `Bearer ${key}`, 'content-type': 'application/json'},
      body: JSON.stringify({email_address: 'cli@example.com'}),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as {user_identity: {user_identity_id: string}}).user_identity.user_identity_id).toMatch(
      /^[0-9a-f-]{36}$/,
    );

    stop.abort();
    expect(await running).toBe(0);
    expect(stdout.text()).toBe(line);
    expect(stderr.text()).toBe('');
    expect(process.listenerCount('SIGINT')).toBe(signalsBefore);
    await expect(fetch(`http://127.0.0.1:${port}/user_identities/list`, {method: 'POST'})).rejects.toThrow();
  });

  it('prints a URL the importer takes when it listens on every interface (--host 0.0.0.0)', async () => {
    const stdout = output();
    const stop = new AbortController();
    const running = runSandboxCommand(['--port', '0', '--host', '0.0.0.0'], {stdout, stderr: output(), signal: stop.signal});
    const [, port] = LISTENING.exec(await stdout.line) ?? [];
    expect(port).toMatch(/^\d+$/);
    const response = await fetch(`http://127.0.0.1:${port}/user_identities/list`, {
      method: 'POST',
      headers: {authorization: `Bearer ${DEFAULT_SANDBOX_API_KEY}`, 'content-type': 'application/json'},
      body: '{}',
    });
    expect(response.status).toBe(200);
    stop.abort();
    expect(await running).toBe(0);
    expect(stdout.text().split('\n')[1]).toBe(
      `  and on every interface (--host 0.0.0.0); seam-import sends an API key over plain http:// only to this machine (http://127.0.0.1:${port}).`,
    );
  });

  it('reads --host [::] as the address, and gives a loopback URL for every way of writing "every interface"', () => {
    expect(hostFlag('[::]')).toBe('::');
    expect(hostFlag('127.0.0.1')).toBe('127.0.0.1');
    expect(hostFlag(undefined)).toBeUndefined();
    expect(loopbackUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080');
    expect(loopbackUrl('::', 8080)).toBe('http://[::1]:8080');
    expect(loopbackUrl('0:0:0:0:0:0:0:0', 8080)).toBe('http://[::1]:8080');
    expect(loopbackUrl('::0', 8080)).toBe('http://[::1]:8080');
    for (const host of ['127.0.0.1', '::1', 'localhost', '10.0.0.5', '0.0.0.1']) expect({host, url: loopbackUrl(host, 8080)}).toEqual({host, url: undefined});
  });

  it('applies the fault flags', async () => {
    const stdout = output();
    const stop = new AbortController();
    const running = runSandboxCommand(['--port', '0', '--rate-limit', '5', '--conflict-shape', 'conflict'], {
      stdout,
      signal: stop.signal,
    });
    const [, port] = LISTENING.exec(await stdout.line) ?? [];
    const send = (body: unknown): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/user_identities/create`, {
        method: 'POST',
        headers: {authorization: `Bearer ${DEFAULT_SANDBOX_API_KEY}`, 'content-type': 'application/json'},
        body: JSON.stringify(body),
      });
    const statuses = (
      await Promise.all(Array.from({length: 20}, (_, index) => send({email_address: `b${index}@example.com`})))
    ).map((response) => response.status);
    expect(statuses).toContain(429);
    stop.abort();
    expect(await running).toBe(0);
  });

  it('shows the defaults, including the PAT and workspace id, with --help', async () => {
    const stdout = output();
    expect(await runSandboxCommand(['--help'], {stdout})).toBe(0);
    for (const value of ['8787', '127.0.0.1', DEFAULT_SANDBOX_API_KEY, DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN, DEFAULT_SANDBOX_WORKSPACE_ID]) {
      expect(stdout.text()).toContain(value);
    }
    for (const flag of ['--latency-ms', '--rate-limit', '--fail-rate', '--drop-after-commit-rate', '--seed', '--conflict-shape']) {
      expect(stdout.text()).toContain(flag);
    }
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', '70000'], '--port'],
    [['--fail-rate', '2'], '--fail-rate'],
    [['--drop-after-commit-rate', '-0.5'], '--drop-after-commit-rate'],
    [['--hang-after-commit-rate', 'x'], '--hang-after-commit-rate'],
    [['--rate-limit', '-1'], '--rate-limit'],
    [['--latency-ms', 'soon'], '--latency-ms'],
    [['--seed', '1.5'], '--seed'],
    [['--conflict-shape', 'teapot'], '--conflict-shape'],
    [['--workspace-id', 'not-a-uuid'], '--workspace-id'],
    [['--api-key', ''], '--api-key'],
    [['--bogus'], '--bogus'],
    [['extra'], 'extra'],
  ])('refuses %j with a message and 2', async (argv, named) => {
    const stdout = output();
    const stderr = output();
    expect(await runSandboxCommand(argv, {stdout, stderr})).toBe(2);
    expect(stderr.text()).toContain(named);
    expect(stdout.text()).toBe('');
  });

  it('says so and returns 2 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const stderr = output();
      expect(await runSandboxCommand(['--port', String(port)], {stderr, stdout: output()})).toBe(2);
      expect(stderr.text()).toMatch(/could not start.*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
