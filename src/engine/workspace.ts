import {createSeamClient, type AcsSystem, type SeamClient} from '../seam/client.js';
import {SeamApiError} from '../seam/errors.js';
import {Pacer} from '../seam/pacer.js';
import {withRetries} from '../seam/retry.js';
import {longPauseText} from './run-stop.js';
import {nameKey} from './normalize.js';
import {serverText} from '../seam/server-text.js';
import {ImportError} from './errors.js';
import {DEFAULT_ENDPOINT} from './options.js';
import {loadExisting, type ExistingIndex} from './existing.js';
import type {Settings} from './preflight.js';

export interface Workspace {
  client: SeamClient;
  pacer: Pacer;
  existing?: ExistingIndex;
  /** Lowercase ids of the workspace's access systems. */
  knownAcsSystems?: Set<string>;
  /** Their names (lowercase) → ids. */
  acsSystemNames?: Map<string, string[]>;
  /** The systems --acs-system-id gives everyone created, as the plan names them: `"Main Entrance" (id)`. */
  granted?: string[];
  /**
   * Seam refused the credentials (401/403) on the first lookup: nothing will be sent, but the
   * run still writes every row to the results file (exit 3).
   */
  fatal?: SeamApiError;
}

/** The workspace lookups, started early; `finish` awaits them once the file has been opened. */
export interface WorkspaceLookup {
  /** `needsAcsSystems`: the run gives access systems, so the workspace's are looked up too. */
  finish(options: {needsAcsSystems: boolean}): Promise<Workspace>;
  /** The run stops before `finish` (the file cannot be read): drop the lookups. */
  cancel(): void;
}

/**
 * Before the first create: the API client, every identity the workspace already has (to adopt,
 * or to name a clash, without sending) and, when the run gives access systems, the workspace's
 * own (to check the ids before anything is sent). The identities are asked for at once, while
 * the file is opened and its columns mapped: both wait on something else (the API, the disk).
 */
export function startWorkspaceLookup(settings: Settings, {signal, onPage}: {signal?: AbortSignal; onPage?: (listed: number) => void} = {}): WorkspaceLookup {
  const pacer = new Pacer({rate: settings.rate, maxConcurrency: settings.concurrency, maxPauseMs: settings.rateLimitBudgetMs});
  const client = createSeamClient({
    endpoint: settings.endpoint,
    apiKey: settings.apiKey,
    personalAccessToken: settings.personalAccessToken,
    workspaceId: settings.workspaceId,
    timeoutMs: settings.timeoutMs,
    pacer,
  });
  const lookups = new AbortController();
  const onAbort = (): void => lookups.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, {once: true});
  const existing = loadExisting(client, pacer, lookups.signal, onPage);
  // Its failure is read in finish(); until then it must not count as unhandled.
  existing.catch(() => undefined);

  return {
    cancel(): void {
      signal?.removeEventListener('abort', onAbort);
      lookups.abort(new Error('The run stopped before the workspace lookups were needed'));
    },
    async finish({needsAcsSystems}): Promise<Workspace> {
      let knownAcsSystems: Set<string> | undefined;
      let acsSystemNames: Map<string, string[]> | undefined;
      let listed: readonly AcsSystem[] = [];
      let index: ExistingIndex;
      try {
        index = await existing;
        if (needsAcsSystems) {
          const systems = await withRetries(() => client.listAcsSystems(lookups.signal), {pacer, signal: lookups.signal});
          listed = systems;
          knownAcsSystems = new Set(systems.map((s) => s.acs_system_id.toLowerCase()));
          acsSystemNames = new Map();
          for (const system of systems) {
            const name = typeof system.name === 'string' ? nameKey(system.name) : '';
            if (name === '') continue;
            const ids = acsSystemNames.get(name) ?? [];
            ids.push(system.acs_system_id.toLowerCase());
            acsSystemNames.set(name, ids);
          }
        }
      } catch (error) {
        if (error instanceof SeamApiError && error.fatal) return {client, pacer, fatal: error};
        throw startError(error, settings.endpoint, settings);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      for (const id of settings.acsSystemIds) {
        if (knownAcsSystems && !knownAcsSystems.has(id)) {
          throw new ImportError('usage', `--acs-system-id ${id} is not an access system of this workspace.`, {
            hint: `The workspace has ${knownAcsSystems.size} access system(s)${knownAcsSystems.size === 0 ? '.' : `: ${listSystems(listed)}`}`,
          });
        }
      }
      const granted = settings.acsSystemIds.map((id) => {
        const system = listed.find((s) => s.acs_system_id.toLowerCase() === id);
        return typeof system?.name === 'string' && system.name.trim() !== '' ? `"${serverText(system.name, 60)}" (${id})` : id;
      });
      return {client, pacer, existing: index, knownAcsSystems, acsSystemNames, ...(granted.length > 0 ? {granted} : {})};
    },
  };
}

