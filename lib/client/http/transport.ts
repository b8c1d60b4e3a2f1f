// What the request loop (exchange.ts) needs from an HTTP client, whichever one sends the bytes:
// transport-undici.ts (undici, the library's default) or transport-node-http.ts (node:http, the CLI's one-shot
// default). Types only: importing this file loads neither.

export type HttpMethod = 'GET' | 'DELETE' | 'POST' | 'PATCH';

/** Which HTTP client a transport is built on. */
export type TransportKind = 'undici' | 'node-http';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path as shown in errors and messages: no query string. */
  readonly path: string;
  /** Query string including its leading '?', or ''. */
  readonly query?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  /** Lowercase names; a header sent several times is an array (as undici gives it). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Sends requests to one origin and counts them. */
export interface Transport {
  /** HTTP requests sent so far (each attempt, each authentication round, each token request). */
  readonly count: number;
  /**
   * Sends one request and reads the whole (small) body. Throws the client's error, with its `code`
   * (ECONNRESET, ECONNREFUSED, …), or a TimeoutError with code ETIMEDOUT when no complete answer
   * arrived within `timeoutMs` (connect, headers and body).
   */
  send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse>;
  /** Closes the connections this transport opened (see CloseOptions for leaving them to the process's exit). */
  close(options?: CloseOptions): Promise<void>;
}

/** How InvitationClient.close ends the client's connections. */
export interface CloseOptions {
  /**
   * For a process that exits as soon as close() returns (the CLI): the node:http transport then leaves its
   * idle keep-alive connections to the operating system instead of tearing each socket down in Node, which
   * costs every provisioner process ~1.5 ms of CPU (bench/throughput.md, "Exit when done"). Idle
   * connections never keep the process alive. undici's transport closes its connections either way.
   */
  readonly leaveConnectionsToExit?: boolean;
}

/** The error every transport throws when an attempt runs out of time. */
export function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}

/** Largest response body a transport reads (no MongoDB API answer comes close); past it the attempt fails. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The error every transport throws when a body outgrows MAX_RESPONSE_BYTES (exchange.ts types it). */
export function responseTooLarge(status: number): Error {
  return Object.assign(new Error(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`), {
    code: 'MDB_RESPONSE_TOO_LARGE',
    status,
  });
}

/** True when a Content-Length header already says the body is too large. */
export function declaredTooLarge(contentLength: string | string[] | undefined): boolean {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  return value !== undefined && /^\d+$/.test(value.trim()) && Number(value) > MAX_RESPONSE_BYTES;
}
