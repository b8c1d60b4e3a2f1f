// The options of invitePerson and revokePerson, and which API a person operation uses on a target.
import { ATLAS_APIS, DEFAULT_ATLAS_API, type AtlasApi } from '../contract/settings';
import type { PersonApi } from './apis/person';
import type { Target } from './outcome';

/** Which Atlas API a person is invited through (Ops Manager always uses its invites API). */
export type AtlasPersonApi = AtlasApi;

/** What invitePerson needs. */
export interface InvitePersonOptions {
  /** The person's MongoDB username: an e-mail address. */
  readonly username: string;
  /** Project roles, at least one, such as GROUP_READ_ONLY; order does not matter. */
  readonly roles: readonly string[];
  /**
   * On Atlas, the Cloud Users API (version 2025-02-19, no sunset) or the deprecated invites API.
   * Ops Manager / Cloud Manager has only its invites API: leave this out or say 'invites' there.
   *
   * @default 'cloud-users'
   */
  readonly api?: AtlasPersonApi;
}

/** How revokePerson treats what it finds. */
export interface RevokePersonOptions {
  /**
   * Remove the person from the project when the invitation was accepted (an active member).
   *
   * @default false - the member is left alone and the outcome says 'accepted'
   */
  readonly removeAccepted?: boolean;
  /**
   * The Atlas API the person was invited through: looked at first. On Atlas both APIs are always
   * looked at (pending invitations made in the MongoDB UI live in the invites API). Ignored on Ops Manager.
   *
   * @default 'cloud-users'
   */
  readonly api?: AtlasPersonApi;
}

/**
 * The API a person operation uses: on Atlas the chosen one ('cloud-users' unless told), on Ops Manager
 * its invites API ('cloud-users' is refused there). Problems are returned for one ConfigurationError.
 */
export function resolvePersonApi(
  target: Target,
  api: AtlasPersonApi | undefined,
  label: string,
): { api: PersonApi; problems: (string | undefined)[] } {
  if (api !== undefined && !(ATLAS_APIS as readonly string[]).includes(api)) {
    return {
      api: DEFAULT_ATLAS_API,
      problems: [`${label}: api must be 'cloud-users' or 'invites' (value: ${JSON.stringify(String(api))})`],
    };
  }
  if (target === 'ops-manager') {
    const problem =
      api === 'cloud-users'
        ? `${label}: the Cloud Users API exists only on Atlas; Ops Manager uses its invites API (leave api out)`
        : undefined;
    return { api: 'ops-manager', problems: [problem] };
  }
  return { api: api ?? DEFAULT_ATLAS_API, problems: [] };
}
