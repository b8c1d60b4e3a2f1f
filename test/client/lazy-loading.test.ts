// The CLI starts once per revoked invitation: constructing a client must load neither undici's
// connection code nor the service-account modules. (Load order, not timing: timings live in bench/.)
describe('lazy loading', () => {
  const loaded: string[] = [];
  const track = (name: string) => {
    jest.doMock(name, () => {
      loaded.push(name);
      return jest.requireActual(name);
    });
  };

  beforeEach(() => {
    loaded.length = 0;
    jest.resetModules();
    for (const name of [
      'undici',
      'undici/lib/dispatcher/client',
      'undici/lib/api/api-request',
      'proper-lockfile',
      '../../lib/client/oauth-token',
      '../../lib/client/token-cache',
    ]) {
      track(name);
    }
  });

  it('loads nothing heavy until the first request', () => {
    jest.isolateModules(() => {
      const { InvitationClient } = jest.requireActual<typeof import('../../lib/client/invitation-client')>(
        '../../lib/client/invitation-client',
      );
      new InvitationClient({
        target: 'atlas',
        credentials: { kind: 'service-account', clientId: 'id', clientSecret: 'secret' },
        tokenCacheDir: '/nonexistent/never-created',
      });
      new InvitationClient({
        target: 'atlas',
        credentials: { kind: 'digest', publicKey: 'a', privateKey: 'b' },
      });
    });
    expect(loaded).toEqual([]);
  });

  it('loads the undici Client and request API by deep path when a request is sent', async () => {
    const { Transport } = await import('../../lib/client/transport');
    const transport = new Transport('http://127.0.0.1:9', 50);
    await transport.send({ method: 'DELETE', path: '/x', headers: {} }, 50).catch(() => undefined);
    await transport.close();
    expect(loaded).toEqual(
      expect.arrayContaining(['undici/lib/api/api-request', 'undici/lib/dispatcher/client']),
    );
    expect(loaded).not.toContain('undici');
    expect(loaded).not.toContain('proper-lockfile');
  });
});
