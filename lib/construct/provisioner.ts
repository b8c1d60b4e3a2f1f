// The two provisioners: create-time `invite` and destroy-time `revoke`, both running the bundled CLI with
// NO shell (Terraform execs ["node", "<asset>", "<command>"]). Every value reaches the CLI through
// `environment`, read from `self`; names and keys come from lib/contract (see CONTRIBUTING.md).
import type { LocalExecProvisioner } from 'cdktf';
import {
  ENTRY_ADDRESS_ENV,
  ENTRY_KEY_ENV,
  IDENTITY_KEYS,
  INVITE_COMMAND,
  REVOKE_COMMAND,
  SETTING_KEYS,
  entryName,
  type EntryKey,
} from '../contract/keys';

export type ResourceType = 'terraform_data' | 'null_resource';

/**
 * Where each value is read from. `terraform_data`: identity from `triggers_replace`, settings from
 * `input` through `try(…, "")` so an instance recorded before a setting existed still destroys.
 * `null_resource`: everything from `triggers`, settings likewise through `try`.
 */
function selfReference(resourceType: ResourceType, key: EntryKey): string {
  const identity = (IDENTITY_KEYS as readonly string[]).includes(key);
  if (resourceType === 'null_resource') {
    return identity ? `\${self.triggers.${key}}` : `\${try(self.triggers.${key}, "")}`;
  }
  return identity ? `\${self.triggers_replace.${key}}` : `\${try(self.input.${key}, "")}`;
}

function environment(resourceType: ResourceType, address: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of [...IDENTITY_KEYS, ...SETTING_KEYS])
    env[entryName(key)] = selfReference(resourceType, key);
  env[ENTRY_KEY_ENV] = '${each.key}';
  env[ENTRY_ADDRESS_ENV] = `${address}["\${each.key}"]`;
  return env;
}

/** Both provisioners of the block at `address`, given the relative path of the bundled CLI. */
export function provisioners(
  resourceType: ResourceType,
  address: string,
  cliPath: string,
): LocalExecProvisioner[] {
  const env = environment(resourceType, address);
  const interpreter = ['node', cliPath];
  return [
    { type: 'local-exec', interpreter, command: INVITE_COMMAND, environment: env },
    { type: 'local-exec', when: 'destroy', interpreter, command: REVOKE_COMMAND, environment: env },
  ];
}
