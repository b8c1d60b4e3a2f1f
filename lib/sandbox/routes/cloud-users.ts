// Atlas Cloud Users API (2025-02-19) after authentication: list, create, get, delete, :addRole, :removeRole.
// Error codes for a missing user, a conflict and the last role are the sandbox's choice (unconfirmed).
// Routes and answers: docs/sandbox.md, "The Cloud Users API".
import { apiError, type Reply } from '../http';
import { CloudUserStore, ORG_MEMBERSHIP_STATUSES, viewOf, type CloudUserRecord } from '../cloud-users-store';
import { OBJECT_ID } from '../store';
import type { OrgMembershipStatus } from '../types';
import {
  bodyObject,
  checkGroup,
  checkPerson,
  invalid,
  inviterEmail,
  malformedId,
  methodNotAllowed,
  notFound,
  type RouteRequest,
} from './common';
import type { CloudUsersRoute } from './match';
import { paginate } from './paging';

export const USER_NOT_FOUND = 'USER_NOT_FOUND';
export const USER_ALREADY_IN_GROUP = 'USER_ALREADY_IN_GROUP';
export const CANNOT_REMOVE_LAST_ROLE = 'CANNOT_REMOVE_LAST_ROLE';

const DEFAULT_STATUSES: ReadonlySet<OrgMembershipStatus> = new Set(['ACTIVE', 'PENDING']);

export interface CloudUsersContext {
  readonly store: CloudUserStore;
  readonly knownGroups: ReadonlySet<string> | undefined;
}

/** The statuses a query asks for (`orgMembershipStatuses`, repeatable, or the deprecated singular). */
function statusesOf(query: URLSearchParams): ReadonlySet<OrgMembershipStatus> | Reply {
  const many = query.getAll('orgMembershipStatuses');
  const one = query.getAll('orgMembershipStatus');
  if (many.length > 0 && one.length > 0) {
    return invalid(['orgMembershipStatuses cannot be combined with the deprecated orgMembershipStatus']);
  }
  const given = many.length > 0 ? many : one;
  if (given.length === 0) return DEFAULT_STATUSES;
  const wrong = given.find((s) => !ORG_MEMBERSHIP_STATUSES.includes(s as OrgMembershipStatus));
  if (wrong !== undefined)
    return invalid([
      `orgMembershipStatuses must be one of ${ORG_MEMBERSHIP_STATUSES.join(', ')} (value: ${wrong})`,
    ]);
  if (given.length > 4) return invalid(['orgMembershipStatuses may be given at most 4 times']);
  return new Set(given as OrgMembershipStatus[]);
}

const isReply = (value: unknown): value is Reply => !(value instanceof Set);

export function handleCloudUsers(
  ctx: CloudUsersContext,
  route: CloudUsersRoute,
  request: RouteRequest,
): Reply {
  const { method, query } = request;
  const { groupId, userId, action } = route;
  const bad = checkGroup(groupId, ctx.knownGroups);
  if (bad) return bad;
  if (userId === undefined) {
    if (method === 'GET') {
      const statuses = statusesOf(query);
      if (isReply(statuses)) return statuses;
      const users = ctx.store.list(groupId, statuses, query.get('username') ?? undefined);
      const listed = paginate(users, query, `${request.baseUrl}/api/atlas/v2/groups/${groupId}/users`);
      return 'reply' in listed ? listed.reply : { status: 200, body: listed.page };
    }
    if (method === 'POST') return addUser(ctx, groupId, request);
    return methodNotAllowed(method, 'GET, POST');
  }
  if (!OBJECT_ID.test(userId)) return malformedId('userId', userId);
  if (action !== undefined) {
    if (method !== 'POST') return methodNotAllowed(method, 'POST');
    return changeRole(ctx, groupId, userId, action, request.body);
  }
  if (method === 'DELETE') {
    return ctx.store.remove(groupId, userId) ? { status: 204 } : userNotFound(groupId, userId);
  }
  if (method !== 'GET') return methodNotAllowed(method, 'GET, DELETE');
  const statuses = statusesOf(query);
  if (isReply(statuses)) return statuses;
  const user = ctx.store.get(groupId, userId);
  if (!user || !statuses.has(user.status)) return userNotFound(groupId, userId);
  return { status: 200, body: viewOf(user) };
}

function userNotFound(groupId: string, userId: string): Reply {
  return notFound(USER_NOT_FOUND, `No user with ID ${userId} exists in group ${groupId}.`, userId);
}

function addUser(ctx: CloudUsersContext, groupId: string, request: RouteRequest): Reply {
  const parsed = bodyObject(request.body, '{"username", "roles"}');
  if ('reply' in parsed) return parsed.reply;
  const { username, roles } = parsed.value;
  const problems = checkPerson(username, roles);
  if (problems.length > 0) return invalid(problems);
  const result = ctx.store.invite(
    groupId,
    username as string,
    roles as string[],
    inviterEmail(request.principal),
  );
  if ('created' in result) return { status: 201, body: viewOf(result.created) };
  const { status, username: existing } = result.conflict;
  const detail = `User ${existing} is already ${status} in group ${groupId}.`;
  return {
    status: 409,
    body: apiError(409, USER_ALREADY_IN_GROUP, detail, { parameters: [existing, groupId] }),
  };
}

function changeRole(
  ctx: CloudUsersContext,
  groupId: string,
  userId: string,
  action: 'addRole' | 'removeRole',
  body: string,
): Reply {
  const parsed = bodyObject(body, '{"groupRole"}');
  if ('reply' in parsed) return parsed.reply;
  const role = parsed.value.groupRole;
  if (typeof role !== 'string' || role.length === 0) return invalid(['groupRole must be a role name']);
  const user: CloudUserRecord | undefined = ctx.store.get(groupId, userId);
  // Roles change for active users and for users invited to the project (the spec), not for expired ones.
  if (!user || !DEFAULT_STATUSES.has(user.status)) return userNotFound(groupId, userId);
  if (action === 'addRole') {
    // Adding a role the user holds changes nothing (sandbox's choice: 200, unconfirmed).
    if (!user.roles.includes(role)) user.roles = [...user.roles, role];
    return { status: 200, body: viewOf(user) };
  }
  if (user.roles.length === 1 && user.roles[0] === role) {
    // "A user must have at least one role at all times" (the spec); 409 is the sandbox's choice.
    const detail = `${role} is the only role of user ${userId}; add another role before removing it.`;
    return { status: 409, body: apiError(409, CANNOT_REMOVE_LAST_ROLE, detail, { parameters: [role] }) };
  }
  user.roles = user.roles.filter((r) => r !== role);
  return { status: 200, body: viewOf(user) };
}
