// scriptedServer(script, { upstream }): a loopback HTTP server (127.0.0.1 only) answering scripted replies,
// in order or per route, for what the sandbox cannot express (hostile or malformed answers, exact status
// sequences, resets, slow or endless bodies); unanswered requests may go on to an upstream (the sandbox).
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvitationClient } from '../../lib/client/invitation-client';
import type { InvitationClientOptions } from '../../lib/client/options';
import { CANARY } from './canaries';
import { fakeClock } from './clock';

export interface Reply {
  /** @default 204 */
  readonly status?: number;
  /** A string is sent as it is; anything else as JSON (with content-type application/json). */
  readonly body?: string | object;
  /** Header values; an array sends the header repeated. Overrides content-type and content-length. */
  readonly headers?: Record<string, string | string[]>;
  /** Wait this long before answering (capped at MAX_DELAY_MS). */
  readonly delayMs?: number;
  /** Reset the connection (TCP RST) instead of answering. */
  readonly reset?: boolean;
  /** Send the headers and part of the body (content-length promises more), then reset the connection. */
  readonly resetMidBody?: boolean;
  /**
   * Send the request to the upstream first (it takes effect there), then answer this reply instead; an
   * upstream 401 is relayed as it is (authentication comes first). Needs the `upstream` option.
   */
  readonly land?: boolean;
  /** Send the headers, then blank chunks without end until the client goes away (at most MAX_ENDLESS_BYTES). */
  readonly endless?: boolean;
}

/** One request as the server received it. */
export interface Seen {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** Header names lower-case; repeated headers joined with ', '. */
  readonly headers: Record<string, string>;
  /** The body, when there was one (at most MAX_REQUEST_BYTES kept). */
  readonly body?: string;
}

/**
 * What to answer: replies in order (any route); a map of routes (`'DELETE /api/…'`, or `'GET *'` for
 * any path; the path is compared without its query) to a reply, or to replies used in order with the
 * last one repeated; or a function of the request and its index.
 */
export type Script =
  | readonly Reply[]
  | Readonly<Record<string, Reply | readonly Reply[]>>
  | ((req: Seen, index: number) => Reply | undefined);

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly seen: Seen[];
  /**
   * The status answered to each request of `seen`: 0 for a reset, 598 for no route, 599 when the script
   * had nothing, -1 while the upstream has not answered yet.
   */
  readonly statuses: number[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Response body bytes written so far (an endless body counts what it pushed). */
  bodyBytes(): number;
  stop(): Promise<void>;
}

export const MAX_DELAY_MS = 30_000;
export const MAX_REQUESTS = 1_000;
export const MAX_REQUEST_BYTES = 1024 * 1024;
export const MAX_ENDLESS_BYTES = 256 * 1024 * 1024;
const NOTHING: Reply = { status: 599, body: 'the script has no reply for this request' };
/** The status of a request that no route matched (and no upstream took). */
const NOT_SCRIPTED = 598;

const running = new Set<ScriptedServer>();

function chooser(script: Script): (req: Seen, index: number) => Reply {
  if (typeof script === 'function') return (req, i) => script(req, i) ?? NOTHING;
  if (Array.isArray(script)) {
    const steps = script as readonly Reply[];
    return (_req, i) => steps[i] ?? NOTHING;
  }
  const routes = Object.entries(script as Record<string, Reply | readonly Reply[]>).map(([key, replies]) => {
    const [method, path] = key.split(' ', 2) as [string, string];
    return {
      method,
      path,
      replies: (Array.isArray(replies) ? replies : [replies]) as readonly Reply[],
      used: 0,
    };
  });
  return (req) => {
    const path = req.path.split('?')[0];
    const route = routes.find((r) => r.method === req.method && (r.path === '*' || r.path === path));
    if (!route) return { status: NOT_SCRIPTED, body: `no route ${req.method} ${path}` };
    return route.replies[Math.min(route.used++, route.replies.length - 1)] ?? NOTHING;
  };
}

export interface ScriptedOptions {
  /**
   * Base URL (loopback) that requests go on to when the script gives no reply (a function returning
   * undefined, or no route), and that `land` replies go through. Its answer is relayed unchanged.
   */
  readonly upstream?: string;
  /** Header names (lower-case) to drop from the upstream's answers, e.g. the sandbox's `sunset`. */
  readonly dropUpstreamHeaders?: readonly string[];
}

/** A body-less marker the chooser returns when the upstream should answer. */
const UPSTREAM: Reply = { status: -1 };

interface Relayed {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function relay(upstream: string, req: Seen, drop: readonly string[]): Promise<Relayed> {
  const url = new URL(req.path, upstream);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
    throw new Error('upstream must be loopback');
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: url.host };
    const out = request(url, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const kept: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (
            v !== undefined &&
            ![...drop, 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)
          )
            kept[k] = v;
        }
        resolve({ status: res.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(req.body ?? '');
  });
}

