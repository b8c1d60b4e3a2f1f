import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryNotBefore, rateLimitOf } from '../../../lib/client/http/rate-limit';
import { FileNotBefore, notBeforeFile } from '../../../lib/client/http/wait-file';
import { expectNoSecrets } from '../../helpers/canaries';
import { GROUP } from '../../helpers/ids';
import { apiError, type Reply, type Seen } from '../../helpers/scripted-server';
import { closePeople, lines, peopleClient } from './people-client';

const USERS = `/api/atlas/v2/groups/${GROUP}/users`;
const INVITES = `/api/atlas/v2/groups/${GROUP}/invites`;
const ANA = 'ana@example.com';
const BO = 'bo@example.com';
// Atlas's creation limit without Retry-After (the sandbox's own limit sends one, so this one is scripted).
const LIMITED = {
  status: 400,
  body: apiError(400, 'INVITATIONS_RATE_LIMITED_IP', 'Too many invitations: 10 invitations per 1 minutes.'),
};

/** Answers the first `n` POSTs (of `username`, when given) with the creation limit; the sandbox the rest. */
const limitPosts = (n: number, username?: string) => {
  let seen = 0;
  return (req: Seen): Reply | undefined => {
    if (req.method !== 'POST') return undefined;
    if (username && (JSON.parse(req.body ?? '{}') as { username?: string }).username !== username)
      return undefined;
    return ++seen <= n ? LIMITED : undefined;
  };
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdb-rate-'));
});
afterEach(async () => {
  await closePeople();
  rmSync(dir, { recursive: true, force: true });
});

