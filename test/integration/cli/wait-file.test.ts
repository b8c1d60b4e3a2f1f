// The shared rate-limit wait file with real CLI processes (the built bundle, as Terraform runs it): a FIFO
// at its path never hangs a run, a Retry-After longer than the deadline fails one run at once and blocks
// no other, and an endless Retry-After: 0 sends a handful of requests, not a flood.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notBeforeFile } from '../../../lib/client/http/wait-file';
import { sandboxProxy, type SandboxProxy } from '../../helpers/sandbox-proxy';

const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'mongodb-invitations.cjs');
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const KEYS = { publicKey: 'wait-file-public', privateKey: 'wait-file-private-7c1e' };

interface Result {
  code: number | null;
  /** True when the timeout had to end the process. */
  killed: boolean;
  ms: number;
  stdout: string;
  stderr: string;
}

let cache: string;
let api: SandboxProxy;

/** One CLI run as its own process, ended by the timeout if it does not end by itself. */
function cli(args: string[], timeoutMs: number): Promise<Result> {
  const env = {
    PATH: process.env.PATH,
    MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
    MONGODB_INVITATIONS_TOKEN_CACHE: cache,
    MONGODB_INVITATIONS_CODE_CACHE: 'off',
  };
  const argv = [BUNDLE, ...args, '--target', 'atlas', '--base-url', api.url, '--group-id', G];
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const killed = Boolean(err && (err as { killed?: boolean }).killed);
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, killed, ms: Date.now() - started, stdout, stderr });
    });
  });
}

const revoke = (timeoutMs: number) => cli(['revoke', '--username', 'ana@example.com'], timeoutMs);
const sent = () => api.calls().filter((c) => c.auth === 'digest');

beforeAll(() => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
});
beforeEach(async () => {
  cache = mkdtempSync(join(tmpdir(), 'mdbinv-wait-'));
  api = await sandboxProxy(
    undefined,
    { credentials: { apiKeys: [KEYS] } },
    { dropUpstreamHeaders: ['sunset', 'deprecation'] },
  );
});
afterEach(async () => {
  await api.stop();
  rmSync(cache, { recursive: true, force: true });
});

describe('the wait file with real processes', () => {
  it('a FIFO at the wait file’s path: the run warns once and finishes by itself', async () => {
    // A first run that is rate limited once writes the wait file: its path is the one computed here.
    api.sandbox.faults.add({ method: 'GET', kind: 'rate-limit', retryAfterSeconds: 1 });
    const first = await revoke(30_000);
    expect(first).toMatchObject({ code: 0, killed: false });
    const file = notBeforeFile(cache, api.url);
    expect(existsSync(file)).toBe(true);
    rmSync(file);
    execFileSync('mkfifo', ['-m', '600', file]);

    const r = await revoke(20_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('⚠'));
    expect(warnings).toEqual([
      `⚠ The shared rate-limit wait file cannot be used: the file ${JSON.stringify(file)} is a FIFO (named pipe). Rate-limit waits stay in this process for this run (not shared with the other processes of the apply); remove that path. Point MONGODB_INVITATIONS_TOKEN_CACHE at a writable directory of your own ("off" keeps tokens in memory).`,
    ]);
    expect(r.stderr).toContain('nothing pending');
  });

  it('a Retry-After of 99999999 s fails that run at once; the next run is not blocked', async () => {
    api.sandbox.faults.add({ method: 'GET', kind: 'rate-limit', retryAfterSeconds: 99_999_999 });
    const first = await revoke(30_000);
    expect(first).toMatchObject({ code: 1, killed: false });
    expect(first.stderr).toMatch(
      /^✖ GET .* is rate limited by MongoDB \(RATE_LIMITED_TOKEN_BUCKET\): waited 0 s, and the next wait \(99999999 s\) would pass the 900 s deadline\. Run the apply again after \d{4}-\d\d-\d\dT/,
    );
    const second = await revoke(30_000);
    expect(second).toMatchObject({ code: 0, killed: false });
    expect(second.stderr).not.toContain('waiting');
    expect(second.ms).toBeLessThan(20_000);
  });

  it('an endless Retry-After: 0 sends a handful of requests in five seconds, not a flood', async () => {
    api.sandbox.faults.add({ method: 'GET', kind: 'rate-limit', retryAfterSeconds: 0, times: 'always' });
    const r = await revoke(5_000); // the run would go on to its 15-minute deadline: the timeout ends it
    expect(r.killed).toBe(true);
    // Waits of at least 1 s, doubling (half of each random): at most 0 s, 1 s, 3 s.
    expect(sent().length).toBeGreaterThanOrEqual(2);
    expect(sent().length).toBeLessThanOrEqual(4);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('⚠ waiting')).length).toBeLessThanOrEqual(
      sent().length,
    );
  });
});
