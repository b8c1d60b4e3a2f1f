// The undici transport (the library's default): one exchange on a Dispatcher (send, read the small body,
// count). undici is loaded by deep path on the first request; an injected Dispatcher is used as is.
// See docs/decisions/0001-node-http-for-the-cli.md and 0002-bundle-start-up.md.
import type { Client as UndiciClient, Dispatcher } from 'undici';
import { ConfigurationError } from '../errors';
import { DEFAULT_HINTS } from '../hints';
import {
  declaredTooLarge,
  MAX_RESPONSE_BYTES,
  responseTooLarge,
  timeoutError,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from './transport';

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

  readonly #hint: string;

  /** `hint` (ClientHints.nodeHttp) ends the refusal when undici cannot be loaded. */
  constructor(
    origin: string,
    connectTimeoutMs: number,
    dispatcher?: Dispatcher,
    hint = DEFAULT_HINTS.nodeHttp,
  ) {
    this.#origin = origin;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#dispatcher = dispatcher;
    this.#hint = hint;
  }

  get count(): number {
    return this.#count;
  }

  async send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const dispatcher = this.#getDispatcher();
    // api-request.js is undici's `Dispatcher.prototype.request`, without loading the whole package.
    this.#request ??= loadUndici<RequestFn>('api-request', this.#hint);
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
      const Client = loadUndici<typeof UndiciClient>('client', this.#hint);
      this.#dispatcher = new Client(this.#origin, { connect: { timeout: this.#connectTimeoutMs } });
      this.#owned = true;
    }
    return this.#dispatcher;
  }
}

/**
 * undici's modules by deep path. The CLI bundle the construct ships into a stack leaves undici out (it
 * sends with node:http; docs/decisions/0011): there, asking for undici is a configuration error.
 */
function loadUndici<T>(which: 'api-request' | 'client', hint: string): T {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- static paths, so bundlers see them */
    return (
      which === 'client' ? require('undici/lib/dispatcher/client') : require('undici/lib/api/api-request')
    ) as T;
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new ConfigurationError(
      `undici cannot be loaded here (the copy of the CLI that the construct ships into a stack leaves it out). ${hint} Nothing was sent.`,
    );
  }
}
