// Ops Manager / Cloud Manager project members after authentication: GET …/groups/{g}/users (paginated),
// DELETE …/users/{userId} (204, or 200 {} like invites). Members come from accept and Bypass Invitation Mode.
// Reference: docs/sandbox.md, "Members".
import type { Reply } from '../http';
import { opsManagerUserView, type MemberStore } from '../member-store';
import { OBJECT_ID } from '../store';
import { checkGroup, malformedId, methodNotAllowed, notFound, type RouteRequest } from './common';
import type { OpsUsersRoute } from './match';
import { paginate } from './paging';

/** Sandbox's choice for a user who is not a member of the project (unconfirmed). */
export const USER_NOT_IN_GROUP = 'USER_NOT_IN_GROUP';

export interface OpsUsersContext {
  readonly members: MemberStore;
  readonly knownGroups: ReadonlySet<string> | undefined;
  readonly opsManagerEmptyObject: boolean;
}

export function handleOpsUsers(ctx: OpsUsersContext, route: OpsUsersRoute, request: RouteRequest): Reply {
  const { method, query } = request;
  const { groupId, userId } = route;
  const bad = checkGroup(groupId, ctx.knownGroups);
  if (bad) return bad;
  if (userId === undefined) {
    if (method !== 'GET') return methodNotAllowed(method, 'GET');
    const users = ctx.members.list(groupId).map(opsManagerUserView);
    const listed = paginate(users, query, `${request.baseUrl}/api/public/v1.0/groups/${groupId}/users`);
    return 'reply' in listed ? listed.reply : { status: 200, body: listed.page };
  }
  if (!OBJECT_ID.test(userId)) return malformedId('userId', userId);
  if (method !== 'DELETE') return methodNotAllowed(method, 'DELETE');
  if (!ctx.members.remove(groupId, userId)) {
    return notFound(USER_NOT_IN_GROUP, `User ${userId} is not a member of group ${groupId}.`, userId);
  }
  return ctx.opsManagerEmptyObject ? { status: 200, body: {} } : { status: 204 };
}
