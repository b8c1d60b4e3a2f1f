// The stack-wide block: every ProjectInvitations of a stack adds its entries to ONE `for_each` resource
// per resource type (docs/design.md, decision 1), so renaming, splitting or merging constructs, or moving an
// entry between them, changes nothing on the server. Created by the first construct that needs it.
import { Lazy, TerraformIterator, TerraformLocal, TerraformStack, type TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { cliAssetFor } from './cli-asset';
import { provisioners, type ResourceType } from './provisioner';
import { createNullResource, defaultNullProviders, InvitationsDataResource } from './resources';
import { ConflictingEntryError } from './errors';
import { checkResourceBlock } from './validate-props';
import { BLOCK_NAME, IDENTITY_KEYS, SETTING_KEYS, type EntryKey, type EntryValues } from '../contract/keys';

interface Declared {
  readonly values: EntryValues;
  readonly resourceType: ResourceType;
  /** Construct paths that declared it. */
  readonly owners: string[];
}

/** Keeps user text literal in Terraform's JSON syntax: `${` → `$${`, `%{` → `%%{`. */
function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

const registries = new WeakMap<TerraformStack, StackInvitations>();

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
  private readonly blocks = new Map<ResourceType, TerraformResource>();

  private constructor(private readonly stack: TerraformStack) {}

  /**
   * Adds one entry under `key`. The same entry declared again with the same values counts once; with
   * different values (another construct, other roles or settings) it is refused, naming both paths.
   */
  declare(key: string, values: EntryValues, resourceType: ResourceType, owner: string): void {
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

  /** The stack-wide block of a resource type, created on first use. */
  block(resourceType: ResourceType): TerraformResource {
    const existing = this.blocks.get(resourceType);
    if (existing) return existing;
    const id = resourceType === 'terraform_data' ? BLOCK_NAME : `${BLOCK_NAME}_null`;
    if (this.stack.node.tryFindChild(id)) {
      throw new Error(
        `The id "${id}" is reserved by cdktf-mongodb-invitations in each stack; rename your construct.`,
      );
    }
    // The entries live in a `locals` value and for_each reads it: an inline map in JSON syntax makes
    // Terraform evaluate every string of it again for every instance (plan time grows with n², bench/people.md).
    const entries = new TerraformLocal(
      this.stack,
      `${id}_entries`,
      Lazy.anyValue({ produce: () => this.forEachMap(resourceType) }),
    );
    entries.overrideLogicalId(id);
    const forEach = TerraformIterator.fromMap(entries.asAnyMap);
    const pick = (keys: readonly EntryKey[]) =>
      Object.fromEntries(keys.map((k) => [k, forEach.getString(k)])) as Record<string, string>;
    const address = `${resourceType}.${BLOCK_NAME}`;
    const config = {
      forEach,
      provisioners: provisioners(resourceType, address, cliAssetFor(this.stack).path),
    };
    const resource =
      resourceType === 'null_resource'
        ? createNullResource(this.stack, id, {
            ...config,
            triggers: pick([...IDENTITY_KEYS, ...SETTING_KEYS]),
          })
        : new InvitationsDataResource(this.stack, id, {
            ...config,
            triggersReplace: pick(IDENTITY_KEYS),
            input: pick(SETTING_KEYS),
          });
    resource.overrideLogicalId(BLOCK_NAME);
    resource.node.addValidation({ validate: () => this.validate(resource, resourceType) });
    this.blocks.set(resourceType, resource);
    return resource;
  }

  private forEachMap(resourceType: ResourceType): Record<string, EntryValues> {
    const map: Record<string, EntryValues> = {};
    for (const [key, declared] of this.entries) {
      if (declared.resourceType !== resourceType) continue;
      const values = { ...declared.values };
      for (const k of Object.keys(values) as EntryKey[]) values[k] = escapeTemplate(values[k]);
      map[key] = values;
    }
    return map;
  }

  private validate(resource: TerraformResource, resourceType: ResourceType): string[] {
    const synthesized = resource.toTerraform() as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const block = synthesized.resource[resource.terraformResourceType]?.[BLOCK_NAME] ?? {};
    const problems = checkResourceBlock(block);
    if (resourceType === 'null_resource' && defaultNullProviders(this.stack).length > 1) {
      problems.push(
        'the stack has more than one default "null" provider; ProjectInvitations adds one when the stack has none, so declare yours before it (or give the others an alias)',
      );
    }
    if (problems.length === 0) return [];
    return [`Invalid ${resource.terraformResourceType}.${BLOCK_NAME}:\n- ${problems.join('\n- ')}`];
  }
}
