// DELETE requests/s against the sandbox (own process) on loopback with keep-alive, from an undici Pool, vs a
// bare node:http server answering 204 as the ceiling. Report: bench/sandbox.md.
//   npm run build && node bench/sandbox-throughput.mjs [N]        (N DELETEs per scenario, default 20000)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { Pool } from 'undici';

const N = Math.min(Number(process.argv[2] ?? 20_000), 200_000);
const CONNECTIONS = 16;
const CONCURRENCY = 32;
const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const ACCEPT = 'application/vnd.atlas.2023-01-01+json';
const serverJs = fileURLToPath(new URL('../dist/sandbox/server.js', import.meta.url));
if (!existsSync(serverJs)) {
  console.error(`missing ${serverJs}: run "npm run build" first`);
  process.exit(1);
}

/** Starts a server process; resolves with its URL and the child. */
function startServer(kind) {
  const code =
    kind === 'sandbox'
      ? `require(${JSON.stringify(serverJs)}).Sandbox.start({ tokenRateLimit: false, credentials: ` +
        `{ apiKeys: [{ publicKey: 'bench', privateKey: 'bench-secret' }], accessTokens: ['bench-token'] } })` +
        `.then((s) => { console.log(s.url); process.on('SIGTERM', () => s.stop()); })`
      : `const s = require('node:http').createServer({ keepAliveTimeout: 10000 }, (q, r) => { r.writeHead(204); r.end(); });` +
        `s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));` +
        `process.on('SIGTERM', () => { s.close(); s.closeAllConnections(); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill('SIGTERM')); // never leave a server behind, even on a failure
  return new Promise((resolve) =>
    child.stdout.once('data', (d) => resolve({ url: d.toString().trim(), child })),
  );
}

const ids = (prefix, n) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(22, '0')}`);

async function seed(pool, target, list) {
  for (let i = 0; i < list.length; i += 5000) {
    const invitations = list.slice(i, i + 5000).map((id) => ({
      target,
      groupId: GROUP,
      id,
      username: 'bench@example.com',
      roles: ['GROUP_READ_ONLY'],
    }));
    const res = await pool.request({
      method: 'POST',
      path: '/_sandbox/invitations',
      body: JSON.stringify({ invitations }),
    });
    await res.body.text();
    if (res.statusCode !== 201) throw new Error(`seed failed: ${res.statusCode}`);
  }
}

/** A Digest signer that reuses one nonce with an increasing nc (what a well-behaved client does). */
async function digestSigner(pool, prefix) {
  const res = await pool.request({
    method: 'GET',
    path: `${prefix}/groups/${GROUP}/invites`,
    headers: { accept: ACCEPT },
  });
  await res.body.text();
  const nonce = /nonce="([^"]+)"/.exec(res.headers['www-authenticate'])[1];
  const md5 = (s) => createHash('md5').update(s).digest('hex');
  const ha1 = md5('bench:MMS Public API:bench-secret');
  let nc = 0;
  return (method, uri) => {
    nc += 1;
    const ncText = nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${nonce}:${ncText}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
    return `Digest username="bench", realm="MMS Public API", nonce="${nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${ncText}, cnonce="${cnonce}", response="${response}"`;
  };
}

/** Sends `paths.length` DELETEs, CONCURRENCY at a time; returns requests/second and the status counts. */
async function run(pool, paths, headersFor) {
  const statuses = {};
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < paths.length) {
      const path = paths[next++];
      const res = await pool.request({ method: 'DELETE', path, headers: headersFor(path) });
      await res.body.dump();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(paths.length / seconds), seconds: seconds.toFixed(2), statuses };
}

const results = [];
{
  const { url, child } = await startServer('bare');
  const pool = new Pool(url, { connections: CONNECTIONS });
  const paths = ids('aa', N).map((id) => `/api/atlas/v2/groups/${GROUP}/invites/${id}`);
  await run(pool, paths.slice(0, 2000), () => ({}));
  results.push({ scenario: 'bare node:http 204 (ceiling)', ...(await run(pool, paths, () => ({}))) });
  await pool.close();
  child.kill('SIGTERM');
}
{
  const { url, child } = await startServer('sandbox');
  const pool = new Pool(url, { connections: CONNECTIONS });
  const atlas = (prefix) => ids(prefix, N).map((id) => `/api/atlas/v2/groups/${GROUP}/invites/${id}`);
  const bearer = () => ({ accept: ACCEPT, authorization: 'Bearer bench-token' });

  await run(pool, atlas('ff').slice(0, 2000), bearer); // warm-up (404s)
  const a = ids('a0', N);
  await seed(pool, 'atlas', a);
  results.push({
    scenario: 'sandbox Atlas DELETE, Bearer → 204',
    ...(await run(
      pool,
      a.map((id) => `/api/atlas/v2/groups/${GROUP}/invites/${id}`),
      bearer,
    )),
  });
  const d = ids('b0', N);
  await seed(pool, 'atlas', d);
  const signAtlas = await digestSigner(pool, '/api/atlas/v2');
  results.push({
    scenario: 'sandbox Atlas DELETE, Digest (nonce reused) → 204',
    ...(await run(
      pool,
      d.map((id) => `/api/atlas/v2/groups/${GROUP}/invites/${id}`),
      (p) => ({
        accept: ACCEPT,
        authorization: signAtlas('DELETE', p),
      }),
    )),
  });
  const o = ids('c0', N);
  await seed(pool, 'ops-manager', o);
  const signOps = await digestSigner(pool, '/api/public/v1.0');
  results.push({
    scenario: 'sandbox Ops Manager DELETE, Digest (nonce reused) → 204',
    ...(await run(
      pool,
      o.map((id) => `/api/public/v1.0/groups/${GROUP}/invites/${id}`),
      (p) => ({
        accept: 'application/json',
        authorization: signOps('DELETE', p),
      }),
    )),
  });
  results.push({
    scenario: 'sandbox Atlas DELETE, Bearer → 404 ApiError',
    ...(await run(pool, atlas('a0'), bearer)),
  });
  await pool.close();
  child.kill('SIGTERM');
}

const ceiling = results[0].perSecond;
console.log(
  `N=${N} DELETEs per scenario, ${CONNECTIONS} keep-alive connections, ${CONCURRENCY} in flight, node ${process.version}`,
);
for (const r of results) {
  console.log(
    `${r.scenario.padEnd(56)} ${String(r.perSecond).padStart(7)}/s  ${r.seconds}s  ` +
      `ratio to ceiling ${(r.perSecond / ceiling).toFixed(2)}  statuses ${JSON.stringify(r.statuses)}`,
  );
}
