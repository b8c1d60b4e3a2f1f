// Fault switches: make the next N matching requests fail in a chosen way. A fault fires on a request
// that passed authentication (so a Digest client's unauthenticated first round-trip never consumes it),
// in place of the answer that request would have had. Faults are tried in the order they were added.

/** Which requests a fault applies to; every field given must match. */
export interface FaultMatch {
  /** HTTP method, e.g. `'DELETE'` (case-insensitive). */
  readonly method?: string;
  /** Exact path (no query), or a RegExp tested against it. */
  readonly path?: string | RegExp;
  readonly target?: 'atlas' | 'ops-manager' | 'oauth';
  readonly invitationId?: string;
  /** How many matching requests it fires on; default 1. `'always'` until cleared. */
  readonly times?: number | 'always';
}

export type FaultKind =
  /** Answer this status (4xx or 5xx) with an ApiError body (`errorCode` defaults by status). */
  | { readonly kind: 'status'; readonly status: number; readonly errorCode?: string }
  /** 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After (seconds, default 1) and RateLimit-Remaining: 0. */
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number }
  /** Destroy the connection without an answer (the client sees ECONNRESET or "socket hang up"). */
  | { readonly kind: 'reset' }
  /** Wait, then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Refuse a Digest-authenticated request with a fresh challenge carrying stale=true. */
  | { readonly kind: 'stale-nonce' }
  /** Revoke every issued token, so this Bearer request (and later ones) answer 401. */
  | { readonly kind: 'revoke-tokens' };

export type FaultSpec = FaultMatch & FaultKind;

export interface RequestFacts {
  readonly method: string;
  readonly path: string;
  readonly target: string;
  readonly invitationId?: string;
  readonly authScheme: string;
}

interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
}

/** The longest delay a fault may ask for, so that no test can hang the sandbox for long. */
export const MAX_FAULT_DELAY_MS = 120_000;

export class Faults {
  private active: ActiveFault[] = [];
  private nextId = 1;

  /** Adds a fault; returns its id (for `remove`). Throws a TypeError that says what is wrong. */
  add(spec: FaultSpec): number {
    const problem = checkFault(spec);
    if (problem) throw new TypeError(`invalid fault: ${problem}`);
    const times = spec.times ?? 1;
    const id = this.nextId++;
    this.active.push({ id, spec, remaining: times === 'always' ? Infinity : times });
    return id;
  }

  remove(id: number): boolean {
    const before = this.active.length;
    this.active = this.active.filter((fault) => fault.id !== id);
    return this.active.length !== before;
  }

  clear(): void {
    this.active = [];
  }

  /** The faults still armed, with how many times each will still fire. */
  list(): { id: number; remaining: number | 'always'; spec: FaultSpec }[] {
    return this.active.map(({ id, remaining, spec }) => ({
      id,
      remaining: remaining === Infinity ? 'always' : remaining,
      spec,
    }));
  }

  /** Finds the first fault that applies to this request and uses one of its times. */
  take(request: RequestFacts): FaultSpec | undefined {
    if (this.active.length === 0) return undefined;
    const index = this.active.findIndex((fault) => applies(fault.spec, request));
    const fault = this.active[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault.spec;
  }
}

function applies(spec: FaultSpec, request: RequestFacts): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
  if (spec.target !== undefined && spec.target !== request.target) return false;
  if (spec.invitationId !== undefined && spec.invitationId !== request.invitationId) return false;
  if (typeof spec.path === 'string' && spec.path !== request.path) return false;
  if (spec.path instanceof RegExp && !spec.path.test(request.path)) return false;
  if (spec.kind === 'stale-nonce' && request.authScheme !== 'digest') return false;
  if (spec.kind === 'revoke-tokens' && request.authScheme !== 'bearer') return false;
  return true;
}

/** The fields each kind may carry, besides the match fields. */
const KIND_FIELDS: Record<FaultKind['kind'], readonly string[]> = {
  status: ['status', 'errorCode'],
  'rate-limit': ['retryAfterSeconds'],
  reset: [],
  delay: ['ms'],
  'stale-nonce': [],
  'revoke-tokens': [],
};
const MATCH_FIELDS = ['method', 'path', 'target', 'invitationId', 'times'];
const TARGETS = ['atlas', 'ops-manager', 'oauth'];

/** What is wrong with the match fields of a fault (their types too: JSON and JS callers send anything). */
function checkMatch(spec: FaultSpec): string | undefined {
  const { method, path, target, invitationId, times } = spec as unknown as Record<string, unknown>;
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    return 'method must be an HTTP method name such as "DELETE"';
  }
  if (path !== undefined && typeof path !== 'string' && !(path instanceof RegExp)) {
    return 'path must be a string (or, over the admin path, pathPattern a RegExp source)';
  }
  if (target !== undefined && !TARGETS.includes(target as string)) {
    return `target must be one of ${TARGETS.join(', ')}`;
  }
  if (invitationId !== undefined && typeof invitationId !== 'string') return 'invitationId must be a string';
  if (times !== undefined && times !== 'always' && !(Number.isInteger(times) && (times as number) > 0)) {
    return 'times must be a positive integer or "always"';
  }
  return undefined;
}

/** What is wrong with a fault, or undefined. */
export function checkFault(spec: FaultSpec): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'a fault must be an object';
  const match = checkMatch(spec);
  if (match) return match;
  switch (spec.kind) {
    case 'status':
      if (!(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)) {
        return 'status must be an integer from 400 to 599';
      }
      return spec.errorCode === undefined || typeof spec.errorCode === 'string'
        ? undefined
        : 'errorCode must be a string';
    case 'rate-limit': {
      const seconds = spec.retryAfterSeconds;
      return seconds === undefined || (Number.isInteger(seconds) && seconds >= 0)
        ? undefined
        : 'retryAfterSeconds must be a whole number of seconds';
    }
    case 'delay':
      return typeof spec.ms === 'number' &&
        Number.isFinite(spec.ms) &&
        spec.ms >= 0 &&
        spec.ms <= MAX_FAULT_DELAY_MS
        ? undefined
        : `ms must be from 0 to ${MAX_FAULT_DELAY_MS}`;
    case 'reset':
    case 'stale-nonce':
    case 'revoke-tokens':
      return undefined;
    default:
      return `kind must be one of ${Object.keys(KIND_FIELDS).join(', ')}`;
  }
}

/** A fault from JSON (the admin path): `pathPattern` is a RegExp source, `path` an exact path. */
export function faultFromJson(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('invalid fault: send a JSON object such as {"kind":"status","status":503}');
  }
  const { pathPattern, ...rest } = value as Record<string, unknown>;
  const allowed = [...MATCH_FIELDS, 'kind', ...(KIND_FIELDS[rest.kind as FaultKind['kind']] ?? [])];
  const unknown = Object.keys(rest).find((name) => !allowed.includes(name));
  if (unknown !== undefined) throw new TypeError(`invalid fault: unknown field ${JSON.stringify(unknown)}`);
  if (pathPattern === undefined) return rest as unknown as FaultSpec;
  if (typeof pathPattern !== 'string') throw new TypeError('invalid fault: pathPattern must be a string');
  if (rest.path !== undefined) throw new TypeError('invalid fault: give path or pathPattern, not both');
  try {
    return { ...rest, path: new RegExp(pathPattern) } as unknown as FaultSpec;
  } catch {
    throw new TypeError('invalid fault: pathPattern must be a valid regular expression source');
  }
}

/** The errorCode a status fault answers with, when none was given. */
export function defaultErrorCode(status: number): string {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  return 'UNEXPECTED_ERROR';
}
