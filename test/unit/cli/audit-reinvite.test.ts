// `audit --reinvite` invites again, with the declared roles, the declared people whose invitation expired,
// and nobody else: not the undeclared, not an adopted id, not a person declared twice. Against the sandbox,
// in-process.
import { mkdirSync } from 'node:fs';
import type { InvitationClient, PendingPerson } from '../../../lib/client/invitation-client';
import type { Finding } from '../../../lib/cli/audit/compare';
import { reinvite, type ReinviteTarget } from '../../../lib/cli/audit/reinvite';
import { Output } from '../../../lib/cli/output';
import type { Sandbox } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';
import { audit, AuditApp, kinds, objectId, startSandbox, type AuditRun } from './audit-fixture';

let sandbox: Sandbox;
let app: AuditApp;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  app = new AuditApp(sandbox);
});
afterEach(() => {
  sandbox.faults.clear();
  app.cleanup();
});

const RO = ['GROUP_READ_ONLY'];
const OWNER = ['GROUP_OWNER'];
const person = (groupId: string, name: string, roles = RO) => ({
  groupId,
  username: `${name}@example.com`,
  roles,
});
const pendingOf = (groupId: string) =>
  sandbox
    .cloudUsers(groupId)
    .filter((u) => u.orgMembershipStatus === 'PENDING')
    .map((u) => `${u.username} ${[...u.roles].sort().join(',')}`)
    .sort();
/** The requests sent since `mark` that change something. */
const writes = (mark: number) =>
  sandbox.log.slice(mark).filter((e) => e.method !== 'GET' && e.target !== 'oauth');
const reinvited = (r: AuditRun, outcome = 'invited') =>
  r.json
    .filter((o) => o.reinvite === outcome)
    .map((o) => o.username)
    .sort();

/** ana (read only) and bo (owner) declared in stack a and invited; eve invited by nobody; bo and eve expire. */
function expiredTeam(): string {
  const groupId = objectId();
  sandbox.seed([
    { ...person(groupId, 'ana'), api: 'cloud-users' as const },
    { ...person(groupId, 'bo', OWNER), api: 'cloud-users' as const },
    { ...person(groupId, 'eve'), api: 'cloud-users' as const },
  ]);
  sandbox.expire(groupId, 'bo@example.com');
  sandbox.expire(groupId, 'eve@example.com');
  app.synth({ a: [{ invitations: [person(groupId, 'ana'), person(groupId, 'bo', OWNER)] }] });
  return groupId;
}

describe('audit --reinvite, without --yes: a dry run', () => {
  it('names the expired declared person with the declared roles and sends nothing', async () => {
    const groupId = expiredTeam();
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite'], app.root);
    expect(result.code).toBe(0);
    expect(writes(mark)).toEqual([]);
    expect(result.stderr).toContain(
      `⚠ would invite again bo@example.com with GROUP_OWNER in project ${groupId} at ${sandbox.url} (stack a)`,
    );
    expect(result.stderr).toMatch(/--reinvite without --yes: nothing was sent; 1 would be invited again/);
    expect(result.stderr).not.toMatch(/eve@example\.com/);
    expect(pendingOf(groupId)).toEqual(['ana@example.com GROUP_READ_ONLY']);
  });

  it('exits 3 with --exit-code, and prints one would-invite object per person with --json', async () => {
    const groupId = expiredTeam();
    const result = await audit(['--reinvite', '--exit-code', '--json'], app.root);
    expect(result.code).toBe(3);
    expect(result.json.filter((o) => o.reinvite !== undefined)).toEqual([
      {
        reinvite: 'would-invite',
        target: 'atlas',
        baseUrl: sandbox.url,
        groupId,
        username: 'bo@example.com',
        roles: OWNER,
        api: 'cloud-users',
        address: `terraform_data.mongodb_invitation_roles["${new URL(sandbox.url).host}/${groupId}/bo@example.com"]`,
        stack: 'a',
      },
    ]);
  });
});

