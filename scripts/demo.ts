// `npm run demo`: on the embedded sandbox and real Terraform, examples/atlas invites three people, a pull
// request removes bo (the plan names him), audit finds and prunes eve invited in the "UI", destroy; then
// examples/ops-manager. Everything it starts is stopped on exit, failure or Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App } from 'cdktf';
import { AtlasInvitationsStack, readDeclared, type DeclaredInvitation } from '../examples/atlas/main';
import { OpsManagerInvitationsStack } from '../examples/ops-manager/main';
import { Sandbox } from '../lib/sandbox/server';

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'mongodb-invitations.cjs');
const tty = process.stdout.isTTY === true;
const paint = (code: number) => (text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const red = paint(31);

let step = 0;
const STEPS = 9;
const say = (text: string) => console.log(`\n${bold(`[${++step}/${STEPS}]`)} ${text}`);
const show = (text: string) => console.log(text.replace(/^/gm, '      '));

const children = new Set<ChildProcess>();
let sandbox: Sandbox | undefined;
let work: string | undefined;
let cleaned = false;

async function cleanUp(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) child.kill('SIGTERM');
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${red('Interrupted:')} stopping Terraform and the sandbox, removing the work directory.`);
    void cleanUp().finally(() => {
      process.exitCode = 130;
    });
  });
}

interface Ran {
  readonly code: number;
  /** stdout alone. */
  readonly stdout: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

/** Prints a command as a user would type it, and where it runs, before it runs. */
function echo(command: string, where?: string): void {
  const place =
    where === undefined || where === root ? '' : `   ${dim(`# in ${relative(work ?? root, where) || '.'}`)}`;
  show(`${dim('$')} ${command}${place}`);
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const shown =
    command === process.execPath && args[0] === cli
      ? ['mongodb-invitations', ...args.slice(1)]
      : [command, ...args];
  echo(shown.map((a) => (a.startsWith(work ?? '\0') ? relative(work ?? '', a) || '.' : a)).join(' '), cwd);
  return new Promise((resolve, reject) => {
    if (cleaned) return reject(new Error('interrupted'));
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, stdout, output });
    });
  });
}

async function haveTerraform(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { code, output } = await run('terraform', ['version'], root, env);
    return code === 0 ? output.split('\n')[0] : undefined;
  } catch {
    return undefined;
  }
}

function synthAtlas(outdir: string, invitations: readonly DeclaredInvitation[], baseUrl: string): string {
  echo(`npx cdktf synth   ${dim('# examples/atlas, run in this process')}`);
  const app = new App({ outdir });
  new AtlasInvitationsStack(app, 'atlas-invitations', { invitations, baseUrl });
  app.synth();
  return join(outdir, 'stacks', 'atlas-invitations');
}

function synthOpsManager(
  outdir: string,
  invitations: readonly DeclaredInvitation[],
  baseUrl: string,
): string {
  echo(`npx cdktf synth   ${dim('# examples/ops-manager, run in this process')}`);
  const app = new App({ outdir });
  new OpsManagerInvitationsStack(app, 'ops-manager-invitations', { invitations, baseUrl });
  app.synth();
  return join(outdir, 'stacks', 'ops-manager-invitations');
}

async function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  // -no-color right after the subcommand: a plan file given last stays the last argument.
  const [sub = '', ...rest] = args;
  const { code, output } = await run('terraform', [sub, '-no-color', ...rest], cwd, env);
  if (code !== 0) throw new Error(`terraform ${args.join(' ')} failed (exit ${code}):\n${output}`);
  return output;
}

const lines = (output: string, pattern: RegExp) =>
  output
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => line.trim());

async function cliRun(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return run(process.execPath, [cli, ...args], root, env);
}

async function listPending(target: 'atlas' | 'ops-manager', groupId: string, env: NodeJS.ProcessEnv) {
  const { code, stdout, output } = await cliRun(
    ['list', '--target', target, '--group-id', groupId, '--json'],
    env,
  );
  if (code !== 0) throw new Error(`mongodb-invitations list failed (exit ${code}):\n${output}`);
  const pending = JSON.parse(stdout) as { username: string; roles: string[]; api?: string }[];
  return pending.map((p) => `${p.username}  ${p.roles.join(',')}${p.api ? `  (${p.api})` : ''}`);
}

const usernameOf = (entry: DeclaredInvitation) => ('username' in entry ? entry.username : entry.invitationId);

async function main(): Promise<void> {
  const atlasDeclared = readDeclared(join(root, 'examples', 'atlas', 'invitations.json'));
  const omDeclared = readDeclared(join(root, 'examples', 'ops-manager', 'invitations.json'));
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: '/dev/null',
  };

  console.log(bold('cdktf-mongodb-invitations demo: people in code; Terraform invites and revokes them.'));

  say('Starting the sandbox: an in-memory Atlas + Ops Manager API on 127.0.0.1 (nothing pending yet).');
  sandbox = await Sandbox.start({});
  const { url } = sandbox;
  const serviceAccount = sandbox.credentials.serviceAccounts[0];
  const apiKey = sandbox.credentials.apiKeys[0];
  if (!serviceAccount || !apiKey) throw new Error('the sandbox started without credentials');
  work = mkdtempSync(join(tmpdir(), 'mongodb-invitations-demo-'));
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    // Sandbox-only credentials; in a real pipeline these come from the CI secret store.
    MONGODB_ATLAS_CLIENT_ID: serviceAccount.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: serviceAccount.clientSecret,
    MONGODB_ATLAS_BASE_URL: url,
    OM_PUBLIC_KEY: apiKey.publicKey,
    OM_PRIVATE_KEY: apiKey.privateKey,
    MCLI_PUBLIC_API_KEY: apiKey.publicKey,
    MCLI_PRIVATE_API_KEY: apiKey.privateKey,
    MCLI_OPS_MANAGER_URL: url,
    XDG_CACHE_HOME: join(work, 'cache'),
  };
  const group = atlasDeclared[0]?.groupId ?? '';
  show(`listening on ${url}`);

  const version = await haveTerraform(baseEnv);
  if (!version) {
    await withoutTerraform(atlasDeclared, url, env);
    return;
  }

  say(
    `Synthesizing examples/atlas: ${atlasDeclared.map(usernameOf).join(', ')}; then terraform apply invites them.`,
  );
  show(dim(`${version}; work directory ${work}`));
  const outdir = join(work, 'cdktf.out');
  let stack = synthAtlas(outdir, atlasDeclared, url);
  await terraform(['init', '-input=false'], stack, env);
  const firstApply = await terraform(['apply', '-auto-approve', '-input=false'], stack, env);
  show(lines(firstApply, /\(local-exec\): [✔✖⚠] \S+@|^Apply complete/).join('\n'));
  show((await listPending('atlas', group, env)).map((line) => `pending  ${line}`).join('\n'));

  const removed = atlasDeclared.find((e) => usernameOf(e) === 'bo@example.com');
  if (!removed) throw new Error('examples/atlas/invitations.json needs bo@example.com');
  const kept = atlasDeclared.filter((e) => e !== removed);
  say('A pull request removes bo@example.com from invitations.json. terraform plan names him:');
  const declaredFile = join(work, 'invitations.json');
  writeFileSync(declaredFile, JSON.stringify(kept, null, 2));
  stack = synthAtlas(outdir, readDeclared(declaredFile), url);
  const plan = await terraform(['plan', '-input=false'], stack, env);
  show(lines(plan, /will be destroyed|^Plan:/).join('\n'));

  say("terraform apply: the destroy-time provisioner cancels bo's pending invitation, and only his.");
  const secondApply = await terraform(['apply', '-auto-approve', '-input=false'], stack, env);
  show(lines(secondApply, /\(local-exec\): [✔✖⚠] \S+@|^Apply complete/).join('\n'));
  const pendingNow = await listPending('atlas', group, env);
  show(pendingNow.map((line) => `pending  ${line}`).join('\n'));
  const gone = !pendingNow.some((line) => line.startsWith('bo@example.com'));
  show(gone ? green('✔ bo@example.com is no longer invited') : red('✖ bo@example.com is still pending'));

  const promoted = kept.map((e) =>
    'username' in e && e.username === 'cy@example.com' ? { ...e, roles: ['GROUP_OWNER'] } : e,
  );
  say(
    'A pull request makes cy@example.com GROUP_OWNER. The plan replaces only her roles instance, and plan-summary says it as people:',
  );
  writeFileSync(declaredFile, JSON.stringify(promoted, null, 2));
  stack = synthAtlas(outdir, readDeclared(declaredFile), url);
  const rolePlan = await terraform(['plan', '-input=false', '-out=plan.out'], stack, env);
  show(lines(rolePlan, /must be replaced|will be destroyed|will be created|^Plan:/).join('\n'));
  const shownPlan = await run('terraform', ['show', '-no-color', '-json', 'plan.out'], stack, env);
  if (shownPlan.code !== 0) throw new Error(`terraform show failed:\n${shownPlan.output}`);
  writeFileSync(join(work, 'plan.json'), shownPlan.stdout);
  const summary = await cliRun(['plan-summary', join(work, 'plan.json')], env);
  if (summary.code !== 0) throw new Error(`plan-summary failed (exit ${summary.code}):\n${summary.output}`);
  show(summary.stdout.trim());
  const cyBefore = sandbox.cloudUsers(group).find((u) => u.username === 'cy@example.com');
  const roleApply = await terraform(['apply', '-auto-approve', '-input=false', 'plan.out'], stack, env);
  show(lines(roleApply, /\(local-exec\): [✔✖⚠] \S+@|^Apply complete/).join('\n'));
  const cyAfter = sandbox.cloudUsers(group).find((u) => u.username === 'cy@example.com');
  const inPlace =
    cyAfter !== undefined && cyAfter.id === cyBefore?.id && cyAfter.roles.join(',') === 'GROUP_OWNER';
  show(
    inPlace
      ? green(
          `✔ cy@example.com has GROUP_OWNER on the same invitation (user ${cyAfter.id}): nothing cancelled, no new e-mail`,
        )
      : red('✖ cy@example.com was not changed in place'),
  );

  say('Someone invites eve@example.com in the UI, outside the code. mongodb-invitations audit finds her:');
  echo(`curl -X POST ${url}/api/atlas/v2/groups/${group}/invites -d '{"username":"eve@example.com",…}'`);
  const eve = await fetch(`${url}/api/atlas/v2/groups/${group}/invites`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sandbox.credentials.accessTokens[0] ?? ''}`,
      accept: 'application/vnd.atlas.2023-01-01+json',
      'content-type': 'application/vnd.atlas.2023-01-01+json',
    },
    body: JSON.stringify({ username: 'eve@example.com', roles: ['GROUP_OWNER'] }),
  });
  if (!eve.ok) throw new Error(`the sandbox refused the UI invitation: ${eve.status}`);
  const audit = await cliRun(['audit', stack, '--exit-code'], env);
  show(audit.output.trim());
  show(dim(`audit --exit-code exited ${audit.code} (3: code and server differ)`));
  const pruned = await cliRun(['audit', stack, '--prune', '--yes'], env);
  show(lines(pruned.output, /eve@example\.com|✔|✖/).join('\n'));
  const clean = await cliRun(['audit', stack, '--exit-code'], env);
  show(dim(`audit --exit-code now exits ${clean.code}`));

  say('terraform destroy: every invitation still declared is cancelled.');
  const destroyed = await terraform(['destroy', '-auto-approve', '-input=false'], stack, env);
  show(lines(destroyed, /\(local-exec\): [✔✖⚠] \S+@|^Destroy complete/).join('\n'));
  show(`pending after destroy: ${(await listPending('atlas', group, env)).length}`);
  const tokens = sandbox.log.filter((entry) => entry.path === '/api/oauth/token').length;
  show(`HTTP requests to the token endpoint in all of this: ${tokens}`);

  say('The same with examples/ops-manager (API keys over HTTP Digest): apply, remove one, apply.');
  const omOut = join(work, 'om.out');
  let omStack = synthOpsManager(omOut, omDeclared, url);
  await terraform(['init', '-input=false'], omStack, env);
  const omFirst = await terraform(['apply', '-auto-approve', '-input=false'], omStack, env);
  show(lines(omFirst, /\(local-exec\): [✔✖⚠] \S+@|^Apply complete/).join('\n'));
  omStack = synthOpsManager(omOut, omDeclared.slice(1), url);
  const omApply = await terraform(['apply', '-auto-approve', '-input=false'], omStack, env);
  show(lines(omApply, /\(local-exec\): [✔✖⚠] \S+@|^Apply complete/).join('\n'));
  const omGroup = omDeclared[0]?.groupId ?? '';
  show((await listPending('ops-manager', omGroup, env)).map((line) => `pending  ${line}`).join('\n'));

  say('What the sandbox saw (the requests that changed something; its log holds no secret):');
  show(
    sandbox.log
      .filter((e) => (e.method === 'POST' || e.method === 'DELETE') && e.authScheme !== 'none')
      .map((e) => `${e.method} ${e.path} → ${e.status} (${e.authScheme})`)
      .join('\n'),
  );
  console.log(`\n${green('Done.')} Stopping the sandbox and removing ${work}.`);
}

