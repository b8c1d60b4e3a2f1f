import { run } from '../../../lib/cli/run';
import { Sandbox } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';
import { sandboxProxy, type SandboxProxy } from '../../helpers/sandbox-proxy';
import type { Reply } from '../../helpers/scripted-server';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const KEYS = { MCLI_PUBLIC_API_KEY: 'test-public-key', MCLI_PRIVATE_API_KEY: 'test-private-key' };
const INVITES = [
  {
    id: '6a1b2c3d4e5f60718293a4b5',
    groupId: G,
    groupName: 'team',
    username: 'ada@example.com',
    roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'],
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2026-01-31T00:00:00Z',
    inviterUsername: 'owner@example.com',
  },
  {
    id: '6a1b2c3d4e5f60718293a4b6',
    groupId: G,
    groupName: 'team',
    username: 'bob@example.com',
    roles: ['GROUP_OWNER'],
    createdAt: '2026-01-02T00:00:00Z',
    expiresAt: '2026-02-01T00:00:00Z',
    inviterUsername: 'owner@example.com',
  },
];

let proxy: SandboxProxy;
/** A hostile answer to GET …/invites in place of the sandbox's (after authentication). */
let listReply: Reply | undefined;
// The sandbox (clock before both invitations expire) holding INVITES; api.log is every request.
const api = {
  get baseUrl() {
    return proxy.url;
  },
  get log() {
    return proxy.calls();
  },
};
beforeEach(async () => {
  listReply = undefined;
  proxy = await sandboxProxy(
    (req) => (listReply && req.method === 'GET' ? { ...listReply, land: true } : undefined),
    {
      credentials: {
        apiKeys: [{ publicKey: KEYS.MCLI_PUBLIC_API_KEY, privateKey: KEYS.MCLI_PRIVATE_API_KEY }],
      },
      now: () => Date.parse('2026-01-02T12:00:00Z'),
      seed: INVITES.map(({ id, username, roles, createdAt, expiresAt }) => ({
        target: 'ops-manager' as const,
        groupId: G,
        id,
        username,
        roles,
        createdAt,
        expiresAt,
      })),
    },
  );
});
afterEach(async () => proxy.stop());

