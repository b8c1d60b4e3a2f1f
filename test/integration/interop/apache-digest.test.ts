// Interoperability with a Digest implementation nobody here wrote: Apache httpd's mod_auth_digest
// (started by test/helpers/apache.ts: 127.0.0.1, private configuration, Digest on /api/, 204 for an
// authenticated DELETE of an invitation on the Atlas and the Ops Manager path). The CLI runs in-process
// and as the bundle, with each of its HTTP clients (MONGODB_INVITATIONS_HTTP).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../lib/cli/run';
import { captureIo } from '../../helpers/io';
import { haveApache, itIfApache, useApache } from '../../helpers/apache';

const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'mongodb-invitations.cjs');
const REALM = 'MMS Public API';
const PUBLIC_KEY = 'apache-public-key';
const PRIVATE_KEY = 'apache-private-key-canary-9d2e';
const WRONG_KEY = 'wrong-private-key-canary-31f0';
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';

const apache = useApache({ realm: REALM, username: PUBLIC_KEY, password: PRIVATE_KEY });
const itIf = itIfApache('Apache interop tests of the CLI');
const HTTP_CLIENTS = ['node-http', 'undici'] as const;
const TARGETS = ['atlas', 'ops-manager'] as const;
const each = HTTP_CLIENTS.flatMap((http) => TARGETS.map((target) => [target, http] as const));

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

describe('Apache mod_auth_digest interop', () => {
  beforeAll(() => {
    if (haveApache && !existsSync(BUNDLE))
      throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  });

  const envFor = (target: 'atlas' | 'ops-manager', privateKey: string, http: string) => ({
    MONGODB_INVITATIONS_HTTP: http,
    MONGODB_INVITATIONS_TARGET: target,
    MONGODB_INVITATIONS_BASE_URL: apache.baseUrl,
    MONGODB_INVITATIONS_GROUP_ID: G,
    MONGODB_INVITATIONS_INVITATION_ID: I,
    ...(target === 'atlas'
      ? { MONGODB_ATLAS_PUBLIC_API_KEY: PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_API_KEY: privateKey }
      : { MCLI_PUBLIC_API_KEY: PUBLIC_KEY, MCLI_PRIVATE_API_KEY: privateKey }),
  });
  const path = (target: 'atlas' | 'ops-manager') =>
    `${target === 'atlas' ? '/api/atlas/v2' : '/api/public/v1.0'}/groups/${G}/invites/${I}`;

  itIf.each(each)('revokes on the %s path in-process (%s)', async (target, http) => {
    const c = captureIo();
    expect(await run(['revoke'], envFor(target, PRIVATE_KEY, http), c.io)).toBe(0);
    expect(c.stderr()).toBe(`✔ revoked invitation ${I} in project ${G} (DELETE ${path(target)}, 204)\n`);
    expect(c.stdout() + c.stderr()).not.toContain(PRIVATE_KEY);
  });

  itIf.each(each)('revokes on the %s path with the bundle (%s)', async (target, http) => {
    const r = await bundled(['revoke', '--json'], {
      ...envFor(target, PRIVATE_KEY, http),
      MONGODB_INVITATIONS_CODE_CACHE: 'off',
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`"outcome":"revoked"`);
    expect(r.out).toContain(`(DELETE ${path(target)}, 204)`);
    expect(r.out).not.toContain(PRIVATE_KEY);
  });

  itIf.each(each)('exits 1 on %s with a wrong private key, printing no secret (%s)', async (target, http) => {
    const c = captureIo();
    expect(await run(['revoke', '--debug'], envFor(target, WRONG_KEY, http), c.io)).toBe(1);
    expect(c.stderr()).toMatch(new RegExp(`^✖ DELETE ${path(target).replace(/\./g, '\\.')} failed with 401`));
    const r = await bundled(['revoke', '--debug', '--json'], {
      ...envFor(target, WRONG_KEY, http),
      MONGODB_INVITATIONS_CODE_CACHE: 'off',
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('"code":"MDB_AUTHENTICATION"');
    for (const out of [c.stdout() + c.stderr(), r.out]) {
      expect(out).not.toContain(WRONG_KEY);
      expect(out).not.toContain(PRIVATE_KEY);
    }
  });
});
