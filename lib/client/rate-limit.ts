// Rate limits are waited out, never failed (DESIGN decision 9): 400 INVITATIONS_RATE_LIMITED_IP and 429. A
// "not before" file per base URL in a shared directory makes the processes of one apply wait together; each
// wait goes to `onWait`; one past the deadline fails with RateLimitedError. README, "Rate limits".
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseApiError } from './api-error';
import { errorBrand } from '../contract/errors';
import { InvitationError, type InvitationErrorOptions } from './errors';
import type { HttpResponse } from './http';
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

  constructor(
    failure: {
      method: string;
      path: string;
      waitedMs: number;
      nextWaitMs: number;
      deadlineMs: number;
      errorCode?: string;
    },
    options?: InvitationErrorOptions,
  ) {
    super(
      `${failure.method} ${failure.path} is rate limited by MongoDB` +
        `${failure.errorCode ? ` (${failure.errorCode})` : ''}: waited ${Math.round(failure.waitedMs / 1000)} s, ` +
        `and the next wait (${Math.ceil(failure.nextWaitMs / 1000)} s) would pass the ` +
        `${Math.round(failure.deadlineMs / 1000)} s deadline. Run the apply again later, or raise the deadline ` +
        '(Atlas creates at most 10 invitations a minute per IP address).',
      options,
    );
    this.method = failure.method;
    this.path = failure.path;
    this.waitedMs = failure.waitedMs;
    if (failure.errorCode !== undefined) this.errorCode = failure.errorCode;
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

/** The file's name in `dir` for a base URL. */
export function notBeforeFile(dir: string, baseUrl: string): string {
  const key = createHash('sha256').update(`cdktf-mongodb-invitations/rate/v1\0${baseUrl}`).digest('hex');
  return join(dir, `rate-${key.slice(0, 32)}.json`);
}

/**
 * Pacing shared by the processes that use one directory: `{"v":1,"create":ms,"all":ms}`, written to a
 * temporary file and renamed (readers see the old file or the new one). Any file problem falls back to
 * the in-memory value: pacing is an optimisation, the server's answer remains the authority.
 */
export class FileNotBefore implements NotBeforeStore {
  readonly #dir: string;
  readonly #file: string;
  readonly #memory = new MemoryNotBefore();

  constructor(dir: string, baseUrl: string) {
    this.#dir = dir;
    this.#file = notBeforeFile(dir, baseUrl);
  }

  async read(): Promise<NotBefore> {
    const mine = await this.#memory.read();
    const shared = await this.#readFile();
    return { create: Math.max(mine.create, shared.create), all: Math.max(mine.all, shared.all) };
  }

  async push(scope: RateScope, until: number): Promise<void> {
    await this.#memory.push(scope, until);
    const current = await this.read();
    const json = JSON.stringify({ v: 1, create: current.create, all: current.all });
    const tmp = `${this.#file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await fs.writeFile(tmp, json, { mode: 0o600, flag: 'wx' });
      await fs.rename(tmp, this.#file);
    } catch {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async #readFile(): Promise<NotBefore> {
    try {
      const data = JSON.parse(await fs.readFile(this.#file, 'utf8')) as Record<string, unknown>;
      const time = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      return data.v === 1 ? { create: time(data.create), all: time(data.all) } : { create: 0, all: 0 };
    } catch {
      return { create: 0, all: 0 };
    }
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
}

/** Most rate-limited answers one request may get before giving up (the deadline normally comes first). */
const MAX_RATE_LIMITED_ROUNDS = 1_000;

/**
 * Sends one request, first waiting out any shared "not before" for its scope, then waiting out every
 * rate-limited answer (Retry-After when given; else the window plus jitter for the creation limit, or
 * a growing backoff for a bare 429) and sending again. Returns the first answer that is not a rate limit.
 */
export async function paced(
  ctx: PacingContext,
  request: { method: string; path: string; scope: RateScope },
  send: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const started = ctx.now();
  const pause = async (ms: number, wait: Omit<RateLimitWait, 'seconds'>, errorCode?: string) => {
    if (ctx.now() + ms > ctx.deadline) {
      throw new RateLimitedError(
        {
          method: request.method,
          path: request.path,
          waitedMs: ctx.now() - started,
          nextWaitMs: ms,
          deadlineMs: ctx.limits.deadlineMs,
          ...(errorCode === undefined ? {} : { errorCode }),
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
    if (!limit) return response;
    const delay = limit.retryAfterMs ?? defaultWait(limit.scope, round, ctx);
    await ctx.store.push(limit.scope, ctx.now() + delay);
    const words = `${response.status}${limit.errorCode ? ` ${limit.errorCode}` : ''}`;
    const detail = limit.detail ? `: ${limit.detail.replace(/\.$/, '')}` : '';
    const after = limit.retryAfterMs === undefined ? '' : ' (Retry-After)';
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

// The creation limit counts a window (a minute): wait it out, plus jitter. A bare 429 gets a growing
// wait (1 s, 2 s, 4 s, … capped at the window), half of it random, never zero.
function defaultWait(scope: RateScope, round: number, ctx: PacingContext): number {
  const { windowMs, jitterMs } = ctx.limits;
  if (scope === 'create') return windowMs + Math.floor(ctx.random() * jitterMs);
  const ceiling = Math.min(windowMs, 1000 * 2 ** Math.min(round, 16));
  return Math.max(1, Math.floor(ceiling / 2 + (ctx.random() * ceiling) / 2));
}
