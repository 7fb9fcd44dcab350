import {afterEach} from 'vitest';
import {startSandbox, type Sandbox, type SandboxOptions} from '../../src/sandbox/index.js';

/**
 * `start(options)` for a test file: a sandbox on port 0, closed after each test. Call once at the
 * top of the file (it registers the `afterEach`).
 */
export function useSandboxes(): (options?: SandboxOptions) => Promise<Sandbox> {
  const open: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
  });
  return async (options = {}) => {
    const sandbox = await startSandbox({port: 0, ...options});
    open.push(sandbox);
    return sandbox;
  };
}
