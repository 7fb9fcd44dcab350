import type {SeamClient, UserIdentity} from '../seam/client.js';
import type {Pacer} from '../seam/pacer.js';
import {withRetries} from '../seam/retry.js';
import type {Person} from './types.js';
import {keyForm} from './clean.js';
import {phoneForm} from '../seam/reconcile.js';

/** What the workspace held before the run, indexed by key, email (lowercase) and phone. */
export class ExistingIndex {
  /** By the key exactly as Seam has it. */
  private readonly byKey = new Map<string, UserIdentity>();
  /**
   * By the key as a row's is read (keyForm: １００１ is 1001), for keys Seam has in another form
   * only. One such identity is the row's by key; several (made by other tools) are all candidates.
   */
  private readonly byFoldedKey = new Map<string, UserIdentity[]>();
  private readonly byEmail = new Map<string, UserIdentity>();
  /** By the number as compared (phoneForm): every identity with it, so that two of them are a clash to name, not one picked. */
  private readonly byPhone = new Map<string, UserIdentity[]>();
  private readonly byId = new Map<string, UserIdentity>();
  readonly ids = new Set<string>();
  /** The listing stopped before the server said it had no more (it repeated pages or cursors): the page it stopped at. */
  cutShortAt: number | undefined;
  /** How far the server's clock was ahead of this machine's when it was listed (ClientStats.serverAheadMs). */
  serverAheadMs = 0;

  /** Whether the workspace held this identity when listed: true, false, or not known (the listing was cut short). */
  listed(id: string): boolean | undefined {
    return this.ids.has(id) ? true : this.cutShortAt === undefined ? false : undefined;
  }

  get(id: string): UserIdentity | undefined {
    return this.byId.get(id);
  }

  add(identity: UserIdentity): void {
    this.ids.add(identity.user_identity_id);
    this.byId.set(identity.user_identity_id, identity);
    const key = identity.user_identity_key;
    if (key) {
      this.byKey.set(key, identity);
      const folded = keyForm(key);
      if (folded !== key) addTo(this.byFoldedKey, folded, identity);
    }
    if (identity.email_address) this.byEmail.set(identity.email_address.toLowerCase(), identity);
    if (identity.phone_number) addTo(this.byPhone, phoneForm(identity.phone_number), identity);
  }

  get size(): number {
    return this.ids.size;
  }

  candidates(person: Person): UserIdentity[] {
    const found: UserIdentity[] = [];
    const key = person.user_identity_key;
    // The key exactly as the row's reads: that identity, whatever others Seam has in another form.
    const exact = key === undefined ? undefined : this.byKey.get(key);
    const byKey = exact ? [exact] : key === undefined ? [] : (this.byFoldedKey.get(key) ?? []);
    const email = person.email_address === undefined ? undefined : this.byEmail.get(person.email_address.toLowerCase());
    const phone = person.phone_number === undefined ? [] : (this.byPhone.get(person.phone_number) ?? []);
    for (const identity of [...byKey, email, ...phone]) if (identity && !found.includes(identity)) found.push(identity);
    return found;
  }
}

/** `identity` among those under `value`, once (a page listed twice adds it again). */
function addTo(index: Map<string, UserIdentity[]>, value: string, identity: UserIdentity): void {
  const others = (index.get(value) ?? []).filter((other) => other.user_identity_id !== identity.user_identity_id);
  index.set(value, [...others, identity]);
}

/** Pages in a row with no identity not listed before, after which the listing stops (see loadExisting). */
export const MAX_FRUITLESS_PAGES = 10;

/** Page once through `/user_identities/list`. */
export async function loadExisting(
  client: SeamClient,
  pacer: Pacer,
  signal?: AbortSignal,
  onPage?: (count: number) => void,
): Promise<ExistingIndex> {
  const index = new ExistingIndex();
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  /** Pages in a row that brought no identity not listed before. */
  let fruitless = 0;
  do {
    const page = await withRetries(() => client.listUserIdentities({limit: 500, page_cursor: cursor}, signal), {
      pacer,
      signal,
    });
    pages += 1;
    const before = index.size;
    for (const identity of page.identities) index.add(identity);
    onPage?.(index.size);
    fruitless = index.size > before ? 0 : fruitless + 1;
    // An empty page with a cursor is followed (a server may leave out the identities it is
    // deleting, and pages go on after them). A server that hands back a cursor it gave before, or
    // pages that bring no one new (a server that ignores the cursor), would page forever: stop
    // there, and say so. Someone the index misses is still found when Seam refuses their create.
    if (page.nextCursor !== undefined && (seen.has(page.nextCursor) || fruitless >= MAX_FRUITLESS_PAGES)) {
      index.cutShortAt = pages;
      break;
    }
    cursor = page.nextCursor;
    if (cursor !== undefined) seen.add(cursor);
  } while (cursor);
  index.serverAheadMs = client.stats.serverAheadMs;
  return index;
}
