// Authentication of API requests. Atlas accepts Digest (API keys) and Bearer (service-account or static
// access tokens); Ops Manager accepts Digest only (no evidence of service accounts there), so a Bearer
// request to Ops Manager gets the Digest challenge, as a real Ops Manager would answer an unknown scheme.
import type { DigestVerifier } from './digest';
import type { Reply } from './http';
import type { TokenStore } from './tokens';
import type { SandboxTarget } from './types';

export type AuthScheme = 'digest' | 'bearer' | 'basic' | 'none';

export type AuthResult =
  { ok: true; scheme: AuthScheme; principal: string } | { ok: false; scheme: AuthScheme; reply: Reply };

/** The body Atlas sends with its Digest challenge (recorded): the same for every refused request. */
export const UNAUTHORIZED_BODY = {
  error: 401,
  reason: 'Unauthorized',
  detail: 'You are not authorized for this resource.',
  errorCode: 'UNEXPECTED_ERROR',
} as const;

export function schemeOf(authorization: string | undefined): AuthScheme {
  const scheme = /^(\S+)/.exec(authorization ?? '')?.[1]?.toLowerCase();
  return scheme === 'digest' || scheme === 'bearer' || scheme === 'basic' ? scheme : 'none';
}

export function digestChallenge(digest: DigestVerifier, stale: boolean): Reply {
  return {
    status: 401,
    body: UNAUTHORIZED_BODY,
    headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': digest.challenge(stale) },
  };
}

export function authenticate(
  digest: DigestVerifier,
  tokens: TokenStore,
  target: SandboxTarget,
  method: string,
  requestTarget: string,
  authorization: string | undefined,
): AuthResult {
  const scheme = schemeOf(authorization);
  if (scheme === 'digest' && authorization !== undefined) {
    const result = digest.verify(authorization, method, requestTarget);
    if (result.ok) return { ok: true, scheme, principal: result.username };
    return { ok: false, scheme, reply: digestChallenge(digest, result.stale) };
  }
  if (scheme === 'bearer' && authorization !== undefined && target === 'atlas') {
    const check = tokens.check(authorization.slice(authorization.indexOf(' ') + 1).trim());
    if (check.ok) return { ok: true, scheme, principal: check.principal };
    // Sandbox's choice: the recorded 401 body, with RFC 6750's invalid_token saying why.
    return {
      ok: false,
      scheme,
      reply: {
        status: 401,
        body: UNAUTHORIZED_BODY,
        headers: {
          'Content-Type': 'application/json',
          'WWW-Authenticate': `Bearer error="invalid_token", error_description="The access token is ${check.reason}."`,
        },
      },
    };
  }
  return { ok: false, scheme, reply: digestChallenge(digest, false) };
}
