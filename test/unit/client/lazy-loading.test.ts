// The CLI starts once per revoked invitation: constructing a client must load neither transport nor the
// service-account modules, and the first request loads the chosen transport only (a node-http client
// never loads undici), and cancelling one invitation by id loads none of the person operations. Load
// order, not timing: timings live in bench/.
import type { InvitationClientOptions } from '../../../lib/client/options';

const TRACKED = [
  'undici',
  'undici/lib/dispatcher/client',
  'undici/lib/api/api-request',
  'proper-lockfile',
  '../../../lib/client/auth/oauth-token',
  '../../../lib/client/auth/token-cache',
  '../../../lib/client/http/transport-undici',
  '../../../lib/client/http/transport-node-http',
  '../../../lib/client/invite-person',
  '../../../lib/client/revoke-person',
  '../../../lib/client/cancel-pending',
];

describe('lazy loading', () => {
  const loaded: string[] = [];

  beforeEach(() => {
    loaded.length = 0;
    jest.resetModules();
    for (const name of TRACKED) {
      jest.doMock(name, () => {
        loaded.push(name);
        return jest.requireActual(name);
      });
    }
  });

  const load = () =>
    jest.requireActual<typeof import('../../../lib/client/invitation-client')>(
      '../../../lib/client/invitation-client',
    );

  it.each(['undici', 'node-http'] as const)(
    'loads nothing heavy until the first request (%s)',
    (transport) => {
      const { InvitationClient } = load();
      new InvitationClient({
        target: 'atlas',
        transport,
        credentials: { kind: 'service-account', clientId: 'id', clientSecret: 'secret' },
        tokenCacheDir: '/nonexistent/never-created',
      });
      new InvitationClient({
        target: 'atlas',
        transport,
        credentials: { kind: 'digest', publicKey: 'a', privateKey: 'b' },
      });
      expect(loaded).toEqual([]);
    },
  );

  /** One request to a closed loopback port (refused at once, no retry). */
  async function sendOnce(transport: InvitationClientOptions['transport']): Promise<unknown> {
    const { InvitationClient } = load();
    const client = new InvitationClient({
      target: 'atlas',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { kind: 'token', accessToken: 't' },
      timeoutMs: 500,
      retry: { maxRetries: 0 },
      ...(transport ? { transport } : {}),
    });
    const err = await client
      .cancelInvitation('5f0c1a2b3c4d5e6f7a8b9c0d', '6a1b2c3d4e5f60718293a4b5')
      .catch((e: unknown) => e);
    await client.close();
    return err;
  }

  it('loads the undici Client and request API by deep path, and not node:http’s transport', async () => {
    const err = await sendOnce(undefined);
    expect(err).toMatchObject({ code: 'MDB_NETWORK' });
    expect(loaded).toEqual(
      expect.arrayContaining([
        '../../../lib/client/http/transport-undici',
        'undici/lib/api/api-request',
        'undici/lib/dispatcher/client',
      ]),
    );
    expect(loaded).not.toContain('undici');
    expect(loaded).not.toContain('../../../lib/client/http/transport-node-http');
    expect(loaded).not.toContain('proper-lockfile');
  });

  it('loads only the node:http transport for transport "node-http": no undici at all', async () => {
    const err = await sendOnce('node-http');
    expect(err).toMatchObject({ code: 'MDB_NETWORK', networkCode: 'ECONNREFUSED' });
    expect(loaded).toEqual(['../../../lib/client/http/transport-node-http']);
  });
});
