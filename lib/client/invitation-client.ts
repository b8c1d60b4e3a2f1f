// InvitationClient: cancels (and lists) pending MongoDB project invitations on Atlas (Admin API v2) or
// Ops Manager / Cloud Manager (public API v1.0), on undici (default) or node:http.
//
// Nothing happens at construction but option checks: the chosen transport (and only that one) is loaded
// when the first request is sent, and the service-account token and cache modules only when a service
// account first needs a token.
import { checkNoControlCharacters, checkObjectId } from '../input/rules';
import {
  DigestAuthenticator,
  ServiceAccountAuthenticator,
  StaticTokenAuthenticator,
  type Authenticator,
} from './auth';
import { ConfigurationError } from './errors';
import { exchange, type ExchangeContext } from './exchange';
import type { SendRequest, ServiceAccountTokens } from './oauth-token';
import {
  resolveOptions,
  type ClientWarning,
  type InvitationClientOptions,
  type ResolvedClientOptions,
} from './options';
import { cancelOutcome, parseInvitations, type CancelOutcome, type PendingInvitation } from './outcome';
import type { HttpMethod, HttpResponse, Transport } from './http';
import { createTransport } from './lazy-transport';

export type { Credentials, ClientWarning, InvitationClientOptions } from './options';
export type { TransportKind } from './http';
export type { CancelOutcome, PendingInvitation, Target } from './outcome';

/** Longest time close() spends revoking a token no one shares. */
const CLOSE_DEADLINE_MS = 10_000;

const API = {
  atlas: { root: '/api/atlas/v2', accept: 'application/vnd.atlas.2023-01-01+json' },
  'ops-manager': { root: '/api/public/v1.0', accept: 'application/json' },
} as const;

function createAuthenticator(
  options: InvitationClientOptions,
  resolved: ResolvedClientOptions,
  warn: (warning: ClientWarning) => void,
): Authenticator {
  const c = options.credentials;
  if (c.kind === 'digest') return new DigestAuthenticator(c.publicKey, c.privateKey);
  if (c.kind === 'token') return new StaticTokenAuthenticator(c.accessToken);
  const { clientId, clientSecret } = c;
  const dir = options.tokenCacheDir ?? false;
  const load = async (): Promise<ServiceAccountTokens> => {
    const { ServiceAccountTokens, MemoryTokenStore } = await import('./oauth-token');
    if (dir === false) return new ServiceAccountTokens(clientId, clientSecret, new MemoryTokenStore());
    const { FileTokenStore, cacheKey } = await import('./token-cache');
    const key = cacheKey(resolved.baseUrl, clientId, clientSecret);
    const onUnusable = (message: string) => warn({ code: 'MDB_TOKEN_CACHE_UNUSABLE', message });
    return new ServiceAccountTokens(clientId, clientSecret, new FileTokenStore(dir, key, onUnusable));
  };
  return new ServiceAccountAuthenticator(load, resolved.prefix, clientSecret);
}

export class InvitationClient {
  readonly #options: ResolvedClientOptions;
  readonly #auth: Authenticator;
  readonly #transport: Transport;
  readonly #onWarning: InvitationClientOptions['onWarning'];
  #warned = false;

  /** Checks the options (ConfigurationError on any problem); sends nothing. */
  constructor(options: InvitationClientOptions) {
    this.#options = resolveOptions(options);
    this.#auth = createAuthenticator(options, this.#options, (warning) => this.#onWarning?.(warning));
    this.#transport = createTransport(options, this.#options);
    this.#onWarning = options.onWarning;
  }

  /** HTTP requests sent so far: API attempts, authentication rounds and token requests. */
  get requestCount(): number {
    return this.#transport.count;
  }

