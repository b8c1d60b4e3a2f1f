// The provisioner contract: the keys each entry of the stack-wide block carries and the environment
// names the CLI reads them from. State compatibility is forever (CONTRIBUTING.md): once released, a key
// or an environment name here is never renamed; new settings are read with try(self.input.x, "").

/**
 * Keys that identify an entry: the identity block's `triggers_replace`. Changing one replaces the
 * identity instance, whose destroy-time provisioner revokes (docs/design.md, decision 1).
 */
export const IDENTITY_KEYS = ['target', 'base_url', 'group_id', 'invitation_id', 'username'] as const;

/**
 * The person's roles (sorted, comma-joined; empty for an adopted id): with the identity keys, the roles
 * block's `triggers_replace`. A change replaces only the roles instance, whose invite sets roles in place.
 */
export const ROLES_KEY = 'roles';

/** Keys that may change without revoking anything (terraform_data `input`, updated in place). */
export const SETTING_KEYS = [
  'api',
  'auth',
  'timeout_ms',
  'max_retries',
  'token_cache',
  'client_id_env',
  'client_secret_env',
  'public_key_env',
  'private_key_env',
  'access_token_env',
  'remove_accepted',
  'allow_insecure_http',
] as const;

export type IdentityKey = (typeof IDENTITY_KEYS)[number];
export type SettingKey = (typeof SETTING_KEYS)[number];
export type EntryKey = IdentityKey | typeof ROLES_KEY | SettingKey;

/** Every key an entry of the `locals` map holds, in the order the provisioners pass them. */
export const ENTRY_KEYS: readonly EntryKey[] = [...IDENTITY_KEYS, ROLES_KEY, ...SETTING_KEYS];

/** What one entry of the block holds: every key, `""` where not set (Terraform maps hold no null). */
export type EntryValues = Record<EntryKey, string>;

const PREFIX = 'MONGODB_INVITATIONS_';

/**
 * The variable a provisioner sets for a key: `MONGODB_INVITATIONS_ENTRY_<KEY>`. Separate from the
 * variables people set themselves (`ambientName`), so that an empty declared setting never masks one.
 */
export function entryName(key: EntryKey): string {
  return `${PREFIX}ENTRY_${key.toUpperCase()}`;
}

/** The variable a person or pipeline may set for a key: `MONGODB_INVITATIONS_<KEY>`. */
export function ambientName(key: EntryKey): string {
  return `${PREFIX}${key.toUpperCase()}`;
}

/** The resource instance address, passed to the CLI so a failure can name it. */
export const ENTRY_ADDRESS_ENV = `${PREFIX}ENTRY_ADDRESS`;

/** Set by the provisioners only: the entry's key (`each.key`). */
export const ENTRY_KEY_ENV = `${PREFIX}ENTRY_KEY`;

/** Variables of the CLI that are not entry keys. */
export const CLI_ENV = {
  http: `${PREFIX}HTTP`,
  codeCache: `${PREFIX}CODE_CACHE`,
  verbose: `${PREFIX}VERBOSE`,
  atlasBaseUrl: 'MONGODB_ATLAS_BASE_URL',
  opsManagerUrl: 'MCLI_OPS_MANAGER_URL',
} as const;

/** The fixed command texts of the two provisioners (the only thing after the interpreter). */
export const INVITE_COMMAND = 'invite';
export const REVOKE_COMMAND = 'revoke';

/**
 * The Terraform name of the identity block (destroy-time `revoke`), and of the `locals` map both blocks
 * iterate (`mongodb_invitations_null` for null_resource).
 */
export const BLOCK_NAME = 'mongodb_invitations';

/** The Terraform name of the roles block (create-time `invite`), same keys as the identity block. */
export const ROLES_BLOCK_NAME = 'mongodb_invitation_roles';

