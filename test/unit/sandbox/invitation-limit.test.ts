// Atlas's invitation rate limit: 10 created invitations a minute per client IP by default, over the
// invites and Cloud Users POSTs together; 400 INVITATIONS_RATE_LIMITED_IP with Retry-After; 'off'.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, callJson, GROUP } from './helpers';

const TOKEN = 'token-limit';

describe('sandbox invitation rate limit', () => {
  let sandbox: Sandbox | undefined;
  let clock = 0;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  async function start(options: Parameters<typeof Sandbox.start>[0] = {}): Promise<Sandbox> {
    clock = Date.parse('2026-08-10T03:04:53Z');
    sandbox = await Sandbox.start({ credentials: { accessTokens: [TOKEN] }, now: () => clock, ...options });
    return sandbox;
  }

  const invite = (s: Sandbox, n: number, api: 'users' | 'invites') =>
    callJson(`${s.url}/api/atlas/v2/groups/${GROUP}/${api}`, TOKEN, {
      method: 'POST',
      ...(api === 'invites' && { accept: ATLAS_ACCEPT }),
      body: { username: `p${n}@example.com`, roles: ['GROUP_READ_ONLY'] },
    });

  it('is on by default: the 11th invitation in a minute, over both Atlas APIs, gets 400 with Retry-After', async () => {
    const s = await start();
    for (let n = 0; n < 10; n++) {
      clock += 1000;
      const res = await invite(s, n, n % 2 === 0 ? 'users' : 'invites');
      expect([n, res.res.status]).toEqual([n, n % 2 === 0 ? 201 : 200]);
    }
    clock += 5000;
    const limited = await invite(s, 10, 'users');
    expect(limited.res.status).toBe(400);
    expect(limited.json).toMatchObject({ error: 400, errorCode: 'INVITATIONS_RATE_LIMITED_IP' });
    expect((limited.json as { detail: string }).detail).toMatch(/10 invitations per 1 minutes/);
    expect(limited.res.headers.get('x-error-code')).toBe('INVITATIONS_RATE_LIMITED_IP');
    // The first was at +1 s, now is +15 s: it leaves the window in 46 s.
    expect(limited.res.headers.get('retry-after')).toBe('46');
    expect((await invite(s, 11, 'invites')).res.status).toBe(400);
    expect(s.cloudUsers()).toHaveLength(5);
    expect(s.invitations('atlas')).toHaveLength(5);
    clock += 46_000;
    expect((await invite(s, 12, 'users')).res.status).toBe(201);
  });

  it('counts only created invitations, not refused ones, and never Ops Manager or reads', async () => {
    const s = await start({ invitationRateLimit: { count: 2, windowMs: 30_000 } });
    const users = `${s.url}/api/atlas/v2/groups/${GROUP}/users`;
    for (let i = 0; i < 3; i++) {
      expect((await callJson(users, TOKEN, { method: 'POST', body: { username: 'x' } })).res.status).toBe(
        400,
      );
      expect((await callJson(users, TOKEN)).res.status).toBe(200);
    }
    expect((await invite(s, 0, 'users')).res.status).toBe(201);
    expect((await invite(s, 0, 'users')).res.status).toBe(409);
    expect((await invite(s, 1, 'users')).res.status).toBe(201);
    const third = await invite(s, 2, 'users');
    expect(third.json).toMatchObject({ errorCode: 'INVITATIONS_RATE_LIMITED_IP' });
    expect((third.json as { detail: string }).detail).toMatch(/2 invitations per 30 seconds/);
    expect(third.res.headers.get('retry-after')).toBe('30');
  });

  it("'off' removes the limit; bad option values are refused at start", async () => {
    const s = await start({ invitationRateLimit: 'off' });
    for (let n = 0; n < 12; n++) expect((await invite(s, n, 'users')).res.status).toBe(201);
    await expect(Sandbox.start({ invitationRateLimit: { count: 0, windowMs: 1000 } })).rejects.toMatchObject({
      code: 'SANDBOX_INVALID_OPTIONS',
      message: expect.stringMatching(/invitationRateLimit/) as unknown,
    });
  });

  it('reset() empties the window', async () => {
    const s = await start({ invitationRateLimit: { count: 1, windowMs: 60_000 } });
    expect((await invite(s, 0, 'users')).res.status).toBe(201);
    expect((await invite(s, 1, 'users')).res.status).toBe(400);
    s.reset();
    expect((await invite(s, 2, 'users')).res.status).toBe(201);
  });
});
