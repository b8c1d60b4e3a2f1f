// The invitations resource of both invites APIs (prefix /api/atlas/v2 or /api/public/v1.0) after
// authentication: list, create, PATCH roles, get, cancel (a missing one → 404 ApiError).
// Routes and answers: docs/sandbox.md, "The invites API".
import type { Reply } from '../http';
import type { MemberStore } from '../member-store';
import { OBJECT_ID, type InvitationStore } from '../store';
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
import type { InviteRoute } from './match';

export type { InviteRoute } from './match';

/**
 * The errorCode of a missing, expired, cancelled or accepted invitation. MongoDB's real code for this case
 * is unconfirmed (no recorded response exists): this is the sandbox's choice. Clients must branch on
 * "404 with an ApiError body", never on this string.
 */
export const INVITATION_NOT_FOUND = 'INVITATION_NOT_FOUND';

export interface InvitesContext {
  readonly store: InvitationStore;
  readonly knownGroups: ReadonlySet<string> | undefined;
  readonly opsManagerEmptyObject: boolean;
  /** Ops Manager with "Bypass Invitation Mode": a POST adds the member at once (see createInvitation). */
  readonly bypassMembers?: MemberStore;
}

const missing = (groupId: string, detail: string, parameter: string): Reply =>
  notFound(INVITATION_NOT_FOUND, `${detail} in group ${groupId}.`, parameter);

export function handleInvites(ctx: InvitesContext, route: InviteRoute, request: RouteRequest): Reply {
  const { method, query } = request;
  const { groupId, invitationId } = route;
  const bad = checkGroup(groupId, ctx.knownGroups);
  if (bad) return bad;
  if (invitationId === undefined) {
    if (method === 'GET')
      return { status: 200, body: ctx.store.list(groupId, query.get('username') ?? undefined) };
    if (method === 'POST') return createInvitation(ctx, route, request);
    if (method === 'PATCH') return updateRoles(ctx, route, request);
    return methodNotAllowed(method, 'GET, POST, PATCH');
  }
  if (!OBJECT_ID.test(invitationId)) return malformedId('invitationId', invitationId);
  if (method === 'PATCH') return updateRoles(ctx, route, request);
  if (method !== 'GET' && method !== 'DELETE') return methodNotAllowed(method, 'GET, PATCH, DELETE');
  const store = ctx.store;
  const found = method === 'GET' ? store.get(groupId, invitationId) : store.delete(groupId, invitationId);
  if (!found) return missing(groupId, `No pending invitation with ID ${invitationId} exists`, invitationId);
  if (method === 'GET') return { status: 200, body: found };
  // Ops Manager's doc page says it "returns an empty JSON object"; the sandbox can answer either way.
  return route.target === 'ops-manager' && ctx.opsManagerEmptyObject
    ? { status: 200, body: {} }
    : { status: 204 };
}

function createInvitation(ctx: InvitesContext, route: InviteRoute, request: RouteRequest): Reply {
  const parsed = bodyObject(request.body, '{"username", "roles"}');
  if ('reply' in parsed) return parsed.reply;
  const { username, roles } = parsed.value;
  const problems = checkPerson(username, roles);
  if (problems.length > 0) return invalid(problems);
  const person = { groupId: route.groupId, username: username as string, roles: roles as string[] };
  if (ctx.bypassMembers) {
    ctx.bypassMembers.add(person.groupId, person.username, person.roles);
    // Unconfirmed: Ops Manager's doc page says only that with Bypass Invitation Mode it "adds the user to
    // the project immediately and doesn't return an invitation". The sandbox answers 200 with `{}`.
    return { status: 200, body: {} };
  }
  return { status: 200, body: ctx.store.add(person, inviterEmail(request.principal)) };
}

/** PATCH …/invites {username, roles} or PATCH …/invites/{id} {roles}: the pending invitation's new roles. */
function updateRoles(ctx: InvitesContext, route: InviteRoute, request: RouteRequest): Reply {
  const { groupId, invitationId } = route;
  const shape = invitationId === undefined ? '{"username", "roles"}' : '{"roles"}';
  const parsed = bodyObject(request.body, shape);
  if ('reply' in parsed) return parsed.reply;
  const { username, roles } = parsed.value;
  const problems = checkPerson(invitationId === undefined ? username : 'id@given', roles);
  if (problems.length > 0) return invalid(problems);
  const current =
    invitationId === undefined
      ? ctx.store.list(groupId, username as string)[0]
      : ctx.store.get(groupId, invitationId);
  if (!current) {
    const what = invitationId ?? (username as string);
    return missing(groupId, `No pending invitation for ${what} exists`, what);
  }
  const { id, createdAt, expiresAt, inviterUsername } = current;
  const seed = { groupId, id, username: current.username, roles: roles as string[], createdAt, expiresAt };
  return { status: 200, body: ctx.store.add(seed, inviterUsername) };
}
