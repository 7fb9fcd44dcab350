import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {defaultOutPath} from '../engine/options.js';
import type {SandboxOptions, SeedUserIdentity} from '../sandbox/index.js';

export interface EmbeddedSandbox {
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

/**
 * `--demo`: enough latency to watch the bar move, and a few seeded faults so that retries, a
 * reconciled dropped connection and a 429 pause or two show up. Seeded, so every demo run
 * meets the same faults.
 */
export const DEMO_FAULTS: SandboxOptions = {
  latencyMs: 40,
  jitterMs: 30,
  failRate: 0.03,
  dropAfterCommitRate: 0.02,
  rateLimit: 40,
  seed: 7,
};

/**
 * `--demo`: people the workspace "already has", from examples/building.csv, so the demo shows
 * the plan's `existing` (same key, email and phone: adopted, not sent) and a `conflict` (the
 * email belongs to someone else in Seam: not sent, marked failed, naming the existing id).
 */
export const DEMO_EXISTING: readonly SeedUserIdentity[] = [
  {user_identity_key: 'R-1002', email_address: 'ezra.brown@example.net', phone_number: '+16465550100', full_name: 'Ezra Brown'},
  {user_identity_key: 'R-1003', email_address: 'isabella.taylor@mail.example.com', phone_number: '+19175550100', full_name: 'Isabella Taylor'},
  {user_identity_key: 'OLD-0977', email_address: 'liam.gonzalez@example.com', full_name: 'Liam Gonzalez (old system)'},
];

/** Starts the sandbox in this process on a free loopback port (`--sandbox`, `--demo`). */
export async function startEmbeddedSandbox({demo}: {demo: boolean}): Promise<EmbeddedSandbox> {
  // Loaded only when asked for: a real import never pays for the sandbox's code.
  const {startSandbox} = await import('../sandbox/index.js');
  const sandbox = await startSandbox({port: 0, host: '127.0.0.1', ...(demo ? DEMO_FAULTS : {})});
  if (demo) sandbox.seedIdentities(DEMO_EXISTING);
  return {url: sandbox.url, apiKey: sandbox.apiKey, close: () => sandbox.close()};
}

/** `--demo` without `--out`: a fresh directory under the OS temp dir, so the demo runs again and again. */
export function freshDemoOutPath(input: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'seam-import-demo-'));
  return join(dir, basename(defaultOutPath(input)));
}
