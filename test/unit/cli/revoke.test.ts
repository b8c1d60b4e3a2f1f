// run(['revoke', …]) in-process against the sandbox (behind a scripted proxy for the hostile answers):
// every exit code, the human line, the --json object, and that no secret is ever printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../lib/cli/run';
import {
  ENTRY_ADDRESS_ENV,
  ENTRY_KEY_ENV,
  entryName,
  ENTRY_KEYS,
  type EntryKey,
} from '../../../lib/contract/keys';
import { CANARY } from '../../helpers/canaries';
import { captureIo } from '../../helpers/io';
import { sandboxProxy, type Call } from '../../helpers/sandbox-proxy';
import { scriptedServer, type Reply } from '../../helpers/scripted-server';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const PATH = `/api/atlas/v2/groups/${G}/invites/${I}`;
const OM_PATH = `/api/public/v1.0/groups/${G}/invites/${I}`;
const LIST = `/api/atlas/v2/groups/${G}/invites`;
const ADDRESS = `terraform_data.mongodb_invitations["atlas/${G}/${I}"]`;
const NOT_FOUND = {
  error: 404,
  errorCode: 'RESOURCE_NOT_FOUND',
  detail: 'Cannot find resource.',
  reason: 'Not Found',
};
const pending = (id: string) => ({ id, groupId: G, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] });

// Canary secrets (test/helpers/canaries): none may appear in anything the CLI prints.
const SECRETS = [CANARY.privateKey, CANARY.clientSecret, CANARY.accessToken];

interface Api {
  readonly baseUrl: string;
  /** Every request, with its auth kind and status. */
  readonly log: Call[];
  /** What an authenticated DELETE …/invites/{id} answers instead of the sandbox (which still deletes). */
  deleteReply?: Reply;
  /** What an authenticated GET …/invites answers instead of the sandbox. */
  listReply?: Reply;
  clearLog(): void;
  stop(): Promise<void>;
}

/** The sandbox, accepting the canaries, holding invitation I, behind a proxy for deleteReply/listReply. */
async function startApi(canary: { -readonly [K in keyof typeof CANARY]: string } = CANARY): Promise<Api> {
  const over: { deleteReply?: Reply; listReply?: Reply } = {};
  const proxy = await sandboxProxy(
    (req) => {
      const path = req.path.split('?')[0] ?? '';
      const reply =
        req.method === 'DELETE' && /\/invites\/[^/]+$/.test(path)
          ? over.deleteReply
          : req.method === 'GET' && /\/invites$/.test(path)
            ? over.listReply
            : undefined;
      return reply && { ...reply, land: true };
    },
    {
      credentials: {
        apiKeys: [{ publicKey: canary.publicKey, privateKey: canary.privateKey }],
        serviceAccounts: [{ clientId: canary.clientId, clientSecret: canary.clientSecret }],
        accessTokens: [canary.accessToken],
      },
      seed: [{ groupId: G, id: I, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] }],
    },
    // The sandbox sends Atlas's Sunset header; the tests about the notice script their own.
    { dropUpstreamHeaders: ['sunset', 'deprecation'] },
  );
  return {
    baseUrl: proxy.url,
    get log() {
      return proxy.calls();
    },
    get deleteReply() {
      return over.deleteReply;
    },
    set deleteReply(reply) {
      over.deleteReply = reply;
    },
    get listReply() {
      return over.listReply;
    },
    set listReply(reply) {
      over.listReply = reply;
    },
    clearLog: () => proxy.clearCalls(),
    stop: () => proxy.stop(),
  };
}

