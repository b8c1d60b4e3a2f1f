// Rate limits are waited out, never failed (DESIGN decision 9): 400 INVITATIONS_RATE_LIMITED_IP and 429. A
// "not before" file per base URL in a shared directory (wait-file.ts) makes the processes of one apply wait
// together; each wait goes to `onWait`; one past the deadline fails with RateLimitedError and is never
// shared. A Retry-After under a second (0, a past date) or none gets a growing wait of at least a second.
// README, "Rate limits"; docs/reference-rate-limits-and-hints.md.
import { parseApiError } from '../apis/api-error';
import { errorBrand } from '../../contract/errors';
import { InvitationError, type InvitationErrorOptions } from '../errors';
import type { HttpResponse } from './transport';
import { parseRetryAfter } from './retry';

/** The invitation-creation limit's errorCode (400). */
export const INVITATIONS_RATE_LIMITED = 'INVITATIONS_RATE_LIMITED_IP';

/** How rate limits are waited out. */
export interface RateLimitOptions {
  /**
   * Directory of the shared "not before" file (one per base URL), so that the processes of one apply
   * wait together; false keeps the pacing inside this client.
   *
   * @default - the client's tokenCacheDir when it is a directory, else false
   */
  readonly dir?: string | false;
  /**
   * Wait after a 400 INVITATIONS_RATE_LIMITED_IP without Retry-After: the limit's window.
   *
   * @default 60000
   */
  readonly windowMs?: number;
  /**
   * Largest random extra added to that wait, so that waiting processes do not all resend at once.
   *
   * @default 10000
   */
  readonly jitterMs?: number;
  /**
   * Longest time one person operation (invitePerson, revokePerson, listPending, listMembers) may spend,
   * rate-limit waits included; a wait that would pass it fails with RateLimitedError. 15 minutes lets
   * 50 invitations through at 10 a minute with room to spare.
   *
   * @default 900000
   */
  readonly deadlineMs?: number;
}

export interface ResolvedRateLimitOptions {
  readonly dir: string | false;
  readonly windowMs: number;
  readonly jitterMs: number;
  readonly deadlineMs: number;
}

export const DEFAULT_RATE_LIMIT = { windowMs: 60_000, jitterMs: 10_000, deadlineMs: 900_000 } as const;

/** Shortest wait after a rate-limited answer, whatever Retry-After says (0, negative, a past date). */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/** One wait, reported before it starts (the CLI prints one line per wait). */
export interface RateLimitWait {
  /** Whole seconds to wait (rounded up). */
  readonly seconds: number;
  /** Why, in words: the server's errorCode and detail, or the shared pacing. */
  readonly reason: string;
  /** 'server': this request was refused; 'shared': another request of this apply was. */
  readonly source: 'server' | 'shared';
  readonly method: string;
  /** Path only: no query string. */
  readonly path: string;
}

