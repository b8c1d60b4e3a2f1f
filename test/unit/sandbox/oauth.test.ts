// The OAuth token and revoke endpoints, and Bearer validation of what they issue.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, GROUP } from './helpers';

const SA = { clientId: 'mdb_sa_id_oauth', clientSecret: 'sa-secret-canary-91' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('sandbox OAuth endpoints', () => {
  let sandbox: Sandbox;
  let clock: number;
  const start = async (options: Parameters<typeof Sandbox.start>[0] = {}) => {
    clock = Date.parse('2026-08-10T03:00:00Z');
    sandbox = await Sandbox.start({ credentials: { serviceAccounts: [SA] }, now: () => clock, ...options });
  };
  afterEach(() => sandbox.stop());

  const token = async (
    auth = basic(SA.clientId, SA.clientSecret),
    body = 'grant_type=client_credentials',
  ) => {
    const res = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: 'POST',
      headers: { ...FORM, Accept: 'application/json', Authorization: auth },
      body,
    });
    return { res, json: (await res.json()) as Record<string, unknown> };
  };
  const list = async (accessToken: string) => {
    const res = await fetch(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: `Bearer ${accessToken}` },
    });
    await res.text();
    return res;
  };

  it('issues Bearer tokens with expires_in and no refresh token; they expire', async () => {
    await start({ tokenLifetimeSeconds: 120 });
    const { res, json } = await token();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(json).toMatchObject({ expires_in: 120, token_type: 'Bearer' });
    expect(sandbox.tokensIssued).toBe(1);
    const accessToken = json.access_token as string;
    expect((await list(accessToken)).status).toBe(200);
    clock += 120_000;
    const expired = await list(accessToken);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
    expect((await list('never-issued')).status).toBe(401);
  });

  it('refuses bad client credentials, a wrong grant type and a non-form body', async () => {
    await start();
    const wrong = await token(basic(SA.clientId, 'wrong'));
    expect(wrong.res.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    expect((await token('')).res.status).toBe(401);
    const grant = await token(undefined, 'grant_type=password');
    expect(grant.res.status).toBe(400);
    expect(grant.json.error).toBe('unsupported_grant_type');
    const res = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basic(SA.clientId, SA.clientSecret) },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(res.status).toBe(400);
    expect(sandbox.tokensIssued).toBe(0);
  });

  it('allows at most maxTokensPerClient live tokens, then 403 access_denied "Access Token limit reached"', async () => {
    await start({ maxTokensPerClient: 3, tokenRateLimit: false });
    const issued: string[] = [];
    for (let i = 0; i < 3; i++) issued.push((await token()).json.access_token as string);
    const refused = await token();
    expect(refused.res.status).toBe(403);
    expect(refused.json).toEqual({ error: 'access_denied', error_description: 'Access Token limit reached' });
    // Revoking one frees a slot.
    const revoke = await fetch(`${sandbox.url}/api/oauth/revoke`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic(SA.clientId, SA.clientSecret) },
      body: `token=${issued[0]}&token_type_hint=access_token`,
    });
    expect(revoke.status).toBe(200);
    expect((await list(issued[0] as string)).status).toBe(401);
    expect(sandbox.liveTokens(SA.clientId)).toBe(2);
    expect((await token()).res.status).toBe(200);
  });

  it('defaults to 100 live tokens per service account', async () => {
    await start({ tokenRateLimit: false });
    for (let i = 0; i < 100; i++) expect((await token()).res.status).toBe(200);
    expect((await token()).res.status).toBe(403);
  });

  it('rate-limits the token endpoint: 429 RATE_LIMITED with Retry-After', async () => {
    await start({ tokenRateLimit: { requests: 2, perMs: 60_000 } });
    expect((await token()).res.status).toBe(200);
    expect((await token()).res.status).toBe(200);
    const limited = await token();
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toBe('60');
    expect(limited.res.headers.get('x-error-code')).toBe('RATE_LIMITED');
    expect(limited.json).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED' });
    clock += 60_000;
    expect((await token()).res.status).toBe(200);
  });

  it('defaults to 50 token requests a minute (current Atlas docs)', async () => {
    await start();
    for (let i = 0; i < 50; i++) expect((await token()).res.status).toBe(200);
    expect((await token()).res.status).toBe(429);
  });

  it('refuses revoke without client credentials, and ignores tokens of another client', async () => {
    await start({
      credentials: { serviceAccounts: [SA, { clientId: 'other', clientSecret: 'other-secret' }] },
    });
    const mine = (await token()).json.access_token as string;
    const unauth = await fetch(`${sandbox.url}/api/oauth/revoke`, {
      method: 'POST',
      headers: FORM,
      body: `token=${mine}`,
    });
    expect(unauth.status).toBe(401);
    const foreign = await fetch(`${sandbox.url}/api/oauth/revoke`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic('other', 'other-secret') },
      body: `token=${mine}`,
    });
    expect(foreign.status).toBe(200);
    expect((await list(mine)).status).toBe(200);
  });

  it('answers 405 to a GET of the token endpoint', async () => {
    await start();
    expect((await fetch(`${sandbox.url}/api/oauth/token`)).status).toBe(405);
  });
});
