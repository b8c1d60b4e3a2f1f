// The sandbox: in-memory Atlas Admin API v2 (invites + Cloud Users) and Ops Manager v1.0 on one listener,
// with OAuth, faults, a request log, an admin path and the accept/expire switches. Node built-ins only,
// nothing from lib/client or lib/contract: the independent party. Reference: docs/sandbox.md.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Faults } from './faults';
import { apiError, send } from './http';
import type { SandboxOptions } from './options';
import { baseFields, dispatch } from './routes/dispatch';
import { seedInto } from './seed';
import { SandboxState } from './state';
import { switchInvitation } from './switches';
import type {
  CloudUser,
  Invitation,
  ProjectMember,
  RequestLogEntry,
  SandboxApi,
  SandboxCredentials,
  SandboxTarget,
  SeedInput,
  SwitchResult,
} from './types';

export type { SandboxOptions } from './options';
export { SANDBOX_DEMO_CREDENTIALS } from './options';
export type { FaultKind, FaultMatch, FaultSpec } from './faults';
export { SandboxError, SandboxOptionsError } from './errors';
export {
  DEFAULT_INVITATION_RATE_LIMIT,
  INVITATIONS_RATE_LIMITED_IP,
  type InvitationRateLimit,
} from './invitation-limit';
export { NothingPendingError } from './switches';
export { INVITATION_NOT_FOUND } from './routes/invites';
export { CANNOT_REMOVE_LAST_ROLE, USER_ALREADY_IN_GROUP, USER_NOT_FOUND } from './routes/cloud-users';
export type * from './types';

export class Sandbox {
  private readonly server: Server;
  private address = '';

  private constructor(private readonly state: SandboxState) {
    this.server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
      dispatch(state, this, req, res).catch(() => {
        // A sandbox bug: answer 500 and log it, so that a test sees it instead of a hang.
        const { method, path, query, accept, authScheme, target } = baseFields(req);
        state.record({ method, path, query, accept, authScheme, target }, res.headersSent ? 0 : 500);
        if (res.headersSent) return void res.destroy();
        const body = apiError(500, 'UNEXPECTED_ERROR', 'The sandbox failed to answer this request.');
        send(res, 500, body, { 'Content-Type': 'application/json', 'X-Error-Code': 'UNEXPECTED_ERROR' });
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

  /**
   * Adds invitations and people (see SeedInput); returns the invites-API invitations created (one per
   * target: two for `target: 'both'`, same id). Cloud Users entries are read with `cloudUsers()`.
   * Throws SandboxOptionsError on a malformed entry.
   */
  seed(input: SeedInput): Invitation[] {
    return seedInto(this.state, input);
  }

  /** Pending invitations of one API, of one group or of all. */
  invitations(target: SandboxTarget, groupId?: string): Invitation[] {
    const store = this.state.stores[target];
    return groupId === undefined ? store.all() : store.list(groupId);
  }

  /** Cloud Users users (every status) of one group or of all. */
  cloudUsers(groupId?: string): CloudUser[] {
    return this.state.cloudUsers.all(groupId);
  }

  /** Ops Manager project members (accepted invitations, bypass mode) of one group or of all. */
  members(groupId?: string): ProjectMember[] {
    return this.state.opsMembers.list(groupId);
  }

  /**
   * The invitee accepts: each pending invitation of `username` in the project (on `api`, or on every API
   * that holds one) becomes a member. Throws NothingPendingError when none was pending.
   */
  accept(groupId: string, username: string, api?: SandboxApi): SwitchResult[] {
    return switchInvitation(this.state, 'accept', groupId, username, api);
  }

  /** The invitation expires now (invites APIs: it disappears; Cloud Users: INVITATION_EXPIRED). */
  expire(groupId: string, username: string, api?: SandboxApi): SwitchResult[] {
    return switchInvitation(this.state, 'expire', groupId, username, api);
  }

  /** Calls `listener` after every answered request; returns the function that stops it. */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void {
    return this.state.log.subscribe(listener);
  }

  /** Makes every outstanding Digest nonce stale. */
  expireNonces(): void {
    this.state.digest.expireAll();
  }

  /** Removes every invitation, Cloud Users user and member of every API. */
  clearInvitations(): void {
    this.state.stores.atlas.clear();
    this.state.stores['ops-manager'].clear();
    this.state.cloudUsers.clear();
    this.state.opsMembers.clear();
  }

  /** Empties the in-memory request log (the file, if any, keeps its lines). */
  clearLog(): void {
    this.state.log.clear();
  }

  /** Forgets invitations, users, tokens, nonces, faults, rate windows and the log; options stay. */
  reset(): void {
    this.clearInvitations();
    this.state.invitationLimiter?.clear();
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