/** A rate limit outlasted the deadline. */
export class RateLimitedError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_RATE_LIMITED');
  readonly code = 'MDB_RATE_LIMITED';
  readonly method: string;
  readonly path: string;
  readonly waitedMs: number;
  readonly errorCode?: string;
  /** When the wait that did not fit would have ended (ISO 8601). */
  readonly retryAt?: string;
  /** The shared wait file this run read and wrote, if any. */
  readonly waitFile?: string;

  constructor(
    failure: {
      method: string;
      path: string;
      waitedMs: number;
      nextWaitMs: number;
      deadlineMs: number;
      errorCode?: string;
      /** Absolute time (ms since the epoch) the next wait would have ended. */
      retryAt?: number;
      /** 'shared': the wait came from the wait file; 'server': from this request's answer. */
      source?: 'server' | 'shared';
      waitFile?: string;
    },
    options?: InvitationErrorOptions,
  ) {
    const retryAt =
      failure.retryAt !== undefined && Number.isFinite(failure.retryAt) && Math.abs(failure.retryAt) < 8.64e15
        ? new Date(failure.retryAt).toISOString()
        : undefined;
    const when = retryAt ? ` after ${retryAt}` : ' later';
    const file =
      failure.waitFile === undefined
        ? ''
        : failure.source === 'shared'
          ? ` That wait was shared by another process through ${JSON.stringify(failure.waitFile)}: ` +
            `wait until ${retryAt ?? 'it ends'}, or delete that file if no other run against this server is rate limited.`
          : ` Waits are shared through ${JSON.stringify(failure.waitFile)} (a longer wait than the deadline is not stored there).`;
    super(
      `${failure.method} ${failure.path} is rate limited by MongoDB` +
        `${failure.errorCode ? ` (${failure.errorCode})` : ''}: waited ${Math.round(failure.waitedMs / 1000)} s, ` +
        `and the next wait (${Math.ceil(failure.nextWaitMs / 1000)} s) would pass the ` +
        `${Math.round(failure.deadlineMs / 1000)} s deadline. Run the apply again${when}, or raise the deadline ` +
        `(Atlas creates at most 10 invitations a minute per IP address).${file}`,
      options,
    );
    this.method = failure.method;
    this.path = failure.path;
    this.waitedMs = failure.waitedMs;
    if (failure.errorCode !== undefined) this.errorCode = failure.errorCode;
    if (retryAt !== undefined) this.retryAt = retryAt;
    if (failure.waitFile !== undefined) this.waitFile = failure.waitFile;
  }
}

/** What a "not before" applies to: invitation creation only, or every request. */
export type RateScope = 'create' | 'all';

/** Absolute times (ms since the epoch) before which no request of a scope should start. */
export interface NotBefore {
  readonly create: number;
  readonly all: number;
}

export interface NotBeforeStore {
  /** The shared wait file, while waits are shared through one. */
  readonly path?: string | undefined;
  read(): Promise<NotBefore>;
  /** Moves a scope's time later (never earlier). */
  push(scope: RateScope, until: number): Promise<void>;
}

/** Pacing inside one client. */
export class MemoryNotBefore implements NotBeforeStore {
  #value: NotBefore = { create: 0, all: 0 };

  async read(): Promise<NotBefore> {
    return this.#value;
  }

  async push(scope: RateScope, until: number): Promise<void> {
    this.#value = { ...this.#value, [scope]: Math.max(this.#value[scope], until) };
  }
}

/** A rate-limit answer: its scope, the server's wait (if it gave one) and its words. */
export interface RateLimitAnswer {
  readonly scope: RateScope;
  readonly retryAfterMs?: number;
  readonly errorCode?: string;
  readonly detail?: string;
}

/** Recognizes 429 (any request) and 400 INVITATIONS_RATE_LIMITED_IP (creation); undefined otherwise. */
export function rateLimitOf(response: HttpResponse, now: number): RateLimitAnswer | undefined {
  if (response.status !== 429 && response.status !== 400) return undefined;
  const api = parseApiError(response);
  if (response.status === 400 && api?.errorCode !== INVITATIONS_RATE_LIMITED) return undefined;
  const raw = response.headers['retry-after'];
  const retryAfterMs = parseRetryAfter(Array.isArray(raw) ? raw[0] : raw, now);
  return {
    scope: response.status === 400 ? 'create' : 'all',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...api,
  };
}

/** What `paced` needs: the clock, the store, the limits and where to report. */
export interface PacingContext {
  readonly store: NotBeforeStore;
  readonly limits: ResolvedRateLimitOptions;
  /** Absolute time (per `now`) no wait may pass. */
  readonly deadline: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onWait?: ((wait: RateLimitWait) => void) | undefined;
  readonly secrets: () => readonly string[];
  /**
   * Rate-limited answers in a row across the requests of one operation (reset by any other answer): the
   * backoff grows with it.
   */
  readonly streak?: { count: number };
}

/** Most rate-limited answers one request may get before giving up (the deadline normally comes first). */
const MAX_RATE_LIMITED_ROUNDS = 1_000;

