// A small loopback stand-in for the Atlas / Ops Manager invitations API, for the CLI tests: it checks
// Digest (RFC 7616, MD5, qop=auth) for real, issues OAuth tokens, accepts bearer tokens, and answers
// the invites paths with whatever a test configures. Every request is logged (method, path, auth kind).
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  /** Query string without '?', or ''. */
  readonly query: string;
  readonly auth: 'none' | 'digest' | 'bearer' | 'basic' | 'other';
  readonly status: number;
}

export interface FakeApiOptions {
  readonly publicKey?: string;
  readonly privateKey?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly accessToken?: string;
}

const REALM = 'MMS Public API';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export class FakeApi {
  readonly log: LoggedRequest[] = [];
  /** What DELETE …/invites/{id} answers once authenticated. */
  deleteReply: Reply = { status: 204 };
  /** What GET …/invites answers once authenticated. */
  listReply: Reply = { status: 200, body: [] };
  readonly #server: Server;
  readonly #options: Required<FakeApiOptions>;
  readonly #nonces = new Set<string>();
  readonly #tokens = new Set<string>();

  private constructor(options: FakeApiOptions) {
    this.#options = {
      publicKey: 'test-public-key',
      privateKey: 'test-private-key',
      clientId: 'mdb_sa_id_test',
      clientSecret: 'mdb_sa_sk_test',
      accessToken: 'static-access-token',
      ...options,
    };
    this.#tokens.add(this.#options.accessToken);
    this.#server = createServer((req, res) => {
      req.resume();
      req.on('end', () => this.#handle(req, res));
    });
  }

  static async start(options: FakeApiOptions = {}): Promise<FakeApi> {
    const api = new FakeApi(options);
    await new Promise<void>((resolve) => api.#server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const header = req.headers.authorization ?? '';
    const kind = /^Digest /.test(header)
      ? 'digest'
      : /^Bearer /.test(header)
        ? 'bearer'
        : /^Basic /.test(header)
          ? 'basic'
          : header
            ? 'other'
            : 'none';
    const send = (reply: Reply, extra: Record<string, string> = {}) => {
      this.log.push({
        method: req.method ?? '',
        path,
        query: (req.url ?? '').split('?')[1] ?? '',
        auth: kind,
        status: reply.status,
      });
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers, ...extra });
      res.end(body);
    };
    if (req.method === 'POST' && path === '/api/oauth/token') {
      const expected = Buffer.from(`${this.#options.clientId}:${this.#options.clientSecret}`).toString(
        'base64',
      );
      if (header !== `Basic ${expected}`) return send({ status: 401, body: { error: 'invalid_client' } });
      const token = randomBytes(16).toString('hex');
      this.#tokens.add(token);
      return send({ status: 200, body: { access_token: token, expires_in: 3600, token_type: 'Bearer' } });
    }
    if (!this.#authorized(req.method ?? '', req.url ?? '/', header)) {
      const nonce = randomBytes(16).toString('hex');
      this.#nonces.add(nonce);
      const challenge = `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=false`;
      return send(
        {
          status: 401,
          body: { error: 401, errorCode: 'UNEXPECTED_ERROR', detail: 'Unauthorized', reason: 'Unauthorized' },
        },
        { 'www-authenticate': challenge },
      );
    }
    if (req.method === 'DELETE' && /\/groups\/[^/]+\/invites\/[^/]+$/.test(path))
      return send(this.deleteReply);
    if (req.method === 'GET' && /\/groups\/[^/]+\/invites$/.test(path)) return send(this.listReply);
    return send({ status: 404, body: { error: 404, errorCode: 'NOT_IN_FAKE', detail: `no route ${path}` } });
  }

  #authorized(method: string, uri: string, header: string): boolean {
    if (header.startsWith('Bearer ')) return this.#tokens.has(header.slice(7));
    if (!header.startsWith('Digest ')) return false;
    const fields = new Map<string, string>();
    for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
      fields.set(m[1] as string, m[2] ?? m[3] ?? '');
    }
    const f = (k: string) => fields.get(k) ?? '';
    if (f('username') !== this.#options.publicKey || !this.#nonces.has(f('nonce')) || f('uri') !== uri)
      return false;
    const ha1 = md5(`${this.#options.publicKey}:${REALM}:${this.#options.privateKey}`);
    const ha2 = md5(`${method}:${f('uri')}`);
    return f('response') === md5(`${ha1}:${f('nonce')}:${f('nc')}:${f('cnonce')}:${f('qop')}:${ha2}`);
  }
}

/** Collects what run() writes. */
export function captureIo(): {
  io: { stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean } };
  stdout: () => string;
  stderr: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
    },
    stdout: () => out,
    stderr: () => err,
  };
}
