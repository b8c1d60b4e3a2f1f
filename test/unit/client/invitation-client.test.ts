import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import { UnconfirmedError } from '../../../lib/client/errors';
import { InvitationClient } from '../../../lib/client/invitation-client';
import { PROJECT_MISSING_CODES } from '../../../lib/client/outcome';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { ATLAS_PATH, GROUP, INVITE, OPS_PATH } from '../../helpers/ids';
import {
  apiError,
  challenge401,
  digestParams,
  scriptedClient,
  validDigest,
} from '../../helpers/scripted-server';

const tokenCreds = { kind: 'token', accessToken: CANARY.accessToken } as const;

/**
 * MockAgent, for a 204 that carries a body: no real server sends one (node:http drops it, and both
 * transports read no body after a 204 off a socket), yet a proxy or a broken gateway could hand undici's
 * dispatcher such an answer; the agent is the only way to put it in front of the client.
 */
function mockAgentClient(status: number, body: object) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get('https://cloud.mongodb.com')
    .intercept({ path: () => true, method: () => true })
    .reply(status, JSON.stringify(body));
  const client = new InvitationClient({
    target: 'atlas',
    credentials: tokenCreds,
    dispatcher: agent,
    sleep: async () => undefined,
  });
  return { client };
}
const LIST_PATH = `/api/atlas/v2/groups/${GROUP}/invites`;

