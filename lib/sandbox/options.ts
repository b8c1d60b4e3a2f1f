// The sandbox's options, their defaults, and the demo credentials it accepts when given none.
import type { InvitationRateLimit } from './invitation-limit';
import type { SandboxCredentials, SeedInput } from './types';

export interface SandboxOptions {
  /**
   * Interface to listen on. Anything but loopback makes the API reachable from other machines (the
   * admin path still answers loopback callers only).
   *
   * @default '127.0.0.1'
   */
  host?: string;
  /** @default 0 (an ephemeral port; read `url`) */
  port?: number;
  /**
   * What the sandbox accepts. Each list given replaces that list of the defaults.
   *
   * @default SANDBOX_DEMO_CREDENTIALS (one API key, one service account, one access token)
   */
  credentials?: {
    apiKeys?: { publicKey: string; privateKey: string }[];
    serviceAccounts?: { clientId: string; clientSecret: string }[];
    accessTokens?: string[];
  };
  /** How long a Digest nonce is good for; after it, requests answer 401 with stale=true. @default 300000 */
  nonceLifetimeMs?: number;
  /** When set, Digest challenges carry this `opaque` and requests must echo it. Atlas sends none. */
  digestOpaque?: string;
  /** `expires_in` of issued tokens. @default 3600 */
  tokenLifetimeSeconds?: number;
  /** Live tokens per service account; one more answers 403 access_denied. @default 100 */
  maxTokensPerClient?: number;
  /** Token-endpoint limit; beyond it 429 RATE_LIMITED. `false` for none. @default 50 per 60000 ms */
  tokenRateLimit?: { requests: number; perMs: number } | false;
  /**
   * The Atlas RateLimit headers' window per caller. With `enforce`, a caller over the limit gets
   * 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After.
   *
   * @default { limit: 1200, windowMs: 60000, enforce: false }
   */
  apiRateLimit?: { limit?: number; windowMs?: number; enforce?: boolean };
  /** When given, only these project ids exist; others answer 404 GROUP_NOT_FOUND. @default - every id exists */
  knownGroups?: string[];
  /** The Atlas `Sunset` header; after this date Atlas routes answer 410 VERSION_GONE. */
  sunset?: string;
  /** The Atlas `Deprecation` header. @default 'Wed, 4 Oct 2023 00:00:00 GMT' */
  deprecation?: string;
  /** What an Ops Manager DELETE answers: 204, or 200 `{}` as its doc page describes. @default 'no-content' */
  opsManagerDeleteAnswer?: 'no-content' | 'empty-object';
  /**
   * Invitations and people to start with: `{"invitations": [...]}` or a bare list, each entry an
   * invitation (`{groupId, id?, username, roles, target?}`), an id entry (`{groupId, invitationId}`) or a
   * person (`{groupId, username, roles, api?}`). See docs/sandbox.md.
   */
  seed?: SeedInput;
  /**
   * Atlas's limit on creating invitations per client IP address, over the invites and Cloud Users POSTs
   * together: beyond it, 400 INVITATIONS_RATE_LIMITED_IP (with a Retry-After the real Atlas may not send).
   * `'off'` for none.
   *
   * @default { count: 10, windowMs: 60000 }
   */
  invitationRateLimit?: InvitationRateLimit | 'off';
  /**
   * Ops Manager's "Bypass Invitation Mode": an Ops Manager invitation POST adds the user to the project
   * directly (listed at GET /api/public/v1.0/groups/{g}/users) and returns no invitation.
   *
   * @default false
   */
  bypassInvitationMode?: boolean;
  /** Also append the request log to this file as JSON lines (mode 0600). */
  requestLogFile?: string;
  /** The clock (ms since the epoch): drives expiry of invitations, nonces and tokens. @default Date.now */
  now?: () => number;
}

/**
 * Sandbox-only credentials, fixed so that scripts and docs can name them. They open nothing but a
 * sandbox; pass your own (or the CLI's --generate-credentials) when the sandbox is reachable by others.
 */
export const SANDBOX_DEMO_CREDENTIALS: SandboxCredentials = Object.freeze({
  apiKeys: [{ publicKey: 'sandbox-public-key', privateKey: 'sandbox-private-key' }],
  serviceAccounts: [{ clientId: 'mdb_sa_id_sandbox', clientSecret: 'mdb_sa_sk_sandbox' }],
  accessTokens: ['sandbox-access-token'],
});

export function resolveCredentials(given: SandboxOptions['credentials']): SandboxCredentials {
  return {
    apiKeys: (given?.apiKeys ?? SANDBOX_DEMO_CREDENTIALS.apiKeys).map((key) => ({ ...key })),
    serviceAccounts: (given?.serviceAccounts ?? SANDBOX_DEMO_CREDENTIALS.serviceAccounts).map((sa) => ({
      ...sa,
    })),
    accessTokens: [...(given?.accessTokens ?? SANDBOX_DEMO_CREDENTIALS.accessTokens)],
  };
}
