// The stack-wide blocks: every ProjectInvitations of a stack adds its entries to ONE `locals` map, and two
// `for_each` blocks iterate it with the same keys: identity (destroy-time revoke) and roles (create-time
// invite). docs/design.md decision 1; one owner per person across the stacks of an app, decision 13.
import { Lazy, TerraformIterator, TerraformLocal, TerraformStack, type TerraformResource } from './cdk';
import type { IConstruct } from 'constructs';
import { cliAssetFor } from './cli-asset';
import { blockName, provisionerOf, replaceKeys, type BlockRole, type ResourceType } from './provisioner';
import { createNullResource, defaultNullProviders, InvitationsDataResource } from './resources';
import { ConflictingEntryError } from './errors';
import { checkResourceBlock } from './validate-props';
import {
  BLOCK_NAME,
  ENTRY_FIELDS,
  PROFILE_KEYS,
  ROLES_BLOCK_NAME,
  localsName,
  identityIdsName,
  IDENTITY_LINK_KEY,
  packEntry,
  profilesName,
  type EntryKey,
  type EntryValues,
  type ProfileKey,
} from '../contract/keys';
import { encodeLiteral } from '../contract/literal';

/** The map the blocks iterate (key → entry text) and the profiles its entries name. */
interface Packed {
  readonly entries: Record<string, string>;
  readonly profiles: Record<string, Record<ProfileKey, string>>;
}

interface Declared {
  readonly values: EntryValues;
  readonly resourceType: ResourceType;
  /** Construct paths that declared it. */
  readonly owners: string[];
}

/** The local the roles block reads its link from: each key's identity instance id. */
function identityIdsExpression(resourceType: ResourceType): string {
  return `\${{for key, instance in ${resourceType}.${BLOCK_NAME} : key => instance.id}}`;
}

/** The roles block's link to its identity instance: that instance's id, through one local. */
function identityLink(resourceType: ResourceType): string {
  return `local.${identityIdsName(resourceType)}[each.key]`;
}

const registries = new WeakMap<TerraformStack, StackInvitations>();

/** Who declares a person or an adopted id in an app: one stack (and one key) only. */
interface Owner {
  readonly stack: string;
  readonly key: string;
  readonly paths: string[];
}
const appOwners = new WeakMap<IConstruct, Map<string, Owner>>();

/** What a person or adopted id is, whatever base URL spelling names its server. */
function ownerId(values: EntryValues): string {
  const who = values.username !== '' ? values.username : values.invitation_id;
  return `${values.target}/${values.group_id}/${who}`;
}

/** `each.value` read once, as its fields: the only reading of the (large) entries map an expression makes. */
const EACH_FIELDS = 'split(" ", each.value)';

/**
 * The leading fields of the entry's text as an object of `keys` (the identity keys, then the roles):
 * `{for i, field in split(" ", each.value) : ["target", …][i] => field if i < n}`. An object like the
 * per-key one it replaces, so each instance's state and the plan name every key as before.
 */
function leadingFields(keys: readonly EntryKey[]): string {
  keys.forEach((key, i) => {
    if (ENTRY_FIELDS[i] !== key) throw new Error(`${key} is not entry field ${i}`);
  });
  const names = keys.map((key) => JSON.stringify(key)).join(', ');
  return `{for i, field in ${EACH_FIELDS} : [${names}][i] => field if i < ${keys.length}}`;
}

/**
 * The entry's profile: an object of every setting, as strings (cdktf's HCL output writes "45000" and
 * "true" in `locals` as a number and a bool).
 */
function profileOf(resourceType: ResourceType): string {
  const profile = `local.${profilesName(resourceType)}[${EACH_FIELDS}[${ENTRY_FIELDS.indexOf('profile')}]]`;
  return `{for key, value in ${profile} : key => tostring(value)}`;
}

/**
 * What a block's replace field writes (`triggers_replace`, or `triggers` for null_resource), as one
 * expression: Terraform 1.11 reads the whole `for_each` map again for every reference to `each.value`, so
 * each field reads it once, whatever the number of keys (bench/throughput.md, P10). The keys that replace
 * (the roles block adds its identity link); null_resource, having no `input`, merges the settings in too.
 */
export function replaceExpression(resourceType: ResourceType, block: BlockRole): string {
  const parts = [leadingFields(replaceKeys(block))];
  if (block === 'roles') parts.push(`{${IDENTITY_LINK_KEY} = ${identityLink(resourceType)}}`);
  if (resourceType === 'null_resource') parts.push(profileOf(resourceType));
  return parts.length === 1 ? `\${${parts[0]}}` : `\${merge(${parts.join(', ')})}`;
}

/** What `terraform_data`'s `input` writes: the entry's settings, as one expression. */
export function inputExpression(resourceType: ResourceType): string {
  return `\${${profileOf(resourceType)}}`;
}

