// A real loopback HTTP server (node:http) that answers scripted steps in order, so the same client test
// runs over a real socket with each transport (undici and node:http): statuses, bodies, repeated
// headers, slow answers, connection resets. Logs what it was sent and counts TCP connections.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvitationClient } from '../../lib/client/invitation-client';
import type { InvitationClientOptions } from '../../lib/client/options';
import { CANARY, fakeClock, type Seen } from './helpers';

export interface LoopStep {
  readonly status?: number;
  readonly body?: string | object;
  readonly headers?: Record<string, string | string[]>;
  /** Wait this long before answering (the client's timeout should fire first). */
  readonly delayMs?: number;
  /** Reset the connection (TCP RST) instead of answering. */
  readonly reset?: boolean;
  /** Send the headers and part of the body, then reset the connection. */
  readonly resetMidBody?: boolean;
}

export interface Loopback {
  readonly baseUrl: string;
  readonly seen: Seen[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function loopback(steps: readonly LoopStep[]): Promise<Loopback> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  let next = 0;
  const answer = (step: LoopStep | undefined, req: IncomingMessage, res: ServerResponse): void => {
    if (!step) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end('no step left');
      return;
    }
    if (step.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    const body =
      step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
    res.writeHead(step.status ?? 204, {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...step.headers,
      'content-length': String(Buffer.byteLength(body) + (step.resetMidBody ? 100 : 0)),
    });
    if (step.resetMidBody) {
      res.write(body);
      const t = setTimeout(() => req.socket.resetAndDestroy(), 20);
      timers.add(t);
      return;
    }
    res.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        ...(body ? { body } : {}),
      });
      const step = steps[next++];
      if (step?.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!req.socket.destroyed) answer(step, req, res);
        }, step.delayMs);
        timers.add(t);
      } else answer(step, req, res);
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

export const TRANSPORTS = ['undici', 'node-http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

const open: { client: InvitationClient; server: Loopback }[] = [];

/** A client of the given transport on a fresh loopback server; closed by closeLoopbacks(). */
export async function makeLoopClient(
  transport: TransportName,
  steps: readonly LoopStep[],
  options: Partial<InvitationClientOptions> = {},
) {
  const server = await loopback(steps);
  const clock = fakeClock();
  const client = new InvitationClient({
    target: 'atlas',
    baseUrl: server.baseUrl,
    credentials: { kind: 'digest', publicKey: CANARY.publicKey, privateKey: CANARY.privateKey },
    transport,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...options,
  });
  open.push({ client, server });
  return { client, server, seen: server.seen, clock };
}

export async function closeLoopbacks(): Promise<void> {
  for (const { client, server } of open.splice(0)) {
    await client.close();
    await server.close();
  }
}
