// The request loop: authenticate, send, answer a 401 with one more authentication round, retry 429, 5xx
// and network errors with backoff, and stop at the deadline. Returns the first final answer (2xx, 4xx,
// or a 401 the credentials could not fix); the caller turns it into an outcome or an error.
import { NetworkError, ResponseTooLargeError, RetryExhaustedError } from '../errors';
import { parseApiError } from '../apis/api-error';
import { delayFor, isRetryableStatus, RETRYABLE_NETWORK_CODES, type ResolvedRetryOptions } from './retry';
import { MAX_RESPONSE_BYTES, type HttpRequest, type HttpResponse, type Transport } from './transport';

/** The authentication state of one operation. */
export interface AuthRound {
  /** The Authorization value for the next attempt, if any. */
  header(method: string, uri: string): Promise<string | undefined>;
  /** After a 401: true to send once more (new challenge, fresh token); false to give up. */
  retryAfter401(response: HttpResponse): Promise<boolean>;
}

export interface ExchangeContext {
  readonly transport: Transport;
  readonly retry: ResolvedRetryOptions;
  readonly timeoutMs: number;
  /** Absolute time (per `now`) after which no attempt starts and no wait is begun. */
  readonly deadline: number;
  readonly deadlineMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Secret values to redact from any error built here. */
  readonly secrets: () => readonly string[];
  readonly onResponse?: (response: HttpResponse, request: HttpRequest) => void;
}

const networkCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const header = (response: HttpResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function exchange(
  ctx: ExchangeContext,
  request: HttpRequest,
  round?: AuthRound,
): Promise<HttpResponse> {
  const { method, path } = request;
  const uri = `${path}${request.query ?? ''}`;
  let attempts = 0;
  let retries = 0;
  let last: { response?: HttpResponse; error?: unknown } = {};
  const giveUp = (reason: string): Error => {
    const options = { cause: last.error, secrets: ctx.secrets() };
    if (!last.response) {
      const code = networkCode(last.error);
      const why = last.error instanceof Error ? `${last.error.message}${code ? ` (${code})` : ''}` : reason;
      return new NetworkError(
        {
          method,
          path,
          attempts,
          reason: attempts === 0 ? reason : `${reason}; last error: ${why}`,
          ...(code ? { networkCode: code } : {}),
        },
        options,
      );
    }
    const api = parseApiError(last.response);
    return new RetryExhaustedError(
      { method, path, attempts, reason, status: last.response.status, ...api },
      { secrets: ctx.secrets() },
    );
  };
  for (;;) {
    const remaining = ctx.deadline - ctx.now();
    if (remaining <= 0) throw giveUp(`the ${ctx.deadlineMs} ms deadline passed`);
    const authorization = round ? await round.header(method, uri) : undefined;
    const headers = authorization ? { ...request.headers, authorization } : request.headers;
    attempts += 1;
    try {
      const response = await ctx.transport.send({ ...request, headers }, Math.min(ctx.timeoutMs, remaining));
      last = { response };
      ctx.onResponse?.(response, request);
      if (response.status === 401 && round && (await round.retryAfter401(response))) {
        attempts -= 1; // a Digest challenge or a refused token is an authentication round, not an attempt
        continue;
      }
      if (!isRetryableStatus(response.status, ctx.retry)) return response;
    } catch (error) {
      last = { error };
      const code = networkCode(error);
      if (code === 'MDB_RESPONSE_TOO_LARGE') {
        const status = (error as { status?: unknown }).status;
        throw new ResponseTooLargeError({
          method,
          path,
          limitBytes: MAX_RESPONSE_BYTES,
          ...(typeof status === 'number' ? { status } : {}),
        });
      }
      if (code === undefined || !RETRYABLE_NETWORK_CODES.has(code)) throw giveUp('the request failed');
    }
    if (retries >= ctx.retry.maxRetries) {
      throw giveUp(last.response ? `the server kept answering ${last.response.status}` : 'no answer');
    }
    const retryAfter = last.response ? header(last.response, 'retry-after') : undefined;
    const delay = delayFor(retries, ctx.retry, retryAfter, ctx.now(), ctx.random);
    if (ctx.now() + delay >= ctx.deadline) {
      throw giveUp(`the next attempt (in ${delay} ms) would pass the ${ctx.deadlineMs} ms deadline`);
    }
    await ctx.sleep(delay);
    retries += 1;
  }
}
