import type {EventEmitter} from 'node:events';

/** What a request met on the way in; the name is the `SandboxStats` counter it bumps. */
export type SandboxFaultKind = 'resets' | 'rateLimited' | 'failed' | 'dropped' | 'hung';

interface RequestInfo {
  /** The `seam-request-id` of the request. */
  requestId: string;
  /** The route's path, or `(unknown)`. */
  route: string;
}

/**
 * Events of a running sandbox, for tests that must wait for something to happen on the server
 * (a create committed, a request hung) without sleeping.
 */
export interface SandboxEvents {
  /** A request arrived (before any fault). */
  request: [RequestInfo & {method: string}];
  /** An answer was sent. */
  response: [RequestInfo & {status: number}];
  /** A create or delete changed the state; the answer may still be lost to a fault. */
  commit: [RequestInfo & {userIdentityId: string}];
  /** A fault was applied to the request. */
  fault: [RequestInfo & {kind: SandboxFaultKind}];
}

export type SandboxEventEmitter = EventEmitter<SandboxEvents>;
