// Seeding: the first shape, bare lists, the examples' id entries and person entries with `api`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, SandboxOptionsError, type SeedInput } from '../../../lib/sandbox/server';
import { GROUP, INVITE } from './helpers';

const root = join(__dirname, '..', '..', '..');

describe('sandbox seeding', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start();
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => sandbox.reset());

  it('reads examples/*/invitations.json: its entries become invitations on both invites APIs', () => {
    for (const example of ['atlas', 'ops-manager']) {
      sandbox.reset();
      const file = JSON.parse(readFileSync(join(root, 'examples', example, 'invitations.json'), 'utf8')) as {
        groupId: string;
        invitationId?: string;
        username?: string;
      }[];
      const created = sandbox.seed(file);
      // Person entries without an api go to both invites APIs; id entries keep their ids.
      const who = file.map((e) => e.username ?? e.invitationId);
      const seen = (t: 'atlas' | 'ops-manager') =>
        sandbox.invitations(t).map((i) => (file.some((e) => e.invitationId === i.id) ? i.id : i.username));
      expect(seen('atlas')).toEqual(who);
      expect(seen('ops-manager')).toEqual(who);
      expect(created.every((i) => /@/.test(i.username) && i.roles.length > 0)).toBe(true);
    }
  });

  it('takes person entries {groupId, username, roles, api?} beside the first shape', () => {
    const seed: SeedInput = {
      invitations: [
        { groupId: GROUP, id: INVITE, username: 'old@example.com', roles: ['R'], target: 'atlas' },
        { groupId: GROUP, username: 'cu@example.com', roles: ['GROUP_OWNER'], api: 'cloud-users' },
        { groupId: GROUP, username: 'act@example.com', roles: ['R'], api: 'cloud-users', status: 'ACTIVE' },
        { groupId: GROUP, username: 'inv@example.com', roles: ['R'], api: 'invites' },
        { groupId: GROUP, username: 'om@example.com', roles: ['R'], api: 'ops-manager' },
        { groupId: GROUP, username: 'both@example.com', roles: ['R'] },
      ],
    };
    sandbox.seed(seed);
    const names = (list: { username: string }[]) => list.map((i) => i.username);
    expect(names(sandbox.invitations('atlas'))).toEqual([
      'old@example.com',
      'inv@example.com',
      'both@example.com',
    ]);
    expect(names(sandbox.invitations('ops-manager'))).toEqual(['om@example.com', 'both@example.com']);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([
      { username: 'cu@example.com', orgMembershipStatus: 'PENDING', roles: ['GROUP_OWNER'] },
      { username: 'act@example.com', orgMembershipStatus: 'ACTIVE' },
    ]);
  });

  it('refuses malformed entries with SandboxOptionsError naming the entry, and adds none of them', () => {
    const cases: [unknown, RegExp][] = [
      [{ nothing: true }, /expected \{"invitations": \[...\]\} or a list/],
      [[{ groupId: 'x', username: 'a@x.io', roles: ['R'] }], /entry 0: groupId must be 24/],
      [[{ groupId: GROUP, username: 'a@x.io', roles: ['R'], api: 'mail' }], /api must be one of/],
      [
        [{ groupId: GROUP, username: 'a@x.io', roles: ['R'], api: 'invites', target: 'atlas' }],
        /api or target/,
      ],
      [
        [{ groupId: GROUP, username: 'a@x.io', roles: ['R'], status: 'ACTIVE' }],
        /status is for api "cloud-users"/,
      ],
      [[{ groupId: GROUP, roles: ['R'] }], /username must be an email address/],
      [[{ groupId: GROUP, username: 'ok@x.io' }, 7], /entry 1: must be an object/],
    ];
    for (const [input, message] of cases) {
      expect(() => sandbox.seed(input as SeedInput)).toThrow(SandboxOptionsError);
      expect(() => sandbox.seed(input as SeedInput)).toThrow(message);
    }
    expect(sandbox.invitations('atlas')).toEqual([]);
  });

  it('seeds over the admin path, and Sandbox.start rejects a bad seed with code SANDBOX_INVALID_OPTIONS', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/invitations`, {
      method: 'POST',
      body: JSON.stringify([{ groupId: GROUP, username: 'a@example.com', roles: ['R'], api: 'cloud-users' }]),
    });
    expect(res.status).toBe(201);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
    await expect(Sandbox.start({ seed: [{ groupId: 'nope' } as never] })).rejects.toMatchObject({
      name: 'SandboxOptionsError',
      code: 'SANDBOX_INVALID_OPTIONS',
    });
  });
});