/** The two blocks of one resource type. */
export interface InvitationBlocks {
  /** `mongodb_invitations`: identity in `triggers_replace`, the destroy-time revoke. */
  readonly identity: TerraformResource;
  /** `mongodb_invitation_roles`: identity and roles in `triggers_replace`, the create-time invite. */
  readonly roles: TerraformResource;
}

/** The entries of one stack and its blocks, one per resource type. */
export class StackInvitations {
  /** The registry of the stack `scope` belongs to. */
  static of(scope: IConstruct): StackInvitations {
    const stack = TerraformStack.of(scope);
    let registry = registries.get(stack);
    if (!registry) {
      registry = new StackInvitations(stack);
      registries.set(stack, registry);
    }
    return registry;
  }

  private readonly entries = new Map<string, Declared>();
  private readonly blocks = new Map<ResourceType, InvitationBlocks>();

  private constructor(private readonly stack: TerraformStack) {}

  /**
   * Adds one entry under `key`. The same entry declared again with the same values counts once; with
   * different values (another construct, other roles or settings) it is refused, naming both paths.
   */
  declare(key: string, values: EntryValues, resourceType: ResourceType, owner: string): void {
    this.claim(key, values, owner);
    const existing = this.entries.get(key);
    if (!existing) {
      this.entries.set(key, { values, resourceType, owners: [owner] });
      return;
    }
    const differences = (Object.keys(values) as EntryKey[])
      .filter((k) => existing.values[k] !== values[k])
      .map((k) => `${k} ${JSON.stringify(existing.values[k])} vs ${JSON.stringify(values[k])}`);
    if (existing.resourceType !== resourceType) {
      differences.push(`resourceType ${existing.resourceType} vs ${resourceType}`);
    }
    if (differences.length > 0) {
      const where = [...new Set([...existing.owners, owner])].map((p) => `[${p}]`).join(' and ');
      throw new ConflictingEntryError(
        `the entry "${key}" is declared by ${where} with different values (${differences.join('; ')}): declare it once, or give both declarations the same roles and settings`,
        owner,
      );
    }
    if (!existing.owners.includes(owner)) existing.owners.push(owner);
  }

  /**
   * Records that this stack declares the person (or adopted id) of `values` under `key`. Another stack
   * of the app, or another key (another base URL spelling) of this one, declaring the same (target kind,
   * project, person) is refused: removing it from one would cancel what the other still declares.
   */
  private claim(key: string, values: EntryValues, path: string): void {
    const root = this.stack.node.root;
    let owners = appOwners.get(root);
    if (!owners) {
      owners = new Map();
      appOwners.set(root, owners);
    }
    const id = ownerId(values);
    const stack = this.stack.node.path;
    const found = owners.get(id);
    if (!found) {
      owners.set(id, { stack, key, paths: [path] });
      return;
    }
    const who = values.username !== '' ? values.username : `the invitation ${values.invitation_id}`;
    const where = `${who} in project ${values.group_id} (${values.target})`;
    if (found.stack !== stack) {
      throw new ConflictingEntryError(
        `${where} is declared by two stacks: [${found.stack}] at [${found.paths.join(', ')}] and [${stack}] at [${path}]; a person has one owner, or removing them from one stack would cancel what the other still declares: declare them in one stack only`,
        path,
      );
    }
    if (found.key !== key) {
      throw new ConflictingEntryError(
        `${where} is declared under two keys, "${found.key}" at [${found.paths.join(', ')}] and "${key}" at [${path}] (two base URLs of one server?): declare them once, with one base URL`,
        path,
      );
    }
    if (!found.paths.includes(path)) found.paths.push(path);
  }

