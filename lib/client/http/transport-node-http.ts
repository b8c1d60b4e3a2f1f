// The node:http transport: the same exchange as transport-undici.ts on node:http / node:https, one keep-alive Agent
// per client, a timer per attempt, Node's error codes and undici's header shape. Why a second
// transport (the CLI's default): docs/decisions/0001-node-http-for-the-cli.md.
import type { Agent, IncomingMessage } from 'node:http';
import {
  type CloseOptions,
  declaredTooLarge,
  MAX_RESPONSE_BYTES,
  responseTooLarge,
  timeoutError,
  type HttpRequest,
  type HttpResponse,
  type Transport,
} from './transport';

type HttpModule = typeof import('node:http');

/** Response headers the way undici shapes them: lowercase names, repeated headers as arrays. */
function headersOf(raw: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

const isTooLarge = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === 'MDB_RESPONSE_TOO_LARGE';

/** Sends requests to one origin on node:http or node:https and counts them. */
export class NodeHttpTransport implements Transport {
  readonly #url: URL;
  #agent: Agent | undefined;
  #count = 0;

  constructor(origin: string) {
    this.#url = new URL(origin);
  }

  get count(): number {
    return this.#count;
  }

  async send(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
    const http = this.#module();
    this.#agent ??= new http.Agent({ keepAlive: true });
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    this.#count += 1;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      const settle = (err: unknown, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (response) resolve(response);
        else reject(timedOut && !isTooLarge(err) ? timeoutError(timeoutMs) : err);
      };
      const req = http.request({
        protocol: this.#url.protocol,
        hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port || undefined,
        method: request.method,
        path: `${request.path}${request.query ?? ''}`,
        headers,
        agent: this.#agent,
      });
      // A plain timer rather than AbortSignal.timeout: the latter loads Node's AbortController (~0.5 ms
      // per provisioner process, bench/throughput.md "Writing to the descriptors"); unref'd as that one is.
      const timer = setTimeout(() => {
        timedOut = true;
        settle(timeoutError(timeoutMs));
        req.destroy();
      }, timeoutMs);
      timer.unref();
      req.on('error', (err) => settle(err));
      req.once('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = (): void => {
          settle(responseTooLarge(res.statusCode ?? 0));
          req.destroy();
        };
        if (declaredTooLarge(res.headers['content-length'])) return tooLarge();
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) tooLarge();
          else chunks.push(chunk);
        });
        res.on('error', (err) => settle(err));
        res.once('end', () =>
          settle(undefined, {
            status: res.statusCode ?? 0,
            headers: headersOf(res.rawHeaders),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.once('close', () => {
          if (!res.complete) {
            const err = new Error('the connection closed before the answer was complete');
            settle(Object.assign(err, { code: 'ECONNRESET' }));
          }
        });
      });
      req.end(request.body);
    });
  }

  async close(options: CloseOptions = {}): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    // Node's Agent unrefs an idle keep-alive socket, so leaving one keeps no process alive.
    if (!options.leaveConnectionsToExit) agent?.destroy();
  }

  #module(): HttpModule {
    // Loaded on the first request; node:https (and with it tls) only for https origins.
    /* eslint-disable @typescript-eslint/no-require-imports */
    return this.#url.protocol === 'https:'
      ? (require('node:https') as HttpModule)
      : (require('node:http') as HttpModule);
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
}
