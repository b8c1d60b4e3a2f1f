// #11 - `mongodb-invitations audit` against the sandbox: stacks synthesized by the real construct, the
// server seeded through the sandbox's API; run in-process. Terraform itself: test/e2e/audit.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../lib/sandbox/server';
import { audit, AuditApp, ENV, kinds, objectId, startSandbox } from './audit-fixture';

let sandbox: Sandbox;
let app: AuditApp;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.stop());
beforeEach(() => {
  app = new AuditApp(sandbox);
});
afterEach(() => app.cleanup());

const RO = ['GROUP_READ_ONLY'];
const methods = (from: number) => [...new Set(sandbox.log.slice(from).map((e) => e.method))];

/** Declares ana (pending on Cloud Users) and bo (invites API) in a new Atlas project, in sync. */
function atlasProject() {
  const groupId = objectId();
  sandbox.seed([
    { groupId, username: 'ana@example.com', roles: RO, api: 'cloud-users' },
    { groupId, username: 'bo@example.com', roles: ['GROUP_OWNER'], api: 'invites' },
  ]);
  const invitations = [
    { groupId, username: 'Ana@example.com', roles: RO },
    { groupId, username: 'bo@example.com', roles: ['GROUP_OWNER'] },
  ];
  return { groupId, invitations };
}