  /** The two stack-wide blocks of a resource type, created on first use. */
  blocksOf(resourceType: ResourceType): InvitationBlocks {
    const existing = this.blocks.get(resourceType);
    if (existing) return existing;
    const suffix = resourceType === 'terraform_data' ? '' : '_null';
    for (const id of [BLOCK_NAME, ROLES_BLOCK_NAME].map((name) => `${name}${suffix}`)) {
      if (this.stack.node.tryFindChild(id)) {
        throw new Error(
          `The id "${id}" is reserved by cdktf-mongodb-invitations in each stack; rename your construct.`,
        );
      }
    }
    // The entries live in a `locals` value and for_each reads it: an inline map in JSON syntax makes
    // Terraform evaluate every string of it again for every instance (plan time grows with n², bench/people.md).
    // Terraform 1.11 also re-reads the whole for_each value for each instance (and for each reference to
    // each.value), so each entry is one short string (lib/contract ENTRY_FIELDS), what entries share lives
    // once, in a profiles map, and each field reads each.value once (replaceExpression; bench/throughput.md, P10).
    const local = localsName(resourceType);
    const entries = new TerraformLocal(
      this.stack,
      `${local}_entries`,
      Lazy.anyValue({ produce: () => this.packed(resourceType).entries }),
    );
    entries.overrideLogicalId(local);
    new TerraformLocal(
      this.stack,
      `${profilesName(resourceType)}_value`,
      Lazy.anyValue({ produce: () => this.packed(resourceType).profiles }),
    ).overrideLogicalId(profilesName(resourceType));
    // Read by the roles block's identity_id: see identityIdsName in lib/contract.
    new TerraformLocal(
      this.stack,
      `${identityIdsName(resourceType)}_value`,
      identityIdsExpression(resourceType),
    ).overrideLogicalId(identityIdsName(resourceType));
    const { cliPath } = cliAssetFor(this.stack);
    const make = (block: BlockRole): TerraformResource => {
      const forEach = TerraformIterator.fromMap(entries.asAnyMap);
      const replace = replaceExpression(resourceType, block);
      const name = blockName(block);
      const config = {
        forEach,
        provisioners: [provisionerOf(resourceType, block, cliPath)],
      };
      const resource =
        resourceType === 'null_resource'
          ? createNullResource(this.stack, `${name}${suffix}`, { ...config, triggers: replace })
          : new InvitationsDataResource(this.stack, `${name}${suffix}`, {
              ...config,
              triggersReplace: replace,
              input: inputExpression(resourceType),
            });
      resource.overrideLogicalId(name);
      resource.node.addValidation({
        validate: () => this.validate(resource, resourceType, block, cliPath),
      });
      return resource;
    };
    const identity = make('identity');
    // The roles block reads its identity instance's id (through one local), so when both are replaced
    // Terraform revokes with the old values before it invites with the new ones, never the reverse, and a
    // replaced identity instance (`-replace`, a change of identity) always replaces the roles instance too:
    // a revoke of someone still declared is followed by an invite.
    const blocks = { identity, roles: make('roles') };
    this.blocks.set(resourceType, blocks);
    return blocks;
  }

  /**
   * The entries of a resource type as one short string each, and the profiles they name: one per distinct
   * set of settings, numbered in declaration order.
   */
  private packed(resourceType: ResourceType): Packed {
    const entries: Record<string, string> = {};
    const profiles: Record<string, Record<ProfileKey, string>> = {};
    const ids = new Map<string, string>();
    for (const [key, declared] of this.entries) {
      if (declared.resourceType !== resourceType) continue;
      const values = { ...declared.values };
      for (const k of Object.keys(values) as EntryKey[]) values[k] = encodeLiteral(values[k]);
      const profile = Object.fromEntries(PROFILE_KEYS.map((k) => [k, values[k]])) as Record<
        ProfileKey,
        string
      >;
      const text = JSON.stringify(profile);
      let id = ids.get(text);
      if (id === undefined) {
        id = String(ids.size);
        ids.set(text, id);
        profiles[id] = profile;
      }
      entries[key] = packEntry(id, values);
    }
    return { entries, profiles };
  }

  private validate(
    resource: TerraformResource,
    resourceType: ResourceType,
    block: BlockRole,
    cliPath: string,
  ): string[] {
    // The whole stack as it will be written, so that overrides made on the stack count too.
    const synthesized = this.stack.toTerraform() as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
      locals?: Record<string, unknown>;
    };
    const name = blockName(block);
    const found = synthesized.resource?.[resource.terraformResourceType]?.[name] ?? {};
    const problems = checkResourceBlock(found, {
      block,
      forEach: `\${local.${localsName(resourceType)}}`,
      provisioner: provisionerOf(resourceType, block, cliPath),
      replaceField: resourceType === 'null_resource' ? 'triggers' : 'triggers_replace',
      replace: replaceExpression(resourceType, block),
      input: resourceType === 'terraform_data' ? inputExpression(resourceType) : undefined,
    });
    const ids = identityIdsName(resourceType);
    const idsExpression = identityIdsExpression(resourceType);
    if (block === 'roles' && synthesized.locals?.[ids] !== idsExpression) {
      problems.push(
        `locals.${ids} was changed by an override (it must stay ${idsExpression}): ${IDENTITY_LINK_KEY} reads it, without which Terraform may invite before it revokes, and replacing a person's identity instance would revoke them and invite nobody`,
      );
    }
    if (
      block === 'identity' &&
      resourceType === 'null_resource' &&
      defaultNullProviders(this.stack).length > 1
    ) {
      problems.push(
        'the stack has more than one default "null" provider; ProjectInvitations adds one when the stack has none, so declare yours before it (or give the others an alias)',
      );
    }
    if (problems.length === 0) return [];
    return [`Invalid ${resource.terraformResourceType}.${name}:\n- ${problems.join('\n- ')}`];
  }
}
