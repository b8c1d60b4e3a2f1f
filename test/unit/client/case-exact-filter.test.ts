// Revoke and invite against a server whose `username=` filter is case-exact (DESIGN decision 6): the person
// stored as `Ana@Example.com` is found for `ana@example.com` because usernames are compared without case on
// lists without the filter. The invites APIs answer with one unfiltered list; Cloud Users with its first
// unfiltered page when that is the whole project. In a larger project the filter is asked next, and only
// when it finds nobody are the rest of the unfiltered pages read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../lib/cli/run';
import type { SeedEntry } from '../../../lib/sandbox/server';
import { CANARY } from '../../helpers/canaries';
import { GROUP, objectId } from '../../helpers/ids';
import { captureIo } from '../../helpers/io';
import type { Call } from '../../helpers/sandbox-proxy';
import { closePeople, lines, peopleClient, queryOf } from './people-client';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const OPS_INVITES = `/api/public/v1.0/groups/${GROUP}/invites`;
const STORED = 'Ana@Example.com';
const ASKED = 'ana@example.com';

const person = (p: Partial<SeedEntry> = {}): SeedEntry & { id: string } => ({
  groupId: GROUP,
  id: objectId(),
  username: STORED,
  roles: ['GROUP_READ_ONLY'],
  api: 'cloud-users',
  ...p,
});

/** `n` other PENDING Cloud Users users of the project (other0@…, other1@…), fresh ids. */
const others = (n: number): SeedEntry[] =>
  Array.from({ length: n }, (_, i) => person({ username: `other${i}@example.com` }));

/** [pageNum, username] of each Cloud Users list sent. */
const pages = (sent: readonly Call[]) =>
  sent
    .filter((c) => c.method === 'GET' && c.path === USERS)
    .map((c) => [queryOf(c).get('pageNum'), queryOf(c).get('username')]);

afterEach(closePeople);

