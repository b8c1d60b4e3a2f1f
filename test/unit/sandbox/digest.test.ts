// Server-side Digest: nonce reuse with increasing nc, replay refusal, stale=true after the nonce lifetime,
// wrong secrets and mismatched request-targets refused, opaque echoed when the sandbox sends one.
import { parseDigestParams } from '../../../lib/sandbox/digest';
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, challengeOf, digestHeader, GROUP, parseChallenge } from './helpers';

const KEY = { publicKey: 'pub', privateKey: 'priv-canary-digest' };

describe('sandbox Digest authentication', () => {
  let sandbox: Sandbox;
  let clock: number;
  let list: string;
  let path: string;
  beforeEach(async () => {
    clock = Date.parse('2026-08-10T03:00:00Z');
    sandbox = await Sandbox.start({
      credentials: { apiKeys: [KEY] },
      nonceLifetimeMs: 60_000,
      now: () => clock,
    });
    path = `/api/atlas/v2/groups/${GROUP}/invites`;
    list = `${sandbox.url}${path}`;
  });
  afterEach(() => sandbox.stop());

  const send = async (authorization: string, uri = list) => {
    const res = await fetch(uri, { headers: { Accept: ATLAS_ACCEPT, Authorization: authorization } });
    await res.text();
    return res;
  };

  it('accepts one nonce for many requests while nc increases, and refuses a replayed nc', async () => {
    const challenge = await challengeOf(list);
    for (const nc of [1, 2, 3]) {
      expect(
        (await send(digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, nc))).status,
      ).toBe(200);
    }
    const replay = await send(digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, 2));
    expect(replay.status).toBe(401);
    expect(parseChallenge(replay.headers.get('www-authenticate')).stale).toBe('false');
  });

  it('accepts nc values out of order within the window (parallel requests), each once', async () => {
    const challenge = await challengeOf(list);
    const header = (nc: number) => digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, nc);
    expect((await send(header(5))).status).toBe(200);
    expect((await send(header(4))).status).toBe(200);
    expect((await send(header(4))).status).toBe(401);
    expect((await send(header(500))).status).toBe(200);
    expect((await send(header(6))).status).toBe(401); // fell out of the 64-wide window
  });

  it('answers stale=true once the nonce lifetime has passed, and accepts the fresh nonce', async () => {
    const challenge = await challengeOf(list);
    expect((await send(digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, 1))).status).toBe(
      200,
    );
    clock += 60_000;
    const stale = await send(digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, 2));
    expect(stale.status).toBe(401);
    const fresh = parseChallenge(stale.headers.get('www-authenticate'));
    expect(fresh.stale).toBe('true');
    expect(fresh.nonce).not.toBe(challenge.nonce);
    expect((await send(digestHeader(fresh, KEY.publicKey, KEY.privateKey, 'GET', path, 1))).status).toBe(200);
  });

  it('answers stale=true for a correct digest over a nonce it never issued (e.g. after a restart)', async () => {
    const challenge = { ...(await challengeOf(list)), nonce: 'bm90LWlzc3VlZC1ieS10aGlzLXNhbmRib3g=' };
    const res = await send(digestHeader(challenge, KEY.publicKey, KEY.privateKey, 'GET', path, 1));
    expect(res.status).toBe(401);
    expect(parseChallenge(res.headers.get('www-authenticate')).stale).toBe('true');
  });

  it('refuses a wrong private key, an unknown public key, another realm and a uri that is not the request’s', async () => {
    const c = await challengeOf(list);
    const cases = [
      digestHeader(c, KEY.publicKey, 'wrong', 'GET', path, 1),
      digestHeader(c, 'nobody', KEY.privateKey, 'GET', path, 2),
      digestHeader({ ...c, realm: 'Other' }, KEY.publicKey, KEY.privateKey, 'GET', path, 3),
      digestHeader(c, KEY.publicKey, KEY.privateKey, 'GET', `${path}?username=x`, 4),
      digestHeader(c, KEY.publicKey, KEY.privateKey, 'DELETE', path, 5),
      digestHeader(c, KEY.publicKey, KEY.privateKey, 'GET', path, 6, { qop: 'auth-int' }),
    ];
    for (const header of cases) {
      const res = await send(header);
      expect(res.status).toBe(401);
      expect(parseChallenge(res.headers.get('www-authenticate')).stale).toBe('false');
    }
    expect(sandbox.log.filter((e) => e.status === 200)).toHaveLength(0);
  });

  it('sends an opaque when configured and requires it back', async () => {
    const other = await Sandbox.start({ credentials: { apiKeys: [KEY] }, digestOpaque: 'opaque-123' });
    try {
      const url = `${other.url}${path}`;
      const c = await challengeOf(url);
      expect(c.opaque).toBe('opaque-123');
      const ok = await fetch(url, {
        headers: {
          Accept: ATLAS_ACCEPT,
          Authorization: digestHeader(c, 'pub', KEY.privateKey, 'GET', path, 1),
        },
      });
      expect(ok.status).toBe(200);
      const without = digestHeader({ ...c, opaque: 'wrong' }, 'pub', KEY.privateKey, 'GET', path, 2);
      const refused = await fetch(url, { headers: { Accept: ATLAS_ACCEPT, Authorization: without } });
      expect(refused.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('parses quoted parameters holding commas and escapes', () => {
    expect(parseDigestParams('Digest username="a\\"b", uri="/x?a=1,2", nc=00000001, qop=auth')).toEqual({
      username: 'a"b',
      uri: '/x?a=1,2',
      nc: '00000001',
      qop: 'auth',
    });
    expect(parseDigestParams('Bearer abc')).toBeUndefined();
  });
});
