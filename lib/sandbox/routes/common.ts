// Answers shared by the API routes: malformed ids, unknown groups, missing resources, wrong methods,
// request bodies that are not what the spec asks for.
import { apiError, parseJson, type Reply } from '../http';
import { OBJECT_ID } from '../store';

/** What every API route gets after authentication. */
export interface RouteRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly body: string;
  /** Who is calling (public key or client id). Not a secret. */
  readonly principal: string;
  /** `http://host:port` as the client addressed the sandbox, for `links`. */
  readonly baseUrl: string;
}

/** Errors that a client bug would cause; 400 makes them loud instead of a 404 that looks like "gone". */
export function malformedId(field: string, value: string): Reply {
  return {
    status: 400,
    // Sandbox's choice: the spec's 400 example code, with the violated field named.
    body: apiError(400, 'VALIDATION_ERROR', `${field} must be 24 lowercase hex characters.`, {
      parameters: [value],
      badRequestDetail: { fields: [{ field, description: 'must match ^([a-f0-9]{24})$' }] },
    }),
  };
}

export function notFound(errorCode: string, detail: string, parameter: string): Reply {
  return { status: 404, body: apiError(404, errorCode, detail, { parameters: [parameter] }) };
}

/** 400 VALIDATION_ERROR naming each problem's field (the first word of each problem). */
export function invalid(problems: readonly string[]): Reply {
  return {
    status: 400,
    body: apiError(400, 'VALIDATION_ERROR', problems.join('; '), {
      badRequestDetail: {
        fields: problems.map((problem) => ({ field: problem.split(' ')[0] ?? '', description: problem })),
      },
    }),
  };
}

export function methodNotAllowed(method: string, allow: string): Reply {
  return {
    status: 405,
    body: apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported here; use ${allow}.`),
    headers: { Allow: allow },
  };
}

/** A malformed or unknown group's answer, or undefined when the group is fine. */
export function checkGroup(groupId: string, knownGroups: ReadonlySet<string> | undefined): Reply | undefined {
  if (!OBJECT_ID.test(groupId)) return malformedId('groupId', groupId);
  if (knownGroups && !knownGroups.has(groupId)) {
    // As recorded from Atlas: 404 GROUP_NOT_FOUND, "No group with ID … exists.", parameters [groupId].
    return notFound('GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`, groupId);
  }
  return undefined;
}

/** The body as a JSON object, or the 400 to answer. */
export function bodyObject(
  body: string,
  shape: string,
): { value: Record<string, unknown> } | { reply: Reply } {
  const parsed = parseJson(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const detail = `The request body must be a JSON object ${shape}.`;
    return { reply: { status: 400, body: apiError(400, 'INVALID_JSON', detail) } };
  }
  return { value: parsed as Record<string, unknown> };
}

/** Problems with `username` and `roles` as the create bodies of every API need them (empty when none). */
export function checkPerson(username: unknown, roles: unknown): string[] {
  const problems: string[] = [];
  if (typeof username !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(username)) {
    problems.push('username must be an email address');
  }
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((role) => typeof role === 'string' && role.length > 0)
  ) {
    problems.push('roles must be a non-empty array of role names');
  } else if (new Set(roles).size !== roles.length) {
    problems.push('roles must not repeat a role');
  }
  return problems;
}

/**
 * `inviterUsername` is an e-mail address in the spec; a caller's public key or client id is made one
 * (sandbox's choice: what Atlas writes for an API key or a service account is unconfirmed).
 */
export function inviterEmail(principal: string): string {
  return principal.includes('@') ? principal : `${principal}@sandbox.invalid`;
}
