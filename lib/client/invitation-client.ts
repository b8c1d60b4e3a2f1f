// InvitationClient: invites, lists and cancels on Atlas (Admin API v2) or Ops Manager / Cloud Manager (v1.0),
// on undici (default) or node:http (docs/decisions/0001-node-http-for-the-cli.md). Construction only checks
// options: the transport loads on the first request, token modules when a service account first needs one.
import { checkNoControlCharacters, checkObjectId, checkUsername } from '../contract/rules';
import { checkRoles } from '../contract/roles';
import { DEFAULT_ATLAS_API } from '../contract/settings';
import type { ApiRequest, PendingPerson, PersonRecord, ProjectMember } from './apis/person';
import { resolvePersonApi, type InvitePersonOptions, type RevokePersonOptions } from './person-options';
import {
  DigestAuthenticator,
  ServiceAccountAuthenticator,
  StaticTokenAuthenticator,
  type Authenticator,
} from './auth/authenticators';
import { ConfigurationError, UnconfirmedError } from './errors';
import { exchange, type ExchangeContext } from './http/exchange';
import type { SendRequest, ServiceAccountTokens } from './auth/oauth-token';
import {
  resolveOptions,
  type ClientWarning,
  type InvitationClientOptions,
  type ResolvedClientOptions,
} from './options';
import { cancelOutcome, failureFor, type CancelOutcome } from './outcome';
import type { CloseOptions, HttpMethod, HttpResponse, Transport } from './http/transport';
import { createTransport } from './http/lazy-transport';
import type { InvitePersonResult } from './invite-person';
import {
  cancelInviteRequestOf,
  listInvites,
  listInvitesRequestOf,
  listPendingPeople,
  listProjectMembers,
  type InvitesApi,
  type PeopleContext,
  type SendMode,
} from './people';
import {
  DEFAULT_RATE_LIMIT,
  MemoryNotBefore,
  paced,
  type NotBeforeStore,
  type RateLimitWait,
} from './http/rate-limit';
import { FileNotBefore } from './http/wait-file';
import type { ResolvedRetryOptions } from './http/retry';
import type { RevokePersonResult } from './revoke-person';
import type { CancelPendingResult } from './cancel-pending';

// The person operations are required by the method that runs them: a process that cancels one invitation
// by id (Terraform's destroy of an adopted id) never evaluates them (bench/throughput.md, "P2, P7, P1, P9").
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, synchronously */
const personOperations = {
  invite: () => require('./invite-person') as typeof import('./invite-person'),
  revoke: () => require('./revoke-person') as typeof import('./revoke-person'),
  cancel: () => require('./cancel-pending') as typeof import('./cancel-pending'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type { Credentials, ClientWarning, InvitationClientOptions } from './options';
export type { ClientHints } from './hints';
export type { CloseOptions, TransportKind } from './http/transport';
export type { CancelOutcome, PendingInvitation, Target } from './outcome';
export type { MembershipStatus, PendingPerson, PersonApi, PersonRecord, ProjectMember } from './apis/person';
export type { InviteOutcome, InvitePersonResult } from './invite-person';
export type { PersonAction } from './people';
export type { AtlasPersonApi, InvitePersonOptions, RevokePersonOptions } from './person-options';
export type { RateLimitOptions, RateLimitWait } from './http/rate-limit';
export type { RevokeOutcome, RevokePersonResult } from './revoke-person';
export type { CancelPendingResult } from './cancel-pending';

/** Longest time close() spends revoking a token no one shares. */
const CLOSE_DEADLINE_MS = 10_000;

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
    const { ServiceAccountTokens, MemoryTokenStore } = await import('./auth/oauth-token');
    const hint = resolved.hints.tokenCache;
    if (dir === false) return new ServiceAccountTokens(clientId, clientSecret, new MemoryTokenStore(), hint);
    const { FileTokenStore, cacheKey } = await import('./auth/token-cache');
    const key = cacheKey(resolved.baseUrl, clientId, clientSecret);
    const onUnusable = (message: string) => warn({ code: 'MDB_TOKEN_CACHE_UNUSABLE', message });
    const store = new FileTokenStore(dir, key, onUnusable, hint);
    return new ServiceAccountTokens(clientId, clientSecret, store, hint);
  };
  return new ServiceAccountAuthenticator(load, resolved.prefix, clientSecret);
}

