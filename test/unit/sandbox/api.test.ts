// The invitations API with Node's fetch and a static access token: expiry, envelope, pretty, validation,
// unknown groups and paths, Ops Manager's Digest-only auth, the sunset, the RateLimit window.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, challengeOf, digestHeader, GROUP, INVITE } from './helpers';

const TOKEN = 'token-canary-7d1e';
const DAY = 24 * 3600 * 1000;

describe('sandbox invitations API', () => {
  let sandbox: Sandbox | undefined;
  let clock = Date.parse('2026-08-10T03:04:53Z');
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  async function start(options: Parameters<typeof Sandbox.start>[0] = {}): Promise<Sandbox> {
    clock = Date.parse('2026-08-10T03:04:53Z');
    sandbox = await Sandbox.start({ credentials: { accessTokens: [TOKEN] }, now: () => clock, ...options });
    return sandbox;
  }

  const call = async (url: string, init: RequestInit = {}, accept = ATLAS_ACCEPT) => {
    const res = await fetch(url, {
      ...init,
      headers: {
        Accept: accept,
        Authorization: `Bearer ${TOKEN}`,
        ...(init.headers as Record<string, string>),
      },
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    return { res, text, json };
  };

  it('seeds the same id on both APIs by default, and invitations expire 30 days after creation', async () => {
    const s = await start({
      seed: {
        invitations: [{ groupId: GROUP, id: INVITE, username: 'a@example.com', roles: ['GROUP_OWNER'] }],
      },
    });
    const url = `${s.url}/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`;
    const got = await call(url);
    expect(got.json).toEqual({
      createdAt: '2026-08-10T03:04:53Z',
      expiresAt: '2026-09-09T03:04:53Z',
      groupId: GROUP,
      groupName: expect.any(String) as unknown,
      id: INVITE,
      inviterUsername: expect.any(String) as unknown,
      roles: ['GROUP_OWNER'],
      username: 'a@example.com',
    });
    expect(s.invitations('ops-manager', GROUP).map((i) => i.id)).toEqual([INVITE]);
    clock += 30 * DAY - 1000;
    expect((await call(url)).res.status).toBe(200);
    clock += 1000;
    expect((await call(url)).res.status).toBe(404);
    expect((await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`)).json).toEqual([]);
    expect((await call(url, { method: 'DELETE' })).res.status).toBe(404);
  });

  it('honours envelope=true: HTTP 200 with {status, content}', async () => {
    const s = await start({
      seed: { invitations: [{ groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['R'] }] },
    });
    const base = `${s.url}/api/atlas/v2/groups/${GROUP}/invites`;
    const list = await call(`${base}?envelope=true`);
    expect(list.res.status).toBe(200);
    expect(list.json).toMatchObject({ status: 200, content: [{ id: INVITE }] });
    const del = await call(`${base}/${INVITE}?envelope=true`, { method: 'DELETE' });
    expect(del.res.status).toBe(200);
    expect(del.json).toEqual({ status: 204 });
    const missing = await call(`${base}/${INVITE}?envelope=true`, { method: 'DELETE' });
    expect(missing.res.status).toBe(200);
    expect(missing.json).toMatchObject({
      status: 404,
      content: { error: 404, errorCode: 'INVITATION_NOT_FOUND' },
    });
  });

  it('indents the body with pretty=true', async () => {
    const s = await start();
    const created = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites?pretty=true`, {
      method: 'POST',
      body: JSON.stringify({ username: 'p@x.io', roles: ['R'] }),
    });
    expect(created.text).toContain('\n  "id": ');
    const plain = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`);
    expect(plain.text).not.toContain('\n');
    expect(plain.json).toHaveLength(1);
  });

  it('refuses malformed ids and create bodies with a 400 ApiError naming the field', async () => {
    const s = await start();
    const bad = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites/NOT-AN-ID`, { method: 'DELETE' });
    expect(bad.res.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: 400,
      errorCode: 'VALIDATION_ERROR',
      badRequestDetail: { fields: [{ field: 'invitationId' }] },
    });
    const group = await call(`${s.url}/api/atlas/v2/groups/abc/invites`);
    expect(group.json).toMatchObject({ badRequestDetail: { fields: [{ field: 'groupId' }] } });
    const body = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`, {
      method: 'POST',
      body: JSON.stringify({ username: 'not-an-email', roles: [] }),
    });
    expect(body.res.status).toBe(400);
    expect(body.res.headers.get('x-error-code')).toBe('VALIDATION_ERROR');
    const notJson = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`, {
      method: 'POST',
      body: '{',
    });
    expect(notJson.json).toMatchObject({ error: 400, errorCode: 'INVALID_JSON' });
    expect(s.invitations('atlas')).toEqual([]);
  });

  it('answers GROUP_NOT_FOUND (as recorded) for a project outside knownGroups', async () => {
    const s = await start({ knownGroups: [GROUP] });
    const other = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    const res = await call(`${s.url}/api/atlas/v2/groups/${other}/invites/${INVITE}`, { method: 'DELETE' });
    expect(res.res.status).toBe(404);
    expect(res.res.headers.get('x-error-code')).toBe('GROUP_NOT_FOUND');
    expect(res.json).toEqual({
      detail: `No group with ID ${other} exists.`,
      error: 404,
      errorCode: 'GROUP_NOT_FOUND',
      parameters: [other],
      reason: 'Not Found',
    });
    expect((await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`)).res.status).toBe(200);
  });

  it('answers an unknown path (e.g. /invitations/) with a 404 that is not an ApiError', async () => {
    const s = await start();
    const res = await call(`${s.url}/api/public/v1.0/groups/${GROUP}/invitations/${INVITE}`, {
      method: 'DELETE',
    });
    expect(res.res.status).toBe(404);
    expect(res.res.headers.get('content-type')).toBe('text/html');
    expect(res.res.headers.get('x-error-code')).toBeNull();
    expect(s.log.at(-1)).toMatchObject({ target: 'unknown', status: 404 });
  });

  it('answers 405 for a method the resource does not have', async () => {
    const s = await start();
    const res = await call(`${s.url}/api/atlas/v2/groups/${GROUP}/invites`, { method: 'DELETE' });
    expect(res.res.status).toBe(405);
    expect(res.res.headers.get('allow')).toBe('GET, POST, PATCH');
  });

  it('accepts only Digest on Ops Manager: a Bearer token gets the Digest challenge', async () => {
    const s = await start();
    const res = await call(`${s.url}/api/public/v1.0/groups/${GROUP}/invites`, {}, 'application/json');
    expect(res.res.status).toBe(401);
    expect(res.res.headers.get('www-authenticate')).toMatch(/^Digest realm="MMS Public API"/);
  });

  it('answers Ops Manager DELETE with 200 {} when configured like its doc page, else 204', async () => {
    for (const [answer, status, body] of [
      ['empty-object', 200, '{}'],
      ['no-content', 204, ''],
    ] as const) {
      const s = await start({
        opsManagerDeleteAnswer: answer,
        credentials: { apiKeys: [{ publicKey: 'p', privateKey: 'k' }] },
      });
      s.seed([{ target: 'ops-manager', groupId: GROUP, id: INVITE, username: 'o@x.io', roles: ['R'] }]);
      const path = `/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`;
      const challenge = await challengeOf(`${s.url}${path}`, 'DELETE');
      const res = await fetch(`${s.url}${path}`, {
        method: 'DELETE',
        headers: { Authorization: digestHeader(challenge, 'p', 'k', 'DELETE', path, 1) },
      });
      expect(res.status).toBe(status);
      expect(await res.text()).toBe(body);
      expect(s.invitations('ops-manager')).toEqual([]);
      await s.stop();
      sandbox = undefined;
    }
  });

  it('sends the configured Sunset and answers 410 VERSION_GONE after it', async () => {
    const s = await start({ sunset: 'Mon, 10 Aug 2026 04:00:00 GMT' });
    const url = `${s.url}/api/atlas/v2/groups/${GROUP}/invites`;
    const before = await call(url);
    expect(before.res.headers.get('sunset')).toBe('Mon, 10 Aug 2026 04:00:00 GMT');
    clock = Date.parse('2026-08-10T04:00:00Z');
    const after = await call(url);
    expect(after.res.status).toBe(410);
    expect(after.json).toMatchObject({ error: 410, errorCode: 'VERSION_GONE' });
    const ops = await fetch(`${s.url}/api/public/v1.0/groups/${GROUP}/invites`);
    expect(ops.status).toBe(401); // Ops Manager has no sunset
  });

  it('counts RateLimit-Remaining down per caller and, when enforced, answers 429 with Retry-After', async () => {
    const s = await start({ apiRateLimit: { limit: 3, windowMs: 60_000, enforce: true } });
    const url = `${s.url}/api/atlas/v2/groups/${GROUP}/invites`;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await call(url)).res.headers.get('ratelimit-remaining'));
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call(url);
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toBe('60');
    expect(limited.json).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED_TOKEN_BUCKET' });
    clock += 60_000;
    expect((await call(url)).res.status).toBe(200);
  });
});
