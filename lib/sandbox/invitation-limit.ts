// Atlas's invitation-creation limit: 10 a minute per client IP (provider issue #1589), 400 (not 429)
// INVITATIONS_RATE_LIMITED_IP, counted over both Atlas APIs in a sliding window. Retry-After is the sandbox's
// addition (the real Atlas may not send it). docs/sandbox.md, "The invitation rate limit".
import { apiError, type Reply } from './http';

export const INVITATIONS_RATE_LIMITED_IP = 'INVITATIONS_RATE_LIMITED_IP';

export interface InvitationRateLimit {
  /** Invitations allowed per window. */
  readonly count: number;
  readonly windowMs: number;
}

export const DEFAULT_INVITATION_RATE_LIMIT: InvitationRateLimit = Object.freeze({
  count: 10,
  windowMs: 60_000,
});

export class InvitationLimiter {
  private readonly times = new Map<string, number[]>();

  constructor(
    readonly limit: InvitationRateLimit,
    private readonly now: () => number,
  ) {}

  /** The 400 to answer when `ip` has used up its window, else undefined. Counts nothing. */
  check(ip: string): Reply | undefined {
    const times = this.live(ip);
    if (times.length < this.limit.count) return undefined;
    const oldest = times[0] ?? this.now();
    const retryAfter = Math.max(1, Math.ceil((oldest + this.limit.windowMs - this.now()) / 1000));
    // Atlas's detail, as quoted in provider issue #1589, ends "10 invitations per 1 minutes"; the
    // beginning of the sentence is the sandbox's wording.
    const detail = `Too many invitations from IP address ${ip}. The limit is ${this.limit.count} invitations per ${describeWindow(this.limit.windowMs)}.`;
    return {
      status: 400,
      body: apiError(400, INVITATIONS_RATE_LIMITED_IP, detail, { parameters: [ip] }),
      headers: { 'Retry-After': String(retryAfter) },
    };
  }

  /** Counts one created invitation of `ip`. */
  record(ip: string): void {
    const times = this.live(ip);
    times.push(this.now());
    this.times.set(ip, times);
  }

  clear(): void {
    this.times.clear();
  }

  private live(ip: string): number[] {
    const since = this.now() - this.limit.windowMs;
    const times = (this.times.get(ip) ?? []).filter((t) => t > since);
    this.times.set(ip, times);
    return times;
  }
}

/** "1 minutes" (Atlas's own grammar) for whole minutes, else "N seconds". */
function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.round(ms / 1000)} seconds`;
}

/** Checks the `invitationRateLimit` option; returns undefined for 'off'. Throws a message on bad input. */
export function resolveInvitationRateLimit(
  value: InvitationRateLimit | 'off' | undefined,
): InvitationRateLimit | undefined {
  if (value === 'off') return undefined;
  if (value === undefined) return DEFAULT_INVITATION_RATE_LIMIT;
  const { count, windowMs } = value as Partial<InvitationRateLimit>;
  if (
    !Number.isInteger(count) ||
    (count as number) < 1 ||
    !Number.isInteger(windowMs) ||
    (windowMs as number) < 1
  ) {
    throw new Error('invitationRateLimit must be "off" or {count, windowMs} with positive whole numbers');
  }
  return { count: count as number, windowMs: windowMs as number };
}
