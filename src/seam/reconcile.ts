import type {Field, Person} from '../engine/types.js';
import type {SeamClient, UserIdentity} from './client.js';
import {SeamApiError} from './errors.js';
import {keyForm, quotedShowing} from '../engine/clean.js';

export type Verdict =
  | {kind: 'none'}
  | {kind: 'match'; identity: UserIdentity}
  /** `being_deleted`: the identity holding the row's values is being deleted (its `being_deleted` warning). */
  | {kind: 'conflict'; code: 'conflict' | 'being_deleted'; identity: UserIdentity; field: Field; message: string};

/** Runs one request of a lookup, trying it again as it sees fit. */
export type Retrying = <T>(call: () => Promise<T>) => Promise<T>;

/** Each request once. */
const ONCE: Retrying = (call) => call();

type Compared = 'user_identity_key' | 'email_address' | 'phone_number';
const COMPARED: readonly Compared[] = ['user_identity_key', 'email_address', 'phone_number'];

function same(field: Compared, a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  if (field === 'email_address') return a.toLowerCase() === b.toLowerCase();
  return field === 'user_identity_key' ? keyForm(a) === keyForm(b) : phoneForm(a) === phoneForm(b);
}

/** A number written with its "+" and country code, with spaces, dashes, dots, slashes or brackets between the digits. */
const INTERNATIONAL_WRITTEN = /^\+\d[\d\s().\-/]*$/;

/**
 * A phone number as compared: Seam stores E.164 ("+12125550100"); a server that answers it
 * written with spaces or dashes ("+1 212-555-0100") has the same number, and people this run made
 * were reported as conflicts with no id. Only a number written with its "+" is read so: without
 * it, "12125550100" may be a Chinese mobile written at home (130 1234 5678 is not +1 301 234
 * 5678), "34912345678" a Brazilian one, "8 495 123 45 67" a Moscow number; they stay as written
 * and differ from every row's number (a conflict to check, not another person's id). A "(0)"
 * after the country code stays in the digits, and differs too.
 */
export function phoneForm(phone: string): string {
  return INTERNATIONAL_WRITTEN.test(phone) ? `+${phone.replace(/\D/g, '')}` : phone;
}

/** The first field the row gives that the identity does not have; fields the row leaves empty are not compared. */
export function differingField(person: Person, identity: UserIdentity): Compared | undefined {
  return COMPARED.find((field) => person[field] !== undefined && !same(field, person[field], identity[field]));
}

/** How a compared field is named in a row's message. */
export const LABEL: Record<Compared, string> = {
  user_identity_key: 'key',
  email_address: 'email',
  phone_number: 'phone',
};

/**
 * The first field the row gives that a create's answer carries with another value: the answer is
 * not this person as sent (a server that answers a taken value with the person it has, or that
 * stores a value otherwise). A field the answer leaves out or null is not compared.
 */
export function answeredOtherwise(person: Person, identity: UserIdentity): Compared | undefined {
  return COMPARED.find((field) => person[field] !== undefined && typeof identity[field] === 'string' && !same(field, person[field], identity[field]));
}

export function sharedField(person: Person, identity: UserIdentity): Compared | undefined {
  return COMPARED.find((field) => person[field] !== undefined && same(field, person[field], identity[field]));
}

/**
 * Judge a row against the identities that share its key, email or phone. One identity with
 * everything the row gives is this person; anything else is a clash to report, never to guess.
 */
export function judge(person: Person, candidates: readonly UserIdentity[], headerOf: Partial<Record<Field, string>> = {}): Verdict {
  const unique = [...new Map(candidates.map((c) => [c.user_identity_id, c])).values()];
  if (unique.length === 0) return {kind: 'none'};
  // Not this person any more, nor a clash to fix: adopting it would report an id about to vanish.
  const deleting = unique.find(beingDeleted);
  if (deleting) {
    const shared = sharedField(person, deleting) ?? 'user_identity_key';
    return {
      kind: 'conflict',
      code: 'being_deleted',
      identity: deleting,
      field: shared,
      message: `Seam has user identity ${deleting.user_identity_id} with the same ${LABEL[shared]} ${JSON.stringify(person[shared])}, but it is being deleted. Not sent: run again once Seam has finished deleting it (--resume sends this row again).`,
    };
  }
  const [first] = unique;
  if (unique.length === 1 && first && differingField(person, first) === undefined) return {kind: 'match', identity: first};
  const clash = unique.find((c) => differingField(person, c) !== undefined) ?? first!;
  const field = differingField(person, clash) ?? 'user_identity_key';
  const shared = sharedField(person, clash);
  const column = (f: Compared): string => (headerOf[f] ? ` (column "${headerOf[f]}")` : '');
  const theirs = clash[field];
  // A field left out of Seam's answer is not known to be empty: said as it is.
  const theirsText =
    theirs != null ? `its ${LABEL[field]} is ${visible(theirs)}` : Object.hasOwn(clash, field) ? `its ${LABEL[field]} is empty` : `Seam's answer gives no ${LABEL[field]} for it`;
  const sharedText = shared ? ` with the same ${LABEL[shared]} ${JSON.stringify(person[shared])}` : '';
  const message =
    unique.length > 1
      ? `Seam already has different identities for this row's key, email or phone: ${unique
          .map((c) => {
            const holds = COMPARED.filter((f) => person[f] !== undefined && same(f, person[f], c[f]));
            return holds.length === 0 ? c.user_identity_id : `${c.user_identity_id} holds its ${holds.map((f) => `${LABEL[f]} ${visible(person[f]!)}${column(f)}`).join(' and ')}`;
          })
          .join('; ')}. Fix the row or those identities, then import it again.`
      : `Seam already has user identity ${clash.user_identity_id}${sharedText}, but ${theirsText} where this row has ${visible(person[field] ?? '')}${column(field)}. Fix the row or that identity, then import it again.`;
  return {kind: 'conflict', code: 'conflict', identity: clash, field, message};
}

