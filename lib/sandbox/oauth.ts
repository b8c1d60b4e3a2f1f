// Service-account OAuth 2.0: POST /api/oauth/token (client credentials), /api/oauth/revoke (RFC 7009), with
// Atlas's limits (3600 s, 100 live tokens, rate-limited endpoint). Unconfirmed error bodies are the sandbox's
// choice (RFC 6749 §5.2 wording). Reference: docs/sandbox.md.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { apiError, parseBasic, parseForm, type Reply } from './http';
import type { TokenStore, WindowLimiter } from './tokens';

export const TOKEN_PATH = '/api/oauth/token';
export const REVOKE_PATH = '/api/oauth/revoke';

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export interface OAuthContext {
  readonly clients: ReadonlyMap<string, string>;
  readonly tokens: TokenStore;
  readonly limiter?: WindowLimiter;
}

function oauthError(status: number, error: string, description: string, extra: Reply['headers'] = {}): Reply {
  return { status, body: { error, error_description: description }, headers: { ...JSON_HEADERS, ...extra } };
}

/** The client id when Basic credentials name a known service account with its secret. */
function authenticateClient(ctx: OAuthContext, authorization: string | undefined): string | undefined {
  const basic = parseBasic(authorization);
  if (!basic) return undefined;
  const secret = ctx.clients.get(basic.id);
  if (secret === undefined) return undefined;
  const a = Buffer.from(secret);
  const b = Buffer.from(basic.secret);
  return a.length === b.length && timingSafeEqual(a, b) ? basic.id : undefined;
}

function isForm(headers: IncomingHttpHeaders): boolean {
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(headers['content-type'] ?? '');
}

const UNAUTHENTICATED = (): Reply =>
  oauthError(
    401,
    'invalid_client',
    'Client authentication failed: send Basic base64(clientId:clientSecret).',
    {
      'WWW-Authenticate': 'Basic realm="MongoDB Cloud service accounts"',
    },
  );

export function handleToken(ctx: OAuthContext, headers: IncomingHttpHeaders, body: string): Reply {
  const wait = ctx.limiter?.take() ?? 0;
  if (wait > 0) {
    return {
      status: 429,
      body: apiError(429, 'RATE_LIMITED', 'Too many requests to the token endpoint. Wait and retry.'),
      headers: {
        'Content-Type': 'application/json',
        'Retry-After': String(wait),
        'X-Error-Code': 'RATE_LIMITED',
      },
    };
  }
  const clientId = authenticateClient(ctx, headers.authorization);
  if (clientId === undefined) return UNAUTHENTICATED();
  if (!isForm(headers)) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const grantType = parseForm(body).get('grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
  }
  const issued = ctx.tokens.issue(clientId);
  if (!issued) return oauthError(403, 'access_denied', 'Access Token limit reached');
  return {
    status: 200,
    body: { access_token: issued.token, expires_in: issued.expiresIn, token_type: 'Bearer' },
    headers: JSON_HEADERS,
  };
}

export function handleRevoke(ctx: OAuthContext, headers: IncomingHttpHeaders, body: string): Reply {
  const clientId = authenticateClient(ctx, headers.authorization);
  if (clientId === undefined) return UNAUTHENTICATED();
  if (!isForm(headers)) {
    return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const token = parseForm(body).get('token');
  if (!token) return oauthError(400, 'invalid_request', 'The token parameter is required.');
  ctx.tokens.revoke(token, clientId);
  return { status: 200, headers: { 'Cache-Control': 'no-store' } };
}
