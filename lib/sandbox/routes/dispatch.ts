// Where each request goes: the admin path, the OAuth endpoints, one of the three APIs, or a 404 page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { schemeOf } from '../auth';
import { apiError } from '../http';
import { REVOKE_PATH, TOKEN_PATH } from '../oauth';
import { redactQuery } from '../request-log';
import type { LogFields, SandboxState } from '../state';
import { ADMIN_PREFIX, handleAdmin, type AdminApi } from './admin';
import { handleApi, handleOAuth } from './api';
import { matchApiRoute } from './match';

/** The log fields every request has, whatever it is. */
export function baseFields(req: IncomingMessage): LogFields & { queryParams: URLSearchParams } {
  const requestTarget = req.url ?? '/';
  const q = requestTarget.indexOf('?');
  const path = q < 0 ? requestTarget : requestTarget.slice(0, q);
  const queryParams = new URLSearchParams(q < 0 ? '' : requestTarget.slice(q + 1));
  return {
    method: req.method ?? 'GET',
    path,
    query: redactQuery(queryParams),
    accept: req.headers.accept ?? '',
    authScheme: schemeOf(req.headers.authorization),
    target: 'unknown',
    queryParams,
  };
}

export async function dispatch(
  state: SandboxState,
  admin: AdminApi,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { queryParams: query, ...fields } = baseFields(req);
  const { method, path } = fields;
  if (path.startsWith(ADMIN_PREFIX)) {
    return state.finish(res, await handleAdmin(admin, req, method, path, query), {
      ...fields,
      target: 'admin',
    });
  }
  if (path === TOKEN_PATH || path === REVOKE_PATH)
    return handleOAuth(state, req, res, { ...fields, target: 'oauth' });
  const route = matchApiRoute(path);
  if (route === 'malformed') {
    // A client that percent-encodes badly must hear so, not get a 500 or a "no such invitation".
    const body = apiError(400, 'INVALID_PATH', 'The path holds a malformed percent-escape (RFC 3986 §2.1).', {
      parameters: [path],
    });
    const headers = { 'Content-Type': 'application/json', 'X-Error-Code': 'INVALID_PATH' };
    const target = path.startsWith('/api/atlas/') ? 'atlas' : 'ops-manager';
    return state.finish(res, { status: 400, body, headers }, { ...fields, target });
  }
  if (route) {
    const id = route.kind === 'invites' ? route.invitationId : route.userId;
    const ids = {
      groupId: route.groupId,
      ...(id !== undefined && (route.kind === 'invites' ? { invitationId: id } : { userId: id })),
    };
    return handleApi(state, req, res, route, query, { ...fields, target: route.target, ...ids });
  }
  // Deliberately not an ApiError: a misrouted request (say, the /invitations/ path that Ops Manager's doc
  // page shows by mistake) must not look like "no such invitation" to a client.
  res.writeHead(404, { 'Content-Type': 'text/html' });
  res.end('<html><body><h1>404 Not Found</h1></body></html>');
  state.record(fields, 404);
}