describe('audit, Atlas', () => {
  it('exits 0 with --exit-code when code and server agree, sending only GETs', async () => {
    const { invitations } = atlasProject();
    app.synth({ main: [{ invitations }] });
    const mark = sandbox.log.length;
    const human = await audit(['--exit-code'], app.root);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^✔ audit: 1 project, 2 declared entries: 0 undeclared, .*2 ok\n$/m);
    expect(human.stderr).not.toMatch(/^✖/m);
    const json = await audit(['--json', '--exit-code'], app.root);
    expect(kinds(json)).toEqual(['ok ana@example.com cloud-users', 'ok bo@example.com invites']);
    expect(methods(mark)).toEqual(['GET']);
  });

  it('reports people invited outside the code on each API as undeclared (exit 3), --adopt writes them', async () => {
    const { groupId, invitations } = atlasProject();
    app.synth({ main: [{ invitations }] });
    sandbox.seed([
      { groupId, username: 'Eve@Example.com', roles: ['GROUP_OWNER'], api: 'cloud-users' },
      { groupId, username: 'mal@example.com', roles: RO, api: 'invites' },
    ]);
    const mark = sandbox.log.length;
    const result = await audit(['--json', '--exit-code', '--adopt', 'adopted.json'], app.root);
    expect(result.code).toBe(3);
    expect(kinds(result)).toEqual([
      'ok ana@example.com cloud-users',
      'ok bo@example.com invites',
      'undeclared eve@example.com cloud-users',
      'undeclared mal@example.com invites',
    ]);
    const mal = result.json.find((o) => o.username === 'mal@example.com');
    expect(mal).toMatchObject({ target: 'atlas', baseUrl: sandbox.url, groupId, roles: RO });
    expect(mal?.invitationId).toMatch(/^[a-f0-9]{24}$/);
    expect(mal?.expiresAt).toEqual(expect.any(String));
    expect(result.json.find((o) => o.username === 'eve@example.com')?.userId).toMatch(/^[a-f0-9]{24}$/);
    expect(JSON.parse(readFileSync(join(app.root, 'adopted.json'), 'utf8'))).toEqual([
      { groupId, username: 'eve@example.com', roles: ['GROUP_OWNER'] },
      { groupId, username: 'mal@example.com', roles: RO },
    ]);
    expect(methods(mark)).toEqual(['GET']);
    // Without --exit-code, findings exit 0; the human lines name them.
    const human = await audit([], app.root);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n').filter((l) => l.startsWith('undeclared'))).toHaveLength(2);
  });

  it('says not-pending with the address to replace for an expired invitation, accepted for a member', async () => {
    const { groupId, invitations } = atlasProject();
    app.synth({ main: [{ invitations }] });
    sandbox.expire(groupId, 'ana@example.com');
    sandbox.accept(groupId, 'bo@example.com');
    const result = await audit(['--json', '--exit-code'], app.root);
    expect(result.code).toBe(3);
    expect(kinds(result)).toEqual([
      'accepted bo@example.com cloud-users',
      'not-pending ana@example.com cloud-users',
    ]);
    const host = new URL(sandbox.url).host;
    expect(result.json.find((o) => o.finding === 'not-pending')).toMatchObject({
      roles: RO,
      stack: 'main',
      address: `terraform_data.mongodb_invitation_roles["${host}/${groupId}/ana@example.com"]`,
    });
    const human = await audit([], app.root);
    expect(human.stdout).toContain(
      `fix: terraform apply -replace='terraform_data.mongodb_invitation_roles["${host}/${groupId}/ana@example.com"]'`,
    );
  });

  it('reports a pending invitation with other roles than declared as roles-differ (exit 3)', async () => {
    const { groupId, invitations } = atlasProject();
    app.synth({
      main: [
        { invitations: [...invitations.slice(0, 1), { groupId, username: 'bo@example.com', roles: RO }] },
      ],
    });
    const result = await audit(['--json', '--exit-code'], app.root);
    expect(result.code).toBe(3);
    expect(result.json.find((o) => o.username === 'bo@example.com')).toMatchObject({
      finding: 'roles-differ',
      roles: ['GROUP_OWNER'],
      declaredRoles: RO,
    });
  });

  it('matches id entries by invitation id: pending is ok, gone is not-pending', async () => {
    const groupId = objectId();
    const [kept, gone] = [objectId(), objectId()];
    sandbox.seed([{ groupId, id: kept, username: 'kept@example.com', roles: RO, target: 'atlas' }]);
    app.synth({
      main: [
        {
          invitations: [
            { groupId, invitationId: kept },
            { groupId, invitationId: gone },
          ],
        },
      ],
    });
    const result = await audit(['--json'], app.root);
    expect(result.code).toBe(0);
    expect(kinds(result)).toEqual([`not-pending ${gone} invites`, 'ok kept@example.com invites']);
    const human = await audit([], app.root);
    expect(human.stdout).toMatch(
      /^not-pending .*gone: remove terraform_data\.mongodb_invitation_roles\[.*from the code$/m,
    );
  });

  it('--prune without --yes sends no DELETE; --prune --yes cancels exactly the undeclared ones', async () => {
    const { groupId, invitations } = atlasProject();
    app.synth({ main: [{ invitations }] });
    sandbox.seed([
      { groupId, username: 'eve@example.com', roles: RO, api: 'cloud-users' },
      { groupId, username: 'mal@example.com', roles: RO, api: 'invites' },
    ]);
    sandbox.expire(groupId, 'ana@example.com'); // declared and not pending: never touched by prune
    let mark = sandbox.log.length;
    const dry = await audit(['--prune', '--exit-code'], app.root);
    expect(dry.code).toBe(0);
    expect(dry.stderr.match(/would cancel/g)).toHaveLength(2);
    expect(methods(mark)).toEqual(['GET']);

    mark = sandbox.log.length;
    const real = await audit(['--prune', '--yes', '--json'], app.root);
    expect(real.code).toBe(0);
    expect(
      real.json
        .filter((o) => o.prune === 'cancelled')
        .map((o) => o.username)
        .sort(),
    ).toEqual(['eve@example.com', 'mal@example.com']);
    const deletes = sandbox.log.slice(mark).filter((e) => e.method === 'DELETE' && e.status === 204);
    expect(deletes).toHaveLength(2);
    expect(
      sandbox
        .cloudUsers(groupId)
        .map((u) => [u.username, u.orgMembershipStatus])
        .sort(),
    ).toEqual([['ana@example.com', 'INVITATION_EXPIRED']]);
    expect(sandbox.invitations('atlas', groupId).map((i) => i.username)).toEqual(['bo@example.com']);
    const after = await audit(['--json', '--exit-code'], app.root);
    expect(kinds(after)).toEqual(['not-pending ana@example.com cloud-users', 'ok bo@example.com invites']);
  });

  it('exits 1 when a request fails, and still reports the other projects', async () => {
    const one = atlasProject();
    const two = atlasProject();
    app.synth({ main: [{ invitations: [...one.invitations, ...two.invitations] }] });
    sandbox.faults.add({
      kind: 'status',
      status: 500,
      path: `/api/atlas/v2/groups/${two.groupId}/invites`,
      times: 'always',
    });
    try {
      const result = await audit(['--json', '--exit-code'], app.root);
      expect(result.code).toBe(1);
      expect(kinds(result)).toEqual(['ok ana@example.com cloud-users', 'ok bo@example.com invites']);
      expect(result.json.find((o) => o.outcome === 'error')).toMatchObject({
        command: 'audit',
        exitCode: 1,
        status: 500,
      });
      expect(result.stderr).toContain(`project ${two.groupId} at ${sandbox.url} was not read`);
    } finally {
      sandbox.faults.clear();
    }
  });

  it('reads credentials only from the variables the entries name: unset → exit 2, nothing sent', async () => {
    const { invitations } = atlasProject();
    app.synth({ main: [{ invitations }] });
    const mark = sandbox.log.length;
    const env = { ...ENV, AUDIT_PRIVATE: '' };
    const result = await audit([], app.root, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AUDIT_PUBLIC is set but AUDIT_PRIVATE is not/);
    expect(sandbox.log.length).toBe(mark);
    // The default variables hold keys the sandbox refuses: were they read, the runs above would fail.
  });
});

