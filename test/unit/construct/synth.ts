// Synthesizes a real cdktf App into a temporary directory and returns the stack's JSON, so that tests see
// exactly what Terraform would read (assets included).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';

export interface Synthesized {
  /** The parsed cdk.tf.json. */
  readonly config: StackConfig;
  /** The raw cdk.tf.json text. */
  readonly text: string;
  /** The stack's directory. */
  readonly stackDir: string;
  /** The App's outdir (removed by cleanup()). */
  readonly outdir: string;
  cleanup(): void;
}

export interface ResourceBlock {
  /** `${local.mongodb_invitations}`: the entries live in `locals` (see entriesOf). */
  for_each: string;
  /** One expression yielding an object (test/unit/construct/provisioner-env.ts reads it). */
  triggers_replace?: string;
  input?: string;
  triggers?: string;
  lifecycle?: Record<string, unknown>;
  depends_on?: string[];
  provisioner: Array<{
    'local-exec': {
      command: string;
      interpreter: string[];
      environment: Record<string, string>;
      when: string;
      on_failure?: string;
    };
  }>;
}

export interface StackConfig {
  resource: Record<string, Record<string, ResourceBlock>>;
  locals?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
  terraform: Record<string, unknown>;
}

/** Builds one stack (named `stack`, local state `terraform.tfstate`) with `build`, synthesizes it. */
export function synth(build: (stack: TerraformStack) => void, stackName = 'stack'): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'pi-synth-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, stackName);
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  build(stack);
  app.synth();
  const stackDir = join(outdir, 'stacks', stackName);
  const text = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
  return {
    config: JSON.parse(text) as StackConfig,
    text,
    stackDir,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Every resource block of a given type. */
export function blocksOf(config: StackConfig, type: string): ResourceBlock[] {
  return Object.values(config.resource?.[type] ?? {});
}

/** The only resource block of a given type (fails the test if there is not exactly one). */
export function onlyBlock(config: StackConfig, type: string): ResourceBlock {
  const blocks = blocksOf(config, type);
  if (blocks.length !== 1) throw new Error(`expected one ${type} block, found ${blocks.length}`);
  return blocks[0] as ResourceBlock;
}

/** The identity block (`mongodb_invitations`, destroy-time revoke) of a resource type. */
export function identityBlock(config: StackConfig, type = 'terraform_data'): ResourceBlock {
  const block = config.resource?.[type]?.['mongodb_invitations'];
  if (!block) throw new Error(`no ${type}.mongodb_invitations block`);
  return block;
}

/** The roles block (`mongodb_invitation_roles`, create-time invite) of a resource type. */
export function rolesBlock(config: StackConfig, type = 'terraform_data'): ResourceBlock {
  const block = config.resource?.[type]?.['mongodb_invitation_roles'];
  if (!block) throw new Error(`no ${type}.mongodb_invitation_roles block`);
  return block;
}

/**
 * The entries of a block, every key of each: the `locals` value its `for_each` names (`${local.<name>}`),
 * whose entries are "<target> <base_url> <group_id> <invitation_id> <username> <roles> <profile>" (written
 * out here on purpose, not imported), with the profile's keys (the settings) from `locals.<name>_profiles`.
 */
export function entriesOf(
  config: StackConfig,
  block: ResourceBlock | undefined,
): Record<string, Record<string, string>> {
  const name = /^\$\{local\.(\w+)\}$/.exec(block?.for_each ?? '')?.[1];
  if (name === undefined)
    throw new Error(`for_each is not a local value: ${JSON.stringify(block?.for_each)}`);
  const entries = config.locals?.[name] as Record<string, string> | undefined;
  if (!entries) throw new Error(`no locals.${name}`);
  const profiles = (config.locals?.[`${name}_profiles`] ?? {}) as Record<string, Record<string, string>>;
  return Object.fromEntries(
    Object.entries(entries).map(([key, text]) => {
      if (typeof text !== 'string') throw new Error(`entry ${key} is not a string: ${JSON.stringify(text)}`);
      const fields = text.split(' ');
      if (fields.length !== 7) throw new Error(`entry ${key} has not 7 fields: ${JSON.stringify(text)}`);
      const [target, base_url, group_id, invitation_id, username, roles, profile] = fields as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const shared = profiles[profile];
      if (!shared) throw new Error(`entry ${key} names no profile of locals.${name}_profiles: ${profile}`);
      return [key, { ...shared, target, base_url, group_id, invitation_id, username, roles }];
    }),
  );
}

/**
 * What a block writes in a field, written out here on purpose (not imported): the leading `n` fields of the
 * entry's text by name, read with one `each.value`.
 */
export function leadingFields(names: readonly string[]): string {
  return `{for i, field in split(" ", each.value) : [${names.map((n) => JSON.stringify(n)).join(', ')}][i] => field if i < ${names.length}}`;
}

/**
 * The entry's profile (its settings, as strings), read with one `each.value`: the profile id is the entry's
 * 7th field.
 */
export function profileOf(local = 'mongodb_invitations'): string {
  return `{for key, value in local.${local}_profiles[split(" ", each.value)[6]] : key => tostring(value)}`;
}
