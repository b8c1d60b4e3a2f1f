// Ops Manager / Cloud Manager public API v1.0 (application/json): `/api/public/v1.0/groups/{g}/invites`,
// and members at `/groups/{g}/users`. With Bypass Invitation Mode, POST adds the member and returns no
// invitation. Pure: requests and parsing.
import {
  ITEMS_PER_PAGE,
  listItems,
  parseInvitation,
  queryOf,
  stringField,
  totalCountOf,
  type ApiRequest,
  type Page,
  type PersonRecord,
} from './person';

export const OPS_MANAGER_ACCEPT = 'application/json';

const group = (groupId: string): string => `/api/public/v1.0/groups/${groupId}`;

/** `GET /groups/{g}/invites?username=`: pending invitations of one username (or all). */
export function listOpsInvitesRequest(groupId: string, username?: string): ApiRequest {
  return {
    method: 'GET',
    path: `${group(groupId)}/invites`,
    query: queryOf({ username }),
    accept: OPS_MANAGER_ACCEPT,
  };
}

/** `POST /groups/{g}/invites` `{username, roles}`: an invitation, or (bypass mode) a direct membership. */
export function createOpsInviteRequest(
  groupId: string,
  username: string,
  roles: readonly string[],
): ApiRequest {
  return {
    method: 'POST',
    path: `${group(groupId)}/invites`,
    query: '',
    accept: OPS_MANAGER_ACCEPT,
    body: { username, roles: [...roles] },
  };
}

/** `PATCH /groups/{g}/invites/{id}` `{roles}`: sets the roles of a pending invitation. */
export function updateOpsInviteRolesRequest(
  groupId: string,
  invitationId: string,
  roles: readonly string[],
): ApiRequest {
  return {
    method: 'PATCH',
    path: `${group(groupId)}/invites/${invitationId}`,
    query: '',
    accept: OPS_MANAGER_ACCEPT,
    body: { roles: [...roles] },
  };
}

/** `DELETE /groups/{g}/invites/{id}`: cancels a pending invitation. */
export function cancelOpsInviteRequest(groupId: string, invitationId: string): ApiRequest {
  return {
    method: 'DELETE',
    path: `${group(groupId)}/invites/${invitationId}`,
    query: '',
    accept: OPS_MANAGER_ACCEPT,
  };
}

/** `GET /groups/{g}/users?itemsPerPage=500&pageNum=N`: one page of the project's members. */
export function listOpsMembersRequest(groupId: string, pageNum: number): ApiRequest {
  return {
    method: 'GET',
    path: `${group(groupId)}/users`,
    query: queryOf({ itemsPerPage: ITEMS_PER_PAGE, pageNum }),
    accept: OPS_MANAGER_ACCEPT,
  };
}

/** `DELETE /groups/{g}/users/{userId}`: removes a member from the project. */
export function removeOpsMemberRequest(groupId: string, userId: string): ApiRequest {
  return {
    method: 'DELETE',
    path: `${group(groupId)}/users/${userId}`,
    query: '',
    accept: OPS_MANAGER_ACCEPT,
  };
}

/** The invitations of a list answer, tagged 'ops-manager'; undefined when the body is not a list. */
export function parseOpsInvites(body: unknown): PersonRecord[] | undefined {
  return listItems(body)
    ?.map((i) => parseInvitation('ops-manager', i))
    .filter((r): r is PersonRecord => r !== undefined);
}

/** The invitation a POST returned, or undefined (bypass mode: no invitation id, the user was added). */
export function parseOpsCreated(body: unknown): PersonRecord | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return parseInvitation('ops-manager', body as Record<string, unknown>);
}

/**
 * One page of members: users with a role in this project (`roles[].groupId`), with those roles' names.
 * Undefined when the body is not a `{results}` envelope.
 */
export function parseOpsMembersPage(body: unknown, groupId: string): Page | undefined {
  const items = Array.isArray(body) ? undefined : listItems(body);
  if (!items) return undefined;
  const records: PersonRecord[] = [];
  for (const item of items) {
    const id = stringField(item, 'id');
    const username = stringField(item, 'username') ?? stringField(item, 'emailAddress');
    if (id === undefined || username === undefined) continue;
    const roles = (Array.isArray(item.roles) ? item.roles : [])
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      .filter((r) => r.groupId === groupId && typeof r.roleName === 'string')
      .map((r) => r.roleName as string);
    if (roles.length > 0) records.push({ api: 'ops-manager', id, username, roles, status: 'ACTIVE' });
  }
  const total = totalCountOf(body);
  return { records, size: items.length, ...(total === undefined ? {} : { totalCount: total }) };
}
