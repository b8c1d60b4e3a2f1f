// P1: cold start of the bundle's `revoke` against a loopback server vs a minimal node:http DELETE and bare
// `node -e ''`, interleaved in one run. Report: bench/cli.md; docs/decisions/0001-node-http-for-the-cli.md.
//   node bench/cli-p1.mjs [--runs 30] [--no-digest] [--no-undici] [--json] [--bundle FILE]
//     [--extra 'name=path[?VAR=value&…]' …]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startServer } from './cli-server.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    bundle: { type: 'string', default: 'dist/mongodb-invitations.cjs' },
    extra: { type: 'string', multiple: true, default: [] },
    'no-digest': { type: 'boolean', default: false },
    'no-undici': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const INVITE = '6a1b2c3d4e5f60718293a4b5';
const PATH = `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`;

const server = await startServer();
// The floor: one DELETE with the same path and headers, as little code as node:http allows.
const FLOOR = `const r=require('node:http').request({host:'127.0.0.1',port:${server.port},method:'DELETE',path:'${PATH}',headers:{accept:'application/vnd.atlas.2023-01-01+json',authorization:'Bearer t'}},s=>{s.resume();s.on('end',()=>{process.exitCode=s.statusCode===204?0:1})});r.end();`;
const revokeArgs = [
  'revoke',
  '--target',
  'atlas',
  '--base-url',
  server.baseUrl,
  '--group-id',
  GROUP,
  '--invitation-id',
  INVITE,
];
const tokenEnv = { MONGODB_ATLAS_ACCESS_TOKEN: 'bench-token' };
const digestEnv = {
  MONGODB_ATLAS_PUBLIC_API_KEY: 'bench-public',
  MONGODB_ATLAS_PRIVATE_API_KEY: 'bench-private',
};

/** name → [node arguments, extra environment, requests expected per run] */
const cases = new Map([
  ['node -e ""', [['-e', ''], {}, 0]],
  ['node:http DELETE (floor)', [['-e', FLOOR], {}, 1]],
]);
for (const http of values['no-undici'] ? ['node-http'] : ['node-http', 'undici']) {
  const env = { MONGODB_INVITATIONS_HTTP: http };
  cases.set(`revoke ${http}, token (1 request)`, [
    [values.bundle, ...revokeArgs],
    { ...tokenEnv, ...env },
    1,
  ]);
  if (!values['no-digest'])
    cases.set(`revoke ${http}, digest (2 requests)`, [
      [values.bundle, ...revokeArgs],
      { ...digestEnv, ...env },
      2,
    ]);
}
// Start-up alone: loads and compiles the bundle, prints the version, sends nothing.
cases.set('--version (no request)', [[values.bundle, '--version'], {}, 0]);
for (const spec of values.extra) {
  // name=path[?VAR=value&VAR=value]
  const name = spec.slice(0, spec.indexOf('='));
  const [path, query = ''] = spec.slice(spec.indexOf('=') + 1).split('?');
  const env = Object.fromEntries(query ? query.split('&').map((p) => p.split('=')) : []);
  cases.set(`${name}, token`, [[path, ...revokeArgs], { ...tokenEnv, ...env }, 1]);
}

function once([args, env, expected]) {
  return new Promise((resolve, reject) => {
    server.reset();
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ').slice(0, 80)} exited ${code}: ${err}`));
      if (server.counts.total !== expected)
        return reject(new Error(`expected ${expected} requests, saw ${server.counts.total}`));
      resolve(ms);
    });
  });
}

const times = new Map([...cases.keys()].map((k) => [k, []]));
for (let round = 0; round < Number(values.warmup) + runs; round++) {
  for (const [name, c] of cases) {
    const ms = await once(c);
    if (round >= Number(values.warmup)) times.get(name).push(ms);
  }
}
await server.stop();

const quantile = (a, q) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (name) => quantile(times.get(name), 0.5);
const floor = median('node:http DELETE (floor)');
const bare = median('node -e ""');
if (values.json) {
  const r2 = (x) => Math.round(x * 100) / 100;
  const rows = [...times].map(([name, list]) => [
    name,
    {
      medianMs: r2(median(name)),
      overFloor: r2(median(name) / floor),
      overBare: r2(median(name) / bare),
      ms: list.map(r2),
    },
  ]);
  console.log(
    JSON.stringify(
      {
        runs,
        node: process.version,
        extraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS),
        cases: Object.fromEntries(rows),
      },
      null,
      2,
    ),
  );
  process.exit(0);
}
console.log(
  `node ${process.version}, ${runs} runs each (after ${values.warmup} warm-up rounds), interleaved`,
);
console.log(
  `NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}; ${new Date().toISOString()}\n`,
);
console.log('| command | median ms | p25–p75 ms | × floor | × bare node |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, list] of times) {
  const m = median(name);
  const iqr = `${quantile(list, 0.25).toFixed(1)}–${quantile(list, 0.75).toFixed(1)}`;
  console.log(
    `| ${name} | ${m.toFixed(1)} | ${iqr} | ${(m / floor).toFixed(2)} | ${(m / bare).toFixed(2)} |`,
  );
}
