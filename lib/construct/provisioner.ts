// The destroy-time provisioner: runs the bundled revoke command with NO shell. Terraform execs
// `interpreter` + `command` directly (["node", "<asset>", "revoke"]), so nothing a user wrote is ever
// parsed by a shell (and it runs the same on Windows). Every value reaches the command through
// `environment`, read from `self` (the last state): see CONTRIBUTING.md, "The provisioner contract".
import type { LocalExecProvisioner } from 'cdktf';

/** Keys that identify an invitation: changing one replaces the instance (and so revokes it). */
export const IDENTITY_KEYS = ['target', 'base_url', 'group_id', 'invitation_id'] as const;
/** Keys that may change without revoking anything (terraform_data `input`, updated in place). */
export const SETTING_KEYS = [
  'auth',
  'timeout_ms',
  'max_retries',
  'token_cache',
  'client_id_env',
  'client_secret_env',
  'public_key_env',
  'private_key_env',
  'access_token_env',
] as const;

export type IdentityKey = (typeof IDENTITY_KEYS)[number];
export type SettingKey = (typeof SETTING_KEYS)[number];

/** The revoke command's environment variable for each key (the construct → CLI contract). */
export const ENVIRONMENT_NAMES: Record<IdentityKey | SettingKey, string> = {
  target: 'MONGODB_INVITATIONS_TARGET',
  base_url: 'MONGODB_INVITATIONS_BASE_URL',
  group_id: 'MONGODB_INVITATIONS_GROUP_ID',
  invitation_id: 'MONGODB_INVITATIONS_INVITATION_ID',
  auth: 'MONGODB_INVITATIONS_AUTH',
  timeout_ms: 'MONGODB_INVITATIONS_TIMEOUT_MS',
  max_retries: 'MONGODB_INVITATIONS_MAX_RETRIES',
  token_cache: 'MONGODB_INVITATIONS_TOKEN_CACHE',
  client_id_env: 'MONGODB_INVITATIONS_CLIENT_ID_ENV',
  client_secret_env: 'MONGODB_INVITATIONS_CLIENT_SECRET_ENV',
  public_key_env: 'MONGODB_INVITATIONS_PUBLIC_KEY_ENV',
  private_key_env: 'MONGODB_INVITATIONS_PRIVATE_KEY_ENV',
  access_token_env: 'MONGODB_INVITATIONS_ACCESS_TOKEN_ENV',
};

/** The fixed command text: the only thing after the interpreter. */
export const REVOKE_COMMAND = 'revoke';

/**
 * Where each value is read from at destroy time.
 * - `terraform_data`: identity from `triggers_replace`, settings from `input`. Settings are read with
 *   `try(…, "")` so that an instance recorded before a setting existed can still be destroyed.
 * - `null_resource`: everything from `triggers`.
 */
export function selfReference(
  resourceType: 'terraform_data' | 'null_resource',
  key: IdentityKey | SettingKey,
): string {
  if (resourceType === 'null_resource') return `\${self.triggers.${key}}`;
  if ((IDENTITY_KEYS as readonly string[]).includes(key)) return `\${self.triggers_replace.${key}}`;
  return `\${try(self.input.${key}, "")}`;
}

/** The provisioner block for one resource type and the relative path of the bundled CLI. */
export function revokeProvisioner(
  resourceType: 'terraform_data' | 'null_resource',
  cliPath: string,
): LocalExecProvisioner {
  const environment: Record<string, string> = {};
  for (const key of [...IDENTITY_KEYS, ...SETTING_KEYS]) {
    environment[ENVIRONMENT_NAMES[key]] = selfReference(resourceType, key);
  }
  return {
    type: 'local-exec',
    when: 'destroy',
    interpreter: ['node', cliPath],
    command: REVOKE_COMMAND,
    environment,
  };
}
