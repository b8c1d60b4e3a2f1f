import { Annotations } from './cdk';
import type { TerraformResource } from './cdk';
import { Construct } from 'constructs';
import { type EntryValues } from '../contract/keys';
import { canonicalBaseUrl, entryKey } from '../contract/rules';
import { canonicalRoles, KNOWN_PROJECT_ROLES } from '../contract/roles';
import { nearest } from '../contract/suggest';
import { warnIfBaseUrlIgnored } from './base-url-warning';
import type { ResourceType } from './provisioner';
import { ConflictingEntryError, InvalidProjectInvitationsError } from './errors';
import { StackInvitations } from './stack-block';
import type { InvitationTarget } from './target';
import {
  checkEntry,
  checkSettings,
  checkTarget,
  settingTexts,
  type InvitationCredentials,
  type InvitationEntry,
} from './validate-props';

/** The known roles in lower case, for the nearest-role hint of a misspelt one. */
const KNOWN_LOWER = KNOWN_PROJECT_ROLES.map((role) => role.toLowerCase());

/** Props of {@link ProjectInvitations}. */
export interface ProjectInvitationsProps {
  /**
   * Where the invitations live: `InvitationTarget.atlas()` or `InvitationTarget.opsManager({ baseUrl })`.
   * The target kind and canonical base URL are part of each entry's identity.
   *
   * @see https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/MongoDB-Cloud-Users
   */
  readonly target: InvitationTarget;
  /**
   * Who should be invited (`{ groupId, username, roles }`) and which invitations made elsewhere are adopted
   * (`{ groupId, invitationId }`). Removing an entry (in a later apply) cancels its pending invitation.
   * Identical duplicates count once. More can be added with {@link ProjectInvitations.add}.
   *
   * @default []
   */
  readonly invitations?: InvitationEntry[];
  /**
   * What removing a person whose invitation was accepted does: `false` leaves the member in the project
   * (and says so), `true` removes the member from the project.
   *
   * @default false
   */
  readonly removeAcceptedMembers?: boolean;
  /**
   * Which resource type carries the provisioners. `terraform_data` needs Terraform >= 1.4 (or OpenTofu)
   * and no provider. `null_resource` needs the `hashicorp/null` provider and the `@cdktf/provider-null`
   * package; there every value is a trigger, so changing ANY setting (even a timeout) replaces the
   * instances, cancelling and re-sending the invitations.
   *
   * @default 'terraform_data'
   */
  readonly resourceType?: 'terraform_data' | 'null_resource';
  /**
   * Names of the environment variables the CLI reads credentials from, so that several targets or
   * organizations can live in one stack. Only names are written to configuration and state; when any is
   * given, only the named variables are read.
   *
   * @default - the variables MongoDB's own tools read (`MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_PUBLIC_API_KEY`,
   *   `MCLI_PUBLIC_API_KEY`, …)
   */
  readonly credentials?: InvitationCredentials;
  /**
   * Per-attempt timeout of each request, in milliseconds, from 1 to 600000.
   *
   * @default - `MONGODB_INVITATIONS_TIMEOUT_MS` in the environment of `terraform apply`, else 30000
   */
  readonly timeoutMs?: number;
  /**
   * Retries after the first attempt (429, 5xx and network errors only), from 0 to 20.
   *
   * @default - `MONGODB_INVITATIONS_MAX_RETRIES` in the environment of `terraform apply`, else 3
   */
  readonly maxRetries?: number;
  /**
   * Directory of the service-account token cache shared by the CLI processes (an absolute path), or
   * `'off'` to fetch a token in every process (each revokes its token when done). A relative path is
   * refused: under Terraform it would put tokens in the stack directory.
   *
   * @default - `MONGODB_INVITATIONS_TOKEN_CACHE` in the environment of `terraform apply`, else a private
   *   directory under the user's cache directory
   */
  readonly tokenCache?: string;
}

/**
 * People invited to MongoDB projects, and invitations adopted by id, declared in code. `terraform apply`
 * invites a declared person (and checks an adopted invitation is pending); removing an entry, or
 * destroying the stack, cancels the pending invitation.
 *
 * Every ProjectInvitations of a stack adds its entries to ONE stack-wide `locals` map, iterated by two
 * blocks with the same keys `<target>/<groupId>/<username or invitationId>`: the identity block
 * (`terraform_data.mongodb_invitations`, revokes on destroy) and the roles block
 * (`terraform_data.mongodb_invitation_roles`, invites on create, so a role change is set in place).
 * Renaming, splitting or merging these constructs changes nothing on the server. Removing the last one of
 * a stack removes the blocks and revokes nothing: empty its set first, apply, then delete it.
 *
 * @example
 * const team = new ProjectInvitations(stack, 'team', {
 *   target: InvitationTarget.atlas(),
 *   invitations: [{ groupId: '5f0c1a2b3c4d5e6f7a8b9c0d', username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] }],
 * });
 * team.add({ groupId: '5f0c1a2b3c4d5e6f7a8b9c0d', invitationId: '6a1b2c3d4e5f60718293a4b6' });
 */
export class ProjectInvitations extends Construct {
  /** The target the invitations live in. */
  public readonly target: InvitationTarget;
  /** The resource type that carries the provisioners. */
  public readonly resourceType: ResourceType;
  /**
   * The stack-wide identity block, `terraform_data.mongodb_invitations` (shared by every
   * ProjectInvitations of the stack with this resource type): its destroy-time provisioner revokes.
   */
  public readonly resource: TerraformResource;
  /**
   * The stack-wide roles block, `terraform_data.mongodb_invitation_roles`, same keys: its create-time
   * provisioner invites, and sets the roles in place when they change.
   */
  public readonly rolesResource: TerraformResource;

