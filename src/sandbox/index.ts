export {startSandbox, type Sandbox} from './server.js';
export {runSandboxCommand, type SandboxCommandIo} from './command.js';
export {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_HOST,
  DEFAULT_SANDBOX_PERSONAL_ACCESS_TOKEN,
  DEFAULT_SANDBOX_PORT,
  DEFAULT_SANDBOX_SEED,
  DEFAULT_SANDBOX_WORKSPACE_ID,
  SANDBOX_ROUTES,
  type ConflictShape,
  type RetryAfterStyle,
  type SandboxFaults,
  type SandboxOptions,
  type SandboxRoute,
} from './options.js';
export {SANDBOX_ACS_SYSTEMS, type SandboxAcsSystem} from './acs-systems.js';
export type {SandboxStats} from './stats.js';
export type {NewUserIdentity, SandboxUserIdentity, SeedUserIdentity} from './store.js';
export {mulberry32} from './faults.js';
export type {SandboxEventEmitter, SandboxEvents, SandboxFaultKind} from './events.js';
