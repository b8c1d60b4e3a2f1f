import type { SeedEntry } from '../../../lib/sandbox/server';
import { GROUP, objectId } from '../../helpers/ids';
import { closePeople, lines, peopleClient, queryOf, SUNSET_PAST } from './people-client';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const OPS = `/api/public/v1.0/groups/${GROUP}`;
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

describe('revokePerson on Atlas', () => {
  it('cancels the pending invitations of both APIs, and only that username', async () => {
    const cu = person();
    const ui = person({ api: 'invites' });
    const other = person({ api: 'invites', username: 'bo@example.com' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [cu, ui, other] } });
    const result = await client.revokePerson(GROUP, ANA);
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `DELETE ${USERS}/${cu.id} 204`,
      `GET ${INVITES} 200`,
      `DELETE ${INVITES}/${ui.id} 204`,
    ]);
    expect(queryOf(calls()[0]).getAll('orgMembershipStatuses')).toEqual([
      'PENDING',
      'ACTIVE',
      'INVITATION_EXPIRED',
    ]);
    // Both lists are unfiltered (one page, one invites list): the username is compared without case.
    expect(calls().map((c) => queryOf(c).get('username'))).toEqual([null, null, null, null]);
    expect(sandbox.cloudUsers(GROUP)).toEqual([]);
    expect(sandbox.invitations('atlas', GROUP).map((i) => [i.id, i.username])).toEqual([
      [other.id, 'bo@example.com'],
    ]);
    expect(result).toMatchObject({ outcome: 'revoked', looked: ['cloud-users', 'invites'] });
    expect(result.actions.map((a) => [a.api, a.id, a.action])).toEqual([
      ['cloud-users', cu.id, 'cancelled'],
      ['invites', ui.id, 'cancelled'],
    ]);
  });

  it('looks at the invites API first when the person was invited through it', async () => {
    const { client, calls } = await peopleClient();
    const result = await client.revokePerson(GROUP, ANA, { api: 'invites' });
    // One unfiltered list of each API answers: the invites API has no pages, Cloud Users has one page.
    expect(lines(calls())).toEqual([`GET ${INVITES} 200`, `GET ${USERS} 200`]);
    expect(calls().map((c) => queryOf(c).get('username'))).toEqual([null, null]);
    expect(result).toMatchObject({
      outcome: 'nothing-pending',
      actions: [],
      looked: ['invites', 'cloud-users'],
    });
  });

  it('treats a 410 from the invites API as nothing there', async () => {
    const cu = person();
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [cu], sunset: SUNSET_PAST } },
    );
    const result = await client.revokePerson(GROUP, ANA);
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `DELETE ${USERS}/${cu.id} 204`,
      `GET ${INVITES} 410`,
    ]);
    expect(sandbox.cloudUsers(GROUP)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'revoked', invitesApiGone: true });
  });

  it('leaves an accepted member alone by default, and says so', async () => {
    const m = person({ status: 'ACTIVE' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [m] } });
    const result = await client.revokePerson(GROUP, ANA);
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ id: m.id, orgMembershipStatus: 'ACTIVE' }]);
    expect(result).toMatchObject({
      outcome: 'accepted',
      actions: [],
      member: { api: 'cloud-users', id: m.id, removed: false, roles: ['GROUP_READ_ONLY'] },
    });
  });

  it('removes an accepted member with removeAccepted', async () => {
    const m = person({ status: 'ACTIVE' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [m] } });
    const result = await client.revokePerson(GROUP, ANA, { removeAccepted: true });
    expect(lines(calls())).toContain(`DELETE ${USERS}/${m.id} 204`);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
    expect(result).toMatchObject({ outcome: 'removed-member', member: { removed: true } });
    expect(result.actions).toEqual([
      {
        api: 'cloud-users',
        id: m.id,
        action: 'removed-member',
        method: 'DELETE',
        path: `${USERS}/${m.id}`,
        status: 204,
      },
    ]);
  });

  it('says expired for an INVITATION_EXPIRED user and deletes nothing', async () => {
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [person({ status: 'INVITATION_EXPIRED' })] } },
    );
    const result = await client.revokePerson(GROUP, ANA);
    expect(result.outcome).toBe('expired');
    expect(calls().every((c) => c.method === 'GET')).toBe(true);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ orgMembershipStatus: 'INVITATION_EXPIRED' }]);
  });

  it('says nothing-pending when nothing was ever sent', async () => {
    const { client, calls, sandbox } = await peopleClient(
      {},
      { sandbox: { seed: [person({ username: 'bo@example.com' })] } },
    );
    await expect(client.revokePerson(GROUP, ANA)).resolves.toMatchObject({
      outcome: 'nothing-pending',
      actions: [],
    });
    expect(lines(calls())).toEqual([`GET ${USERS} 200`, `GET ${INVITES} 200`]);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
  });

  it('reports already-gone when the invitation went between the list and the DELETE', async () => {
    const ui = person({ api: 'invites' });
    const { client, calls, sandbox } = await peopleClient({}, { sandbox: { seed: [ui] } });
    // Someone else cancels it right after the client's look.
    sandbox.onRequest((e) => {
      if (e.method === 'GET' && e.path === INVITES) sandbox.clearInvitations();
    });
    const result = await client.revokePerson(GROUP, ANA);
    expect(lines(calls())).toContain(`DELETE ${INVITES}/${ui.id} 404`);
    expect(result.outcome).toBe('nothing-pending');
    expect(result.actions).toMatchObject([
      { api: 'invites', id: ui.id, action: 'already-gone', status: 404 },
    ]);
  });

  it('fails on a DELETE refused with 403, with the server’s words', async () => {
    const { client, sandbox } = await peopleClient({}, { sandbox: { seed: [person()] } });
    sandbox.faults.add({ method: 'DELETE', kind: 'status', status: 403, errorCode: 'USER_UNAUTHORIZED' });
    await expect(client.revokePerson(GROUP, ANA)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      status: 403,
      errorCode: 'USER_UNAUTHORIZED',
    });
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
  });
});

