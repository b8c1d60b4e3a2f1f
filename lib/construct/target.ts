/** How the revoke command authenticates; leave it unset to let it choose from the variables that are set. */
export type InvitationAuth = 'digest' | 'service-account' | 'token';

/** Options of {@link InvitationTarget.atlas}. */
export interface AtlasTargetOptions {
  /**
   * Base URL of the Atlas Admin API (for example Atlas for Government, `https://cloud.mongodbgov.com`).
   *
   * Part of each invitation's identity: changing it later revokes every invitation (at the old URL) and
   * records them again under the new one.
   *
   * @default - resolved when revoking: `MONGODB_ATLAS_BASE_URL` if set, else `https://cloud.mongodb.com`
   */
  readonly baseUrl?: string;
  /**
   * How to authenticate.
   *
   * @default - automatic: service account when its client id and secret are set, else API keys (Digest),
   *   else an access token
   */
  readonly auth?: InvitationAuth;
}

/** Options of {@link InvitationTarget.opsManager}. */
export interface OpsManagerTargetOptions {
  /**
   * Base URL of the Ops Manager (`https://ops.example.com:8443`) or of Cloud Manager
   * (`https://cloud.mongodb.com`). https only; plain http is accepted for loopback hosts.
   *
   * Part of each invitation's identity: changing it later revokes every invitation (at the old URL).
   */
  readonly baseUrl: string;
  /**
   * How to authenticate.
   *
   * @default - automatic (Ops Manager accepts API keys over HTTP Digest)
   */
  readonly auth?: InvitationAuth;
}

/**
 * Where invitations live: the Atlas Admin API v2 or an Ops Manager / Cloud Manager public API v1.0.
 *
 * @example
 * InvitationTarget.atlas();
 * InvitationTarget.opsManager({ baseUrl: 'https://ops.example.com:8443' });
 */
export class InvitationTarget {
  /** Atlas: `DELETE {baseUrl}/api/atlas/v2/groups/{groupId}/invites/{invitationId}`. */
  public static atlas(options: AtlasTargetOptions = {}): InvitationTarget {
    return new InvitationTarget('atlas', options.baseUrl, options.auth);
  }

  /** Ops Manager or Cloud Manager: `DELETE {baseUrl}/api/public/v1.0/groups/{groupId}/invites/{invitationId}`. */
  public static opsManager(options: OpsManagerTargetOptions): InvitationTarget {
    return new InvitationTarget('ops-manager', options?.baseUrl, options?.auth);
  }

  private constructor(
    /** `atlas` or `ops-manager`, as the revoke command's `--target` spells it. */
    public readonly kind: 'atlas' | 'ops-manager',
    /** The base URL as given; undefined for Atlas's default. */
    public readonly baseUrl: string | undefined,
    /** The authentication mode as given; undefined for automatic. */
    public readonly auth: InvitationAuth | undefined,
  ) {}
}
