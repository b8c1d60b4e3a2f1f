// `mongodb-invitations sandbox`: in process (runSandbox with an AbortSignal) and as a spawned process
// stopped by SIGTERM / SIGINT.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runSandbox, SANDBOX_USAGE } from '../../../lib/cli/sandbox-command';
import { Sandbox, SANDBOX_DEMO_CREDENTIALS } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';
import { curl, GROUP, INVITE, itCurl } from '../../unit/sandbox/helpers';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));

function capture() {
  const controller = new AbortController();
  const c = captureIo(controller.signal);
  return { io: c.io, controller, out: c.stdout, err: c.stderr };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not met');
}

describe('runSandbox', () => {
  itCurl(
    'prints its URL and the export lines of sandbox credentials for both targets, serves, and stops on abort',
    async () => {
      const c = capture();
      const done = runSandbox(['--quiet'], {}, c.io);
      await until(() => c.err().includes('Press Ctrl+C'));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.err())?.[1] as string;
      expect(url).toBeDefined();
      const key = SANDBOX_DEMO_CREDENTIALS.apiKeys[0];
      const sa = SANDBOX_DEMO_CREDENTIALS.serviceAccounts[0];
      for (const line of [
        `export MONGODB_ATLAS_BASE_URL=${url}`,
        `export MONGODB_ATLAS_PUBLIC_API_KEY=${key?.publicKey}`,
        `export MONGODB_ATLAS_PRIVATE_API_KEY=${key?.privateKey}`,
        `export MONGODB_ATLAS_CLIENT_ID=${sa?.clientId}`,
        `export MONGODB_ATLAS_CLIENT_SECRET=${sa?.clientSecret}`,
        `export MONGODB_ATLAS_ACCESS_TOKEN=${SANDBOX_DEMO_CREDENTIALS.accessTokens[0]}`,
        `export MCLI_OPS_MANAGER_URL=${url}`,
        `export MCLI_PUBLIC_API_KEY=${key?.publicKey}`,
        `export MCLI_PRIVATE_API_KEY=${key?.privateKey}`,
      ]) {
        expect(c.err()).toContain(line);
      }
      expect(c.err()).toContain('Sandbox-only credentials');
      // The app must pass the URL itself: the construct never reads MONGODB_ATLAS_BASE_URL.
      expect(c.err()).toContain("Your cdktf app must pass this URL as the target's baseUrl");
      expect(c.err()).toContain('InvitationTarget.atlas({ baseUrl: process.env.MONGODB_ATLAS_BASE_URL })');
      expect(c.out()).toBe('');
      const res = await curl([
        '--digest',
        '-u',
        `${key?.publicKey}:${key?.privateKey}`,
        `${url}/api/public/v1.0/groups/${GROUP}/invites`,
      ]);
      expect(res.status).toBe(200);
      c.controller.abort();
      await expect(done).resolves.toBe(0);
      expect(c.err()).toContain('sandbox stopped');
      await expect(fetch(url)).rejects.toThrow();
    },
  );

  itCurl(
    '--json prints one JSON line; --seed loads invitations; --log writes JSON lines; requests are echoed',
    async () => {
      const seed = join(dir, 'seed.json');
      writeFileSync(
        seed,
        JSON.stringify({ invitations: [{ groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['R'] }] }),
      );
      const log = join(dir, 'log.jsonl');
      const c = capture();
      const done = runSandbox(['--json', '--seed', seed, '--log', log], {}, c.io);
      await until(() => c.out().includes('\n'));
      const lines = c.out().trim().split('\n');
      expect(lines).toHaveLength(1);
      const info = JSON.parse(lines[0] as string) as {
        url: string;
        env: Record<string, string>;
        seeded: number;
      };
      expect(info.seeded).toBe(2);
      expect(info.env.MONGODB_ATLAS_BASE_URL).toBe(info.url);
      const del = await curl([
        '--digest',
        '-u',
        `${info.env.MCLI_PUBLIC_API_KEY}:${info.env.MCLI_PRIVATE_API_KEY}`,
        '-X',
        'DELETE',
        `${info.url}/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`,
      ]);
      expect(del.status).toBe(204);
      await until(() => c.err().includes('→ 204'));
      c.controller.abort();
      await expect(done).resolves.toBe(0);
      const logged = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { status: number });
      expect(logged.map((e) => e.status)).toEqual([401, 204]);
    },
  );

  it('--generate-credentials accepts random credentials instead of the demo ones', async () => {
    const c = capture();
    const done = runSandbox(['--json', '--generate-credentials'], {}, c.io);
    await until(() => c.out().includes('\n'));
    const info = JSON.parse(c.out()) as { env: Record<string, string> };
    expect(info.env.MONGODB_ATLAS_PRIVATE_API_KEY).not.toBe(SANDBOX_DEMO_CREDENTIALS.apiKeys[0]?.privateKey);
    expect(info.env.MONGODB_ATLAS_CLIENT_ID).toMatch(/^mdb_sa_id_[a-f0-9]{24}$/);
    c.controller.abort();
    await done;
  });

  it('warns when told to listen beyond loopback', async () => {
    const c = capture();
    const done = runSandbox(['--host', '0.0.0.0', '--quiet'], {}, c.io);
    await until(() => c.err().includes('Press Ctrl+C'));
    expect(c.err()).toContain('⚠ listening on 0.0.0.0: other machines can reach this sandbox');
    expect(c.err()).toMatch(/export MONGODB_ATLAS_BASE_URL=http:\/\/127\.0\.0\.1:\d+/);
    c.controller.abort();
    await done;
  });

  it('exits 2 with a clear message on bad usage, and 1 when the port is taken', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"invitations": [{"groupId": "x", "username": "a@x.io", "roles": ["R"]}]}');
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--port', 'eighty'], /--port must be a whole number from 0 to 65535/],
      [['--seed', join(dir, 'missing.json')], /--seed ".*missing.json" cannot be read \(ENOENT\)/],
      [['--seed', join(dir, 'log.jsonl')], /is not a seed file/],
      [['--seed', bad], /groupId must be 24 lowercase hex characters/],
      [['--host', 'a b'], /--host must be a host name or IP address/],
    ];
    writeFileSync(join(dir, 'log.jsonl'), 'not json');
    for (const [argv, message] of cases) {
      const c = capture();
      await expect(runSandbox(argv, {}, c.io)).resolves.toBe(2);
      expect(c.err()).toMatch(message);
    }
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const c = capture();
    await expect(runSandbox(['--port', String(port)], {}, c.io)).resolves.toBe(1);
    expect(c.err()).toMatch(/could not start: .*EADDRINUSE/);
    blocker.close();
  });

  it('reports a bug inside Sandbox.start as a failure (exit 1), not as bad usage (exit 2)', async () => {
    const spy = jest
      .spyOn(Sandbox, 'start')
      .mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'x')"));
    try {
      const c = capture();
      await expect(runSandbox(['--quiet'], {}, c.io)).resolves.toBe(1);
      expect(c.err()).toContain("could not start: Cannot read properties of undefined (reading 'x')");
      expect(c.err()).not.toContain('--help');
    } finally {
      spy.mockRestore();
    }
  });

  it('turns a rejection after start (stop failing) into exit 1 with a message, never an unhandled rejection', async () => {
    const fake = {
      url: 'http://127.0.0.1:9',
      credentials: SANDBOX_DEMO_CREDENTIALS,
      invitations: () => [],
      cloudUsers: () => [],
      onRequest: () => () => undefined,
      stop: () => Promise.reject(new Error('close failed')),
    } as unknown as Sandbox;
    const spy = jest.spyOn(Sandbox, 'start').mockResolvedValueOnce(fake);
    try {
      const c = capture();
      const done = runSandbox(['--json'], {}, c.io);
      await until(() => c.out().includes('\n'));
      c.controller.abort();
      await expect(done).resolves.toBe(1);
      expect(c.err()).toContain('✖ sandbox: close failed');
    } finally {
      spy.mockRestore();
    }
  });

  it('--invitation-rate-limit N/SECONDS and --bypass-invitation-mode reach the sandbox; bad values exit 2', async () => {
    const spy = jest.spyOn(Sandbox, 'start');
    try {
      const c = capture();
      const done = runSandbox(
        ['--json', '--invitation-rate-limit', '3/20', '--bypass-invitation-mode'],
        {},
        c.io,
      );
      await until(() => c.out().includes('\n'));
      expect(spy.mock.calls[0]?.[0]).toMatchObject({
        invitationRateLimit: { count: 3, windowMs: 20_000 },
        bypassInvitationMode: true,
      });
      c.controller.abort();
      await expect(done).resolves.toBe(0);
      const off = capture();
      const stopped = runSandbox(['--json', '--invitation-rate-limit', 'off'], {}, off.io);
      await until(() => off.out().includes('\n'));
      expect(spy.mock.calls[1]?.[0]).toMatchObject({ invitationRateLimit: 'off' });
      off.controller.abort();
      await stopped;
    } finally {
      spy.mockRestore();
    }
    for (const value of ['10', '0/60', '10/0', 'ten/60', '10/60s']) {
      const c = capture();
      await expect(runSandbox(['--invitation-rate-limit', value], {}, c.io)).resolves.toBe(2);
      expect(c.err()).toMatch(/--invitation-rate-limit must be N\/SECONDS/);
    }
  });

  it("--seed takes a bare list of person entries (the examples' shape)", async () => {
    const seed = join(dir, 'people.json');
    writeFileSync(
      seed,
      JSON.stringify([
        { groupId: GROUP, invitationId: INVITE, username: 'a@x.io' },
        { groupId: GROUP, username: 'b@x.io', roles: ['GROUP_OWNER'], api: 'cloud-users' },
      ]),
    );
    const c = capture();
    const done = runSandbox(['--json', '--seed', seed], {}, c.io);
    await until(() => c.out().includes('\n'));
    expect((JSON.parse(c.out()) as { seeded: number }).seeded).toBe(3);
    c.controller.abort();
    await expect(done).resolves.toBe(0);
  });

  it('--help prints the usage', async () => {
    const c = capture();
    await expect(runSandbox(['--help'], {}, c.io)).resolves.toBe(0);
    expect(c.out()).toBe(SANDBOX_USAGE);
  });
});

describe('sandbox as a process', () => {
  let entry: string;
  beforeAll(async () => {
    const source = join(dir, 'entry.ts');
    writeFileSync(
      source,
      `import { runSandbox } from ${JSON.stringify(join(__dirname, '../../../lib/cli/sandbox-command'))};\n` +
        'void runSandbox(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr })' +
        '.then((code) => (process.exitCode = code));\n',
    );
    entry = join(dir, 'sandbox.cjs');
    await build({
      entryPoints: [source],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    itCurl(`stops cleanly on ${signal} and exits 0`, async () => {
      const child = spawn(process.execPath, [entry, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await until(() => out.includes('\n'));
      const { url } = JSON.parse(out) as { url: string };
      expect((await fetch(`${url}/api/atlas/v2/groups/${GROUP}/invites`)).status).toBe(401);
      // A keep-alive connection must not hold the process open.
      const keepAlive = await curl(['--keepalive-time', '60', `${url}/_sandbox/stats`]);
      expect(keepAlive.status).toBe(200);
      child.kill(signal);
      await expect(exited).resolves.toBe(0);
      expect(err).toContain('GET /_sandbox/stats → 200');
      expect(err).not.toMatch(/✖|Error/);
    });
  }
});