let api: Api;
let cacheDir: string;
beforeEach(async () => {
  api = await startApi();
  cacheDir = mkdtempSync(join(tmpdir(), 'mdbinv-cli-'));
});
afterEach(async () => {
  await api.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

// The cache directory also holds the once-a-day Sunset marker: never the real home's.
const digestEnv = () => ({
  MONGODB_ATLAS_PUBLIC_API_KEY: CANARY.publicKey,
  MONGODB_ATLAS_PRIVATE_API_KEY: CANARY.privateKey,
  MONGODB_INVITATIONS_TOKEN_CACHE: cacheDir,
});
const serviceAccountEnv = () => ({
  MONGODB_ATLAS_CLIENT_ID: CANARY.clientId,
  MONGODB_ATLAS_CLIENT_SECRET: CANARY.clientSecret,
  MONGODB_INVITATIONS_TOKEN_CACHE: cacheDir,
});

async function revoke(extra: string[], env: NodeJS.ProcessEnv) {
  const c = captureIo();
  const argv = [
    'revoke',
    '--target',
    'atlas',
    '--base-url',
    api.baseUrl,
    '--group-id',
    G,
    '--invitation-id',
    I,
    ...extra,
  ];
  const code = await run(argv, env, c.io);
  const printed = c.stdout() + c.stderr();
  for (const secret of SECRETS) expect(printed).not.toContain(secret);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('revoke', () => {
  it('revokes with Digest: one ✔ line on stderr, nothing on stdout, exit 0, 2 requests', async () => {
    const r = await revoke([], digestEnv());
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `✔ revoked invitation ${I} in project ${G} (DELETE ${PATH}, 204)\n`,
    });
    expect(api.log.map((e) => [e.method, e.auth, e.status])).toEqual([
      ['DELETE', 'none', 401],
      ['DELETE', 'digest', 204],
    ]);
  });

  it('revokes on Ops Manager through the v1.0 path', async () => {
    const c = captureIo();
    const code = await run(
      ['revoke'],
      {
        MONGODB_INVITATIONS_TARGET: 'ops-manager',
        MONGODB_INVITATIONS_BASE_URL: api.baseUrl,
        MONGODB_INVITATIONS_GROUP_ID: G,
        MONGODB_INVITATIONS_INVITATION_ID: I,
        MCLI_PUBLIC_API_KEY: CANARY.publicKey,
        MCLI_PRIVATE_API_KEY: CANARY.privateKey,
      },
      c.io,
    );
    expect(code).toBe(0);
    expect(c.stderr()).toContain(`(DELETE ${OM_PATH}, 204)`);
    expect(api.log.at(-1)).toMatchObject({ path: OM_PATH, auth: 'digest', status: 204 });
  });

  it('revokes with a service account and reuses the cached token in the next run', async () => {
    expect((await revoke([], serviceAccountEnv())).code).toBe(0);
    expect(api.log.map((e) => [e.method, e.auth])).toEqual([
      ['POST', 'basic'],
      ['DELETE', 'bearer'],
    ]);
    api.clearLog();
    api.deleteReply = { status: 204 }; // I is gone from the sandbox now: answer as the first time
    expect((await revoke([], serviceAccountEnv())).code).toBe(0);
    expect(api.log.map((e) => [e.method, e.auth])).toEqual([['DELETE', 'bearer']]);
  });

  it('revokes with a static access token in one request', async () => {
    expect((await revoke([], { MONGODB_ATLAS_ACCESS_TOKEN: CANARY.accessToken })).code).toBe(0);
    expect(api.log).toHaveLength(1);
  });

  it('prints one JSON object on stdout with --json', async () => {
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toEqual({
      command: 'revoke',
      outcome: 'revoked',
      target: 'atlas',
      groupId: G,
      invitationId: I,
      method: 'DELETE',
      path: PATH,
      status: 204,
    });
    expect(r.stderr).toMatch(/^✔ revoked /);
  });

  it('exits 0 and says so when a 404 ApiError is confirmed by the project’s list', async () => {
    api.deleteReply = { status: 404, body: NOT_FOUND };
    api.listReply = { status: 200, body: [pending('6a1b2c3d4e5f60718293a4b6')] };
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `✔ already gone: invitation ${I} in project ${G} (DELETE ${PATH} 404 RESOURCE_NOT_FOUND; not in GET ${LIST})\n`,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      outcome: 'already-gone',
      status: 404,
      errorCode: 'RESOURCE_NOT_FOUND',
    });
    expect(api.log.map((e) => [e.method, e.path, e.status])).toEqual([
      ['DELETE', PATH, 401],
      ['DELETE', PATH, 404],
      ['GET', LIST, 200],
    ]);
  });

  it('prints a ⚠ line for a Sunset header and keeps it in the JSON', async () => {
    api.deleteReply = {
      status: 204,
      headers: { sunset: 'Thu, 01 Jul 2027 00:00:00 GMT', deprecation: '@1754006400' },
    };
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^⚠ .*Thu, 01 Jul 2027 00:00:00 GMT/);
    expect(lines[1]).toMatch(/^✔ revoked /);
    expect(JSON.parse(r.stdout).warnings).toEqual([
      expect.objectContaining({ code: 'MDB_SUNSET', sunset: 'Thu, 01 Jul 2027 00:00:00 GMT' }),
    ]);
  });

  it('exits 1 on a 403 with one ✖ line naming the request and the server’s reason', async () => {
    api.deleteReply = {
      status: 403,
      body: {
        error: 403,
        errorCode: 'USER_CANNOT_ACCESS_ORGANIZATION_OR_GROUP',
        detail: 'User cannot access this group.',
      },
    };
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(
      new RegExp(`^✖ DELETE ${PATH} failed with 403 \\(USER_CANNOT_ACCESS_ORGANIZATION_OR_GROUP\\)`),
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'revoke',
      outcome: 'error',
      exitCode: 1,
      code: 'MDB_API_ERROR',
      status: 403,
      errorCode: 'USER_CANNOT_ACCESS_ORGANIZATION_OR_GROUP',
      method: 'DELETE',
      path: PATH,
    });
  });

  it('exits 1 when the private key is wrong (401 after the digest round), printing no secret', async () => {
    const r = await revoke(['--json'], { ...digestEnv(), MONGODB_ATLAS_PRIVATE_API_KEY: 'wrong-key-canary' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✖ DELETE .* failed with 401/);
    expect(r.stdout + r.stderr).not.toContain('wrong-key-canary');
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'MDB_AUTHENTICATION', exitCode: 1, status: 401 });
  });

  it('exits 1 on a 500 once retries are spent', async () => {
    api.deleteReply = { status: 500, body: { error: 500, errorCode: 'UNEXPECTED_ERROR', detail: 'boom' } };
    const r = await revoke(['--max-retries', '1', '--json'], digestEnv());
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'MDB_RETRY_EXHAUSTED', status: 500 });
    expect(api.log.filter((e) => e.status === 500)).toHaveLength(2);
  });

  it('exits 1 on a network error, and prints the stack only with --debug', async () => {
    const base = api.baseUrl;
    await api.stop();
    const c = captureIo();
    const argv = [
      'revoke',
      '--target',
      'atlas',
      '--base-url',
      base,
      '--group-id',
      G,
      '--invitation-id',
      I,
      '--max-retries',
      '0',
    ];
    expect(await run(argv, digestEnv(), c.io)).toBe(1);
    expect(c.stderr()).toMatch(/^✖ DELETE .* failed after 1 attempt\(s\)/);
    expect(c.stderr()).not.toMatch(/\n\s+at /);
    const d = captureIo();
    expect(await run([...argv, '--debug'], digestEnv(), d.io)).toBe(1);
    expect(d.stderr()).toMatch(/\n\s+at /);
    for (const out of [c.stdout() + c.stderr(), d.stdout() + d.stderr()])
      expect(out).not.toContain(CANARY.privateKey);
    api = await startApi();
  });

  it('keeps secrets out of --debug output of a failure', async () => {
    api.deleteReply = {
      status: 403,
      body: { error: 403, errorCode: 'X', detail: `echo ${CANARY.privateKey}` },
    };
    const r = await revoke(['--debug', '--json'], digestEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('exits 2 and sends nothing when input is bad, naming what to fix', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--invitation-id', 'nope'], digestEnv(), /--invitation-id must be 24 lowercase hex/],
      [[], {}, /no credentials for Atlas: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET/],
      [
        [],
        { MONGODB_ATLAS_PUBLIC_API_KEY: 'x' },
        /MONGODB_ATLAS_PUBLIC_API_KEY is set but .*MONGODB_ATLAS_PRIVATE_API_KEY/,
      ],
      [['--base-url', 'http://example.com'], digestEnv(), /--base-url must use https/],
      [['--bogus'], digestEnv(), /Unknown option '--bogus'/],
    ];
    for (const [extra, env, pattern] of cases) {
      const r = await revoke([...extra, '--json'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^✖ .*${pattern.source}`));
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', exitCode: 2, code: 'MDB_USAGE' });
    }
    expect(api.log).toEqual([]);
  });

  it('prints the Sunset line once a day per cache directory, and keeps it in --json always', async () => {
    api.deleteReply = { status: 204, headers: { sunset: 'Thu, 01 Jul 2027 00:00:00 GMT' } };
    const sunsetLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('⚠'));
    const first = await revoke(['--json'], digestEnv());
    expect(sunsetLines(first.stderr)).toEqual([expect.stringMatching(/^⚠ .*Thu, 01 Jul 2027/)]);
    const second = await revoke(['--json'], digestEnv());
    expect(second.code).toBe(0);
    expect(sunsetLines(second.stderr)).toEqual([]);
    for (const r of [first, second]) {
      expect(JSON.parse(r.stdout).warnings).toEqual([
        expect.objectContaining({ code: 'MDB_SUNSET', sunset: 'Thu, 01 Jul 2027 00:00:00 GMT' }),
      ]);
    }
    const day = new Date(Date.now() - 25 * 3600_000);
    utimesSync(join(cacheDir, 'deprecation-notice'), day, day);
    expect(sunsetLines((await revoke([], digestEnv())).stderr)).toHaveLength(1);
    // No cache directory: printed every time.
    const off = { ...serviceAccountEnv(), MONGODB_INVITATIONS_TOKEN_CACHE: 'off' };
    expect(sunsetLines((await revoke([], off)).stderr)).toHaveLength(1);
    expect(sunsetLines((await revoke([], off)).stderr)).toHaveLength(1);
  });

  it('escapes control characters of a server’s detail: no forged line reaches the terminal', async () => {
    api.deleteReply = {
      status: 403,
      body: {
        error: 403,
        errorCode: 'DENIED\u0007',
        detail: `No.\u001b[2K\r✔ revoked invitation ${I} in project ${G}\u2028ok`,
      },
    };
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^✖ DELETE .* failed with 403 \(DENIED\\u0007\): No\.\\u001b\[2K ✔ revoked/);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr + r.stdout).not.toMatch(/[\u0007\u001b\r\u2028]/);
    expect(JSON.parse(r.stdout).detail).toContain('\u001b[2K');
  });

  it('keeps --json valid when a secret is two characters long', async () => {
    await api.stop();
    api = await startApi({ ...CANARY, accessToken: 'in' });
    const r = await revoke(['--json'], { MONGODB_ATLAS_ACCESS_TOKEN: 'in' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'revoked', invitationId: I, groupId: G });
  });

  it('fails with one line and exit 1 when the answer is larger than 4 MiB', async () => {
    api.deleteReply = { status: 500, body: 'x'.repeat(5 * 1024 * 1024) };
    const r = await revoke(['--json'], digestEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✖ DELETE \S+ failed: the answer \(status 500\) is larger than 4 MiB[^\n]*\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'MDB_RESPONSE_TOO_LARGE', exitCode: 1, status: 500 });
    expect(api.log.filter((e) => e.status === 500)).toHaveLength(1);
  });

  it('refuses a symlinked token cache directory, naming MONGODB_INVITATIONS_TOKEN_CACHE', async () => {
    const target = join(cacheDir, 'real');
    mkdirSync(target);
    symlinkSync(target, join(cacheDir, 'link'));
    const r = await revoke(['--json'], {
      ...serviceAccountEnv(),
      MONGODB_INVITATIONS_TOKEN_CACHE: join(cacheDir, 'link'),
    });
    expect(r.code).toBe(2);
    // The rate-limit wait file, in the same directory, says so too (waits stay in memory).
    expect(r.stderr).toMatch(
      /^✖ .*is refused: it is a symbolic link\. Point MONGODB_INVITATIONS_TOKEN_CACHE/m,
    );
    expect(readdirSync(target)).toEqual([]);
    expect(api.log).toEqual([]);
  });

  it('revokes with HOME empty: one warning, the token kept in memory, nothing cached relative', async () => {
    const env = { ...serviceAccountEnv(), MONGODB_INVITATIONS_TOKEN_CACHE: undefined, HOME: '' };
    const r = await revoke(['--json'], env);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('⚠'));
    expect(warnings).toEqual([expect.stringMatching(/^⚠ No token cache directory: HOME is unset, empty/)]);
    expect(JSON.parse(r.stdout).warnings).toEqual([
      expect.objectContaining({ code: 'MDB_TOKEN_CACHE_UNUSABLE' }),
    ]);
    expect(existsSync(join(process.cwd(), '.cache'))).toBe(false);
  });

  it('never echoes the password of an unparsable base URL', async () => {
    const r = await revoke(['--base-url', 'https://user:pw-canary-Xy@bad host', '--json'], digestEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--base-url must be an absolute URL .*"https:\/\/\*\*\*@bad host"/);
    expect(r.stdout + r.stderr).not.toContain('pw-canary-Xy');
  });
});

describe('revoke with a service account, without the token cache', () => {
  it('redacts the access token echoed by the server, and revokes the token at exit', async () => {
    const issued = 'sa-access-token-canary-9f8e7d';
    const server = await scriptedServer((req) =>
      req.path === '/api/oauth/token'
        ? { status: 200, body: { access_token: issued, expires_in: 3600 } }
        : req.path === '/api/oauth/revoke'
          ? { status: 200, body: {} }
          : {
              status: 403,
              body: {
                error: 403,
                errorCode: 'DENIED',
                detail: `Token ${req.headers.authorization} may not.`,
              },
            },
    );
    const base = server.url;
    const c = captureIo();
    const argv = [
      'revoke',
      '--target',
      'atlas',
      '--base-url',
      base,
      '--group-id',
      G,
      '--invitation-id',
      I,
      '--json',
    ];
    const code = await run(argv, { ...serviceAccountEnv(), MONGODB_INVITATIONS_TOKEN_CACHE: 'off' }, c.io);
    await server.stop();
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(
      /^✖ DELETE .* failed with 403 \(DENIED\): Token Bearer \[REDACTED\] may not\./,
    );
    expect(c.stdout() + c.stderr()).not.toContain(issued);
    expect(JSON.parse(c.stdout()).detail).toBe('Token Bearer [REDACTED] may not.');
    const last = server.seen.at(-1);
    expect(`${last?.method} ${last?.path} ${last?.body}`).toBe(
      `POST /api/oauth/revoke token=${issued}&token_type_hint=access_token`,
    );
  });
});

const tokenEnv = () => ({ MONGODB_ATLAS_ACCESS_TOKEN: CANARY.accessToken });

/** What a destroy-time provisioner passes for an adopted id entry (every key, "" where not set). */
function entryEnv(values: Partial<Record<EntryKey, string>> = {}): NodeJS.ProcessEnv {
  const all: Partial<Record<EntryKey, string>> = {
    target: 'atlas',
    base_url: api.baseUrl,
    group_id: G,
    invitation_id: I,
    ...values,
  };
  const env: NodeJS.ProcessEnv = {
    [ENTRY_KEY_ENV]: `atlas/${G}/${I}`,
    [ENTRY_ADDRESS_ENV]: ADDRESS,
  };
  for (const key of ENTRY_KEYS) env[entryName(key)] = all[key] ?? '';
  return env;
}

async function revokeFromEntry(env: NodeJS.ProcessEnv, extra: string[] = []) {
  const c = captureIo();
  const code = await run(['revoke', ...extra], env, c.io);
  const printed = c.stdout() + c.stderr();
  for (const secret of SECRETS) expect(printed).not.toContain(secret);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('revoke: "already gone" only when true', () => {
  it('404 RESOURCE_NOT_FOUND, list OK without the id: exit 0, exactly DELETE + GET with a token', async () => {
    api.deleteReply = { status: 404, body: NOT_FOUND };
    api.listReply = { status: 200, body: [pending('6a1b2c3d4e5f60718293a4b6')] };
    const r = await revoke(['--json'], tokenEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^✔ already gone: /);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'already-gone', errorCode: 'RESOURCE_NOT_FOUND' });
    expect(api.log.map((e) => [e.method, e.path, e.auth, e.status])).toEqual([
      ['DELETE', PATH, 'bearer', 404],
      ['GET', LIST, 'bearer', 200],
    ]);
  });

  it.each(['GROUP_NOT_FOUND', 'ATLAS_GROUP', 'NOT_IN_GROUP'])(
    '404 %s: exit 1, a hint about the project, no list',
    async (errorCode) => {
      api.deleteReply = {
        status: 404,
        body: { error: 404, errorCode, detail: 'No group.', reason: 'Not Found' },
      };
      const r = await revoke(['--json'], tokenEnv());
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^✖ DELETE ${PATH} failed with 404 \\(${errorCode}\\)`));
      expect(r.stderr).toContain('check the project (group) id, the base URL');
      expect(r.stderr).not.toContain('terraform state rm');
      expect(JSON.parse(r.stdout)).toMatchObject({
        outcome: 'error',
        exitCode: 1,
        code: 'MDB_API_ERROR',
        status: 404,
        errorCode,
      });
      expect(api.log.map((e) => e.method)).toEqual(['DELETE']);
    },
  );

  it('404 without an ApiError body: exit 1 pointing at the base URL, no list', async () => {
    api.deleteReply = { status: 404, body: 'Not Found' };
    const r = await revoke([], tokenEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✖ DELETE .* failed with 404.*not a MongoDB API error/);
    expect(api.log).toHaveLength(1);
  });

  it('the list fails: exit 1 MDB_UNCONFIRMED, nothing taken as revoked', async () => {
    api.deleteReply = { status: 404, body: NOT_FOUND };
    api.listReply = { status: 403, body: { error: 403, errorCode: 'USER_UNAUTHORIZED', detail: 'Denied.' } };
    const r = await revoke(['--json'], tokenEnv());
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^✖ DELETE .* answered 404 \(RESOURCE_NOT_FOUND\) and the project's pending invitations could not be read/,
    );
    expect(r.stderr).toContain('Nothing was taken as revoked');
    expect(r.stderr).not.toMatch(/^✔/m);
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'revoke',
      outcome: 'error',
      exitCode: 1,
      code: 'MDB_UNCONFIRMED',
      method: 'DELETE',
      path: PATH,
      errorCode: 'RESOURCE_NOT_FOUND',
    });
    expect(api.log.map((e) => [e.method, e.status])).toEqual([
      ['DELETE', 404],
      ['GET', 403],
    ]);
  });

  it('the list still shows the invitation: exit 1 MDB_UNCONFIRMED', async () => {
    api.deleteReply = { status: 404, body: NOT_FOUND };
    api.listReply = { status: 200, body: [pending(I)] };
    const r = await revoke(['--json'], tokenEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/but the project still lists it as pending/);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'MDB_UNCONFIRMED', exitCode: 1 });
  });

  it.each([200, 202])('%i with an ApiError body: exit 1, not revoked', async (status) => {
    api.deleteReply = {
      status,
      body: { error: 500, errorCode: 'UNEXPECTED_ERROR', detail: 'Something broke.' },
    };
    const r = await revoke(['--json'], tokenEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^✖ DELETE ${PATH} failed with ${status} \\(UNEXPECTED_ERROR\\)`));
    expect(r.stderr).not.toMatch(/revoked invitation/);
    expect(JSON.parse(r.stdout)).toMatchObject({
      outcome: 'error',
      exitCode: 1,
      code: 'MDB_API_ERROR',
      status,
    });
  });

  it('takes a 2xx with an empty or non-error JSON body as revoked', async () => {
    for (const reply of [{ status: 200, body: {} }, { status: 202, body: { id: I } }, { status: 204 }]) {
      api.deleteReply = reply;
      expect((await revoke([], tokenEnv())).code).toBe(0);
    }
  });
});

describe('revoke under Terraform (the provisioner entry)', () => {
  it('revokes an adopted id from the entry alone', async () => {
    const r = await revokeFromEntry({ ...entryEnv(), ...tokenEnv() });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `✔ revoked invitation ${I} in project ${G} (DELETE ${PATH}, 204)\n`,
    });
  });

  it.each([
    [
      '404 GROUP_NOT_FOUND',
      { status: 404, body: { error: 404, errorCode: 'GROUP_NOT_FOUND', detail: 'No group.' } },
      undefined,
    ],
    [
      'MDB_UNCONFIRMED',
      { status: 404, body: NOT_FOUND },
      { status: 500, body: { error: 500, errorCode: 'X' } },
    ],
  ] as const)(
    'names `terraform state rm <address>` in the failure of a %s',
    async (_name, deleteReply, listReply) => {
      api.deleteReply = deleteReply;
      if (listReply) api.listReply = listReply;
      const r = await revokeFromEntry({ ...entryEnv({ max_retries: '0' }), ...tokenEnv() }, ['--json']);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toContain(
        `Hint: if the project really was deleted, drop the entry from state on purpose: terraform state rm '${ADDRESS}'.`,
      );
      expect(JSON.parse(r.stdout).message).toContain(`terraform state rm '${ADDRESS}'`);
    },
  );

  it('gives the way out with a pasteable address when the server no longer answers (a closed port)', async () => {
    const closed = await scriptedServer([]);
    const baseUrl = closed.url;
    await closed.stop(); // nothing listens there now: ECONNREFUSED
    const username = "o'brien`x`@example.com";
    const address = `terraform_data.mongodb_invitations["atlas/${G}/${username}"]`;
    const env = {
      ...entryEnv({ base_url: baseUrl, invitation_id: '', username, max_retries: '0' }),
      [ENTRY_ADDRESS_ENV]: address,
      ...tokenEnv(),
    };
    const r = await revokeFromEntry(env, ['--json']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^✖ GET .* failed after 1 attempt\(s\)/);
    expect(r.stderr).toContain('Hint: check the base URL and the credentials, then apply again;');
    const printed = /terraform state rm (.*)\.\n$/.exec(r.stderr)?.[1] ?? '';
    expect(printed).toBe(`'terraform_data.mongodb_invitations["atlas/${G}/o'\\''brien\`x\`@example.com"]'`);
    // Pasted into a shell, the quoted address is the address.
    const pasted = execFileSync('/bin/sh', ['-c', `printf %s ${printed}`], { encoding: 'utf8' });
    expect(pasted).toBe(address);
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 1, code: 'MDB_NETWORK' });
    expect(JSON.parse(r.stdout).message).toContain(`terraform state rm ${printed}`);
  });

  it('gives no state hint for other failures', async () => {
    api.deleteReply = {
      status: 403,
      body: { error: 403, errorCode: 'USER_UNAUTHORIZED', detail: 'Denied.' },
    };
    const r = await revokeFromEntry({ ...entryEnv(), ...tokenEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('terraform state rm');
  });

  it('renamed credentials unset, defaults set: exit 2 naming the renamed variables, no request', async () => {
    const defaults = { ...digestEnv(), ...serviceAccountEnv(), ...tokenEnv() };
    const env = {
      ...defaults,
      ...entryEnv({ public_key_env: 'TEAM_PUBLIC', private_key_env: 'TEAM_PRIVATE' }),
    };
    const r = await revokeFromEntry(env, ['--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^✖ no credentials for Atlas .*no others are read.*: set TEAM_PUBLIC and TEAM_PRIVATE \(API key\)/,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 2, code: 'MDB_USAGE' });
    expect(api.log).toHaveLength(0);
  });

  it('the same through the ambient rename variables and a flag-driven run', async () => {
    const env = { ...digestEnv(), ...tokenEnv(), MONGODB_INVITATIONS_ACCESS_TOKEN_ENV: 'TEAM_TOKEN' };
    const r = await revoke([], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set TEAM_TOKEN \(access token\)/);
    expect(api.log).toHaveLength(0);
    // Set, the renamed variable is what is sent.
    expect((await revoke([], { ...env, TEAM_TOKEN: CANARY.accessToken })).code).toBe(0);
    expect(api.log.map((e) => e.auth)).toEqual(['bearer']);
  });

  it('an empty ENTRY_TOKEN_CACHE does not mask MONGODB_INVITATIONS_TOKEN_CACHE=off', async () => {
    const env = {
      ...entryEnv(),
      MONGODB_ATLAS_CLIENT_ID: CANARY.clientId,
      MONGODB_ATLAS_CLIENT_SECRET: CANARY.clientSecret,
      MONGODB_INVITATIONS_TOKEN_CACHE: 'off',
      XDG_CACHE_HOME: cacheDir,
      HOME: cacheDir,
    };
    expect((await revokeFromEntry(env)).code).toBe(0);
    expect((await revokeFromEntry(env)).code).toBe(0);
    // No cache: each run fetched its own token, and no token was written under the default directories
    // (rate-limit waits are still shared there, as for every person operation).
    expect(api.log.filter((e) => e.method === 'POST' && e.path === '/api/oauth/token')).toHaveLength(2);
    const written = readdirSync(cacheDir, { recursive: true }).map(String);
    expect(written.filter((f) => f.includes('token-'))).toEqual([]);
  });

  it('refuses a bad setting in the entry with exit 2, naming the variable, and sends nothing', async () => {
    const r = await revokeFromEntry({ ...entryEnv({ token_cache: 'relative/dir' }), ...tokenEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${entryName('token_cache')} must be an absolute directory path or "off"`);
    expect(api.log).toHaveLength(0);
  });
});
