import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { GROUP, INVITE } from '../../helpers/ids';
import { apiError, scriptedClient, scriptedServer, type Reply } from '../../helpers/scripted-server';

const sa = { kind: 'service-account', clientId: CANARY.clientId, clientSecret: CANARY.clientSecret } as const;
const tokenOk = (token: string = CANARY.issuedToken, expiresIn = 3600): Reply => ({
  status: 200,
  body: { access_token: token, expires_in: expiresIn, token_type: 'Bearer' },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdb-inv-sa-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('service account', () => {
  it('fetches a token with Basic client credentials, then sends the DELETE with it', async () => {
    const { client, seen } = await scriptedClient([tokenOk(), { status: 204 }], {
      credentials: sa,
      tokenCacheDir: false,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /api/oauth/token',
      `DELETE /api/atlas/v2/groups/${GROUP}/invites/${INVITE}`,
    ]);
    const basic = Buffer.from(`${CANARY.clientId}:${CANARY.clientSecret}`).toString('base64');
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(seen[0]?.body).toBe('grant_type=client_credentials');
    expect(seen[1]?.headers.authorization).toBe(`Bearer ${CANARY.issuedToken}`);
  });

  it('reuses the token for the next request (in memory)', async () => {
    const { client } = await scriptedClient([tokenOk(), { status: 204 }, { status: 204 }], {
      credentials: sa,
      tokenCacheDir: false,
    });
    await client.cancelInvitation(GROUP, INVITE);
    await client.cancelInvitation(GROUP, INVITE);
    expect(client.requestCount).toBe(3);
  });

  it('refetches a token that is within 60 s of expiry', async () => {
    const { client, clock, seen } = await scriptedClient(
      [tokenOk('t1', 3600), { status: 204 }, tokenOk('t2'), { status: 204 }],
      {
        credentials: sa,
        tokenCacheDir: false,
      },
    );
    await client.cancelInvitation(GROUP, INVITE);
    clock.state.now += 3600_000 - 59_000;
    await client.cancelInvitation(GROUP, INVITE);
    expect(seen.map((s) => s.headers.authorization)).toEqual([
      expect.stringMatching(/^Basic /),
      'Bearer t1',
      expect.stringMatching(/^Basic /),
      'Bearer t2',
    ]);
  });

  it('refetches the token once on a 401, then gives up', async () => {
    const refused = { status: 401, body: apiError(401, 'NOT_AUTHORIZED', 'Expired.') };
    const { client, seen } = await scriptedClient([tokenOk('t1'), refused, tokenOk('t2'), { status: 204 }], {
      credentials: sa,
      tokenCacheDir: false,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(seen[3]?.headers.authorization).toBe('Bearer t2');

    const again = await scriptedClient([tokenOk('t1'), refused, tokenOk('t2'), refused], {
      credentials: sa,
      tokenCacheDir: false,
    });
    const err = await again.client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', status: 401 });
    expect(again.client.requestCount).toBe(4);
  });

  it('reports a refused token request as AuthenticationError without the secret', async () => {
    const { client } = await scriptedClient(
      [{ status: 401, body: { error: 'invalid_client', error_description: `bad ${CANARY.clientSecret}` } }],
      { credentials: sa, tokenCacheDir: false },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MDB_AUTHENTICATION',
      method: 'POST',
      path: '/api/oauth/token',
      errorCode: 'invalid_client',
    });
    expect((err as Error).message).toMatch(/client id and secret/);
    expectNoSecrets(err);
    expect(client.requestCount).toBe(1);
  });

  it('retries a rate-limited token request', async () => {
    const { client, clock } = await scriptedClient(
      [{ status: 429, headers: { 'retry-after': '2' } }, tokenOk(), { status: 204 }],
      { credentials: sa, tokenCacheDir: false },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(clock.state.sleeps).toEqual([2000]);
  });

  it('caches the token in a private file that never holds the secret, shared by the next client', async () => {
    const cacheDir = join(dir, 'cache');
    // One server for both clients: the cache is per base URL.
    const server = await scriptedServer([tokenOk(), { status: 204 }, { status: 204 }]);
    const first = await scriptedClient(server, { credentials: sa, tokenCacheDir: cacheDir });
    await first.client.cancelInvitation(GROUP, INVITE);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(cacheDir);
    expect(files).toEqual([expect.stringMatching(/^token-[0-9a-f]{40}\.json$/)]);
    const file = join(cacheDir, files[0] as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = readFileSync(file, 'utf8');
    expect(content).toContain(CANARY.issuedToken);
    expect(content).not.toContain(CANARY.clientSecret);
    expect(content).not.toContain(CANARY.clientId);

    const second = await scriptedClient(server, { credentials: sa, tokenCacheDir: cacheDir });
    await second.client.cancelInvitation(GROUP, INVITE);
    expect(second.client.requestCount).toBe(1);
    expect(server.seen).toHaveLength(3);
    expect(server.seen[2]?.headers.authorization).toBe(`Bearer ${CANARY.issuedToken}`);
  });

  it('does not reuse a cached token after the secret was rotated', async () => {
    const cacheDir = join(dir, 'cache');
    // One server for both clients: the cache is per base URL, and only the secret differs.
    const server = await scriptedServer([tokenOk('old'), { status: 204 }, tokenOk('new'), { status: 204 }]);
    const old = await scriptedClient(server, { credentials: sa, tokenCacheDir: cacheDir });
    await old.client.cancelInvitation(GROUP, INVITE);
    const rotated = await scriptedClient(server, {
      credentials: { ...sa, clientSecret: 'rotated-secret' },
      tokenCacheDir: cacheDir,
    });
    await rotated.client.cancelInvitation(GROUP, INVITE);
    expect(server.seen[3]?.headers.authorization).toBe('Bearer new');
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('removes a refused token from the file cache', async () => {
    const cacheDir = join(dir, 'cache');
    const refused = { status: 401, body: apiError(401, 'NOT_AUTHORIZED', 'Revoked.') };
    const { client } = await scriptedClient([tokenOk('t1'), refused, tokenOk('t2'), { status: 204 }], {
      credentials: sa,
      tokenCacheDir: cacheDir,
    });
    await client.cancelInvitation(GROUP, INVITE);
    const [file] = readdirSync(cacheDir);
    expect(readFileSync(join(cacheDir, file as string), 'utf8')).toContain('"t2"');
  });

  it('tightens a cache directory that others can read', async () => {
    const cacheDir = join(dir, 'loose');
    mkdirSync(cacheDir, { mode: 0o755 });
    chmodSync(cacheDir, 0o755);
    const { client } = await scriptedClient([tokenOk(), { status: 204 }], {
      credentials: sa,
      tokenCacheDir: cacheDir,
    });
    await client.cancelInvitation(GROUP, INVITE);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a cache path that is not a usable directory, before sending anything', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const { client } = await scriptedClient([tokenOk(), { status: 204 }], {
      credentials: sa,
      tokenCacheDir: file,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
      message: expect.stringMatching(
        /token cache directory .* is refused: it is not a directory\. Point tokenCacheDir/,
      ),
    });
    expect(client.requestCount).toBe(0);
  });

  it('explains the 403 token limit instead of blaming the client id and secret', async () => {
    const { client } = await scriptedClient(
      [{ status: 403, body: { error: 'access_denied', error_description: 'Access Token limit reached' } }],
      { credentials: sa, tokenCacheDir: false },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', status: 403, errorCode: 'access_denied' });
    const message = (err as Error).message;
    expect(message).toMatch(/limit of live access tokens \(Atlas allows 100/);
    expect(message).toMatch(/expire within an hour; keep the token cache on/);
    expect(message).not.toMatch(/client id and secret/);
  });

  it('ends the token-limit hint with the words its caller gave for the token cache', async () => {
    const { client } = await scriptedClient(
      [{ status: 403, body: { error: 'access_denied', error_description: 'Access Token limit reached' } }],
      { credentials: sa, tokenCacheDir: false, hints: { tokenCache: 'Set TEAM_CACHE to a directory.' } },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/share one token\. Set TEAM_CACHE to a directory\./);
    expect((err as Error).message).not.toMatch(/tokenCacheDir/);
  });

  it('redacts every access token it used, also one refused and replaced earlier', async () => {
    const first = 'first-token-CANARY-91ab';
    const second = 'second-token-CANARY-77cd';
    const refused = { status: 401, body: apiError(401, 'NOT_AUTHORIZED', 'Expired.') };
    const { client } = await scriptedClient(
      [
        tokenOk(first),
        refused,
        tokenOk(second),
        {
          status: 403,
          body: apiError(403, 'DENIED', `Tokens ${first} and ${second}: the bearer of this token may not.`),
        },
      ],
      { credentials: sa, tokenCacheDir: false },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 403 });
    const message = (err as Error).message;
    expect(message).toContain('the bearer of this token may not');
    expect(message).toContain('Tokens [REDACTED] and [REDACTED]');
    expectNoSecrets(err);
    for (const view of [message, inspect(err, { showHidden: true }), JSON.stringify(err)]) {
      expect(view).not.toContain(first);
      expect(view).not.toContain(second);
    }
  });
});