describe('audit, Ops Manager', () => {
  it('reports, adopts and prunes undeclared invitations; not-pending and accepted as on Atlas', async () => {
    const groupId = objectId();
    sandbox.seed([
      { groupId, username: 'ana@example.com', roles: RO, api: 'ops-manager' },
      { groupId, username: 'bo@example.com', roles: RO, api: 'ops-manager' },
      { groupId, username: 'cy@example.com', roles: RO, api: 'ops-manager' },
      { groupId, username: 'eve@example.com', roles: ['GROUP_OWNER'], api: 'ops-manager' },
    ]);
    const people = ['ana', 'bo', 'cy', 'dee'].map((n) => ({
      groupId,
      username: `${n}@example.com`,
      roles: RO,
    }));
    app.synth({ ops: [{ target: 'ops-manager', invitations: people }] });
    sandbox.accept(groupId, 'bo@example.com');
    sandbox.expire(groupId, 'cy@example.com');
    const result = await audit(['--json', '--exit-code', '--adopt', 'ops.json'], app.root);
    expect(result.code).toBe(3);
    expect(kinds(result)).toEqual([
      'accepted bo@example.com ops-manager',
      'not-pending cy@example.com ops-manager',
      'not-pending dee@example.com ops-manager',
      'ok ana@example.com ops-manager',
      'undeclared eve@example.com ops-manager',
    ]);
    const host = new URL(sandbox.url).host;
    expect(result.json.find((o) => o.username === 'dee@example.com')?.address).toBe(
      `terraform_data.mongodb_invitation_roles["${host}/${groupId}/dee@example.com"]`,
    );
    expect(JSON.parse(readFileSync(join(app.root, 'ops.json'), 'utf8'))).toEqual([
      { groupId, username: 'eve@example.com', roles: ['GROUP_OWNER'] },
    ]);
    const pruned = await audit(['--prune', '--yes', '--exit-code'], app.root);
    expect(pruned.stderr).toMatch(/✔ cancelled: eve@example\.com \(ops-manager [a-f0-9]{24}, GROUP_OWNER\)/);
    expect(pruned.code).toBe(3); // the not-pending ones remain
    expect(sandbox.invitations('ops-manager', groupId).map((i) => i.username)).toEqual(['ana@example.com']);
  });
});
