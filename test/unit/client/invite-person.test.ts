import type { SeedEntry } from '../../../lib/sandbox/server';
import { TRANSPORTS, apiError, type Reply, type Seen } from '../../helpers/scripted-server';
import { expectNoSecrets } from '../../helpers/canaries';
import { GROUP, objectId } from '../../helpers/ids';
import {
  ATLAS_INVITES_ACCEPT,
  ATLAS_USERS_ACCEPT,
  bodyOf,
  closePeople,
  lines,
  peopleClient,
  queryOf,
} from './people-client';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const OPS_INVITES = `/api/public/v1.0/groups/${GROUP}/invites`;
const OPS_USERS = `/api/public/v1.0/groups/${GROUP}/users`;
const ANA = 'ana@example.com';

/** A seed entry for ANA (a PENDING Cloud Users user unless told), with a fresh id. */
const person = (p: Partial<SeedEntry> = {}): SeedEntry & { id: string } => ({
  groupId: GROUP,
  id: objectId(),
  username: ANA,
  roles: ['GROUP_READ_ONLY'],
  api: 'cloud-users',
  ...p,
});

afterEach(closePeople);

describe('invitePerson', () => {
  it.each(TRANSPORTS)(
    'invites a new person through Cloud Users after one unfiltered look at each API (%s)',
    async (transport) => {
      const { client, calls, sandbox } = await peopleClient({ transport });
      const result = await client.invitePerson(GROUP, {
        username: ANA,
        roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'],
      });
      const log = calls();
      // Nothing on the one page of Cloud Users: one look at the invites API too (a UI invitation is the
      // same person). Both lists are unfiltered; the username is compared without case.
      expect(lines(log)).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`, `POST ${USERS} 201`]);
      expect(queryOf(log[0]).get('username')).toBeNull();
      expect(queryOf(log[0]).get('pageNum')).toBe('1');
      expect(queryOf(log[0]).getAll('orgMembershipStatuses')).toEqual(['PENDING', 'ACTIVE']);
      expect(queryOf(log[1]).get('username')).toBeNull();
      expect(log[2]?.headers).toMatchObject({
        accept: ATLAS_USERS_ACCEPT,
        'content-type': ATLAS_USERS_ACCEPT,
      });
      expect(bodyOf(log[2])).toEqual({
        username: ANA,
        roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
      });
      const users = sandbox.cloudUsers(GROUP);
      expect(users).toMatchObject([
        {
          username: ANA,
          orgMembershipStatus: 'PENDING',
          roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
        },
      ]);
      const [user] = users;
      expect(user?.invitationExpiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(result).toMatchObject({
        outcome: 'invited',
        api: 'cloud-users',
        id: user?.id,
        expiresAt: user?.invitationExpiresAt,
        roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
      });
      expect(result.actions).toEqual([
        { api: 'cloud-users', id: user?.id, action: 'invited', method: 'POST', path: USERS, status: 201 },
      ]);
    },
  );

  it('is done when the same roles are already pending, in any order: nothing is sent', async () => {
    const p = person({ roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] } });
    const result = await client.invitePerson(GROUP, {
      username: 'ANA@example.com',
      roles: ['GROUP_OWNER', 'GROUP_READ_ONLY', 'GROUP_OWNER'],
    });
    expect(result).toMatchObject({ outcome: 'already-pending', id: p.id, actions: [] });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
  });

  it('is done when an active member already has the same roles', async () => {
    const p = person({ status: 'ACTIVE' });
    const { client, calls } = await peopleClient({}, { sandbox: { seed: [p] } });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result).toMatchObject({ outcome: 'already-member', id: p.id });
    expect(calls()).toHaveLength(1);
  });

  it('sets other roles on a Cloud Users person with :addRole before :removeRole', async () => {
    const p = person({ status: 'ACTIVE', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] } });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
    });
    const log = calls();
    expect(lines(log)).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS}/${p.id}:addRole 200`,
      `POST ${USERS}/${p.id}:removeRole 200`,
    ]);
    expect(bodyOf(log[1])).toEqual({ groupRole: 'GROUP_CLUSTER_MANAGER' });
    expect(bodyOf(log[2])).toEqual({ groupRole: 'GROUP_OWNER' });
    expect(sandbox.cloudUsers(GROUP)[0]?.roles.sort()).toEqual(['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY']);
    expect(result).toMatchObject({
      outcome: 'roles-updated',
      previousRoles: ['GROUP_OWNER', 'GROUP_READ_ONLY'],
      roles: ['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY'],
    });
    expect(result.actions.map((a) => `${a.action} ${a.role}`)).toEqual([
      'role-added GROUP_CLUSTER_MANAGER',
      'role-removed GROUP_OWNER',
    ]);
  });

  it('sets other roles on an invites-API invitation with one PATCH', async () => {
    const p = person({ api: 'invites' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] } });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_OWNER'],
      api: 'invites',
    });
    const log = calls();
    expect(lines(log)).toEqual([`GET ${INVITES} 200`, `PATCH ${INVITES}/${p.id} 200`]);
    expect(bodyOf(log[1])).toEqual({ roles: ['GROUP_OWNER'] });
    expect(log[1]?.headers['content-type']).toBe(ATLAS_INVITES_ACCEPT);
    expect(sandbox.invitations('atlas', GROUP).map((i) => i.roles)).toEqual([['GROUP_OWNER']]);
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'invites', id: p.id });
  });

  it('invites through the deprecated invites API when asked (200, id, expiresAt)', async () => {
    const { client, calls, sandbox } = await peopleClient();
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
    });
    const log = calls();
    // No invitation: the Cloud Users API is asked whether the person is already a member (one page).
    expect(lines(log)).toEqual([`GET ${INVITES} 200`, `GET ${USERS} 200`, `POST ${INVITES} 200`]);
    expect(log.slice(0, 2).map((c) => queryOf(c).get('username'))).toEqual([null, null]);
    expect(log.at(-1)?.headers.accept).toBe(ATLAS_INVITES_ACCEPT);
    const invitations = sandbox.invitations('atlas', GROUP);
    expect(invitations).toHaveLength(1);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
    expect(result).toMatchObject({
      outcome: 'invited',
      api: 'invites',
      id: invitations[0]?.id,
      expiresAt: invitations[0]?.expiresAt,
    });
  });

  it('settles a Cloud Users 409 by listing again (the person appeared after the first look)', async () => {
    const p = person({ roles: ['GROUP_OWNER'] });
    const { client, calls, sandbox } = await peopleClient(
      {},
      {
        sandbox: { seed: [p] },
        // The first look misses the person (made by someone else in between); the sandbox answers the rest.
        script: (_req, i) => (i === 0 ? { status: 200, body: { results: [], totalCount: 0 } } : undefined),
      },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 409`,
      `GET ${USERS} 200`,
      `POST ${USERS}/${p.id}:addRole 200`,
      `POST ${USERS}/${p.id}:removeRole 200`,
    ]);
    expect(result.outcome).toBe('roles-updated');
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ id: p.id, roles: ['GROUP_READ_ONLY'] }]);
  });

  it('reports added-as-member in Ops Manager bypass mode (2xx without an invitation)', async () => {
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { bypassInvitationMode: true } },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    const log = calls();
    expect(lines(log)).toEqual([`GET ${OPS_INVITES} 200`, `GET ${OPS_USERS} 200`, `POST ${OPS_INVITES} 200`]);
    expect(queryOf(log[0]).get('username')).toBeNull();
    expect(log.at(-1)?.headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/json',
    });
    expect(result).toMatchObject({ outcome: 'added-as-member', api: 'ops-manager' });
    expect(result.id).toBeUndefined();
    expect(result.actions[0]).toMatchObject({ action: 'added-as-member', id: '' });
    expect(sandbox.members(GROUP)).toMatchObject([{ username: ANA, roles: ['GROUP_READ_ONLY'] }]);
    expect(sandbox.invitations('ops-manager', GROUP)).toHaveLength(0);
  });

  it('invites on Ops Manager with an invitation id when bypass mode is off', async () => {
    const { client, sandbox } = await peopleClient({ target: 'ops-manager' });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
    });
    const invitations = sandbox.invitations('ops-manager', GROUP);
    expect(invitations).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'invited', api: 'ops-manager', id: invitations[0]?.id });
  });

  it('reports added-as-member when Cloud Users makes an org member ACTIVE at once', async () => {
    // The sandbox always creates a PENDING user: Atlas's answer for an org member is scripted.
    const id = objectId();
    const { client, calls } = await peopleClient(
      {},
      {
        script: (req) =>
          req.method === 'POST'
            ? {
                status: 201,
                headers: { 'content-type': ATLAS_USERS_ACCEPT },
                body: {
                  createdAt: '2026-12-01T00:00:00Z',
                  id,
                  orgMembershipStatus: 'ACTIVE',
                  roles: ['GROUP_READ_ONLY'],
                  username: ANA,
                },
              }
            : undefined,
      },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`, `POST ${USERS} 201`]);
    expect(result).toMatchObject({ outcome: 'added-as-member', api: 'cloud-users', id });
  });
});

