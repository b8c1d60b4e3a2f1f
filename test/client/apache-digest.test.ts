// Digest interop with an implementation no one here wrote: Apache httpd's mod_auth_digest, started on
// 127.0.0.1 with a private configuration (no systemd, no /etc/apache2 site). It answers both DELETE
// paths with 204 once the request is authenticated.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvitationClient } from '../../lib/client/invitation-client';
import type { Credentials } from '../../lib/client/options';
import { CANARY, GROUP, INVITE, expectNoSecrets } from './helpers';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const have = existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_digest.so'));
const itIf = have ? it : it.skip;
if (!have) console.warn(`Skipping Apache Digest interop tests: ${APACHE} with mod_auth_digest not found.`);

const REALM = 'MMS Public API';
const NONCE_LIFETIME_S = 2;
let dir: string;
let apache: ChildProcess | undefined;
let baseUrl: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => done(socket.end() !== undefined));
      socket.once('error', () => done(false));
    });
    if (up) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`Apache did not listen on ${port}: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
}

beforeAll(async () => {
  if (!have) return;
  dir = mkdtempSync(join(tmpdir(), 'mdb-inv-apache-'));
  chmodSync(dir, 0o755); // the worker processes run as www-data
  mkdirSync(join(dir, 'www'));
  // The htdigest file format (user:realm:MD5(user:realm:password)), written without the interactive tool.
  const ha1 = createHash('md5').update(`${CANARY.publicKey}:${REALM}:${CANARY.privateKey}`).digest('hex');
  writeFileSync(join(dir, 'htdigest'), `${CANARY.publicKey}:${REALM}:${ha1}\n`, { mode: 0o644 });
  const port = await freePort();
  const load = (name: string) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`;
  writeFileSync(
    join(dir, 'httpd.conf'),
    [
      ...['mpm_event', 'authn_core', 'authz_core', 'authn_file', 'authz_user', 'auth_digest', 'rewrite'].map(
        load,
      ),
      'ServerName 127.0.0.1',
      `Listen 127.0.0.1:${port}`,
      `PidFile ${dir}/httpd.pid`,
      `DefaultRuntimeDir ${dir}`,
      `ErrorLog ${dir}/error.log`,
      `DocumentRoot ${dir}/www`,
      ...(process.getuid?.() === 0 ? ['User www-data', 'Group www-data'] : []),
      '<Location /api/>',
      '  AuthType Digest',
      `  AuthName "${REALM}"`,
      '  AuthDigestProvider file',
      `  AuthUserFile ${dir}/htdigest`,
      `  AuthDigestNonceLifetime ${NONCE_LIFETIME_S}`,
      '  Require valid-user',
      '  RewriteEngine On',
      '  RewriteRule ^ - [R=204]',
      '</Location>',
      '',
    ].join('\n'),
  );
  // `timeout` stops Apache even if this process dies before afterAll.
  apache = spawn('timeout', ['120', APACHE, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: 'ignore',
  });
  await waitForPort(port, Date.now() + 10_000);
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (apache && apache.exitCode === null) {
    const exited = new Promise((done) => apache?.once('exit', done));
    apache.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const digest = (privateKey: string = CANARY.privateKey): Credentials => ({
  kind: 'digest',
  publicKey: CANARY.publicKey,
  privateKey,
});

describe('Digest against Apache mod_auth_digest', () => {
  itIf(
    'revokes on the Atlas path: challenge + one request, then one request with the reused nonce',
    async () => {
      const client = new InvitationClient({ target: 'atlas', baseUrl, credentials: digest() });
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
        outcome: 'revoked',
        status: 204,
        path: `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`,
      });
      expect(client.requestCount).toBe(2);
      await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(client.requestCount).toBe(3);
      await client.close();
    },
  );

  itIf('revokes on the Ops Manager path', async () => {
    const client = new InvitationClient({ target: 'ops-manager', baseUrl, credentials: digest() });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'revoked',
      path: `/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`,
    });
    await client.close();
  });

  itIf('answers an expired nonce (stale=true) with one fresh attempt', async () => {
    const client = new InvitationClient({ target: 'atlas', baseUrl, credentials: digest() });
    await client.cancelInvitation(GROUP, INVITE);
    await new Promise((done) => setTimeout(done, NONCE_LIFETIME_S * 1000 + 500));
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(client.requestCount).toBe(4);
    await client.close();
  });

  itIf('refuses a wrong private key after one authenticated attempt, naming no secret', async () => {
    const wrong = `${CANARY.privateKey}-wrong`;
    const client = new InvitationClient({ target: 'atlas', baseUrl, credentials: digest(wrong) });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', status: 401, method: 'DELETE' });
    expect(client.requestCount).toBe(2);
    expectNoSecrets(err);
    expect(JSON.stringify(err)).not.toContain(wrong);
    await client.close();
  });
});
