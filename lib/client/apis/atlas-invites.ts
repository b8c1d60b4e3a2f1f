// Atlas invites API (version 2023-01-01, deprecated, sunset 2027-07-01): `/api/atlas/v2/groups/{g}/invites`.
// Invitations made here (or in the UI) are found and cancelled only here. Pure: requests and parsing.
// See docs/decisions/0005-cloud-users-api-by-default.md.
import { listItems, parseInvitation, queryOf, type ApiRequest, type PersonRecord } from './person';

export const ATLAS_INVITES_ACCEPT = 'application/vnd.atlas.2023-01-01+json';

const base = (groupId: string): string => `/api/atlas/v2/groups/${groupId}/invites`;

/** `GET …/invites?username=`: the pending invitations of one username (or all), a plain array. */
export function listInvitesRequest(groupId: string, username?: string): ApiRequest {
  return { method: 'GET', path: base(groupId), query: queryOf({ username }), accept: ATLAS_INVITES_ACCEPT };
}

/** `POST …/invites` `{username, roles}`: answers 200 with the new `GroupInvitation`. Not idempotent. */
export function createInviteRequest(groupId: string, username: string, roles: readonly string[]): ApiRequest {
  return {
    method: 'POST',
    path: base(groupId),
    query: '',
    accept: ATLAS_INVITES_ACCEPT,
    body: { username, roles: [...roles] },
  };
}

/** `PATCH …/invites/{invitationId}` `{roles}`: sets the roles of a pending invitation. */
export function updateInviteRolesRequest(
  groupId: string,
  invitationId: string,
  roles: readonly string[],
): ApiRequest {
  return {
    method: 'PATCH',
    path: `${base(groupId)}/${invitationId}`,
    query: '',
    accept: ATLAS_INVITES_ACCEPT,
    body: { roles: [...roles] },
  };
}

/** `DELETE …/invites/{invitationId}`: cancels a pending invitation (204). */
export function cancelInviteRequest(groupId: string, invitationId: string): ApiRequest {
  return {
    method: 'DELETE',
    path: `${base(groupId)}/${invitationId}`,
    query: '',
    accept: ATLAS_INVITES_ACCEPT,
  };
}

/** The invitations of a list answer, tagged 'invites'; undefined when the body is not a list. */
export function parseInvites(body: unknown): PersonRecord[] | undefined {
  const items = listItems(body);
  return items?.map((i) => parseInvitation('invites', i)).filter((r): r is PersonRecord => r !== undefined);
}

/** The invitation of a create or update answer, or undefined when it carries no id. */
export function parseInvite(body: unknown): PersonRecord | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return parseInvitation('invites', body as Record<string, unknown>);
}

/** The `GroupInvitation` fields the parser reads (checked against MongoDB's spec in the tests). */
export const INVITATION_FIELDS = [
  'id',
  'username',
  'roles',
  'createdAt',
  'expiresAt',
  'inviterUsername',
] as const;