describe('a case-exact username filter', () => {
  it('revoke cancels a Cloud Users user stored with other case', async () => {
    const p = person();
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    const result = await client.revokePerson(GROUP, ASKED);
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `DELETE ${USERS}/${p.id} 204`, `GET ${INVITES} 200`]);
    expect(calls().map((c) => queryOf(c).get('username'))).toEqual([null, null, null]);
    expect(result).toMatchObject({ outcome: 'revoked' });
    expect(sandbox.cloudUsers(GROUP)).toEqual([]);
  });

  it('revoke cancels an invites-API invitation stored with other case', async () => {
    const p = person({ api: 'invites' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    const result = await client.revokePerson(GROUP, ASKED, { api: 'invites' });
    expect(lines(calls())).toEqual([
      `GET ${INVITES} 200`,
      `DELETE ${INVITES}/${p.id} 204`,
      `GET ${USERS} 200`,
    ]);
    expect(calls().map((c) => queryOf(c).get('username'))).toEqual([null, null, null]);
    expect(result.actions.map((a) => [a.api, a.id, a.action])).toEqual([['invites', p.id, 'cancelled']]);
    expect(sandbox.invitations('atlas', GROUP)).toEqual([]);
  });

  it('revoke cancels an Ops Manager invitation stored with other case', async () => {
    const p = person({ api: 'ops-manager' });
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: [p] }, caseExact: true },
    );
    const result = await client.revokePerson(GROUP, ASKED);
    expect(lines(calls())).toEqual([`GET ${OPS_INVITES} 200`, `DELETE ${OPS_INVITES}/${p.id} 204`]);
    expect(queryOf(calls()[0]).get('username')).toBeNull();
    expect(result.outcome).toBe('revoked');
    expect(sandbox.invitations('ops-manager', GROUP)).toEqual([]);
  });

  it.each([
    ['cloud-users', 'atlas', USERS],
    ['invites', 'atlas', INVITES],
    ['ops-manager', 'ops-manager', OPS_INVITES],
  ] as const)(
    'invite on %s finds the person stored with other case and creates no duplicate',
    async (api, target, path) => {
      const p = person({ api });
      const { client, calls, sandbox } = await peopleClient(
        { target },
        { sandbox: { seed: [p] }, caseExact: true },
      );
      const result = await client.invitePerson(GROUP, {
        username: ASKED,
        roles: ['GROUP_READ_ONLY'],
        ...(target === 'atlas' ? { api } : {}),
      });
      expect(result).toMatchObject({ outcome: 'already-pending', id: p.id, actions: [] });
      expect(lines(calls())).toEqual([`GET ${path} 200`]);
      expect(queryOf(calls()[0]).get('username')).toBeNull();
      expect(calls().filter((c) => c.method !== 'GET')).toEqual([]);
      const held =
        api === 'cloud-users'
          ? sandbox.cloudUsers(GROUP)
          : sandbox.invitations(target === 'atlas' ? 'atlas' : 'ops-manager', GROUP);
      expect(held).toHaveLength(1);
    },
  );

  it('sends no filtered list in a one-page project: its one unfiltered page holds the person', async () => {
    const p = person({ username: ASKED });
    const { client, calls } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    await expect(
      client.invitePerson(GROUP, { username: ASKED, roles: ['GROUP_READ_ONLY'] }),
    ).resolves.toMatchObject({ outcome: 'already-pending', id: p.id });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`]);
    expect(pages(calls())).toEqual([['1', null]]);
  });

  it('the revoke command cancels it and says so, exit 0', async () => {
    const p = person();
    const { proxy, sandbox } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    const cache = mkdtempSync(join(tmpdir(), 'mdbinv-case-'));
    try {
      const c = captureIo();
      const argv = [
        'revoke',
        '--target',
        'atlas',
        '--base-url',
        proxy.url,
        '--group-id',
        GROUP,
        '--username',
        ASKED,
        '--json',
      ];
      const code = await run(
        argv,
        { MONGODB_ATLAS_ACCESS_TOKEN: CANARY.accessToken, MONGODB_INVITATIONS_TOKEN_CACHE: cache },
        c.io,
      );
      expect(code).toBe(0);
      expect(JSON.parse(c.stdout())).toMatchObject({
        outcome: 'revoked',
        actions: [{ api: 'cloud-users', id: p.id, action: 'cancelled' }],
      });
      expect(c.stderr()).toContain(`${ASKED} in project ${GROUP}: pending invitation cancelled`);
      expect(sandbox.cloudUsers(GROUP)).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('Cloud Users look-ups by project size, behind a case-exact filter', () => {
  const ROLES = ['GROUP_READ_ONLY'];

  it.each([
    ['there with the asked case', ASKED],
    ['there with other case', STORED],
    ['not there', undefined],
  ] as const)(
    'a one-page project (500 users, a full page): one unfiltered users GET when the person is %s',
    async (_, stored) => {
      const p = stored === undefined ? undefined : person({ username: stored });
      const seed = p ? [...others(499), p] : others(500);
      const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed }, caseExact: true });
      expect(sandbox.cloudUsers(GROUP)).toHaveLength(500);
      const result = await client.invitePerson(GROUP, { username: ASKED, roles: ROLES });
      expect(pages(calls())).toEqual([['1', null]]);
      expect(queryOf(calls()[0]).get('itemsPerPage')).toBe('500');
      const held = sandbox.cloudUsers(GROUP).filter((u) => u.username.toLowerCase() === ASKED);
      expect(held).toHaveLength(1);
      if (p) {
        expect(lines(calls())).toEqual([`GET ${USERS} 200`]);
        expect(result).toMatchObject({ outcome: 'already-pending', id: p.id, actions: [] });
      } else {
        expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`, `POST ${USERS} 201`]);
        expect(result).toMatchObject({
          outcome: 'invited',
          id: held[0]?.id,
          actions: [{ action: 'invited' }],
        });
      }
    },
  );

  it('a larger project: unfiltered page 1, then the filter finds the person (a later page is never read)', async () => {
    const p = person({ username: ASKED });
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [...others(1_099), p] }, caseExact: true },
    );
    // The person is the last of 1,100 users: on page 3 of the unfiltered list.
    expect(sandbox.cloudUsers(GROUP).findIndex((u) => u.id === p.id)).toBe(1_099);
    const result = await client.invitePerson(GROUP, { username: ASKED, roles: ROLES });
    expect(result).toMatchObject({ outcome: 'already-pending', api: 'cloud-users', id: p.id, actions: [] });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${USERS} 200`]);
    expect(pages(calls())).toEqual([
      ['1', null],
      ['1', ASKED],
    ]);
    expect(calls().map((c) => queryOf(c).getAll('orgMembershipStatuses'))).toEqual([
      ['PENDING', 'ACTIVE'],
      ['PENDING', 'ACTIVE'],
    ]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1_100);
  });

  it('a larger project: the filter misses the person stored with other case; the rest of the pages find them', async () => {
    const p = person();
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [...others(1_099), p] }, caseExact: true },
    );
    expect(sandbox.cloudUsers(GROUP).findIndex((u) => u.id === p.id)).toBe(1_099);
    const result = await client.invitePerson(GROUP, { username: ASKED, roles: ROLES });
    expect(result).toMatchObject({ outcome: 'already-pending', api: 'cloud-users', id: p.id, actions: [] });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
    ]);
    expect(pages(calls())).toEqual([
      ['1', null],
      ['1', ASKED],
      ['2', null],
      ['3', null],
    ]);
    expect(calls().filter((c) => c.method !== 'GET')).toEqual([]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1_100);
  });

  it('a larger project: revoke cancels the person stored with other case on the last page', async () => {
    const p = person();
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [...others(600), p] }, caseExact: true },
    );
    // The last of 601 users: on page 2 of the unfiltered list.
    expect(sandbox.cloudUsers(GROUP).findIndex((u) => u.id === p.id)).toBe(600);
    const result = await client.revokePerson(GROUP, ASKED);
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `DELETE ${USERS}/${p.id} 204`,
      `GET ${INVITES} 200`,
    ]);
    expect(pages(calls())).toEqual([
      ['1', null],
      ['1', ASKED],
      ['2', null],
    ]);
    expect(result.actions.map((a) => [a.api, a.id, a.action])).toEqual([['cloud-users', p.id, 'cancelled']]);
    expect(sandbox.cloudUsers(GROUP).filter((u) => u.id === p.id)).toEqual([]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(600);
  });

  it('a larger project without the person: page 1, the filter, every other page, then exactly one invitation', async () => {
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: others(1_001) }, caseExact: true },
    );
    const result = await client.invitePerson(GROUP, { username: ASKED, roles: ROLES });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 201`,
    ]);
    expect(pages(calls())).toEqual([
      ['1', null],
      ['1', ASKED],
      ['2', null],
      ['3', null],
    ]);
    expect(queryOf(calls()[4]).get('username')).toBeNull();
    const held = sandbox.cloudUsers(GROUP).filter((u) => u.username.toLowerCase() === ASKED);
    expect(held).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'invited', api: 'cloud-users', id: held[0]?.id });
    expect(calls().filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});