describe('cancelInvitation', () => {
  it('revokes on Atlas with the versioned Accept, the User-Agent and the v2 path', async () => {
    const { client, seen } = await scriptedClient([{ status: 204 }], { credentials: tokenCreds });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toEqual({
      outcome: 'revoked',
      status: 204,
      method: 'DELETE',
      path: ATLAS_PATH,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: ATLAS_PATH });
    expect(seen[0]?.headers).toMatchObject({
      accept: 'application/vnd.atlas.2023-01-01+json',
      'user-agent': expect.stringMatching(/^cdktf-mongodb-invitations\/\d+\.\d+\.\d+/),
      authorization: `Bearer ${CANARY.accessToken}`,
    });
  });

  it('revokes on Ops Manager with application/json, the v1.0 path and a base URL prefix', async () => {
    const { client, seen } = await scriptedClient([{ status: 200, body: '{}' }], {
      target: 'ops-manager',
      prefix: '/prefix/',
      credentials: tokenCreds,
    });
    const outcome = await client.cancelInvitation(GROUP, INVITE);
    expect(outcome).toEqual({
      outcome: 'revoked',
      status: 200,
      method: 'DELETE',
      path: `/prefix${OPS_PATH}`,
    });
    expect(seen[0]?.path).toBe(`/prefix${OPS_PATH}`);
    expect(seen[0]?.headers.accept).toBe('application/json');
  });

  it('requires a base URL for Ops Manager and refuses bad options before sending', () => {
    expect(() => new InvitationClient({ target: 'ops-manager', credentials: tokenCreds })).toThrow(
      /baseUrl is required for target 'ops-manager'/,
    );
    const bad = () =>
      new InvitationClient({
        target: 'atlas',
        baseUrl: 'http://example.com',
        credentials: { kind: 'digest', publicKey: '', privateKey: `${CANARY.privateKey}\r\nX: y` },
        timeoutMs: 0,
        retry: { maxRetries: -1, minDelayMs: 10, maxDelayMs: 5 },
      });
    expect(bad).toThrow(expect.objectContaining({ code: 'MDB_CONFIGURATION', name: 'ConfigurationError' }));
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/baseUrl must use https/);
      expect(message).toMatch(/credentials.publicKey must be a non-empty string/);
      expect(message).toMatch(/credentials.privateKey must not contain control characters .*value hidden/);
      expect(message).toMatch(/timeoutMs must be an integer of at least 1/);
      expect(message).toMatch(/retry.maxRetries/);
      expect(message).toMatch(/retry.maxDelayMs must not be less than retry.minDelayMs/);
      expectNoSecrets(err);
    }
  });

  it('refuses malformed ids with ConfigurationError and sends nothing', async () => {
    const { client } = await scriptedClient([], { credentials: tokenCreds });
    await expect(client.cancelInvitation('ABC', INVITE)).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
      message: expect.stringMatching(/groupId must be 24 lowercase hex.*Nothing was sent/),
    });
    expect(client.requestCount).toBe(0);
  });

  it('answers a Digest challenge with exactly one authenticated retry', async () => {
    const { client, seen } = await scriptedClient([challenge401(), { status: 204 }]);
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    const p = digestParams(seen[1]?.headers.authorization);
    expect(p).toMatchObject({
      username: CANARY.publicKey,
      realm: 'MMS Public API',
      nonce: 'nonce-one',
      uri: ATLAS_PATH,
      qop: 'auth',
      nc: '00000001',
      opaque: 'opq',
      algorithm: 'MD5',
    });
    expect(validDigest(p, 'DELETE', CANARY.privateKey)).toBe(true);
    expect(client.requestCount).toBe(2);
  });

  it('reuses the nonce: the second request of a client needs no new challenge', async () => {
    const { client, seen } = await scriptedClient([challenge401(), { status: 204 }, { status: 204 }]);
    await client.cancelInvitation(GROUP, INVITE);
    await client.cancelInvitation(GROUP, '6a1b2c3d4e5f60718293a4b6');
    expect(client.requestCount).toBe(3);
    const second = digestParams(seen[2]?.headers.authorization);
    const first = digestParams(seen[1]?.headers.authorization);
    expect(second).toMatchObject({ nonce: 'nonce-one', nc: '00000002' });
    expect(second.cnonce).not.toBe(first.cnonce);
    expect(validDigest(second, 'DELETE', CANARY.privateKey)).toBe(true);
  });

  it('answers stale=true with one fresh attempt on the new nonce', async () => {
    const { client, seen } = await scriptedClient([
      challenge401('n1'),
      challenge401('n2', true),
      { status: 204 },
    ]);
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(seen).toHaveLength(3);
    expect(digestParams(seen[2]?.headers.authorization)).toMatchObject({ nonce: 'n2', nc: '00000001' });
  });

  it('answers stale=true only once', async () => {
    const { client } = await scriptedClient([
      challenge401('n1'),
      challenge401('n2', true),
      challenge401('n3', true),
    ]);
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_AUTHENTICATION',
    });
    expect(client.requestCount).toBe(3);
  });

  it('takes a fresh challenge once when a reused nonce is refused', async () => {
    const { client, seen } = await scriptedClient([
      challenge401('n1'),
      { status: 204 },
      challenge401('n2'),
      { status: 204 },
    ]);
    await client.cancelInvitation(GROUP, INVITE);
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(digestParams(seen[3]?.headers.authorization)).toMatchObject({ nonce: 'n2', nc: '00000001' });
  });

  it('does not retry a 401 after authentication and never shows the keys', async () => {
    const { client } = await scriptedClient([challenge401(), challenge401()]);
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'AuthenticationError',
      code: 'MDB_AUTHENTICATION',
      status: 401,
      method: 'DELETE',
      path: ATLAS_PATH,
      errorCode: 'UNEXPECTED_ERROR',
    });
    expect((err as Error).message).toMatch(
      /^DELETE \/api\/atlas\/v2\/groups\/\w+\/invites\/\w+ failed with 401/,
    );
    expect((err as Error).message).toMatch(/Check the public and private API key/);
    expect(client.requestCount).toBe(2);
    expectNoSecrets(err);
  });

  it('fails clearly when a 401 carries no usable Digest challenge', async () => {
    const { client } = await scriptedClient([
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="x"' } },
    ]);
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_AUTHENTICATION',
    });
    expect(client.requestCount).toBe(1);
  });

  it('does not retry a 403 and names the missing role', async () => {
    const { client } = await scriptedClient(
      [{ status: 403, body: apiError(403, 'USER_UNAUTHORIZED', 'Denied.') }],
      {
        credentials: tokenCreds,
      },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 403, errorCode: 'USER_UNAUTHORIZED' });
    expect((err as Error).message).toMatch(/Project Owner role/);
    expect(client.requestCount).toBe(1);
  });

  it('names the Ops Manager role on a 403 there', async () => {
    const { client } = await scriptedClient([{ status: 403, body: '' }], {
      target: 'ops-manager',
      credentials: tokenCreds,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toThrow(/Project User Admin role/);
  });

  it('does not retry a 400', async () => {
    const { client } = await scriptedClient(
      [{ status: 400, body: apiError(400, 'INVALID_PARAMETER', 'Bad.') }],
      {
        credentials: tokenCreds,
      },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({ status: 400 });
    expect(client.requestCount).toBe(1);
  });

  it('takes a 404 ApiError as already gone only once the project’s list confirms it', async () => {
    const { client, seen } = await scriptedClient(
      [
        { status: 404, body: apiError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.') },
        { status: 200, body: [{ id: '6a1b2c3d4e5f60718293a4b6', username: 'bo@example.com', roles: [] }] },
      ],
      { credentials: tokenCreds },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toEqual({
      outcome: 'already-gone',
      status: 404,
      method: 'DELETE',
      path: ATLAS_PATH,
      errorCode: 'RESOURCE_NOT_FOUND',
      detail: 'Cannot find resource.',
      confirmedBy: `GET ${LIST_PATH}`,
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`DELETE ${ATLAS_PATH}`, `GET ${LIST_PATH}`]);
    expect(client.requestCount).toBe(2);
  });

  it('confirms on Ops Manager with the v1.0 list, under the base URL prefix', async () => {
    const { client, seen } = await scriptedClient(
      [
        { status: 404, body: apiError(404, 'INVITATION_NOT_FOUND', 'Gone.') },
        { status: 200, body: { results: [] } },
      ],
      { target: 'ops-manager', prefix: '/prefix', credentials: tokenCreds },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'already-gone',
      confirmedBy: `GET /prefix/api/public/v1.0/groups/${GROUP}/invites`,
    });
    expect(seen[1]?.path).toBe(`/prefix/api/public/v1.0/groups/${GROUP}/invites`);
  });

  it.each(PROJECT_MISSING_CODES)(
    'fails on a 404 %s (the project, not the invitation), without a list',
    async (code) => {
      const { client } = await scriptedClient([{ status: 404, body: apiError(404, code, 'No group.') }], {
        credentials: tokenCreds,
      });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'MongoDbApiError',
        code: 'MDB_API_ERROR',
        status: 404,
        errorCode: code,
      });
      expect((err as Error).message).toMatch(
        /check the project \(group\) id, the base URL and that the credentials/,
      );
      expect(client.requestCount).toBe(1);
    },
  );

  it('throws UnconfirmedError when the list fails, keeping the list’s error as the cause', async () => {
    const { client } = await scriptedClient(
      [
        { status: 404, body: apiError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.') },
        { status: 403, body: apiError(403, 'USER_UNAUTHORIZED', `Denied ${CANARY.accessToken}.`) },
      ],
      { credentials: tokenCreds },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnconfirmedError);
    expect(err).toMatchObject({
      code: 'MDB_UNCONFIRMED',
      method: 'DELETE',
      path: ATLAS_PATH,
      errorCode: 'RESOURCE_NOT_FOUND',
    });
    expect((err as Error).message).toMatch(
      /could not be read to confirm it is gone \(GET .* failed with 403/,
    );
    expect((err as Error).message).toMatch(/Nothing was taken as revoked/);
    expect((err as { cause?: unknown }).cause).toMatchObject({ code: 'MDB_API_ERROR' });
    expectNoSecrets(err);
    expect(client.requestCount).toBe(2);
  });

  it('throws UnconfirmedError when the list still shows the invitation', async () => {
    const { client } = await scriptedClient(
      [
        { status: 404, body: apiError(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource.') },
        { status: 200, body: [{ id: INVITE, username: 'ana@example.com', roles: ['GROUP_OWNER'] }] },
      ],
      { credentials: tokenCreds },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_UNCONFIRMED',
      message: expect.stringMatching(/but the project still lists it as pending/),
    });
  });

  it.each([200, 202, 204])(
    'takes a %i whose body is an ApiError as a failure, not as revoked',
    async (status) => {
      const body = apiError(500, 'UNEXPECTED_ERROR', 'Broke.');
      const { client } =
        status === 204
          ? mockAgentClient(status, body)
          : await scriptedClient([{ status, body }], { credentials: tokenCreds });
      const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MDB_API_ERROR', status, errorCode: 'UNEXPECTED_ERROR' });
      expect((err as Error).message).toMatch(/carries an error: Broke.*Nothing is taken as revoked/);
      expect(client.requestCount).toBe(1);
    },
  );

  it('takes a 2xx with an empty body or a non-error JSON body as revoked', async () => {
    const { client } = await scriptedClient(
      [
        { status: 202, body: { id: INVITE } },
        { status: 200, body: '  ' },
      ],
      { credentials: tokenCreds },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'revoked',
      status: 202,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'revoked',
      status: 200,
    });
  });

  it.each([
    ['an HTML page', '<html><body>Not Found</body></html>'],
    ['an empty body', ''],
  ])('treats a 404 with %s as an error', async (_name, body) => {
    const { client } = await scriptedClient([{ status: 404, body }], { credentials: tokenCreds });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 404 });
    expect((err as Error).message).toMatch(/not a MongoDB API error.*check the base URL/);
  });

  it('treats a 2xx HTML page as an error, not as revoked', async () => {
    const { client } = await scriptedClient([{ status: 200, body: '<html>login</html>' }], {
      credentials: tokenCreds,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({ code: 'MDB_API_ERROR' });
  });

  it('says the endpoint was sunset on 410 VERSION_GONE', async () => {
    const { client } = await scriptedClient([{ status: 410, body: apiError(410, 'VERSION_GONE', 'Gone.') }], {
      credentials: tokenCreds,
    });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'EndpointGoneError', code: 'MDB_ENDPOINT_GONE', status: 410 });
    expect((err as Error).message).toMatch(/sunset/);
    expect(client.requestCount).toBe(1);
  });

  it('warns once about Sunset and Deprecation, naming the date', async () => {
    const warnings: unknown[] = [];
    const headers = { sunset: 'Thu, 1 Jul 2027 00:00:00 GMT', deprecation: 'Wed, 4 Oct 2023 00:00:00 GMT' };
    const { client } = await scriptedClient(
      [
        { status: 204, headers },
        { status: 204, headers },
      ],
      { credentials: tokenCreds, onWarning: (w) => warnings.push(w) },
    );
    await client.cancelInvitation(GROUP, INVITE);
    await client.cancelInvitation(GROUP, INVITE);
    expect(warnings).toEqual([
      {
        code: 'MDB_SUNSET',
        sunset: 'Thu, 1 Jul 2027 00:00:00 GMT',
        message: expect.stringContaining('Thu, 1 Jul 2027 00:00:00 GMT'),
      },
    ]);
  });

  it('warns about a Deprecation header without a Sunset date', async () => {
    const warnings: { code: string }[] = [];
    const { client } = await scriptedClient([{ status: 204, headers: { deprecation: 'true' } }], {
      credentials: tokenCreds,
      onWarning: (w) => warnings.push(w),
    });
    await client.cancelInvitation(GROUP, INVITE);
    expect(warnings.map((w) => w.code)).toEqual(['MDB_DEPRECATED']);
  });

  it('keeps credentials out of util.inspect(client)', async () => {
    for (const credentials of [
      { kind: 'digest', publicKey: CANARY.publicKey, privateKey: CANARY.privateKey },
      { kind: 'service-account', clientId: CANARY.clientId, clientSecret: CANARY.clientSecret },
      tokenCreds,
    ] as const) {
      const { client } = await scriptedClient([], { credentials });
      const text = inspect(client, { depth: Infinity, showHidden: true }) + JSON.stringify(client);
      expect(text).toContain(credentials.kind);
      for (const s of [CANARY.privateKey, CANARY.clientSecret, CANARY.accessToken, CANARY.publicKey]) {
        expect(text).not.toContain(s);
      }
    }
  });
});

