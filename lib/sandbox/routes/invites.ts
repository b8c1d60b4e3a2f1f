// The invitations resource of both APIs, after authentication:
//   GET    {prefix}/groups/{groupId}/invites[?username=]   list (array)
//   POST   {prefix}/groups/{groupId}/invites               create {username, roles} → 200 GroupInvitation
//   GET    {prefix}/groups/{groupId}/invites/{id}          one
//   DELETE {prefix}/groups/{groupId}/invites/{id}          cancel → 204 (a missing one → 404 ApiError)
// with prefix /api/atlas/v2 (Atlas) or /api/public/v1.0 (Ops Manager / Cloud Manager).
import { apiError, parseJson, type Reply } from '../http';
import { checkSeed, OBJECT_ID, type InvitationStore } from '../store';
import type { SandboxTarget } from '../types';

export const ATLAS_PREFIX = '/api/atlas/v2';
export const OPS_MANAGER_PREFIX = '/api/public/v1.0';

/**
 * The errorCode of a missing, expired, cancelled or accepted invitation. MongoDB's real code for this case
 * is unconfirmed (no recorded response exists): this is the sandbox's choice. Clients must branch on
 * "404 with an ApiError body", never on this string.
 */
export const INVITATION_NOT_FOUND = 'INVITATION_NOT_FOUND';

export interface InviteRoute {
  readonly target: SandboxTarget;
  readonly groupId: string;
  readonly invitationId?: string;
}

const ROUTE = /^\/api\/(?:atlas\/v2|public\/v1\.0)\/groups\/([^/]+)\/invites(?:\/([^/]+))?\/?$/;

/** Matches an invitations path of either API, or undefined. */
export function matchInviteRoute(path: string): InviteRoute | undefined {
  const match = ROUTE.exec(path);
  if (!match?.[1]) return undefined;
  const target: SandboxTarget = path.startsWith(ATLAS_PREFIX) ? 'atlas' : 'ops-manager';
  const groupId = decodeURIComponent(match[1]);
  return match[2] === undefined
    ? { target, groupId }
    : { target, groupId, invitationId: decodeURIComponent(match[2]) };
}

export interface InviteRequest {
  readonly method: string;
  readonly route: InviteRoute;
  readonly query: URLSearchParams;
  readonly body: string;
  /** Who is calling (public key or client id): becomes `inviterUsername`. Not a secret. */
  readonly principal: string;
}

/** Errors that a client bug would cause; 400 makes them loud instead of a 404 that looks like "gone". */
function malformedId(field: 'groupId' | 'invitationId', value: string): Reply {
  return {
    status: 400,
    // Sandbox's choice: the spec's 400 example code, with the violated field named.
    body: apiError(400, 'VALIDATION_ERROR', `${field} must be 24 lowercase hex characters.`, {
      parameters: [value],
      badRequestDetail: { fields: [{ field, description: 'must match ^([a-f0-9]{24})$' }] },
    }),
  };
}

function notFound(errorCode: string, detail: string, parameter: string): Reply {
  return { status: 404, body: apiError(404, errorCode, detail, { parameters: [parameter] }) };
}

export function handleInvites(
  store: InvitationStore,
  request: InviteRequest,
  knownGroups: ReadonlySet<string> | undefined,
  opsManagerEmptyObject: boolean,
): Reply {
  const { method, route, query } = request;
  const { groupId, invitationId } = route;
  if (!OBJECT_ID.test(groupId)) return malformedId('groupId', groupId);
  if (knownGroups && !knownGroups.has(groupId)) {
    // As recorded from Atlas: 404 GROUP_NOT_FOUND, "No group with ID … exists.", parameters [groupId].
    return notFound('GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, groupId);
  }
  if (invitationId === undefined) {
    if (method === 'GET')
      return { status: 200, body: store.list(groupId, query.get('username') ?? undefined) };
    if (method === 'POST') return create(store, request);
    return methodNotAllowed(method, 'GET, POST');
  }
  if (!OBJECT_ID.test(invitationId)) return malformedId('invitationId', invitationId);
  if (method !== 'GET' && method !== 'DELETE') return methodNotAllowed(method, 'GET, DELETE');
  const found = method === 'GET' ? store.get(groupId, invitationId) : store.delete(groupId, invitationId);
  if (!found) {
    return notFound(
      INVITATION_NOT_FOUND,
      `No pending invitation with ID ${invitationId} exists in group ${groupId}.`,
      invitationId,
    );
  }
  if (method === 'GET') return { status: 200, body: found };
  // Ops Manager's doc page says it "returns an empty JSON object"; the sandbox can answer either way.
  return route.target === 'ops-manager' && opsManagerEmptyObject
    ? { status: 200, body: {} }
    : { status: 204 };
}

function create(store: InvitationStore, request: InviteRequest): Reply {
  const parsed = parseJson(request.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      status: 400,
      body: apiError(400, 'INVALID_JSON', 'The request body must be a JSON object {"username", "roles"}.'),
    };
  }
  const { username, roles } = parsed as { username?: unknown; roles?: unknown };
  const seed = { groupId: request.route.groupId, username, roles } as Parameters<typeof checkSeed>[0];
  const problems = checkSeed(seed);
  if (problems.length > 0) {
    return {
      status: 400,
      body: apiError(400, 'VALIDATION_ERROR', problems.join('; '), {
        badRequestDetail: {
          fields: problems.map((problem) => ({ field: problem.split(' ')[0] ?? '', description: problem })),
        },
      }),
    };
  }
  const invitation = store.add(
    { groupId: request.route.groupId, username: username as string, roles: roles as string[] },
    request.principal,
  );
  return { status: 200, body: invitation };
}

function methodNotAllowed(method: string, allow: string): Reply {
  return {
    status: 405,
    body: apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported here; use ${allow}.`),
    headers: { Allow: allow },
  };
}
