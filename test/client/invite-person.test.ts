import { TRANSPORTS } from '../helpers/scripted-server';
import { expectNoSecrets } from '../helpers/canaries';
import { GROUP, objectId } from '../helpers/ids';
import {
  ATLAS_INVITES_ACCEPT,
  ATLAS_USERS_ACCEPT,
  apiErrorBody,
  calls,
  closePeople,
  peopleClient,
  type FakePerson,
} from './people-server';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const OPS_INVITES = `/api/public/v1.0/groups/${GROUP}/invites`;
const ANA = 'ana@example.com';

const person = (p: Partial<FakePerson>): FakePerson => ({
  api: 'cloud-users',
  id: objectId(),
  username: ANA,
  roles: ['GROUP_READ_ONLY'],
  status: 'PENDING',
  ...p,
});

afterEach(closePeople);

describe('invitePerson', () => {
  it.each(TRANSPORTS)('invites a new person through Cloud Users after one look (%s)', async (transport) => {
    const { client, log, people } = await peopleClient({}, { transport });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'],
    });
    expect(calls(log)).toEqual([`GET ${USERS} 200`, `POST ${USERS} 201`]);
    expect(log[0]?.query.get('username')).toBe(ANA);
    expect(log[0]?.query.getAll('orgMembershipStatuses')).toEqual(['PENDING', 'ACTIVE']);
    expect(log[1]?.headers).toMatchObject({ accept: ATLAS_USERS_ACCEPT, 'content-type': ATLAS_USERS_ACCEPT });
    expect(log[1]?.body).toEqual({
      username: ANA,
      roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
    });
    expect(people).toHaveLength(1);
    expect(result).toMatchObject({
      outcome: 'invited',
      api: 'cloud-users',
      id: people[0]?.id,
      expiresAt: '2026-12-31T00:00:00Z',
      roles: ['GROUP_DATA_ACCESS_READ_ONLY', 'GROUP_READ_ONLY'],
    });
    expect(result.actions).toEqual([
      { api: 'cloud-users', id: people[0]?.id, action: 'invited', method: 'POST', path: USERS, status: 201 },
    ]);
  });

  it('is done when the same roles are already pending, in any order: nothing is sent', async () => {
    const p = person({ roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] });
    const { client, log } = await peopleClient({ people: [p] });
    const result = await client.invitePerson(GROUP, {
      username: 'ANA@example.com',
      roles: ['GROUP_OWNER', 'GROUP_READ_ONLY', 'GROUP_OWNER'],
    });
    expect(result).toMatchObject({ outcome: 'already-pending', id: p.id, actions: [] });
    expect(calls(log)).toEqual([`GET ${USERS} 200`]);
  });

  it('is done when an active member already has the same roles', async () => {
    const p = person({ status: 'ACTIVE' });
    const { client, log } = await peopleClient({ people: [p] });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result).toMatchObject({ outcome: 'already-member', id: p.id });
    expect(log).toHaveLength(1);
  });

  it('sets other roles on a Cloud Users person with :addRole before :removeRole', async () => {
    const p = person({ status: 'ACTIVE', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] });
    const { client, log, people } = await peopleClient({ people: [p] });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'],
    });
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS}/${p.id}:addRole 200`,
      `POST ${USERS}/${p.id}:removeRole 200`,
    ]);
    expect(log[1]?.body).toEqual({ groupRole: 'GROUP_CLUSTER_MANAGER' });
    expect(log[2]?.body).toEqual({ groupRole: 'GROUP_OWNER' });
    expect(people[0]?.roles.sort()).toEqual(['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY']);
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
    const { client, log, people } = await peopleClient({ people: [p] });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_OWNER'],
      api: 'invites',
    });
    expect(calls(log)).toEqual([`GET ${INVITES} 200`, `PATCH ${INVITES}/${p.id} 200`]);
    expect(log[1]?.body).toEqual({ roles: ['GROUP_OWNER'] });
    expect(log[1]?.headers['content-type']).toBe(ATLAS_INVITES_ACCEPT);
    expect(people[0]?.roles).toEqual(['GROUP_OWNER']);
    expect(result).toMatchObject({ outcome: 'roles-updated', api: 'invites', id: p.id });
  });

  it('invites through the deprecated invites API when asked (200, id, expiresAt)', async () => {
    const { client, log, people } = await peopleClient();
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
    });
    expect(calls(log)).toEqual([`GET ${INVITES} 200`, `POST ${INVITES} 200`]);
    expect(log[1]?.headers.accept).toBe(ATLAS_INVITES_ACCEPT);
    expect(result).toMatchObject({
      outcome: 'invited',
      api: 'invites',
      id: people[0]?.id,
      expiresAt: '2026-12-31T00:00:00Z',
    });
  });

  it('settles a Cloud Users 409 by listing again (the person appeared after the first look)', async () => {
    const p = person({ roles: ['GROUP_OWNER'] });
    const { client, log, people } = await peopleClient({
      people: [p],
      // The first look misses the person (made by someone else in between).
      fault: (_req, i) => (i === 0 ? { status: 200, body: { results: [], totalCount: 0 } } : undefined),
    });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS} 409`,
      `GET ${USERS} 200`,
      `POST ${USERS}/${p.id}:addRole 200`,
      `POST ${USERS}/${p.id}:removeRole 200`,
    ]);
    expect(result.outcome).toBe('roles-updated');
    expect(people).toHaveLength(1);
  });

  it('reports added-as-member in Ops Manager bypass mode (2xx without an invitation)', async () => {
    const { client, log, people } = await peopleClient({ bypass: true }, { target: 'ops-manager' });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(calls(log)).toEqual([`GET ${OPS_INVITES} 200`, `POST ${OPS_INVITES} 200`]);
    expect(log[1]?.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(result).toMatchObject({ outcome: 'added-as-member', api: 'ops-manager' });
    expect(result.id).toBeUndefined();
    expect(result.actions[0]).toMatchObject({ action: 'added-as-member', id: '' });
    expect(people[0]?.status).toBe('ACTIVE');
  });

  it('invites on Ops Manager with an invitation id when bypass mode is off', async () => {
    const { client, people } = await peopleClient({}, { target: 'ops-manager' });
    const result = await client.invitePerson(GROUP, {
      username: ANA,
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
    });
    expect(result).toMatchObject({ outcome: 'invited', api: 'ops-manager', id: people[0]?.id });
  });

  it('reports added-as-member when Cloud Users makes an org member ACTIVE at once', async () => {
    const { client } = await peopleClient({ orgMembers: [ANA] });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result.outcome).toBe('added-as-member');
  });
});