describe('listInvitations', () => {
  const invite = {
    createdAt: '2026-08-10T03:04:53Z',
    expiresAt: '2026-09-09T03:04:53Z',
    groupId: GROUP,
    groupName: 'g',
    id: INVITE,
    inviterUsername: 'admin',
    roles: ['GROUP_READ_ONLY'],
    username: 'a+b@example.com',
  };

  it('returns the array and sends the username filter encoded', async () => {
    const { client, seen } = await scriptedClient([{ status: 200, body: [invite] }], {
      credentials: tokenCreds,
    });
    await expect(client.listInvitations(GROUP, { username: 'a+b@example.com' })).resolves.toEqual([
      {
        api: 'invites',
        status: 'PENDING',
        id: INVITE,
        username: 'a+b@example.com',
        roles: ['GROUP_READ_ONLY'],
        createdAt: invite.createdAt,
        expiresAt: invite.expiresAt,
        inviterUsername: 'admin',
      },
    ]);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      path: `/api/atlas/v2/groups/${GROUP}/invites?username=a%2Bb%40example.com`,
    });
  });

  it('accepts an envelope with results, lists without a filter and skips an entry without a username', async () => {
    const { client, seen } = await scriptedClient(
      [
        {
          status: 200,
          body: {
            results: [
              { id: INVITE, roles: 'x' },
              { id: INVITE, username: 'bo@example.com', roles: 'x' },
            ],
          },
        },
      ],
      {
        credentials: tokenCreds,
      },
    );
    await expect(client.listInvitations(GROUP)).resolves.toEqual([
      { api: 'invites', status: 'PENDING', id: INVITE, username: 'bo@example.com', roles: [] },
    ]);
    expect(seen[0]?.path).toBe(`/api/atlas/v2/groups/${GROUP}/invites`);
  });

  it('reports a missing project as an error, not as an empty list', async () => {
    const { client } = await scriptedClient(
      [{ status: 404, body: apiError(404, 'GROUP_NOT_FOUND', 'No group.') }],
      {
        credentials: tokenCreds,
      },
    );
    await expect(client.listInvitations(GROUP)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      errorCode: 'GROUP_NOT_FOUND',
      method: 'GET',
      path: `/api/atlas/v2/groups/${GROUP}/invites`,
    });
  });

  it('rejects a body that is not a list, and a username with control characters', async () => {
    const { client } = await scriptedClient([{ status: 200, body: { nope: 1 } }], {
      credentials: tokenCreds,
    });
    await expect(client.listInvitations(GROUP)).rejects.toThrow(/not a list of invitations/);
    await expect(client.listInvitations(GROUP, { username: 'a\nb' })).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
    });
  });
});

