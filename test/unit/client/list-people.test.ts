import { hasMorePages, MAX_PAGES } from '../../../lib/client/apis/person';
import type { SeedEntry } from '../../../lib/sandbox/server';
import { GROUP, objectId } from '../../helpers/ids';
import { closePeople, lines, peopleClient, queryOf, SUNSET_PAST } from './people-client';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;

/** `n` seed entries (PENDING Cloud Users users unless told), user0@…, user1@…, fresh ids. */
const many = (n: number, p: Partial<SeedEntry> = {}): SeedEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    groupId: GROUP,
    id: objectId(),
    username: `user${i}@example.com`,
    roles: ['GROUP_READ_ONLY'],
    api: 'cloud-users',
    ...p,
  }));

afterEach(closePeople);

describe('listPending', () => {
  it('follows Cloud Users pagination across 3 pages and merges the invites API, tagged by api', async () => {
    const ui: SeedEntry = {
      groupId: GROUP,
      api: 'invites',
      id: objectId(),
      username: 'ui@example.com',
      roles: ['GROUP_OWNER'],
    };
    const active = many(3, { status: 'ACTIVE' }).map((e, i) => ({
      ...e,
      username: `active${i}@example.com`,
    }));
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [...many(1_201), ui, ...active] } },
    );
    const pending = await client.listPending(GROUP);
    const log = calls();
    expect(lines(log)).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
    ]);
    expect(log.slice(0, 3).map((c) => [queryOf(c).get('pageNum'), queryOf(c).get('itemsPerPage')])).toEqual([
      ['1', '500'],
      ['2', '500'],
      ['3', '500'],
    ]);
    expect(queryOf(log[0]).getAll('orgMembershipStatuses')).toEqual(['PENDING']);
    expect(pending).toHaveLength(1_202);
    expect(new Set(pending.map((p) => p.id)).size).toBe(1_202);
    const [invitation] = sandbox.invitations('atlas', GROUP);
    expect(invitation?.createdAt).toMatch(/^\d{4}-/);
    expect(pending.filter((p) => p.api === 'invites')).toEqual([
      {
        api: 'invites',
        id: ui.id,
        username: 'ui@example.com',
        roles: ['GROUP_OWNER'],
        status: 'PENDING',
        createdAt: invitation?.createdAt,
        expiresAt: invitation?.expiresAt,
        inviterUsername: 'sandbox@example.com',
      },
    ]);
    expect(pending[0]).toMatchObject({
      api: 'cloud-users',
      status: 'PENDING',
      inviterUsername: sandbox.cloudUsers(GROUP)[0]?.inviterUsername,
    });
    expect(pending[0]?.inviterUsername).toMatch(/@/);
  });

  it('keeps one username from one unfiltered page, without case, and skips a sunset invites API (410)', async () => {
    const { client, calls } = await peopleClient({}, { sandbox: { seed: many(3), sunset: SUNSET_PAST } });
    const pending = await client.listPending(GROUP, { username: 'User1@Example.com' });
    expect(pending.map((p) => p.username)).toEqual(['user1@example.com']);
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 410`]);
    expect(queryOf(calls()[0]).get('username')).toBeNull();
    expect(queryOf(calls()[0]).get('pageNum')).toBe('1');
    expect(queryOf(calls()[0]).getAll('orgMembershipStatuses')).toEqual(['PENDING']);
    expect(queryOf(calls()[1]).get('username')).toBeNull();
  });

  it('lists Ops Manager invitations from its invites API', async () => {
    const { client, calls } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: many(2, { api: 'ops-manager' }) } },
    );
    const pending = await client.listPending(GROUP);
    expect(pending.map((p) => p.api)).toEqual(['ops-manager', 'ops-manager']);
    expect(calls()).toHaveLength(1);
  });

  it('refuses an answer that is not a page of users', async () => {
    const { client } = await peopleClient({}, { script: () => ({ status: 200, body: [] }) });
    await expect(client.listPending(GROUP)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      message: expect.stringMatching(/not a page of users/),
    });
  });

  it('refuses an invites answer that is not a list', async () => {
    const { client } = await peopleClient(
      { target: 'ops-manager' },
      { script: () => ({ status: 200, body: { nope: 1 } }) },
    );
    await expect(client.listPending(GROUP)).rejects.toMatchObject({
      message: expect.stringMatching(/not a list of invitations/),
    });
  });
});

describe('listMembers', () => {
  it('lists ACTIVE Cloud Users on Atlas', async () => {
    const active = many(2, { status: 'ACTIVE' }).map((e, i) => ({
      ...e,
      username: `member${i}@example.com`,
    }));
    const { client, calls } = await peopleClient({}, { sandbox: { seed: [...many(2), ...active] } });
    const members = await client.listMembers(GROUP);
    expect(members.map((m) => m.username)).toEqual(['member0@example.com', 'member1@example.com']);
    expect(members.every((m) => m.status === 'ACTIVE' && m.api === 'cloud-users')).toBe(true);
    expect(queryOf(calls()[0]).getAll('orgMembershipStatuses')).toEqual(['ACTIVE']);
  });

  it('lists Ops Manager members with their roles in this project only', async () => {
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: many(2, { api: 'ops-manager', roles: ['GROUP_OWNER'] }) } },
    );
    sandbox.accept(GROUP, 'user0@example.com', 'ops-manager');
    sandbox.accept(GROUP, 'user1@example.com', 'ops-manager');
    const members = await client.listMembers(GROUP);
    expect(members.map((m) => m.roles)).toEqual([['GROUP_OWNER'], ['GROUP_OWNER']]);
    expect(members.map((m) => m.id)).toEqual(sandbox.members(GROUP).map((m) => m.id));
    expect(calls()[0]?.path).toBe(`/api/public/v1.0/groups/${GROUP}/users`);
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