  /**
   * Cancels one pending invitation: `DELETE …/groups/{groupId}/invites/{invitationId}`.
   * Resolves 'revoked' (2xx) or 'already-gone' (404 with an ApiError body); throws an InvitationError otherwise.
   */
  async cancelInvitation(groupId: string, invitationId: string): Promise<CancelOutcome> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('invitationId', invitationId)]);
    const path = `${this.#root()}/groups/${groupId}/invites/${invitationId}`;
    const response = await this.#run('DELETE', path, '');
    return cancelOutcome(response, this.#failureContext('DELETE', path));
  }

  /** Lists the pending invitations of a project, optionally only those of one username. */
  async listInvitations(groupId: string, filter: { username?: string } = {}): Promise<PendingInvitation[]> {
    const { username } = filter;
    checkIds([
      checkObjectId('groupId', groupId),
      username === undefined ? undefined : checkNoControlCharacters('username', username),
    ]);
    const path = `${this.#root()}/groups/${groupId}/invites`;
    const query = username === undefined ? '' : `?username=${encodeURIComponent(username)}`;
    const response = await this.#run('GET', path, query);
    return parseInvitations(response, this.#failureContext('GET', path));
  }

  /**
   * Revokes a service-account token that no other process shares (no token cache, or the cache was
   * unusable), then closes the connections this client opened (an injected dispatcher is left open).
   */
  async close(): Promise<void> {
    try {
      if (this.#auth.close) {
        const o = this.#options;
        const ctx = this.#context(o.now() + Math.min(o.deadlineMs, CLOSE_DEADLINE_MS));
        await this.#auth.close({ send: this.#sender(ctx), now: o.now, deadline: ctx.deadline });
      }
    } finally {
      await this.#transport.close();
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InvitationClient { target: '${this.#options.target}', baseUrl: '${this.#options.baseUrl}', auth: '${this.#auth.kind}' }`;
  }

  #root(): string {
    return `${this.#options.prefix}${API[this.#options.target].root}`;
  }

  #failureContext(method: string, path: string) {
    const { target } = this.#options;
    return { target, method, path, authHint: this.#auth.hint, secrets: this.#auth.secrets() };
  }

  #context(deadline: number): ExchangeContext {
    const o = this.#options;
    return {
      transport: this.#transport,
      retry: o.retry,
      timeoutMs: o.timeoutMs,
      deadline,
      deadlineMs: deadline - o.now(),
      now: o.now,
      sleep: o.sleep,
      random: o.random,
      secrets: () => this.#auth.secrets(),
    };
  }

  /** Sends an unauthenticated request (token, revoke) through the retry loop. */
  #sender(ctx: ExchangeContext): SendRequest {
    const userAgent = this.#options.userAgent;
    return (request) =>
      exchange(ctx, { ...request, headers: { ...request.headers, 'user-agent': userAgent } });
  }

  async #run(method: HttpMethod, path: string, query: string): Promise<HttpResponse> {
    const o = this.#options;
    const base = this.#context(o.now() + o.deadlineMs);
    const ctx: ExchangeContext = {
      ...base,
      deadlineMs: o.deadlineMs,
      onResponse: (response) => this.#warnOnce(method, path, response),
    };
    const headers = { accept: API[o.target].accept, 'user-agent': o.userAgent };
    const round = this.#auth.begin({ send: this.#sender(base), now: o.now, deadline: ctx.deadline });
    return exchange(ctx, { method, path, query, headers }, round);
  }

  #warnOnce(method: string, path: string, response: HttpResponse): void {
    if (this.#warned || !this.#onWarning) return;
    const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
    const sunset = first(response.headers.sunset);
    const deprecation = first(response.headers.deprecation);
    if (sunset === undefined && deprecation === undefined) return;
    this.#warned = true;
    const what = `${method} ${path} is deprecated by MongoDB`;
    this.#onWarning(
      sunset !== undefined
        ? {
            code: 'MDB_SUNSET',
            message: `${what} and will stop working on ${sunset} (Sunset header).`,
            sunset,
          }
        : {
            code: 'MDB_DEPRECATED',
            message: `${what} (Deprecation: ${deprecation}); no sunset date was given.`,
          },
    );
  }
}

function checkIds(problems: (string | undefined)[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new ConfigurationError(`${found.join('; ')}. Nothing was sent.`);
}
