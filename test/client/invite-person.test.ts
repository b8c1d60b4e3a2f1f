import type { SeedEntry } from '../../lib/sandbox/server';
import { TRANSPORTS, apiError, type Reply, type Seen } from '../helpers/scripted-server';
import { expectNoSecrets } from '../helpers/canaries';
import { GROUP, objectId } from '../helpers/ids';
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
    'invites a new person through Cloud Users after one look, confirmed without the filter (%s)',
    async (transport) => {
      const { client, calls, sandbox } = await peopleClient({ transport });
      const result = await client.invitePerson(GROUP, {
        username: ANA,
        roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'],
      });
      const log = calls();
      expect(lines(log)).toEqual([`GET ${USERS} 200`, `GET ${USERS} 200`, `POST ${USERS} 201`]);
      expect(queryOf(log[0]).get('username')).toBe(ANA);
      expect(queryOf(log[0]).getAll('orgMembershipStatuses')).toEqual(['PENDING', 'ACTIVE']);
      expect(queryOf(log[1]).get('username')).toBeNull();
      expect(queryOf(log[1]).getAll('orgMembershipStatuses')).toEqual(['PENDING', 'ACTIVE']);
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
    expect(lines(log)).toEqual([`GET ${INVITES} 200`, `GET ${INVITES} 200`, `POST ${INVITES} 200`]);
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
        script: (_req, i) => (i < 2 ? { status: 200, body: { results: [], totalCount: 0 } } : undefined),
      },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
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
    expect(lines(log)).toEqual([
      `GET ${OPS_INVITES} 200`,
      `GET ${OPS_INVITES} 200`,
      `POST ${OPS_INVITES} 200`,
    ]);
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
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${USERS} 200`, `POST ${USERS} 201`]);
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
        `GET ${USERS} 200`,
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
      `GET ${USERS} 200`,
      `POST ${USERS} 502`,
      `GET ${USERS} 200`,
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
    // Each look that finds nothing is one filtered and one unfiltered list.
    expect(
      calls()
        .map((c) => c.method)
        .join(' '),
    ).toBe('GET GET POST GET GET POST GET GET POST GET GET');
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
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${USERS} 200`, `POST ${USERS} 403`]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
  });
});
