// The sandbox: an in-memory Atlas Admin API v2 + Ops Manager public API v1.0 invitations server on one
// node:http listener, with the OAuth token endpoints, fault switches, a request log and an admin path.
// Node built-ins only, and nothing from lib/client or lib/input: it is the independent party that
// catches the client's mistakes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { schemeOf } from './auth';
import type { Faults } from './faults';
import { apiError, send } from './http';
import { REVOKE_PATH, TOKEN_PATH } from './oauth';
import type { SandboxOptions } from './options';
import { redactQuery } from './request-log';
import { ADMIN_PREFIX, handleAdmin } from './routes/admin';
import { handleApi, handleOAuth } from './routes/api';
import { matchInviteRoute } from './routes/invites';
import { SandboxState } from './state';
import type {
  Invitation,
  RequestLogEntry,
  SandboxCredentials,
  SandboxTarget,
  SeedFile,
  SeedInvitation,
} from './types';

export type { SandboxOptions } from './options';
export { SANDBOX_DEMO_CREDENTIALS } from './options';
export type { FaultKind, FaultMatch, FaultSpec } from './faults';
export { INVITATION_NOT_FOUND } from './routes/invites';
export type * from './types';

/** Who created seeded invitations (their `inviterUsername`). */
const SEED_INVITER = 'sandbox@example.com';

export class Sandbox {
  private readonly server: Server;
  private address = '';

  private constructor(private readonly state: SandboxState) {
    this.server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
      dispatch(state, this, req, res).catch(() => {
        if (res.headersSent) return void res.destroy();
        const body = apiError(500, 'UNEXPECTED_ERROR', 'The sandbox failed to answer this request.');
        send(res, 500, body, { 'Content-Type': 'application/json' });
      });
    });
  }

  /** Starts a sandbox and resolves once it listens. Rejects when the port is taken or a seed is invalid. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const state = new SandboxState(options);
    if (options.seed) seedInto(state, options.seed);
    const sandbox = new Sandbox(state);
    const { server } = sandbox;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { address, port } = server.address() as AddressInfo;
    sandbox.address = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return sandbox;
  }

  /** Base URL, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  get url(): string {
    return this.address;
  }

  /** The credentials it accepts (sandbox-only values: printing them is fine). */
  get credentials(): SandboxCredentials {
    return this.state.credentials;
  }

  /** Fault switches: `faults.add({...})`, `faults.clear()`. */
  get faults(): Faults {
    return this.state.faults;
  }

  /** Every request answered so far, oldest first (no secrets). */
  get log(): RequestLogEntry[] {
    return this.state.log.entries;
  }

  /** Tokens the OAuth endpoint has issued since start or reset. */
  get tokensIssued(): number {
    return this.state.tokens.issued;
  }

  /** Live (unexpired, unrevoked) tokens of one service account. */
  liveTokens(clientId: string): number {
    return this.state.tokens.liveCount(clientId);
  }

  /** Adds invitations; returns those created (one per target: two for `target: 'both'`, same id). */
  seed(input: SeedFile | readonly SeedInvitation[]): Invitation[] {
    return seedInto(this.state, input);
  }

  /** Pending invitations of one API, of one group or of all. */
  invitations(target: SandboxTarget, groupId?: string): Invitation[] {
    const store = this.state.stores[target];
    return groupId === undefined ? store.all() : store.list(groupId);
  }

  /** Calls `listener` after every answered request; returns the function that stops it. */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void {
    return this.state.log.subscribe(listener);
  }

  /** Makes every outstanding Digest nonce stale. */
  expireNonces(): void {
    this.state.digest.expireAll();
  }

  /** Removes every invitation of both APIs. */
  clearInvitations(): void {
    this.state.stores.atlas.clear();
    this.state.stores['ops-manager'].clear();
  }

  /** Empties the in-memory request log (the file, if any, keeps its lines). */
  clearLog(): void {
    this.state.log.clear();
  }

  /** Forgets invitations, tokens, nonces, faults, rate windows and the log; credentials stay. */
  reset(): void {
    this.clearInvitations();
    this.clearLog();
    this.state.tokens.clear();
    this.state.oauth.limiter?.clear();
    this.state.rate.clear();
    this.state.digest.expireAll();
    this.state.faults.clear();
  }

  /** Closes the listener and every connection (keep-alive ones included), then the log file. */
  async stop(): Promise<void> {
    this.state.cancelTimers();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    await this.state.log.close();
  }
}

function seedInto(state: SandboxState, input: SeedFile | readonly SeedInvitation[]): Invitation[] {
  const list: unknown = Array.isArray(input) ? input : (input as SeedFile | undefined)?.invitations;
  if (!Array.isArray(list)) throw new TypeError('invalid seed: expected {"invitations": [...]}');
  const created: Invitation[] = [];
  for (const { target = 'both', ...seed } of list as SeedInvitation[]) {
    const targets: SandboxTarget[] = target === 'both' ? ['atlas', 'ops-manager'] : [target];
    let id = seed.id;
    for (const t of targets) {
      const invitation = state.stores[t].add(id === undefined ? seed : { ...seed, id }, SEED_INVITER);
      id = invitation.id;
      created.push(invitation);
    }
  }
  return created;
}

async function dispatch(
  state: SandboxState,
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const requestTarget = req.url ?? '/';
  const q = requestTarget.indexOf('?');
  const path = q < 0 ? requestTarget : requestTarget.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : requestTarget.slice(q + 1));
  const fields = {
    method,
    path,
    query: redactQuery(query),
    accept: req.headers.accept ?? '',
    authScheme: schemeOf(req.headers.authorization),
  };
  if (path.startsWith(ADMIN_PREFIX)) {
    return state.finish(res, await handleAdmin(sandbox, req, method, path, query), {
      ...fields,
      target: 'admin',
    });
  }
  if (path === TOKEN_PATH || path === REVOKE_PATH)
    return handleOAuth(state, req, res, { ...fields, target: 'oauth' });
  const route = matchInviteRoute(path);
  if (route) {
    const ids = { groupId: route.groupId, ...(route.invitationId && { invitationId: route.invitationId }) };
    return handleApi(state, req, res, route, query, { ...fields, target: route.target, ...ids });
  }
  // Deliberately not an ApiError: a misrouted request (say, the /invitations/ path that Ops Manager's doc
  // page shows by mistake) must not look like "no such invitation" to a client.
  res.writeHead(404, { 'Content-Type': 'text/html' });
  res.end('<html><body><h1>404 Not Found</h1></body></html>');
  state.record({ ...fields, target: 'unknown' }, 404);
}
