import {EventEmitter, setMaxListeners} from 'node:events';
import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

import type {SandboxEventEmitter, SandboxEvents} from './events.js';
import {FaultInjector} from './faults.js';
import {createHandler} from './handler.js';
import {resolveSandboxOptions, type SandboxFaults, type SandboxOptions} from './options.js';
import {StatsRecorder, type SandboxStats} from './stats.js';
import {IdentityStore, type SandboxUserIdentity, type SeedUserIdentity} from './store.js';

/** A running sandbox: a local stand-in for Seam Connect, with faults and a view of its state. */
export interface Sandbox {
  /** `http://host:port`, the endpoint to give a client. Stays the same across `stopListening()`/`listen()`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly apiKey: string;
  readonly personalAccessToken: string;
  readonly workspaceId: string;
  /** Requests, answers, commits and faults as they happen, for tests that must wait on the server. */
  readonly events: SandboxEventEmitter;
  /** False between `stopListening()` and `listen()`. */
  readonly listening: boolean;
  /** Changes some faults while running; the ones not named stay as they are. */
  setFaults(faults: SandboxFaults): void;
  /** The faults in force, defaults filled in. */
  faults(): Required<SandboxFaults>;
  /** Every identity the workspace holds, in creation order (copies). */
  identities(): SandboxUserIdentity[];
  /** Preloads people, as if created earlier; throws on a clash or an unknown access system. */
  seedIdentities(people: readonly SeedUserIdentity[]): SandboxUserIdentity[];
  stats(): SandboxStats;
  resetStats(): void;
  /**
   * Closes the listening socket and every connection, refusing new ones, and keeps all state:
   * the server has vanished. Requests still waiting out their latency are dropped undone.
   */
  stopListening(): Promise<void>;
  /** Listens again on the same host and port, after `stopListening()`. */
  listen(): Promise<void>;
  /** Stops for good; finishes even with requests hung after commit. */
  close(): Promise<void>;
}

/** Starts a sandbox; `port: 0` (the default) picks a free port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveSandboxOptions(options);
  const faults = new FaultInjector(options);
  const store = new IdentityStore(resolved.workspaceId);
  const stats = new StatsRecorder();
  const events: SandboxEventEmitter = new EventEmitter<SandboxEvents>();
  const sockets = new Set<Socket>();
  // Every request waiting out its latency listens on it: hundreds at once, by design.
  let lifetime = quietController();
  let server: Server | undefined;
  let port = resolved.port;
  let closed = false;

  const urlOf = (): string => {
    const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
    return `http://${host}:${port}`;
  };
  const handler = createHandler({
    options: resolved,
    faults,
    store,
    stats,
    events,
    lifetime: () => lifetime.signal,
    url: urlOf,
  });

  const listen = async (): Promise<void> => {
    if (closed) throw new Error('The sandbox is closed');
    if (server !== undefined) return;
    const next = createServer(handler);
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, resolved.host, () => {
        next.off('error', reject);
        resolve();
      });
    });
    port = (next.address() as AddressInfo).port;
    lifetime = quietController();
    server = next;
  };

  const stopListening = async (): Promise<void> => {
    const current = server;
    if (current === undefined) return;
    server = undefined;
    lifetime.abort(new Error('The sandbox stopped listening'));
    const done = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await done;
  };

  await listen();

  return {
    get url() {
      return urlOf();
    },
    get port() {
      return port;
    },
    host: resolved.host,
    events,
    apiKey: resolved.apiKey,
    personalAccessToken: resolved.personalAccessToken,
    workspaceId: resolved.workspaceId,
    get listening() {
      return server !== undefined;
    },
    setFaults: (next) => faults.set(next),
    faults: () => faults.current(),
    identities: () => store.all(),
    seedIdentities: (people) => people.map((person) => store.create(person, resolved.conflictShape, person)),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    stopListening,
    listen,
    close: async () => {
      closed = true;
      await stopListening();
    },
  };
}

function quietController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
