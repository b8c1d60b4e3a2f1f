// Applying a fault to a request, and the OAuth endpoints' pipeline (fault → token / revoke).
// Faults fire after authentication on the APIs (a Digest client's unauthenticated first round-trip never
// consumes one) and before the client credentials are checked on the OAuth endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultErrorCode, type FaultSpec } from '../faults';
import { apiError, readBody, type Reply } from '../http';
import { handleRevoke, handleToken, TOKEN_PATH } from '../oauth';
import type { LogFields, SandboxState } from '../state';

/** Atlas's answer when a caller's bucket is empty (recorded code: RATE_LIMITED_TOKEN_BUCKET). */
export function rateLimited(retryAfterSeconds: number): Reply {
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
export async function applyFault(
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
    const headers = { Allow: 'POST', 'Content-Type': 'application/json' };
    return state.finish(res, { status: 405, body, headers }, fields);
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