describe('invitePerson after an ambiguous failure', () => {
  const landThen = (after: object, onPostNumber = 1) => {
    let posts = 0;
    return (req: { method: string; path: string }) => {
      if (req.method !== 'POST') return undefined;
      posts += 1;
      return posts === onPostNumber ? { land: true as const, after } : undefined;
    };
  };

  it.each([
    ['a 503', { status: 503, body: apiErrorBody(503, 'SERVICE_UNAVAILABLE', 'x') }],
    ['a connection reset', { reset: true }],
  ])('lists before resending: the POST landed despite %s, so exactly one POST is sent', async (_, after) => {
    const { client, log, people } = await peopleClient({ fault: landThen(after) });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(log.filter((l) => l.method === 'POST')).toHaveLength(1);
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS} ${'reset' in after ? 0 : 503}`,
      `GET ${USERS} 200`,
    ]);
    expect(people).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'invited', id: people[0]?.id });
  });

  it('resends only after a list shows the POST did not land; one invitation results', async () => {
    let posts = 0;
    const { client, log, people, clock } = await peopleClient({
      fault: (req) => (req.method === 'POST' && ++posts === 1 ? { status: 502 } : undefined),
    });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `POST ${USERS} 502`,
      `GET ${USERS} 200`,
      `POST ${USERS} 201`,
    ]);
    expect(people).toHaveLength(1);
    expect(result.outcome).toBe('invited');
    expect(clock.state.sleeps).toHaveLength(1);
  });

  it('gives up after the retries with the typed error, having listed after every POST', async () => {
    const { client, log, people } = await peopleClient(
      {
        fault: (req) =>
          req.method === 'POST'
            ? { status: 500, body: apiErrorBody(500, 'UNEXPECTED_ERROR', 'boom') }
            : undefined,
      },
      { retry: { maxRetries: 2 } },
    );
    const err = await client
      .invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 500, errorCode: 'UNEXPECTED_ERROR' });
    expect(calls(log).map((c) => c.split(' ')[0])).toEqual([
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
    ]);
    expect(people).toHaveLength(0);
    expectNoSecrets(err);
  });

  it('does not list or resend after a definite refusal (403)', async () => {
    const { client, log } = await peopleClient({
      fault: (req) =>
        req.method === 'POST'
          ? { status: 403, body: apiErrorBody(403, 'USER_UNAUTHORIZED', 'no') }
          : undefined,
    });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] }),
    ).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      status: 403,
      message: expect.stringMatching(/Check that the credentials/),
    });
    expect(calls(log)).toEqual([`GET ${USERS} 200`, `POST ${USERS} 403`]);
  });
});
