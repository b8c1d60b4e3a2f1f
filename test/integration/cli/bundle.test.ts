// The built, self-contained CLI (from `npm run build`): the folder dist/provisioner (loader + program)
// copied alone into an empty directory, as the stack's asset is: help, exit codes, a real revoke, its V8
// code cache; and the package's bin, dist/mongodb-invitations.cjs, with its source map.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandHelp, HELP } from '../../../lib/cli/help';
import { ENTRY_KEYS, entryName, type EntryKey } from '../../../lib/contract/keys';
import { sandboxProxy, type SandboxProxy } from '../../helpers/sandbox-proxy';

const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'mongodb-invitations.cjs');
const PROVISIONER = join(__dirname, '..', '..', '..', 'dist', 'provisioner');
const ASSET_FILES = ['mongodb-invitations.cjs', 'mongodb-invitations.program.cjs'];
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function node(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  // Only PATH and what the test gives: no credential of the machine running the tests leaks in.
  const childEnv = { PATH: process.env.PATH, ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { env: childEnv, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let cli: string;
let api: SandboxProxy & { baseUrl: string };
/** Invitation I pending again in the sandbox (each revoke removes it). */
const pendingAgain = () =>
  api.sandbox.seed([{ groupId: G, id: I, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] }]);
beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'mdbinv-bundle-'));
  cli = join(dir, 'mongodb-invitations.cjs');
  for (const name of ASSET_FILES) copyFileSync(join(PROVISIONER, name), join(dir, name));
  // The sandbox behind the scripted server, its Sunset header dropped: the child has no HOME, so the
  // notice would be printed on every run, and these tests are about the bundle, not the notice.
  const proxy = await sandboxProxy(
    undefined,
    { credentials: { apiKeys: [{ publicKey: 'test-public-key', privateKey: 'test-private-key' }] } },
    { dropUpstreamHeaders: ['sunset', 'deprecation'] },
  );
  api = Object.assign(proxy, { baseUrl: proxy.url });
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

const keys = {
  MONGODB_ATLAS_PUBLIC_API_KEY: 'test-public-key',
  MONGODB_ATLAS_PRIVATE_API_KEY: 'test-private-key',
};
const caches = () => readdirSync(dir).filter((n) => n.endsWith('.v8-cache'));

