// Revoke and invite against a server whose `username=` filter is case-exact (DESIGN decision 6): the person
// stored as `Ana@Example.com` is found for `ana@example.com` by one list without the filter, and that
// second list is sent only when the filtered answer has nothing for the person.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../lib/cli/run';
import type { SeedEntry } from '../../../lib/sandbox/server';
import { CANARY } from '../../helpers/canaries';
import { GROUP, objectId } from '../../helpers/ids';
import { captureIo } from '../../helpers/io';
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

afterEach(closePeople);

describe('a case-exact username filter', () => {
  it('revoke cancels a Cloud Users user stored with other case', async () => {
    const p = person();
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    const result = await client.revokePerson(GROUP, ASKED);
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
      `DELETE ${USERS}/${p.id} 204`,
      `GET ${INVITES} 200`,
      `GET ${INVITES} 200`,
    ]);
    expect(calls().map((c) => queryOf(c).get('username'))).toEqual([ASKED, null, null, ASKED, null]);
    expect(result).toMatchObject({ outcome: 'revoked' });
    expect(sandbox.cloudUsers(GROUP)).toEqual([]);
  });

  it('revoke cancels an invites-API invitation stored with other case', async () => {
    const p = person({ api: 'invites' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    const result = await client.revokePerson(GROUP, ASKED, { api: 'invites' });
    expect(lines(calls())).toEqual([
      `GET ${INVITES} 200`,
      `GET ${INVITES} 200`,
      `DELETE ${INVITES}/${p.id} 204`,
      `GET ${USERS} 200`,
      `GET ${USERS} 200`,
    ]);
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
    expect(lines(calls())).toEqual([
      `GET ${OPS_INVITES} 200`,
      `GET ${OPS_INVITES} 200`,
      `DELETE ${OPS_INVITES}/${p.id} 204`,
    ]);
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
      expect(lines(calls())).toEqual([`GET ${path} 200`, `GET ${path} 200`]);
      expect(calls().filter((c) => c.method !== 'GET')).toEqual([]);
      const held =
        api === 'cloud-users'
          ? sandbox.cloudUsers(GROUP)
          : sandbox.invitations(target === 'atlas' ? 'atlas' : 'ops-manager', GROUP);
      expect(held).toHaveLength(1);
    },
  );

  it('sends no unfiltered list when the filtered answer holds the person', async () => {
    const p = person({ username: ASKED });
    const { client, calls } = await peopleClient({}, { sandbox: { seed: [p] }, caseExact: true });
    await expect(
      client.invitePerson(GROUP, { username: ASKED, roles: ['GROUP_READ_ONLY'] }),
    ).resolves.toMatchObject({ outcome: 'already-pending' });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`]);
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
