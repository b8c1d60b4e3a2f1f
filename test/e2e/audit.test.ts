// #11 - `audit` with real Terraform and the bundled CLI against the sandbox: an expired declared
// invitation is reported not-pending with its address, `terraform apply -replace=ADDRESS` invites again
// and the next audit is clean. And the README's GitHub Actions workflow: its synth, terraform, plan
// summary and audit lines are run here, so the example cannot rot.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { InvitationTarget, ProjectInvitations } from '../../lib/index';
import { terraformSuite } from '../helpers/e2e';
import {
  expectSuccess,
  runCommand,
  terraformEnv,
  TerraformWorkspace,
  type RunResult,
} from '../helpers/terraform';

const KEYS = { publicKey: 'e2e-audit-pub', privateKey: 'E2E-AUDIT-PRIVATE-81c2' };
const SA = { clientId: 'mdb_sa_id_audit', clientSecret: 'E2E-AUDIT-SECRET-4d07' };
const repoRoot = resolve(__dirname, '..', '..');
const bundle = join(repoRoot, 'dist', 'mongodb-invitations.cjs');
const objectId = () => randomBytes(12).toString('hex');
const RO = ['GROUP_READ_ONLY'];

const { itIf, sandbox, workspaces } = terraformSuite(__filename, {
  credentials: { apiKeys: [KEYS], serviceAccounts: [SA], accessTokens: [] },
  tokenRateLimit: false,
  invitationRateLimit: 'off',
});

const jsonLines = (r: RunResult) =>
  r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('audit, with real Terraform', () => {
  itIf('an expired invitation: not-pending with its address; apply -replace invites again', async () => {
    const groupId = objectId();
    const env = (ws: TerraformWorkspace) =>
      terraformEnv({
        E2E_PUBLIC: KEYS.publicKey,
        E2E_PRIVATE: KEYS.privateKey,
        XDG_CACHE_HOME: join(ws.root, 'cache'),
      });
    const ws: TerraformWorkspace = new TerraformWorkspace('team', () => env(ws), 'pi-audit-e2e-');
    workspaces.push(ws);
    ws.synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: sandbox.url }),
        credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
        maxRetries: 0,
        invitations: ['ana', 'bo'].map((n) => ({ groupId, username: `${n}@example.com`, roles: RO })),
      });
    });
    expectSuccess(await ws.apply(), 'terraform apply');
    const audit = (...args: string[]) =>
      runCommand('node', [bundle, 'audit', ws.stackDir, ...args], { cwd: ws.root, env: env(ws) });

    const clean = await audit('--exit-code');
    expect([clean.code, clean.stdout]).toEqual([0, '']);

    sandbox.expire(groupId, 'bo@example.com');
    const found = await audit('--exit-code', '--json');
    expect(found.code).toBe(3);
    const notPending = jsonLines(found).filter((o) => o.finding === 'not-pending');
    expect(notPending).toEqual([expect.objectContaining({ username: 'bo@example.com', stack: 'team' })]);
    const address = String(notPending[0]?.address);
    expect((await ws.stateList()).includes(address)).toBe(true);

    const mark = sandbox.log.length;
    expectSuccess(await ws.apply([`-replace=${address}`]), 'terraform apply -replace');
    const posts = sandbox.log.slice(mark).filter((e) => e.method === 'POST' && e.status === 201);
    expect(posts).toHaveLength(1);
    const again = await audit('--exit-code', '--json');
    expect(again.code).toBe(0);
    expect(
      jsonLines(again)
        .map((o) => `${String(o.finding)} ${String(o.username)}`)
        .sort(),
    ).toEqual(['ok ana@example.com', 'ok bo@example.com']);
  });
});