/** The resource types that may carry the two blocks. */
export const RESOURCE_TYPES = ['terraform_data', 'null_resource'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** The `locals` value holding the entries of a resource type's blocks. */
export function localsName(resourceType: ResourceType): string {
  return resourceType === 'terraform_data' ? BLOCK_NAME : `${BLOCK_NAME}_null`;
}

/**
 * The `locals` value holding the profiles of a resource type's entries: what many entries share (the target
 * kind, the canonical base URL and every setting), written once per distinct combination and keyed by a short
 * profile id. Each entry of the map the blocks iterate names its profile.
 */
export function profilesName(resourceType: ResourceType): string {
  return `${localsName(resourceType)}_profiles`;
}

/**
 * The `locals` value mapping each key to its identity instance's id. The roles block reads its own
 * (`identity_id` in the fields that replace it), so Terraform revokes (the identity instance's destroy)
 * before it invites (the roles instance's create) when both are replaced, and replaces the roles instance
 * whenever its identity instance is replaced; one graph edge per instance, where a `depends_on` or a
 * `replace_triggered_by` between the blocks costs one per pair (bench/throughput.md, P10).
 */
export function identityIdsName(resourceType: ResourceType): string {
  return `${localsName(resourceType)}_identity_ids`;
}

/** The roles block's field that holds its identity instance's id (see identityIdsName). */
export const IDENTITY_LINK_KEY = 'identity_id';

/** The keys a profile holds: every setting (what may change without replacing anything). */
export const PROFILE_KEYS = SETTING_KEYS;
export type ProfileKey = SettingKey;

/**
 * The fields of an entry of the map the blocks iterate, in order, one space between them: the identity
 * keys, the roles, then the entry's profile id. None of them can hold a space (target kinds are words,
 * base URLs canonical URLs, ids hex, usernames e-mail addresses without spaces, roles `^[A-Z][A-Z_]*$`
 * joined by commas), so each block takes its fields back from ONE reading of `each.value`: the identity
 * keys (and roles) are its leading fields, in this order (docs/design.md, decision 1).
 */
export const ENTRY_FIELDS = [...IDENTITY_KEYS, ROLES_KEY, 'profile'] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

/** The separator of ENTRY_FIELDS. */
export const ENTRY_SEPARATOR = ' ';

/** The text of one entry of the map the blocks iterate: ENTRY_FIELDS joined by ENTRY_SEPARATOR. */
export function packEntry(profile: string, values: EntryValues): string {
  const fields = ENTRY_FIELDS.map((field) => (field === 'profile' ? profile : values[field]));
  const spaced = fields.find((field) => field.includes(ENTRY_SEPARATOR));
  if (spaced !== undefined) throw new Error(`an entry field holds a space: ${JSON.stringify(spaced)}`);
  return fields.join(ENTRY_SEPARATOR);
}

/**
 * The fields of an entry as the previous packed layout wrote them (profile id first; the profile held the
 * target kind and base URL too): still read back, so a stack synthesized by it can be audited.
 */
const PREVIOUS_FIELDS = ['profile', 'group_id', 'invitation_id', 'username', ROLES_KEY] as const;
const PREVIOUS_PROFILE_KEYS = ['target', 'base_url', ...SETTING_KEYS] as const;

/**
 * Every value of an entry, from its text and the profiles (either packed layout): undefined when the text
 * has neither layout's number of fields, names no profile, or the profile lacks a key or holds a non-string.
 */
export function unpackEntry(text: string, profiles: Record<string, unknown>): EntryValues | undefined {
  const fields = text.split(ENTRY_SEPARATOR);
  const names: readonly string[] | undefined =
    fields.length === ENTRY_FIELDS.length
      ? ENTRY_FIELDS
      : fields.length === PREVIOUS_FIELDS.length
        ? PREVIOUS_FIELDS
        : undefined;
  if (names === undefined) return undefined;
  const own: Record<string, string> = {};
  names.forEach((name, i) => (own[name] = fields[i] as string));
  const profileId = own['profile'] as string;
  const profile = Object.prototype.hasOwnProperty.call(profiles, profileId) ? profiles[profileId] : undefined;
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) return undefined;
  const values: Record<string, string> = {};
  const shared = names === ENTRY_FIELDS ? PROFILE_KEYS : PREVIOUS_PROFILE_KEYS;
  for (const key of shared) {
    const value = (profile as Record<string, unknown>)[key];
    if (typeof value !== 'string') return undefined;
    values[key] = value;
  }
  for (const key of ENTRY_KEYS) {
    if (!(key in values)) values[key] = own[key] as string;
  }
  return values as EntryValues;
}

/** The instance address of an entry in one of the two blocks, as Terraform prints it. */
export function instanceAddress(
  resourceType: ResourceType,
  block: 'identity' | 'roles',
  key: string,
): string {
  return `${resourceType}.${block === 'identity' ? BLOCK_NAME : ROLES_BLOCK_NAME}[${JSON.stringify(key)}]`;
}

/** `each.value` holds every key; the keys of a credential variable rename, with their prop names. */
export const CREDENTIAL_SETTINGS = {
  clientIdEnv: 'client_id_env',
  clientSecretEnv: 'client_secret_env',
  publicKeyEnv: 'public_key_env',
  privateKeyEnv: 'private_key_env',
  accessTokenEnv: 'access_token_env',
} as const satisfies Record<string, SettingKey>;
