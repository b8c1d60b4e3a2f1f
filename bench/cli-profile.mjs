// Where one provisioner process spends its CPU: `node --cpu-prof` of the shipped asset (dist/provisioner,
// copied as Terraform's asset is, code cache warmed by one run) for one `revoke --invitation-id` and one
// `invite --username` (Cloud Users, new person), against the sandbox in this process (static token), and of
// the minimal node:http clients doing the same requests. Self time is summed per place: Node's own modules,
// the loader, each source file of the program (through the source map), GC and native code.
//   npm run build && node bench/cli-profile.mjs [--runs 10] [--top 12] [--json] [--lines]
//   (--lines: the program's self times by source line and function, not by file)
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { URL } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Sandbox } = require('../dist/sandbox/server.js');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    top: { type: 'string', default: '12' },
    lines: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const PROVISIONER = resolve('dist/provisioner');
const PROGRAM = 'mongodb-invitations.program.cjs';
const map = new SourceMap(JSON.parse(readFileSync(resolve('dist/mongodb-invitations.cjs.map'), 'utf8')));
// The loader compiles the program inside Module.wrap's first line: columns of line 0 are shifted by it.
const WRAP = '(function (exports, require, module, __filename, __dirname) { ';

const sandbox = await Sandbox.start({ tokenRateLimit: false, invitationRateLimit: 'off' });
const [token] = sandbox.credentials.accessTokens;
const work = mkdtempSync(join(tmpdir(), 'pi-bench-profile-'));
const asset = join(work, 'asset');
const profiles = join(work, 'profiles');
for (const dir of [asset, profiles]) mkdirSync(dir);
for (const name of ['mongodb-invitations.cjs', PROGRAM])
  copyFileSync(join(PROVISIONER, name), join(asset, name));
const cli = join(asset, 'mongodb-invitations.cjs');
const env = {
  PATH: process.env.PATH,
  MONGODB_ATLAS_ACCESS_TOKEN: token,
  XDG_CACHE_HOME: join(work, 'cache'),
  ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
};
const url = new URL(sandbox.url);
const common = ['--target', 'atlas', '--base-url', sandbox.url, '--group-id', GROUP];
const http = `const h=require('node:http'),a={accept:A,authorization:'Bearer ${token}'},o=(m,p,b,f)=>{h.request({host:'${url.hostname}',port:${url.port},method:m,path:p,headers:b?{...a,'content-type':A}:a},(s)=>{let d='';s.setEncoding('utf8');s.on('data',(c)=>{d+=c});s.on('end',()=>f(s.statusCode,d))}).end(b)};`;
const users = `/api/atlas/v2/groups/${GROUP}/users`;
const invites = `/api/atlas/v2/groups/${GROUP}/invites`;

let n = 0;
/** name → () => [node arguments] for one run (fresh ids and usernames) */
const cases = {
  'revoke --invitation-id (CLI)': () => {
    const [inv] = sandbox.seed([
      { groupId: GROUP, username: `r${n++}@example.com`, roles: ['GROUP_READ_ONLY'] },
    ]);
    return [cli, 'revoke', ...common, '--invitation-id', inv.id];
  },
  'DELETE (minimal node:http)': () => {
    const [inv] = sandbox.seed([
      { groupId: GROUP, username: `m${n++}@example.com`, roles: ['GROUP_READ_ONLY'] },
    ]);
    return [
      '-e',
      `const A='application/vnd.atlas.2023-01-01+json';${http}o('DELETE','${invites}/${inv.id}',undefined,(c)=>{process.exitCode=c===204?0:1})`,
    ];
  },
  'invite --username (CLI)': () => [
    cli,
    'invite',
    ...common,
    '--username',
    `i${n++}@example.com`,
    '--roles',
    'GROUP_READ_ONLY',
  ],
  'GET users, GET invites, POST (minimal node:http)': () => {
    const body = JSON.stringify({ username: `j${n++}@example.com`, roles: ['GROUP_READ_ONLY'] });
    return [
      '-e',
      `const A='application/vnd.atlas.2025-02-19+json';${http}o('GET','${users}?itemsPerPage=500&pageNum=1',undefined,()=>{a.accept='application/vnd.atlas.2023-01-01+json';o('GET','${invites}',undefined,()=>{a.accept=A;o('POST','${users}',${JSON.stringify(body)},(c)=>{process.exitCode=c===201?0:1})})})`,
    ];
  },
};

