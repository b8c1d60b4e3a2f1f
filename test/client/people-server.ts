// A small stateful fake of the three person APIs (Atlas Cloud Users, Atlas invites, Ops Manager invites
// and members) on a real loopback socket, for the person-operation tests. Not the sandbox (lib/sandbox):
// just enough state to tell whether a POST landed, plus a `fault` hook that answers instead of the
// fake, or lets a request land and then fails its answer (the ambiguous case). Logs every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvitationClient } from '../../lib/client/invitation-client';
import type { InvitationClientOptions } from '../../lib/client/options';
import { CANARY } from '../helpers/canaries';
import { objectId } from '../helpers/ids';
import { fakeClock } from '../helpers/clock';

export type FakeApi = 'cloud-users' | 'invites' | 'ops-manager';
export type FakeStatus = 'PENDING' | 'ACTIVE' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';

export interface FakePerson {
  api: FakeApi;
  id: string;
  username: string;
  roles: string[];
  status: FakeStatus;
}

export interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: unknown;
  /** The status answered (0 for a reset). */
  status: number;
}

export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  reset?: boolean;
}

/** Answer instead of the fake, or let the request change the state and then answer `after`. */
export type Fault = Answer | { land: true; after: Answer } | undefined;

export interface FakeOptions {
  people?: FakePerson[];
  /** The Atlas invites API answers 410 VERSION_GONE. */
  invitesGone?: boolean;
  /** Ops Manager's "Bypass Invitation Mode": POST …/invites adds a member and returns no invitation. */
  bypass?: boolean;
  /** Usernames that are active org members: Cloud Users POST makes them ACTIVE at once. */
  orgMembers?: string[];
  fault?: (req: Omit<Logged, 'status'>, index: number) => Fault;
}

export const ATLAS_USERS_ACCEPT = 'application/vnd.atlas.2025-02-19+json';
export const ATLAS_INVITES_ACCEPT = 'application/vnd.atlas.2023-01-01+json';

import { apiError as apiErrorBody } from '../helpers/scripted-server';

export { apiErrorBody };

export interface FakeServer {
  readonly baseUrl: string;
  readonly log: Logged[];
  readonly people: FakePerson[];
  close(): Promise<void>;
}

function handle(
  o: FakeOptions,
  people: FakePerson[],
  req: { method: string; path: string; query: URLSearchParams; body?: unknown },
): Answer {
  const m =
    /^\/api\/(atlas\/v2|public\/v1\.0)\/groups\/([a-f0-9]{24})\/(users|invites)(?:\/([a-f0-9]{24})(:addRole|:removeRole)?)?$/.exec(
      req.path,
    );
  if (!m) return { status: 404, body: apiErrorBody(404, 'RESOURCE_NOT_FOUND', 'no route') };
  const [, root, , kind, id, change] = m;
  const atlas = root === 'atlas/v2';
  const api: FakeApi = !atlas ? 'ops-manager' : kind === 'users' ? 'cloud-users' : 'invites';
  const body = (req.body ?? {}) as { username?: string; roles?: string[]; groupRole?: string };
  const notFound = { status: 404, body: apiErrorBody(404, 'RESOURCE_NOT_FOUND', `no ${kind} ${id}`) };
  if (atlas && kind === 'invites' && o.invitesGone) {
    return { status: 410, body: apiErrorBody(410, 'VERSION_GONE', 'This API version has been sunset.') };
  }
  // Ops Manager members: /groups/{g}/users.
  const pool = api === 'ops-manager' && kind === 'users' ? 'ops-members' : api;
  const mine = people.filter((p) =>
    pool === 'ops-members'
      ? p.api === 'ops-manager' && p.status === 'ACTIVE'
      : p.api === api && (api !== 'ops-manager' || p.status === 'PENDING'),
  );
  const found = id === undefined ? undefined : mine.find((p) => p.id === id);
  const show = (p: FakePerson) =>
    api === 'cloud-users'
      ? {
          id: p.id,
          username: p.username,
          roles: p.roles,
          orgMembershipStatus: p.status,
          ...(p.status === 'PENDING'
            ? {
                invitationCreatedAt: '2026-12-01T00:00:00Z',
                invitationExpiresAt: '2026-12-31T00:00:00Z',
                inviterUsername: 'admin@example.com',
              }
            : {}),
        }
      : pool === 'ops-members'
        ? { id: p.id, username: p.username, roles: p.roles.map((roleName) => ({ groupId: m[2], roleName })) }
        : {
            id: p.id,
            groupId: m[2],
            username: p.username,
            roles: p.roles,
            createdAt: '2026-12-01T00:00:00Z',
            expiresAt: '2026-12-31T00:00:00Z',
          };
  const username = req.query.get('username');
  if (req.method === 'GET' && id === undefined) {
    let list = mine.filter((p) => username === null || p.username.toLowerCase() === username.toLowerCase());
    if (api === 'cloud-users') {
      const statuses = req.query.getAll('orgMembershipStatuses');
      const wanted = statuses.length > 0 ? statuses : ['PENDING', 'ACTIVE'];
      list = list.filter((p) => wanted.includes(p.status));
    }
    if (api === 'invites' || (api === 'ops-manager' && kind === 'invites'))
      return { status: 200, body: list.map(show) };
    const per = Number(req.query.get('itemsPerPage') ?? 100);
    const page = Number(req.query.get('pageNum') ?? 1);
    return {
      status: 200,
      body: {
        results: list.slice((page - 1) * per, page * per).map(show),
        totalCount: list.length,
        links: [],
      },
    };
  }
  if (req.method === 'POST' && id === undefined) {
    const name = String(body.username);
    if (
      api === 'cloud-users' &&
      mine.some((p) => p.username === name && (p.status === 'PENDING' || p.status === 'ACTIVE'))
    ) {
      return { status: 409, body: apiErrorBody(409, 'USER_ALREADY_EXISTS', 'conflict') };
    }
    if (api === 'ops-manager' && o.bypass) {
      people.push({ api, id: objectId(), username: name, roles: body.roles ?? [], status: 'ACTIVE' });
      return { status: 200, body: {} };
    }
    const status: FakeStatus = api === 'cloud-users' && o.orgMembers?.includes(name) ? 'ACTIVE' : 'PENDING';
    const p: FakePerson = { api, id: objectId(), username: name, roles: body.roles ?? [], status };
    people.push(p);
    return { status: api === 'cloud-users' ? 201 : 200, body: show(p) };
  }
  if (!found) return notFound;
  if (req.method === 'POST' && change) {
    const role = String(body.groupRole);
    found.roles =
      change === ':addRole' ? [...new Set([...found.roles, role])] : found.roles.filter((r) => r !== role);
    return { status: 200, body: show(found) };
  }
  if (req.method === 'PATCH') {
    found.roles = body.roles ?? [];
    return { status: 200, body: show(found) };
  }
  if (req.method === 'DELETE') {
    people.splice(people.indexOf(found), 1);
    return { status: 204 };
  }
  return { status: 405, body: apiErrorBody(405, 'METHOD', 'no') };
}

