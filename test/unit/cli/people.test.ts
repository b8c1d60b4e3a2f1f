// #10 - invite and revoke people with the CLI, in process, against the sandbox (Cloud Users API, the
// invites API and Ops Manager): what the create-time and destroy-time provisioners run.
import { randomBytes } from 'node:crypto';
import { run } from '../../../lib/cli/run';
import { Sandbox } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';

const KEYS = { publicKey: 'cli-people-pub', privateKey: 'CLI-PEOPLE-PRIVATE-4d2a' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({
    credentials: { apiKeys: [KEYS], serviceAccounts: [], accessTokens: [] },
    invitationRateLimit: 'off',
  });
});
afterAll(() => sandbox.stop());

const group = () => randomBytes(12).toString('hex');
const env = () => ({
  MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
  MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
  MCLI_PUBLIC_API_KEY: KEYS.publicKey,
  MCLI_PRIVATE_API_KEY: KEYS.privateKey,
});

async function cli(argv: string[]) {
  const c = captureIo();
  const code = await run(argv, env(), c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

const posts = (mark: number) =>
  sandbox.log
    .slice(mark)
    .filter((e) => e.method === 'POST' && e.authScheme !== 'none' && e.target !== 'oauth');

describe('invite and revoke people', () => {
  it('invites on the Cloud Users API once, then finds the person already invited', async () => {
    const g = group();
    const args = ['invite', '--target', 'atlas', '--base-url', sandbox.url, '--group-id', g];
    const person = ['--username', 'Ana@Example.com', '--roles', 'GROUP_READ_ONLY,GROUP_OWNER'];
    let mark = sandbox.log.length;
    const first = await cli([...args, ...person]);
    expect(first.code).toBe(0);
    expect(first.err).toContain('ana@example.com in project');
    expect(posts(mark).map((e) => [e.path, e.status])).toEqual([[`/api/atlas/v2/groups/${g}/users`, 201]]);
    expect(sandbox.cloudUsers(g).map((u) => [u.username, [...u.roles].sort()])).toEqual([
      ['ana@example.com', ['GROUP_OWNER', 'GROUP_READ_ONLY']],
    ]);
    mark = sandbox.log.length;
    const again = await cli([...args, ...person, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ command: 'invite', outcome: 'already-pending' });
    expect(posts(mark)).toEqual([]);
  });

  it('revokes a person on both Atlas APIs, and says why when nothing is pending', async () => {
    const g = group();
    sandbox.seed([
      { groupId: g, username: 'bo@example.com', roles: ['GROUP_READ_ONLY'], api: 'cloud-users' },
      { groupId: g, username: 'bo@example.com', roles: ['GROUP_READ_ONLY'], target: 'atlas' },
    ]);
    const args = ['revoke', '--target', 'atlas', '--base-url', sandbox.url, '--group-id', g];
    const r = await cli([...args, '--username', 'bo@example.com']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('pending invitation cancelled');
    expect(sandbox.cloudUsers(g).filter((u) => u.orgMembershipStatus === 'PENDING')).toEqual([]);
    expect(sandbox.invitations('atlas', g)).toEqual([]);
    const again = await cli([...args, '--username', 'bo@example.com', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ outcome: 'nothing-pending' });
  });

  it('leaves an accepted member by default and removes it with --remove-accepted', async () => {
    const g = group();
    const args = [
      '--target',
      'atlas',
      '--base-url',
      sandbox.url,
      '--group-id',
      g,
      '--username',
      'cy@example.com',
    ];
    expect((await cli(['invite', ...args, '--roles', 'GROUP_READ_ONLY'])).code).toBe(0);
    sandbox.accept(g, 'cy@example.com');
    const kept = await cli(['revoke', ...args]);
    expect(kept.code).toBe(0);
    expect(kept.err).toContain('left in the project');
    expect(sandbox.cloudUsers(g).filter((u) => u.orgMembershipStatus === 'ACTIVE')).toHaveLength(1);
    const removed = await cli(['revoke', ...args, '--remove-accepted']);
    expect(removed.code).toBe(0);
    expect(sandbox.cloudUsers(g).filter((u) => u.orgMembershipStatus === 'ACTIVE')).toEqual([]);
  });

  it('invites and revokes on Ops Manager through its invites API', async () => {
    const g = group();
    const args = [
      '--target',
      'ops-manager',
      '--base-url',
      sandbox.url,
      '--group-id',
      g,
      '--username',
      'dee@example.com',
    ];
    expect((await cli(['invite', ...args, '--roles', 'GROUP_OWNER'])).code).toBe(0);
    expect(sandbox.invitations('ops-manager', g).map((i) => i.username)).toEqual(['dee@example.com']);
    expect((await cli(['revoke', ...args])).code).toBe(0);
    expect(sandbox.invitations('ops-manager', g)).toEqual([]);
  });

  it('sets the roles of a member who accepted an invites-API invitation, without a new invitation', async () => {
    const g = group();
    const args = [
      'invite',
      '--target',
      'atlas',
      '--base-url',
      sandbox.url,
      '--group-id',
      g,
      '--api',
      'invites',
    ];
    const person = ['--username', 'eve@example.com'];
    expect((await cli([...args, ...person, '--roles', 'GROUP_READ_ONLY'])).code).toBe(0);
    const [accepted] = sandbox.accept(g, 'eve@example.com', 'invites');
    const mark = sandbox.log.length;
    const r = await cli([...args, ...person, '--roles', 'GROUP_OWNER', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      outcome: 'roles-updated',
      api: 'cloud-users',
      id: accepted?.memberId,
      previousRoles: ['GROUP_READ_ONLY'],
    });
    expect(posts(mark).map((e) => e.path)).toEqual([
      `/api/atlas/v2/groups/${g}/users/${accepted?.memberId}:addRole`,
      `/api/atlas/v2/groups/${g}/users/${accepted?.memberId}:removeRole`,
    ]);
    expect(sandbox.invitations('atlas', g)).toEqual([]);
  });

  it('fails, sending nothing, when an Ops Manager member is declared with other roles', async () => {
    const g = group();
    const args = ['invite', '--target', 'ops-manager', '--base-url', sandbox.url, '--group-id', g];
    const person = ['--username', 'fay@example.com'];
    expect((await cli([...args, ...person, '--roles', 'GROUP_READ_ONLY'])).code).toBe(0);
    sandbox.accept(g, 'fay@example.com', 'ops-manager');
    const mark = sandbox.log.length;
    const r = await cli([...args, ...person, '--roles', 'GROUP_OWNER']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^✖ fay@example\.com is already a member of project [0-9a-f]{24} with GROUP_READ_ONLY, not the declared GROUP_OWNER/,
    );
    expect(sandbox.log.slice(mark).filter((e) => e.method !== 'GET')).toEqual([]);
    expect(sandbox.invitations('ops-manager', g)).toEqual([]);
  });

  it('refuses a bad username or role before sending anything', async () => {
    const mark = sandbox.log.length;
    const args = ['invite', '--target', 'atlas', '--base-url', sandbox.url, '--group-id', group()];
    expect((await cli([...args, '--username', 'not-an-email', '--roles', 'GROUP_READ_ONLY'])).code).toBe(2);
    expect((await cli([...args, '--username', 'a@example.com', '--roles', 'read_only'])).code).toBe(2);
    expect((await cli([...args, '--username', 'a@example.com'])).code).toBe(2);
    expect(sandbox.log.length).toBe(mark);
  });
});
