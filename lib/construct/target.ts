/** How the revoke command authenticates; leave it unset to let it choose from the variables that are set. */
export type InvitationAuth = 'digest' | 'service-account' | 'token';

import type { AtlasApi } from '../contract/settings';

/** Which Atlas API person entries use; id entries are invites-API invitations by definition. */
export type { AtlasApi };

/** Options of {@link InvitationTarget.atlas}. */
export interface AtlasTargetOptions {
  /**
   * Base URL of the Atlas Admin API (for example Atlas for Government, `https://cloud.mongodbgov.com`).
   *
   * Part of each invitation's identity, compared in canonical form (scheme and host in lower case, no
   * default port, no trailing slash): changing it to another URL revokes every invitation at the old one.
   *
   * @default 'https://cloud.mongodb.com'
   */
  readonly baseUrl?: string;
  /**
   * The API person entries are invited through: the Cloud Users API (version 2025-02-19, no sunset) or
   * the deprecated invites API (sunset 2027-07-01). A person's revoke looks at both while the invites
   * API answers. Changing it is a setting, not an identity: nothing is revoked.
   *
   * @default 'cloud-users'
   */
  readonly api?: AtlasApi;
  /**
   * Allow a plain-http base URL on a host other than loopback (a private network). Says so in a warning.
   *
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
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
   * Part of each invitation's identity, compared in canonical form: changing it to another URL revokes
   * every invitation at the old one.
   */
  readonly baseUrl: string;
  /**
   * Allow a plain-http base URL on a host other than loopback (an Ops Manager on a private network).
   *
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
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
  /** Atlas Admin API v2: people through the Cloud Users API (or `api: 'invites'`), ids through the invites API. */
  public static atlas(options: AtlasTargetOptions = {}): InvitationTarget {
    return new InvitationTarget(
      'atlas',
      options.baseUrl,
      options.auth,
      options.api,
      options.allowInsecureHttp,
    );
  }

  /** Ops Manager or Cloud Manager public API v1.0: `{baseUrl}/api/public/v1.0/groups/{groupId}/invites`. */
  public static opsManager(options: OpsManagerTargetOptions): InvitationTarget {
    return new InvitationTarget(
      'ops-manager',
      options?.baseUrl,
      options?.auth,
      undefined,
      options?.allowInsecureHttp,
    );
  }

  private constructor(
    /** `atlas` or `ops-manager`, as the revoke command's `--target` spells it. */
    public readonly kind: 'atlas' | 'ops-manager',
    /** The base URL as given; undefined for Atlas's default. */
    public readonly baseUrl: string | undefined,
    /** The authentication mode as given; undefined for automatic. */
    public readonly auth: InvitationAuth | undefined,
    /** Atlas only: the API person entries use; undefined for the default (Cloud Users). */
    public readonly api: AtlasApi | undefined = undefined,
    /** Plain http to a non-loopback host was allowed explicitly. */
    public readonly allowInsecureHttp: boolean | undefined = undefined,
  ) {}
}
