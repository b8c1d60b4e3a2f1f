// Retry policy, pure: which answers are worth another attempt and how long to wait (Retry-After, capped
// full-jitter backoff). The loop is ours (exchange.ts), not undici's RetryAgent:
// docs/decisions/0009-own-retry-loop.md.

/** How often and how long to retry 429, 5xx and network errors. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   *
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Base of the exponential backoff, in milliseconds.
   *
   * @default 500
   */
  readonly minDelayMs?: number;
  /**
   * Longest single wait, in milliseconds; also caps Retry-After.
   *
   * @default 30000
   */
  readonly maxDelayMs?: number;
}

export interface ResolvedRetryOptions {
  readonly maxRetries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly statusCodes: readonly number[];
}

export const DEFAULT_RETRY = {
  maxRetries: 3,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  statusCodes: [429, 500, 502, 503, 504],
} as const satisfies ResolvedRetryOptions;

/** Transport error codes that mean "try again": the request may not have reached the server. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function resolveRetry(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
    minDelayMs: options.minDelayMs ?? DEFAULT_RETRY.minDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    statusCodes: DEFAULT_RETRY.statusCodes,
  };
}

/** True for 429 and the 5xx statuses a retry may fix. Never 400, 401, 403 or 404. */
export function isRetryableStatus(status: number, options: ResolvedRetryOptions = DEFAULT_RETRY): boolean {
  return options.statusCodes.includes(status);
}

/**
 * Parses Retry-After (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first retry): Retry-After when the server
 * sent one, else exponential backoff with full jitter (a uniform wait in [0, min(max, min·2^retry)]).
 * Both are capped by maxDelayMs.
 */
export function delayFor(
  retry: number,
  options: ResolvedRetryOptions,
  retryAfter?: string,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const serverWait = parseRetryAfter(retryAfter, now);
  if (serverWait !== undefined) return Math.min(serverWait, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
