/** The access systems every sandbox workspace has; fixed ids so examples and tests can name them. */
export const SANDBOX_ACS_SYSTEMS = [
  {
    acs_system_id: 'a5c1b0e2-3d4f-4a6b-8c7d-9e0f1a2b3c4d',
    name: 'Main Entrance (Salto KS)',
    external_type: 'salto_ks_site',
    external_type_display_name: 'Salto KS site',
    connected_account_id: 'c0a1b2c3-d4e5-4f60-8a71-b2c3d4e5f601',
    time_zone: 'America/New_York',
  },
  {
    acs_system_id: 'b6d2c1f3-4e5a-4b7c-9d8e-0f1a2b3c4d5e',
    name: 'Parking Garage (Brivo)',
    external_type: 'brivo_account',
    external_type_display_name: 'Brivo account',
    connected_account_id: 'c0a1b2c3-d4e5-4f60-8a71-b2c3d4e5f602',
    time_zone: 'America/New_York',
  },
  {
    acs_system_id: 'c7e3d2a4-5f6b-4c8d-8e9f-1a2b3c4d5e6f',
    name: 'Residences (Latch)',
    external_type: 'latch_building',
    external_type_display_name: 'Latch building',
    connected_account_id: 'c0a1b2c3-d4e5-4f60-8a71-b2c3d4e5f603',
    time_zone: 'America/Chicago',
  },
] as const;

const CREATED_AT = '2024-01-15T09:30:00.000Z';

/** An access system as `/acs/systems/list` answers it (the fields Seam's `acs_system` model requires). */
export interface SandboxAcsSystem {
  acs_system_id: string;
  name: string;
  external_type: string;
  external_type_display_name: string;
  system_type: string;
  system_type_display_name: string;
  is_credential_manager: boolean;
  acs_user_count: number;
  location: {time_zone: string | null};
  created_at: string;
  workspace_id: string;
  connected_account_id: string;
  connected_account_ids: string[];
  image_url: string;
  image_alt_text: string;
  errors: unknown[];
  warnings: unknown[];
}

export function isKnownAcsSystemId(id: string): boolean {
  const lower = id.toLowerCase();
  return SANDBOX_ACS_SYSTEMS.some((system) => system.acs_system_id === lower);
}

/** The systems of a workspace, with how many identities each has a user for. */
export function acsSystemsFor(workspaceId: string, userCount: (acsSystemId: string) => number): SandboxAcsSystem[] {
  return SANDBOX_ACS_SYSTEMS.map((system) => ({
    acs_system_id: system.acs_system_id,
    name: system.name,
    external_type: system.external_type,
    external_type_display_name: system.external_type_display_name,
    system_type: system.external_type,
    system_type_display_name: system.external_type_display_name,
    is_credential_manager: false,
    acs_user_count: userCount(system.acs_system_id),
    location: {time_zone: system.time_zone},
    created_at: CREATED_AT,
    workspace_id: workspaceId,
    connected_account_id: system.connected_account_id,
    connected_account_ids: [system.connected_account_id],
    image_url: `https://connect.getseam.com/assets/images/acs_systems/${system.external_type}.png`,
    image_alt_text: `${system.external_type_display_name} logo`,
    errors: [],
    warnings: [],
  }));
}