export class InvitationClient {
  readonly #options: ResolvedClientOptions;
  readonly #auth: Authenticator;
  readonly #transport: Transport;
  readonly #onWarning: InvitationClientOptions['onWarning'];
  readonly #onWait: ((wait: RateLimitWait) => void) | undefined;
  readonly #notBefore: NotBeforeStore;
  #warned = false;

  /** Checks the options (ConfigurationError on any problem); sends nothing. */
  constructor(options: InvitationClientOptions) {
    this.#options = resolveOptions(options);
    this.#auth = createAuthenticator(options, this.#options, (warning) => this.#onWarning?.(warning));
    this.#transport = createTransport(options, this.#options);
    this.#onWarning = options.onWarning;
    this.#onWait = options.onWait;
    const { dir, deadlineMs } = this.#options.rateLimit;
    this.#notBefore =
      dir === false
        ? new MemoryNotBefore()
        : new FileNotBefore(dir, this.#options.baseUrl, {
            now: this.#options.now,
            // No writer stores a wait longer than its own deadline: one further ahead is not trusted.
            maxAheadMs: Math.max(deadlineMs, DEFAULT_RATE_LIMIT.deadlineMs),
            onUnusable: (message) => this.#onWarning?.({ code: 'MDB_RATE_LIMIT_FILE_UNUSABLE', message }),
            hint: this.#options.hints.tokenCache,
          });
  }

  /** HTTP requests sent so far: API attempts, authentication rounds and token requests. */
  get requestCount(): number {
    return this.#transport.count;
  }

  /**
   * Cancels one pending invitation of the target's invites API (an adopted id):
   * `DELETE …/groups/{groupId}/invites/{invitationId}`, paced and retried like every person operation.
   * Resolves 'revoked' (2xx), or 'already-gone' when the DELETE answered 404 with an ApiError about the
   * invitation AND one list of the project's pending invitations confirms it is not there. Throws
   * otherwise: a project that is not there, a list that fails, an answer that is not MongoDB's.
   */
  async cancelInvitation(groupId: string, invitationId: string): Promise<CancelOutcome> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('invitationId', invitationId)]);
    const ctx = this.#people();
    const api = this.#invitesApi();
    const request = cancelInviteRequestOf(api, groupId, invitationId);
    const path = ctx.prefixed(request).path;
    const response = await ctx.send(request, 'write');
    const first = cancelOutcome(response, this.#failureContext('DELETE', path));
    if (first.outcome !== 'maybe-gone') return first;
    const confirmedBy = `GET ${ctx.prefixed(listInvitesRequestOf(api, groupId)).path}`;
    let pending: PersonRecord[] | 'gone';
    try {
      pending = await listInvites(ctx, api, groupId);
    } catch (error) {
      throw new UnconfirmedError(path, first.errorCode, error, this.#auth.secrets());
    }
    if (pending === 'gone' || pending.some((i) => i.id === invitationId)) {
      throw new UnconfirmedError(path, first.errorCode, undefined, this.#auth.secrets());
    }
    return { outcome: 'already-gone', status: 404, method: 'DELETE', path, ...pick(first), confirmedBy };
  }

  /**
   * Whether an invitation is pending: one list of the project's pending invitations. Used when an
   * invitation made elsewhere is adopted, so that a mistyped id fails the first apply.
   */
  async findInvitation(groupId: string, invitationId: string): Promise<PendingPerson | undefined> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('invitationId', invitationId)]);
    return (await this.listInvitations(groupId)).find((i) => i.id === invitationId);
  }

  /**
   * The pending invitations of the target's invites API (where adopted ids live), optionally only those
   * the server matches to one username; none once the Atlas invites API is gone (410).
   */
  async listInvitations(groupId: string, filter: { username?: string } = {}): Promise<PendingPerson[]> {
    const { username } = filter;
    checkIds([
      checkObjectId('groupId', groupId),
      username === undefined ? undefined : checkNoControlCharacters('username', username),
    ]);
    const found = await listInvites(this.#people(), this.#invitesApi(), groupId, username);
    return found === 'gone' ? [] : found.filter((r): r is PendingPerson => r.status === 'PENDING');
  }

  /**
   * Makes sure a person has a pending invitation (or membership) to a project with exactly the declared
   * roles. Idempotent: already pending with the same roles = 'already-pending' (nothing sent); pending
   * or a member with other roles = 'roles-updated' (Cloud Users `:addRole`/`:removeRole`, invites API
   * `PATCH`); else 'invited' (or 'added-as-member'). Rate limits are waited out (see `onWait`,
   * `rateLimit`); the creation POST is never resent before a list shows it did not land.
   *
   * @throws ConfigurationError (MDB_CONFIGURATION) for bad input, before anything is sent; MongoDbApiError,
   *   AuthenticationError, EndpointGoneError, NetworkError, RetryExhaustedError, RateLimitedError (MDB_RATE_LIMITED).
   */
  async invitePerson(groupId: string, options: InvitePersonOptions): Promise<InvitePersonResult> {
    const { username, roles } = options;
    const api = resolvePersonApi(this.#options.target, options.api, 'invitePerson');
    checkIds([
      checkObjectId('groupId', groupId),
      checkUsername('username', username),
      checkRoles('roles', roles),
      ...api.problems,
    ]);
    return personOperations.invite().invitePerson(this.#people(), api.api, groupId, username, roles);
  }

  /**
   * Cancels every pending invitation of a username in a project: on Atlas in both APIs (a 410 from the
   * invites API = nothing there), on Ops Manager in its invites API. Nothing pending = done, with the
   * reason as the outcome: 'accepted' (an active member, left alone unless `removeAccepted`), 'expired'
   * or 'nothing-pending'. `actions` lists every request that changed something.
   */
  async revokePerson(
    groupId: string,
    username: string,
    options: RevokePersonOptions = {},
  ): Promise<RevokePersonResult> {
    // Only the value is checked: on Ops Manager `api` is ignored (a destroy must not fail on a setting).
    const api = resolvePersonApi('atlas', options.api, 'revokePerson');
    checkIds([checkObjectId('groupId', groupId), checkUsername('username', username), ...api.problems]);
    const first = options.api ?? DEFAULT_ATLAS_API;
    return personOperations.revoke().revokePerson(this.#people(), groupId, username, {
      removeAccepted: options.removeAccepted ?? false,
      first,
    });
  }

  /**
   * Pending invitations of a project from every API of the target (Atlas: Cloud Users, every page, and
   * the invites API while it answers; Ops Manager: its invites API), each tagged with its `api`.
   */
  async listPending(groupId: string, filter: { username?: string } = {}): Promise<PendingPerson[]> {
    const { username } = filter;
    checkIds([
      checkObjectId('groupId', groupId),
      username === undefined ? undefined : checkUsername('username', username),
    ]);
    return listPendingPeople(this.#people(), groupId, username);
  }

  /** Active members of a project: Cloud Users (ACTIVE) on Atlas, `/groups/{g}/users` on Ops Manager. */
  async listMembers(groupId: string): Promise<ProjectMember[]> {
    checkIds([checkObjectId('groupId', groupId)]);
    return listProjectMembers(this.#people(), groupId);
  }

  /**
   * Cancels one pending invitation that `listPending` returned, in the API that reported it (used by
   * `audit --prune`). A Cloud Users user is listed again first and removed only while still PENDING
   * ('not-pending' otherwise), so a person who accepted in between stays a member.
   */
  async cancelPending(groupId: string, pending: PendingPerson): Promise<CancelPendingResult> {
    checkIds([checkObjectId('groupId', groupId), checkObjectId('id', pending.id)]);
    return personOperations.cancel().cancelPending(this.#people(), groupId, pending);
  }

  /**
   * Revokes a service-account token that no other process shares (no token cache, or the cache was
   * unusable), then closes the connections this client opened (an injected dispatcher is left open).
   * A process that exits right after may leave idle connections to its exit (`leaveConnectionsToExit`).
   */
  async close(options: CloseOptions = {}): Promise<void> {
    try {
      if (this.#auth.close) {
        const o = this.#options;
        const ctx = this.#context(o.now() + Math.min(o.deadlineMs, CLOSE_DEADLINE_MS));
        await this.#auth.close({ send: this.#sender(ctx), now: o.now, deadline: ctx.deadline });
      }
    } finally {
      await this.#transport.close(options);
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `InvitationClient { target: '${this.#options.target}', baseUrl: '${this.#options.baseUrl}', auth: '${this.#auth.kind}' }`;
  }

  /** The invites API of the target: adopted ids are its invitations (docs/design.md, decision 8). */
  #invitesApi(): InvitesApi {
    return this.#options.target === 'atlas' ? 'invites' : 'ops-manager';
  }

  #failureContext(method: string, path: string) {
    const { target } = this.#options;
    return { target, method, path, authHint: this.#auth.hint, secrets: this.#auth.secrets() };
  }

  // The context of one person operation: its rate-limit deadline starts now.
  #people(): PeopleContext {
    const o = this.#options;
    const deadline = o.now() + o.rateLimit.deadlineMs;
    const prefixed = (request: ApiRequest): ApiRequest => ({
      ...request,
      path: `${o.prefix}${request.path}`,
    });
    // 429 is waited out by paced(), not by the retry loop; a creation POST is sent exactly once.
    const retries: Record<SendMode, ResolvedRetryOptions> = {
      read: { ...o.retry, statusCodes: o.retry.statusCodes.filter((s) => s !== 429) },
      write: { ...o.retry, statusCodes: o.retry.statusCodes.filter((s) => s !== 429) },
      create: { ...o.retry, maxRetries: 0, statusCodes: [] },
    };
    const pacing = {
      store: this.#notBefore,
      limits: o.rateLimit,
      deadline,
      now: o.now,
      sleep: o.sleep,
      random: o.random,
      onWait: this.#onWait,
      secrets: () => this.#auth.secrets(),
      streak: { count: 0 },
    };
    return {
      target: o.target,
      prefixed,
      retry: o.retry,
      now: o.now,
      sleep: o.sleep,
      random: o.random,
      secrets: () => this.#auth.secrets(),
      send: (request, mode) => {
        const { method, path, query, accept, body } = prefixed(request);
        const scope = mode === 'create' ? 'create' : 'all';
        return paced(pacing, { method, path, scope }, () =>
          this.#run(method, path, query, {
            accept,
            retry: retries[mode],
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          }),
        );
      },
      failure: (request, response) => {
        const { method, path } = prefixed(request);
        return failureFor(response, this.#failureContext(method, path));
      },
    };
  }

  #context(deadline: number, retry?: ResolvedRetryOptions): ExchangeContext {
    const o = this.#options;
    return {
      transport: this.#transport,
      retry: retry ?? o.retry,
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

  async #run(
    method: HttpMethod,
    path: string,
    query: string,
    extra: { accept: string; body?: string; retry?: ResolvedRetryOptions },
  ): Promise<HttpResponse> {
    const o = this.#options;
    const base = this.#context(o.now() + o.deadlineMs, extra.retry);
    const ctx: ExchangeContext = {
      ...base,
      deadlineMs: o.deadlineMs,
      onResponse: (response) => this.#warnOnce(method, path, response),
    };
    const accept = extra.accept;
    const headers: Record<string, string> = { accept, 'user-agent': o.userAgent };
    if (extra.body !== undefined) headers['content-type'] = accept;
    // Token requests are not paced (paced() sees API answers only): they keep the whole retry policy, 429 included.
    const tokens = this.#sender(this.#context(base.deadline));
    const round = this.#auth.begin({ send: tokens, now: o.now, deadline: ctx.deadline });
    const request = {
      method,
      path,
      query,
      headers,
      ...(extra.body === undefined ? {} : { body: extra.body }),
    };
    return exchange(ctx, request, round);
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