/** Characters that show as nothing, or as a plain space: a key "K77\u200B" in Seam must not read as the row's "K77". */
const UNSEEN = /[\p{Cf}\p{Zs}\u034F\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\x00-\x1F\x7F-\x9F]/gu;

/** A value in quotes, with the characters no one can see written as \uXXXX. */
function visible(value: string): string {
  return quotedShowing(value, UNSEEN);
}

/** Seam marks an identity it is deleting with a `being_deleted` warning. */
function beingDeleted(identity: UserIdentity): boolean {
  return Array.isArray(identity.warnings) && identity.warnings.some((w) => typeof w === 'object' && w !== null && (w as {warning_code?: unknown}).warning_code === 'being_deleted');
}

/**
 * Look the person up in Seam, as SEAM-API.md's reconcile rule says: by key with `get` when the
 * row has one, else by `list` with `search` on the email or phone and an exact match on the
 * result (list's search is partial).
 *
 * `thorough: false` asks only "did an attempt of ours make this person?": one lookup on the most
 * specific field answers it, since an identity we made carries that field. `thorough: true`, after
 * a refusal, also looks for whoever holds the email or phone, to name the clash.
 *
 * `retrying` runs each request (tries it again on a transient failure): one request failing does
 * not send again the ones before it that answered.
 */
export async function reconcile(
  client: SeamClient,
  person: Person,
  headerOf: Partial<Record<Field, string>>,
  {thorough, signal, retrying = ONCE}: {thorough: boolean; signal?: AbortSignal; retrying?: Retrying},
): Promise<Verdict> {
  const candidates: UserIdentity[] = [];
  if (person.user_identity_key !== undefined) {
    let found: UserIdentity | undefined;
    let keyAnswered = true;
    try {
      const key = person.user_identity_key;
      found = await retrying(() => client.getUserIdentity({user_identity_key: key}, signal));
    } catch (error) {
      // How Seam answers an unknown key is not settled (a 404 *_not_found here; a 400 "not
      // found" from another server): a refusal of the key lookup says nothing of the person,
      // so the email or phone is searched instead of giving the row up.
      if (!(error instanceof SeamApiError) || error.kind !== 'refused') throw error;
      keyAnswered = false;
    }
    // Seam's key lookup is exact, but make sure: a lenient server must not adopt the wrong person.
    if (found && same('user_identity_key', found.user_identity_key, person.user_identity_key)) return judge(person, [found], headerOf);
    if (!thorough && keyAnswered) return {kind: 'none'};
  }
  for (const field of ['email_address', 'phone_number'] as const) {
    const value = person[field];
    if (value === undefined) continue;
    try {
      candidates.push(...(await searchExact(client, field, value, signal, retrying)));
    } catch (error) {
      // A server whose list refuses `search` (400 "Unrecognized key(s) in object: 'search'"): the
      // people this run made whose answers were lost ended failed, "could not be looked up", until
      // --resume. The workspace is read page by page instead, as for a search that finds no one.
      // Only a workspace read to its end says no one is there: one longer than FALLBACK_SCAN_PAGES
      // leaves the lookup failed, as before (a "none" from its first pages had the row sent again).
      if (!(error instanceof SeamApiError) || error.kind !== 'refused') throw error;
      return scanWorkspace(client, person, headerOf, {signal, retrying, pages: FALLBACK_SCAN_PAGES, unfinished: error});
    }
    if (candidates.length > 0 || !thorough) return judge(person, candidates, headerOf);
  }
  return {kind: 'none'};
}

