// Interoperability with a Digest implementation nobody here wrote: Apache httpd's mod_auth_digest.
// Apache runs on 127.0.0.1 with a private configuration in a temp directory (no systemd, nothing under
// /etc/apache2), asks for Digest on /api/, and answers an authenticated DELETE of an invitation on both
// the Atlas and the Ops Manager path with 204 (mod_rewrite, in per-directory context, i.e. after auth).
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../lib/cli/run';
import { captureIo } from '../cli/fake-api';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const BUNDLE = join(__dirname, '..', '..', 'dist', 'mongodb-invitations.cjs');
const REALM = 'MMS Public API';
const PUBLIC_KEY = 'apache-public-key';
const PRIVATE_KEY = 'apache-private-key-canary-9d2e';
const WRONG_KEY = 'wrong-private-key-canary-31f0';
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';

const have = existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_digest.so'));
if (!have)
  console.warn(
    `SKIPPED Apache interop tests: ${APACHE} or mod_auth_digest is not installed (apt-get install apache2)`,
  );
const describeIf = have ? describe : describe.skip;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

function config(dir: string, port: number): string {
  const asRoot = process.getuid?.() === 0;
  return [
    `ServerRoot "${dir}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile "${dir}/httpd.pid"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    `DefaultRuntimeDir "${dir}"`,
    // Started as root, Apache's workers must drop to an unprivileged user.
    ...(asRoot ? ['User nobody', 'Group nogroup'] : []),
    ...[
      ['mpm_event', 'mpm_event'],
      ['authz_core', 'authz_core'],
      ['authz_user', 'authz_user'],
      ['authn_core', 'authn_core'],
      ['authn_file', 'authn_file'],
      ['auth_digest', 'auth_digest'],
      ['rewrite', 'rewrite'],
    ].map(([name, file]) => `LoadModule ${name}_module ${MODULES}/mod_${file}.so`),
    `DocumentRoot "${dir}/htdocs"`,
    '<Location "/api/">',
    '  AuthType Digest',
    `  AuthName "${REALM}"`,
    '  AuthDigestProvider file',
    `  AuthUserFile "${dir}/htdigest"`,
    '  Require valid-user',
    '  RewriteEngine On',
    '  RewriteCond %{REQUEST_METHOD} =DELETE',
    '  RewriteCond %{REQUEST_URI} ^/api/(atlas/v2|public/v1\\.0)/groups/[0-9a-f]{24}/invites/[0-9a-f]{24}$',
    '  RewriteRule ^ - [R=204,L]',
    '</Location>',
    '',
  ].join('\n');
}

function bundled(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout + stderr });
      },
    );
  });
}

describeIf('Apache mod_auth_digest interop', () => {
  let dir: string;
  let port: number;
  let conf: string;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(join(tmpdir(), 'mdbinv-apache-'));
    chmodSync(dir, 0o755); // workers run as nobody and read the password file
    mkdirSync(join(dir, 'htdocs'));
    const ha1 = createHash('md5').update(`${PUBLIC_KEY}:${REALM}:${PRIVATE_KEY}`).digest('hex');
    writeFileSync(join(dir, 'htdigest'), `${PUBLIC_KEY}:${REALM}:${ha1}\n`, { mode: 0o644 });
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    conf = join(dir, 'httpd.conf');
    writeFileSync(conf, config(dir, port));
    const started = spawnSync(APACHE, ['-f', conf, '-k', 'start'], { encoding: 'utf8', timeout: 15_000 });
    if (started.status !== 0) throw new Error(`apache2 did not start: ${started.stderr}`);
    await waitFor(() => accepts(port), `Apache on port ${port}`);
  });

  afterAll(async () => {
    if (!dir) return;
    const pidFile = join(dir, 'httpd.pid');
    spawnSync(APACHE, ['-f', conf, '-k', 'stop'], { timeout: 15_000 });
    try {
      await waitFor(() => !existsSync(pidFile), 'Apache to stop');
    } catch {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const envFor = (target: 'atlas' | 'ops-manager', privateKey: string) => ({
    MONGODB_INVITATIONS_TARGET: target,
    MONGODB_INVITATIONS_BASE_URL: baseUrl,
    MONGODB_INVITATIONS_GROUP_ID: G,
    MONGODB_INVITATIONS_INVITATION_ID: I,
    ...(target === 'atlas'
      ? { MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: privateKey }
      : { MCLI_PUBLIC_API_KEY: PUBLIC_KEY, MCLI_PRIVATE_API_KEY: privateKey }),
  });
  const path = (target: 'atlas' | 'ops-manager') =>
    `${target === 'atlas' ? '/api/atlas/v2' : '/api/public/v1.0'}/groups/${G}/invites/${I}`;

  it.each(['atlas', 'ops-manager'] as const)('revokes on the %s path in-process', async (target) => {
    const c = captureIo();
    expect(await run(['revoke'], envFor(target, PRIVATE_KEY), c.io)).toBe(0);
    expect(c.stderr()).toBe(`✔ revoked invitation ${I} in project ${G} (DELETE ${path(target)}, 204)\n`);
    expect(c.stdout() + c.stderr()).not.toContain(PRIVATE_KEY);
  });

  it.each(['atlas', 'ops-manager'] as const)('revokes on the %s path with the bundle', async (target) => {
    const r = await bundled(['revoke', '--json'], {
      ...envFor(target, PRIVATE_KEY),
      MONGODB_INVITATIONS_CODE_CACHE: 'off',
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`"outcome":"revoked"`);
    expect(r.out).toContain(`(DELETE ${path(target)}, 204)`);
    expect(r.out).not.toContain(PRIVATE_KEY);
  });

  it.each(['atlas', 'ops-manager'] as const)(
    'exits 1 on %s with a wrong private key, printing no secret',
    async (target) => {
      const c = captureIo();
      expect(await run(['revoke', '--debug'], envFor(target, WRONG_KEY), c.io)).toBe(1);
      expect(c.stderr()).toMatch(
        new RegExp(`^✖ DELETE ${path(target).replace(/\./g, '\\.')} failed with 401`),
      );
      const r = await bundled(['revoke', '--debug', '--json'], {
        ...envFor(target, WRONG_KEY),
        MONGODB_INVITATIONS_CODE_CACHE: 'off',
      });
      expect(r.code).toBe(1);
      expect(r.out).toContain('"code":"MDB_AUTHENTICATION"');
      for (const out of [c.stdout() + c.stderr(), r.out]) {
        expect(out).not.toContain(WRONG_KEY);
        expect(out).not.toContain(PRIVATE_KEY);
      }
    },
  );
});
