// P2 + P3: `terraform apply` destroying 200 entries (-parallelism=10) with the real provisioner (both HTTP
// clients) vs the node:http floor, `node -e ''` and `true`; token requests. Report: bench/construct.md.
// With --auth token the stack and every variant use one static access token (MONGODB_ATLAS_ACCESS_TOKEN),
// so the CLI and the node:http floor do the same work (bench/throughput.md, "P2, P7, P1, P9").
//   npm run build && node bench/construct-p2.mjs [--entries 200] [--rounds 3] [--parallelism 10] [--variants]
//     [--auth service-account|token] [--before FILE]   (variant "before": that bundle as the provisioner)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    entries: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    parallelism: { type: 'string', default: '10' },
    variants: { type: 'string', default: 'cli node-http,cli undici,node:http floor,node-e,true' },
    auth: { type: 'string', default: 'service-account' },
    before: { type: 'string' },
  },
});
const entries = Number(values.entries);
const rounds = Number(values.rounds);
const parallelism = Number(values.parallelism);
const VARIANTS = values.variants.split(',');
const AUTH = values.auth;
if (AUTH !== 'service-account' && AUTH !== 'token') throw new Error('--auth: service-account or token');
const loadNow = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const load = [loadNow()];
const isCli = (variant) => variant.startsWith('cli ');
// The floor reads the provisioner's variables, as the CLI does, and sends one DELETE with node:http
// (no `${`: Terraform would read it as an interpolation).
const FLOOR =
  "const e=process.env,u=new URL(e.MONGODB_INVITATIONS_ENTRY_BASE_URL);require('node:http').request(" +
  "{host:u.hostname,port:u.port,method:'DELETE',path:'/api/atlas/v2/groups/'+e.MONGODB_INVITATIONS_ENTRY_GROUP_ID" +
  "+'/invites/'+e.MONGODB_INVITATIONS_ENTRY_INVITATION_ID,headers:{accept:'application/vnd.atlas.2023-01-01+json'," +
  "authorization:'Bearer '+e.MONGODB_ATLAS_ACCESS_TOKEN}},(s)=>{s.resume();s.on('end',()=>{" +
  'process.exitCode=s.statusCode===204?0:1})}).end();';
const INTERPRETER = {
  'node:http floor': ['node', '-e', FLOOR],
  'node-e': ['node', '-e', ''],
  true: ['true'],
  // A copy in each stack (below): a cold V8 code cache, as the shipped asset has.
  ...(values.before ? { before: ['node', 'before.cjs'] } : {}),
};

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

function synth(outdir, baseUrl, groupId, ids) {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new ProjectInvitations(stack, 'bench', {
    target: InvitationTarget.atlas({ baseUrl, auth: AUTH }),
    invitations: ids.map((invitationId) => ({ groupId, invitationId })),
  });
  app.synth();
  return join(outdir, 'stacks', 'bench');
}

// Terraform appends `command` ("revoke") as the last argument: `node -e '' revoke`, `true revoke`.
// Same environment map, same everything else; only the destroy-time provisioner is rewritten.
function rewriteProvisioner(stackDir, variant) {
  if (isCli(variant)) return;
  if (variant === 'before') copyFileSync(values.before, join(stackDir, 'before.cjs'));
  const file = join(stackDir, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  for (const block of Object.values(config.resource.terraform_data)) {
    for (const p of block.provisioner) {
      if (p['local-exec'].when === 'destroy') p['local-exec'].interpreter = INTERPRETER[variant];
    }
  }
  writeFileSync(file, JSON.stringify(config, null, 2));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const sandbox = await Sandbox.start({ tokenRateLimit: false });
const [account] = sandbox.credentials.serviceAccounts;
const [accessToken] = sandbox.credentials.accessTokens;
const times = Object.fromEntries(VARIANTS.map((v) => [v, []]));
const tokens = [];
try {
  for (let r = 0; r < rounds; r++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
    for (const variant of order) {
      const root = mkdtempSync(join(tmpdir(), 'pi-bench-p2-'));
      try {
        const env = cleanEnv({
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
          XDG_CACHE_HOME: join(root, 'cache'),
          ...(isCli(variant) ? { MONGODB_INVITATIONS_HTTP: variant.slice(4) } : {}),
          ...(variant === 'node:http floor' || AUTH === 'token'
            ? { MONGODB_ATLAS_ACCESS_TOKEN: accessToken }
            : {}),
        });
        const groupId = randomBytes(12).toString('hex');
        const ids = Array.from({ length: entries }, () => randomBytes(12).toString('hex'));
        sandbox.seed(
          ids.map((id) => ({
            target: 'atlas',
            groupId,
            id,
            username: `${id}@example.com`,
            roles: ['GROUP_READ_ONLY'],
          })),
        );
        const outdir = join(root, 'out');
        const stackDir = synth(outdir, sandbox.url, groupId, ids);
        await terraform(['init', '-no-color', '-input=false'], stackDir, env);
        await terraform(
          ['apply', '-auto-approve', '-no-color', '-input=false', `-parallelism=${parallelism}`],
          stackDir,
          env,
        );
        synth(outdir, sandbox.url, groupId, []);
        rewriteProvisioner(stackDir, variant);
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
        if (variant !== 'node-e' && variant !== 'true') {
          const revoked = sandbox.log
            .slice(mark)
            .filter((e) => e.method === 'DELETE' && e.status === 204).length;
          if (revoked !== entries) throw new Error(`expected ${entries} revokes, the sandbox saw ${revoked}`);
          if (sandbox.invitations('atlas', groupId).length !== 0) throw new Error('invitations left pending');
          if (isCli(variant)) tokens.push(sandbox.tokensIssued - tokensBefore);
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

load.push(loadNow());
const m = Object.fromEntries(VARIANTS.map((v) => [v, median(times[v])]));
const FLOOR_NAME = 'node:http floor';
const round3 = (x) => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify(
    {
      entries,
      parallelism,
      rounds,
      auth: AUTH,
      node: process.version,
      loadavgBeforeAfter: load,
      msPerRound: times,
      medianMs: m,
      ratioToNodeE: Object.fromEntries(VARIANTS.map((v) => [v, round3(m[v] / m['node-e'])])),
      // Paired: each variant over `node -e ''` of the same round.
      ratioToNodeEPerRound: Object.fromEntries(
        VARIANTS.map((v) => [v, times[v].map((t, r) => round3(t / times['node-e'][r]))]),
      ),
      ...(m[FLOOR_NAME] === undefined
        ? {}
        : {
            ratioToFloor: Object.fromEntries(VARIANTS.map((v) => [v, round3(m[v] / m[FLOOR_NAME])])),
            ratioToFloorPerRound: Object.fromEntries(
              VARIANTS.map((v) => [v, times[v].map((t, r) => round3(t / times[FLOOR_NAME][r]))]),
            ),
          }),
      ratioToTrue: Object.fromEntries(VARIANTS.map((v) => [v, round3(m[v] / m.true)])),
      extraMsPerRevokeOverNodeE: Object.fromEntries(
        VARIANTS.filter(isCli).map((v) => [v, round3((m[v] - m['node-e']) / entries)]),
      ),
      p3TokenRequestsPerRound: tokens,
    },
    null,
    2,
  )}\n`,
);
