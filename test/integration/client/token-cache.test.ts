// The cross-process token cache, with real processes and a real HTTP server on 127.0.0.1.
import { spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { InvitationClient, type ClientWarning } from '../../../lib/client/invitation-client';
import { cacheKey } from '../../../lib/client/auth/token-cache';
import { CANARY } from '../../helpers/canaries';
import { GROUP, INVITE } from '../../helpers/ids';

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
  /** Bodies of POST /api/oauth/revoke, with the Authorization they came with. */
  revokes: string[];
  /** What the token endpoint answers as access_token (default: issued-N). */
  issue?: (n: number) => string;
}

/** A loopback server: the token endpoint (slow on purpose, to widen any race) and the DELETE. */
async function startApi(tokenDelayMs: number): Promise<Api> {
  const api = { tokenRequests: 0, deletes: [] as string[], revokes: [] as string[] } as Api;
  api.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    if (req.method === 'POST' && req.url === '/api/oauth/revoke') {
      req.on('end', () => {
        api.revokes.push(`${req.headers.authorization} ${body}`);
        res.writeHead(200).end();
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/api/oauth/token') {
      api.tokenRequests += 1;
      const token = api.issue?.(api.tokenRequests) ?? `issued-${api.tokenRequests}`;
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
    const clientPath = resolve(__dirname, '../../../lib/client/invitation-client');
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

describe('token cache hardening', () => {
  const tokenFile = (cacheDir: string) =>
    join(cacheDir, `token-${cacheKey(api.base, creds.clientId, creds.clientSecret)}.json`);
  const makeClient = (tokenCacheDir: string | false, warnings: ClientWarning[] = []) =>
    new InvitationClient({
      target: 'ops-manager',
      baseUrl: api.base,
      credentials: creds,
      tokenCacheDir,
      onWarning: (w) => warnings.push(w),
    });
  const basic = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`;

  it('refuses a symlinked cache directory: never chmods or writes its target, sends nothing', async () => {
    api = await startApi(0);
    const target = join(dir, 'elsewhere');
    mkdirSync(target, { mode: 0o755 });
    const link = join(dir, 'link');
    symlinkSync(target, link);
    const client = makeClient(link);
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    await client.close();
    expect(err).toMatchObject({ code: 'MDB_CONFIGURATION' });
    expect((err as Error).message).toMatch(/is refused: it is a symbolic link\. Point tokenCacheDir/);
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(readdirSync(target)).toEqual([]);
    expect(api.tokenRequests + api.deletes.length).toBe(0);
  });

  it('refuses a symlinked token file', async () => {
    api = await startApi(0);
    const cacheDir = join(dir, 'tokens');
    mkdirSync(cacheDir, { mode: 0o700 });
    const decoy = join(dir, 'decoy.json');
    writeFileSync(decoy, JSON.stringify({ v: 1, accessToken: 'planted', expiresAt: Date.now() + 3600_000 }));
    symlinkSync(decoy, tokenFile(cacheDir));
    const client = makeClient(cacheDir);
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
      message: expect.stringMatching(/is a symbolic link.*tokenCacheDir/),
    });
    await client.close();
    expect(api.deletes).toEqual([]);
  });

  it('refuses a cache directory owned by another user', async () => {
    api = await startApi(0);
    let cacheDir = '/';
    if (process.getuid?.() === 0) {
      cacheDir = join(dir, 'foreign');
      mkdirSync(cacheDir, { mode: 0o700 });
      chownSync(cacheDir, 54321, 54321);
    }
    const client = makeClient(cacheDir);
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_CONFIGURATION',
      message: expect.stringMatching(/belongs to another user\. Point tokenCacheDir/),
    });
    await client.close();
    expect(api.tokenRequests).toBe(0);
  });

  it.each([
    ['a parent path is a file', () => join(dir, 'a-file', 'tokens'), /a parent path is not a directory/],
    ['relative', () => 'relative-cache-dir', /it is not an absolute path/],
  ])(
    'falls back to memory with one warning when the cache cannot be used (%s), and revokes its token at close',
    async (_name, path, reason) => {
      api = await startApi(0);
      writeFileSync(join(dir, 'a-file'), 'x');
      const warnings: ClientWarning[] = [];
      const client = makeClient(path(), warnings);
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(api.revokes).toEqual([]);
      await client.close();
      // The rate-limit wait file lives in the same directory: it says so once too.
      expect(warnings).toEqual([
        {
          code: 'MDB_RATE_LIMIT_FILE_UNUSABLE',
          message: expect.stringMatching(/waits stay in this process/),
        },
        {
          code: 'MDB_TOKEN_CACHE_UNUSABLE',
          message: expect.stringMatching(/keeping the token in memory.*tokenCacheDir/),
        },
      ]);
      expect(warnings[1]?.message).toMatch(reason);
      expect(api.tokenRequests).toBe(1);
      expect(api.revokes).toEqual([`${basic} token=issued-1&token_type_hint=access_token`]);
      expect(existsSync(join(process.cwd(), 'relative-cache-dir'))).toBe(false);
    },
  );

  it('without the cache, revokes the token it fetched when closed; with it, keeps the token', async () => {
    api = await startApi(0);
    const off = makeClient(false);
    await off.cancelInvitation(GROUP, INVITE);
    await off.close();
    expect(api.revokes).toEqual([`${basic} token=issued-1&token_type_hint=access_token`]);
    const cached = makeClient(join(dir, 'tokens'));
    await cached.cancelInvitation(GROUP, INVITE);
    await cached.close();
    expect(api.revokes).toHaveLength(1);
  });

  it('a lock left by a killed process delays a cache miss by about two seconds, not ten', async () => {
    api = await startApi(0);
    const cacheDir = join(dir, 'tokens');
    mkdirSync(cacheDir, { mode: 0o700 });
    mkdirSync(`${tokenFile(cacheDir)}.lock`); // fresh mtime: its holder was killed just now
    const client = makeClient(cacheDir);
    const started = Date.now();
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    await client.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(api.tokenRequests).toBe(1);
    expect(existsSync(`${tokenFile(cacheDir)}.lock`)).toBe(false);
  });

  it('a plain file at the lock path costs no wait and is replaced by a real lock', async () => {
    api = await startApi(0);
    const cacheDir = join(dir, 'tokens');
    mkdirSync(cacheDir, { mode: 0o700 });
    writeFileSync(`${tokenFile(cacheDir)}.lock`, '');
    const client = makeClient(cacheDir);
    const started = Date.now();
    await client.cancelInvitation(GROUP, INVITE);
    await client.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(existsSync(`${tokenFile(cacheDir)}.lock`)).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^token-\w+\.json$/)]);
  });

  it('never caches a token holding control characters, nor uses one found in the cache', async () => {
    api = await startApi(0);
    api.issue = () => 'bad\r\nX-Forged: 1';
    const cacheDir = join(dir, 'tokens');
    const client = makeClient(cacheDir);
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    await client.close();
    expect(err).toMatchObject({
      code: 'MDB_AUTHENTICATION',
      detail: 'the access_token holds control characters',
    });
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(api.deletes).toEqual([]);

    writeFileSync(
      tokenFile(cacheDir),
      JSON.stringify({ v: 1, accessToken: 'planted\u001b[2K', expiresAt: Date.now() + 3600_000 }),
      { mode: 0o600 },
    );
    api.issue = undefined;
    const again = makeClient(cacheDir);
    await expect(again.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    await again.close();
    expect(api.deletes).toEqual([expect.stringMatching(/Bearer issued-2$/)]);
  });
});
