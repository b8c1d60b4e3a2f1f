// P2 per process, without Terraform: N bundled revokes (each auth mode and HTTP client) vs `node -e ''`
// and the node:http floor, N at a time. bench/cli.md; docs/decisions/0001-node-http-for-the-cli.md
//   npm run build && node bench/construct-p2-processes.mjs [--entries 200] [--parallelism 10] [--rounds 3] …
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Sandbox } = require('../dist/sandbox/server.js');

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '200' },
    parallelism: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    auth: { type: 'string', default: 'service-account,digest,access-token' },
    http: { type: 'string', default: 'node-http,undici' },
  },
});
const entries = Number(values.entries);
const parallelism = Number(values.parallelism);
const rounds = Number(values.rounds);
const provisioner = resolve('dist/provisioner');

function run(args, env) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolveRun() : reject(new Error(`exit ${code}: ${err}`))));
  });
}

async function pool(jobs) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
}

const base = {};
for (const [k, v] of Object.entries(process.env)) if (!/^(MONGODB_|MCLI_)/.test(k)) base[k] = v;

const sandbox = await Sandbox.start({ tokenRateLimit: false });
const [sa] = sandbox.credentials.serviceAccounts;
const [key] = sandbox.credentials.apiKeys;
const [token] = sandbox.credentials.accessTokens;
// The floor reads the provisioner's variables, as the CLI does, and sends one DELETE with node:http.
const FLOOR =
  "const e=process.env,u=new URL(e.MONGODB_INVITATIONS_BASE_URL);require('node:http').request(" +
  "{host:u.hostname,port:u.port,method:'DELETE',path:'/api/atlas/v2/groups/'+e.MONGODB_INVITATIONS_GROUP_ID" +
  "+'/invites/'+e.MONGODB_INVITATIONS_INVITATION_ID,headers:{accept:'application/vnd.atlas.2023-01-01+json'," +
  "authorization:'Bearer '+e.MONGODB_ATLAS_ACCESS_TOKEN}},(s)=>{s.resume();s.on('end',()=>{" +
  'process.exitCode=s.statusCode===204?0:1})}).end();';
const auths = {
  'service-account': (root) => ({
    MONGODB_INVITATIONS_AUTH: 'service-account',
    MONGODB_ATLAS_CLIENT_ID: sa.clientId,
    MONGODB_ATLAS_CLIENT_SECRET: sa.clientSecret,
    XDG_CACHE_HOME: join(root, 'cache'),
  }),
  digest: () => ({
    MONGODB_INVITATIONS_AUTH: 'digest',
    MONGODB_ATLAS_PUBLIC_API_KEY: key.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: key.privateKey,
  }),
  'access-token': () => ({ MONGODB_INVITATIONS_AUTH: 'token', MONGODB_ATLAS_ACCESS_TOKEN: token }),
};
/** name → (root, cli) → [node arguments, extra environment, revokes expected] */
const variants = {
  'node-e': () => ({ args: ['-e', ''], env: {}, revokes: false }),
  'node:http floor': () => ({
    args: ['-e', FLOOR],
    env: { MONGODB_ATLAS_ACCESS_TOKEN: token },
    revokes: true,
  }),
};
for (const http of values.http.split(',')) {
  for (const auth of values.auth.split(',')) {
    variants[`${auth} ${http}`] = (root, cli) => ({
      args: [cli, 'revoke'],
      env: { ...auths[auth](root), MONGODB_INVITATIONS_HTTP: http },
      revokes: true,
    });
  }
}
const names = Object.keys(variants);
const times = Object.fromEntries(names.map((n) => [n, []]));
try {
  for (let r = 0; r < rounds; r++) {
    for (const name of names.map((_, i) => names[(i + r) % names.length])) {
      const root = mkdtempSync(join(tmpdir(), 'pi-bench-proc-'));
      // A fresh copy of the asset folder, as the construct ships it: its V8 code cache starts cold.
      mkdirSync(join(root, 'asset'));
      for (const name of ['mongodb-invitations.cjs', 'mongodb-invitations.program.cjs'])
        copyFileSync(join(provisioner, name), join(root, 'asset', name));
      const cli = join(root, 'asset', 'mongodb-invitations.cjs');
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
      const { args, env, revokes } = variants[name](root, cli);
      const jobs = ids.map(
        (id) => () =>
          run(args, {
            ...base,
            MONGODB_INVITATIONS_TARGET: 'atlas',
            MONGODB_INVITATIONS_BASE_URL: sandbox.url,
            MONGODB_INVITATIONS_GROUP_ID: groupId,
            MONGODB_INVITATIONS_INVITATION_ID: id,
            ...env,
          }),
      );
      const start = process.hrtime.bigint();
      await pool(jobs);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      times[name].push(ms);
      if (revokes && sandbox.invitations('atlas', groupId).length !== 0)
        throw new Error(`${name}: invitations left`);
      process.stderr.write(`round ${r + 1} ${name}: ${ms.toFixed(0)} ms\n`);
      rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  await sandbox.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(times['node-e']);
process.stdout.write(
  `${JSON.stringify(
    {
      entries,
      parallelism,
      rounds,
      msPerRound: times,
      medianMs: Object.fromEntries(names.map((n) => [n, Math.round(median(times[n]))])),
      ratioToNodeE: Object.fromEntries(
        names.map((n) => [n, Math.round((median(times[n]) / floor) * 1000) / 1000]),
      ),
    },
    null,
    2,
  )}\n`,
);
