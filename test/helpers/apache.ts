// Apache httpd with mod_auth_digest, for Digest interop tests against an implementation no one here
// wrote. Started in the foreground on a free 127.0.0.1 port with a private configuration in a temp
// directory (no systemd, nothing under /etc/apache2); it asks for Digest on /api/ and answers an
// authenticated DELETE of an invitation, on the Atlas and the Ops Manager path, with 204 (mod_rewrite in
// per-directory context, i.e. after authentication). Waits are bounded; `timeout` stops Apache even if
// the test process dies before afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itIfTool } from './tools';

export const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** Apache's own lifetime bound (seconds), should afterAll never run. */
const LIFETIME_S = 600;

/** True when Apache and mod_auth_digest are installed. */
export const haveApache = existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_digest.so'));

/**
 * `it` when Apache is there; else `it.skip` with one printed line saying why, or, under CI=true, an `it`
 * whose tests fail naming Apache.
 */
export function itIfApache(what: string): jest.It {
  return itIfTool({
    name: `${APACHE} with mod_auth_digest`,
    available: haveApache,
    neededBy: what,
    install: 'apt-get install apache2',
  });
}

export interface ApacheOptions {
  readonly realm: string;
  readonly username: string;
  readonly password: string;
  /** AuthDigestNonceLifetime in seconds. @default - Apache's (300) */
  readonly nonceLifetimeS?: number;
}

export interface ApacheServer {
  /** `http://127.0.0.1:<port>`; set once beforeAll has run. */
  readonly baseUrl: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

function config(dir: string, port: number, o: ApacheOptions): string {
  const load = (name: string) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`;
  return [
    ...['mpm_event', 'authn_core', 'authz_core', 'authn_file', 'authz_user', 'auth_digest', 'rewrite'].map(
      load,
    ),
    `ServerRoot "${dir}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile "${dir}/httpd.pid"`,
    `DefaultRuntimeDir "${dir}"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    `DocumentRoot "${dir}/htdocs"`,
    // Started as root, Apache's workers must drop to an unprivileged user.
    ...(process.getuid?.() === 0 ? ['User www-data', 'Group www-data'] : []),
    '<Location "/api/">',
    '  AuthType Digest',
    `  AuthName "${o.realm}"`,
    '  AuthDigestProvider file',
    `  AuthUserFile "${dir}/htdigest"`,
    ...(o.nonceLifetimeS !== undefined ? [`  AuthDigestNonceLifetime ${o.nonceLifetimeS}`] : []),
    '  Require valid-user',
    '  RewriteEngine On',
    '  RewriteCond %{REQUEST_METHOD} =DELETE',
    '  RewriteCond %{REQUEST_URI} ^/api/(atlas/v2|public/v1\\.0)/groups/[0-9a-f]{24}/invites/[0-9a-f]{24}$',
    '  RewriteRule ^ - [R=204,L]',
    '</Location>',
    '',
  ].join('\n');
}

/**
 * Starts Apache in beforeAll and stops it in afterAll (nothing when Apache is missing: the tests skip).
 * Returns a handle whose baseUrl is set once Apache listens.
 */
export function useApache(options: ApacheOptions): ApacheServer {
  const state = { baseUrl: '' };
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!haveApache) return;
    dir = mkdtempSync(join(tmpdir(), 'mdb-inv-apache-'));
    chmodSync(dir, 0o755); // the workers run unprivileged and read the password file
    mkdirSync(join(dir, 'htdocs'));
    // The htdigest format (user:realm:MD5(user:realm:password)), written without the interactive tool.
    const { realm, username, password } = options;
    const ha1 = createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');
    writeFileSync(join(dir, 'htdigest'), `${username}:${realm}:${ha1}\n`, { mode: 0o644 });
    const port = await freePort();
    writeFileSync(join(dir, 'httpd.conf'), config(dir, port, options));
    const started = spawn(
      'timeout',
      [String(LIFETIME_S), APACHE, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'],
      { stdio: 'ignore' },
    );
    child = started;
    const until = Date.now() + START_TIMEOUT_MS;
    while (!(await accepts(port))) {
      if (Date.now() > until || started.exitCode !== null) {
        const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
        throw new Error(`Apache did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms: ${log}`);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    state.baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((done) => running.once('exit', done));
      running.kill('SIGTERM'); // `timeout` passes it on to Apache
      const killer = setTimeout(() => {
        running.kill('SIGKILL');
        const pidFile = join(dir as string, 'httpd.pid');
        const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
        if (pid > 0) process.kill(pid, 'SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(killer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  return {
    get baseUrl() {
      return state.baseUrl;
    },
  };
}
