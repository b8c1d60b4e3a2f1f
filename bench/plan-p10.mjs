// P10: `terraform plan -refresh=false` of one stack of N people (the construct as shipped, both blocks and
// their provisioners, nothing in state) against Terraform's floor for the same N: one `terraform_data` block
// with `for_each` over a `locals` map of N entries of five short attributes (the people's identity), no
// provisioner. Optionally the same people synthesized by another build of the package (`--before`, e.g. the
// previous layout). Each configuration is synthesized once and `terraform init` runs once per directory (not
// timed); then the variants alternate round by round (the order flips each round), sizes in turn.
//
//   npm run build && node bench/plan-p10.mjs [--sizes 200,1000,2000] [--rounds 3]
//     [--before /path/to/other/dist/index.js] [--before-sizes 200,1000]
// Report: bench/throughput.md. Terraform runs with CHECKPOINT_DISABLE=1 and TF_CLI_CONFIG_FILE=/dev/null.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { App, TerraformStack } = require('cdktf');

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200,1000,2000' },
    rounds: { type: 'string', default: '3' },
    before: { type: 'string' },
    'before-sizes': { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);
const beforeSizes = (values['before-sizes'] ?? values.sizes).split(',').map(Number);
const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const IDENTITY = ['target', 'base_url', 'group_id', 'invitation_id', 'username'];
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TF_|MONGODB_|MCLI_)/.test(k))),
  CHECKPOINT_DISABLE: '1',
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1',
};
const loadNow = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const usernames = (n) => Array.from({ length: n }, (_, i) => `person${i}@example.com`);

function run(args, cwd) {
  return new Promise((done, fail) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', fail);
    child.once('close', (code) =>
      code === 0
        ? done(out)
        : fail(new Error(`terraform ${args[0]} in ${cwd}: ${code}\n${out.slice(-2000)}`)),
    );
  });
}

/** The stack as a build of the package synthesizes it (Atlas, service account, one project). */
function synthWith(packagePath, n, outdir) {
  const { InvitationTarget, ProjectInvitations } = require(packagePath);
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'p10');
  new ProjectInvitations(stack, 'team', {
    target: InvitationTarget.atlas({ auth: 'service-account' }),
    invitations: usernames(n).map((username) => ({ groupId: GROUP, username, roles: ['GROUP_READ_ONLY'] })),
  });
  app.synth();
  return join(outdir, 'stacks', 'p10');
}

/** Terraform's floor: one block, for_each over N entries of five short attributes, nothing else. */
function floor(n, dir) {
  mkdirSync(dir, { recursive: true });
  const entries = Object.fromEntries(
    usernames(n).map((username) => [
      `atlas/${GROUP}/${username}`,
      {
        target: 'atlas',
        base_url: 'https://cloud.mongodb.com',
        group_id: GROUP,
        invitation_id: '',
        username,
      },
    ]),
  );
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      locals: { people: entries },
      resource: {
        terraform_data: {
          people: {
            for_each: '${local.people}',
            triggers_replace: Object.fromEntries(IDENTITY.map((k) => [k, `\${each.value.${k}}`])),
          },
        },
      },
    }),
  );
  return dir;
}

const root = mkdtempSync(join(tmpdir(), 'pi-bench-p10-'));
const results = [];
try {
  const cases = [];
  for (const n of sizes) {
    const variants = {
      construct: synthWith(resolve('dist/index.js'), n, join(root, `construct-${n}`)),
      floor: floor(n, join(root, `floor-${n}`)),
    };
    if (values.before && beforeSizes.includes(n)) {
      variants.before = synthWith(resolve(values.before), n, join(root, `before-${n}`));
    }
    for (const dir of Object.values(variants)) await run(['init', '-no-color', '-input=false'], dir);
    cases.push({ n, variants });
  }
  const loadBefore = loadNow();
  const times = Object.fromEntries(
    cases.map(({ n, variants }) => [n, Object.fromEntries(Object.keys(variants).map((v) => [v, []]))]),
  );
  for (let r = 0; r < rounds; r++) {
    for (const { n, variants } of cases) {
      const names = Object.keys(variants);
      for (const v of r % 2 === 0 ? names : [...names].reverse()) {
        const start = process.hrtime.bigint();
        const out = await run(
          ['plan', '-refresh=false', '-no-color', '-input=false', '-lock=false'],
          variants[v],
        );
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const planned = /Plan: (\d+) to add/.exec(out)?.[1];
        const expected = v === 'floor' ? n : 2 * n;
        if (Number(planned) !== expected)
          throw new Error(`${v} ${n}: planned ${planned}, expected ${expected}`);
        times[n][v].push(ms);
        process.stderr.write(
          `round ${r + 1} ${n} ${v}: ${ms.toFixed(0)} ms (load ${loadavg()[0].toFixed(2)})\n`,
        );
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const { n } of cases) {
    const m = Object.fromEntries(Object.entries(times[n]).map(([v, xs]) => [v, Math.round(median(xs))]));
    results.push({
      people: n,
      msPerRound: Object.fromEntries(Object.entries(times[n]).map(([v, xs]) => [v, xs.map(Math.round)])),
      medianMs: m,
      constructOverFloor: Math.round((m.construct / m.floor) * 100) / 100,
      constructOverFloorPerRound: times[n].construct.map(
        (t, i) => Math.round((t / times[n].floor[i]) * 100) / 100,
      ),
      ...(m.before ? { beforeOverFloor: Math.round((m.before / m.floor) * 100) / 100 } : {}),
      ...(m.before ? { beforeOverConstruct: Math.round((m.before / m.construct) * 100) / 100 } : {}),
    });
  }
  process.stdout.write(
    `${JSON.stringify({ terraform: (await run(['version'], root)).split('\n')[0], node: process.version, rounds, loadavgBeforeAfter: [loadBefore, loadNow()], results }, null, 2)}\n`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
