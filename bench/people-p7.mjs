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
// --variants cli,minimal,same,node-e adds the floors of a Node provisioner that does the work: "minimal", a
// minimal node:http script that sends one GET (is the person there?) and the POST; "same", one that sends
// the requests the CLI sends for a new person (its Cloud Users page, the invites API's list, the POST).
// With --auth token the stack and every variant use one static access token (bench/throughput.md).
// P9: --invitation-rate-limit 10/5 makes the sandbox refuse more than 10 invitations per 5 s (400
// INVITATIONS_RATE_LIMITED_IP with Retry-After), which the CLI waits out; the report gives the time the limit
// allows (the windows after the first) beside each apply. Each round waits one window before its apply, so
// that it starts from an empty window.
//
// Runs the compiled package (what users run): npm run build && node bench/people-p7.mjs
//   [--people 200] [--rounds 3] [--parallelism 10] [--variants cli,node-e] [--auth service-account|token]
//   [--before FILE]   (variant "before": that bundle of the CLI as the create-time provisioner)
//   [--invitation-rate-limit COUNT/SECONDS]
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
    people: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    parallelism: { type: 'string', default: '10' },
    variants: { type: 'string', default: 'cli,node-e' },
    auth: { type: 'string', default: 'service-account' },
    before: { type: 'string' },
    'invitation-rate-limit': { type: 'string', default: 'off' },
  },
});
const LIMIT =
  values['invitation-rate-limit'] === 'off'
    ? 'off'
    : (() => {
        const [count, seconds] = values['invitation-rate-limit'].split('/').map(Number);
        return { count, windowMs: seconds * 1000 };
      })();
const people = Number(values.people);
if (LIMIT !== 'off' && values.variants.split(',').some((v) => v !== 'cli' && v !== 'before')) {
  throw new Error('--invitation-rate-limit: only the CLI variants wait out the limit (--variants cli)');
}
/** The least time the limit allows for `people` invitations: every window after the first. */
const limitAllowsMs = LIMIT === 'off' ? undefined : (Math.ceil(people / LIMIT.count) - 1) * LIMIT.windowMs;
const rounds = Number(values.rounds);
const parallelism = Number(values.parallelism);
const VARIANTS = values.variants.split(',');
const AUTH = values.auth;
if (AUTH !== 'service-account' && AUTH !== 'token') throw new Error('--auth: service-account or token');
// The minimal GET + POST (Cloud Users, as the CLI sends for a new person), reading the provisioner's
// variables as the CLI does (no `${`: Terraform would read it as an interpolation).
const MINIMAL =
  "const e=process.env,h=require('node:http'),u=new URL(e.MONGODB_INVITATIONS_ENTRY_BASE_URL)," +
  "p='/api/atlas/v2/groups/'+e.MONGODB_INVITATIONS_ENTRY_GROUP_ID+'/users',n=e.MONGODB_INVITATIONS_ENTRY_USERNAME," +
  "a={accept:'application/vnd.atlas.2025-02-19+json',authorization:'Bearer '+e.MONGODB_ATLAS_ACCESS_TOKEN}," +
  'o=(m,q,b,f)=>{h.request({host:u.hostname,port:u.port,method:m,path:p+q,' +
  "headers:b?{...a,'content-type':a.accept}:a},(s)=>{let d='';s.setEncoding('utf8');" +
  "s.on('data',(c)=>{d+=c});s.on('end',()=>f(s.statusCode,d))}).end(b)};" +
  "o('GET','?username='+encodeURIComponent(n),undefined,(c)=>{if(c!==200){process.exitCode=1;return}" +
  "o('POST','',JSON.stringify({username:n,roles:e.MONGODB_INVITATIONS_ENTRY_ROLES.split(',')})," +
  '(c)=>{process.exitCode=c===201?0:1})});';
// The same requests as the CLI for a new person: one unfiltered page of Cloud Users, the invites API's list
// (its own media type), then the POST; the answers are read, not interpreted.
const SAME =
  "const e=process.env,h=require('node:http'),u=new URL(e.MONGODB_INVITATIONS_ENTRY_BASE_URL)," +
  "g='/api/atlas/v2/groups/'+e.MONGODB_INVITATIONS_ENTRY_GROUP_ID,n=e.MONGODB_INVITATIONS_ENTRY_USERNAME," +
  "c='application/vnd.atlas.2025-02-19+json',i='application/vnd.atlas.2023-01-01+json'," +
  'o=(m,q,t,b,f)=>{h.request({host:u.hostname,port:u.port,method:m,path:g+q,' +
  "headers:{accept:t,authorization:'Bearer '+e.MONGODB_ATLAS_ACCESS_TOKEN,...(b?{'content-type':t}:{})}}," +
  "(s)=>{let d='';s.setEncoding('utf8');s.on('data',(x)=>{d+=x});s.on('end',()=>f(s.statusCode,d))}).end(b)}," +
  'x=(k)=>{if(k!==200){process.exitCode=1;return true}return false};' +
  "o('GET','/users?itemsPerPage=500&pageNum=1',c,undefined,(k)=>{if(x(k))return;" +
  "o('GET','/invites',i,undefined,(k)=>{if(x(k))return;" +
  "o('POST','/users',c,JSON.stringify({username:n,roles:e.MONGODB_INVITATIONS_ENTRY_ROLES.split(',')})," +
  '(k)=>{process.exitCode=k===201?0:1})})});';
