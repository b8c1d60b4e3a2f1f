// The undici transport (the library's default): one exchange on a Dispatcher (send, read the small body,
// count). undici is loaded by deep path on the first request; an injected Dispatcher is used as is.
// See docs/decisions/0001-node-http-for-the-cli.md and 0002-bundle-start-up.md.
import type { Client as UndiciClient, Dispatcher } from 'undici';
import {
  declaredTooLarge,
  MAX_RESPONSE_BYTES,
  responseTooLarge,
  timeoutError,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from './http';

type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** Reads the body as UTF-8, at most MAX_RESPONSE_BYTES; a larger one is dropped and the attempt fails. */
async function readLimited(response: Dispatcher.ResponseData): Promise<string> {
  const { body } = response;
  if (declaredTooLarge(response.headers['content-length'])) {
    body.destroy();
    throw responseTooLarge(response.statusCode);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw responseTooLarge(response.statusCode);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends requests to one origin on undici and counts them. */
export class UndiciTransport implements Transport {
  readonly #origin: string;
  readonly #connectTimeoutMs: number;
  #dispatcher: Dispatcher | undefined;
  #owned = false;
  #request: RequestFn | undefined;
  #count = 0;

  constructor(origin: string, connectTimeoutMs: number, dispatcher?: Dispatcher) {
    this.#origin = origin;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#dispatcher = dispatcher;
  }

  get count(): number {
    return this.#count;
  }

  async send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const dispatcher = this.#getDispatcher();
    // api-request.js is undici's `Dispatcher.prototype.request`, without loading the whole package.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.#request ??= require('undici/lib/api/api-request') as RequestFn;
    const signal = AbortSignal.timeout(timeoutMs);
    this.#count += 1;
    try {
      const response = await this.#request.call(dispatcher, {
        origin: this.#origin,
        method: request.method,
        path: `${request.path}${request.query ?? ''}`,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
      const text = await readLimited(response);
      return { status: response.statusCode, headers: response.headers, text };
    } catch (err) {
      if ((err as { code?: unknown }).code === 'MDB_RESPONSE_TOO_LARGE') throw err;
      if (signal.aborted) throw timeoutError(timeoutMs);
      throw err;
    }
  }

  async close(): Promise<void> {
    const dispatcher = this.#dispatcher;
    if (dispatcher && this.#owned) {
      this.#dispatcher = undefined;
      await dispatcher.close();
    }
  }

  #getDispatcher(): Dispatcher {
    if (!this.#dispatcher) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Client = require('undici/lib/dispatcher/client') as typeof UndiciClient;
      this.#dispatcher = new Client(this.#origin, { connect: { timeout: this.#connectTimeoutMs } });
      this.#owned = true;
    }
    return this.#dispatcher;
  }
}