describe('audit --group-id, with real Terraform', () => {
  itIf(
    'removing the last construct revokes nothing; audit --group-id finds them, --prune --yes cancels exactly them',
    async () => {
      const [groupId, other] = [objectId(), objectId()];
      const env = (ws: TerraformWorkspace) =>
        terraformEnv({
          E2E_PUBLIC: KEYS.publicKey,
          E2E_PRIVATE: KEYS.privateKey,
          MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
          MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
          MONGODB_INVITATIONS_TOKEN_CACHE: 'off',
          XDG_CACHE_HOME: join(ws.root, 'cache'),
        });
      const ws: TerraformWorkspace = new TerraformWorkspace('team', () => env(ws), 'pi-audit-gone-');
      workspaces.push(ws);
      ws.synth((stack) => {
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas({ baseUrl: sandbox.url }),
          credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
          maxRetries: 0,
          invitations: ['ana', 'bo'].map((n) => ({ groupId, username: `${n}@example.com`, roles: RO })),
        });
      });
      expectSuccess(await ws.apply(), 'terraform apply');
      sandbox.seed([{ groupId: other, username: 'eve@example.com', roles: RO, api: 'cloud-users' }]);
      const pendingIn = (g: string) =>
        sandbox
          .cloudUsers(g)
          .filter((u) => u.orgMembershipStatus === 'PENDING')
          .map((u) => u.username)
          .sort();
      expect(pendingIn(groupId)).toEqual(['ana@example.com', 'bo@example.com']);

      // The last construct goes: its blocks go with it, so the destroy-time revoke never runs.
      ws.synth(() => undefined);
      let mark = sandbox.log.length;
      expectSuccess(await ws.apply(), 'terraform apply without the construct');
      expect(sandbox.log.slice(mark).filter((e) => e.method === 'DELETE')).toEqual([]);
      expect(pendingIn(groupId)).toEqual(['ana@example.com', 'bo@example.com']);

      const audit = (...args: string[]) =>
        runCommand('node', [bundle, 'audit', ws.stackDir, ...args], { cwd: ws.root, env: env(ws) });
      const nothing = await audit();
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toMatch(/audit --group-id ID/);

      const scope = ['--group-id', groupId, '--base-url', sandbox.url];
      const found = await audit(...scope, '--exit-code', '--json');
      expect(found.code).toBe(3);
      expect(
        jsonLines(found)
          .map((o) => `${String(o.finding)} ${String(o.username)}`)
          .sort(),
      ).toEqual(['undeclared ana@example.com', 'undeclared bo@example.com']);

      mark = sandbox.log.length;
      const pruned = await audit(...scope, '--prune', '--yes', '--exit-code', '--json');
      expect(pruned.code).toBe(0);
      const deletes = sandbox.log.slice(mark).filter((e) => e.method === 'DELETE');
      expect(deletes.map((e) => e.status)).toEqual([204, 204]);
      expect(deletes.every((e) => e.path.startsWith(`/api/atlas/v2/groups/${groupId}/users/`))).toBe(true);
      expect(pendingIn(groupId)).toEqual([]);
      expect(pendingIn(other)).toEqual(['eve@example.com']);
    },
  );
});

/** The `run:` lines of each job of the first fenced yaml block of README.md ("A complete pipeline"). */
function workflowJobs(): Record<string, { run: string[]; env: Record<string, string> }> {
  const doc = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const yaml = /```yaml\n([^]*?)```/.exec(doc)?.[1] ?? '';
  const jobs: Record<string, { run: string[]; env: Record<string, string> }> = {};
  let job: { run: string[]; env: Record<string, string> } | undefined;
  const lines = yaml.split('\n');
  for (const line of lines.slice(lines.indexOf('jobs:') + 1)) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)?.[1];
    if (name) jobs[name] = job = { run: [], env: {} };
    const run = /^\s+- run: (.+)$/.exec(line)?.[1];
    if (run && job) job.run.push(run.replace(/\s+#.*$/, '').trim());
    const env = /^ {6}([A-Z_]+): \$\{\{ secrets\.([A-Z_]+) \}\}$/.exec(line);
    if (env && job) job.env[env[1] as string] = env[2] as string;
  }
  return jobs;
}

