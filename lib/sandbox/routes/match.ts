// Which resource a path names: {prefix}/groups/{g}/invites[/{id}], /api/atlas/v2/groups/{g}/users[/{userId}
// [:addRole|:removeRole]], /api/public/v1.0/groups/{g}/users[/{userId}]. Segments are percent-decoded; a
// malformed escape is reported, never thrown. Reference: docs/sandbox.md.
import type { SandboxTarget } from '../types';

export const ATLAS_PREFIX = '/api/atlas/v2';
export const OPS_MANAGER_PREFIX = '/api/public/v1.0';

export interface InviteRoute {
  readonly kind: 'invites';
  readonly target: SandboxTarget;
  readonly groupId: string;
  readonly invitationId?: string;
}

export interface CloudUsersRoute {
  readonly kind: 'cloud-users';
  readonly target: 'atlas';
  readonly groupId: string;
  readonly userId?: string;
  readonly action?: 'addRole' | 'removeRole';
}

export interface OpsUsersRoute {
  readonly kind: 'ops-users';
  readonly target: 'ops-manager';
  readonly groupId: string;
  readonly userId?: string;
}

export type ApiRoute = InviteRoute | CloudUsersRoute | OpsUsersRoute;

const ROUTE =
  /^\/api\/(atlas\/v2|public\/v1\.0)\/groups\/([^/]+)\/(invites|users)(?:\/([^/:]+)(?::(addRole|removeRole))?)?\/?$/;

/** The route a path names; `'malformed'` when a segment holds a bad percent-escape; undefined otherwise. */
export function matchApiRoute(path: string): ApiRoute | 'malformed' | undefined {
  const match = ROUTE.exec(path);
  if (!match?.[2]) return undefined;
  const [, prefix, rawGroup, resource, rawId, action] = match;
  const groupId = tryDecode(rawGroup);
  const id = rawId === undefined ? undefined : tryDecode(rawId);
  if (groupId === null || id === null) return 'malformed';
  const atlas = prefix === 'atlas/v2';
  if (resource === 'invites') {
    if (action !== undefined) return undefined;
    const target: SandboxTarget = atlas ? 'atlas' : 'ops-manager';
    return id === undefined
      ? { kind: 'invites', target, groupId }
      : { kind: 'invites', target, groupId, invitationId: id };
  }
  if (!atlas) {
    if (action !== undefined) return undefined;
    return { kind: 'ops-users', target: 'ops-manager', groupId, ...(id !== undefined && { userId: id }) };
  }
  if (action !== undefined && id === undefined) return undefined;
  return {
    kind: 'cloud-users',
    target: 'atlas',
    groupId,
    ...(id !== undefined && { userId: id }),
    ...(action !== undefined && { action: action as 'addRole' | 'removeRole' }),
  };
}

/** Percent-decodes one path segment; null when an escape is malformed (decodeURIComponent throws). */
function tryDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