// Asynchronous: the sandbox answers from this process's event loop.
function run(name, profileDir) {
  const args = cases[name]();
  const prof = profileDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profileDir] : [];
  return new Promise((done, fail) => {
    execFile(process.execPath, [...prof, ...args], { env, timeout: 30_000 }, (err, _out, stderr) =>
      err ? fail(new Error(`${name} failed (${err.code ?? err.signal}): ${stderr}`)) : done(),
    );
  });
}

const load = [loadavg()[0]];
for (const name of Object.keys(cases)) await run(name); // warm-up: writes the asset's code cache
const dirs = Object.fromEntries(Object.keys(cases).map((name, i) => [name, join(profiles, String(i))]));
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(cases)) await run(name, dirs[name]);
}
load.push(loadavg()[0]);
await sandbox.stop();

/** Where a sampled frame belongs. */
function place(frame) {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  if (url.endsWith(PROGRAM)) {
    const column = lineNumber === 0 ? columnNumber - WRAP.length : columnNumber;
    const entry = map.findEntry(lineNumber, Math.max(column, 0));
    const source = entry?.originalSource?.replace(/^(\.\.\/)+/, '') ?? 'program (unmapped)';
    const at = values.lines && entry ? `:${entry.originalLine + 1} ${functionName}` : '';
    return `program ${source.replace(/^node_modules\/([^/]+)\/.*/, 'node_modules/$1')}${at}`;
  }
  if (url.endsWith('mongodb-invitations.cjs')) return 'loader';
  if (url.startsWith('node:') || !url.startsWith('/'))
    return `node ${url.replace(/^node:(internal\/)?/, '')}`;
  return url;
}

const summary = {};
for (const [name, dir] of Object.entries(dirs)) {
  const self = new Map();
  const groups = new Map();
  let total = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const byId = new Map(p.nodes.map((node) => [node.id, node]));
    p.samples.forEach((id, i) => {
      const us = p.timeDeltas[i] ?? 0;
      const where = place(byId.get(id).callFrame);
      self.set(where, (self.get(where) ?? 0) + us);
      const group = where.startsWith('node ')
        ? "Node's own modules"
        : where.startsWith('program node_modules')
          ? 'program: dependencies'
          : where.startsWith('program ')
            ? `program: ${where.split('/')[1] ?? where}`
            : where === 'loader'
              ? 'loader'
              : 'native, GC, idle';
      groups.set(group, (groups.get(group) ?? 0) + us);
      total += us;
    });
  }
  const ms = (us) => Math.round(us / files.length / 10) / 100;
  summary[name] = {
    profiles: files.length,
    sampledMsPerProcess: ms(total),
    byGroup: Object.fromEntries([...groups].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, ms(v)])),
    top: Object.fromEntries(
      [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(values.top))
        .map(([k, v]) => [k, ms(v)]),
    ),
  };
}
rmSync(work, { recursive: true, force: true });

if (values.json) {
  process.stdout.write(`${JSON.stringify({ runs, node: process.version, load, summary }, null, 2)}\n`);
} else {
  process.stdout.write(
    `node ${process.version}, ${runs} profiles each (interleaved), load ${load.map((x) => x.toFixed(2)).join(' → ')}\n`,
  );
  for (const [name, s] of Object.entries(summary)) {
    process.stdout.write(`\n${name}: ${s.sampledMsPerProcess} ms sampled CPU per process\n`);
    for (const [k, v] of Object.entries(s.byGroup))
      process.stdout.write(`  ${String(v).padStart(6)} ms  ${k}\n`);
    process.stdout.write('  largest self times:\n');
    for (const [k, v] of Object.entries(s.top)) process.stdout.write(`  ${String(v).padStart(6)} ms  ${k}\n`);
  }
}