describe('rate limits of person operations', () => {
  it('waits a window plus jitter after INVITATIONS_RATE_LIMITED_IP without Retry-After, then invites', async () => {
    const { client, calls, clock, waits, sandbox } = await peopleClient({}, { script: limitPosts(1) });
    const result = await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(result.outcome).toBe('invited');
    expect(lines(calls())).toEqual([
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 400`,
      `POST ${USERS} 201`,
    ]);
    expect(clock.state.sleeps).toEqual([65_000]); // 60 s window + 0.5 × 10 s jitter
    expect(waits).toEqual([
      {
        seconds: 65,
        source: 'server',
        method: 'POST',
        path: USERS,
        reason: expect.stringMatching(
          /400 INVITATIONS_RATE_LIMITED_IP: Too many invitations: 10 invitations per 1 minutes/,
        ),
      },
    ]);
    expect(sandbox.cloudUsers(GROUP)).toMatchObject([{ username: ANA }]);
  });

  it('honours Retry-After on a 429 of any request, and the configured window', async () => {
    const { client, calls, clock, waits, sandbox } = await peopleClient({
      rateLimit: { windowMs: 1_000, jitterMs: 0 },
    });
    sandbox.faults.add({ method: 'GET', kind: 'rate-limit', retryAfterSeconds: 7 });
    await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(lines(calls())).toEqual([
      `GET ${USERS} 429`,
      `GET ${USERS} 200`,
      `GET ${INVITES} 200`,
      `POST ${USERS} 201`,
    ]);
    expect(clock.state.sleeps).toEqual([7_000]);
    expect(waits[0]).toMatchObject({
      seconds: 7,
      source: 'server',
      method: 'GET',
      reason: expect.stringMatching(/Retry-After/),
    });
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
  });

  it('backs off on a 429 without Retry-After, never under a second, growing', async () => {
    let n = 0;
    const { client, calls, clock } = await peopleClient(
      {},
      { script: (req) => (req.method === 'GET' && ++n <= 3 ? { status: 429 } : undefined) },
    );
    await client.listPending(GROUP);
    expect(clock.state.sleeps).toEqual([1_500, 3_000, 6_000]);
    expect(calls().map((c) => c.status)).toEqual([429, 429, 429, 200, 200]);
  });

  it('shares a wait across two clients using one directory: the second waits without sending', async () => {
    const a = await peopleClient({ rateLimit: { dir } }, { script: limitPosts(1, ANA) });
    await a.client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^rate-[0-9a-f]{32}\.json$/)]);

    const b = await peopleClient({ rateLimit: { dir } }, { proxy: a.proxy });
    a.proxy.clearCalls();
    await b.client.invitePerson(GROUP, { username: BO, roles: ['GROUP_READ_ONLY'] });
    expect(b.calls().map((c) => `${c.method} ${c.status}`)).toEqual(['GET 200', 'GET 200', 'POST 201']); // no 400: it waited first
    expect(b.waits).toEqual([expect.objectContaining({ source: 'shared', seconds: 65, method: 'POST' })]);
    expect(b.clock.state.sleeps).toEqual([65_000]);
    expect(a.sandbox.cloudUsers(GROUP).map((u) => u.username)).toEqual([ANA, BO]);
  });

  it('uses the token cache directory for sharing when no rate-limit directory is given', async () => {
    const { client } = await peopleClient({ tokenCacheDir: dir }, { script: limitPosts(1) });
    await client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] });
    expect(readdirSync(dir).some((f) => f.startsWith('rate-'))).toBe(true);
  });

  it('fails with MDB_RATE_LIMITED when the next wait would pass the deadline', async () => {
    const { client, calls, waits, sandbox } = await peopleClient(
      { rateLimit: { deadlineMs: 120_000 } },
      { script: limitPosts(100) },
    );
    const err = await client
      .invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MDB_RATE_LIMITED',
      name: 'RateLimitedError',
      errorCode: 'INVITATIONS_RATE_LIMITED_IP',
      method: 'POST',
      path: USERS,
      message: expect.stringMatching(/waited 65 s.*next wait \(65 s\) would pass the 120 s deadline/),
    });
    expect(waits).toHaveLength(1);
    expect(calls().filter((c) => c.method === 'POST')).toHaveLength(2);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
    expectNoSecrets(err);
  });

  it('waits out 10 limits in a row within the default 15-minute deadline', async () => {
    const { client, waits, sandbox } = await peopleClient({}, { script: limitPosts(10) });
    await expect(
      client.invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] }),
    ).resolves.toMatchObject({
      outcome: 'invited',
    });
    expect(waits).toHaveLength(10);
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(1);
  });
});

describe('rate-limit pieces', () => {
  it('recognizes only 429 and the creation 400 as rate limits', () => {
    const r = (status: number, body: object = {}, headers: Record<string, string> = {}) => ({
      status,
      headers,
      text: JSON.stringify(body),
    });
    expect(rateLimitOf(r(400, apiError(400, 'VALIDATION_ERROR', 'x')), 0)).toBeUndefined();
    expect(rateLimitOf(r(404), 0)).toBeUndefined();
    expect(rateLimitOf(r(400, LIMITED.body), 0)).toMatchObject({
      scope: 'create',
      errorCode: 'INVITATIONS_RATE_LIMITED_IP',
    });
    expect(rateLimitOf(r(429, {}, { 'retry-after': '3' }), 0)).toEqual({ scope: 'all', retryAfterMs: 3_000 });
  });

  it('keeps the later time, survives an unreadable file, and never moves a time earlier', async () => {
    const store = new FileNotBefore(dir, 'https://cloud.mongodb.com');
    await store.push('create', 5_000);
    await store.push('create', 1_000);
    await store.push('all', 2_000);
    expect(await new FileNotBefore(dir, 'https://cloud.mongodb.com').read()).toEqual({
      create: 5_000,
      all: 2_000,
    });
    expect(await new FileNotBefore(dir, 'https://other.example.com').read()).toEqual({ create: 0, all: 0 });
    const file = notBeforeFile(dir, 'https://cloud.mongodb.com');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 1, create: 5_000, all: 2_000 });
    writeFileSync(file, '{not json');
    expect(await new FileNotBefore(dir, 'https://cloud.mongodb.com').read()).toEqual({ create: 0, all: 0 });
    const memory = new MemoryNotBefore();
    await memory.push('all', 9);
    await memory.push('all', 3);
    expect(await memory.read()).toEqual({ create: 0, all: 9 });
  });

  it('falls back to memory when the directory cannot be written', async () => {
    const blocked = join(dir, 'file');
    writeFileSync(blocked, 'x');
    const store = new FileNotBefore(join(blocked, 'sub'), 'https://cloud.mongodb.com');
    await store.push('all', 7);
    expect(await store.read()).toEqual({ create: 0, all: 7 });
  });
});

describe('rate-limit waits never poison and never spin', () => {
  const limited = (retryAfter: string): Reply => ({
    status: 429,
    headers: { 'retry-after': retryAfter },
    body: apiError(429, 'RATE_LIMITED_TOKEN_BUCKET', 'Rate limit exceeded.'),
  });

  it('fails at once on a Retry-After longer than the deadline, shares nothing, and the next client is not blocked', async () => {
    let n = 0;
    const a = await peopleClient(
      { rateLimit: { dir } },
      { script: (req) => (req.method === 'GET' && ++n === 1 ? limited('99999999') : undefined) },
    );
    const err = await a.client
      .invitePerson(GROUP, { username: ANA, roles: ['GROUP_READ_ONLY'] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MDB_RATE_LIMITED',
      retryAt: new Date(a.clock.state.now + 99_999_999_000).toISOString(),
      waitFile: notBeforeFile(dir, a.proxy.url),
      message: expect.stringMatching(
        /next wait \(99999999 s\) would pass the 900 s deadline\. Run the apply again after \d{4}-/,
      ),
    });
    expect(a.clock.state.sleeps).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('rate-'))).toEqual([]);

    const b = await peopleClient({ rateLimit: { dir } }, { proxy: a.proxy });
    a.proxy.clearCalls();
    await expect(
      b.client.invitePerson(GROUP, { username: BO, roles: ['GROUP_READ_ONLY'] }),
    ).resolves.toMatchObject({ outcome: 'invited' });
    expect(b.waits).toEqual([]);
    expect(b.clock.state.sleeps).toEqual([]);
  });

  it('ignores a stored wait further ahead than any deadline (a file from an older version or a hand)', async () => {
    const { client, proxy, clock, waits } = await peopleClient({ rateLimit: { dir } });
    const file = notBeforeFile(dir, proxy.url);
    writeFileSync(file, JSON.stringify({ v: 1, create: 0, all: clock.state.now + 99_999_999_000 }), {
      mode: 0o600,
    });
    await expect(client.listPending(GROUP)).resolves.toEqual([]);
    expect(waits).toEqual([]);
    expect(clock.state.sleeps).toEqual([]);
  });

  it('names the wait file and what to do when a shared wait passes the deadline', async () => {
    const { client, proxy, clock } = await peopleClient({ rateLimit: { dir, deadlineMs: 300_000 } });
    const file = notBeforeFile(dir, proxy.url);
    const until = clock.state.now + 600_000;
    writeFileSync(file, JSON.stringify({ v: 1, create: 0, all: until }), { mode: 0o600 });
    const err = await client.listPending(GROUP).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_RATE_LIMITED', waitFile: file });
    expect((err as Error).message).toContain(
      `That wait was shared by another process through ${JSON.stringify(file)}: wait until ${new Date(until).toISOString()}, or delete that file if no other run against this server is rate limited.`,
    );
    expect(proxy.calls()).toEqual([]);
  });

  it.each([
    ['0', '0'],
    ['a negative number', '-5'],
    ['unparsable text', 'soon'],
    ['an HTTP date in the past', 'Thu, 01 Jan 2015 00:00:00 GMT'],
  ])(
    'waits at least a second, growing, after a Retry-After of %s, and stops at the deadline',
    async (_what, retryAfter) => {
      const { client, calls, clock } = await peopleClient(
        { rateLimit: { deadlineMs: 60_000 } },
        { script: (req) => (req.method === 'GET' ? limited(retryAfter) : undefined) },
      );
      await expect(client.listPending(GROUP)).rejects.toMatchObject({ code: 'MDB_RATE_LIMITED' });
      expect(clock.state.sleeps).toEqual([1_500, 3_000, 6_000, 12_000, 24_000]);
      expect(calls()).toHaveLength(6);
    },
  );

  it('sends a handful of requests in five seconds of real time on an endless Retry-After: 0', async () => {
    const { client, calls } = await peopleClient(
      {
        now: Date.now,
        sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
        rateLimit: { deadlineMs: 5_000 },
      },
      { script: (req) => (req.method === 'GET' ? limited('0') : undefined) },
    );
    const started = Date.now();
    await expect(client.listPending(GROUP)).rejects.toMatchObject({ code: 'MDB_RATE_LIMITED' });
    expect(Date.now() - started).toBeLessThan(6_000); // the 5 s deadline, with room for a busy machine
    expect(calls().length).toBeGreaterThanOrEqual(2);
    expect(calls().length).toBeLessThanOrEqual(3); // at 0 s, 1.5 s and 4.5 s
  });
});

describe('the wait file gets the token cache’s checks', () => {
  const URL = 'https://cloud.mongodb.com';
  const storeIn = (where: string) => {
    const warnings: string[] = [];
    const store = new FileNotBefore(where, URL, { onUnusable: (m) => warnings.push(m) });
    return { store, warnings, file: notBeforeFile(where, URL) };
  };

  it.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', ['-m', '600', file])],
    ['a symbolic link', (file: string) => symlinkSync(join(dir, 'elsewhere.json'), file)],
    ['a directory', (file: string) => mkdirSync(file)],
    ['a file over 4 KiB', (file: string) => writeFileSync(file, ' '.repeat(5_000), { mode: 0o600 })],
  ])(
    'ignores %s at its path with one warning, keeps waits in memory, and leaves it alone',
    async (_what, make) => {
      const { store, warnings, file } = storeIn(dir);
      writeFileSync(join(dir, 'elsewhere.json'), JSON.stringify({ v: 1, create: 0, all: 9e15 }));
      make(file);
      const before = lstatSync(file);
      expect(await store.read()).toEqual({ create: 0, all: 0 });
      await store.push('all', 7);
      expect(await store.read()).toEqual({ create: 0, all: 7 });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(file);
      expect(warnings[0]).toMatch(/Rate-limit waits stay in this process/);
      expect(store.path).toBeUndefined();
      const after = lstatSync(file);
      expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
    },
  );

  (process.getuid?.() === 0 ? it : it.skip)('ignores a file that belongs to another user', async () => {
    const { store, warnings, file } = storeIn(dir);
    writeFileSync(file, JSON.stringify({ v: 1, create: 0, all: Date.now() + 60_000 }), { mode: 0o644 });
    chownSync(file, 4242, 4242);
    expect(await store.read()).toEqual({ create: 0, all: 0 });
    expect(warnings).toEqual([expect.stringMatching(/belongs to another user/)]);
  });

  it('creates its directory 0700 and tightens a looser one of ours', async () => {
    const fresh = join(dir, 'fresh');
    await storeIn(fresh).store.push('all', 1);
    expect(lstatSync(fresh).mode & 0o777).toBe(0o700);
    const loose = join(dir, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    const { store, warnings } = storeIn(loose);
    await store.push('all', 2);
    expect(lstatSync(loose).mode & 0o777).toBe(0o700);
    expect(warnings).toEqual([]);
    expect(await storeIn(loose).store.read()).toEqual({ create: 0, all: 2 });
  });

  it('ignores a directory that is a symbolic link', async () => {
    mkdirSync(join(dir, 'real'), { mode: 0o700 });
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const { store, warnings } = storeIn(join(dir, 'link'));
    await store.push('all', 3);
    expect(warnings).toEqual([expect.stringMatching(/is a symbolic link/)]);
    expect(readdirSync(join(dir, 'real'))).toEqual([]);
  });
});
