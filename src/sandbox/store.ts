import {randomUUID} from 'node:crypto';

import {isKnownAcsSystemId} from './acs-systems.js';
import {SandboxHttpError} from './http.js';
import type {ConflictShape} from './options.js';

/** A user identity exactly as Seam answers it. */
export interface SandboxUserIdentity {
  user_identity_id: string;
  user_identity_key: string | null;
  email_address: string | null;
  phone_number: string | null;
  display_name: string;
  full_name: string | null;
  created_at: string;
  workspace_id: string;
  errors: unknown[];
  warnings: unknown[];
  acs_user_ids: string[];
}

/** What a create (or a test's preload) gives; everything else is filled in. */
export interface NewUserIdentity {
  user_identity_key?: string | null;
  email_address?: string | null;
  phone_number?: string | null;
  full_name?: string | null;
  acs_system_ids?: readonly string[];
}

/** A preloaded person: may also fix the id and creation time. */
export interface SeedUserIdentity extends NewUserIdentity {
  user_identity_id?: string;
  created_at?: string;
}

interface Entry {
  seq: number;
  identity: SandboxUserIdentity;
  acsSystemIds: string[];
}

export interface ListPage {
  items: SandboxUserIdentity[];
  /** Sequence number to continue after, when there is more. */
  nextAfter: number | undefined;
}

type UniqueField = 'user_identity_key' | 'email_address' | 'phone_number';

/** One workspace's people, in creation order, with Seam's uniqueness rules. */
export class IdentityStore {
  readonly #workspaceId: string;
  readonly #entries = new Map<string, Entry>();
  // Unique-field indexes (id by key, lowercase email, phone): a create must not scan every
  // identity, or a 20,000-row benchmark measures the sandbox, not the importer.
  readonly #byKey = new Map<string, string>();
  readonly #byEmail = new Map<string, string>();
  readonly #byPhone = new Map<string, string>();
  #seq = 0;

  constructor(workspaceId: string) {
    this.#workspaceId = workspaceId;
  }

  /**
   * Makes one identity, or refuses: 404 for an access system the workspace lacks, and a clash on
   * key (exact), email (any letter case) or phone in the given shape.
   */
  create(input: NewUserIdentity, conflictShape: ConflictShape, fixed: SeedUserIdentity = {}): SandboxUserIdentity {
    const acsSystemIds = [...new Set((input.acs_system_ids ?? []).map((id) => id.toLowerCase()))];
    for (const id of acsSystemIds) {
      if (!isKnownAcsSystemId(id)) {
        throw new SandboxHttpError(404, 'acs_system_not_found', `Access system ${id} not found in this workspace`);
      }
    }
    const key = input.user_identity_key ?? null;
    const email = input.email_address ?? null;
    const phone = input.phone_number ?? null;
    const clash = this.#findClash(key, email, phone);
    if (clash !== undefined) throw conflictError(clash.field, conflictShape);

    const id = (fixed.user_identity_id ?? randomUUID()).toLowerCase();
    if (this.#entries.has(id)) throw new Error(`A user identity with id ${id} already exists`);
    const fullName = input.full_name ?? null;
    const identity: SandboxUserIdentity = {
      user_identity_id: id,
      user_identity_key: key,
      email_address: email,
      phone_number: phone,
      display_name: fullName ?? email ?? phone ?? key ?? 'Unnamed',
      full_name: fullName,
      created_at: fixed.created_at ?? new Date().toISOString(),
      workspace_id: this.#workspaceId,
      errors: [],
      warnings: [],
      acs_user_ids: acsSystemIds.map(() => randomUUID()),
    };
    this.#seq += 1;
    this.#entries.set(identity.user_identity_id, {seq: this.#seq, identity, acsSystemIds});
    if (key !== null) this.#byKey.set(key, id);
    if (email !== null) this.#byEmail.set(email.toLowerCase(), id);
    if (phone !== null) this.#byPhone.set(phone, id);
    return structuredClone(identity);
  }

  getById(id: string): SandboxUserIdentity | undefined {
    const entry = this.#entries.get(id.toLowerCase());
    return entry === undefined ? undefined : structuredClone(entry.identity);
  }

  getByKey(key: string): SandboxUserIdentity | undefined {
    const id = this.#byKey.get(key);
    return id === undefined ? undefined : this.getById(id);
  }

  delete(id: string): boolean {
    const entry = this.#entries.get(id.toLowerCase());
    if (entry === undefined) return false;
    const {user_identity_key: key, email_address: email, phone_number: phone} = entry.identity;
    if (key !== null) this.#byKey.delete(key);
    if (email !== null) this.#byEmail.delete(email.toLowerCase());
    if (phone !== null) this.#byPhone.delete(phone);
    return this.#entries.delete(entry.identity.user_identity_id);
  }

  /**
   * A page in creation order. `search` matches part of full_name, email, phone or id in any
   * letter case; never the key, as in Seam.
   */
  list(search: string | undefined, limit: number, after: number): ListPage {
    const needle = search?.trim().toLowerCase() ?? '';
    const items: SandboxUserIdentity[] = [];
    let lastSeq = after;
    let more = false;
    for (const entry of this.#entries.values()) {
      if (entry.seq <= after || !matches(entry.identity, needle)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(structuredClone(entry.identity));
      lastSeq = entry.seq;
    }
    return {items, nextAfter: more ? lastSeq : undefined};
  }

  all(): SandboxUserIdentity[] {
    return [...this.#entries.values()].map((entry) => structuredClone(entry.identity));
  }

  /** How many identities have a user in the access system. */
  acsUserCount(acsSystemId: string): number {
    let count = 0;
    for (const entry of this.#entries.values()) {
      if (entry.acsSystemIds.includes(acsSystemId)) count += 1;
    }
    return count;
  }

  #findClash(
    key: string | null,
    email: string | null,
    phone: string | null,
  ): {field: UniqueField} | undefined {
    if (key !== null && this.#byKey.has(key)) return {field: 'user_identity_key'};
    if (email !== null && this.#byEmail.has(email.toLowerCase())) return {field: 'email_address'};
    if (phone !== null && this.#byPhone.has(phone)) return {field: 'phone_number'};
    return undefined;
  }
}

function matches(identity: SandboxUserIdentity, needle: string): boolean {
  if (needle === '') return true;
  return [identity.full_name, identity.email_address, identity.phone_number, identity.user_identity_id].some(
    (value) => value !== null && value.toLowerCase().includes(needle),
  );
}

function conflictError(field: UniqueField, shape: ConflictShape): SandboxHttpError {
  // Names the field but not the existing id: real Seam is not known to give it, so a client
  // must look the person up itself.
  const message = `A user identity with this ${field} already exists in the workspace`;
  if (shape === 'conflict') return new SandboxHttpError(409, 'user_identity_already_exists', message);
  return new SandboxHttpError(400, 'invalid_input', message, {
    validation_errors: {_errors: [], [field]: {_errors: [`${field} is already in use`]}},
  });
}
