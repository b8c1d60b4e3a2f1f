// Service-account access tokens: issued by the OAuth token endpoint, checked on Bearer requests, capped
// per client (Atlas: 100 live tokens per service account) and revocable. Static access tokens from the
// options never expire.
import { randomBytes } from 'node:crypto';

export type TokenCheck =
  { ok: true; principal: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

interface IssuedToken {
  readonly clientId: string;
  readonly expiresAt: number;
  revoked: boolean;
}

/** Revoked and expired tokens are remembered (to answer precisely) up to this many, then forgotten. */
const MAX_REMEMBERED = 100_000;

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly live = new Map<string, Set<string>>();
  /** Tokens issued since the start (or the last reset). */
  issued = 0;

  constructor(
    private readonly staticTokens: ReadonlySet<string>,
    private readonly now: () => number,
    private readonly lifetimeSeconds: number,
    private readonly maxPerClient: number,
  ) {}

  /** A new token for `clientId`, or undefined when the client already holds the maximum of live tokens. */
  issue(clientId: string): { token: string; expiresIn: number } | undefined {
    if (this.liveCount(clientId) >= this.maxPerClient) return undefined;
    const token = `sbx_${randomBytes(24).toString('base64url')}`;
    if (this.tokens.size >= MAX_REMEMBERED) this.forgetDead();
    this.tokens.set(token, { clientId, expiresAt: this.now() + this.lifetimeSeconds * 1000, revoked: false });
    let set = this.live.get(clientId);
    if (!set) {
      set = new Set();
      this.live.set(clientId, set);
    }
    set.add(token);
    this.issued += 1;
    return { token, expiresIn: this.lifetimeSeconds };
  }

  check(token: string): TokenCheck {
    if (this.staticTokens.has(token)) return { ok: true, principal: 'access-token' };
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.revoked) return { ok: false, reason: 'revoked' };
    if (issued.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, principal: issued.clientId };
  }

  /** Revokes a token if `clientId` owns it (RFC 7009: the caller is told nothing either way). */
  revoke(token: string, clientId: string): void {
    const issued = this.tokens.get(token);
    if (!issued || issued.clientId !== clientId) return;
    issued.revoked = true;
    this.live.get(clientId)?.delete(token);
  }

  /** Revokes every issued token (the `revoke-tokens` fault). Static tokens stay valid. */
  revokeAll(): void {
    for (const issued of this.tokens.values()) issued.revoked = true;
    this.live.clear();
  }

  /** Live (unexpired, unrevoked) tokens of one client. */
  liveCount(clientId: string): number {
    const set = this.live.get(clientId);
    if (!set) return 0;
    const now = this.now();
    for (const token of set) {
      const issued = this.tokens.get(token);
      if (!issued || issued.revoked || issued.expiresAt <= now) set.delete(token);
    }
    return set.size;
  }

  clear(): void {
    this.tokens.clear();
    this.live.clear();
    this.issued = 0;
  }

  private forgetDead(): void {
    const now = this.now();
    for (const [token, issued] of this.tokens) {
      if (issued.revoked || issued.expiresAt <= now) this.tokens.delete(token);
    }
  }
}

/** A sliding-window limiter: at most `requests` in any `perMs` window. */
export class WindowLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly requests: number,
    private readonly perMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one request; returns 0 when allowed, else the seconds to wait before the window frees one. */
  take(): number {
    const now = this.now();
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - this.perMs) this.times.shift();
    if (this.times.length >= this.requests) {
      const oldest = this.times[0] ?? now;
      return Math.max(1, Math.ceil((oldest + this.perMs - now) / 1000));
    }
    this.times.push(now);
    return 0;
  }

  clear(): void {
    this.times.length = 0;
  }
}