describe('list (Ops Manager, the sandbox)', () => {
  const argv = () => ['list', '--target', 'ops-manager', '--base-url', api.baseUrl, '--group-id', G];

  it('prints a header and one line per pending invitation on stdout, a summary on stderr', async () => {
    const c = captureIo();
    expect(await run(argv(), KEYS, c.io)).toBe(0);
    expect(c.stdout().split('\n')).toEqual([
      'USERNAME         ROLES                                        API          EXPIRES               ID',
      'ada@example.com  GROUP_READ_ONLY,GROUP_DATA_ACCESS_READ_ONLY  ops-manager  2026-01-31T00:00:00Z  6a1b2c3d4e5f60718293a4b5',
      'bob@example.com  GROUP_OWNER                                  ops-manager  2026-02-01T00:00:00Z  6a1b2c3d4e5f60718293a4b6',
      '',
    ]);
    expect(c.stderr()).toBe(`✔ 2 pending invitations in project ${G}\n`);
    expect(api.log.at(-1)).toMatchObject({
      method: 'GET',
      path: `/api/public/v1.0/groups/${G}/invites`,
      status: 200,
    });
  });

  it('prints the JSON array with --json', async () => {
    const c = captureIo();
    expect(await run([...argv(), '--json'], KEYS, c.io)).toBe(0);
    const printed = JSON.parse(c.stdout()) as { id: string; username: string }[];
    expect(printed.map((i) => [i.id, i.username])).toEqual(INVITES.map((i) => [i.id, i.username]));
  });

  it('keeps the --username invitations of one unfiltered list, without case, and says whom the summary is about', async () => {
    // Without Digest's unauthenticated first tries (401 challenges).
    const sent = () =>
      api.log
        .filter((r) => !(r.status === 401 && r.auth === 'none'))
        .map((r) => [r.method, r.path, r.query, r.status]);
    const one = [['GET', `/api/public/v1.0/groups/${G}/invites`, '', 200]];
    const found = captureIo();
    expect(await run([...argv(), '--username', 'Ada@Example.com', '--json'], KEYS, found.io)).toBe(0);
    const printed = JSON.parse(found.stdout()) as { id: string; username: string }[];
    expect(printed.map((i) => [i.id, i.username])).toEqual([[INVITES[0]?.id, 'ada@example.com']]);
    expect(sent()).toEqual(one);

    proxy.sandbox.clearInvitations();
    proxy.clearCalls();
    const c = captureIo();
    expect(await run([...argv(), '--username', 'Ada@Example.com'], KEYS, c.io)).toBe(0);
    // No rows, no header.
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toBe(`✔ 0 pending invitations for ada@example.com in project ${G}\n`);
    // The invites API has no pages: one list without the username filter (which may be case-exact) answers.
    expect(sent()).toEqual(one);
  });

  it('exits 1 on an API error and 2 on bad input', async () => {
    proxy.sandbox.faults.add({ method: 'GET', kind: 'status', status: 404, errorCode: 'GROUP_NOT_FOUND' });
    const c = captureIo();
    expect(await run(argv(), KEYS, c.io)).toBe(1);
    expect(c.stderr()).toMatch(/^✖ GET .* failed with 404 \(GROUP_NOT_FOUND\)/);
    const d = captureIo();
    expect(await run(['list', '--target', 'atlas', '--group-id', 'x'], KEYS, d.io)).toBe(2);
    expect(d.stderr()).toMatch(/^✖ --group-id must be 24 lowercase hex/);
  });

  it('prints server-supplied usernames with control characters escaped, and valid JSON', async () => {
    const forged = 'eve@example.com\u001b[1A\r✔ revoked invitation\u2028';
    // Hostile: no real server stores such a username; the scripted server answers it.
    listReply = { status: 200, body: [{ ...INVITES[0], username: forged }] };
    const c = captureIo();
    expect(await run(argv(), KEYS, c.io)).toBe(0);
    expect(c.stdout()).toContain('eve@example.com\\u001b[1A\\u000d✔ revoked invitation\\u2028');
    // eslint-disable-next-line no-control-regex
    expect(c.stdout()).not.toMatch(/[\u001b\r\u2028]/);
    expect(c.stdout().split('\n')).toHaveLength(3); // the header, one row, the final newline
    const j = captureIo();
    expect(await run([...argv(), '--json'], KEYS, j.io)).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(j.stdout()).not.toMatch(/[\u001b\r\u2028]/);
    expect(JSON.parse(j.stdout())[0].username).toBe(forged);
  });
});

describe('list on Atlas shows every API, with a header', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({ invitationRateLimit: 'off' });
  });
  afterAll(() => sandbox.stop());

  it('lists Cloud Users PENDING users and invites-API invitations together', async () => {
    sandbox.seed([
      { groupId: G, username: 'ana@example.com', roles: ['GROUP_OWNER'], api: 'cloud-users' },
      { groupId: G, username: 'eve@example.com', roles: ['GROUP_READ_ONLY'], target: 'atlas' },
    ]);
    const env = {
      MONGODB_ATLAS_ACCESS_TOKEN: sandbox.credentials.accessTokens[0] ?? '',
    };
    const c = captureIo();
    const args = ['list', '--target', 'atlas', '--base-url', sandbox.url, '--group-id', G];
    expect(await run(args, env, c.io)).toBe(0);
    const [header, ...rows] = c.stdout().trim().split('\n');
    expect(header).toMatch(/^USERNAME +ROLES +API +EXPIRES +ID$/);
    expect(rows.map((r) => r.split(/ +/).slice(0, 3))).toEqual([
      ['ana@example.com', 'GROUP_OWNER', 'cloud-users'],
      ['eve@example.com', 'GROUP_READ_ONLY', 'invites'],
    ]);
    expect(c.stderr()).toContain(`✔ 2 pending invitations in project ${G}`);
  });
});
