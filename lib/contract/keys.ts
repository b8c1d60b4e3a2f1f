// The provisioner contract: the keys each entry of the stack-wide block carries and the environment
// names the CLI reads them from. State compatibility is forever (CONTRIBUTING.md): once released, a key
// or an environment name here is never renamed; new settings are read with try(self.input.x, "").

/** Keys that identify an entry: changing one replaces the instance (cancel, then invite again). */
export const IDENTITY_KEYS = [
  'target',
  'base_url',
  'group_id',
  'invitation_id',
  'username',
  'roles',
] as const;

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
export type EntryKey = IdentityKey | SettingKey;

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

/** The construct id (and so the Terraform name) of the stack-wide block, per resource type. */
export const BLOCK_NAME = 'mongodb_invitations';

/** `each.value` holds every key; the keys of a credential variable rename, with their prop names. */
export const CREDENTIAL_SETTINGS = {
  clientIdEnv: 'client_id_env',
  clientSecretEnv: 'client_secret_env',
  publicKeyEnv: 'public_key_env',
  privateKeyEnv: 'private_key_env',
  accessTokenEnv: 'access_token_env',
} as const satisfies Record<string, SettingKey>;
