import * as cloudUsers from '../../../lib/client/apis/atlas-cloud-users';
import * as invites from '../../../lib/client/apis/atlas-invites';
import * as ops from '../../../lib/client/apis/ops-manager';
import { queryOf } from '../../../lib/client/apis/person';
import { sameRoles } from '../../../lib/contract/roles';
import type { SeedEntry } from '../../../lib/sandbox/server';
import { GROUP, objectId } from '../../helpers/ids';
import { closePeople, lines, peopleClient, SUNSET_PAST } from './people-client';

const OPS = `/api/public/v1.0/groups/${GROUP}`;
const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
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
  /** A seed entry: a pending Ops Manager invitation of ANA, with a fresh id. */
  const opsPerson = (p: Partial<SeedEntry> = {}): SeedEntry & { id: string } => ({
    groupId: GROUP,
    id: objectId(),
    username: ANA,
    roles: ['GROUP_READ_ONLY'],
    api: 'ops-manager',
    ...p,
  });

  it('sets other roles on an Ops Manager invitation with PATCH', async () => {
    const p = opsPerson();
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: [p] } },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_OWNER'] });
    expect(lines(calls())).toEqual([`GET ${OPS}/invites 200`, `PATCH ${OPS}/invites/${p.id} 200`]);
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => [i.id, i.roles])).toEqual([
      [p.id, ['GROUP_OWNER']],
    ]);
    expect(result).toMatchObject({ outcome: 'roles-updated', previousRoles: ['GROUP_READ_ONLY'] });
  });

  it('cancels a pending Ops Manager invitation and removes the member too with removeAccepted', async () => {
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: [opsPerson()] } },
    );
    const [accepted] = sandbox.accept(GROUP, ANA, 'ops-manager');
    const pending = opsPerson();
    sandbox.seed([pending]);
    const result = await client.revokePerson(GROUP, ANA, { removeAccepted: true, api: 'invites' });
    expect(lines(calls())).toEqual([
      `GET ${OPS}/invites 200`,
      `DELETE ${OPS}/invites/${pending.id} 204`,
      `GET ${OPS}/users 200`,
      `DELETE ${OPS}/users/${accepted?.memberId} 204`,
    ]);
    expect(sandbox.invitations('ops-manager', GROUP)).toHaveLength(0);
    expect(sandbox.members(GROUP)).toHaveLength(0);
    expect(result.outcome).toBe('revoked');
    expect(result.member).toMatchObject({ removed: true });
  });

  it('fails on a 410 VERSION_GONE when inviting through the sunset invites API', async () => {
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { sunset: SUNSET_PAST } });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'], api: 'invites' }),
    ).rejects.toMatchObject({ code: 'MDB_ENDPOINT_GONE' });
    expect(calls().map((c) => `${c.method} ${c.status}`)).toEqual(['GET 410', 'GET 200', 'POST 410']);
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(0);
  });

  it('reports an invitation whose answer has no readable body as invited, without an id', async () => {
    const { client, sandbox } = await peopleClient(
      {},
      {
        script: (req) => (req.method === 'POST' ? { land: true, status: 201, body: 'not json' } : undefined),
      },
    );
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result).toMatchObject({ outcome: 'invited', actions: [{ id: '', action: 'invited' }] });
    expect(result.id).toBeUndefined();
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ username: ANA, orgMembershipStatus: 'PENDING' }]);
  });

  it('fails a 409 that a second look cannot explain', async () => {
    const { client, calls, sandbox } = await peopleClient();
    sandbox.faults.add({ method: 'POST', kind: 'status', status: 409, errorCode: 'CONFLICT' });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] }),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 409`,
      `GET ${USERS} 200`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
  });

  it('fails a DELETE 404 without an ApiError body (a proxy), and a 5xx list after its retries', async () => {
    const p = opsPerson();
    const { client, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      {
        sandbox: { seed: [p] },
        script: (req) => (req.method === 'DELETE' ? { status: 404, body: 'Not Found' } : undefined),
      },
    );
    await expect(client.revokePerson(GROUP, ANA)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      message: expect.stringMatching(/not a MongoDB API error/),
    });
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => i.id)).toEqual([p.id]);
    const down = await peopleClient({ retry: { maxRetries: 1 } });
    down.sandbox.faults.add({ kind: 'status', status: 503, times: 'always' });
    await expect(down.client.listMembers(GROUP)).rejects.toMatchObject({ code: 'MDB_RETRY_EXHAUSTED' });
    expect(lines(down.calls())).toEqual([`GET ${USERS} 503`, `GET ${USERS} 503`]);
  });
});
