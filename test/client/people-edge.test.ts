import * as cloudUsers from '../../lib/client/apis/atlas-cloud-users';
import * as invites from '../../lib/client/apis/atlas-invites';
import * as ops from '../../lib/client/apis/ops-manager';
import { queryOf, sameRoles } from '../../lib/client/apis/person';
import { GROUP, objectId } from '../helpers/ids';
import { apiErrorBody, calls, closePeople, peopleClient, type FakePerson } from './people-server';

const OPS = `/api/public/v1.0/groups/${GROUP}`;
const ANA = 'ana@example.com';

afterEach(closePeople);

describe('API modules (pure)', () => {
  it('build queries with repeated parameters and encoding', () => {
    expect(queryOf({})).toBe('');
    expect(queryOf({ username: 'a+b@example.com', s: ['X', 'Y'], n: 2, skip: undefined })).toBe(
      '?username=a%2Bb%40example.com&s=X&s=Y&n=2',
    );
    expect(sameRoles(['A', 'B'], ['B', 'A', 'A'])).toBe(true);
    expect(sameRoles(['A'], ['A', 'B'])).toBe(false);
  });

  it('skip malformed records and refuse bodies of the wrong shape', () => {
    expect(invites.parseInvites({ nope: true })).toBeUndefined();
    expect(invites.parseInvites([{ id: 'x' }, null, { id: 'i', username: 'u', roles: ['R', 1] }])).toEqual([
      { api: 'invites', id: 'i', username: 'u', roles: ['R'], status: 'PENDING' },
    ]);
    expect(invites.parseInvite([])).toBeUndefined();
    expect(cloudUsers.parseUser('x')).toBeUndefined();
    expect(cloudUsers.parseUser({ id: 'i', username: 'u', orgMembershipStatus: 'WHO' })).toBeUndefined();
    expect(cloudUsers.parseUsersPage([])).toBeUndefined();
    expect(
      cloudUsers.parseUsersPage({ results: [{ id: 'i', username: 'u', orgMembershipStatus: 'ACTIVE' }] }),
    ).toEqual({
      records: [{ api: 'cloud-users', id: 'i', username: 'u', roles: [], status: 'ACTIVE' }],
      size: 1,
    });
    expect(ops.parseOpsCreated(null)).toBeUndefined();
    expect(ops.parseOpsInvites('x')).toBeUndefined();
    expect(ops.parseOpsMembersPage([], GROUP)).toBeUndefined();
    const page = ops.parseOpsMembersPage(
      {
        results: [
          {
            id: 'a',
            emailAddress: 'a@example.com',
            roles: [{ groupId: GROUP, roleName: 'GROUP_OWNER' }, 'x'],
          },
          { id: 'b', username: 'b@example.com', roles: [{ groupId: 'other', roleName: 'GROUP_OWNER' }] },
          { username: 'c@example.com' },
          { id: 'd', username: 'd@example.com' },
        ],
        totalCount: 4,
      },
      GROUP,
    );
    expect(page).toEqual({
      records: [
        { api: 'ops-manager', id: 'a', username: 'a@example.com', roles: ['GROUP_OWNER'], status: 'ACTIVE' },
      ],
      size: 4,
      totalCount: 4,
    });
  });
});

describe('person operations at the edges', () => {
  const opsPerson = (p: Partial<FakePerson> = {}): FakePerson => ({
    api: 'ops-manager',
    id: objectId(),
    username: ANA,
    roles: ['GROUP_READ_ONLY'],
    status: 'PENDING',
    ...p,
  });

  it('sets other roles on an Ops Manager invitation with PATCH', async () => {
    const p = opsPerson();
    const { client, log } = await peopleClient({ people: [p] }, { target: 'ops-manager' });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    expect(calls(log)).toEqual([`GET ${OPS}/invites 200`, `PATCH ${OPS}/invites/${p.id} 200`]);
    expect(result).toMatchObject({ outcome: 'roles-updated', previousRoles: ['GROUP_READ_ONLY'] });
  });

  it('cancels a pending Ops Manager invitation and removes the member too with removeAccepted', async () => {
    const pending = opsPerson();
    const member = opsPerson({ status: 'ACTIVE' });
    const { client, log } = await peopleClient({ people: [pending, member] }, { target: 'ops-manager' });
    const result = await client.revokePerson(GROUP, ANA, { removeAccepted: true, api: 'invites' });
    expect(calls(log)).toEqual([
      `GET ${OPS}/invites 200`,
      `DELETE ${OPS}/invites/${pending.id} 204`,
      `GET ${OPS}/users 200`,
      `DELETE ${OPS}/users/${member.id} 204`,
    ]);
    expect(result.outcome).toBe('revoked');
    expect(result.member).toMatchObject({ removed: true });
  });

  it('fails on a 410 VERSION_GONE when inviting through the sunset invites API', async () => {
    const { client, log } = await peopleClient({ invitesGone: true });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'], api: 'invites' }),
    ).rejects.toMatchObject({ code: 'MDB_ENDPOINT_GONE' });
    expect(log.map((l) => l.method)).toEqual(['GET', 'POST']);
  });

  it('reports an invitation whose answer has no readable body as invited, without an id', async () => {
    const { client } = await peopleClient({
      fault: (req) =>
        req.method === 'POST' ? { land: true, after: { status: 201, body: 'not json' } } : undefined,
    });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result).toMatchObject({ outcome: 'invited', actions: [{ id: '', action: 'invited' }] });
    expect(result.id).toBeUndefined();
  });

  it('fails a 409 that a second look cannot explain', async () => {
    const { client, log } = await peopleClient({
      fault: (req) =>
        req.method === 'POST'
          ? { status: 409, body: apiErrorBody(409, 'CONFLICT', 'someone else') }
          : undefined,
    });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] }),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(log.map((l) => l.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('fails a DELETE 404 without an ApiError body (a proxy), and a 5xx list after its retries', async () => {
    const { client } = await peopleClient(
      {
        people: [opsPerson()],
        fault: (req) => (req.method === 'DELETE' ? { status: 404, body: 'Not Found' } : undefined),
      },
      { target: 'ops-manager' },
    );
    await expect(client.revokePerson(GROUP, ANA)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      message: expect.stringMatching(/not a MongoDB API error/),
    });
    const down = await peopleClient({ fault: () => ({ status: 503 }) }, { retry: { maxRetries: 1 } });
    await expect(down.client.listMembers(GROUP)).rejects.toMatchObject({ code: 'MDB_RETRY_EXHAUSTED' });
    expect(down.log).toHaveLength(2);
  });
});
