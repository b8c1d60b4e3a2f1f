// #10 - A failed invite, with real Terraform: the apply fails and the instance is left tainted; the next
// apply replaces it WITHOUT running its destroy provisioner and invites again. Whether or not the first
// POST landed, the person ends with exactly one pending invitation.
//
// Two ways the POST fails: a 500 answered before the sandbox's handler runs (nothing landed), and a POST
// that lands after the client gave up waiting for it (the answer is lost). The sandbox's faults replace
// the answer (a 'reset' fault closes the connection BEFORE the handler), so "processed, then the answer
// lost" is played by a 'delay' fault longer than the client's per-attempt timeout: the sandbox creates
// the invitation after the CLI timed out, looked (nothing yet) and failed.
import { expectSuccess } from '../helpers/terraform';
import { terraformSuite } from '../helpers/e2e';
import {
  creations,
  newPeopleCase,
  objectId,
  pendingCloudUsers,
  pendingInvites,
  sandboxOptions,
  since,
  type PeopleCase,
} from './people-case';

const { itIf, sandbox, workspaces } = terraformSuite(
  __filename,
  sandboxOptions({ invitationRateLimit: 'off' }),
);

const ANA = { username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] };
const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

async function expectTainted(c: PeopleCase, address: string): Promise<void> {
  const show = await c.ws.terraform(['state', 'show', address]);
  expect(show.stdout).toMatch(/tainted/);
}

/** The apply after the fault is gone: the plan replaces the tainted instance; returns what was sent. */
async function applyAfterFix(c: PeopleCase, address: string) {
  const plan = await c.ws.plan();
  expectSuccess(plan, 'terraform plan after the fix');
  expect(plan.stdout).toContain(`# ${address} is tainted, so must be replaced`);
  const mark = sandbox.log.length;
  const applied = await c.ws.apply();
  expectSuccess(applied, 'terraform apply after the fix');
  return { applied, sent: since(sandbox, mark) };
}

describe('a failed invite, with real Terraform', () => {
  itIf('a 500 on every POST fails the apply (tainted); the next apply invites exactly once', async () => {
    const c = newPeopleCase(sandbox, workspaces);
    const g = objectId();
    const address = c.rolesAddress(g, ANA.username);
    // One retry: the client lists before sending the POST again, and fails after the second 500.
    c.declare({ entries: [{ groupId: g, ...ANA }], props: { maxRetries: 1 } });
    const path = `/api/atlas/v2/groups/${g}/users`;
    sandbox.faults.add({ method: 'POST', path, kind: 'status', status: 500, times: 'always' });
    const mark = sandbox.log.length;
    try {
      const failed = await c.ws.apply();
      expect(failed.code).not.toBe(0);
      expect(output(failed)).toMatch(/500/);
      expect(output(failed)).toContain(address);
    } finally {
      sandbox.faults.clear();
    }
    const tried = since(sandbox, mark);
    expect(creations(tried, g).map((e) => e.status)).toEqual([500, 500]);
    // Between the two POSTs, and after the last, a look: did it land? In a project of one page, each look is
    // one unfiltered page of Cloud Users, the usernames compared without case.
    const order = tried
      .filter((e) => e.groupId === g && e.status !== 401)
      .map((e) => `${e.method} ${e.status}`);
    // The first look also asks the invites API (a UI invitation there is the same person).
    expect(order.join(', ')).toBe('GET 200, GET 200, POST 500, GET 200, POST 500, GET 200');
    expect(sandbox.cloudUsers(g)).toEqual([]);
    await expectTainted(c, address);

    const { sent } = await applyAfterFix(c, address);
    expect(creations(sent, g).map((e) => e.status)).toEqual([201]);
    // No destroy provisioner ran for the tainted instance: nothing was deleted.
    expect(sent.filter((e) => e.method === 'DELETE')).toEqual([]);
    expect(pendingCloudUsers(sandbox, g)).toEqual({ 'ana@example.com': 'GROUP_READ_ONLY' });
    expect(sandbox.cloudUsers(g)).toHaveLength(1);
    const again = await c.ws.plan();
    expect(again.stdout).toContain('No changes.');
  });

  for (const api of ['cloud-users', 'invites'] as const) {
    itIf(
      `a POST that lands after its answer was lost (${api}): the next apply finds it and sends nothing`,
      async () => {
        const c = newPeopleCase(sandbox, workspaces);
        const g = objectId();
        const address = c.rolesAddress(g, ANA.username);
        c.declare({
          target: c.atlas({ api }),
          entries: [{ groupId: g, ...ANA }],
          props: { maxRetries: 0, timeoutMs: 1000 },
        });
        const path = `/api/atlas/v2/groups/${g}/${api === 'cloud-users' ? 'users' : 'invites'}`;
        sandbox.faults.add({ method: 'POST', path, kind: 'delay', ms: 2500 });
        const landed = new Promise<void>((resolve) => {
          const stop = sandbox.onRequest((e) => {
            if (e.method === 'POST' && e.path === path) {
              stop();
              resolve();
            }
          });
        });
        const mark = sandbox.log.length;
        const failed = await c.ws.apply();
        expect(failed.code).not.toBe(0);
        await landed;
        await expectTainted(c, address);
        const posts = creations(since(sandbox, mark), g);
        expect(posts.map((e) => e.fault)).toEqual(['delay']);
        // It landed: the person IS pending, though the apply failed.
        const pending = () =>
          api === 'cloud-users'
            ? Object.entries(pendingCloudUsers(sandbox, g))
            : pendingInvites(sandbox, 'atlas', g);
        expect(pending()).toEqual([['ana@example.com', 'GROUP_READ_ONLY']]);

        const { applied, sent } = await applyAfterFix(c, address);
        expect(creations(sent, g)).toEqual([]);
        expect(sent.filter((e) => e.method === 'DELETE')).toEqual([]);
        expect(output(applied)).toContain('already invited with these roles (nothing sent)');
        expect(pending()).toEqual([['ana@example.com', 'GROUP_READ_ONLY']]);
      },
    );
  }
});