/** Pages of the workspace scanWorkspace reads at most (500 identities a page). */
export const SCAN_PAGES = 200;
/** Pages read in place of a refused search, before every attempt that follows it: 10,000 identities. */
export const FALLBACK_SCAN_PAGES = 20;

/**
 * The last resort of a lookup: the whole workspace paged through with no search, for a person
 * the searches did not find. A server whose `search` leaves out phones (SEAM-API.md says it
 * matches them; a look-alike may not) never found a phone-only person made by an attempt whose
 * answer was lost, and the row ended "not confirmed" with the person in Seam. Bounded
 * (SCAN_PAGES), and a cursor given twice ends it.
 */
export async function scanWorkspace(
  client: SeamClient,
  person: Person,
  headerOf: Partial<Record<Field, string>>,
  {signal, retrying = ONCE, pages = SCAN_PAGES, unfinished}: {signal?: AbortSignal; retrying?: Retrying; pages?: number; unfinished?: Error},
): Promise<Verdict> {
  const candidates: UserIdentity[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let ended = false;
  for (let page = 0; page < pages; page += 1) {
    const pageCursor = cursor;
    const result = await retrying(() => client.listUserIdentities({limit: 500, page_cursor: pageCursor}, signal));
    for (const identity of result.identities) {
      if (COMPARED.some((field) => person[field] !== undefined && same(field, identity[field], person[field]!))) candidates.push(identity);
    }
    if (!result.nextCursor) {
      ended = true;
      break;
    }
    // A cursor given twice: the server is going round, and what it never gave is not known.
    if (seen.has(result.nextCursor)) break;
    seen.add(result.nextCursor);
    cursor = result.nextCursor;
  }
  // `unfinished`: what to throw when the pages ran out before the workspace did and no one was found.
  if (candidates.length === 0 && !ended && unfinished !== undefined) throw unfinished;
  return candidates.length === 0 ? {kind: 'none'} : judge(person, candidates, headerOf);
}

async function searchExact(
  client: SeamClient,
  field: 'email_address' | 'phone_number',
  value: string,
  signal: AbortSignal | undefined,
  retrying: Retrying,
): Promise<UserIdentity[]> {
  const found: UserIdentity[] = [];
  let cursor: string | undefined;
  // Partial matches can run to many pages for a short value; a few pages is plenty for an exact one.
  for (let page = 0; page < 20; page += 1) {
    const pageCursor = cursor;
    const result = await retrying(() => client.listUserIdentities({search: value, limit: 500, page_cursor: pageCursor}, signal));
    for (const identity of result.identities) if (same(field, identity[field], value)) found.push(identity);
    if (found.length > 0 || !result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return found;
}

/**
 * Whether Seam made this identity well before the run began (by its created_at, an hour's margin
 * for clocks that disagree): a person found after an unclear attempt is then one Seam had, not one
 * this run made, whatever the attempt did (Seam may answer a clash with a 5xx or a 429).
 * `serverAheadMs`: how far the server's clock is ahead of this machine's (its Date header), as its
 * created_at is on its clock: a server two hours behind made every person "long before". Used
 * only where it is behind, and by less than a day: a Date header from another clock than
 * created_at's (an edge in front of the server) must not make this run's people "long before" (one
 * ahead would), and a header such as 1 January 1970 is no clock at all.
 * A time without its zone ("2026-11-29T10:00:00", as Python's utcnow() writes) says nothing:
 * Date.parse reads it as this machine's local time, hours off east of the server.
 */
export function madeLongBefore(identity: UserIdentity, runStartedAt: number | undefined, serverAheadMs = 0): boolean {
  if (runStartedAt === undefined || !Number.isFinite(runStartedAt)) return false;
  const made = madeAt(identity);
  const behind = serverAheadMs < 0 && serverAheadMs > -DAY_MS ? serverAheadMs : 0;
  return made !== undefined && made < runStartedAt + behind - CLOCK_MARGIN_MS;
}

/** The identity's created_at, when it is a time that says its zone (see madeLongBefore). */
export function madeAt(identity: UserIdentity): number | undefined {
  if (typeof identity.created_at !== 'string' || !ZONED.test(identity.created_at.trim())) return undefined;
  const made = Date.parse(identity.created_at);
  return Number.isFinite(made) ? made : undefined;
}

/** A time that ends with its zone: Z, an offset such as +02:00, +0200 or -05, or GMT/UTC. */
const ZONED = /\d{2}:\d{2}.*(?:[Zz]|[+-]\d{2}(?::?\d{2})?|GMT|UTC)$/i;

const CLOCK_MARGIN_MS = 3_600_000;
const DAY_MS = 86_400_000;