async function withoutTerraform(
  declared: readonly DeclaredInvitation[],
  url: string,
  env: NodeJS.ProcessEnv,
) {
  say('No `terraform` binary on PATH: showing what would happen instead.');
  const outdir = join(work ?? tmpdir(), 'cdktf.out');
  const stack = synthAtlas(outdir, declared, url);
  const json = readFileSync(join(stack, 'cdk.tf.json'), 'utf8');
  show('The synthesized configuration (cdk.tf.json), the part that invites and revokes:');
  show(JSON.stringify((JSON.parse(json) as { resource: unknown }).resource, null, 2));
  const [first] = declared;
  if (!first || !('username' in first)) return;
  const who = ['--target', 'atlas', '--group-id', first.groupId, '--username', first.username];
  show(
    `Applying would run the create-time provisioner for ${first.username}; here it is, for real, against the sandbox:`,
  );
  show((await cliRun(['invite', ...who, '--roles', first.roles.join(',')], env)).output.trim());
  show('Removing the entry and applying would run the destroy-time provisioner:');
  show((await cliRun(['revoke', ...who], env)).output.trim());
  show('Install Terraform ≥ 1.4 (or OpenTofu) and run `npm run demo` again to see the full lifecycle.');
}

main()
  .catch((error: unknown) => {
    console.error(`\n${red('Demo failed:')} ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
