// The request pipeline of the two APIs and of the OAuth endpoints:
//   API:   authenticate → (Atlas) Accept version, sunset → rate window → fault → invitations → headers
//   OAuth: fault → token / revoke
// Faults fire after authentication on the APIs (a Digest client's unauthenticated first round-trip never
// consumes one) and before the client credentials are checked on the OAuth endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, digestChallenge } from '../auth';
import { defaultErrorCode, type FaultSpec } from '../faults';
import { apiError, readBody, type Reply } from '../http';
import { handleRevoke, handleToken, TOKEN_PATH } from '../oauth';
import * as respond from '../respond';
import type { LogFields, SandboxState } from '../state';
import { handleInvites, type InviteRoute } from './invites';

/** Atlas's answer when a caller's bucket is empty (recorded code: RATE_LIMITED_TOKEN_BUCKET). */
function rateLimited(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    body: apiError(
      429,
      'RATE_LIMITED_TOKEN_BUCKET',
      'Too many requests. Wait Retry-After seconds, then retry.',
    ),
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

/** Applies a fault: 'done' when the connection was reset, a Reply to send, or undefined to carry on. */
async function applyFault(
  state: SandboxState,
  req: IncomingMessage,
  fault: FaultSpec,
  fields: LogFields,
): Promise<Reply | 'done' | undefined> {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      state.record({ ...fields, fault: 'reset' }, 0);
      return 'done';
    case 'delay':
      await state.sleep(fault.ms);
      return undefined;
    case 'rate-limit':
      return rateLimited(fault.retryAfterSeconds ?? 1);
    case 'status': {
      const code = fault.errorCode ?? defaultErrorCode(fault.status);
      return { status: fault.status, body: apiError(fault.status, code, 'Fault injected by the sandbox.') };
    }
    default:
      return undefined;
  }
}

export async function handleOAuth(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  fields: LogFields,
): Promise<void> {
  if (fields.method !== 'POST') {
    const body = apiError(405, 'METHOD_NOT_ALLOWED', 'Use POST.');
    return state.finish(
      res,
      { status: 405, body, headers: { Allow: 'POST', 'Content-Type': 'application/json' } },
      fields,
    );
  }
  const fault = state.faults.take({ ...fields, target: 'oauth' });
  const logged = fault ? { ...fields, fault: fault.kind } : fields;
  const faulted = fault && (await applyFault(state, req, fault, fields));
  if (faulted === 'done') return undefined;
  if (faulted) {
    const headers = { 'Content-Type': 'application/json', ...faulted.headers };
    return state.finish(res, { ...faulted, headers }, logged);
  }
  const body = (await readBody(req)) ?? '';
  const handler = fields.path === TOKEN_PATH ? handleToken : handleRevoke;
  return state.finish(res, handler(state.oauth, req.headers, body), logged);
}

export async function handleApi(
  state: SandboxState,
  req: IncomingMessage,
  res: ServerResponse,
  route: InviteRoute,
  query: URLSearchParams,
  fields: LogFields,
): Promise<void> {
  const { target } = route;
  const { method } = fields;
  const requestTarget = req.url ?? '/';
  const authorization = req.headers.authorization;
  const auth = authenticate(state.digest, state.tokens, target, method, requestTarget, authorization);
  if (!auth.ok) return state.finish(res, auth.reply, fields);
  const answer = (reply: Reply, rate?: { limit: number; remaining: number }, logged = fields): void => {
    const headers = respond.apiHeaders(target, reply, rate, state.headerOptions);
    state.finish(res, { ...reply, headers }, logged);
  };
  if (target === 'atlas') {
    if (!respond.acceptsAtlasVersion(req.headers.accept))
      return answer(respond.notAcceptable(req.headers.accept));
    const sunset = state.headerOptions.sunset;
    if (state.now() >= Date.parse(sunset)) return answer(respond.versionGone(sunset));
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
  const faulted = fault && (await applyFault(state, req, fault, fields));
  if (faulted === 'done') return undefined;
  if (faulted)
    return answer(faulted, faulted.status === 429 && rate ? { ...rate, remaining: 0 } : rate, logged);

  const body = method === 'POST' ? ((await readBody(req)) ?? '') : '';
  const request = { method, route, query, body, principal: auth.principal };
  const reply = handleInvites(state.stores[target], request, state.knownGroups, state.opsManagerEmptyObject);
  const headers = respond.apiHeaders(target, reply, rate, state.headerOptions);
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