describe('README.md, "A complete pipeline"', () => {
  itIf('runs the workflow’s plan, apply and audit lines against the sandbox', async () => {
    const jobs = workflowJobs();
    expect(Object.keys(jobs)).toEqual(['plan', 'apply', 'audit']);
    expect(jobs.audit?.run).toEqual([
      'npm ci',
      'npx cdktf synth',
      'npx mongodb-invitations audit --exit-code',
    ]);
    expect(jobs.apply?.run.at(-1)).toBe(
      'terraform -chdir=cdktf.out/stacks/access apply -input=false -auto-approve',
    );
    const groupId = objectId();
    const secrets: Record<string, string> = {
      MONGODB_ATLAS_CLIENT_ID: SA.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: SA.clientSecret,
    };
    const ws = new TerraformWorkspace('access', () => ({}), 'pi-audit-docs-');
    workspaces.push(ws);
    const env = (job: string) => {
      const named = Object.fromEntries(
        Object.entries(jobs[job]?.env ?? {}).map(([k, secret]) => [k, secrets[secret] ?? '']),
      );
      return terraformEnv({ ...named, XDG_CACHE_HOME: join(ws.root, 'cache') });
    };
    // `npx cdktf synth`, adapted: the README's app with a local backend (the README's is S3), into
    // ./cdktf.out of the workspace, so that the plan, apply and audit jobs share one state.
    const synth = () => {
      const app = new App({ outdir: join(ws.root, 'cdktf.out') });
      const stack = new TerraformStack(app, 'access');
      new LocalBackend(stack, { path: join(ws.root, 'terraform.tfstate') });
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: sandbox.url }),
        invitations: [{ groupId, username: 'ana@example.com', roles: RO }],
      });
      app.synth();
    };
    // plan-summary is a command of newer builds; its line runs wherever the bundle knows it.
    const haveSummary =
      (await runCommand('node', [bundle, 'help', 'plan-summary'], { cwd: ws.root, env: terraformEnv({}) }))
        .code === 0;
    if (!haveSummary)
      console.warn('test/e2e/audit.test.ts: this build has no plan-summary; its line is skipped.');
    const runLines = async (job: string): Promise<RunResult[]> => {
      const results: RunResult[] = [];
      for (const line of jobs[job]?.run ?? []) {
        if (line === 'npm ci') continue; // the test runs from this repository's node_modules
        if (line === 'npx cdktf synth') {
          synth();
          continue;
        }
        const [words, redirect] = line.split(' > ') as [string, string | undefined];
        const [command, ...args] = words.split(/\s+/);
        const cli = command === 'npx' && args[0] === 'mongodb-invitations';
        if (cli && args[1] === 'plan-summary' && !haveSummary) continue;
        const file = cli ? 'node' : (command as string);
        const argv = cli ? [bundle, ...args.slice(1)] : args;
        const result = await runCommand(file, argv, { cwd: ws.root, env: env(job) });
        if (redirect) writeFileSync(join(ws.root, redirect), result.stdout);
        results.push(result);
        if (file === 'terraform' || (cli && args[1] === 'plan-summary')) expectSuccess(result, line);
      }
      return results;
    };
    const plan = await runLines('plan');
    const planned = plan
      // eslint-disable-next-line no-control-regex
      .map((r) => r.stdout.replace(/\u001b\[[0-9;]*m/g, ''))
      .find((out) => out.includes('Plan: '));
    expect(planned).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy\./);
    expect(JSON.parse(readFileSync(join(ws.root, 'plan.json'), 'utf8'))).toHaveProperty('resource_changes');
    if (haveSummary) expect(readFileSync(join(ws.root, 'summary.md'), 'utf8')).toContain('ana@example.com');

    await runLines('apply');
    expect(sandbox.cloudUsers(groupId).map((u) => u.username)).toEqual(['ana@example.com']);
    const [inSync] = await runLines('audit');
    expect([inSync?.code, inSync?.stdout, inSync?.stderr]).toEqual([
      0,
      '',
      expect.stringMatching(/✔ audit: 1 project/),
    ]);

    sandbox.seed([{ groupId, username: 'eve@example.com', roles: ['GROUP_OWNER'], api: 'invites' }]);
    const [differs] = await runLines('audit');
    expect(differs?.code).toBe(3);
    expect(differs?.stdout).toMatch(
      /^undeclared +\S+\/eve@example\.com {2}GROUP_OWNER {2}invites [a-f0-9]{24}/m,
    );
  });
});
