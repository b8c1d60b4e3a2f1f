// #10 - People declared in code, proven with real Terraform against the in-process sandbox: `apply`
// invites each declared person once with their roles, removing one cancels exactly their pending
// invitation, a role change sets the roles in place, accepted members are left alone unless asked, and the three
// APIs (Cloud Users, Atlas invites, Ops Manager) behave alike. Failures and the invitation rate limit:
// people-faults.test.ts and people-rate-limit.test.ts. Each case has its own workspace and project.
import { expectSuccess } from '../helpers/terraform';
import { terraformSuite } from '../helpers/e2e';
import {
  assertNoSecrets,
  creations,
  deletions,
  newPeopleCase,
  objectId,
  pendingCloudUsers,
  pendingInvites,
  sandboxOptions,
  since,
} from './people-case';

// These cases create fewer invitations than Atlas's limit per case, but more than it over the file.
const { itIf, sandbox, workspaces } = terraformSuite(
  __filename,
  sandboxOptions({ invitationRateLimit: 'off' }),
);

const ANA = { username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] };
const BO = { username: 'bo@example.com', roles: ['GROUP_DATA_ACCESS_READ_WRITE', 'GROUP_READ_ONLY'] };
const CY = { username: 'cy@example.com', roles: ['GROUP_OWNER'] };
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('people, with real Terraform', () => {
  itIf('three people are invited with their roles, exactly one POST each', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    c.declare({ entries: [ANA, BO, CY].map((p) => ({ groupId: g, ...p })) });
    const mark = sandbox.log.length;
    const tokens = sandbox.tokensIssued;
    const applied = await c.ws.apply();
    expectSuccess(applied, 'terraform apply');
    expect(pendingCloudUsers(sandbox, g)).toEqual({
      'ana@example.com': 'GROUP_READ_ONLY',
      'bo@example.com': 'GROUP_DATA_ACCESS_READ_WRITE,GROUP_READ_ONLY',
      'cy@example.com': 'GROUP_OWNER',
    });
    const posts = creations(since(sandbox, mark), g);
    expect(posts.map((e) => [e.path.endsWith('/users'), e.status])).toEqual([
      [true, 201],
      [true, 201],
      [true, 201],
    ]);
    expect(sandbox.invitations('atlas', g)).toEqual([]);
    expect(output(applied)).toMatch(/ana@example\.com in project \w+ with GROUP_READ_ONLY: invited/);
    expect(sandbox.tokensIssued - tokens).toBe(1);
    expect((await c.ws.stateList()).sort()).toEqual(c.addresses(g, ...[ANA, BO, CY].map((p) => p.username)));
    // A second apply sends nothing: the plan is empty.
    const plan = await c.ws.plan();
    expectSuccess(plan, 'terraform plan');
    expect(plan.stdout).toContain('No changes.');
  });

  itIf('removing one person cancels exactly their pending invitation', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    c.declare({ entries: [ANA, BO, CY].map((p) => ({ groupId: g, ...p })) });
    expectSuccess(await c.ws.apply(), 'terraform apply');
    const boId = sandbox.cloudUsers(g).find((u) => u.username === BO.username)?.id;
    c.declare({ entries: [ANA, CY].map((p) => ({ groupId: g, ...p })) });
    const plan = await c.ws.plan();
    expectSuccess(plan, 'terraform plan');
    expect(plan.stdout).toContain(`# ${c.address(g, 'bo@example.com')} will be destroyed`);
    expect(plan.stdout).toContain(`# ${c.rolesAddress(g, 'bo@example.com')} will be destroyed`);
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 2 to destroy.');
    const mark = sandbox.log.length;
    const applied = await c.ws.apply();
    expectSuccess(applied, 'terraform apply (bo removed)');
    const sent = since(sandbox, mark);
    expect(deletions(sent, g).map((e) => [e.userId, e.status])).toEqual([[boId, 204]]);
    expect(creations(sent, g)).toEqual([]);
    expect(Object.keys(pendingCloudUsers(sandbox, g))).toEqual(['ana@example.com', 'cy@example.com']);
    expect(output(applied)).toContain(`bo@example.com in project ${g}: pending invitation cancelled`);
  });

  itIf(
    'a role change sets the roles in place: same user, no cancel, no new invitation; the next plan is empty',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      c.declare({ entries: [{ groupId: g, ...ANA }] });
      expectSuccess(await c.ws.apply(), 'terraform apply');
      const before = sandbox.cloudUsers(g)[0]?.id;
      const roles = ['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY'];
      c.declare({ entries: [{ groupId: g, username: ANA.username, roles }] });
      const plan = await c.ws.plan();
      expectSuccess(plan, 'terraform plan');
      expect(plan.stdout).toContain(`# ${c.rolesAddress(g, 'ana@example.com')} must be replaced`);
      expect(plan.stdout).not.toContain(`# ${c.address(g, 'ana@example.com')}`);
      expect(plan.stdout).toMatch(/"GROUP_READ_ONLY" -> "GROUP_CLUSTER_MANAGER,GROUP_READ_ONLY"/);
      expect(plan.stdout).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
      const mark = sandbox.log.length;
      const applied = await c.ws.apply();
      expectSuccess(applied, 'terraform apply (roles changed)');
      const sent = since(sandbox, mark);
      expect(deletions(sent, g)).toEqual([]);
      expect(creations(sent, g)).toEqual([]);
      expect(output(applied)).not.toContain('cancelled');
      expect(pendingCloudUsers(sandbox, g)).toEqual({ 'ana@example.com': roles.join(',') });
      expect(sandbox.cloudUsers(g).map((u) => u.id)).toEqual([before]);
      const again = await c.ws.plan();
      expectSuccess(again, 'terraform plan (after)');
      expect(again.stdout).toContain('No changes.');
    },
  );

  itIf(
    'an accepted invitation: removal leaves the member by default, removes it with removeAcceptedMembers',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      const kept = { id: 'keepers', entries: [{ groupId: g, ...ANA }] };
      const removing = {
        id: 'removers',
        entries: [{ groupId: g, ...BO }],
        props: { removeAcceptedMembers: true },
      };
      c.declare(kept, removing);
      expectSuccess(await c.ws.apply(), 'terraform apply');
      sandbox.accept(g, ANA.username);
      const [bo] = sandbox.accept(g, BO.username);
      c.declare({ ...kept, entries: [] }, { ...removing, entries: [] });
      const mark = sandbox.log.length;
      const applied = await c.ws.apply();
      expectSuccess(applied, 'terraform apply (both removed)');
      const text = output(applied);
      const said = text.split('\n').filter((l) => l.includes('ana@example.com in project'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain('had accepted and is a member: left in the project');
      expect(text).toContain(
        `bo@example.com in project ${g}: had accepted: removed from the project (removeAcceptedMembers)`,
      );
      const sent = deletions(since(sandbox, mark), g).map((e) => [e.userId, e.status]);
      expect(sent).toEqual([[bo?.memberId, 204]]);
      const users = sandbox.cloudUsers(g).map((u) => [u.username, u.orgMembershipStatus]);
      expect(users).toEqual([['ana@example.com', 'ACTIVE']]);
      expect(await c.ws.stateList()).toEqual([]);
    },
  );

  itIf('the Atlas invites API and Ops Manager invite and cancel alike', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const [ga, go] = [objectId(), objectId()];
    const invitesBlock = { id: 'atlas-invites', target: c.atlas({ api: 'invites' }) };
    const opsBlock = { id: 'ops', target: c.opsManager() };
    c.declare(
      { ...invitesBlock, entries: [ANA, BO].map((p) => ({ groupId: ga, ...p })) },
      { ...opsBlock, entries: [ANA, BO].map((p) => ({ groupId: go, ...p })) },
    );
    let mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply');
    let sent = since(sandbox, mark);
    const roles = BO.roles.join(',');
    expect(pendingInvites(sandbox, 'atlas', ga)).toEqual([
      ['ana@example.com', 'GROUP_READ_ONLY'],
      ['bo@example.com', roles],
    ]);
    expect(pendingInvites(sandbox, 'ops-manager', go)).toEqual([
      ['ana@example.com', 'GROUP_READ_ONLY'],
      ['bo@example.com', roles],
    ]);
    expect(sandbox.cloudUsers(ga)).toEqual([]);
    for (const [g, target] of [
      [ga, 'atlas'],
      [go, 'ops-manager'],
    ] as const) {
      const posts = creations(sent, g);
      expect(posts.map((e) => [e.target, e.path.endsWith('/invites'), e.status])).toEqual([
        [target, true, 200],
        [target, true, 200],
      ]);
    }
    const boAtlas = sandbox.invitations('atlas', ga).find((i) => i.username === BO.username)?.id;
    const boOps = sandbox.invitations('ops-manager', go).find((i) => i.username === BO.username)?.id;
    c.declare(
      { ...invitesBlock, entries: [{ groupId: ga, ...ANA }] },
      { ...opsBlock, entries: [{ groupId: go, ...ANA }] },
    );
    mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply (bo removed)');
    sent = since(sandbox, mark);
    expect(deletions(sent, ga).map((e) => [e.invitationId, e.status])).toEqual([[boAtlas, 204]]);
    expect(deletions(sent, go).map((e) => [e.invitationId, e.status])).toEqual([[boOps, 204]]);
    expect(pendingInvites(sandbox, 'atlas', ga)).toEqual([['ana@example.com', 'GROUP_READ_ONLY']]);
    expect(pendingInvites(sandbox, 'ops-manager', go)).toEqual([['ana@example.com', 'GROUP_READ_ONLY']]);
  });

  itIf('revoking a person on Atlas also cancels an invites-API invitation made in the UI', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    c.declare({ entries: [{ groupId: g, ...ANA }] });
    expectSuccess(await c.ws.apply(), 'terraform apply');
    // Someone invites her again in the Atlas UI (the invites API): a second, separate pending invitation.
    const [ui] = sandbox.seed([
      { groupId: g, username: 'Ana@Example.com', roles: ['GROUP_OWNER'], api: 'invites' },
    ]);
    const userId = sandbox.cloudUsers(g)[0]?.id;
    c.declare({ entries: [] });
    const mark = sandbox.log.length;
    const applied = await c.ws.apply();
    expectSuccess(applied, 'terraform apply (ana removed)');
    const sent = deletions(since(sandbox, mark), g).map((e) => [e.target, e.userId ?? e.invitationId]);
    expect(sent).toEqual([
      ['atlas', userId],
      ['atlas', ui?.id],
    ]);
    expect(sandbox.cloudUsers(g)).toEqual([]);
    expect(sandbox.invitations('atlas', g)).toEqual([]);
    // One line per revoke, however many invitations it cancelled (the requests show with --verbose).
    const said = output(applied)
      .split('\n')
      .filter((l) => l.includes(`ana@example.com in project ${g}: pending invitation cancelled`));
    expect(said).toHaveLength(1);
  });

  itIf('an adopted id and people mix in one block', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    const adopted = objectId();
    sandbox.seed([
      { target: 'atlas', groupId: g, id: adopted, username: 'dee@example.com', roles: ['GROUP_READ_ONLY'] },
    ]);
    c.declare({
      entries: [
        { groupId: g, ...ANA },
        { groupId: g, invitationId: adopted },
        { groupId: g, ...BO },
      ],
    });
    let mark = sandbox.log.length;
    const applied = await c.ws.apply();
    expectSuccess(applied, 'terraform apply');
    expect(output(applied)).toContain(
      `adopted invitation ${adopted} in project ${g}: pending for dee@example.com`,
    );
    expect(creations(since(sandbox, mark), g).map((e) => [e.path.endsWith('/users'), e.status])).toEqual([
      [true, 201],
      [true, 201],
    ]);
    expect((await c.ws.stateList()).sort()).toEqual(c.addresses(g, ANA.username, adopted, BO.username));
    expect(Object.keys(pendingCloudUsers(sandbox, g))).toEqual(['ana@example.com', 'bo@example.com']);
    // Removing the adopted id and one person in one change cancels exactly those two.
    c.declare({ entries: [{ groupId: g, ...BO }] });
    const anaId = sandbox.cloudUsers(g).find((u) => u.username === ANA.username)?.id;
    mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply (two removed)');
    const sent = deletions(since(sandbox, mark), g).map((e) => [e.userId ?? e.invitationId, e.status]);
    expect(sent.sort()).toEqual(
      [
        [adopted, 204],
        [anaId, 204],
      ].sort(),
    );
    expect(sandbox.invitations('atlas', g)).toEqual([]);
    expect(Object.keys(pendingCloudUsers(sandbox, g))).toEqual(['bo@example.com']);
  });

  itIf('destroy leaves nothing pending on any API', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const [gc, gi, go] = [objectId(), objectId(), objectId()];
    const adopted = objectId();
    sandbox.seed([
      { target: 'atlas', groupId: gc, id: adopted, username: 'dee@example.com', roles: ['GROUP_READ_ONLY'] },
    ]);
    c.declare(
      {
        id: 'cloud-users',
        entries: [
          { groupId: gc, ...ANA },
          { groupId: gc, invitationId: adopted },
        ],
      },
      { id: 'invites', target: c.atlas({ api: 'invites' }), entries: [{ groupId: gi, ...BO }] },
      { id: 'ops', target: c.opsManager(), entries: [{ groupId: go, ...CY }] },
    );
    expectSuccess(await c.ws.apply(), 'terraform apply');
    expect(Object.keys(pendingCloudUsers(sandbox, gc))).toEqual(['ana@example.com']);
    expect(pendingInvites(sandbox, 'atlas', gc)).toHaveLength(1);
    expect(pendingInvites(sandbox, 'atlas', gi)).toHaveLength(1);
    expect(pendingInvites(sandbox, 'ops-manager', go)).toHaveLength(1);
    const destroyed = await c.ws.destroy();
    expectSuccess(destroyed, 'terraform destroy');
    expect(destroyed.stdout).toContain('Destroy complete! Resources: 8 destroyed.');
    for (const g of [gc, gi, go]) {
      expect(sandbox.cloudUsers(g)).toEqual([]);
      expect(sandbox.invitations('atlas', g)).toEqual([]);
      expect(sandbox.invitations('ops-manager', g)).toEqual([]);
    }
    expect(await c.ws.stateList()).toEqual([]);
  });

  // Last: looks at every workspace and transcript of this file.
  itIf('canary credentials appear nowhere in configuration, state or Terraform output', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    c.declare(
      { id: 'sa', entries: [{ groupId: g, ...ANA }] },
      { id: 'keys', target: c.opsManager(), entries: [{ groupId: g, ...BO }] },
    );
    expectSuccess(await c.ws.apply(), 'terraform apply');
    c.declare({ id: 'sa', entries: [] }, { id: 'keys', target: c.opsManager(), entries: [] });
    expectSuccess(await c.ws.apply(), 'terraform apply (removed)');
    expect(sandbox.cloudUsers(g)).toEqual([]);
    expect(sandbox.invitations('ops-manager', g)).toEqual([]);
    const { files } = assertNoSecrets(workspaces);
    expect(files.some((f) => f.endsWith('terraform.tfstate'))).toBe(true);
    expect(files.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
  });
});
