// The Atlas Cloud Users API (2025-02-19): create, list (filters, pagination), get, delete, roles, the
// 409/replace rule, validation, the version and its headers, and its separation from the invites API.
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, callJson, CLOUD_USERS_ACCEPT, GROUP } from './helpers';

const TOKEN = 'token-cloud-users';
const DAY = 24 * 3600 * 1000;

interface User {
  id: string;
  username: string;
  roles: string[];
  orgMembershipStatus: string;
  invitationExpiresAt?: string | null;
}

describe('sandbox Cloud Users API', () => {
  let sandbox: Sandbox;
  let clock = Date.parse('2026-08-10T03:04:53Z');
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      credentials: { accessTokens: [TOKEN] },
      now: () => clock,
      invitationRateLimit: 'off',
    });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.reset();
    clock = Date.parse('2026-08-10T03:04:53Z');
  });

  const users = () => `${sandbox.url}/api/atlas/v2/groups/${GROUP}/users`;
  const add = (username: string, roles: unknown = ['GROUP_READ_ONLY']) =>
    callJson(users(), TOKEN, { method: 'POST', body: { username, roles } });

  it('creates a PENDING user: 201, the 2025-02-19 content type, no Deprecation or Sunset', async () => {
    const { res, json } = await add('ana@example.com', ['GROUP_READ_ONLY', 'GROUP_OWNER']);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/vnd.atlas.2025-02-19+json;charset=utf-8');
    expect(res.headers.get('deprecation')).toBeNull();
    expect(res.headers.get('sunset')).toBeNull();
    expect(json).toEqual({
      id: expect.stringMatching(/^[a-f0-9]{24}$/) as unknown,
      invitationCreatedAt: '2026-08-10T03:04:53Z',
      invitationExpiresAt: '2026-09-09T03:04:53Z',
      inviterUsername: expect.stringContaining('@') as unknown,
      orgMembershipStatus: 'PENDING',
      roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'],
      username: 'ana@example.com',
    });
    const { id } = json as User;
    const got = await callJson(`${users()}/${id}`, TOKEN);
    expect(got.res.status).toBe(200);
    expect(got.json).toEqual(json);
  });

  it('answers 409 while a PENDING or ACTIVE user has that username, and replaces an expired one', async () => {
    const first = (await add('bo@example.com')).json as User;
    const again = await add('BO@example.com');
    expect(again.res.status).toBe(409);
    expect(again.json).toMatchObject({ error: 409, errorCode: 'USER_ALREADY_IN_GROUP' });
    expect(again.res.headers.get('content-type')).toBe('application/json');
    sandbox.accept(GROUP, 'bo@example.com');
    expect((await add('bo@example.com')).res.status).toBe(409);
    await callJson(`${users()}/${first.id}`, TOKEN, { method: 'DELETE' });
    const second = (await add('bo@example.com')).json as User;
    clock += 30 * DAY;
    const expired = await callJson(`${users()}/${second.id}?orgMembershipStatuses=INVITATION_EXPIRED`, TOKEN);
    expect((expired.json as User).orgMembershipStatus).toBe('INVITATION_EXPIRED');
    const replaced = await add('bo@example.com', ['GROUP_OWNER']);
    expect(replaced.res.status).toBe(201);
    expect((replaced.json as User).id).not.toBe(second.id);
    expect(sandbox.cloudUsers(GROUP).map((u) => u.orgMembershipStatus)).toEqual(['PENDING']);
  });

  it('refuses bad bodies with 400 ApiError naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ username: 'a@example.com' }, 'roles'],
      [{ username: 'a@example.com', roles: [] }, 'roles'],
      [{ username: 'a@example.com', roles: ['R', 'R'] }, 'roles'],
      [{ username: 'not-an-email', roles: ['R'] }, 'username'],
      [{ roles: ['R'] }, 'username'],
    ];
    for (const [body, field] of cases) {
      const res = await callJson(users(), TOKEN, { method: 'POST', body });
      expect([body, res.res.status]).toEqual([body, 400]);
      expect(res.json).toMatchObject({ error: 400, errorCode: 'VALIDATION_ERROR' });
      const fields = (res.json as { badRequestDetail: { fields: { field: string }[] } }).badRequestDetail
        .fields;
      expect(fields.map((f) => f.field)).toContain(field);
    }
    const notJson = await callJson(users(), TOKEN, { method: 'POST', body: 'nope' });
    expect(notJson.json).toMatchObject({ error: 400, errorCode: 'INVALID_JSON' });
    expect(sandbox.cloudUsers()).toEqual([]);
  });

  it('answers 406 for any other Accept version', async () => {
    for (const accept of [ATLAS_ACCEPT, 'application/json', '*/*', 'application/vnd.atlas.2024-08-05+json']) {
      const res = await callJson(users(), TOKEN, { accept });
      expect([accept, res.res.status]).toEqual([accept, 406]);
      expect(res.json).toMatchObject({ errorCode: 'INVALID_VERSION_DATE' });
    }
    const ok = await callJson(users(), TOKEN, { accept: `${CLOUD_USERS_ACCEPT};charset=utf-8` });
    expect(ok.res.status).toBe(200);
  });

  it('lists ACTIVE and PENDING by default; filters by username and repeatable orgMembershipStatuses', async () => {
    await add('p@example.com');
    await add('a@example.com');
    await add('e@example.com');
    sandbox.accept(GROUP, 'a@example.com', 'cloud-users');
    sandbox.expire(GROUP, 'e@example.com', 'cloud-users');
    const names = async (query: string) =>
      ((await callJson(`${users()}${query}`, TOKEN)).json as { results: User[] }).results.map(
        (u) => u.username,
      );
    expect(await names('')).toEqual(['p@example.com', 'a@example.com']);
    expect(await names('?username=P@example.com')).toEqual(['p@example.com']);
    expect(await names('?orgMembershipStatuses=INVITATION_EXPIRED')).toEqual(['e@example.com']);
    expect(await names('?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=INVITATION_EXPIRED')).toEqual([
      'a@example.com',
      'e@example.com',
    ]);
    expect(await names('?orgMembershipStatus=PENDING')).toEqual(['p@example.com']);
    const bad = await callJson(`${users()}?orgMembershipStatuses=GONE`, TOKEN);
    expect(bad.res.status).toBe(400);
    const both = await callJson(`${users()}?orgMembershipStatuses=ACTIVE&orgMembershipStatus=ACTIVE`, TOKEN);
    expect(both.res.status).toBe(400);
  });

  it('paginates: itemsPerPage (max 500), pageNum, includeCount, self/next/previous links', async () => {
    for (let i = 0; i < 5; i++) await add(`u${i}@example.com`);
    const page = await callJson(`${users()}?itemsPerPage=2&pageNum=2`, TOKEN);
    const body = page.json as { results: User[]; totalCount: number; links: { rel: string; href: string }[] };
    expect(body.results.map((u) => u.username)).toEqual(['u2@example.com', 'u3@example.com']);
    expect(body.totalCount).toBe(5);
    expect(body.links.map((l) => l.rel)).toEqual(['previous', 'self', 'next']);
    expect(body.links[1]?.href).toBe(`${users()}?pageNum=2&itemsPerPage=2`);
    const noCount = (await callJson(`${users()}?includeCount=false`, TOKEN)).json as object;
    expect(noCount).not.toHaveProperty('totalCount');
    expect((noCount as { results: unknown[] }).results).toHaveLength(5);
    for (const query of [
      'itemsPerPage=501',
      'itemsPerPage=0',
      'pageNum=0',
      'pageNum=x',
      'includeCount=yes',
    ]) {
      expect([query, (await callJson(`${users()}?${query}`, TOKEN)).res.status]).toEqual([query, 400]);
    }
    expect((await callJson(`${users()}?itemsPerPage=500`, TOKEN)).res.status).toBe(200);
  });

  it('deletes a user (204) and answers 404 ApiError for a missing one; 400 for a malformed id', async () => {
    const { id } = (await add('d@example.com')).json as User;
    const del = await callJson(`${users()}/${id}`, TOKEN, { method: 'DELETE' });
    expect(del.res.status).toBe(204);
    expect(del.text).toBe('');
    for (const method of ['GET', 'DELETE']) {
      const again = await callJson(`${users()}/${id}`, TOKEN, { method });
      expect(again.res.status).toBe(404);
      expect(again.json).toMatchObject({ error: 404, errorCode: 'USER_NOT_FOUND' });
      expect(again.res.headers.get('x-error-code')).toBe('USER_NOT_FOUND');
    }
    expect((await callJson(`${users()}/nope`, TOKEN)).res.status).toBe(400);
  });

  it('adds and removes roles with {groupRole}; the last role cannot be removed (409)', async () => {
    const { id } = (await add('r@example.com', ['GROUP_READ_ONLY'])).json as User;
    const role = (action: string, groupRole: unknown) =>
      callJson(`${users()}/${id}:${action}`, TOKEN, { method: 'POST', body: { groupRole } });
    const added = await role('addRole', 'GROUP_OWNER');
    expect(added.res.status).toBe(200);
    expect((added.json as User).roles).toEqual(['GROUP_READ_ONLY', 'GROUP_OWNER']);
    expect(((await role('addRole', 'GROUP_OWNER')).json as User).roles).toHaveLength(2);
    const removed = await role('removeRole', 'GROUP_READ_ONLY');
    expect((removed.json as User).roles).toEqual(['GROUP_OWNER']);
    const last = await role('removeRole', 'GROUP_OWNER');
    expect(last.res.status).toBe(409);
    expect(last.json).toMatchObject({ error: 409, errorCode: 'CANNOT_REMOVE_LAST_ROLE' });
    expect((await role('addRole', '')).res.status).toBe(400);
    expect((await callJson(`${users()}/${id}:addRole`, TOKEN, { method: 'POST', body: {} })).res.status).toBe(
      400,
    );
    const other = '0123456789abcdef01234567';
    const missing = await callJson(`${users()}/${other}:addRole`, TOKEN, {
      method: 'POST',
      body: { groupRole: 'R' },
    });
    expect(missing.res.status).toBe(404);
    expect((await callJson(`${users()}/${id}:addRole`, TOKEN)).res.status).toBe(405);
  });

  it('keeps its pending users apart from the invites API, both ways', async () => {
    await add('apart@example.com');
    const invite = await callJson(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`, TOKEN, {
      method: 'POST',
      accept: ATLAS_ACCEPT,
      body: { username: 'other@example.com', roles: ['GROUP_READ_ONLY'] },
    });
    expect(invite.res.status).toBe(200);
    const invites = await callJson(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`, TOKEN, {
      accept: ATLAS_ACCEPT,
    });
    expect((invites.json as { username: string }[]).map((i) => i.username)).toEqual(['other@example.com']);
    const listed = (await callJson(users(), TOKEN)).json as { results: User[] };
    expect(listed.results.map((u) => u.username)).toEqual(['apart@example.com']);
    // The invites API's id is no Cloud Users id.
    const id = (invite.json as { id: string }).id;
    expect((await callJson(`${users()}/${id}`, TOKEN, { method: 'DELETE' })).res.status).toBe(404);
    // An accepted invites-API invitation is an ACTIVE project user, seen by Cloud Users.
    sandbox.accept(GROUP, 'other@example.com');
    const active = (await callJson(`${users()}?username=other@example.com`, TOKEN)).json as {
      results: User[];
    };
    expect(active.results).toMatchObject([{ orgMembershipStatus: 'ACTIVE', roles: ['GROUP_READ_ONLY'] }]);
  });

  it('logs the user id of …/users/{userId} requests', async () => {
    const { id } = (await add('log@example.com')).json as User;
    await callJson(`${users()}/${id}`, TOKEN);
    expect(sandbox.log.at(-1)).toMatchObject({ target: 'atlas', groupId: GROUP, userId: id, status: 200 });
  });
});
