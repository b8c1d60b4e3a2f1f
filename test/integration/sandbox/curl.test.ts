// The sandbox driven by curl, an independent HTTP client with its own Digest implementation, and checked
// against API-FACTS.md: paths, statuses, headers, ApiError fields.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, curl, describeIfCurl, GROUP, INVITE, OTHER } from '../../unit/sandbox/helpers';

const describeIf = describeIfCurl();

const KEY = 'pubcanary1';
const SECRET = 'priv-canary-0b7f1c2e';
const DIGEST = ['--digest', '-u', `${KEY}:${SECRET}`];
const ATLAS = ['-H', `Accept: ${ATLAS_ACCEPT}`];

describeIf('sandbox through curl', () => {
  let sandbox: Sandbox;
  let atlas: string;
  let ops: string;
  beforeEach(async () => {
    sandbox = await Sandbox.start({
      credentials: {
        apiKeys: [{ publicKey: KEY, privateKey: SECRET }],
        serviceAccounts: [{ clientId: 'mdb_sa_id_curl', clientSecret: 'sa-secret-canary' }],
      },
      seed: {
        invitations: [
          { groupId: GROUP, id: INVITE, username: 'ada@example.com', roles: ['GROUP_READ_ONLY'] },
          { groupId: GROUP, id: OTHER, username: 'bob@example.com', roles: ['GROUP_OWNER'], target: 'atlas' },
        ],
      },
    });
    atlas = `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`;
    ops = `${sandbox.url}/api/public/v1.0/groups/${GROUP}/invites`;
  });
  afterEach(() => sandbox.stop());

  it('answers an unauthenticated request with Atlas’s Digest challenge and recorded 401 body', async () => {
    const res = await curl([...ATLAS, '-X', 'DELETE', `${atlas}/${INVITE}`]);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/=]{32}", algorithm=MD5, qop="auth", stale=false$/,
    );
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({
      error: 401,
      reason: 'Unauthorized',
      detail: 'You are not authorized for this resource.',
      errorCode: 'UNEXPECTED_ERROR',
    });
  });

  it('cancels an Atlas invitation with curl --digest: 204 with the Atlas headers, then 404 ApiError', async () => {
    const first = await curl([...DIGEST, ...ATLAS, '-X', 'DELETE', `${atlas}/${INVITE}`]);
    expect(first.statuses).toEqual([401, 204]);
    expect(first.body).toBe('');
    expect(first.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    expect(first.headers.deprecation).toBe('Wed, 4 Oct 2023 00:00:00 GMT');
    expect(first.headers.sunset).toBe('Thu, 1 Jul 2027 00:00:00 GMT');
    expect(first.headers['ratelimit-limit']).toBe('1200');
    expect(Number(first.headers['ratelimit-remaining'])).toBeLessThan(1200);
    expect(sandbox.invitations('atlas', GROUP).map((i) => i.id)).toEqual([OTHER]);
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => i.id)).toEqual([INVITE]);

    const again = await curl([...DIGEST, ...ATLAS, '-X', 'DELETE', `${atlas}/${INVITE}`]);
    expect(again.status).toBe(404);
    expect(again.headers['content-type']).toBe('application/json');
    expect(again.headers['x-error-code']).toBe('INVITATION_NOT_FOUND');
    const error = JSON.parse(again.body) as Record<string, unknown>;
    expect(error).toMatchObject({ error: 404, errorCode: 'INVITATION_NOT_FOUND', reason: 'Not Found' });
    expect(typeof error.detail).toBe('string');
    expect(error.parameters).toEqual([INVITE]);
  });

  it('cancels an Ops Manager invitation with curl --digest and answers application/json errors', async () => {
    const first = await curl([
      ...DIGEST,
      '-H',
      'Accept: application/json',
      '-X',
      'DELETE',
      `${ops}/${INVITE}`,
    ]);
    expect(first.statuses).toEqual([401, 204]);
    expect(first.headers.sunset).toBeUndefined();
    expect(first.headers.deprecation).toBeUndefined();
    const again = await curl([...DIGEST, '-X', 'DELETE', `${ops}/${INVITE}`]);
    expect(again.status).toBe(404);
    expect(again.headers['content-type']).toBe('application/json');
    expect(again.headers['x-error-code']).toBe('INVITATION_NOT_FOUND');
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
  });

  it('lists (with the username filter), gets and creates invitations', async () => {
    const list = await curl([...DIGEST, ...ATLAS, `${atlas}?username=bob%40example.com`]);
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    expect((JSON.parse(list.body) as { id: string }[]).map((i) => i.id)).toEqual([OTHER]);

    const one = await curl([...DIGEST, ...ATLAS, `${atlas}/${INVITE}`]);
    expect(JSON.parse(one.body)).toMatchObject({ id: INVITE, groupId: GROUP, username: 'ada@example.com' });

    const created = await curl([
      ...DIGEST,
      ...ATLAS,
      '-H',
      `Content-Type: ${ATLAS_ACCEPT}`,
      '--data',
      '{"username":"cy@example.com","roles":["GROUP_READ_ONLY"]}',
      atlas,
    ]);
    expect(created.status).toBe(200);
    const body = JSON.parse(created.body) as Record<string, string>;
    expect(body.id).toMatch(/^[a-f0-9]{24}$/);
    expect(body).toMatchObject({ groupId: GROUP, username: 'cy@example.com', roles: ['GROUP_READ_ONLY'] });
    expect(body.inviterUsername).toBe(`${KEY}@sandbox.invalid`);
    expect(Date.parse(body.expiresAt ?? '') - Date.parse(body.createdAt ?? '')).toBe(30 * 24 * 3600 * 1000);
    expect(sandbox.invitations('atlas', GROUP).map((i) => i.id)).toContain(body.id);
  });

  it('refuses a wrong Accept version on Atlas with 406 INVALID_VERSION_DATE', async () => {
    for (const accept of ['application/vnd.atlas.2025-03-12+json', 'application/json', '*/*']) {
      const res = await curl([...DIGEST, '-H', `Accept: ${accept}`, '-X', 'DELETE', `${atlas}/${INVITE}`]);
      expect(res.status).toBe(406);
      expect(res.headers['x-error-code']).toBe('INVALID_VERSION_DATE');
      expect(JSON.parse(res.body)).toMatchObject({ error: 406, errorCode: 'INVALID_VERSION_DATE' });
    }
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(2);
  });

  it('issues a service-account token to curl (Basic auth, form body) that then authorizes a DELETE', async () => {
    const token = await curl([
      '-u',
      'mdb_sa_id_curl:sa-secret-canary',
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '--data',
      'grant_type=client_credentials',
      `${sandbox.url}/api/oauth/token`,
    ]);
    expect(token.status).toBe(200);
    const body = JSON.parse(token.body) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    const bearer = ['-H', `Authorization: Bearer ${body.access_token}`, ...ATLAS];
    const del = await curl([...bearer, '-X', 'DELETE', `${atlas}/${INVITE}`]);
    expect(del.statuses).toEqual([204]);

    const revoke = await curl([
      '-u',
      'mdb_sa_id_curl:sa-secret-canary',
      '--data',
      `token=${body.access_token}&token_type_hint=access_token`,
      `${sandbox.url}/api/oauth/revoke`,
    ]);
    expect(revoke.status).toBe(200);
    const after = await curl([...bearer, `${atlas}/${OTHER}`]);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
  });
});