describe('invitePerson after an ambiguous failure', () => {
  /** The `onPostNumber`th POST lands in the sandbox, and its answer is replaced by `after`. */
  const landThen = (after: Reply, onPostNumber = 1) => {
    let posts = 0;
    return (req: Seen): Reply | undefined => {
      if (req.method !== 'POST') return undefined;
      posts += 1;
      return posts === onPostNumber ? { ...after, land: true } : undefined;
    };
  };

  it.each([
    ['a 503', { status: 503, body: apiError(503, 'SERVICE_UNAVAILABLE', 'x') }],
    ['a connection reset', { reset: true }],
  ] as [string, Reply][])(
    'lists before resending: the POST landed despite %s, so exactly one POST is sent',
    async (_, after) => {
      const { client, calls, sandbox } = await peopleClient({}, { script: landThen(after) });
      const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
      expect(calls().filter((c) => c.method === 'POST')).toHaveLength(1);
      expect(lines(calls())).toEqual([
        `GET ${USERS} 200`,
        `GET ${INVITES} 200`,
        `POST ${USERS} ${after.reset ? 0 : 503}`,
        `GET ${USERS} 200`,
      ]);
      const users = sandbox.cloudUsers(GROUP);
      expect(users).toHaveLength(1);
      expect(result).toMatchObject({ outcome: 'invited', id: users[0]?.id });
    },
  );

  it('resends only after a list shows the POST did not land; one invitation results', async () => {
    let posts = 0;
    const { client, calls, sandbox, clock } = await peopleClient(
      {},
      { script: (req) => (req.method === 'POST' && ++posts === 1 ? { status: 502 } : undefined) },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 502`,
      `GET ${USERS} 200`,
      `POST ${USERS} 201`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
    expect(result.outcome).toBe('invited');
    expect(clock.state.sleeps).toHaveLength(1);
  });

  it('gives up after the retries with the typed error, having listed after every POST', async () => {
    const { client, calls, sandbox } = await peopleClient({ retry: { maxRetries: 2 } });
    sandbox.faults.add({
      method: 'POST',
      kind: 'status',
      status: 500,
      errorCode: 'UNEXPECTED_ERROR',
      times: 'always',
    });
    const err = await client
      .invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 500, errorCode: 'UNEXPECTED_ERROR' });
    // Each look that finds nothing is one unfiltered page of Cloud Users (the first also looks at the
    // invites API).
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 500`,
      `GET ${USERS} 200`,
      `POST ${USERS} 500`,
      `GET ${USERS} 200`,
      `POST ${USERS} 500`,
      `GET ${USERS} 200`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
    expectNoSecrets(err);
  });

  it('does not list or resend after a definite refusal (403)', async () => {
    const { client, calls, sandbox } = await peopleClient();
    sandbox.faults.add({ method: 'POST', kind: 'status', status: 403, errorCode: 'USER_UNAUTHORIZED' });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] }),
    ).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      status: 403,
      message: expect.stringMatching(/Check that the credentials/),
    });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`, `POST ${USERS} 403`]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
  });
});

describe('a role change sets the roles in place, on whichever API holds the person', () => {
  const NEW = ['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY'];
  /** A request that would cancel, remove or create: none may be sent by a role change. */
  const forbidden = (c: { method: string; path: string }) =>
    c.method === 'DELETE' ||
    (c.method === 'POST' && [USERS, INVITES, OPS_INVITES].includes(c.path)) ||
    (c.method === 'PATCH' && c.path.startsWith(OPS_USERS));

  it('a pending Cloud Users user: :addRole and :removeRole, same user id', async () => {
    const { client, calls, sandbox } = await peopleClient();
    const first = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    const mark = calls().length;
    const result = await client.invitePerson(GROUP, { username: ANA, roles: NEW });
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'cloud-users', id: first.id });
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([
      { id: first.id, orgMembershipStatus: 'PENDING', roles: expect.arrayContaining(NEW) },
    ]);
    expect(sandbox.cloudUsers(GROUP)[0]?.roles).toHaveLength(2);
    expect(calls().slice(mark).filter(forbidden)).toEqual([]);
  });

  it('an accepted Cloud Users member: :addRole and :removeRole, same user id, still ACTIVE', async () => {
    const { client, calls, sandbox } = await peopleClient();
    const first = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    const [accepted] = sandbox.accept(GROUP, ANA);
    expect(accepted?.memberId).toBe(first.id);
    const mark = calls().length;
    const result = await client.invitePerson(GROUP, { username: ANA, roles: NEW });
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'cloud-users', id: first.id });
    expect(lines(calls().slice(mark))).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS}/${first.id}:addRole 200`,
      `POST ${USERS}/${first.id}:addRole 200`,
      `POST ${USERS}/${first.id}:removeRole 200`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ id: first.id, orgMembershipStatus: 'ACTIVE' }]);
    expect([...(sandbox.cloudUsers(GROUP)[0]?.roles ?? [])].sort()).toEqual(NEW);
  });

  it('a pending invites-API invitation: one PATCH, same invitation id', async () => {
    const { client, calls, sandbox } = await peopleClient();
    const first = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'], api: 'invites' });
    const mark = calls().length;
    const result = await client.invitePerson(GROUP, { username: ANA, roles: NEW, api: 'invites' });
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'invites', id: first.id });
    expect(lines(calls().slice(mark))).toEqual([`GET ${INVITES} 200`, `PATCH ${INVITES}/${first.id} 200`]);
    expect(sandbox.invitations('atlas', GROUP).map((i) => [i.id, [...i.roles].sort()])).toEqual([
      [first.id, NEW],
    ]);
  });

  it('an entry on Cloud Users whose person is pending on the invites API (the UI, or before a move): that invitation, never a second one', async () => {
    const { client, calls, sandbox } = await peopleClient();
    const first = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'], api: 'invites' });
    let mark = calls().length;
    const same = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    expect(same).toMatchObject({ outcome: 'already-pending', api: 'invites', id: first.id });
    expect(
      calls()
        .slice(mark)
        .filter((c) => c.method !== 'GET'),
    ).toEqual([]);
    mark = calls().length;
    const changed = await client.invitePerson(GROUP, { username: ANA, roles: NEW });
    expect(changed).toMatchObject({ outcome: 'roles-updated', api: 'invites', id: first.id });
    expect(lines(calls().slice(mark))).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `PATCH ${INVITES}/${first.id} 200`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toEqual([]);
    expect(sandbox.invitations('atlas', GROUP).map((i) => [i.id, [...i.roles].sort()])).toEqual([
      [first.id, NEW],
    ]);
  });

  it('a pending Ops Manager invitation: one PATCH, same invitation id', async () => {
    const { client, calls, sandbox } = await peopleClient({ target: 'ops-manager' });
    const first = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    const mark = calls().length;
    const result = await client.invitePerson(GROUP, { username: ANA, roles: NEW });
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'ops-manager', id: first.id });
    expect(lines(calls().slice(mark))).toEqual([
      `GET ${OPS_INVITES} 200`,
      `PATCH ${OPS_INVITES}/${first.id} 200`,
    ]);
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => [i.id, [...i.roles].sort()])).toEqual([
      [first.id, NEW],
    ]);
  });

  it('a member who accepted an invites-API invitation: found through Cloud Users, never invited again', async () => {
    const { client, calls, sandbox } = await peopleClient();
    await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'], api: 'invites' });
    const [accepted] = sandbox.accept(GROUP, ANA, 'invites');
    const memberId = accepted?.memberId;
    expect(memberId).toMatch(/^[0-9a-f]{24}$/);

    let mark = calls().length;
    const same = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'], api: 'invites' });
    expect(same).toMatchObject({ outcome: 'already-member', api: 'cloud-users', id: memberId, actions: [] });
    expect(calls().slice(mark).filter(forbidden)).toEqual([]);

    mark = calls().length;
    const result = await client.invitePerson(GROUP, { username: ANA, roles: NEW, api: 'invites' });
    expect(result).toMatchObject({
      outcome: 'roles-updated',
      api: 'cloud-users',
      id: memberId,
      previousRoles: ['GROUP_OWNER'],
    });
    expect(lines(calls().slice(mark))).toEqual([
      `GET ${INVITES} 200`,
      `GET ${USERS} 200`,
      `POST ${USERS}/${memberId}:addRole 200`,
      `POST ${USERS}/${memberId}:addRole 200`,
      `POST ${USERS}/${memberId}:removeRole 200`,
    ]);
    expect(sandbox.invitations('atlas', GROUP)).toEqual([]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ id: memberId, orgMembershipStatus: 'ACTIVE' }]);
    expect([...(sandbox.cloudUsers(GROUP)[0]?.roles ?? [])].sort()).toEqual(NEW);
  });

  it('an Ops Manager member: the same roles are done; other roles fail, sending nothing', async () => {
    const { client, calls, sandbox } = await peopleClient({ target: 'ops-manager' });
    await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    const [accepted] = sandbox.accept(GROUP, ANA, 'ops-manager');
    const memberId = accepted?.memberId;

    let mark = calls().length;
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] }),
    ).resolves.toMatchObject({ outcome: 'already-member', api: 'ops-manager', id: memberId, actions: [] });
    expect(lines(calls().slice(mark))).toEqual([`GET ${OPS_INVITES} 200`, `GET ${OPS_USERS} 200`]);

    mark = calls().length;
    const err = await client.invitePerson(GROUP, { username: ANA, roles: NEW }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MDB_MEMBER_ROLES',
      name: 'MemberRolesError',
      roles: ['GROUP_OWNER'],
      declaredRoles: NEW,
      message: expect.stringMatching(
        /^ana@example\.com is already a member of project [0-9a-f]{24} with GROUP_OWNER, not the declared GROUP_CLUSTER_MANAGER,GROUP_READ_ONLY.*nothing was sent \(no new invitation\)/,
      ),
    });
    expect(
      calls()
        .slice(mark)
        .every((c) => c.method === 'GET'),
    ).toBe(true);
    expect(sandbox.invitations('ops-manager', GROUP)).toEqual([]);
    expect(sandbox.members(GROUP)).toMatchObject([{ id: memberId, roles: ['GROUP_OWNER'] }]);
  });
});