describe('the bundled CLI', () => {
  it('prints the help text on stdout with exit 0', async () => {
    await expect(node(cli, ['--help'], { MONGODB_INVITATIONS_CODE_CACHE: 'off' })).resolves.toEqual({
      code: 0,
      stdout: HELP,
      stderr: '',
    });
  });

  it('prints a command’s own usage for <command> --help', async () => {
    const r = await node(cli, ['revoke', '--help'], { MONGODB_INVITATIONS_CODE_CACHE: 'off' });
    expect(r).toEqual({ code: 0, stdout: commandHelp('revoke'), stderr: '' });
  });

  it('exits 2 for no command and for a bad id, saying what to fix', async () => {
    const none = await node(cli, [], { MONGODB_INVITATIONS_CODE_CACHE: 'off' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^✖ no command: use invite, revoke, list, audit, plan-summary or sandbox/);
    const bad = await node(cli, ['revoke', '--target', 'atlas', '--group-id', 'G', '--invitation-id', I], {
      ...keys,
      MONGODB_INVITATIONS_CODE_CACHE: 'off',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^✖ --group-id must be 24 lowercase hex characters/);
    expect(caches()).toEqual([]);
  });

  it('revokes from the provisioner environment alone, with no node_modules beside it', async () => {
    // What the destroy-time provisioner passes: every key of the entry, "" where not set.
    const entry: Partial<Record<EntryKey, string>> = {
      target: 'atlas',
      base_url: api.baseUrl,
      group_id: G,
      invitation_id: I,
    };
    const env: NodeJS.ProcessEnv = { ...keys };
    for (const key of ENTRY_KEYS) env[entryName(key)] = entry[key] ?? '';
    pendingAgain();
    const first = await node(cli, ['revoke'], env);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toMatch(
      /^✔ revoked invitation 6a1b2c3d4e5f60718293a4b5 in project 5f0c1a2b3c4d5e6f7a8b9c0d /,
    );
    // The first run leaves a code cache beside the bundle; the next run uses it.
    expect(caches()).toHaveLength(1);
    pendingAgain();
    const second = await node(cli, ['revoke'], env);
    expect(second.code).toBe(0);
    // A damaged cache is rejected by V8, the program compiles as usual, and the cache is rewritten.
    const cacheFile = join(dir, caches()[0] as string);
    writeFileSync(cacheFile, 'not a V8 code cache');
    pendingAgain();
    const third = await node(cli, ['revoke'], env);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/^✔ revoked /);
    expect(caches()).toHaveLength(1);
    expect(readFileSync(cacheFile, 'utf8')).not.toBe('not a V8 code cache');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('carries no undici: MONGODB_INVITATIONS_HTTP=undici in a stack is refused with exit 2, nothing sent', async () => {
    expect(readFileSync(cli, 'utf8')).not.toMatch(/llhttp|class Client extends DispatcherBase/);
    const mark = api.calls().length;
    const args = [
      'revoke',
      '--target',
      'atlas',
      '--base-url',
      api.baseUrl,
      '--group-id',
      G,
      '--invitation-id',
      I,
    ];
    const r = await node(cli, args, { ...keys, MONGODB_INVITATIONS_HTTP: 'undici' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MONGODB_INVITATIONS_HTTP=undici: undici cannot be loaded here');
    expect(api.calls()).toHaveLength(mark);
  });

  it('exits 1 when the API refuses, with the reason on stderr', async () => {
    pendingAgain();
    api.sandbox.faults.add({ method: 'DELETE', kind: 'status', status: 403, errorCode: 'FORBIDDEN' });
    const r = await node(
      cli,
      [
        'revoke',
        '--target',
        'atlas',
        '--base-url',
        api.baseUrl,
        '--group-id',
        G,
        '--invitation-id',
        I,
        '--json',
      ],
      keys,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✖ DELETE \/api\/atlas\/v2\/groups\/.* failed with 403 \(FORBIDDEN\)/);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'error', exitCode: 1, code: 'MDB_API_ERROR' });
  });

  it('ships a source map with relative sources only, included by npm pack', () => {
    const map = JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8')) as { version: number; sources: string[] };
    expect(map.version).toBe(3);
    expect(map.sources).toEqual(
      expect.arrayContaining(['../lib/cli/main.ts', '../lib/client/http/exchange.ts']),
    );
    for (const source of map.sources) expect(source).not.toMatch(/^([\w-]+:)?\//);
    const root = join(__dirname, '..', '..', '..');
    expect(readFileSync(`${BUNDLE}.map`, 'utf8')).not.toContain(root);
    const packed = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(packed) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/mongodb-invitations.cjs',
        'dist/mongodb-invitations.cjs.map',
        ...ASSET_FILES.map((name) => `dist/provisioner/${name}`),
      ]),
    );
    expect(files?.filter((f) => f.endsWith('.v8-cache'))).toEqual([]);
  });

  it('keeps the sandbox serving while nobody reads its request log (a full stderr pipe)', async () => {
    // One-shot commands write descriptors 1 and 2 directly, which blocks on a full pipe; the sandbox keeps
    // Node's streams, so its ~70-byte line per request queues instead of freezing the server.
    const child = spawn(process.execPath, [BUNDLE, 'sandbox', '--json', '--invitation-rate-limit', 'off'], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 500 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 10));
      const { url } = JSON.parse(out) as { url: string };
      // stderr is never read: 3,000 log lines (~200 KB) fill the pipe and Node's buffer several times over.
      let answered = 0;
      for (let i = 0; i < 3000; i++) {
        const res = await fetch(`${url}/api/atlas/v2/groups/${G}/invites`, {
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        if (res.status === 401) answered += 1;
      }
      expect(answered).toBe(3000);
      child.stderr.resume(); // drained, the queued log lets it stop
      child.kill('SIGTERM');
      await expect(exited).resolves.toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('writes a large output whole through a pipe, in order, and exits 0', async () => {
    const out = await node(cli, ['help', 'revoke']);
    const piped = execFileSync('/bin/sh', ['-c', `"${process.execPath}" "${cli}" help revoke | cat`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(out.code).toBe(0);
    expect(piped).toBe(commandHelp('revoke'));
    expect(out.stdout).toBe(commandHelp('revoke'));
  });

  it('exits as soon as the command is done, leaving its idle keep-alive connection to the exit', async () => {
    // A server that would keep an idle connection for two minutes: had that connection kept the CLI alive,
    // node()'s 30 s timeout would kill it and the exit code would not be 0.
    const server = createServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    server.keepAliveTimeout = 120_000;
    const sockets = new Set<Socket>();
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const args = [
        'revoke',
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--group-id',
        G,
        '--invitation-id',
        I,
      ];
      const r = await node(cli, args, { MONGODB_ATLAS_ACCESS_TOKEN: 'bundle-test-token' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^✔ revoked invitation 6a1b2c3d4e5f60718293a4b5 /);
      // The operating system closed the connection when the process ended.
      for (let i = 0; i < 200 && sockets.size > 0; i++) await new Promise((w) => setTimeout(w, 10));
      expect(sockets.size).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 45_000);

  it('maps --debug stack traces to the sources, and prints no stack without --debug', async () => {
    const argv = ['revoke', '--target', 'atlas', '--base-url', 'http://127.0.0.1:9', '--group-id', G];
    const args = [...argv, '--invitation-id', I, '--max-retries', '0'];
    const plain = await node(cli, args, keys);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(1);
    // The bin maps its traces (the asset ships no map).
    const debug = await node(BUNDLE, [...args, '--debug'], keys);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at .*lib\/client\/http\/exchange\.ts:\d+:\d+\)/);
  });
});
