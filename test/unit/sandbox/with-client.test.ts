// The project's InvitationClient against the sandbox: Digest (Atlas and Ops Manager), service account
// and static token, with the sandbox's log as the witness of what was sent.
import { InvitationClient } from '../../../lib/client/invitation-client';
import { Sandbox } from '../../../lib/sandbox/server';
import { GROUP, INVITE, OTHER } from './helpers';

const KEY = { publicKey: 'client-pub', privateKey: 'client-priv-canary' };
const SA = { clientId: 'mdb_sa_id_client', clientSecret: 'client-sa-secret-canary' };
const TOKEN = 'client-token-canary';

describe('InvitationClient against the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await Sandbox.start({
      credentials: { apiKeys: [KEY], serviceAccounts: [SA], accessTokens: [TOKEN] },
      seed: {
        invitations: [
          { groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['GROUP_READ_ONLY'] },
          { groupId: GROUP, id: OTHER, username: 'b@x.io', roles: ['GROUP_OWNER'] },
        ],
      },
    });
  });
  afterEach(() => sandbox.stop());

  const noWait = { sleep: () => Promise.resolve() };

  it('cancels on Atlas with Digest (the right Accept, one challenge, nonce reused), then reports already-gone', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'digest', ...KEY },
      ...noWait,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'revoked',
      status: 204,
    });
    await expect(client.cancelInvitation(GROUP, OTHER)).resolves.toMatchObject({ outcome: 'revoked' });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'already-gone',
      errorCode: 'INVITATION_NOT_FOUND',
    });
    expect(sandbox.invitations('atlas', GROUP)).toEqual([]);
    const api = sandbox.log.filter((e) => e.target === 'atlas');
    expect(api.every((e) => e.accept === 'application/vnd.atlas.2023-01-01+json')).toBe(true);
    expect(api.filter((e) => e.status === 401)).toHaveLength(1);
    // The 404 is confirmed by one list of the project's invitations (200) before it counts as gone.
    expect(api.map((e) => e.status)).toEqual([401, 204, 204, 404, 200]);
  });

  it('cancels on Ops Manager with Digest and leaves the Atlas copy alone', async () => {
    const client = new InvitationClient({
      target: 'ops-manager',
      baseUrl: sandbox.url,
      credentials: { kind: 'digest', ...KEY },
      ...noWait,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => i.id)).toEqual([OTHER]);
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
    expect(sandbox.log.at(-1)).toMatchObject({
      target: 'ops-manager',
      accept: 'application/json',
      status: 204,
    });
  });

  it('cancels with a service account: one token for many requests, Bearer on the API', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'service-account', ...SA },
      tokenCacheDir: false,
      ...noWait,
    });
    await client.cancelInvitation(GROUP, INVITE);
    await client.cancelInvitation(GROUP, OTHER);
    expect(sandbox.tokensIssued).toBe(1);
    expect(sandbox.log.filter((e) => e.target === 'atlas').map((e) => [e.authScheme, e.status])).toEqual([
      ['bearer', 204],
      ['bearer', 204],
    ]);
  });

  it('refetches the token once after the sandbox revokes it', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'service-account', ...SA },
      tokenCacheDir: false,
      ...noWait,
    });
    await client.cancelInvitation(GROUP, INVITE);
    sandbox.faults.add({ kind: 'revoke-tokens' });
    await expect(client.cancelInvitation(GROUP, OTHER)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(sandbox.tokensIssued).toBe(2);
  });

  it('retries a 503 and a 429, and survives a forced stale nonce', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'digest', ...KEY },
      ...noWait,
    });
    sandbox.faults.add({ kind: 'status', status: 503 });
    sandbox.faults.add({ kind: 'rate-limit', retryAfterSeconds: 1 });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    sandbox.faults.add({ kind: 'stale-nonce' });
    await expect(client.cancelInvitation(GROUP, OTHER)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(sandbox.log.filter((e) => e.fault).map((e) => [e.fault, e.status])).toEqual([
      ['status', 503],
      ['rate-limit', 429],
      ['stale-nonce', 401],
    ]);
  });

  it('lists with a static access token and the username filter', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'token', accessToken: TOKEN },
      ...noWait,
    });
    const list = await client.listInvitations(GROUP, { username: 'b@x.io' });
    expect(list.map((i) => i.id)).toEqual([OTHER]);
    expect(sandbox.log.at(-1)?.query).toEqual({ username: 'b@x.io' });
  });

  it('is refused with wrong credentials (and no secret in the error)', async () => {
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: sandbox.url,
      credentials: { kind: 'digest', publicKey: KEY.publicKey, privateKey: 'wrong-canary-secret' },
      ...noWait,
    });
    const error = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MDB_AUTHENTICATION' });
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-canary-secret');
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
  });
});
