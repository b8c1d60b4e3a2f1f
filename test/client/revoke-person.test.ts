import { GROUP, objectId } from '../helpers/ids';
import { apiErrorBody, calls, closePeople, peopleClient, type FakePerson } from './people-server';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const OPS = `/api/public/v1.0/groups/${GROUP}`;
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

describe('revokePerson on Atlas', () => {
  it('cancels the pending invitations of both APIs, and only that username', async () => {
    const cu = person({});
    const ui = person({ api: 'invites' });
    const other = person({ api: 'invites', username: 'bo@example.com' });
    const { client, log, people } = await peopleClient({ people: [cu, ui, other] });
    const result = await client.revokePerson(GROUP, ANA);
    expect(calls(log)).toEqual([
      `GET ${USERS} 200`,
      `DELETE ${USERS}/${cu.id} 204`,
      `GET ${INVITES} 200`,
      `DELETE ${INVITES}/${ui.id} 204`,
    ]);
    expect(log[0]?.query.getAll('orgMembershipStatuses')).toEqual([
      'PENDING',
      'ACTIVE',
      'INVITATION_EXPIRED',
    ]);
    expect(log[2]?.query.get('username')).toBe(ANA);
    expect(people).toEqual([other]);
    expect(result).toMatchObject({ outcome: 'revoked', looked: ['cloud-users', 'invites'] });
    expect(result.actions.map((a) => [a.api, a.id, a.action])).toEqual([
      ['cloud-users', cu.id, 'cancelled'],
      ['invites', ui.id, 'cancelled'],
    ]);
  });

  it('looks at the invites API first when the person was invited through it', async () => {
    const { client, log } = await peopleClient();
    const result = await client.revokePerson(GROUP, ANA, { api: 'invites' });
    expect(calls(log)).toEqual([`GET ${INVITES} 200`, `GET ${USERS} 200`]);
    expect(result).toMatchObject({
      outcome: 'nothing-pending',
      actions: [],
      looked: ['invites', 'cloud-users'],
    });
  });

  it('treats a 410 from the invites API as nothing there', async () => {
    const cu = person({});
    const { client, log } = await peopleClient({ people: [cu], invitesGone: true });
    const result = await client.revokePerson(GROUP, ANA);
    expect(calls(log)).toEqual([`GET ${USERS} 200`, `DELETE ${USERS}/${cu.id} 204`, `GET ${INVITES} 410`]);
    expect(result).toMatchObject({ outcome: 'revoked', invitesApiGone: true });
  });

  it('leaves an accepted member alone by default, and says so', async () => {
    const m = person({ status: 'ACTIVE' });
    const { client, log, people } = await peopleClient({ people: [m] });
    const result = await client.revokePerson(GROUP, ANA);
    expect(log.map((l) => l.method)).toEqual(['GET', 'GET']);
    expect(people).toHaveLength(1);
    expect(result).toMatchObject({
      outcome: 'accepted',
      actions: [],
      member: { api: 'cloud-users', id: m.id, removed: false, roles: ['GROUP_READ_ONLY'] },
    });
  });

  it('removes an accepted member with removeAccepted', async () => {
    const m = person({ status: 'ACTIVE' });
    const { client, log, people } = await peopleClient({ people: [m] });
    const result = await client.revokePerson(GROUP, ANA, { removeAccepted: true });
    expect(calls(log)).toContain(`DELETE ${USERS}/${m.id} 204`);
    expect(people).toHaveLength(0);
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
    const { client, log } = await peopleClient({ people: [person({ status: 'INVITATION_EXPIRED' })] });
    const result = await client.revokePerson(GROUP, ANA);
    expect(result.outcome).toBe('expired');
    expect(log.every((l) => l.method === 'GET')).toBe(true);
  });

  it('says nothing-pending when nothing was ever sent', async () => {
    const { client, log } = await peopleClient({ people: [person({ username: 'bo@example.com' })] });
    await expect(client.revokePerson(GROUP, ANA)).resolves.toMatchObject({
      outcome: 'nothing-pending',
      actions: [],
    });
    expect(log).toHaveLength(2);
  });

  it('reports already-gone when the invitation went between the list and the DELETE', async () => {
    const ui = person({ api: 'invites' });
    const { client } = await peopleClient({
      people: [ui],
      fault: (req) =>
        req.method === 'DELETE'
          ? { status: 404, body: apiErrorBody(404, 'RESOURCE_NOT_FOUND', 'gone') }
          : undefined,
    });
    const result = await client.revokePerson(GROUP, ANA);
    expect(result.outcome).toBe('nothing-pending');
    expect(result.actions).toMatchObject([
      { api: 'invites', id: ui.id, action: 'already-gone', status: 404 },
    ]);
  });

  it('fails on a DELETE refused with 403, with the server’s words', async () => {
    const { client } = await peopleClient({
      people: [person({})],
      fault: (req) =>
        req.method === 'DELETE'
          ? { status: 403, body: apiErrorBody(403, 'USER_UNAUTHORIZED', 'nope') }
          : undefined,
    });
    await expect(client.revokePerson(GROUP, ANA)).rejects.toMatchObject({
      code: 'MDB_API_ERROR',
      status: 403,
    });
  });
});

describe('revokePerson on Ops Manager', () => {
  it('cancels the pending invitation and does not look at members', async () => {
    const p = person({ api: 'ops-manager' });
    const { client, log } = await peopleClient({ people: [p] }, { target: 'ops-manager' });
    const result = await client.revokePerson(GROUP, ANA);
    expect(calls(log)).toEqual([`GET ${OPS}/invites 200`, `DELETE ${OPS}/invites/${p.id} 204`]);
    expect(result).toMatchObject({ outcome: 'revoked', looked: ['ops-manager'] });
  });

  it('says accepted for a member, and removes it with removeAccepted', async () => {
    const m = person({ api: 'ops-manager', status: 'ACTIVE' });
    const left = await peopleClient({ people: [{ ...m }] }, { target: 'ops-manager' });
    await expect(left.client.revokePerson(GROUP, ANA)).resolves.toMatchObject({
      outcome: 'accepted',
      member: { api: 'ops-manager', id: m.id, removed: false },
    });
    expect(calls(left.log)).toEqual([`GET ${OPS}/invites 200`, `GET ${OPS}/users 200`]);

    const removed = await peopleClient({ people: [{ ...m }] }, { target: 'ops-manager' });
    const result = await removed.client.revokePerson(GROUP, ANA, { removeAccepted: true });
    expect(calls(removed.log)).toEqual([
      `GET ${OPS}/invites 200`,
      `GET ${OPS}/users 200`,
      `DELETE ${OPS}/users/${m.id} 204`,
    ]);
    expect(result.outcome).toBe('removed-member');
    expect(removed.people).toHaveLength(0);
  });
});
