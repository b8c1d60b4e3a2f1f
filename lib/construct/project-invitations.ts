import { Lazy, TerraformIterator, TerraformStack, Token, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { cliAssetFor } from './cli-asset';
import { revokeProvisioner, type IdentityKey, type SettingKey } from './provisioner';
import {
  createNullResource,
  defaultNullProviders,
  InvitationsDataResource,
  type AttributeMap,
} from './resources';
import type { InvitationTarget } from './target';
import {
  checkEntry,
  checkResourceBlock,
  checkSettings,
  checkTarget,
  escapeTemplate,
  type InvitationCredentials,
  type InvitationEntry,
} from './validate-props';
import { parseBaseUrl } from '../input/rules';

/** Props of {@link ProjectInvitations}. */
export interface ProjectInvitationsProps {
  /**
   * Where the invitations live: `InvitationTarget.atlas()` or `InvitationTarget.opsManager({ baseUrl })`.
   * The target kind and base URL are part of each invitation's identity.
   *
   * @see https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Projects/operation/deleteGroupInvite
   */
  readonly target: InvitationTarget;
  /**
   * The pending invitations that should still exist. Removing one from this list (in a later apply)
   * revokes it. Duplicates count once. More can be added with {@link ProjectInvitations.add}.
   *
   * @default []
   */
  readonly invitations?: InvitationEntry[];
  /**
   * Which resource type carries the destroy-time provisioner. `terraform_data` needs Terraform >= 1.4 (or
   * OpenTofu) and no provider. `null_resource` needs the `hashicorp/null` provider and the
   * `@cdktf/provider-null` package; there every value is a trigger, so changing ANY setting (even a
   * timeout) replaces the instances and revokes the invitations.
   *
   * @default 'terraform_data'
   */
  readonly resourceType?: 'terraform_data' | 'null_resource';
  /**
   * Names of the environment variables the revoke command reads credentials from, so that several
   * targets or organizations can live in one stack. Only names are written to configuration and state.
   *
   * @default - the variables MongoDB's own tools read (`MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_PUBLIC_API_KEY`,
   *   `MCLI_PUBLIC_API_KEY`, …)
   */
  readonly credentials?: InvitationCredentials;
  /**
   * Per-attempt timeout of each revoke request, in milliseconds.
   *
   * @default - the revoke command's default
   */
  readonly timeoutMs?: number;
  /**
   * Retries after the first attempt (429, 5xx and network errors only).
   *
   * @default - the revoke command's default
   */
  readonly maxRetries?: number;
  /**
   * Directory of the service-account token cache shared by the revoke processes, or `'off'` to fetch a
   * token in every process. A relative path is relative to the synthesized stack directory.
   *
   * @default - the revoke command's default (a private directory under the user's cache directory)
   */
  readonly tokenCache?: string;
}

/** Thrown when props or entries are invalid; lists every problem, names the construct path. */
export class InvalidProjectInvitationsError extends Error {
  public readonly code = 'INVALID_PROJECT_INVITATIONS';
  constructor(
    public readonly constructPath: string,
    public readonly problems: readonly string[],
  ) {
    super(`Invalid ProjectInvitations at [${constructPath}]:\n- ${problems.join('\n- ')}`);
    this.name = 'InvalidProjectInvitationsError';
  }
}

/**
 * Pending MongoDB project invitations declared in code. Removing an entry (or destroying the stack)
 * revokes that invitation through a destroy-time provisioner that runs the bundled
 * `mongodb-invitations revoke` command.
 *
 * Emits ONE resource block with `for_each` over the entries, keyed `<groupId>/<invitationId>`; the block
 * stays even when the set is empty. Deleting the whole construct cannot revoke anything: empty the set
 * first, apply, then delete the construct.
 *
 * @example
 * const team = new ProjectInvitations(stack, 'team', {
 *   target: InvitationTarget.atlas(),
 *   invitations: [{ groupId: '5f0c1a2b3c4d5e6f7a8b9c0d', invitationId: '6a1b2c3d4e5f60718293a4b5' }],
 * });
 * team.add({ groupId: '5f0c1a2b3c4d5e6f7a8b9c0d', invitationId: '6a1b2c3d4e5f60718293a4b6' });
 */
export class ProjectInvitations extends Construct {
  /** The target the invitations live in. */
  public readonly target: InvitationTarget;
  /** The resource type that carries the provisioner. */
  public readonly resourceType: 'terraform_data' | 'null_resource';
  /** The one `for_each` resource (an escape hatch; `create_before_destroy` is refused at synth). */
  public readonly resource: TerraformResource;

  private readonly entries = new Map<string, InvitationEntry>();

  constructor(scope: Construct, id: string, props: ProjectInvitationsProps) {
    super(scope, id);
    const given = props ?? ({} as ProjectInvitationsProps);
    const invitations: unknown = given.invitations ?? [];
    const problems = [...checkTarget(given.target), ...checkSettings(given)];
    if (!Array.isArray(invitations)) {
      problems.push('invitations must be an array of { groupId, invitationId }');
    } else {
      invitations.forEach((entry: InvitationEntry, i) =>
        problems.push(...checkEntry(`invitations[${i}]`, entry)),
      );
    }
    if (problems.length > 0) throw new InvalidProjectInvitationsError(this.node.path, problems);

    this.target = given.target;
    this.resourceType = given.resourceType ?? 'terraform_data';
    for (const entry of invitations as InvitationEntry[]) this.put(entry);

    const forEach = TerraformIterator.fromMap(
      Lazy.anyValue({ produce: () => this.forEachMap() }) as unknown as Record<string, unknown>,
    );
    const identity: Record<IdentityKey, string> = {
      target: this.target.kind,
      base_url: baseUrlOf(this.target),
      group_id: forEach.getString('group_id'),
      invitation_id: forEach.getString('invitation_id'),
    };
    const settings = settingsOf(given);
    const provisioners = [revokeProvisioner(this.resourceType, cliAssetFor(this).path)];
    this.resource =
      this.resourceType === 'null_resource'
        ? createNullResource(this, 'invitations', {
            forEach,
            triggers: { ...identity, ...settings },
            provisioners,
          })
        : new InvitationsDataResource(this, 'invitations', {
            forEach,
            triggersReplace: identity,
            input: settings,
            provisioners,
          });

    this.node.addValidation({ validate: () => this.validateBlock() });
  }

  /** Declares more pending invitations (duplicates count once). Throws if one is invalid. */
  public add(...invitations: InvitationEntry[]): void {
    const problems = invitations.flatMap((entry, i) =>
      checkEntry(invitations.length === 1 ? 'add()' : `add()[${i}]`, entry),
    );
    if (problems.length > 0) throw new InvalidProjectInvitationsError(this.node.path, problems);
    for (const entry of invitations) this.put(entry);
  }

  /** The `for_each` keys, `<groupId>/<invitationId>`, in declaration order. */
  public get keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The resource's Terraform address, e.g. `terraform_data.team_invitations_1A2B3C4D`; add `["<key>"]` for one instance. */
  public get address(): string {
    return `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
  }

  private put(entry: InvitationEntry): void {
    this.entries.set(`${entry.groupId}/${entry.invitationId}`, {
      groupId: entry.groupId,
      invitationId: entry.invitationId,
    });
  }

  private forEachMap(): Record<string, { group_id: string; invitation_id: string }> {
    const map: Record<string, { group_id: string; invitation_id: string }> = {};
    for (const [key, entry] of this.entries) {
      map[key] = {
        group_id: escapeTemplate(entry.groupId),
        invitation_id: escapeTemplate(entry.invitationId),
      };
    }
    return map;
  }

  private validateBlock(): string[] {
    const synthesized = this.resource.toTerraform() as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const block =
      synthesized.resource[this.resource.terraformResourceType]?.[this.resource.friendlyUniqueId] ?? {};
    const problems = checkResourceBlock(block);
    if (this.resourceType === 'null_resource' && defaultNullProviders(TerraformStack.of(this)).length > 1) {
      problems.push(
        'the stack has more than one default "null" provider; ProjectInvitations adds one when the stack has none, so declare yours before it (or give the others an alias)',
      );
    }
    return problems.length > 0 ? [new InvalidProjectInvitationsError(this.node.path, problems).message] : [];
  }
}

function baseUrlOf(target: InvitationTarget): string {
  if (target.baseUrl === undefined) return '';
  if (Token.isUnresolved(target.baseUrl)) return target.baseUrl;
  const parsed = parseBaseUrl('target.baseUrl', target.baseUrl);
  return escapeTemplate(parsed.ok ? parsed.url : target.baseUrl);
}

function settingsOf(props: ProjectInvitationsProps): Record<SettingKey, string> & AttributeMap {
  const text = (value: string | number | undefined): string => {
    if (value === undefined) return '';
    if (Token.isUnresolved(value)) return Token.asString(value);
    return escapeTemplate(String(value));
  };
  const credentials = props.credentials ?? {};
  return {
    auth: text(props.target.auth),
    timeout_ms: text(props.timeoutMs),
    max_retries: text(props.maxRetries),
    token_cache: text(props.tokenCache),
    client_id_env: text(credentials.clientIdEnv),
    client_secret_env: text(credentials.clientSecretEnv),
    public_key_env: text(credentials.publicKeyEnv),
    private_key_env: text(credentials.privateKeyEnv),
    access_token_env: text(credentials.accessTokenEnv),
  };
}
