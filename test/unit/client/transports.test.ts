// Behaviour parity of the two transports (undici, node:http) over real loopback sockets: the same
// scripted answers must give the same outcomes, errors, retries, request counts and redaction.
import { inspect } from 'node:util';
import { InvitationClient } from '../../../lib/client/invitation-client';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { ATLAS_PATH, GROUP, INVITE } from '../../helpers/ids';
import {
  apiError,
  challenge401,
  digestParams,
  scriptedClient,
  stopScripted,
  TRANSPORTS,
  type Reply,
  validDigest,
} from '../../helpers/scripted-server';

const token = { kind: 'token', accessToken: CANARY.accessToken } as const;
const sa = { kind: 'service-account', clientId: CANARY.clientId, clientSecret: CANARY.clientSecret } as const;
const tokenOk = { status: 200, body: { access_token: CANARY.issuedToken, expires_in: 3600 } };

afterEach(stopScripted);

describe.each(TRANSPORTS)('transport %s', (transport) => {
  const make = (steps: readonly Reply[], options: Parameters<typeof scriptedClient>[1] = {}) =>
    scriptedClient(steps, { transport, ...options });

  describe('Digest', () => {
    it('answers the challenge with one valid authenticated request on the same connection', async () => {
      const { client, seen, server } = await make([challenge401(), { status: 204 }]);
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toEqual({
        outcome: 'revoked',
        status: 204,
        method: 'DELETE',
        path: ATLAS_PATH,
      });
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
        `DELETE ${ATLAS_PATH}`,
        `DELETE ${ATLAS_PATH}`,
      ]);
      expect(seen[0]?.headers.authorization).toBeUndefined();
      expect(seen[1]?.headers).toMatchObject({
        accept: 'application/vnd.atlas.2023-01-01+json',
        'user-agent': expect.stringMatching(/^cdktf-mongodb-invitations\//),
      });
      const p = digestParams(seen[1]?.headers.authorization);
      expect(p).toMatchObject({ uri: ATLAS_PATH, nonce: 'nonce-one', nc: '00000001', opaque: 'opq' });
      expect(validDigest(p, 'DELETE', CANARY.privateKey)).toBe(true);
      expect(client.requestCount).toBe(2);
      expect(server.connections()).toBe(1); // keep-alive: one connection per client
    });

    it('reuses the nonce for the next operation, and answers stale=true once', async () => {
      const { client, seen } = await make([
        challenge401('n1'),
        { status: 204 },
        { status: 204 },
        challenge401('n2', true),
        { status: 204 },
      ]);
      await client.cancelInvitation(GROUP, INVITE);
      await client.cancelInvitation(GROUP, INVITE);
      expect(digestParams(seen[2]?.headers.authorization)).toMatchObject({ nonce: 'n1', nc: '00000002' });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(digestParams(seen[4]?.headers.authorization)).toMatchObject({ nonce: 'n2', nc: '00000001' });
      expect(client.requestCount).toBe(5);
    });

    it('picks the Digest challenge among several WWW-Authenticate headers', async () => {
      const two = {
        ...challenge401(),
        headers: {
          'www-authenticate': [
            'Basic realm="x"',
            'Digest realm="MMS Public API", nonce="n-sha", algorithm=SHA-256, qop="auth"',
          ],
        },
      };
      const { client, seen } = await make([two, { status: 204 }]);
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(digestParams(seen[1]?.headers.authorization)).toMatchObject({
        nonce: 'n-sha',
        algorithm: 'SHA-256',
      });
    });

    it('refuses wrong keys after one authenticated attempt, with no secret in the error', async () => {
      const { client } = await make([challenge401(), challenge401()]);
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', status: 401, path: ATLAS_PATH });
      expect(client.requestCount).toBe(2);
      expectNoSecrets(err);
    });
  });

  describe('bearer and service account', () => {
    it('sends a static token', async () => {
      const { client, seen } = await make([{ status: 204 }], { credentials: token });
      await client.cancelInvitation(GROUP, INVITE);
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${CANARY.accessToken}`);
      expect(client.requestCount).toBe(1);
    });

    it('posts the client credentials form, then sends the DELETE with the token', async () => {
      const { client, seen } = await make([tokenOk, { status: 204 }, { status: 204 }], {
        credentials: sa,
        tokenCacheDir: false,
      });
      await client.cancelInvitation(GROUP, INVITE);
      await client.cancelInvitation(GROUP, INVITE);
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
        'POST /api/oauth/token',
        `DELETE ${ATLAS_PATH}`,
        `DELETE ${ATLAS_PATH}`,
      ]);
      expect(seen[0]?.body).toBe('grant_type=client_credentials');
      expect(seen[0]?.headers).toMatchObject({
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String('grant_type=client_credentials'.length),
        authorization: `Basic ${Buffer.from(`${CANARY.clientId}:${CANARY.clientSecret}`).toString('base64')}`,
      });
      expect(seen[2]?.headers.authorization).toBe(`Bearer ${CANARY.issuedToken}`);
      expect(client.requestCount).toBe(3);
    });

    it('reports a refused token request without the secret', async () => {
      const refused = {
        status: 401,
        body: { error: 'invalid_client', error_description: CANARY.clientSecret },
      };
      const { client } = await make([refused], { credentials: sa, tokenCacheDir: false });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', method: 'POST', errorCode: 'invalid_client' });
      expectNoSecrets(err);
    });
  });

  describe('outcomes', () => {
    it('takes a 404 ApiError as already gone after one confirming list (DELETE + GET)', async () => {
      const body = apiError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.');
      const { client, seen } = await make(
        [
          { status: 404, body },
          { status: 200, body: [] },
        ],
        {
          credentials: token,
        },
      );
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
        outcome: 'already-gone',
        errorCode: 'RESOURCE_NOT_FOUND',
        confirmedBy: `GET /api/atlas/v2/groups/${GROUP}/invites`,
      });
      expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
        `DELETE ${ATLAS_PATH}`,
        `GET /api/atlas/v2/groups/${GROUP}/invites`,
      ]);
    });

    it('fails with MDB_UNCONFIRMED when the confirming list fails', async () => {
      const body = apiError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.');
      const { client } = await make([{ status: 404, body }, { reset: true }], {
        credentials: token,
        retry: { maxRetries: 0 },
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'MDB_UNCONFIRMED',
        cause: expect.objectContaining({ code: 'MDB_NETWORK' }),
      });
      expectNoSecrets(err);
    });

    it('fails on a 404 GROUP_NOT_FOUND and on a 2xx ApiError body, sending nothing more', async () => {
      const { client, seen } = await make(
        [
          { status: 404, body: apiError(404, 'GROUP_NOT_FOUND', 'No group.') },
          { status: 200, body: apiError(500, 'UNEXPECTED_ERROR', 'Broke.') },
        ],
        { credentials: token },
      );
      await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
        status: 404,
        errorCode: 'GROUP_NOT_FOUND',
      });
      await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
        status: 200,
        code: 'MDB_API_ERROR',
      });
      expect(seen.map((s) => s.method)).toEqual(['DELETE', 'DELETE']);
    });

    it('treats a 404 HTML page as an error that points at the base URL', async () => {
      const { client } = await make([{ status: 404, body: '<html>Not Found</html>' }], {
        credentials: token,
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 404 });
      expect((err as Error).message).toMatch(/check the base URL/);
    });

    it('says the endpoint was sunset on 410 VERSION_GONE', async () => {
      const { client } = await make([{ status: 410, body: apiError(410, 'VERSION_GONE', 'Gone.') }], {
        credentials: token,
      });
      await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
        name: 'EndpointGoneError',
        code: 'MDB_ENDPOINT_GONE',
        status: 410,
      });
    });

    it('reads a large body in full (list of 2,000 invitations)', async () => {
      const items = Array.from({ length: 2000 }, (_, i) => ({
        id: i.toString(16).padStart(24, '0'),
        groupId: GROUP,
        username: `user${i}@example.com`,
        roles: ['GROUP_READ_ONLY'],
      }));
      const { client } = await make([{ status: 200, body: { results: items } }], { credentials: token });
      const list = await client.listInvitations(GROUP);
      expect(list).toHaveLength(2000);
      expect(list[1999]?.username).toBe('user1999@example.com');
    });
  });

  describe('retries', () => {
    it('honours Retry-After on a 429', async () => {
      const busy = { status: 429, headers: { 'retry-after': '7' }, body: apiError(429, 'RATE_LIMITED', 'x') };
      const { client, clock } = await make([busy, { status: 204 }], { credentials: token });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(clock.state.sleeps).toEqual([7000]);
      expect(client.requestCount).toBe(2);
    });

    it('retries 5xx, then gives up with RetryExhaustedError carrying the last answer', async () => {
      const busy = { status: 503, body: apiError(503, 'SERVICE_UNAVAILABLE', 'Try later.') };
      const { client, clock } = await make([{ status: 500 }, busy, busy], {
        credentials: token,
        retry: { maxRetries: 2 },
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'MDB_RETRY_EXHAUSTED',
        attempts: 3,
        lastStatus: 503,
        errorCode: 'SERVICE_UNAVAILABLE',
      });
      expect(clock.state.sleeps).toEqual([250, 500]);
      expect(client.requestCount).toBe(3);
      expectNoSecrets(err);
    });

    it('retries a connection reset, then succeeds', async () => {
      const { client, server } = await make([{ reset: true }, { status: 204 }], { credentials: token });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(client.requestCount).toBe(2);
      expect(server.connections()).toBe(2);
    });

    it('retries a connection reset in the middle of the body', async () => {
      const { client } = await make(
        [{ status: 200, body: '{"results":[', resetMidBody: true }, { status: 204 }],
        {
          credentials: token,
        },
      );
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(client.requestCount).toBe(2);
    });

    it('reports resets that outlast the retries as NetworkError with a retryable code', async () => {
      const { client } = await make([{ reset: true }, { reset: true }], {
        credentials: token,
        retry: { maxRetries: 1 },
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_NETWORK', attempts: 2 });
      expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain((err as { networkCode?: string }).networkCode);
      expectNoSecrets(err);
    });

    it('reports a refused connection as NetworkError ECONNREFUSED after the retries', async () => {
      const { client, server } = await make([], { credentials: token, retry: { maxRetries: 1 } });
      await server.stop();
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_NETWORK', attempts: 2, networkCode: 'ECONNREFUSED' });
    });
  });

  describe('timeouts and the deadline', () => {
    it('times out a slow attempt (per-attempt timeout) and retries it', async () => {
      const { client } = await make([{ status: 204, delayMs: 3000 }, { status: 204 }], {
        credentials: token,
        timeoutMs: 100,
        now: Date.now,
      });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(client.requestCount).toBe(2);
    });

    it('reports a timeout that outlasts the retries as NetworkError ETIMEDOUT', async () => {
      const slow = { status: 204, delayMs: 3000 };
      const { client } = await make([slow, slow], {
        credentials: token,
        timeoutMs: 100,
        retry: { maxRetries: 1 },
        now: Date.now,
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_NETWORK', networkCode: 'ETIMEDOUT', attempts: 2 });
      expect((err as Error).message).toMatch(/no complete answer within 100 ms/);
    });

    it('bounds an attempt by the deadline and then stops', async () => {
      const started = Date.now();
      const { client } = await make([{ status: 204, delayMs: 3000 }], {
        credentials: token,
        timeoutMs: 30_000,
        deadlineMs: 200,
        now: Date.now,
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_NETWORK', networkCode: 'ETIMEDOUT', attempts: 1 });
      expect((err as Error).message).toMatch(/200 ms deadline/);
      expect(Date.now() - started).toBeLessThan(2500);
    });
  });

  it('keeps the client free of secrets in util.inspect', async () => {
    const { client } = await make([], { credentials: sa });
    const text = inspect(client, { depth: Infinity, showHidden: true });
    expect(text).not.toContain(CANARY.clientSecret);
    expect(text).toContain('service-account');
  });
});

describe('transport option', () => {
  it('refuses a dispatcher with the node-http transport, before sending', () => {
    const make = () =>
      new InvitationClient({
        target: 'atlas',
        credentials: token,
        transport: 'node-http',
        dispatcher: {} as never,
      });
    expect(make).toThrow(expect.objectContaining({ code: 'MDB_CONFIGURATION' }));
    expect(make).toThrow(/dispatcher is an undici Dispatcher: it requires transport 'undici'/);
  });

  it('refuses an unknown transport', () => {
    expect(
      () => new InvitationClient({ target: 'atlas', credentials: token, transport: 'fetch' as never }),
    ).toThrow(/transport must be 'undici' or 'node-http' \(value: "fetch"\)/);
  });
});
