// Which HTTP client `revoke` and `list` send with: node:http by default (the fastest start for one process
// per invitation, bench/cli.md), undici with MONGODB_INVITATIONS_HTTP=undici; a bad value is a usage
// error and nothing is sent. Checked by which transport module the command loads, with a real request.
import { captureIo } from '../../helpers/io';
import { sandboxProxy, type SandboxProxy } from '../../helpers/sandbox-proxy';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const KEYS = { publicKey: 'pub-http-client', privateKey: 'priv-http-client-canary' };
const UNDICI = '../../../lib/client/http/transport-undici';
const NODE_HTTP = '../../../lib/client/http/transport-node-http';

let proxy: SandboxProxy;
const api = {
  get baseUrl() {
    return proxy.url;
  },
  get log() {
    return proxy.calls();
  },
};
const loaded: string[] = [];

beforeEach(async () => {
  // The sandbox, holding invitation I, behind the scripted server (for its log of auth kinds); its
  // Sunset header dropped, so no run touches a notice marker in the real home directory.
  proxy = await sandboxProxy(
    undefined,
    {
      credentials: { apiKeys: [KEYS] },
      seed: [{ groupId: G, id: I, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] }],
    },
    { dropUpstreamHeaders: ['sunset', 'deprecation'] },
  );
  loaded.length = 0;
  jest.resetModules();
  for (const name of [UNDICI, NODE_HTTP, 'undici/lib/dispatcher/client']) {
    jest.doMock(name, () => {
      loaded.push(name);
      return jest.requireActual(name);
    });
  }
});
afterEach(async () => {
  await proxy.stop();
});

async function cli(command: 'revoke' | 'list', http: string | undefined) {
  const { run } = jest.requireActual<typeof import('../../../lib/cli/run')>('../../../lib/cli/run');
  const c = captureIo();
  // list on Atlas would also ask the Cloud Users API: Ops Manager has the invites API alone, so both
  // commands send exactly two requests.
  const env = {
    MONGODB_INVITATIONS_TARGET: command === 'list' ? 'ops-manager' : 'atlas',
    MCLI_PUBLIC_API_KEY: KEYS.publicKey,
    MCLI_PRIVATE_API_KEY: KEYS.privateKey,
    MONGODB_INVITATIONS_BASE_URL: api.baseUrl,
    MONGODB_INVITATIONS_GROUP_ID: G,
    MONGODB_INVITATIONS_INVITATION_ID: I,
    MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
    ...(http === undefined ? {} : { MONGODB_INVITATIONS_HTTP: http }),
  };
  const code = await run([command], env, c.io);
  return { code, out: c.stdout() + c.stderr() };
}

describe('MONGODB_INVITATIONS_HTTP', () => {
  it.each([
    ['revoke', undefined],
    ['revoke', ''],
    ['revoke', 'node-http'],
    ['list', undefined],
  ] as const)('%s sends with node:http when it is %p', async (command, http) => {
    const { code } = await cli(command, http);
    expect(code).toBe(0);
    expect(api.log.map((r) => r.auth)).toEqual(['none', 'digest']);
    expect(loaded).toEqual([NODE_HTTP]);
  });

  it.each(['revoke', 'list'] as const)('%s sends with undici when it is "undici"', async (command) => {
    const { code } = await cli(command, 'undici');
    expect(code).toBe(0);
    expect(api.log).toHaveLength(2);
    expect(loaded).toEqual(expect.arrayContaining([UNDICI, 'undici/lib/dispatcher/client']));
    expect(loaded).not.toContain(NODE_HTTP);
  });

  it('refuses another value with exit 2, naming the variable and the choices, and sends nothing', async () => {
    const { code, out } = await cli('revoke', 'curl');
    expect(code).toBe(2);
    expect(out).toContain('MONGODB_INVITATIONS_HTTP must be node-http or undici (value: "curl")');
    expect(api.log).toEqual([]);
    expect(loaded).toEqual([]);
  });
});
