// Fault switches, in process and over the admin path: per route and count, 429 with Retry-After, any
// 5xx, connection reset, delay, stale nonce, token revoked.
import { Sandbox } from '../../../lib/sandbox/server';
import {
  ATLAS_ACCEPT,
  challengeOf,
  curl,
  digestHeader,
  GROUP,
  INVITE,
  itCurl,
  OTHER,
  parseChallenge,
} from './helpers';

const TOKEN = 'static-token-canary';
const SA = { clientId: 'mdb_sa_id_f', clientSecret: 'sa-secret-f' };

describe('sandbox faults', () => {
  let sandbox: Sandbox;
  let base: string;
  beforeEach(async () => {
    sandbox = await Sandbox.start({
      credentials: {
        accessTokens: [TOKEN],
        apiKeys: [{ publicKey: 'p', privateKey: 'k' }],
        serviceAccounts: [SA],
      },
      seed: {
        invitations: [
          { groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['R'] },
          { groupId: GROUP, id: OTHER, username: 'b@x.io', roles: ['R'] },
        ],
      },
    });
    base = `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`;
  });
  afterEach(() => sandbox.stop());

  const del = async (id: string, token = TOKEN, init: RequestInit = {}) => {
    const res = await fetch(`${base}/${id}`, {
      method: 'DELETE',
      headers: { Accept: ATLAS_ACCEPT, Authorization: `Bearer ${token}` },
      ...init,
    });
    const text = await res.text();
    return { res, text };
  };

  it('answers any 5xx the given number of times, only on the matching route, then behaves again', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, method: 'DELETE', invitationId: INVITE, times: 2 });
    const other = await fetch(base, { headers: { Accept: ATLAS_ACCEPT, Authorization: `Bearer ${TOKEN}` } });
    expect(other.status).toBe(200);
    const first = await del(INVITE);
    expect(first.res.status).toBe(503);
    expect(first.res.headers.get('x-error-code')).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.parse(first.text)).toMatchObject({ error: 503, errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await del(INVITE)).res.status).toBe(503);
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
    expect((await del(INVITE)).res.status).toBe(204);
    expect(sandbox.log.filter((e) => e.fault === 'status')).toHaveLength(2);
  });

  it('answers 429 with Retry-After and RateLimit-Remaining: 0', async () => {
    sandbox.faults.add({ kind: 'rate-limit', retryAfterSeconds: 7, path: /\/invites\/[a-f0-9]{24}$/ });
    const limited = await del(OTHER);
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toBe('7');
    expect(limited.res.headers.get('ratelimit-remaining')).toBe('0');
    expect(JSON.parse(limited.text)).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET' });
    expect((await del(OTHER)).res.status).toBe(204);
  });

  it('resets the connection', async () => {
    sandbox.faults.add({ kind: 'reset', times: 'always' });
    await expect(del(INVITE)).rejects.toThrow();
    await expect(del(INVITE)).rejects.toThrow();
    expect(sandbox.log.filter((e) => e.fault === 'reset' && e.status === 0)).toHaveLength(2);
    sandbox.faults.clear();
    expect((await del(INVITE)).res.status).toBe(204);
  });

  it('delays the answer (a client timeout shorter than the delay fires), then answers normally', async () => {
    sandbox.faults.add({ kind: 'delay', ms: 5_000 });
    await expect(del(INVITE, TOKEN, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    sandbox.faults.add({ kind: 'delay', ms: 50 });
    expect((await del(OTHER)).res.status).toBe(204);
  });

  it('forces a stale nonce on a Digest request: 401 stale=true, the old nonce no longer works', async () => {
    const path = `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`;
    const challenge = await challengeOf(`${sandbox.url}${path}`, 'DELETE');
    sandbox.faults.add({ kind: 'stale-nonce' });
    const send = (c: Record<string, string>, nc: number) =>
      fetch(`${sandbox.url}${path}`, {
        method: 'DELETE',
        headers: { Accept: ATLAS_ACCEPT, Authorization: digestHeader(c, 'p', 'k', 'DELETE', path, nc) },
      });
    const stale = await send(challenge, 1);
    expect(stale.status).toBe(401);
    const fresh = parseChallenge(stale.headers.get('www-authenticate'));
    expect(fresh.stale).toBe('true');
    expect((await send(challenge, 2)).status).toBe(401);
    expect((await send(fresh, 1)).status).toBe(204);
  });

  it('does not spend a stale-nonce fault on a Bearer request', async () => {
    sandbox.faults.add({ kind: 'stale-nonce' });
    expect((await del(INVITE)).res.status).toBe(204);
    expect(sandbox.faults.list()).toHaveLength(1);
  });

  it('revokes every issued token: the Bearer request answers 401 and the token stays dead', async () => {
    const res = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${SA.clientId}:${SA.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const issued = ((await res.json()) as { access_token: string }).access_token;
    sandbox.faults.add({ kind: 'revoke-tokens' });
    const revoked = await del(INVITE, issued);
    expect(revoked.res.status).toBe(401);
    expect(revoked.res.headers.get('www-authenticate')).toContain('revoked');
    expect((await del(INVITE, issued)).res.status).toBe(401);
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
  });

  it('fires on the OAuth token endpoint too', async () => {
    sandbox.faults.add({ kind: 'status', status: 500, target: 'oauth' });
    const res = await fetch(`${sandbox.url}/api/oauth/token`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  itCurl(
    'fires only after authentication: curl’s unauthenticated first round-trip does not spend it',
    async () => {
      sandbox.faults.add({ kind: 'status', status: 500, times: 1 });
      const res = await curl([
        '--digest',
        '-u',
        'p:k',
        '-H',
        `Accept: ${ATLAS_ACCEPT}`,
        '-X',
        'DELETE',
        `${base}/${INVITE}`,
      ]);
      expect(res.statuses).toEqual([401, 500]);
    },
  );

  it('is settable over the admin path (POST, GET, DELETE one, DELETE all)', async () => {
    const post = (body: unknown) =>
      fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
    const added = await post({
      kind: 'status',
      status: 502,
      pathPattern: `/invites/${INVITE}$`,
      times: 'always',
    });
    expect(added.status).toBe(201);
    const { id } = (await added.json()) as { id: number };
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as Record<
      string,
      unknown
    >[];
    expect(listed).toEqual([
      {
        id,
        remaining: 'always',
        kind: 'status',
        status: 502,
        times: 'always',
        pathPattern: new RegExp(`/invites/${INVITE}$`).source,
      },
    ]);
    expect((await del(INVITE)).res.status).toBe(502);
    expect((await del(INVITE)).res.status).toBe(502);
    expect((await fetch(`${sandbox.url}/_sandbox/faults/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await del(INVITE)).res.status).toBe(204);

    await post({ kind: 'reset' });
    expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await del(OTHER)).res.status).toBe(204);

    const invalid = await post({ kind: 'status', status: 200 });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('status must be an integer from 400 to 599');
  });

  it('refuses invalid faults in process with a TypeError that says what is wrong', () => {
    expect(() => sandbox.faults.add({ kind: 'delay', ms: -1 })).toThrow(/ms must be from 0/);
    expect(() => sandbox.faults.add({ kind: 'reset', times: 0 })).toThrow(/times must be a positive integer/);
  });
});
