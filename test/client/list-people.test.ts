import { hasMorePages, MAX_PAGES } from '../../lib/client/apis/person';
import { GROUP, objectId } from '../helpers/ids';
import { calls, closePeople, peopleClient, type FakePerson } from './people-server';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;

const many = (n: number, p: Partial<FakePerson> = {}): FakePerson[] =>
  Array.from({ length: n }, (_, i) => ({
    api: 'cloud-users',
    id: objectId(),
    username: `user${i}@example.com`,
    roles: ['GROUP_READ_ONLY'],
    status: 'PENDING',
    ...p,
  }));

afterEach(closePeople);

describe('listPending', () => {
  it('follows Cloud Users pagination across 3 pages and merges the invites API, tagged by api', async () => {
    const ui: FakePerson = {
      api: 'invites',
      id: objectId(),
      username: 'ui@example.com',
      roles: ['GROUP_OWNER'],
      status: 'PENDING',
    };
    const active = many(3, { status: 'ACTIVE' });
    const { client, log } = await peopleClient({ people: [...many(1_201), ui, ...active] });
    const pending = await client.listPending(GROUP);
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
    ]);
    expect(log.slice(0, 3).map((l) => [l.query.get('pageNum'), l.query.get('itemsPerPage')])).toEqual([
      ['1', '500'],
      ['2', '500'],
      ['3', '500'],
    ]);
    expect(log[0]?.query.getAll('orgMembershipStatuses')).toEqual(['PENDING']);
    expect(pending).toHaveLength(1_202);
    expect(new Set(pending.map((p) => p.id)).size).toBe(1_202);
    expect(pending.filter((p) => p.api === 'invites')).toEqual([
      {
        api: 'invites',
        id: ui.id,
        username: 'ui@example.com',
        roles: ['GROUP_OWNER'],
        status: 'PENDING',
        createdAt: '2026-12-01T00:00:00Z',
        expiresAt: '2026-12-31T00:00:00Z',
      },
    ]);
    expect(pending[0]).toMatchObject({
      api: 'cloud-users',
      status: 'PENDING',
      inviterUsername: 'admin@example.com',
    });
  });

  it('filters by username and skips a sunset invites API (410)', async () => {
    const { client, log } = await peopleClient({ people: many(3), invitesGone: true });
    const pending = await client.listPending(GROUP, { username: 'user1@example.com' });
    expect(pending.map((p) => p.username)).toEqual(['user1@example.com']);
    expect(calls(log)).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 410`]);
    expect(log[0]?.query.get('username')).toBe('user1@example.com');
  });

  it('lists Ops Manager invitations from its invites API', async () => {
    const { client, log } = await peopleClient(
      { people: many(2, { api: 'ops-manager' }) },
      { target: 'ops-manager' },
    );
    const pending = await client.listPending(GROUP);
    expect(pending.map((p) => p.api)).toEqual(['ops-manager', 'ops-manager']);
    expect(log).toHaveLength(1);
  });

  it('refuses an answer that is not a page of users', async () => {
    const { client } = await peopleClient({ fault: () => ({ status: 200, body: [] }) });
    await expect(client.listPending(GROUP)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      message: expect.stringMatching(/not a page of users/),
    });
  });

  it('refuses an invites answer that is not a list', async () => {
    const { client } = await peopleClient(
      { fault: () => ({ status: 200, body: { nope: 1 } }) },
      { target: 'ops-manager' },
    );
    await expect(client.listPending(GROUP)).rejects.toMatchObject({
      message: expect.stringMatching(/not a list of invitations/),
    });
  });
});

describe('listMembers', () => {
  it('lists ACTIVE Cloud Users on Atlas', async () => {
    const { client, log } = await peopleClient({ people: [...many(2), ...many(2, { status: 'ACTIVE' })] });
    const members = await client.listMembers(GROUP);
    expect(members).toHaveLength(2);
    expect(members.every((m) => m.status === 'ACTIVE' && m.api === 'cloud-users')).toBe(true);
    expect(log[0]?.query.getAll('orgMembershipStatuses')).toEqual(['ACTIVE']);
  });

  it('lists Ops Manager members with their roles in this project only', async () => {
    const { client, log } = await peopleClient(
      { people: many(2, { api: 'ops-manager', status: 'ACTIVE', roles: ['GROUP_OWNER'] }) },
      { target: 'ops-manager' },
    );
    const members = await client.listMembers(GROUP);
    expect(members.map((m) => m.roles)).toEqual([['GROUP_OWNER'], ['GROUP_OWNER']]);
    expect(log[0]?.path).toBe(`/api/public/v1.0/groups/${GROUP}/users`);
  });
});

describe('hasMorePages', () => {
  it('stops at totalCount, at an empty or short page, and at MAX_PAGES', () => {
    expect(hasMorePages({ records: [], size: 500, totalCount: 1000 }, 1, 500)).toBe(true);
    expect(hasMorePages({ records: [], size: 500, totalCount: 1000 }, 2, 1000)).toBe(false);
    expect(hasMorePages({ records: [], size: 0, totalCount: 1000 }, 2, 500)).toBe(false);
    expect(hasMorePages({ records: [], size: 500 }, 1, 500)).toBe(true);
    expect(hasMorePages({ records: [], size: 499 }, 1, 499)).toBe(false);
    expect(hasMorePages({ records: [], size: 500, totalCount: 10 ** 9 }, MAX_PAGES, 500 * MAX_PAGES)).toBe(
      false,
    );
  });
});