describe('revokePerson on Ops Manager', () => {
  it('cancels the pending invitation and does not look at members', async () => {
    const p = person({ api: 'ops-manager' });
    const { client, calls, sandbox } = await peopleClient(
      { target: 'ops-manager' },
      { sandbox: { seed: [p] } },
    );
    const result = await client.revokePerson(GROUP, ANA);
    expect(lines(calls())).toEqual([`GET ${OPS}/invites 200`, `DELETE ${OPS}/invites/${p.id} 204`]);
    expect(sandbox.invitations('ops-manager', GROUP)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'revoked', looked: ['ops-manager'] });
  });

  it('says accepted for a member, and removes it with removeAccepted', async () => {
    const member = async () => {
      const setup = await peopleClient(
        { target: 'ops-manager' },
        { sandbox: { seed: [person({ api: 'ops-manager' })] } },
      );
      const [accepted] = setup.sandbox.accept(GROUP, ANA, 'ops-manager');
      return { ...setup, memberId: accepted?.memberId };
    };
    const left = await member();
    expect(left.memberId).toMatch(/^[0-9a-f]{24}$/);
    await expect(left.client.revokePerson(GROUP, ANA)).resolves.toMatchObject({
      outcome: 'accepted',
      member: { api: 'ops-manager', id: left.memberId, removed: false },
    });
    expect(lines(left.calls())).toEqual([`GET ${OPS}/invites 200`, `GET ${OPS}/users 200`]);
    expect(left.sandbox.members(GROUP)).toHaveLength(1);

    const removed = await member();
    const result = await removed.client.revokePerson(GROUP, ANA, { removeAccepted: true });
    expect(lines(removed.calls())).toEqual([
      `GET ${OPS}/invites 200`,
      `GET ${OPS}/users 200`,
      `DELETE ${OPS}/users/${removed.memberId} 204`,
    ]);
    expect(result.outcome).toBe('removed-member');
    expect(removed.sandbox.members(GROUP)).toHaveLength(0);
  });
});
