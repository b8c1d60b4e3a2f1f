// Issue "Throughput" in one run: the CPU profile of one revoke and one invite (cli-profile.mjs), P1 (one
// revoke vs a minimal DELETE, cli-p1.mjs), P2 (destroy of N ids through Terraform: the CLI, a minimal
// node:http DELETE and bare `node -e ''` as the provisioner of the same stack, construct-p2.mjs), P7
// (invite of N people: the CLI, minimal GET + POST, the same requests as the CLI, bare node; people-p7.mjs),
// P9 (60 people under an invitation limit of 10 per 5 s) and P10 (plan time vs Terraform's floor,
// plan-p10.mjs). Each phase alternates its variants round by round; the phases run one after another.
// Report: bench/throughput.md. Usage:
//   npm run build && node bench/throughput.mjs [--phases profile,p1,p2,p7,p9,p10] [--rounds 3]
//     [--people 200] [--p10-sizes 200,1000,2000] [--extra-ca keep|unset] [--out FILE]
// --extra-ca unset (the default) starts every measured process without NODE_EXTRA_CA_CERTS: that variable
// makes each Node start read a CA file (~45 ms here), which every variant pays alike and which hides what
// the CLI itself costs; keep measures with it, as this machine's shell has it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    phases: { type: 'string', default: 'profile,p1,p2,p7,p9,p10' },
    rounds: { type: 'string', default: '3' },
    people: { type: 'string', default: '200' },
    'p10-sizes': { type: 'string', default: '200,1000,2000' },
    'extra-ca': { type: 'string', default: 'unset' },
    out: { type: 'string' },
  },
});
if (!['keep', 'unset'].includes(values['extra-ca'])) throw new Error('--extra-ca: keep or unset');
const env = { ...process.env };
if (values['extra-ca'] === 'unset') delete env.NODE_EXTRA_CA_CERTS;
const rounds = values.rounds;
const people = values.people;

/** name → [script, arguments, how to read its stdout] */
const PHASES = {
  profile: ['bench/cli-profile.mjs', ['--runs', '10', '--json']],
  p1: ['bench/cli-p1.mjs', ['--runs', '20', '--no-digest', '--no-undici', '--json']],
  p2: [
    'bench/construct-p2.mjs',
    [
      '--entries',
      people,
      '--rounds',
      rounds,
      '--auth',
      'token',
      '--variants',
      'cli node-http,node:http floor,node-e',
    ],
  ],
  p7: [
    'bench/people-p7.mjs',
    ['--people', people, '--rounds', rounds, '--auth', 'token', '--variants', 'cli,minimal,same,node-e'],
  ],
  p9: [
    'bench/people-p7.mjs',
    [
      '--people',
      '60',
      '--rounds',
      rounds,
      '--auth',
      'token',
      '--variants',
      'cli',
      '--invitation-rate-limit',
      '10/5',
    ],
  ],
  p10: ['bench/plan-p10.mjs', ['--sizes', values['p10-sizes'], '--rounds', rounds]],
};
const phases = values.phases.split(',');
for (const p of phases)
  if (!PHASES[p]) throw new Error(`unknown phase ${p}: ${Object.keys(PHASES).join(', ')}`);

function runPhase(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

const results = {
  started: new Date().toISOString(),
  node: process.version,
  extraCa: values['extra-ca'],
  loadavg: { start: loadavg() },
};
for (const phase of phases) {
  const [script, args] = PHASES[phase];
  process.stderr.write(`\n== ${phase}: node ${script} ${args.join(' ')} (load ${loadavg()[0].toFixed(2)})\n`);
  const started = Date.now();
  results[phase] = {
    command: `node ${script} ${args.map((a) => (/[ ,]/.test(a) ? `'${a}'` : a)).join(' ')}`,
  };
  results[phase].result = await runPhase(script, args);
  results[phase].seconds = Math.round((Date.now() - started) / 1000);
  results[phase].loadavgAfter = loadavg();
}
results.loadavg.end = loadavg();

// The targets of the issue, read from the phases' own figures.
const lines = [];
const fmt = (x) => (x === undefined ? '—' : x.toFixed(2));
if (results.p1) {
  const c = results.p1.result.cases;
  const revoke = c['revoke node-http, token (1 request)'];
  lines.push(`P1  revoke / minimal DELETE            ${fmt(revoke.overFloor)}×  (≤ 1.5)`);
}
if (results.p2) {
  const r = results.p2.result;
  lines.push(
    `P2  destroy: CLI / minimal DELETE       ${fmt(r.ratioToFloor['cli node-http'])}×  (≤ 1.05), per round ${r.ratioToFloorPerRound['cli node-http'].join(', ')}; CLI / bare ${fmt(r.ratioToNodeE['cli node-http'])}×`,
  );
}
if (results.p7) {
  const r = results.p7.result;
  lines.push(
    `P7  invite: CLI / minimal GET + POST    ${fmt(r.ratioToMinimal.cli)}×  (≤ 1.05), per round ${r.ratioToMinimalPerRound.cli.join(', ')}`,
    `    invite: CLI / same requests         ${fmt(r.ratioToMinimal.cli / r.ratioToMinimal.same)}×`,
    `    invite: CLI / bare node             ${fmt(r.ratioOfMedians)}×  (≤ 1.3), per round ${r.ratioPerRound.join(', ')}`,
  );
}
if (results.p9) {
  const r = results.p9.result;
  lines.push(
    `P9  60 people, 10 per 5 s: apply / ${r.limitAllowsMs / 1000} s the limit allows  ${fmt(r.ratioToLimit.cli)}×  (≤ 1.2), per round ${r.ratioToLimitPerRound.cli.join(', ')}`,
  );
}
if (results.p10) {
  for (const row of results.p10.result.results) {
    lines.push(
      `P10 plan of ${row.people} people / floor  ${fmt(row.constructOverFloor)}×${row.people >= 2000 ? '  (≤ 1.5 at 2,000)' : ''}, per round ${row.constructOverFloorPerRound.join(', ')}`,
    );
  }
}
results.summary = lines;
process.stdout.write(`\n${lines.join('\n')}\n`);
process.stdout.write(
  `load ${results.loadavg.start.map((x) => x.toFixed(2)).join(' ')} → ${results.loadavg.end.map((x) => x.toFixed(2)).join(' ')}\n`,
);
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`all figures: ${values.out}\n`);
}
