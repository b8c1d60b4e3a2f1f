// Invitation creation on both invites APIs, the invitee's switches (accept, expire: in process and over
// the admin path), Ops Manager members (list, remove) and Bypass Invitation Mode.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, callJson, challengeOf, digestHeader, GROUP } from './helpers';

const TOKEN = 'token-members';
const KEY = { publicKey: 'pub-members', privateKey: 'priv-members' };

describe('sandbox members and switches', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({ credentials: { accessTokens: [TOKEN], apiKeys: [KEY] } });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => sandbox.reset());

  /** One Digest-authenticated Ops Manager request (Ops Manager takes Digest only). */
  async function ops(sb: Sandbox, method: string, path: string, body?: unknown) {
    const url = `${sb.url}/api/public/v1.0/groups/${GROUP}${path}`;
    const challenge = await challengeOf(url, method);
    const uri = new URL(url).pathname + new URL(url).search;
    const authorization = digestHeader(challenge, KEY.publicKey, KEY.privateKey, method, uri, 1);
    const res = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: authorization,
        'Content-Type': 'application/json',
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  const atlasInvites = `/api/atlas/v2/groups/${GROUP}/invites`;

  it('creates invitations on both invites APIs with {username, roles} → 200 GroupInvitation', async () => {
    const atlas = await callJson(`${sandbox.url}${atlasInvites}`, TOKEN, {
      method: 'POST',
      accept: ATLAS_ACCEPT,
      body: { username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] },
    });
    expect(atlas.res.status).toBe(200);
    expect(atlas.json).toMatchObject({
      groupId: GROUP,
      username: 'ana@example.com',
      roles: ['GROUP_READ_ONLY'],
    });
    const om = await ops(sandbox, 'POST', '/invites', { username: 'bo@example.com', roles: ['GROUP_OWNER'] });
    expect(om.status).toBe(200);
    expect(om.json).toMatchObject({
      groupId: GROUP,
      username: 'bo@example.com',
      inviterUsername: 'pub-members@sandbox.invalid',
    });
    expect(sandbox.invitations('atlas', GROUP).map((i) => i.username)).toEqual(['ana@example.com']);
    expect(sandbox.invitations('ops-manager', GROUP).map((i) => i.username)).toEqual(['bo@example.com']);
    const bad = await ops(sandbox, 'POST', '/invites', { username: 'bo@example.com', roles: [] });
    expect(bad.status).toBe(400);
  });

  it('updates roles with PATCH …/invites {username, roles} and PATCH …/invites/{id} {roles}', async () => {
    const [invitation] = sandbox.seed([
      { target: 'atlas', groupId: GROUP, username: 'p@example.com', roles: ['R1'] },
    ]);
    const byName = await callJson(`${sandbox.url}${atlasInvites}`, TOKEN, {
      method: 'PATCH',
      accept: ATLAS_ACCEPT,
      body: { username: 'p@example.com', roles: ['R2'] },
    });
    expect(byName.json).toMatchObject({
      id: invitation?.id,
      roles: ['R2'],
      createdAt: invitation?.createdAt,
    });
    const byId = await callJson(`${sandbox.url}${atlasInvites}/${invitation?.id ?? ''}`, TOKEN, {
      method: 'PATCH',
      accept: ATLAS_ACCEPT,
      body: { roles: ['R3'] },
    });
    expect(byId.res.status).toBe(200);
    expect(sandbox.invitations('atlas', GROUP)).toMatchObject([{ id: invitation?.id, roles: ['R3'] }]);
    const none = await callJson(`${sandbox.url}${atlasInvites}`, TOKEN, {
      method: 'PATCH',
      accept: ATLAS_ACCEPT,
      body: { username: 'nobody@example.com', roles: ['R'] },
    });
    expect(none.res.status).toBe(404);
  });

  it('accept without api switches every API that holds a pending invitation for that username', async () => {
    sandbox.seed([{ groupId: GROUP, username: 'both@example.com', roles: ['GROUP_READ_ONLY'] }]);
    sandbox.seed([
      { api: 'cloud-users', groupId: GROUP, username: 'Both@example.com', roles: ['GROUP_OWNER'] },
    ]);
    const results = sandbox.accept(GROUP, 'both@example.com');
    expect(results.map((r) => r.api).sort()).toEqual(['cloud-users', 'invites', 'ops-manager']);
    expect(sandbox.invitations('atlas')).toEqual([]);
    expect(sandbox.invitations('ops-manager')).toEqual([]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([
      { orgMembershipStatus: 'ACTIVE', roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] },
    ]);
    expect(sandbox.members(GROUP)).toMatchObject([
      { username: 'both@example.com', roles: ['GROUP_READ_ONLY'] },
    ]);
    expect(() => sandbox.accept(GROUP, 'both@example.com')).toThrow(
      /No pending invitation for both@example.com/,
    );
  });

  it('accepted Ops Manager invitations are members: listed in a results envelope, removable with DELETE', async () => {
    sandbox.seed([
      { target: 'ops-manager', groupId: GROUP, username: 'm@example.com', roles: ['GROUP_OWNER'] },
    ]);
    expect((await ops(sandbox, 'GET', '/users')).json).toMatchObject({ results: [], totalCount: 0 });
    const [result] = sandbox.accept(GROUP, 'm@example.com', 'ops-manager');
    const listed = (await ops(sandbox, 'GET', '/users')).json as {
      results: { id: string }[];
      totalCount: number;
    };
    expect(listed).toMatchObject({
      totalCount: 1,
      results: [
        {
          id: result?.memberId,
          username: 'm@example.com',
          roles: [{ groupId: GROUP, roleName: 'GROUP_OWNER' }],
        },
      ],
    });
    expect((await ops(sandbox, 'GET', '/invites')).json).toEqual([]);
    expect((await ops(sandbox, 'DELETE', `/users/${result?.memberId ?? ''}`)).status).toBe(204);
    const again = await ops(sandbox, 'DELETE', `/users/${result?.memberId ?? ''}`);
    expect(again.status).toBe(404);
    expect(again.json).toMatchObject({ error: 404, errorCode: 'USER_NOT_IN_GROUP' });
    expect(sandbox.members()).toEqual([]);
  });

  it('expire: invites-API invitations disappear; Cloud Users ones become INVITATION_EXPIRED', async () => {
    sandbox.seed([
      { target: 'atlas', groupId: GROUP, username: 'e@example.com', roles: ['R'] },
      { api: 'cloud-users', groupId: GROUP, username: 'e@example.com', roles: ['R'] },
    ]);
    const results = sandbox.expire(GROUP, 'e@example.com');
    expect(results.map((r) => r.api).sort()).toEqual(['cloud-users', 'invites']);
    const list = await callJson(`${sandbox.url}${atlasInvites}`, TOKEN, { accept: ATLAS_ACCEPT });
    expect(list.json).toEqual([]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ orgMembershipStatus: 'INVITATION_EXPIRED' }]);
    const users = await callJson(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/users`, TOKEN);
    expect((users.json as { results: unknown[] }).results).toEqual([]);
  });

  it('POST /_sandbox/accept and /_sandbox/expire switch over HTTP; nothing pending is 404; bad bodies 400', async () => {
    sandbox.seed([{ api: 'cloud-users', groupId: GROUP, username: 'h@example.com', roles: ['R'] }]);
    const post = (name: string, body: unknown) =>
      fetch(`${sandbox.url}/_sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) });
    const accepted = await post('accept', { groupId: GROUP, username: 'h@example.com', api: 'cloud-users' });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({
      results: [{ api: 'cloud-users', username: 'h@example.com' }],
    });
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ orgMembershipStatus: 'ACTIVE' }]);
    expect((await post('expire', { groupId: GROUP, username: 'h@example.com' })).status).toBe(404);
    expect((await post('accept', { groupId: GROUP, username: 'h@example.com', api: 'mail' })).status).toBe(
      400,
    );
    expect((await post('expire', { groupId: GROUP })).status).toBe(400);
    const all = (await (await fetch(`${sandbox.url}/_sandbox/invitations`)).json()) as Record<
      string,
      unknown[]
    >;
    expect(Object.keys(all).sort()).toEqual(['atlas', 'cloud-users', 'members', 'ops-manager']);
    expect(all['cloud-users']).toHaveLength(1);
  });

  it('bypassInvitationMode: an Ops Manager POST adds the member and returns no invitation', async () => {
    const bypass = await Sandbox.start({ credentials: { apiKeys: [KEY] }, bypassInvitationMode: true });
    try {
      const res = await ops(bypass, 'POST', '/invites', {
        username: 'direct@example.com',
        roles: ['GROUP_OWNER'],
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({});
      expect(bypass.invitations('ops-manager')).toEqual([]);
      expect(bypass.members(GROUP)).toMatchObject([
        { username: 'direct@example.com', roles: ['GROUP_OWNER'] },
      ]);
      const listed = (await ops(bypass, 'GET', '/users')).json as { results: { username: string }[] };
      expect(listed.results.map((u) => u.username)).toEqual(['direct@example.com']);
    } finally {
      await bypass.stop();
    }
  });
});
