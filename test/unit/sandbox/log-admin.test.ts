// The request log (in memory and JSON lines; never a secret) and the admin path.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, curl, GROUP, INVITE, itCurl } from './helpers';

const CANARY = {
  publicKey: 'pub-canary-log',
  privateKey: 'PRIVATE-canary-3f9a',
  clientSecret: 'SECRET-canary-71c2',
  accessToken: 'TOKEN-canary-c0de',
};

describe('sandbox request log', () => {
  itCurl(
    'records method, path, query, Accept, auth scheme, status and ids, in memory and as JSON lines, never a secret',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'sandbox-log-')), 'requests.jsonl');
      const sandbox = await Sandbox.start({
        requestLogFile: file,
        credentials: {
          apiKeys: [{ publicKey: CANARY.publicKey, privateKey: CANARY.privateKey }],
          serviceAccounts: [{ clientId: 'mdb_sa_id_log', clientSecret: CANARY.clientSecret }],
          accessTokens: [CANARY.accessToken],
        },
        seed: { invitations: [{ groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['R'] }] },
      });
      try {
        const url = `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites/${INVITE}?envelope=false`;
        await curl([
          '--digest',
          '-u',
          `${CANARY.publicKey}:${CANARY.privateKey}`,
          '-H',
          `Accept: ${ATLAS_ACCEPT}`,
          '-X',
          'DELETE',
          url,
        ]);
        const token = await curl([
          '-u',
          `mdb_sa_id_log:${CANARY.clientSecret}`,
          '-d',
          'grant_type=client_credentials',
          `${sandbox.url}/api/oauth/token`,
        ]);
        const issued = (JSON.parse(token.body) as { access_token: string }).access_token;
        await fetch(
          `${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites?access_token=${CANARY.accessToken}`,
          {
            headers: { Accept: ATLAS_ACCEPT, Authorization: `Bearer ${issued}` },
          },
        );
        await curl([
          '-u',
          `mdb_sa_id_log:${CANARY.clientSecret}`,
          '-d',
          `token=${issued}`,
          `${sandbox.url}/api/oauth/revoke`,
        ]);

        expect(sandbox.log[0]).toEqual({
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
          method: 'DELETE',
          path: `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`,
          query: { envelope: 'false' },
          accept: ATLAS_ACCEPT,
          authScheme: 'none',
          target: 'atlas',
          groupId: GROUP,
          invitationId: INVITE,
          status: 401,
        });
        expect(sandbox.log.map((e) => [e.method, e.target, e.authScheme, e.status])).toEqual([
          ['DELETE', 'atlas', 'none', 401],
          ['DELETE', 'atlas', 'digest', 204],
          ['POST', 'oauth', 'basic', 200],
          ['GET', 'atlas', 'bearer', 200],
          ['POST', 'oauth', 'basic', 200],
        ]);
        expect(sandbox.log[3]?.query).toEqual({ access_token: '[redacted]' });
        await sandbox.stop();

        const lines = readFileSync(file, 'utf8').trim().split('\n');
        expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(
          JSON.parse(JSON.stringify(sandbox.log)),
        );
        expect(statSync(file).mode & 0o777).toBe(0o600);
        const everything = [
          readFileSync(file, 'utf8'),
          JSON.stringify(sandbox.log),
          inspect(sandbox.log, { depth: 9 }),
        ];
        for (const text of everything) {
          for (const secret of [CANARY.privateKey, CANARY.clientSecret, CANARY.accessToken, issued]) {
            expect(text).not.toContain(secret);
          }
        }
      } finally {
        await sandbox.stop().catch(() => undefined);
      }
    },
  );

  it('tells subscribers about each answered request', async () => {
    const sandbox = await Sandbox.start();
    const seen: number[] = [];
    const stop = sandbox.onRequest((e) => seen.push(e.status));
    await fetch(`${sandbox.url}/nowhere`);
    stop();
    await fetch(`${sandbox.url}/nowhere`);
    await sandbox.stop();
    expect(seen).toEqual([404]);
  });
});

describe('sandbox admin path', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await Sandbox.start();
  });
  afterEach(() => sandbox.stop());
  const admin = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${sandbox.url}/_sandbox/${path}`, init);
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  it('seeds, lists, counts and clears invitations', async () => {
    const seeded = await admin('invitations', {
      method: 'POST',
      body: JSON.stringify({
        invitations: [
          { groupId: GROUP, id: INVITE, username: 'a@x.io', roles: ['R'], target: 'atlas' },
          { groupId: GROUP, username: 'b@x.io', roles: ['R'] },
        ],
      }),
    });
    expect(seeded.status).toBe(201);
    expect((seeded.json as { invitations: unknown[] }).invitations).toHaveLength(3);
    const all = (await admin(`invitations?groupId=${GROUP}`)).json as Record<string, { username: string }[]>;
    expect(all.atlas?.map((i) => i.username)).toEqual(['a@x.io', 'b@x.io']);
    expect(all['ops-manager']?.map((i) => i.username)).toEqual(['b@x.io']);
    expect((await admin('stats')).json).toMatchObject({
      tokensIssued: 0,
      invitations: { atlas: 2, 'ops-manager': 1 },
    });
    expect((await admin('invitations', { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.invitations('atlas')).toEqual([]);
  });

  it('refuses a malformed seed with 400 and a reason', async () => {
    const res = await admin('invitations', {
      method: 'POST',
      body: JSON.stringify({ invitations: [{ groupId: 'nope', username: 'x', roles: [] }] }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toContain('groupId must be 24 lowercase hex characters');
  });

  it('serves and clears the log, and resets everything', async () => {
    await fetch(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`);
    const log = (await admin('log')).json as { status: number }[];
    expect(log.map((e) => e.status)).toEqual([401]);
    const since = (await admin('log?since=1')).json as unknown[];
    expect(since).toHaveLength(1);
    expect(since[0]).toMatchObject({ method: 'GET', path: '/_sandbox/log', target: 'admin', status: 200 });
    sandbox.seed([{ groupId: GROUP, username: 'a@x.io', roles: ['R'] }]);
    sandbox.faults.add({ kind: 'reset' });
    expect((await admin('reset', { method: 'POST' })).status).toBe(204);
    expect(sandbox.invitations('atlas')).toEqual([]);
    expect(sandbox.faults.list()).toEqual([]);
    expect(sandbox.log.map((e) => e.path)).toEqual(['/_sandbox/reset']); // the reset itself is logged
    expect((await admin('log', { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.log.map((e) => e.path)).toEqual(['/_sandbox/log']);
  });

  it('answers 404 for an unknown admin route', async () => {
    expect((await admin('nothing')).status).toBe(404);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  const itIf = external ? it : it.skip;
  if (!external) console.warn('no non-loopback IPv4 interface: the admin path loopback-only test is skipped');
  itIf('answers non-loopback callers 403 on the admin path (the API still answers)', async () => {
    const open = await Sandbox.start({ host: '0.0.0.0' });
    try {
      const port = new URL(open.url).port;
      const res = await fetch(`http://${external}:${port}/_sandbox/log`);
      expect(res.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/_sandbox/log`)).status).toBe(200);
      expect((await fetch(`http://${external}:${port}/api/atlas/v2/groups/${GROUP}/invites`)).status).toBe(
        401,
      );
    } finally {
      await open.stop();
    }
  });
});