export async function fakeServer(options: FakeOptions = {}): Promise<FakeServer> {
  const log: Logged[] = [];
  const people = options.people ?? [];
  const sockets = new Set<Socket>();
  const reply = (res: ServerResponse, req: IncomingMessage, a: Answer): number => {
    if (a.reset) {
      req.socket.resetAndDestroy();
      return 0;
    }
    const text = a.body === undefined ? '' : JSON.stringify(a.body);
    res.writeHead(a.status ?? 200, { ...(text ? { 'content-type': 'application/json' } : {}), ...a.headers });
    res.end(text);
    return a.status ?? 200;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const seen = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
        ),
        ...(text ? { body: JSON.parse(text) as unknown } : {}),
      };
      const fault = options.fault?.(seen, log.length);
      let status: number;
      if (fault && 'land' in fault) {
        handle(options, people, seen);
        status = reply(res, req, fault.after);
      } else if (fault) status = reply(res, req, fault);
      else status = reply(res, req, handle(options, people, seen));
      log.push({ ...seen, status });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log,
    people,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

const open: { client: InvitationClient; server: FakeServer }[] = [];

/** A client (token auth, fake clock, undici or node:http) on a fresh fake; closed by closePeople(). */
export async function peopleClient(
  fake: FakeOptions = {},
  options: Partial<InvitationClientOptions> = {},
  server?: FakeServer,
) {
  const srv = server ?? (await fakeServer(fake));
  const clock = fakeClock();
  const waits: { seconds: number; reason: string; source: string; path: string }[] = [];
  const client = new InvitationClient({
    target: 'atlas',
    baseUrl: srv.baseUrl,
    credentials: { kind: 'token', accessToken: CANARY.accessToken },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    timeoutMs: 2_000,
    onWait: (w) => waits.push(w),
    ...options,
  });
  open.push({ client, server: srv });
  return { client, server: srv, log: srv.log, people: srv.people, clock, waits };
}

export async function closePeople(): Promise<void> {
  const servers = new Set<FakeServer>();
  for (const { client, server } of open.splice(0)) {
    await client.close();
    servers.add(server);
  }
  for (const s of servers) await s.close();
}

/** `METHOD path` of each logged request (query left out), for compact assertions. */
export const calls = (log: readonly Logged[]): string[] =>
  log.map((l) => `${l.method} ${l.path} ${l.status}`);
