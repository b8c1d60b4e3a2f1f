// The cross-process token cache, with real processes and a real HTTP server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { InvitationClient } from '../../lib/client/invitation-client';
import { cacheKey } from '../../lib/client/token-cache';
import { CANARY, GROUP, INVITE } from './helpers';

const creds = {
  kind: 'service-account',
  clientId: CANARY.clientId,
  clientSecret: CANARY.clientSecret,
} as const;

interface Api {
  base: string;
  server: Server;
  tokenRequests: number;
  deletes: string[];
}

/** A loopback server: the token endpoint (slow on purpose, to widen any race) and the DELETE. */
async function startApi(tokenDelayMs: number): Promise<Api> {
  const api = { tokenRequests: 0, deletes: [] as string[] } as Api;
  api.server = createServer((req, res) => {
    req.resume();
    if (req.method === 'POST' && req.url === '/api/oauth/token') {
      api.tokenRequests += 1;
      const token = `issued-${api.tokenRequests}`;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }));
      }, tokenDelayMs);
      return;
    }
    api.deletes.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    res.writeHead(req.headers.authorization?.startsWith('Bearer issued-') ? 204 : 401);
    res.end();
  });
  api.server.keepAliveTimeout = 100;
  await new Promise<void>((done) => api.server.listen(0, '127.0.0.1', done));
  api.base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
  return api;
}

let dir: string;
let api: Api;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdb-inv-cache-'));
});
afterEach(async () => {
  await new Promise((done) => api?.server.close(done));
  api?.server.closeAllConnections();
  rmSync(dir, { recursive: true, force: true });
});

function child(script: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe('token cache across processes', () => {
  it('lets ten concurrent processes share one token request', async () => {
    api = await startApi(300);
    const entry = join(dir, 'revoke-one.ts');
    const clientPath = resolve(__dirname, '../../lib/client/invitation-client');
    writeFileSync(
      entry,
      `import { InvitationClient } from ${JSON.stringify(clientPath)};
const [baseUrl, cacheDir] = process.argv.slice(2);
const client = new InvitationClient({ target: 'ops-manager', baseUrl, tokenCacheDir: cacheDir,
  credentials: ${JSON.stringify(creds)} });
client.cancelInvitation(${JSON.stringify(GROUP)}, ${JSON.stringify(INVITE)}).then(
  async (o) => { process.stdout.write(JSON.stringify({ outcome: o.outcome, requests: client.requestCount })); await client.close(); },
  (e) => { process.stderr.write(String(e)); process.exitCode = 1; });
`,
    );
    const bundle = join(dir, 'revoke-one.cjs');
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
    const cacheDir = join(dir, 'tokens');
    const results = await Promise.all(Array.from({ length: 10 }, () => child(bundle, [api.base, cacheDir])));
    for (const r of results) {
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(JSON.parse(r.out)).toMatchObject({ outcome: 'revoked' });
    }
    expect(api.tokenRequests).toBe(1);
    expect(api.deletes).toHaveLength(10);
    expect(new Set(api.deletes.map((d) => d.split(' ').pop()))).toEqual(new Set(['issued-1']));
    // One process paid for the token (2 requests), the other nine sent only the DELETE.
    const counts = results.map((r) => (JSON.parse(r.out) as { requests: number }).requests).sort();
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('takes over a stale lock left by a crashed process', async () => {
    api = await startApi(0);
    const cacheDir = join(dir, 'tokens');
    const file = join(cacheDir, `token-${cacheKey(api.base, creds.clientId, creds.clientSecret)}.json`);
    mkdirSync(`${file}.lock`, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const client = new InvitationClient({
      target: 'ops-manager',
      baseUrl: api.base,
      credentials: creds,
      tokenCacheDir: cacheDir,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    await client.close();
    expect(api.tokenRequests).toBe(1);
  });

  it('waits for a live lock holder and uses the token it stores', async () => {
    api = await startApi(0);
    const cacheDir = join(dir, 'tokens');
    mkdirSync(cacheDir, { mode: 0o700 });
    const file = join(cacheDir, `token-${cacheKey(api.base, creds.clientId, creds.clientSecret)}.json`);
    mkdirSync(`${file}.lock`);
    setTimeout(() => {
      writeFileSync(
        file,
        JSON.stringify({ v: 1, accessToken: 'issued-by-other', expiresAt: Date.now() + 3600_000 }),
        {
          mode: 0o600,
        },
      );
    }, 300);
    const client = new InvitationClient({
      target: 'ops-manager',
      baseUrl: api.base,
      credentials: creds,
      tokenCacheDir: cacheDir,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    await client.close();
    expect(api.tokenRequests).toBe(0);
    expect(api.deletes).toEqual([expect.stringContaining('Bearer issued-by-other')]);
  });
});
