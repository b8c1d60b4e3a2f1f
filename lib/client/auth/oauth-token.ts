// Service-account tokens: OAuth 2.0 client credentials (RFC 6749 §4.4) against `POST {base}/api/oauth/token`,
// reused until 60 s before expiry, shared with other processes through a TokenStore (token-cache.ts).
// Loaded only when a client uses a service account.
import { hasControlCharacters } from '../../contract/rules';
import { DEFAULT_HINTS } from '../hints';
import { AuthenticationError } from '../errors';
import { parseApiError, parseJson } from '../apis/api-error';
import type { HttpRequest, HttpResponse } from '../http/transport';

export const TOKEN_PATH = '/api/oauth/token';
export const REVOKE_PATH = '/api/oauth/revoke';
/** A cached token is used only while it has more than this left. */
export const EXPIRY_MARGIN_MS = 60_000;

export interface AccessToken {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Where tokens are kept between requests and processes. */
export interface TokenStore {
  /** True when other processes may use the tokens stored here (so they must not be revoked at exit). */
  readonly shared: boolean;
  read(): Promise<AccessToken | undefined>;
  write(token: AccessToken): Promise<void>;
  /** Forgets the token if it is still the stored one. */
  remove(accessToken: string): Promise<void>;
  /**
   * Runs `fetch` while holding the store's lock. While another holder has it, polls `check` and
   * returns its answer as soon as it has one (the other holder stored a token).
   */
  withLock(
    fetch: () => Promise<AccessToken>,
    check: () => Promise<AccessToken | undefined>,
    deadline: number,
    now: () => number,
  ): Promise<AccessToken>;
}

/** Sends a request through the client's retry loop (no authentication). */
export type SendRequest = (request: HttpRequest) => Promise<HttpResponse>;

const HINT =
  'Check the service account client id and secret, that the secret has not expired, and that this ' +
  "machine's IP address is on the service account's access list.";
/** `cacheHint` says how to set the token cache (ClientHints.tokenCache). */
const limitHint = (cacheHint: string) =>
  'The service account has reached the limit of live access tokens (Atlas allows 100 per service ' +
  'account). Tokens from earlier runs expire within an hour; keep the token cache on so that ' +
  `processes share one token. ${cacheHint}`;
const UNUSABLE_HINT = 'Check that the base URL points at MongoDB.';

/** The Basic credentials of the token and revoke endpoints. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
}

/** Asks the token endpoint for a new access token. */
export async function requestToken(
  send: SendRequest,
  prefix: string,
  clientId: string,
  clientSecret: string,
  now: () => number,
  cacheHint: string = DEFAULT_HINTS.tokenCache,
): Promise<AccessToken> {
  const basic = basicCredentials(clientId, clientSecret);
  const path = `${prefix}${TOKEN_PATH}`;
  const response = await send({
    method: 'POST',
    path,
    headers: {
      accept: 'application/json',
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const secrets = [clientSecret, basic];
  const body = parseJson(response.text) as Record<string, unknown> | undefined;
  if (response.status >= 200 && response.status < 300) {
    const token = body?.access_token;
    if (typeof token === 'string' && token.length > 0 && !hasControlCharacters(token)) {
      const seconds = typeof body?.expires_in === 'number' ? body.expires_in : 3600;
      return { accessToken: token, expiresAt: now() + seconds * 1000 };
    }
    if (typeof token === 'string' && token.length > 0) {
      throw new AuthenticationError(
        {
          status: response.status,
          method: 'POST',
          path,
          detail: 'the access_token holds control characters',
          hint: UNUSABLE_HINT,
        },
        { secrets: [...secrets, token] },
      );
    }
  }
  // OAuth errors say `error` + `error_description`; MongoDB's ApiError says `errorCode` + `detail`.
  const api = parseApiError(response);
  const oauthCode = typeof body?.error === 'string' ? body.error : undefined;
  const oauthDetail = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const errorCode = oauthCode ?? api?.errorCode;
  const detail =
    oauthDetail ?? api?.detail ?? (response.status < 300 ? 'the answer holds no access_token' : undefined);
  throw new AuthenticationError(
    {
      status: response.status,
      method: 'POST',
      path,
      ...(errorCode ? { errorCode } : {}),
      ...(detail ? { detail } : {}),
      hint: isTokenLimit(response.status, errorCode, detail) ? limitHint(cacheHint) : HINT,
    },
    { secrets },
  );
}

// 403 access_denied "Access Token limit reached": too many live tokens, not wrong credentials.
function isTokenLimit(status: number, errorCode: string | undefined, detail: string | undefined): boolean {
  return (status === 403 && errorCode === 'access_denied') || /token limit/i.test(detail ?? '');
}

/** Revokes an access token (RFC 7009): `POST {base}/api/oauth/revoke`, same Basic credentials. */
export async function revokeToken(
  send: SendRequest,
  prefix: string,
  clientId: string,
  clientSecret: string,
  accessToken: string,
): Promise<boolean> {
  const response = await send({
    method: 'POST',
    path: `${prefix}${REVOKE_PATH}`,
    headers: {
      accept: 'application/json',
      authorization: `Basic ${basicCredentials(clientId, clientSecret)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `token=${encodeURIComponent(accessToken)}&token_type_hint=access_token`,
  });
  return response.status >= 200 && response.status < 300;
}

const fresh = (token: AccessToken | undefined, now: number): token is AccessToken =>
  token !== undefined && token.expiresAt - EXPIRY_MARGIN_MS > now;

/** The tokens of one service account. Its secret and tokens live in private fields. */
export class ServiceAccountTokens {
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #store: TokenStore;
  #current: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;
  /** Every token this process has used or fetched: all are redacted from errors. */
  readonly #seen = new Set<string>();
  /** Tokens this process fetched from the token endpoint (revoked at close when not shared). */
  readonly #fetched = new Set<string>();

  readonly #cacheHint: string;

  /** `cacheHint` is appended when the service account has no tokens left (ClientHints.tokenCache). */
  constructor(
    clientId: string,
    clientSecret: string,
    store: TokenStore,
    cacheHint = DEFAULT_HINTS.tokenCache,
  ) {
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
    this.#store = store;
    this.#cacheHint = cacheHint;
  }

  /** Values to redact from errors: the secret, its Basic form and every token seen. */
  secrets(): string[] {
    return [this.#clientSecret, basicCredentials(this.#clientId, this.#clientSecret), ...this.#seen];
  }

  /**
   * Revokes the tokens this process fetched unless the store shares them with other processes
   * (Atlas allows 100 live tokens per service account). Never throws: a token left live expires.
   */
  async close(send: SendRequest, prefix: string): Promise<void> {
    if (this.#store.shared) return;
    const tokens = [...this.#fetched];
    this.#fetched.clear();
    this.#current = undefined;
    for (const token of tokens) {
      await revokeToken(send, prefix, this.#clientId, this.#clientSecret, token).catch(() => false);
    }
  }

  /** A token with more than a minute left: from memory, the store, or the token endpoint (once). */
  async get(send: SendRequest, prefix: string, now: () => number, deadline: number): Promise<string> {
    if (fresh(this.#current, now())) return this.#current.accessToken;
    this.#pending ??= this.#load(send, prefix, now, deadline).finally(() => {
      this.#pending = undefined;
    });
    this.#current = await this.#pending;
    this.#seen.add(this.#current.accessToken);
    return this.#current.accessToken;
  }

  /** Forgets a token the API refused, here and in the store, so the next get() fetches a new one. */
  async invalidate(accessToken: string): Promise<void> {
    if (this.#current?.accessToken === accessToken) this.#current = undefined;
    await this.#store.remove(accessToken);
  }

  async #load(send: SendRequest, prefix: string, now: () => number, deadline: number): Promise<AccessToken> {
    const check = async (): Promise<AccessToken | undefined> => {
      const stored = await this.#store.read();
      return fresh(stored, now()) ? stored : undefined;
    };
    const stored = await check();
    if (stored) return stored;
    return this.#store.withLock(
      async () => {
        const again = await check();
        if (again) return again;
        const token = await requestToken(
          send,
          prefix,
          this.#clientId,
          this.#clientSecret,
          now,
          this.#cacheHint,
        );
        this.#seen.add(token.accessToken);
        this.#fetched.add(token.accessToken);
        await this.#store.write(token);
        return token;
      },
      check,
      deadline,
      now,
    );
  }
}

/** A store that lives as long as the client: no file, no lock (tokenCacheDir: false). */
export class MemoryTokenStore implements TokenStore {
  readonly shared = false;
  #token: AccessToken | undefined;

  async read(): Promise<AccessToken | undefined> {
    return this.#token;
  }

  async write(token: AccessToken): Promise<void> {
    this.#token = token;
  }

  async remove(accessToken: string): Promise<void> {
    if (this.#token?.accessToken === accessToken) this.#token = undefined;
  }

  async withLock(fetch: () => Promise<AccessToken>): Promise<AccessToken> {
    return fetch();
  }
}
