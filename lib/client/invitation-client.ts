// InvitationClient: cancels (and lists) pending MongoDB project invitations on Atlas (Admin API v2) or
// Ops Manager / Cloud Manager (public API v1.0), on undici (default) or node:http.
//
// Nothing happens at construction but option checks: the chosen transport (and only that one) is loaded
// when the first request is sent, and the service-account token and cache modules only when a service
// account first needs a token.
import { checkNoControlCharacters, checkObjectId } from '../contract/rules';
import {
  DigestAuthenticator,
  ServiceAccountAuthenticator,
  StaticTokenAuthenticator,
  type Authenticator,
} from './auth';
import { ConfigurationError, UnconfirmedError } from './errors';
import { exchange, type ExchangeContext } from './exchange';
import type { ServiceAccountTokens } from './oauth-token';
import { resolveOptions, type InvitationClientOptions, type ResolvedClientOptions } from './options';
import { cancelOutcome, parseInvitations, type CancelOutcome, type PendingInvitation } from './outcome';
import type { HttpMethod, HttpResponse, Transport } from './http';
import { createTransport } from './lazy-transport';

export type { Credentials, ClientWarning, InvitationClientOptions } from './options';
export type { TransportKind } from './http';
export type { CancelOutcome, PendingInvitation, Target } from './outcome';

const API = {
  atlas: { root: '/api/atlas/v2', accept: 'application/vnd.atlas.2023-01-01+json' },
  'ops-manager': { root: '/api/public/v1.0', accept: 'application/json' },
} as const;

function createAuthenticator(
  options: InvitationClientOptions,
  resolved: ResolvedClientOptions,
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
    return new ServiceAccountTokens(clientId, clientSecret, new FileTokenStore(dir, key));
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
    this.#auth = createAuthenticator(options, this.#options);
    this.#transport = createTransport(options, this.#options);
    this.#onWarning = options.onWarning;
  }

  /** HTTP requests sent so far: API attempts, authentication rounds and token requests. */
  get requestCount(): number {
    return this.#transport.count;
  }

  /**
   * Cancels one pending invitation: `DELETE …/groups/{groupId}/invites/{invitationId}`. Resolves
   * 'revoked' (2xx), or 'already-gone' when the DELETE answered 404 with an ApiError about the invitation
   * AND one list of the project's pending invitations confirms it is not there. Throws otherwise: a
   * project that is not there, a list that fails, an answer that is not MongoDB's.
   */
  async cancelInvitation(groupId: string, invitationId: string): Promise<CancelOutcome> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('invitationId', invitationId)]);
    const path = `${this.#root()}/groups/${groupId}/invites/${invitationId}`;
    const response = await this.#run('DELETE', path, '');
    const first = cancelOutcome(response, this.#failureContext('DELETE', path));
    if (first.outcome !== 'maybe-gone') return first;
    const gone = { outcome: 'already-gone', status: 404, method: 'DELETE', path } as const;
    const confirmed = {
      ...gone,
      ...pick(first),
      confirmedBy: `GET ${this.#root()}/groups/${groupId}/invites`,
    };
    let pending: PendingInvitation[];
    try {
      pending = await this.listInvitations(groupId);
    } catch (error) {
      throw new UnconfirmedError(path, first.errorCode, error, this.#auth.secrets());
    }
    if (pending.some((i) => i.id === invitationId)) {
      throw new UnconfirmedError(path, first.errorCode, undefined, this.#auth.secrets());
    }
    return confirmed;
  }

  /**
   * Whether an invitation is pending: one list of the project's pending invitations. Used when an
   * invitation made elsewhere is adopted, so that a mistyped id fails the first apply.
   */
  async findInvitation(groupId: string, invitationId: string): Promise<PendingInvitation | undefined> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('invitationId', invitationId)]);
    return (await this.listInvitations(groupId)).find((i) => i.id === invitationId);
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

  /** Closes the connections this client opened (an injected dispatcher is left open). */
  async close(): Promise<void> {
    await this.#transport.close();
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

  async #run(method: HttpMethod, path: string, query: string): Promise<HttpResponse> {
    const o = this.#options;
    const ctx: ExchangeContext = {
      transport: this.#transport,
      retry: o.retry,
      timeoutMs: o.timeoutMs,
      deadline: o.now() + o.deadlineMs,
      deadlineMs: o.deadlineMs,
      now: o.now,
      sleep: o.sleep,
      random: o.random,
      secrets: () => this.#auth.secrets(),
      onResponse: (response) => this.#warnOnce(method, path, response),
    };
    const headers = { accept: API[o.target].accept, 'user-agent': o.userAgent };
    const round = this.#auth.begin({
      send: (request) =>
        exchange(
          { ...ctx, onResponse: undefined },
          { ...request, headers: { ...request.headers, 'user-agent': o.userAgent } },
        ),
      now: o.now,
      deadline: ctx.deadline,
    });
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

function pick(fields: { errorCode?: string; detail?: string }) {
  return {
    ...(fields.errorCode !== undefined ? { errorCode: fields.errorCode } : {}),
    ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
  };
}

function checkIds(problems: (string | undefined)[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new ConfigurationError(`${found.join('; ')}. Nothing was sent.`);
}