/** A few of the workspace's systems, each with its name: a workspace can have thousands. */
function listSystems(systems: readonly AcsSystem[]): string {
  // Seam's text, cleaned of escape sequences and line breaks before it reaches a terminal.
  const shown = systems.slice(0, 5).map((s) => (typeof s.name === 'string' && s.name.trim() !== '' ? `${serverText(s.acs_system_id, 60)} ("${serverText(s.name, 60)}")` : serverText(s.acs_system_id, 60)));
  return `${shown.join(', ')}${systems.length > shown.length ? `, and ${systems.length - shown.length} more (Seam's acs/systems/list has them all)` : ''}.`;
}

type Credentials = Pick<Settings, 'apiKey' | 'personalAccessToken'>;

/**
 * After a 401: a credential of another kind than the flag it came in, told by its prefix (as
 * Seam's own SDK tells them: seam_at… is a personal access token, seam_cst… a client session
 * token, seam_pk… a publishable key, ey… a JWT). Never quotes the credential itself.
 */
export function credentialKindHint({apiKey, personalAccessToken}: Credentials): string | undefined {
  if (apiKey !== undefined) {
    if (apiKey.startsWith('seam_at')) {
      return 'The API key starts with seam_at, as a personal access token does: pass it with --personal-access-token (or SEAM_PERSONAL_ACCESS_TOKEN) together with --workspace-id, not as an API key.';
    }
    if (apiKey.startsWith('seam_cst')) return 'The API key starts with seam_cst: it is a client session token, which cannot create user identities. Use an API key of the workspace (Seam Console → Developer → API keys).';
    if (apiKey.startsWith('seam_pk')) return 'The API key starts with seam_pk: it is a publishable key, which cannot create user identities. Use an API key of the workspace (Seam Console → Developer → API keys).';
    if (apiKey.startsWith('ey')) return 'The API key is a JWT (it starts with ey), not a Seam API key. Use an API key of the workspace (Seam Console → Developer → API keys).';
  }
  if (personalAccessToken !== undefined && personalAccessToken.startsWith('seam_') && !personalAccessToken.startsWith('seam_at')) {
    return 'The personal access token does not start with seam_at, as one does: if it is an API key, pass it with --api-key (or SEAM_API_KEY) and leave out --workspace-id.';
  }
  return undefined;
}

/** What Seam said to the first lookups, as an error a person can act on. */
export function startError(error: unknown, endpoint: string, settings: Credentials & Pick<Settings, 'rateLimitBudgetMs'>): unknown {
  if (!(error instanceof SeamApiError)) return error;
  const host = new URL(endpoint).host;
  if (error.kind === 'unauthorized') {
    return new ImportError('unauthorized', `Seam at ${host} refused the credentials (401).`, {
      hint: `${credentialKindHint(settings) ?? 'Check SEAM_API_KEY (or the personal access token and workspace id).'} Nothing was sent.`,
    });
  }
  if (error.kind === 'forbidden') {
    return new ImportError('forbidden', `Seam at ${host} refused access (403).`, {
      hint: 'The key or token may not have access to this workspace. Nothing was sent.',
    });
  }
  if (error.kind === 'unreachable' || error.kind === 'network_error' || error.kind === 'timeout') {
    return new ImportError('api_unreachable', `Could not reach Seam at ${host}: ${error.message}.`, {
      hint: error.advice ?? 'Check the network and --endpoint. Nothing was sent.',
    });
  }
  if (error.status === 404 && error.type !== undefined && /workspace/.test(error.type)) {
    // Seam's own answer (its error body): the route is there, the workspace is not.
    return new ImportError('forbidden', `Seam at ${host} does not know the workspace (404 ${error.type}).`, {
      hint: 'Check the workspace id (--workspace-id or SEAM_WORKSPACE_ID) and that the key or token belongs to that workspace. Nothing was sent.',
    });
  }
  if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) {
    return new ImportError('api_error', `Seam at ${host} answered the first lookups with a 429: ${longPauseText(error.retryAfterMs, settings.rateLimitBudgetMs, {then: 'Run the same command again'})}.`, {
      hint: 'Nothing was sent.',
    });
  }
  const status = error.status;
  // The error may already say what to check (a redirect).
  let hint = error.advice ?? 'Nothing was sent. Try again in a while.';
  if (status === 404 || status === 405) {
    // No such route: the endpoint is not Seam's API (another service, or a path too many or too few).
    hint = `Check --endpoint: ${endpoint} does not answer as Seam's API does (Seam's is ${DEFAULT_ENDPOINT}). Nothing was sent.`;
  } else if (error.advice === undefined && status !== undefined && status >= 400 && status < 500 && status !== 429) {
    hint = 'Nothing was sent. A plain lookup was refused: check --endpoint and the credentials.';
  }
  return new ImportError('api_error', `Seam at ${host} answered the first lookups with an error: ${error.message}.`, {hint});
}