/** Starts a scripted server on 127.0.0.1 (an ephemeral port). Stopped by stop(), or after the test file. */
export async function scriptedServer(script: Script, options: ScriptedOptions = {}): Promise<ScriptedServer> {
  const { upstream } = options;
  const scripted = chooser(script);
  const choose = (req: Seen, index: number): Reply => {
    const reply = scripted(req, index);
    return upstream !== undefined && (reply === NOTHING || reply.status === NOT_SCRIPTED) ? UPSTREAM : reply;
  };
  const seen: Seen[] = [];
  const statuses: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  let bodyBytes = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const answer = (reply: Reply, req: IncomingMessage, res: ServerResponse): void => {
    if (req.socket.destroyed) return;
    if (reply.reset) return void req.socket.resetAndDestroy();
    const body =
      reply.body === undefined
        ? ''
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
    const headers: Record<string, string | string[]> = {
      ...(body || reply.endless ? { 'content-type': 'application/json' } : {}),
      ...reply.headers,
    };
    if (reply.endless) {
      res.writeHead(reply.status ?? 200, headers);
      const chunk = Buffer.alloc(64 * 1024, ' ');
      let sent = 0;
      const pump = (): void => {
        while (!res.destroyed && sent < MAX_ENDLESS_BYTES) {
          sent += chunk.length;
          bodyBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      res.on('close', () => req.socket.destroy());
      return pump();
    }
    res.writeHead(reply.status ?? 204, {
      'content-length': String(Buffer.byteLength(body) + (reply.resetMidBody ? 100 : 0)),
      ...headers,
    });
    bodyBytes += Buffer.byteLength(body);
    if (reply.resetMidBody) {
      res.write(body);
      return later(20, () => req.socket.resetAndDestroy());
    }
    res.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry: Seen = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        ...(body ? { body } : {}),
      };
      const index = seen.length;
      seen.push(entry);
      const reply = index >= MAX_REQUESTS ? NOTHING : choose(entry, index);
      const status = (r: Reply) => (r.reset ? 0 : (r.status ?? (r.endless ? 200 : 204)));
      const go = (r: Reply) => {
        if (r.delayMs) later(Math.min(r.delayMs, MAX_DELAY_MS), () => answer(r, req, res));
        else answer(r, req, res);
      };
      if (upstream === undefined || (reply !== UPSTREAM && !reply.land)) {
        statuses[index] = status(reply);
        return go(reply);
      }
      statuses[index] = -1; // until the upstream answers
      relay(upstream, entry, options.dropUpstreamHeaders ?? []).then(
        (up) => {
          if (reply === UPSTREAM || up.status === 401) {
            statuses[index] = up.status;
            res.writeHead(up.status, { ...up.headers, 'content-length': String(up.body.length) });
            return void res.end(up.body);
          }
          statuses[index] = status(reply);
          go(reply);
        },
        () => {
          statuses[index] = 0;
          req.socket.resetAndDestroy();
        },
      );
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  const handle: ScriptedServer = {
    url: `http://127.0.0.1:${port}`,
    seen,
    statuses,
    connections: () => connections,
    bodyBytes: () => bodyBytes,
    stop: () =>
      (stopped ??= (async () => {
        running.delete(handle);
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        await new Promise((done) => server.close(done));
      })()),
  };
  running.add(handle);
  return handle;
}

/** Stops every scripted server still running (clients made by scriptedClient are closed first). */
export async function stopScripted(): Promise<void> {
  for (const client of clients.splice(0)) await client.close();
  for (const server of [...running]) await server.stop();
}

// Bounded: whatever a test file leaves running is stopped when it ends.
afterAll(stopScripted);

const clients: InvitationClient[] = [];
const isServer = (s: Script | ScriptedServer): s is ScriptedServer =>
  typeof s === 'object' && !Array.isArray(s) && typeof (s as ScriptedServer).stop === 'function';

/**
 * An InvitationClient on a fresh scripted server: Digest with the canary keys, a fake clock, no jitter.
 * `options` override any of it; `prefix` is a path prefix of the base URL. Give a ScriptedServer instead of
 * a script to share one server between clients (the token cache is per base URL).
 */
export async function scriptedClient(
  script: Script | ScriptedServer,
  options: Partial<InvitationClientOptions> & { prefix?: string } = {},
) {
  const server = isServer(script) ? script : await scriptedServer(script);
  const clock = fakeClock();
  const { prefix = '', ...rest } = options;
  const client = new InvitationClient({
    target: 'atlas',
    credentials: { kind: 'digest', publicKey: CANARY.publicKey, privateKey: CANARY.privateKey },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...rest,
    baseUrl: `${server.url}${prefix}`,
  });
  clients.push(client);
  return { client, server, seen: server.seen, clock };
}

/** An Atlas/Ops Manager ApiError body. */
export const apiError = (status: number, errorCode: string, detail: string) => ({
  error: status,
  errorCode,
  detail,
  reason: 'x',
});

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** A 401 with a Digest challenge (realm "MMS Public API", MD5, qop=auth, opaque "opq"). */
export const challenge401 = (nonce = 'nonce-one', stale = false): Reply => ({
  status: 401,
  body: apiError(401, 'UNEXPECTED_ERROR', 'You are not authorized for this resource.'),
  headers: {
    'www-authenticate': `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}, opaque="opq"`,
  },
});

/** Parses the parameters of a Digest Authorization header the way a server would. */
export function digestParams(header: string | undefined): Record<string, string> {
  expect(header).toMatch(/^Digest /);
  const out: Record<string, string> = {};
  for (const m of (header as string).slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    out[m[1] as string] = m[2] ?? m[3] ?? '';
  }
  return out;
}

/** Checks a Digest MD5 qop=auth response the way a server computes it (RFC 2617 §3.2.2.1). */
export function validDigest(p: Record<string, string>, method: string, password: string): boolean {
  const ha1 = md5(`${p.username}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

export const TRANSPORTS = ['undici', 'node-http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];
