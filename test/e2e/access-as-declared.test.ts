// Access changes exactly as declared, proven with real Terraform against the in-process sandbox: a role
// change replaces only the roles instance and sets the roles in place on whichever API holds the person
// (no cancel, no member removed, no new invitation, same id); removing a person whose last invite failed
// after its POST landed still revokes (the identity instance is never tainted); destroy revokes everyone.
import { expectSuccess } from '../helpers/terraform';
import { terraformSuite } from '../helpers/e2e';
import { caseExactUsernameFilter, sandboxProxy, type SandboxProxy } from '../helpers/sandbox-proxy';
import {
  creations,
  deletions,
  newPeopleCase,
  objectId,
  pendingCloudUsers,
  pendingInvites,
  sandboxOptions,
  since,
} from './people-case';

const { itIf, have, sandbox, workspaces } = terraformSuite(
  __filename,
  sandboxOptions({ invitationRateLimit: 'off' }),
);

// A second sandbox behind a proxy whose `username=` filter is case-exact, as some servers' is.
let exact: SandboxProxy | undefined;
beforeAll(async () => {
  if (!have) return;
  exact = await sandboxProxy(
    caseExactUsernameFilter(() => (exact as SandboxProxy).sandbox),
    sandboxOptions({ invitationRateLimit: 'off' }),
  );
});
afterAll(async () => {
  await exact?.stop();
});

const READ = ['GROUP_READ_ONLY'];
const OWNER = ['GROUP_OWNER'];
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

/** Requests that change something (not GETs, not the Digest challenge, not the token endpoint). */
const writes = (entries: ReturnType<typeof since>, groupId: string) =>
  entries.filter(
    (e) => e.method !== 'GET' && e.groupId === groupId && e.status !== 401 && e.authScheme !== 'none',
  );

