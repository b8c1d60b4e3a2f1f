// P8: `mongodb-invitations audit` over 2,000 declared people in 20 projects, 600 pending in each (sandbox
// in process); wall time and requests, against a bare `--version` start. Report: bench/audit.md.
//   npm run build && node bench/audit-p8.mjs [--rounds 5] [--bundle dist/mongodb-invitations.cjs]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { App, TerraformStack } from 'cdktf';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    bundle: { type: 'string', default: 'dist/mongodb-invitations.cjs' },
    projects: { type: 'string', default: '20' },
    declared: { type: 'string', default: '100' },
    pending: { type: 'string', default: '600' },
  },
});
const root = resolve(import.meta.dirname, '..');
const { Sandbox } = await import(join(root, 'dist', 'sandbox', 'server.js'));
const { InvitationTarget, ProjectInvitations } = await import(join(root, 'dist', 'index.js'));
const [PROJECTS, DECLARED, PENDING] = [values.projects, values.declared, values.pending].map(Number);
const KEYS = { publicKey: 'bench-pub', privateKey: 'BENCH-PRIVATE-p8' };

const sandbox = await Sandbox.start({
  credentials: { apiKeys: [KEYS], serviceAccounts: [], accessTokens: [] },
  invitationRateLimit: 'off',
  tokenRateLimit: false,
});
const hex = (n, width = 24) => n.toString(16).padStart(width, '0');
const groups = Array.from({ length: PROJECTS }, (_, p) => `a${hex(p, 23)}`);
const seed = [];
const invitations = [];
for (const groupId of groups) {
  for (let i = 0; i < PENDING; i++) {
    const username = `person${i}@example.com`;
    seed.push({ groupId, username, roles: ['GROUP_READ_ONLY'], api: 'cloud-users' });
    if (i < DECLARED) invitations.push({ groupId, username, roles: ['GROUP_READ_ONLY'] });
  }
}
sandbox.seed(seed);

const dir = mkdtempSync(join(tmpdir(), 'mdbinv-p8-'));
const app = new App({ outdir: join(dir, 'cdktf.out') });
const stack = new TerraformStack(app, 'p8');
new ProjectInvitations(stack, 'team', {
  target: InvitationTarget.atlas({ baseUrl: sandbox.url }),
  credentials: { publicKeyEnv: 'P8_PUBLIC', privateKeyEnv: 'P8_PRIVATE' },
  invitations,
});
app.synth();
const stackDir = join(dir, 'cdktf.out', 'stacks', 'p8');
const env = {
  PATH: process.env.PATH,
  P8_PUBLIC: KEYS.publicKey,
  P8_PRIVATE: KEYS.privateKey,
  MONGODB_INVITATIONS_TOKEN_CACHE: 'off',
};

function timed(args) {
  return new Promise((resolvePromise, reject) => {
    const mark = sandbox.log.length;
    const start = process.hrtime.bigint();
    execFile(
      process.execPath,
      [values.bundle, ...args],
      { env, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const code = err ? err.code : 0;
        if (code !== 0 && code !== 3) return reject(new Error(`exit ${code}: ${stderr}`));
        const log = sandbox.log.slice(mark);
        resolvePromise({ ms, code, stdout, stderr, requests: log.length, log });
      },
    );
  });
}

const rounds = Number(values.rounds);
const audits = [];
const starts = [];
for (let r = 0; r < rounds; r++) {
  starts.push(await timed(['--version']));
  audits.push(await timed(['audit', stackDir, '--exit-code']));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const last = audits.at(-1);
const byKind = {};
for (const e of last.log) {
  const key = `${e.method} ${e.path.includes('/invites') ? 'invites' : 'users'} ${e.authScheme === 'none' ? 'challenge' : e.status}`;
  byKind[key] = (byKind[key] ?? 0) + 1;
}
const pagesNeeded = PROJECTS * (Math.ceil(PENDING / 500) + 1);
console.log(
  `P8: ${PROJECTS} projects × ${DECLARED} declared (${PROJECTS * DECLARED} people), ${PENDING} pending each`,
);
console.log(
  `audit wall time, ms (${rounds} rounds): ${audits.map((a) => a.ms.toFixed(0)).join(' ')}; median ${median(audits.map((a) => a.ms)).toFixed(0)}`,
);
console.log(
  `node bundle --version, ms: ${starts.map((a) => a.ms.toFixed(0)).join(' ')}; median ${median(starts.map((a) => a.ms)).toFixed(0)}`,
);
console.log(
  `ratio audit / bare start: ${(median(audits.map((a) => a.ms)) / median(starts.map((a) => a.ms))).toFixed(2)}×`,
);
console.log(
  `requests per audit: ${audits.map((a) => a.requests).join(' ')} (pages needed: ${pagesNeeded} list calls + Digest challenges)`,
);
console.log(`last run's requests by kind: ${JSON.stringify(byKind)}`);
console.log(`exit code ${last.code}; summary: ${last.stderr.trim().split('\n').at(-1)}`);
await sandbox.stop();
rmSync(dir, { recursive: true, force: true });