describe('findInvitation', () => {
  const ana = { id: INVITE, groupId: GROUP, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] };

  it('finds a pending invitation with one list request', async () => {
    const { client, seen } = await scriptedClient([{ status: 200, body: [ana] }], {
      credentials: tokenCreds,
    });
    await expect(client.findInvitation(GROUP, INVITE)).resolves.toEqual({
      api: 'invites',
      status: 'PENDING',
      id: INVITE,
      username: 'ana@example.com',
      roles: ['GROUP_READ_ONLY'],
    });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`GET ${LIST_PATH}`]);
  });

  it('resolves undefined when it is not pending', async () => {
    const { client } = await scriptedClient(
      [{ status: 200, body: [{ ...ana, id: '6a1b2c3d4e5f60718293a4b6' }] }],
      {
        credentials: tokenCreds,
      },
    );
    await expect(client.findInvitation(GROUP, INVITE)).resolves.toBeUndefined();
  });

  it('refuses a malformed id before sending, and reports a failed list', async () => {
    const { client } = await scriptedClient(
      [{ status: 404, body: apiError(404, 'GROUP_NOT_FOUND', 'No group.') }],
      {
        credentials: tokenCreds,
      },
    );
    await expect(client.findInvitation(GROUP, 'NOPE')).rejects.toMatchObject({ code: 'MDB_CONFIGURATION' });
    expect(client.requestCount).toBe(0);
    await expect(client.findInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      status: 404,
    });
  });
});