const INTERPRETER = {
  'node-e': ['node', '-e', ''],
  minimal: ['node', '-e', MINIMAL],
  same: ['node', '-e', SAME],
  // A copy in each stack (below): a cold V8 code cache, as the shipped asset has.
  ...(values.before ? { before: ['node', 'before.cjs'] } : {}),
};
const loadNow = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

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
    target: InvitationTarget.atlas({ baseUrl, auth: AUTH }),
    invitations: usernames.map((username) => ({ groupId, username, roles: ['GROUP_READ_ONLY'] })),
  });
  app.synth();
  return join(outdir, 'stacks', 'bench');
}

// Terraform appends `command` ("invite") as the last argument: `node -e '' invite`. Same environment map,
// same destroy provisioner, same everything else.
function rewriteInvite(stackDir, interpreter) {
  const file = join(stackDir, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  for (const block of Object.values(config.resource.terraform_data)) {
    const invite = block.provisioner.find(
      (p) => p['local-exec'].command === 'invite' && !p['local-exec'].when,
    );
    if (invite) invite['local-exec'].interpreter = interpreter; // the roles block holds the invite
  }
  writeFileSync(file, JSON.stringify(config, null, 2));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round3 = (x) => Math.round(x * 1000) / 1000;

const sandbox = await Sandbox.start({ tokenRateLimit: false, invitationRateLimit: LIMIT });
const [account] = sandbox.credentials.serviceAccounts;
const [accessToken] = sandbox.credentials.accessTokens;
const times = Object.fromEntries(VARIANTS.map((v) => [v, []]));
const checks = [];
const load = [loadNow()];
try {
  for (let r = 0; r < rounds; r++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
    for (const variant of order) {
      const root = mkdtempSync(join(tmpdir(), 'pi-bench-p7-'));
      try {
        const env = cleanEnv({
          MONGODB_ATLAS_CLIENT_ID: account.clientId,
          MONGODB_ATLAS_CLIENT_SECRET: account.clientSecret,
          XDG_CACHE_HOME: join(root, 'cache'),
          ...(variant === 'minimal' || variant === 'same' || AUTH === 'token'
            ? { MONGODB_ATLAS_ACCESS_TOKEN: accessToken }
            : {}),
        });
        const groupId = randomBytes(12).toString('hex');
        const usernames = Array.from({ length: people }, (_, i) => `p${i}-r${r}@example.com`);
        const stackDir = synth(join(root, 'out'), sandbox.url, groupId, usernames);
        if (INTERPRETER[variant]) rewriteInvite(stackDir, INTERPRETER[variant]);
        if (variant === 'before') copyFileSync(values.before, join(stackDir, 'before.cjs'));
        await terraform(['init', '-no-color', '-input=false'], stackDir, env);
        // P9: every round starts from an empty window, as a first apply does; else the previous round's
        // last invitations (from the same address) still count and hold this round's first batch back.
        if (LIMIT !== 'off') await new Promise((resolve) => setTimeout(resolve, LIMIT.windowMs));
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
        if (variant !== 'node-e') {
          const posts = sandbox.log
            .slice(mark)
            .filter((e) => e.method === 'POST' && e.path === `/api/atlas/v2/groups/${groupId}/users`);
          const created = posts.filter((e) => e.status === 201).length;
          const limited = posts.filter((e) => e.status === 400).length;
          const pending = sandbox.cloudUsers(groupId).filter((u) => u.orgMembershipStatus === 'PENDING');
          const distinct = new Set(pending.map((u) => u.username)).size;
          const check = {
            variant,
            round: r + 1,
            posts: posts.length,
            created,
            limited,
            requests: sandbox.log.length - mark,
            pending: pending.length,
            distinct,
            tokenRequests: sandbox.tokensIssued - tokensBefore,
          };
          checks.push(check);
          if (
            created !== people ||
            posts.length !== people + (LIMIT === 'off' ? 0 : limited) ||
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
load.push(loadNow());

const m = Object.fromEntries(VARIANTS.map((v) => [v, median(times[v])]));
process.stdout.write(
  `${JSON.stringify(
    {
      people,
      parallelism,
      rounds,
      auth: AUTH,
      node: process.version,
      loadavgBeforeAfter: load,
      msPerRound: times,
      medianMs: m,
      ...(m['node-e'] === undefined
        ? {}
        : {
            ratioOfMedians: round3(m.cli / m['node-e']),
            ratioPerRound: times.cli.map((t, r) => round3(t / times['node-e'][r])),
          }),
      ...(m['node-e'] === undefined
        ? {}
        : { extraMsPerInviteOverNodeE: round3((m.cli - m['node-e']) / people) }),
      ...(limitAllowsMs === undefined
        ? {}
        : {
            invitationRateLimit: values['invitation-rate-limit'],
            limitAllowsMs,
            ratioToLimit: Object.fromEntries(VARIANTS.map((v) => [v, round3(m[v] / limitAllowsMs)])),
            ratioToLimitPerRound: Object.fromEntries(
              VARIANTS.map((v) => [v, times[v].map((t) => round3(t / limitAllowsMs))]),
            ),
          }),
      ...(m.minimal === undefined
        ? {}
        : {
            ratioToMinimal: Object.fromEntries(VARIANTS.map((v) => [v, round3(m[v] / m.minimal)])),
            ratioToMinimalPerRound: Object.fromEntries(
              VARIANTS.map((v) => [v, times[v].map((t, r) => round3(t / times.minimal[r]))]),
            ),
          }),
      cliChecks: checks,
    },
    null,
    2,
  )}\n`,
);
