// The client's transport, chosen by `InvitationClientOptions.transport` and loaded on the first request:
// only the chosen module is ever required (undici's, or node:http's), so constructing a client loads
// neither, and a node-http client never loads undici.
import type { CloseOptions, HttpResponse, Transport } from './transport';
import type { InvitationClientOptions, ResolvedClientOptions } from '../options';
import type { NodeHttpTransport } from './transport-node-http';
import type { UndiciTransport } from './transport-undici';

/** Loads and builds the chosen transport on first use. */
class LazyTransport implements Transport {
  readonly #create: () => Transport;
  #transport: Transport | undefined;

  constructor(create: () => Transport) {
    this.#create = create;
  }

  get count(): number {
    return this.#transport?.count ?? 0;
  }

  send(...args: Parameters<Transport['send']>): Promise<HttpResponse> {
    this.#transport ??= this.#create();
    return this.#transport.send(...args);
  }

  async close(options?: CloseOptions): Promise<void> {
    await this.#transport?.close(options);
  }
}

export function createTransport(
  options: InvitationClientOptions,
  resolved: ResolvedClientOptions,
): Transport {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, synchronously */
  return new LazyTransport(() => {
    if (resolved.transport === 'node-http') {
      const { NodeHttpTransport: Http } = require('./transport-node-http') as {
        NodeHttpTransport: typeof NodeHttpTransport;
      };
      return new Http(resolved.origin);
    }
    const { UndiciTransport: Undici } = require('./transport-undici') as {
      UndiciTransport: typeof UndiciTransport;
    };
    return new Undici(resolved.origin, resolved.timeoutMs, options.dispatcher, resolved.hints.nodeHttp);
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
}