  private readonly ownKeys = new Set<string>();
  private readonly baseUrl: string;
  private readonly settings: ReturnType<typeof settingTexts>;

  constructor(scope: Construct, id: string, props: ProjectInvitationsProps) {
    super(scope, id);
    const given = props ?? ({} as ProjectInvitationsProps);
    const invitations: unknown = given.invitations ?? [];
    const problems = [...checkTarget(given.target), ...checkSettings(given)];
    if (!Array.isArray(invitations)) {
      problems.push(
        'invitations must be an array of { groupId, username, roles } or { groupId, invitationId }',
      );
    } else {
      invitations.forEach((entry: InvitationEntry, i) =>
        problems.push(...checkEntry(`invitations[${i}]`, entry)),
      );
    }
    if (problems.length > 0) throw new InvalidProjectInvitationsError(this.node.path, problems);

    this.target = given.target;
    this.resourceType = given.resourceType ?? 'terraform_data';
    const canonical = canonicalBaseUrl(this.target.kind, this.target.baseUrl, {
      allowInsecureHttp: this.target.allowInsecureHttp === true,
    });
    this.baseUrl = canonical.ok ? canonical.url : '';
    this.settings = settingTexts(given);
    warnIfBaseUrlIgnored(this, this.target.kind, this.baseUrl);
    const blocks = StackInvitations.of(this).blocksOf(this.resourceType);
    this.resource = blocks.identity;
    this.rolesResource = blocks.roles;
    this.declare(invitations as InvitationEntry[], (i) => `invitations[${i}]`);
  }

  /** Declares more entries (identical duplicates count once). Throws if one is invalid or conflicts. */
  public add(...invitations: InvitationEntry[]): void {
    const label = (i: number) => (invitations.length === 1 ? 'add()' : `add()[${i}]`);
    const problems = invitations.flatMap((entry, i) => checkEntry(label(i), entry));
    if (problems.length > 0) throw new InvalidProjectInvitationsError(this.node.path, problems);
    this.declare(invitations, label);
  }

  /** This construct's `for_each` keys, `<target>/<groupId>/<username or invitationId>`, in declaration order. */
  public get keys(): string[] {
    return [...this.ownKeys];
  }

  /** The identity block's address, `terraform_data.mongodb_invitations`; add `["<key>"]` for one instance. */
  public get address(): string {
    return `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}`;
  }

  /**
   * The roles block's address, `terraform_data.mongodb_invitation_roles`: `terraform apply
   * -replace='<rolesAddress>["<key>"]'` invites that person again (the identity instance would revoke).
   */
  public get rolesAddress(): string {
    return `${this.rolesResource.terraformResourceType}.${this.rolesResource.friendlyUniqueId}`;
  }

  private declare(entries: readonly InvitationEntry[], label: (i: number) => string): void {
    const registry = StackInvitations.of(this);
    const problems: string[] = [];
    entries.forEach((entry, i) => {
      const { key, values } = this.valuesOf(entry, label(i));
      try {
        registry.declare(key, values, this.resourceType, this.node.path);
        this.ownKeys.add(key);
      } catch (error) {
        if (!(error instanceof ConflictingEntryError)) throw error;
        problems.push(`${label(i)}: ${error.problem}`);
      }
    });
    if (problems.length > 0) throw new InvalidProjectInvitationsError(this.node.path, problems);
  }

  private valuesOf(entry: InvitationEntry, label: string): { key: string; values: EntryValues } {
    const { kind } = this.target;
    const person = 'username' in entry;
    const username = person ? entry.username.toLowerCase() : '';
    const roles = person ? canonicalRoles(entry.roles) : '';
    if (person) {
      const unknown = entry.roles.filter((r) => !KNOWN_PROJECT_ROLES.includes(r));
      if (unknown.length > 0) {
        const hints = unknown
          .map((role) => [role, nearest(role.toLowerCase(), KNOWN_LOWER)] as const)
          .filter(([, near]) => near !== undefined)
          .map(([role, near]) => `${role}: did you mean ${String(near).toUpperCase()}?`);
        Annotations.of(this).addWarning(
          `${label}.roles: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the project roles this version knows (${KNOWN_PROJECT_ROLES.length} roles); MongoDB adds roles, so it is sent as written — check the spelling${hints.length > 0 ? ` (${hints.join('; ')})` : ''}`,
        );
      }
    }
    const invitationId = person ? '' : entry.invitationId;
    const s = this.settings;
    const values: EntryValues = {
      target: kind,
      base_url: this.baseUrl,
      group_id: entry.groupId,
      invitation_id: invitationId,
      username,
      roles,
      // '' when not set: the ambient api variable (lib/contract ambientName) of terraform apply, else Cloud Users.
      api: kind === 'atlas' && person ? (this.target.api ?? '') : '',
      auth: this.target.auth ?? '',
      timeout_ms: s.timeout_ms ?? '',
      max_retries: s.max_retries ?? '',
      token_cache: s.token_cache ?? '',
      client_id_env: s.client_id_env ?? '',
      client_secret_env: s.client_secret_env ?? '',
      public_key_env: s.public_key_env ?? '',
      private_key_env: s.private_key_env ?? '',
      access_token_env: s.access_token_env ?? '',
      remove_accepted: person ? (s.remove_accepted ?? '') : '',
      allow_insecure_http: this.target.allowInsecureHttp === true ? 'true' : '',
    };
    const key = entryKey(kind, this.baseUrl, entry.groupId, person ? { username } : { invitationId });
    return { key, values };
  }
}
