// Atlas Cloud Users API (version 2025-02-19, no sunset), `/api/atlas/v2/groups/{g}/users`: add (201, 409),
// list PENDING/ACTIVE (paginated), remove, `:addRole`/`:removeRole`. Blind to invites-API invitations. Pure.
// Why people use it by default: docs/decisions/0005-cloud-users-api-by-default.md.
import {
  ITEMS_PER_PAGE,
  listItems,
  queryOf,
  stringField,
  totalCountOf,
  withOptional,
  type ApiRequest,
  type MembershipStatus,
  type Page,
  type PersonRecord,
} from './person';

export const CLOUD_USERS_ACCEPT = 'application/vnd.atlas.2025-02-19+json';

const STATUSES: readonly string[] = ['PENDING', 'ACTIVE', 'INVITATION_EXPIRED', 'INVITATION_REJECTED'];

const base = (groupId: string): string => `/api/atlas/v2/groups/${groupId}/users`;

/**
 * `GET …/users?username=&orgMembershipStatuses=…&itemsPerPage=500&pageNum=N`: one page of users with
 * the given statuses (repeatable filter), optionally of one username.
 */
export function listUsersRequest(
  groupId: string,
  filter: { username?: string; statuses: readonly MembershipStatus[]; pageNum: number },
): ApiRequest {
  return {
    method: 'GET',
    path: base(groupId),
    query: queryOf({
      username: filter.username,
      orgMembershipStatuses: filter.statuses,
      itemsPerPage: ITEMS_PER_PAGE,
      pageNum: filter.pageNum,
    }),
    accept: CLOUD_USERS_ACCEPT,
  };
}

/** `POST …/users` `{username, roles}`: answers 201 with the user (PENDING, or ACTIVE for org members). */
export function addUserRequest(groupId: string, username: string, roles: readonly string[]): ApiRequest {
  return {
    method: 'POST',
    path: base(groupId),
    query: '',
    accept: CLOUD_USERS_ACCEPT,
    body: { username, roles: [...roles] },
  };
}

/** `POST …/users/{userId}:addRole` or `:removeRole` `{groupRole}`: one project role. */
export function changeRoleRequest(
  groupId: string,
  userId: string,
  change: 'addRole' | 'removeRole',
  role: string,
): ApiRequest {
  return {
    method: 'POST',
    path: `${base(groupId)}/${userId}:${change}`,
    query: '',
    accept: CLOUD_USERS_ACCEPT,
    body: { groupRole: role },
  };
}

/** `DELETE …/users/{userId}`: removes a pending user (cancels the invitation) or an active member. */
export function removeUserRequest(groupId: string, userId: string): ApiRequest {
  return { method: 'DELETE', path: `${base(groupId)}/${userId}`, query: '', accept: CLOUD_USERS_ACCEPT };
}

/** One `GroupUserResponse`, or undefined when it lacks an id, username or known status. */
export function parseUser(item: unknown): PersonRecord | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const i = item as Record<string, unknown>;
  const id = stringField(i, 'id');
  const username = stringField(i, 'username');
  const status = stringField(i, 'orgMembershipStatus');
  if (id === undefined || username === undefined || status === undefined || !STATUSES.includes(status)) {
    return undefined;
  }
  const roles = Array.isArray(i.roles) ? i.roles.filter((r): r is string => typeof r === 'string') : [];
  return withOptional(
    { api: 'cloud-users', id, username, roles, status: status as MembershipStatus },
    {
      createdAt: stringField(i, 'invitationCreatedAt'),
      expiresAt: stringField(i, 'invitationExpiresAt'),
      inviterUsername: stringField(i, 'inviterUsername'),
    },
  );
}

/** One page of `PaginatedGroupUserView` (`results`, `totalCount`); undefined when it is not one. */
export function parseUsersPage(body: unknown): Page | undefined {
  const items = Array.isArray(body) ? undefined : listItems(body);
  if (!items) return undefined;
  const total = totalCountOf(body);
  return {
    records: items.map(parseUser).filter((r): r is PersonRecord => r !== undefined),
    size: items.length,
    ...(total === undefined ? {} : { totalCount: total }),
  };
}

/** The `GroupUserResponse` / `GroupPendingUserResponse` fields the parser reads (checked against the spec). */
export const USER_FIELDS = [
  'id',
  'username',
  'roles',
  'orgMembershipStatus',
  'invitationCreatedAt',
  'invitationExpiresAt',
  'inviterUsername',
] as const;
/** The `PaginatedGroupUserView` fields the parser reads. */
export const USER_PAGE_FIELDS = ['results', 'totalCount'] as const;
