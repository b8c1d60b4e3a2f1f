// TLS with each HTTP client: the bundle revokes against an https loopback server whose certificate
// (self-signed, for IP 127.0.0.1, made here with openssl) is trusted through NODE_EXTRA_CA_CERTS, and
// refuses the same server without it, after one attempt (a certificate error is not worth a retry).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itIfTool } from '../../helpers/tools';

const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'mongodb-invitations.cjs');
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const TOKEN = 'https-test-token-canary-81c2';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const itIf = itIfTool({
  name: 'openssl',
  available: haveOpenssl,
  neededBy: 'the https tests of the CLI (test/integration/cli/https.test.ts)',
  install: 'apt-get install openssl',
});

let dir: string;
let server: Server | undefined;
let baseUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  if (!haveOpenssl) return;
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'mdbinv-tls-'));
  const made = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], // prettier-ignore
    { encoding: 'utf8', timeout: 15_000 },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  const started = createServer(tls, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization === `Bearer ${TOKEN}` ? 'ok' : 'no'}`);
    res.writeHead(204).end();
  });
  server = started;
  await new Promise<void>((done) => started.listen(0, '127.0.0.1', done));
  baseUrl = `https://127.0.0.1:${(started.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const running = server;
  if (running) {
    running.closeAllConnections();
    await new Promise((done) => running.close(done));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

function revoke(http: string, trust: boolean): Promise<{ code: number; out: string }> {
  const env = {
    PATH: process.env.PATH,
    MONGODB_INVITATIONS_HTTP: http,
    MONGODB_INVITATIONS_CODE_CACHE: 'off',
    MONGODB_INVITATIONS_TARGET: 'atlas',
    MONGODB_INVITATIONS_BASE_URL: baseUrl,
    MONGODB_INVITATIONS_GROUP_ID: G,
    MONGODB_INVITATIONS_INVITATION_ID: I,
    MONGODB_INVITATIONS_MAX_RETRIES: '2',
    MONGODB_ATLAS_ACCESS_TOKEN: TOKEN,
    ...(trust ? { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } : {}),
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE, 'revoke', '--json'],
      { env, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe.each(['node-http', 'undici'])('https with %s', (http) => {
  itIf('revokes when the certificate is trusted', async () => {
    const r = await revoke(http, true);
    expect(r.code).toBe(0);
    expect(r.out).toContain('"outcome":"revoked"');
    expect(seen).toEqual([`DELETE /api/atlas/v2/groups/${G}/invites/${I} ok`]);
  });

  itIf('refuses an untrusted certificate after one attempt, printing no secret', async () => {
    const r = await revoke(http, false);
    expect(r.code).toBe(1);
    expect(r.out).toContain('"code":"MDB_NETWORK"');
    expect(r.out).toMatch(/failed after 1 attempt\(s\)/);
    expect(r.out).toMatch(/SELF_SIGNED|self-signed|UNABLE_TO_VERIFY/i);
    expect(r.out).not.toContain(TOKEN);
    expect(seen).toEqual([]);
  });
});