describe('audit --reinvite --yes', () => {
  it('invites exactly the expired declared person, with the declared roles; the undeclared stay untouched', async () => {
    const groupId = expiredTeam();
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite', '--yes', '--json', '--exit-code'], app.root);
    expect(result.code).toBe(0);
    expect(reinvited(result)).toEqual(['bo@example.com']);
    expect(writes(mark).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `POST /api/atlas/v2/groups/${groupId}/users 201`,
    ]);
    expect(pendingOf(groupId)).toEqual(['ana@example.com GROUP_READ_ONLY', 'bo@example.com GROUP_OWNER']);
    const eve = sandbox.cloudUsers(groupId).filter((u) => u.username === 'eve@example.com');
    expect(eve.map((u) => u.orgMembershipStatus)).not.toContain('PENDING');

    const human = await audit(['--exit-code'], app.root);
    expect([human.code, human.stdout]).toEqual([0, '']);
  });

  it('says what it did in one line per person', async () => {
    const groupId = expiredTeam();
    const result = await audit(['--reinvite', '--yes'], app.root);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(
        `^✔ invited again: bo@example\\.com with GROUP_OWNER in project ${groupId} at \\S+ \\[cloud-users, expires \\S+\\]$`,
        'm',
      ),
    );
  });

  it('uses the API the entry declares (the invites API)', async () => {
    const groupId = objectId();
    sandbox.seed([{ ...person(groupId, 'bo'), api: 'invites' as const }]);
    sandbox.expire(groupId, 'bo@example.com');
    app.synth({ a: [{ api: 'invites', invitations: [person(groupId, 'bo')] }] });
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite', '--yes', '--json'], app.root);
    expect(result.code).toBe(0);
    expect(writes(mark).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `POST /api/atlas/v2/groups/${groupId}/invites 200`,
    ]);
    expect(sandbox.invitations('atlas', groupId).map((i) => i.username)).toEqual(['bo@example.com']);
  });

  it('a failed invite exits 1 and its line says who was not invited', async () => {
    const groupId = expiredTeam();
    sandbox.faults.add({ method: 'POST', kind: 'status', status: 500, times: 'always' });
    const result = await audit(['--reinvite', '--yes', '--json'], app.root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^✖ .*500.*Hint: inviting bo@example\\.com with GROUP_OWNER in project ${groupId} .* again failed\\.$`,
        'm',
      ),
    );
    expect(reinvited(result, 'failed')).toEqual(['bo@example.com']);
    expect(pendingOf(groupId)).toEqual(['ana@example.com GROUP_READ_ONLY']);
  });
});

describe('audit --reinvite leaves alone', () => {
  it('an adopted id that is not pending: never reinvited, the line says to remove it and declare the person', async () => {
    const groupId = objectId();
    const invitationId = objectId();
    app.synth({ a: [{ api: 'invites', invitations: [{ groupId, invitationId }] }] });
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite', '--yes', '--json', '--exit-code'], app.root);
    expect(writes(mark)).toEqual([]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(
        `⚠ not invited again: adopted invitation ${invitationId} in project ${groupId} .* is not pending, and an invitation id cannot be sent again: remove terraform_data\\.mongodb_invitation_roles\\[.*\\] from the code \\(stack a\\), and declare the person by username and roles`,
      ),
    );
    expect(result.json.filter((o) => o.reinvite !== undefined)).toEqual([
      expect.objectContaining({ reinvite: 'not-reinvited', reason: 'adopted-id', invitationId }),
    ]);
  });

  it('a person declared by two stacks: a duplicate, never reinvited, the line says so', async () => {
    const groupId = objectId();
    // Two apps writing into one synth output (one app would refuse this at synth).
    app.synth({ a: [{ invitations: [person(groupId, 'bo')] }] });
    app.synth({ b: [{ invitations: [person(groupId, 'bo')] }] });
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite', '--yes', '--exit-code'], app.root);
    expect(writes(mark)).toEqual([]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `⚠ not invited again: bo@example.com in project ${groupId} at ${sandbox.url} is declared 2 times (stacks a, b): keep one declaration`,
    );
    expect(pendingOf(groupId)).toEqual([]);
  });

  it('a member (accepted) and a pending person', async () => {
    const groupId = objectId();
    sandbox.seed(['ana', 'bo'].map((n) => ({ ...person(groupId, n), api: 'cloud-users' as const })));
    sandbox.accept(groupId, 'bo@example.com');
    app.synth({ a: [{ invitations: [person(groupId, 'ana'), person(groupId, 'bo')] }] });
    const mark = sandbox.log.length;
    const result = await audit(['--reinvite', '--yes', '--json'], app.root);
    expect(result.code).toBe(0);
    expect(kinds(result)).toEqual(['accepted bo@example.com cloud-users', 'ok ana@example.com cloud-users']);
    expect(writes(mark)).toEqual([]);
    expect(result.stderr).toMatch(/^✔ --reinvite: nobody to invite again$/m);
  });
});

describe('audit --reinvite refuses, exit 2, nothing sent', () => {
  it('when a stack of the synth output was skipped as unreadable', async () => {
    expiredTeam();
    mkdirSync(app.stackDir('crashed'));
    for (const yes of [[], ['--yes']]) {
      const mark = sandbox.log.length;
      const result = await audit(['--reinvite', ...yes], app.root);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toMatch(/--reinvite refused, nothing was sent: 1 stack skipped above/);
      expect(sandbox.log.length).toBe(mark);
    }
  });

  it('with --prune or --adopt', async () => {
    expiredTeam();
    const mark = sandbox.log.length;
    for (const other of [['--prune'], ['--adopt', 'new.json']]) {
      const result = await audit(['--reinvite', '--yes', ...other], app.root);
      expect([result.code, result.stdout]).toEqual([2, '']);
      expect(result.stderr).toMatch(/go one at a time: choose one/);
    }
    expect(sandbox.log.length).toBe(mark);
  });
});

describe('reinvite: the re-check just before each invite', () => {
  const finding: Finding = {
    finding: 'not-pending',
    target: 'atlas',
    baseUrl: 'https://cloud.mongodb.com',
    groupId: objectId(),
    username: 'bo@example.com',
    roles: RO,
    api: 'cloud-users',
    stack: 'a',
  };
  const target = { finding, settings: { username: 'bo@example.com', roles: RO, baseUrl: finding.baseUrl } };
  const fakeClient = (pending: Partial<PendingPerson>[], members: { username: string }[]) => {
    const calls: string[] = [];
    const client = {
      listPending: (_g: string, f: { username?: string }) => {
        calls.push(`listPending ${f.username ?? ''}`);
        return Promise.resolve(pending);
      },
      listMembers: () => {
        calls.push('listMembers');
        return Promise.resolve(members);
      },
      invitePerson: () => {
        calls.push('invitePerson');
        return Promise.reject(new Error('must not be called'));
      },
    };
    return { client: client as unknown as InvitationClient, calls };
  };
  const run = async (client: InvitationClient) => {
    const c = captureIo();
    const output = new Output(c.io, { json: false, debug: false });
    const result = await reinvite([target as unknown as ReinviteTarget], [], () => client, true, output);
    return { result, stderr: c.stderr() };
  };

  it('a person pending again by then is not invited', async () => {
    const { client, calls } = fakeClient([{ api: 'invites', username: 'Bo@example.com' }], []);
    const { result, stderr } = await run(client);
    expect(calls).toEqual(['listPending bo@example.com']);
    expect(result).toEqual({ settled: 1, failed: 0 });
    expect(stderr).toMatch(/^✔ not invited again, pending by now \(invites\): bo@example\.com/m);
  });

  it('a member by then is not invited (nor are their roles changed)', async () => {
    const { client, calls } = fakeClient([], [{ username: 'BO@example.com' }]);
    const { result, stderr } = await run(client);
    expect(calls).toEqual(['listPending bo@example.com', 'listMembers']);
    expect(result).toEqual({ settled: 1, failed: 0 });
    expect(stderr).toMatch(/^✔ not invited again, a member by now: bo@example\.com/m);
  });
});
