// The request pipeline of the three APIs (Atlas invites, Atlas Cloud Users, Ops Manager):
//   authenticate → (Atlas) Accept version, sunset → rate window → fault → invitation rate limit → route
// then the API's headers, `envelope` and `pretty`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, digestChallenge } from '../auth';
import { readBody, type Reply } from '../http';
import * as respond from '../respond';
import type { LogFields, SandboxState } from '../state';
import { handleCloudUsers } from './cloud-users';
import type { RouteRequest } from './common';
import { applyFault, rateLimited } from './faulting';
import { handleInvites } from './invites';
import type { ApiRoute } from './match';
import { handleOpsUsers } from './ops-users';

export { handleOAuth } from './faulting';

/** The POSTs that create an invitation on Atlas (the ones its per-IP invitation limit counts). */
function createsAtlasInvitation(route: ApiRoute, method: string): boolean {
  if (method !== 'POST' || route.target !== 'atlas') return false;
  return route.kind === 'invites' ? route.invitationId === undefined : route.userId === undefined;
}

function route(state: SandboxState, apiRoute: ApiRoute, request: RouteRequest): Reply {
  const { knownGroups, opsManagerEmptyObject } = state;
  switch (apiRoute.kind) {
    case 'cloud-users':
      return handleCloudUsers({ store: state.cloudUsers, knownGroups }, apiRoute, request);
    case 'ops-users':
      return handleOpsUsers(
        { members: state.opsMembers, knownGroups, opsManagerEmptyObject },
        apiRoute,
        request,
      );
    case 'invites': {
      const bypass = apiRoute.target === 'ops-manager' && state.bypassInvitationMode;
      const store = state.stores[apiRoute.target];
      const ctx = {
        store,
        knownGroups,
        opsManagerEmptyObject,
        ...(bypass && { bypassMembers: state.opsMembers }),
      };
      return handleInvites(ctx, apiRoute, request);
    }
  }
}

export async function handleApi(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  apiRoute: ApiRoute,
  query: URLSearchParams,
  fields: LogFields,
): Promise<void> {
  const { target } = apiRoute;
  const { method } = fields;
  const requestTarget = req.url ?? '/';
  const authorization = req.headers.authorization;
  const auth = authenticate(state.digest, state.tokens, target, method, requestTarget, authorization);
  if (!auth.ok) return state.finish(res, auth.reply, fields);
  const version = apiRoute.kind === 'cloud-users' ? respond.CLOUD_USERS_VERSION : respond.INVITES_VERSION;
  const answer = (reply: Reply, rate?: { limit: number; remaining: number }, logged = fields): void => {
    const headers = respond.apiHeaders(target, reply, rate, state.headerOptions, version);
    state.finish(res, { ...reply, headers }, logged);
  };
  if (target === 'atlas') {
    if (!respond.acceptsAtlasVersion(req.headers.accept, version)) {
      return answer(respond.notAcceptable(req.headers.accept));
    }
    const sunset = state.headerOptions.sunset;
    if (version.deprecated && state.now() >= Date.parse(sunset)) return answer(respond.versionGone(sunset));
  }
  const rate = target === 'atlas' ? state.rate.take(auth.principal) : undefined;
  if (rate?.exceeded && state.enforceRate) return answer(rateLimited(rate.retryAfterSeconds), rate);

  const fault = state.faults.take({ ...fields, authScheme: auth.scheme });
  const logged = fault ? { ...fields, fault: fault.kind } : fields;
  if (fault?.kind === 'stale-nonce') {
    state.digest.invalidate(authorization ?? '');
    return state.finish(res, digestChallenge(state.digest, true), logged);
  }
  if (fault?.kind === 'revoke-tokens') {
    state.tokens.revokeAll();
    const again = authenticate(state.digest, state.tokens, target, method, requestTarget, authorization);
    if (!again.ok) return state.finish(res, again.reply, logged);
  }
  // The body is read before a fault applies: a request whose answer a 'delay' fault holds past the
  // client's timeout is still processed once the client has hung up (it landed; its answer was lost),
  // whatever its method. Read afterwards, the closed connection would fail the read instead.
  const body = method === 'POST' || method === 'PATCH' ? ((await readBody(req)) ?? '') : '';
  const faulted = fault && (await applyFault(state, req, fault, fields));
  if (faulted === 'done') return undefined;
  if (faulted)
    return answer(faulted, faulted.status === 429 && rate ? { ...rate, remaining: 0 } : rate, logged);

  const ip = req.socket.remoteAddress ?? 'unknown';
  const limiter = createsAtlasInvitation(apiRoute, method) ? state.invitationLimiter : undefined;
  const limited = limiter?.check(ip);
  if (limited) return answer(limited, rate, logged);
  const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
  const reply = route(state, apiRoute, { method, query, body, principal: auth.principal, baseUrl });
  if (limiter && reply.status >= 200 && reply.status < 300) limiter.record(ip);
  const headers = respond.apiHeaders(target, reply, rate, state.headerOptions, version);
  const pretty = query.get('pretty') === 'true';
  if (query.get('envelope') === 'true') {
    // The spec: "Application adds the status parameter to the response body"; HTTP status is then 200.
    const wrapped = respond.envelop(reply);
    const contentType = headers['Content-Type'] ?? 'application/json';
    return state.finish(
      res,
      { ...wrapped, headers: { ...headers, 'Content-Type': contentType }, pretty },
      logged,
    );
  }
  return state.finish(res, { ...reply, headers, pretty }, logged);
}
