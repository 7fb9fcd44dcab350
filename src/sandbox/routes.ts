import {acsSystemsFor} from './acs-systems.js';
import {SandboxHttpError} from './http.js';
import type {ConflictShape, SandboxRoute} from './options.js';
import {acsSystemsListInput, createInput, deleteInput, getInput, listInput, parseInput} from './schemas.js';
import type {IdentityStore} from './store.js';

export interface RouteContext {
  /** Query and body parameters, merged. */
  input: unknown;
  store: IdentityStore;
  conflictShape: ConflictShape;
  workspaceId: string;
  /** `http://host:port` as the client addressed the sandbox, for `next_page_url`. */
  baseUrl: string;
}

export interface RouteResult {
  body: unknown;
  /**
   * The id of the identity made or deleted, when the request changed state: from here on a cut
   * connection loses an answer, not a change.
   */
  committed?: string;
}

export interface RouteDefinition {
  methods: readonly string[];
  handle(context: RouteContext): RouteResult;
}

/** Seam accepts reads as GET (query) or POST (body); `@seamapi/http` sends `get` as GET. */
const READ = ['GET', 'POST'] as const;

export const DEFAULT_LIST_LIMIT = 500;

export const ROUTES: Record<SandboxRoute, RouteDefinition> = {
  '/user_identities/create': {
    methods: ['POST'],
    handle({input, store, conflictShape}) {
      const parsed = parseInput(createInput, input);
      const identity = store.create(parsed, conflictShape);
      return {body: {user_identity: identity, ok: true}, committed: identity.user_identity_id};
    },
  },
  '/user_identities/get': {
    methods: READ,
    handle({input, store}) {
      const {user_identity_id: id, user_identity_key: key} = parseInput(getInput, input);
      const identity = id !== undefined ? store.getById(id) : key !== undefined ? store.getByKey(key) : undefined;
      if (identity === undefined) throw notFound();
      return {body: {user_identity: identity, ok: true}};
    },
  },
  '/user_identities/list': {
    methods: READ,
    handle({input, store, baseUrl}) {
      const parsed = parseInput(listInput, input);
      const limit = parsed.limit ?? DEFAULT_LIST_LIMIT;
      const after = parsed.page_cursor == null ? 0 : decodeCursor(parsed.page_cursor);
      const page = store.list(parsed.search, limit, after);
      const nextCursor = page.nextAfter === undefined ? null : encodeCursor(page.nextAfter);
      const nextUrl = new URL('/user_identities/list', baseUrl);
      if (nextCursor !== null) {
        if (parsed.search !== undefined) nextUrl.searchParams.set('search', parsed.search);
        nextUrl.searchParams.set('limit', String(limit));
        nextUrl.searchParams.set('page_cursor', nextCursor);
      }
      return {
        body: {
          user_identities: page.items,
          pagination: {
            has_next_page: nextCursor !== null,
            next_page_cursor: nextCursor,
            next_page_url: nextCursor === null ? null : nextUrl.toString(),
          },
          ok: true,
        },
      };
    },
  },
  '/user_identities/delete': {
    methods: ['POST', 'DELETE'],
    handle({input, store}) {
      const {user_identity_id: id} = parseInput(deleteInput, input);
      if (!store.delete(id)) throw notFound();
      return {body: {ok: true}, committed: id.toLowerCase()};
    },
  },
  '/acs/systems/list': {
    methods: READ,
    handle({input, store, workspaceId}) {
      const {connected_account_id: account} = parseInput(acsSystemsListInput, input);
      const systems = acsSystemsFor(workspaceId, (id) => store.acsUserCount(id)).filter(
        (system) => account === undefined || system.connected_account_id === account.toLowerCase(),
      );
      return {body: {acs_systems: systems, ok: true}};
    },
  },
};

export function isSandboxRoute(path: string): path is SandboxRoute {
  return Object.hasOwn(ROUTES, path);
}

function notFound(): SandboxHttpError {
  return new SandboxHttpError(404, 'user_identity_not_found', 'User identity not found');
}

// The cursor is opaque to clients; inside it is the creation number to continue after, so
// pages stay stable while people are created or deleted between them.
function encodeCursor(after: number): string {
  return Buffer.from(JSON.stringify({after}), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && 'after' in value) {
      const {after} = value;
      if (typeof after === 'number' && Number.isInteger(after) && after >= 0) return after;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new SandboxHttpError(400, 'invalid_input', 'Invalid page_cursor', {
    validation_errors: {_errors: [], page_cursor: {_errors: ['Invalid page cursor']}},
  });
}
