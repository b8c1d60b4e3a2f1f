import {
  DEFAULT_RETRY,
  delayFor,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetry,
} from '../../../lib/client/http/retry';

describe('retry policy', () => {
  const now = Date.parse('2026-08-10T03:00:00Z');

  it('retries 429 and 5xx, never 400, 401, 403 or 404', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [200, 204, 400, 401, 403, 404, 410]) expect(isRetryableStatus(s)).toBe(false);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 10 Aug 2026 03:00:09 GMT', now)).toBe(9000);
    expect(parseRetryAfter('Mon, 10 Aug 2026 02:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('prefers Retry-After, capped by maxDelayMs', () => {
    const o = resolveRetry({ maxDelayMs: 4000 });
    expect(delayFor(0, o, '3', now)).toBe(3000);
    expect(delayFor(0, o, '60', now)).toBe(4000);
  });

  it('uses full jitter under an exponential, capped ceiling otherwise', () => {
    const o = resolveRetry({ minDelayMs: 100, maxDelayMs: 1000 });
    expect(delayFor(0, o, undefined, now, () => 0.999)).toBe(99);
    expect(delayFor(3, o, undefined, now, () => 0.5)).toBe(400);
    expect(delayFor(10, o, undefined, now, () => 0.5)).toBe(500);
    expect(delayFor(2, o, 'garbage', now, () => 0)).toBe(0);
    const d = delayFor(1, o);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(200);
  });

  it('fills defaults with ??, so 0 is kept', () => {
    expect(resolveRetry({ maxRetries: 0 })).toMatchObject({
      maxRetries: 0,
      minDelayMs: DEFAULT_RETRY.minDelayMs,
    });
    expect(resolveRetry()).toEqual(DEFAULT_RETRY);
  });
});
