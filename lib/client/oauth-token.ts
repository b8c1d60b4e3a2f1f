// Service-account tokens: OAuth 2.0 client credentials (RFC 6749 §4.4) against `POST {base}/api/oauth/token`,
// reused until 60 s before expiry, shared with other processes through a TokenStore (token-cache.ts).
// Loaded only when a client uses a service account.
import { AuthenticationError } from './errors';
import { parseApiError, parseJson } from './api-error';
import type { HttpRequest, HttpResponse } from './http';

export const TOKEN_PATH = '/api/oauth/token';
/** A cached token is used only while it has more than this left. */
export const EXPIRY_MARGIN_MS = 60_000;

export interface AccessToken {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Where tokens are kept between requests and processes. */
export interface TokenStore {
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

/** Asks the token endpoint for a new access token. */
export async function requestToken(
  send: SendRequest,
  prefix: string,
  clientId: string,
  clientSecret: string,
  now: () => number,
): Promise<AccessToken> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
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
    if (typeof token === 'string' && token.length > 0) {
      const seconds = typeof body?.expires_in === 'number' ? body.expires_in : 3600;
      return { accessToken: token, expiresAt: now() + seconds * 1000 };
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
      hint: HINT,
    },
    { secrets },
  );
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

  constructor(clientId: string, clientSecret: string, store: TokenStore) {
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
    this.#store = store;
  }

  /** Values to redact from errors: the secret and the tokens in use. */
  secrets(): string[] {
    return [this.#clientSecret, ...(this.#current ? [this.#current.accessToken] : [])];
  }

  /** A token with more than a minute left: from memory, the store, or the token endpoint (once). */
  async get(send: SendRequest, prefix: string, now: () => number, deadline: number): Promise<string> {
    if (fresh(this.#current, now())) return this.#current.accessToken;
    this.#pending ??= this.#load(send, prefix, now, deadline).finally(() => {
      this.#pending = undefined;
    });
    this.#current = await this.#pending;
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
        const token = await requestToken(send, prefix, this.#clientId, this.#clientSecret, now);
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
