// Start/stop, and the smaller switches: stop() with requests in flight, expireNonces(), Basic auth on the
// API, case-insensitive username filter, a custom Deprecation date, the log's memory bound.
import { MAX_LOG_ENTRIES, RequestLog } from '../../../lib/sandbox/request-log';
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, challengeOf, digestHeader, GROUP, INVITE, parseChallenge } from './helpers';

describe('sandbox lifecycle and switches', () => {
  it('stops promptly with a delayed request in flight and keep-alive sockets open', async () => {
    const sandbox = await Sandbox.start({ credentials: { accessTokens: ['t'] } });
    const url = `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`;
    const headers = { Accept: ATLAS_ACCEPT, Authorization: 'Bearer t' };
    expect((await fetch(url, { headers })).status).toBe(200); // leaves a keep-alive socket
    sandbox.faults.add({ kind: 'delay', ms: 120_000 }); // longer than this test's 10 s limit
    const pending = fetch(url, { headers });
    await new Promise((r) => setTimeout(r, 50));
    await sandbox.stop();
    await expect(pending).rejects.toThrow();
    await expect(fetch(url, { headers })).rejects.toThrow();
  }, 10_000);

  it('rejects start() when the port is taken, and when a seed is malformed', async () => {
    const first = await Sandbox.start();
    try {
      await expect(Sandbox.start({ port: Number(new URL(first.url).port) })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.stop();
    }
    await expect(
      Sandbox.start({ seed: { invitations: [{ groupId: GROUP, username: 'x', roles: ['R'] }] } }),
    ).rejects.toThrow(/username must be an email address/);
  });

  it('expireNonces() makes outstanding nonces stale', async () => {
    const sandbox = await Sandbox.start({ credentials: { apiKeys: [{ publicKey: 'p', privateKey: 'k' }] } });
    try {
      const path = `/api/atlas/v2/groups/${GROUP}/invites`;
      const challenge = await challengeOf(`${sandbox.url}${path}`);
      const send = (nc: number) =>
        fetch(`${sandbox.url}${path}`, {
          headers: {
            Accept: ATLAS_ACCEPT,
            Authorization: digestHeader(challenge, 'p', 'k', 'GET', path, nc),
          },
        });
      expect((await send(1)).status).toBe(200);
      sandbox.expireNonces();
      const stale = await send(2);
      expect(stale.status).toBe(401);
      expect(parseChallenge(stale.headers.get('www-authenticate')).stale).toBe('true');
    } finally {
      await sandbox.stop();
    }
  });

  it('answers Basic auth on the API with the Digest challenge and logs the scheme', async () => {
    const sandbox = await Sandbox.start();
    try {
      const res = await fetch(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`, {
        method: 'DELETE',
        headers: {
          Accept: ATLAS_ACCEPT,
          Authorization: `Basic ${Buffer.from('sandbox-public-key:sandbox-private-key').toString('base64')}`,
        },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Digest /);
      expect(sandbox.log.at(-1)).toMatchObject({ authScheme: 'basic', status: 401 });
    } finally {
      await sandbox.stop();
    }
  });

  it('filters by username case-insensitively and sends a configured Deprecation date', async () => {
    const sandbox = await Sandbox.start({
      credentials: { accessTokens: ['t'] },
      deprecation: 'Tue, 1 Jul 2025 00:00:00 GMT',
      seed: { invitations: [{ groupId: GROUP, id: INVITE, username: 'Ada@Example.com', roles: ['R'] }] },
    });
    try {
      const res = await fetch(
        `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites?username=ada%40example.com`,
        {
          headers: { Accept: ATLAS_ACCEPT, Authorization: 'Bearer t' },
        },
      );
      expect(((await res.json()) as { id: string }[]).map((i) => i.id)).toEqual([INVITE]);
      expect(res.headers.get('deprecation')).toBe('Tue, 1 Jul 2025 00:00:00 GMT');
    } finally {
      await sandbox.stop();
    }
  });

  it('keeps at most MAX_LOG_ENTRIES in memory, dropping the oldest', () => {
    const log = new RequestLog();
    const entry = {
      time: '',
      method: 'GET',
      path: '/',
      query: {},
      accept: '',
      authScheme: 'none',
      target: 'unknown',
    } as const;
    for (let i = 0; i <= MAX_LOG_ENTRIES; i++) log.add({ ...entry, status: i });
    expect(log.entries).toHaveLength(MAX_LOG_ENTRIES);
    expect(log.entries[0]?.status).toBe(1);
    expect(log.entries.at(-1)?.status).toBe(MAX_LOG_ENTRIES);
  });
});