describe('access changes exactly as declared, with real Terraform', () => {
  itIf(
    'on a server whose username filter is case-exact, the invite finds Ana@Example.com pending and the removal cancels her',
    async () => {
      const proxy = exact as SandboxProxy;
      const c = newPeopleCase(proxy.sandbox, workspaces, proxy.url);
      const g = objectId();
      // Invited in the UI with capitals, on both Atlas APIs.
      proxy.sandbox.seed([
        { groupId: g, username: 'Ana@Example.com', roles: READ, api: 'cloud-users' },
        { groupId: g, username: 'Ana@Example.com', roles: READ, api: 'invites' },
      ]);
      c.declare({ entries: [{ groupId: g, username: 'ana@example.com', roles: READ }] });
      let mark = proxy.sandbox.log.length;
      const applied = await c.ws.apply();
      expectSuccess(applied, 'terraform apply');
      expect(creations(since(proxy.sandbox, mark), g)).toEqual([]);
      expect(output(applied)).toContain('already invited with these roles (nothing sent)');

      const ids = [
        ...proxy.sandbox.cloudUsers(g).map((u) => u.id),
        ...proxy.sandbox.invitations('atlas', g).map((i) => i.id),
      ];
      expect(ids).toHaveLength(2);
      c.declare({ entries: [] });
      mark = proxy.sandbox.log.length;
      const removed = await c.ws.apply();
      expectSuccess(removed, 'terraform apply (ana removed)');
      const cancelled = deletions(since(proxy.sandbox, mark), g).map((e) => [
        e.userId ?? e.invitationId,
        e.status,
      ]);
      expect(cancelled.sort()).toEqual(ids.map((id) => [id, 204]).sort());
      expect(proxy.sandbox.cloudUsers(g)).toEqual([]);
      expect(proxy.sandbox.invitations('atlas', g)).toEqual([]);
    },
  );

  itIf(
    'promoting an accepted member with removeAcceptedMembers keeps the member: same user, new roles, nothing removed',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      const props = { removeAcceptedMembers: true };
      c.declare({ entries: [{ groupId: g, username: 'lead@example.com', roles: READ }], props });
      expectSuccess(await c.ws.apply(), 'terraform apply');
      const [accepted] = sandbox.accept(g, 'lead@example.com');
      const memberId = accepted?.memberId;

      c.declare({ entries: [{ groupId: g, username: 'lead@example.com', roles: OWNER }], props });
      const plan = await c.ws.plan();
      expectSuccess(plan, 'terraform plan (promotion)');
      expect(plan.stdout).toContain(`# ${c.rolesAddress(g, 'lead@example.com')} must be replaced`);
      expect(plan.stdout).not.toContain(`# ${c.address(g, 'lead@example.com')}`);
      expect(plan.stdout).toMatch(/"GROUP_READ_ONLY" -> "GROUP_OWNER"/);

      const mark = sandbox.log.length;
      const applied = await c.ws.apply();
      expectSuccess(applied, 'terraform apply (promotion)');
      const sent = since(sandbox, mark);
      expect(deletions(sent, g)).toEqual([]);
      expect(creations(sent, g)).toEqual([]);
      expect(writes(sent, g).map((e) => [e.method, e.path.replace(/.*\/users\//, '')])).toEqual([
        ['POST', `${memberId}:addRole`],
        ['POST', `${memberId}:removeRole`],
      ]);
      expect(output(applied)).not.toMatch(/removed from the project|cancelled/);
      expect(sandbox.cloudUsers(g).map((u) => [u.id, u.orgMembershipStatus, [...u.roles]])).toEqual([
        [memberId, 'ACTIVE', OWNER],
      ]);
      const again = await c.ws.plan();
      expect(again.stdout).toContain('No changes.');
    },
  );

  itIf(
    'a role change on the invites API and on Ops Manager is one PATCH of the same invitation',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const [ga, go] = [objectId(), objectId()];
      const invitesBlock = { id: 'atlas-invites', target: c.atlas({ api: 'invites' }) };
      const opsBlock = { id: 'ops', target: c.opsManager() };
      const declare = (roles: string[]) =>
        c.declare(
          { ...invitesBlock, entries: [{ groupId: ga, username: 'ana@example.com', roles }] },
          { ...opsBlock, entries: [{ groupId: go, username: 'ana@example.com', roles }] },
        );
      declare(READ);
      expectSuccess(await c.ws.apply(), 'terraform apply');
      const ids = [ga, go].map((g, i) => sandbox.invitations(i === 0 ? 'atlas' : 'ops-manager', g)[0]?.id);

      declare(OWNER);
      const mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(), 'terraform apply (roles changed)');
      const sent = since(sandbox, mark);
      for (const [i, g] of [ga, go].entries()) {
        expect(writes(sent, g).map((e) => [e.method, e.invitationId, e.status])).toEqual([
          ['PATCH', ids[i], 200],
        ]);
      }
      expect(pendingInvites(sandbox, 'atlas', ga)).toEqual([['ana@example.com', 'GROUP_OWNER']]);
      expect(pendingInvites(sandbox, 'ops-manager', go)).toEqual([['ana@example.com', 'GROUP_OWNER']]);
      expect(sandbox.invitations('atlas', ga).map((i) => i.id)).toEqual([ids[0]]);
      expect(sandbox.invitations('ops-manager', go).map((i) => i.id)).toEqual([ids[1]]);
    },
  );

  itIf(
    'removing a person whose invite failed after its POST landed still cancels the invitation',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      c.declare({
        entries: [{ groupId: g, username: 'ana@example.com', roles: READ }],
        props: { maxRetries: 0, timeoutMs: 1000 },
      });
      const path = `/api/atlas/v2/groups/${g}/users`;
      // The POST lands after the client gave up waiting for it: the invite fails, the person is pending.
      sandbox.faults.add({ method: 'POST', path, kind: 'delay', ms: 2500 });
      const landed = new Promise<void>((resolve) => {
        const stop = sandbox.onRequest((e) => {
          if (e.method === 'POST' && e.path === path) {
            stop();
            resolve();
          }
        });
      });
      const failed = await c.ws.apply();
      expect(failed.code).not.toBe(0);
      await landed;
      const roles = await c.ws.terraform(['state', 'show', c.rolesAddress(g, 'ana@example.com')]);
      expect(roles.stdout).toMatch(/tainted/);
      const identity = await c.ws.terraform(['state', 'show', c.address(g, 'ana@example.com')]);
      expect(identity.stdout).not.toMatch(/tainted/);
      const userId = sandbox.cloudUsers(g)[0]?.id;
      expect(pendingCloudUsers(sandbox, g)).toEqual({ 'ana@example.com': 'GROUP_READ_ONLY' });

      c.declare({ entries: [], props: { maxRetries: 0, timeoutMs: 1000 } });
      const plan = await c.ws.plan();
      expectSuccess(plan, 'terraform plan (ana removed)');
      expect(plan.stdout).toContain(`# ${c.address(g, 'ana@example.com')} will be destroyed`);
      const mark = sandbox.log.length;
      const applied = await c.ws.apply();
      expectSuccess(applied, 'terraform apply (ana removed)');
      expect(deletions(since(sandbox, mark), g).map((e) => [e.userId, e.status])).toEqual([[userId, 204]]);
      expect(output(applied)).toContain(`ana@example.com in project ${g}: pending invitation cancelled`);
      expect(sandbox.cloudUsers(g)).toEqual([]);
      expect(await c.ws.stateList()).toEqual([]);
    },
  );

  itIf(
    "-replace of a person's identity instance revokes and then invites again: never a revoke alone",
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      c.declare({ entries: [{ groupId: g, username: 'ana@example.com', roles: READ }] });
      expectSuccess(await c.ws.apply(), 'terraform apply');
      const before = sandbox.cloudUsers(g)[0]?.id;
      const plan = await c.ws.terraform(['plan', `-replace=${c.address(g, 'ana@example.com')}`]);
      expectSuccess(plan, 'terraform plan -replace');
      expect(plan.stdout).toContain(`# ${c.rolesAddress(g, 'ana@example.com')} must be replaced`);
      const mark = sandbox.log.length;
      const applied = await c.ws.apply([`-replace=${c.address(g, 'ana@example.com')}`]);
      expectSuccess(applied, 'terraform apply -replace (identity)');
      const sent = since(sandbox, mark);
      expect(deletions(sent, g).map((e) => [e.userId, e.status])).toEqual([[before, 204]]);
      expect(creations(sent, g).map((e) => e.status)).toEqual([201]);
      // The revoke ran before the invite: she is pending again, once.
      expect(pendingCloudUsers(sandbox, g)).toEqual({ 'ana@example.com': 'GROUP_READ_ONLY' });
      const again = await c.ws.plan();
      expect(again.stdout).toContain('No changes.');
    },
  );

  itIf('terraform destroy revokes every declared person, and invites nobody', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    const people = ['ana@example.com', 'bo@example.com', 'cy@example.com'];
    c.declare({ entries: people.map((username) => ({ groupId: g, username, roles: READ })) });
    expectSuccess(await c.ws.apply(), 'terraform apply');
    const mark = sandbox.log.length;
    expectSuccess(await c.ws.destroy(), 'terraform destroy');
    const sent = since(sandbox, mark);
    expect(deletions(sent, g).map((e) => e.status)).toEqual([204, 204, 204]);
    expect(creations(sent, g)).toEqual([]);
    expect(sandbox.cloudUsers(g)).toEqual([]);
    expect(await c.ws.stateList()).toEqual([]);
  });
});