/**
 * Sends one request, first waiting out any shared "not before" for its scope, then waiting out every
 * rate-limited answer (Retry-After when it says a second or more; else the window plus jitter for the
 * creation limit, or a growing backoff of at least a second for a 429) and sending again. A wait that
 * would pass the deadline fails at once and is not shared. Returns the first answer that is not a rate limit.
 */
export async function paced(
  ctx: PacingContext,
  request: { method: string; path: string; scope: RateScope },
  send: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const started = ctx.now();
  const streak = ctx.streak ?? { count: 0 };
  const fits = (ms: number) => ctx.now() + ms <= ctx.deadline;
  const pause = async (ms: number, wait: Omit<RateLimitWait, 'seconds'>, errorCode?: string) => {
    if (!fits(ms)) {
      const waitFile = ctx.store.path;
      throw new RateLimitedError(
        {
          method: request.method,
          path: request.path,
          waitedMs: ctx.now() - started,
          nextWaitMs: ms,
          deadlineMs: ctx.limits.deadlineMs,
          retryAt: ctx.now() + ms,
          source: wait.source,
          ...(errorCode === undefined ? {} : { errorCode }),
          ...(waitFile === undefined ? {} : { waitFile }),
        },
        { secrets: ctx.secrets() },
      );
    }
    ctx.onWait?.({ seconds: Math.ceil(ms / 1000), ...wait });
    await ctx.sleep(ms);
  };
  const where = { method: request.method, path: request.path };
  for (let round = 0; round < MAX_RATE_LIMITED_ROUNDS; round++) {
    const notBefore = await ctx.store.read();
    const until = request.scope === 'create' ? Math.max(notBefore.create, notBefore.all) : notBefore.all;
    const shared = until - ctx.now();
    if (shared > 0) {
      await pause(shared, {
        ...where,
        source: 'shared',
        reason: 'another request of this apply was rate limited by MongoDB; waiting with it',
      });
    }
    const response = await send();
    const limit = rateLimitOf(response, ctx.now());
    if (!limit) {
      streak.count = 0;
      return response;
    }
    const honoured = limit.retryAfterMs !== undefined && limit.retryAfterMs >= MIN_RATE_LIMIT_WAIT_MS;
    const delay = honoured ? (limit.retryAfterMs as number) : defaultWait(limit.scope, streak.count, ctx);
    streak.count += 1;
    // Shared only when it fits the deadline: a longer wait fails this run (below), and must not block
    // the other runs against this server (the server tells each of them itself).
    if (fits(delay)) await ctx.store.push(limit.scope, ctx.now() + delay);
    const words = `${response.status}${limit.errorCode ? ` ${limit.errorCode}` : ''}`;
    const detail = limit.detail ? `: ${limit.detail.replace(/\.$/, '')}` : '';
    const after = honoured ? ' (Retry-After)' : '';
    await pause(
      delay,
      { ...where, source: 'server', reason: `MongoDB answered ${words}${detail}${after}` },
      limit.errorCode,
    );
  }
  throw new RateLimitedError(
    { ...where, waitedMs: ctx.now() - started, nextWaitMs: 0, deadlineMs: ctx.limits.deadlineMs },
    { secrets: ctx.secrets() },
  );
}

// The creation limit counts a window (a minute): wait it out, plus jitter. A 429 without a usable
// Retry-After gets a growing wait (up to 2 s, 4 s, 8 s, … capped at the window), half of it random,
// never under MIN_RATE_LIMIT_WAIT_MS.
function defaultWait(scope: RateScope, streak: number, ctx: PacingContext): number {
  const { windowMs, jitterMs } = ctx.limits;
  if (scope === 'create') return windowMs + Math.floor(ctx.random() * jitterMs);
  const ceiling = Math.min(windowMs, MIN_RATE_LIMIT_WAIT_MS * 2 ** Math.min(streak + 1, 16));
  return Math.max(MIN_RATE_LIMIT_WAIT_MS, Math.floor(ceiling / 2 + (ctx.random() * ceiling) / 2));
}
