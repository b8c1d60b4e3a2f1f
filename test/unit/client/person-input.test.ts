import { InvitationClient } from '../../../lib/client/invitation-client';
import { checkUsername } from '../../../lib/contract/rules';
import { checkRoles, ROLE_PATTERN } from '../../../lib/contract/roles';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { GROUP } from '../../helpers/ids';
import { closePeople, lines, peopleClient } from './people-client';

afterEach(closePeople);

describe('person input rules', () => {
  it('accepts e-mail-shaped usernames and refuses the rest, quoting the value', () => {
    expect(checkUsername('username', 'ana.b+tag@example.co.uk')).toBeUndefined();
    for (const bad of [
      'ana',
      'ana@',
      '@example.com',
      'ana@example',
      'a na@example.com',
      'a@b@example.com',
      `${'a'.repeat(250)}@example.com`,
    ]) {
      expect(checkUsername('username', bad)).toMatch(/^username must be an e-mail address/);
    }
    expect(checkUsername('username', 'ana@example.com\r\nX: y')).toMatch(/control characters.*\\r\\n/);
    expect(checkUsername('username', 42 as unknown as string)).toMatch(/e-mail address/);
  });

  it('requires at least one role, each upper-case with underscores', () => {
    expect(
      checkRoles('roles', ['GROUP_READ_ONLY', 'GROUP_NEW_ROLE_2026'.replace('_2026', '')]),
    ).toBeUndefined();
    expect(checkRoles('roles', [])).toMatch(/at least one role/);
    expect(checkRoles('roles', undefined as unknown as string[])).toMatch(/at least one role/);
    expect(checkRoles('roles', ['GROUP_OWNER', 'group_owner', '_X', 'A1'])).toBe(
      'roles must be role names in capitals and underscores, such as GROUP_READ_ONLY (value: "group_owner", "_X", "A1")',
    );
    expect(ROLE_PATTERN.test('GROUP_SEARCH_INDEX_EDITOR')).toBe(true);
  });
});

describe('person operations refuse bad input before sending', () => {
  it('lists every problem in one ConfigurationError and sends nothing', async () => {
    const { client, calls } = await peopleClient();
    const err = await client
      .invitePerson('ABC', { username: 'not-an-email', roles: ['read'], api: 'nope' as 'invites' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_CONFIGURATION' });
    const message = (err as Error).message;
    expect(message).toMatch(/groupId must be 24 lowercase hex/);
    expect(message).toMatch(/username must be an e-mail address/);
    expect(message).toMatch(/roles must be role names in capitals/);
    expect(message).toMatch(/api must be 'cloud-users' or 'invites'/);
    expect(message).toMatch(/Nothing was sent/);
    await expect(client.revokePerson(GROUP, 'x')).rejects.toMatchObject({ code: 'MDB_CONFIGURATION' });
    await expect(client.listPending(GROUP, { username: 'x' })).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
    });
    await expect(client.listMembers('x')).rejects.toMatchObject({ code: 'MDB_CONFIGURATION' });
    expect(calls()).toHaveLength(0);
    expectNoSecrets(err);
  });

  it('refuses the Cloud Users API on Ops Manager', async () => {
    const { client, calls } = await peopleClient({ target: 'ops-manager' });
    await expect(
      client.invitePerson(GROUP, { username: 'ana@example.com', roles: ['GROUP_OWNER'], api: 'cloud-users' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/Cloud Users API exists only on Atlas/) });
    expect(calls()).toHaveLength(0);
    // revokePerson ignores `api` on Ops Manager: a destroy never fails on a setting.
    await expect(
      client.revokePerson(GROUP, 'ana@example.com', { api: 'cloud-users' }),
    ).resolves.toMatchObject({
      outcome: 'nothing-pending',
      looked: ['ops-manager'],
    });
    expect(lines(calls())).toEqual([
      `GET /api/public/v1.0/groups/${GROUP}/invites 200`,
      `GET /api/public/v1.0/groups/${GROUP}/users 200`,
    ]);
  });

  it('checks the rate-limit options', () => {
    const make = () =>
      new InvitationClient({
        target: 'atlas',
        credentials: { kind: 'token', accessToken: CANARY.accessToken },
        rateLimit: { windowMs: 0, jitterMs: -1, deadlineMs: 1.5, dir: '' },
      });
    expect(make).toThrow(
      /rateLimit.windowMs[\s\S]*rateLimit.jitterMs[\s\S]*rateLimit.deadlineMs[\s\S]*rateLimit.dir/,
    );
    expect(
      () =>
        new InvitationClient({
          target: 'atlas',
          credentials: { kind: 'token', accessToken: CANARY.accessToken },
          rateLimit: { dir: '/tmp/x\ny' },
        }),
    ).toThrow(/rateLimit.dir must not contain control characters/);
  });
});
