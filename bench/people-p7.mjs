// P7: `terraform apply` that INVITES 200 people (Cloud Users API, service account) at -parallelism=10
// against the sandbox (in this process, invitation rate limit off), with the construct's real create-time
// provisioner (the bundled CLI: look up, then POST) versus the same stack whose create-time provisioner
// runs bare `node -e ''` (the floor for any Node-based provisioner). Both stacks come from one synth: the
// baseline rewrites the invite provisioner's interpreter in cdk.tf.json, so both have the same shape.
// Variants alternate round by round (the order flips each round); each round synthesizes afresh into a
// new workspace (cold CLI asset and V8 code cache, as in a fresh CI checkout) and a new project, runs
// `terraform init` (not timed), then times `terraform apply`.
// Checked for the CLI: every person invited exactly once (201 POSTs = people, no other POST, one pending
// user each) and the token requests of the apply (target: one, shared through the token cache).
//
// Runs the compiled package (what users run): npm run build && node bench/people-p7.mjs
//   [--people 200] [--rounds 3] [--parallelism 10]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout, clearTimeout } from 'node:timers';

const require = createRequire(import.meta.url);
const { App, LocalBackend, TerraformStack } = require('cdktf');
const { InvitationTarget, ProjectInvitations } = require('../dist/index.js');
const { Sandbox } = require('../dist/sandbox/server.js');

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    parallelism: { type: 'string', default: '10' },
  },
});
const people = Number(values.people);
const rounds = Number(values.rounds);
const parallelism = Number(values.parallelism);
const VARIANTS = ['cli', 'node-e'];

function terraform(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`terraform ${args[0]} exited with ${code}:\n${out}`));
    });
  });
}

function cleanEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(MONGODB_|MCLI_|TF_)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    ...extra,
  };
}

function synth(outdir, baseUrl, groupId, usernames) {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new ProjectInvitations(stack, 'bench', {
    target: InvitationTarget.atlas({ baseUrl, auth: 'service-account' }),
    invitations: usernames.map((username) => ({ groupId, username, roles: ['GROUP_READ_ONLY'] })),
  });
  app.synth();
  return join(outdir, 'stacks', 'bench');
}

// Terraform appends `command` ("invite") as the last argument: `node -e '' invite`. Same environment map,
// same destroy provisioner, same everything else.
function rewriteInvite(stackDir) {
  const file = join(stackDir, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  for (const block of Object.values(config.resource.terraform_data)) {
    const invite = block.provisioner.find(
      (p) => p['local-exec'].command === 'invite' && !p['local-exec'].when,
    );
    invite['local-exec'].interpreter = ['node', '-e', ''];
  }
  writeFileSync(file, JSON.stringify(config, null, 2));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round3 = (x) => Math.round(x * 1000) / 1000;

const sandbox = await Sandbox.start({ tokenRateLimit: false, invitationRateLimit: 'off' });
const [account] = sandbox.credentials.serviceAccounts;
const times = { cli: [], 'node-e': [] };
const checks = [];
const load = [
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
];
try {
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const root = mkdtempSync(join(tmpdir(), 'pi-bench-p7-'));
      try {
        const env = cleanEnv({
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
          XDG_CACHE_HOME: join(root, 'cache'),
        });
        const groupId = randomBytes(12).toString('hex');
        const usernames = Array.from({ length: people }, (_, i) => `p${i}-r${r}@example.com`);
        const stackDir = synth(join(root, 'out'), sandbox.url, groupId, usernames);
        if (variant === 'node-e') rewriteInvite(stackDir);
        await terraform(['init', '-no-color', '-input=false'], stackDir, env);
        const mark = sandbox.log.length;
        const tokensBefore = sandbox.tokensIssued;
        const start = process.hrtime.bigint();
        await terraform(
          ['apply', '-auto-approve', '-no-color', '-input=false', `-parallelism=${parallelism}`],
          stackDir,
          env,
        );
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        times[variant].push(ms);
        if (variant === 'cli') {
          const posts = sandbox.log
            .slice(mark)
            .filter((e) => e.method === 'POST' && e.path === `/api/atlas/v2/groups/${groupId}/users`);
          const created = posts.filter((e) => e.status === 201).length;
          const pending = sandbox.cloudUsers(groupId).filter((u) => u.orgMembershipStatus === 'PENDING');
          const distinct = new Set(pending.map((u) => u.username)).size;
          const check = {
            round: r + 1,
            posts: posts.length,
            created,
            pending: pending.length,
            distinct,
            tokenRequests: sandbox.tokensIssued - tokensBefore,
          };
          checks.push(check);
          if (
            created !== people ||
            posts.length !== people ||
            pending.length !== people ||
            distinct !== people
          ) {
            throw new Error(`not every person invited exactly once: ${JSON.stringify(check)}`);
          }
        }
        process.stderr.write(
          `round ${r + 1} ${variant}: ${ms.toFixed(0)} ms (load ${loadavg()[0].toFixed(2)})\n`,
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  }
} finally {
  await sandbox.stop();
}
load.push(
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
);

const m = { cli: median(times.cli), 'node-e': median(times['node-e']) };
process.stdout.write(
  `${JSON.stringify(
    {
      people,
      parallelism,
      rounds,
      node: process.version,
      loadavgBeforeAfter: load,
      msPerRound: times,
      medianMs: m,
      ratioOfMedians: round3(m.cli / m['node-e']),
      ratioPerRound: times.cli.map((t, r) => round3(t / times['node-e'][r])),
      extraMsPerInviteOverNodeE: round3((m.cli - m['node-e']) / people),
      cliChecks: checks,
    },
    null,
    2,
  )}\n`,
);
