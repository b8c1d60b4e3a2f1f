// P4: synth time and peak RSS of ProjectInvitations with 0 / 100 / 1,000 / 10,000 entries, each size in its
// own Node process (interleaved, --reps each). Report: bench/construct.md.
//   npm run build && node bench/construct-p4.mjs [--reps 3] [--sizes 0,100,1000,10000]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    reps: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '0,100,1000,10000' },
  },
});

if (values.child !== undefined) {
  const n = Number(values.child);
  const t0 = process.hrtime.bigint();
  const require = createRequire(import.meta.url);
  const { App, LocalBackend, TerraformStack } = require('cdktf');
  const { InvitationTarget, ProjectInvitations } = require('../dist/index.js');
  const t1 = process.hrtime.bigint();
  const groupId = randomBytes(12).toString('hex');
  const invitations = Array.from({ length: n }, () => ({
    groupId,
    invitationId: randomBytes(12).toString('hex'),
  }));
  const outdir = mkdtempSync(join(tmpdir(), 'pi-bench-p4-'));
  const t2 = process.hrtime.bigint();
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'bench');
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new ProjectInvitations(stack, 'bench', { target: InvitationTarget.atlas(), invitations });
  app.synth();
  const t3 = process.hrtime.bigint();
  rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(
    JSON.stringify({
      n,
      loadMs: Number(t1 - t0) / 1e6,
      synthMs: Number(t3 - t2) / 1e6,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  const sizes = values.sizes.split(',').map(Number);
  const reps = Number(values.reps);
  const results = Object.fromEntries(sizes.map((n) => [n, []]));
  const self = fileURLToPath(import.meta.url);
  for (let r = 0; r < reps; r++) {
    for (const n of r % 2 ? [...sizes].reverse() : sizes) {
      const run = spawnSync(process.execPath, [self, '--child', String(n)], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`child ${n} failed:\n${run.stderr}`);
      results[n].push(JSON.parse(run.stdout));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  };
  const summary = sizes.map((n) => ({
    entries: n,
    synthMsMedian: Math.round(median(results[n].map((x) => x.synthMs))),
    synthMsRuns: results[n].map((x) => Math.round(x.synthMs)),
    loadMsMedian: Math.round(median(results[n].map((x) => x.loadMs))),
    maxRssMBMedian: Math.round(median(results[n].map((x) => x.maxRssMB))),
  }));
  process.stdout.write(`${JSON.stringify({ node: process.version, reps, summary }, null, 2)}\n`);
}
