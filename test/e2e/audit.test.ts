// #11 - `audit` with real Terraform and the bundled CLI against the sandbox: an expired declared
// invitation is reported not-pending with its address, `terraform apply -replace=ADDRESS` (or
// `audit --reinvite --yes`) invites again and the next audit is clean. And the README's GitHub Actions
// workflow: its synth, terraform, plan summary, audit and issue lines are run here (with a stand-in for
// `gh`), so the example cannot rot.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
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

/** ana and bo declared in one stack and invited by a real `terraform apply`; `audit` runs the bundle there. */
async function appliedTeam(prefix: string) {
  const groupId = objectId();
  const env = (ws: TerraformWorkspace) =>
    terraformEnv({
      E2E_PUBLIC: KEYS.publicKey,
      E2E_PRIVATE: KEYS.privateKey,
      XDG_CACHE_HOME: join(ws.root, 'cache'),
    });
  const ws: TerraformWorkspace = new TerraformWorkspace('team', () => env(ws), prefix);
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
  return { groupId, ws, audit };
}

const pendingIn = (groupId: string) =>
  sandbox
    .cloudUsers(groupId)
    .filter((u) => u.orgMembershipStatus === 'PENDING')
    .map((u) => u.username)
    .sort();

describe('audit, with real Terraform', () => {
  itIf('an expired invitation: not-pending with its address; apply -replace invites again', async () => {
    const { groupId, ws, audit } = await appliedTeam('pi-audit-e2e-');
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

  itIf(
    'an expired invitation: audit --reinvite names the person and sends nothing; --yes invites exactly them; then in sync',
    async () => {
      const { groupId, audit } = await appliedTeam('pi-audit-reinvite-');
      sandbox.expire(groupId, 'bo@example.com');
      expect(pendingIn(groupId)).toEqual(['ana@example.com']);

      let mark = sandbox.log.length;
      const dry = await audit('--reinvite');
      expect(dry.code).toBe(0);
      expect(sandbox.log.slice(mark).filter((e) => e.method !== 'GET')).toEqual([]);
      expect(dry.stderr).toContain(
        `⚠ would invite again bo@example.com with GROUP_READ_ONLY in project ${groupId} at ${sandbox.url} (stack team)`,
      );
      expect(dry.stderr).not.toMatch(/would invite again ana@/);

      mark = sandbox.log.length;
      const done = await audit('--reinvite', '--yes');
      expect(done.code).toBe(0);
      expect(
        sandbox.log
          .slice(mark)
          .filter((e) => e.method !== 'GET')
          .map((e) => `${e.method} ${e.path} ${e.status}`),
      ).toEqual([`POST /api/atlas/v2/groups/${groupId}/users 201`]);
      expect(done.stderr).toMatch(/^✔ invited again: bo@example\.com with GROUP_READ_ONLY in project /m);
      expect(pendingIn(groupId)).toEqual(['ana@example.com', 'bo@example.com']);

      const after = await audit('--exit-code');
      expect([after.code, after.stdout]).toEqual([0, '']);
    },
  );
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

interface WorkflowStep {
  /** The command, or a multi-line script (`run: |`). */
  readonly run: string;
  readonly script: boolean;
  /** The step's `if:`, without its comment. */
  readonly if: string | undefined;
}
interface WorkflowJob {
  readonly steps: WorkflowStep[];
  /** The `run:` lines. */
  readonly run: string[];
  readonly env: Record<string, string>;
}

/** The steps of each job of the first fenced yaml block of README.md ("A complete pipeline"). */
function workflowJobs(): Record<string, WorkflowJob> {
  const doc = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const yaml = /```yaml\n([^]*?)```/.exec(doc)?.[1] ?? '';
  const jobs: Record<string, WorkflowJob> = {};
  let job: WorkflowJob | undefined;
  let step: { run?: string; script: boolean; if?: string } | undefined;
  const end = () => {
    if (job && step?.run !== undefined) {
      job.steps.push({ run: step.run, script: step.script, if: step.if });
      job.run.push(step.run);
    }
    step = undefined;
  };
  const lines = yaml.split('\n');
  const body = lines.slice(lines.indexOf('jobs:') + 1);
  for (let i = 0; i < body.length; i++) {
    const line = body[i] as string;
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)?.[1];
    if (name) {
      end();
      jobs[name] = job = { steps: [], run: [], env: {} };
      continue;
    }
    if (/^ {6}- /.test(line)) {
      end();
      step = { script: false };
    }
    const key = /^ {6}(?:- | {2})(run|if): (.+)$/.exec(line);
    if (key && step) {
      const value = (key[2] as string).replace(/\s+#.*$/, '').trim();
      if (key[1] === 'if') step.if = value;
      else if (value === '|') {
        const script: string[] = [];
        while (i + 1 < body.length && /^ {10}/.test(body[i + 1] as string))
          script.push((body[++i] as string).slice(10));
        step.run = script.join('\n');
        step.script = true;
      } else step.run = value;
    }
    const env = /^ {6}([A-Z_]+): \$\{\{ secrets\.([A-Z_]+) \}\}$/.exec(line);
    if (env && job) job.env[env[1] as string] = env[2] as string;
  }
  end();
  return jobs;
}

/** A stand-in for the GitHub CLI: logs its arguments (and the body file) and lists the issue `openIssue` names. */
function fakeGh(dir: string): { log: () => string[]; body: () => string; open: (n: string) => void } {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const log = join(dir, 'gh.log');
  const body = join(dir, 'gh-body.md');
  const open = join(dir, 'gh-open-issue');
  writeFileSync(
    join(dir, 'bin', 'gh'),
    [
      '#!/bin/sh',
      `echo "$*" >> '${log}'`,
      'prev=""',
      `for a in "$@"; do [ "$prev" = --body-file ] && cat "$a" > '${body}'; prev="$a"; done`,
      `if [ "$1 $2" = "issue list" ] && [ -f '${open}' ]; then cat '${open}'; fi`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return {
    log: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
    body: () => readFileSync(body, 'utf8'),
    open: (n) => writeFileSync(open, `${n}\n`),
  };
}

describe('README.md, "A complete pipeline"', () => {
  itIf('runs the workflow’s plan, apply, audit and issue lines against the sandbox', async () => {
    const jobs = workflowJobs();
    expect(Object.keys(jobs)).toEqual(['plan', 'apply', 'audit']);
    expect(jobs.audit?.run.slice(0, 3)).toEqual([
      'npm ci',
      'npx cdktf synth',
      'npx mongodb-invitations audit --exit-code --format markdown > audit.md',
    ]);
    const issueStep = jobs.audit?.steps[3];
    expect(issueStep?.if).toBe("failure() && steps.audit.outcome == 'failure'");
    expect(issueStep?.run).toMatch(/gh issue edit "\$issue" --body-file audit\.md/);
    expect(issueStep?.run).toMatch(/gh issue create --title .* --body-file audit\.md/);
    expect(jobs.plan?.run).toContain('npx mongodb-invitations plan-summary plan.json > summary.md');
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
      return terraformEnv({
        ...named,
        XDG_CACHE_HOME: join(ws.root, 'cache'),
        PATH: `${join(ws.root, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
      });
    };
    const gh = fakeGh(ws.root);
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
    // As GitHub runs steps: after a failed one, only those with `if: failure() …` (the audit's issue).
    const runLines = async (job: string): Promise<RunResult[]> => {
      const results: RunResult[] = [];
      let failed = false;
      for (const { run: line, script, if: condition } of jobs[job]?.steps ?? []) {
        if ((condition?.includes('failure()') ?? false) !== failed) continue;
        if (script) {
          const options = { cwd: ws.root, env: env(job) };
          const result = await runCommand(
            'bash',
            ['--noprofile', '--norc', '-eo', 'pipefail', '-c', line],
            options,
          );
          expectSuccess(result, line);
          results.push(result);
          continue;
        }
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
        if (result.code !== 0) failed = true;
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
    const inSync = await runLines('audit');
    expect(inSync.map((r) => [r.code, r.stderr])).toEqual([[0, expect.stringMatching(/✔ audit: 1 project/)]]);
    expect(readFileSync(join(ws.root, 'audit.md'), 'utf8')).toMatch(/^No differences: 1 project/m);
    expect(gh.log()).toEqual([]);

    // Code and server differ: the job fails (exit 3), and the next step opens an issue with the report.
    sandbox.seed([{ groupId, username: 'eve@example.com', roles: ['GROUP_OWNER'], api: 'invites' }]);
    const differs = await runLines('audit');
    expect(differs.map((r) => r.code)).toEqual([3, 0]);
    const row = /^\| undeclared \| eve@example\.com \| GROUP_OWNER \| invites [a-f0-9]{24} \|/m;
    expect(readFileSync(join(ws.root, 'audit.md'), 'utf8')).toMatch(row);
    expect(gh.log()).toEqual([
      expect.stringMatching(/^issue list --state open --search /),
      'issue create --title MongoDB access audit --body-file audit.md',
    ]);
    expect(gh.body()).toMatch(row);

    // The next scheduled run updates the issue still open.
    gh.open('7');
    rmSync(join(ws.root, 'gh.log'));
    expect((await runLines('audit')).map((r) => r.code)).toEqual([3, 0]);
    expect(gh.log()).toEqual([expect.stringMatching(/^issue list /), 'issue edit 7 --body-file audit.md']);
  });
});
