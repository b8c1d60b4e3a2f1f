// The two provisioners, one per block: the identity block's destroy-time `revoke` and the roles block's
// create-time `invite`, both running the bundled CLI with NO shell (["node", "<asset>", "<command>"]).
// Every value reaches the CLI through `environment`, read from `self`; names come from lib/contract.
import type { LocalExecProvisioner } from './cdk';
import {
  BLOCK_NAME,
  ENTRY_ADDRESS_ENV,
  ENTRY_KEY_ENV,
  IDENTITY_KEYS,
  INVITE_COMMAND,
  REVOKE_COMMAND,
  ROLES_BLOCK_NAME,
  ROLES_KEY,
  SETTING_KEYS,
  entryName,
  type EntryKey,
  type ResourceType,
} from '../contract/keys';

export type { ResourceType } from '../contract/keys';

/** Which of the two blocks: `identity` (revoke on destroy) or `roles` (invite on create). */
export type BlockRole = 'identity' | 'roles';

/** The Terraform name of a block. */
export function blockName(block: BlockRole): string {
  return block === 'identity' ? BLOCK_NAME : ROLES_BLOCK_NAME;
}

/** The keys a block replaces on: identity keys, plus the roles for the roles block. */
export function replaceKeys(block: BlockRole): readonly EntryKey[] {
  return block === 'identity' ? IDENTITY_KEYS : [...IDENTITY_KEYS, ROLES_KEY];
}

/**
 * Where each value is read from. `terraform_data`: replace keys from `triggers_replace`, settings from
 * `input` through `try(…, "")` so an instance recorded before a setting existed still destroys.
 * `null_resource`: everything from `triggers`, settings likewise through `try`.
 */
function selfReference(resourceType: ResourceType, block: BlockRole, key: EntryKey): string {
  const replaces = replaceKeys(block).includes(key);
  if (resourceType === 'null_resource') {
    return replaces ? `\${self.triggers.${key}}` : `\${try(self.triggers.${key}, "")}`;
  }
  return replaces ? `\${self.triggers_replace.${key}}` : `\${try(self.input.${key}, "")}`;
}

function environment(resourceType: ResourceType, block: BlockRole): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of [...replaceKeys(block), ...SETTING_KEYS])
    env[entryName(key)] = selfReference(resourceType, block, key);
  env[ENTRY_KEY_ENV] = '${each.key}';
  // The quotes sit inside `${…}`: cdktf's HCL output writes a literal quote outside it unescaped, which
  // breaks the file. Not %q, which writes "&" as \u0026 (keys hold neither a quote nor a backslash).
  env[ENTRY_ADDRESS_ENV] = `\${format("${resourceType}.${blockName(block)}[\\"%s\\"]", each.key)}`;
  return env;
}

/** The one provisioner of a block, given the relative path of the bundled CLI. */
export function provisionerOf(
  resourceType: ResourceType,
  block: BlockRole,
  cliPath: string,
): LocalExecProvisioner {
  const common = { type: 'local-exec' as const, interpreter: ['node', cliPath] };
  const environmentOf = environment(resourceType, block);
  return block === 'identity'
    ? { ...common, when: 'destroy', command: REVOKE_COMMAND, environment: environmentOf }
    : { ...common, command: INVITE_COMMAND, environment: environmentOf };
}
