// sandboxProxy(): the real sandbox (lib/sandbox) behind a scripted server, for tests that need the real API
// (Digest, OAuth, state) plus a hostile answer now and then: the script answers, or lands and then answers,
// and everything else is the sandbox's. calls() lists every request with its auth kind and status.
import { Sandbox, type SandboxOptions } from '../../lib/sandbox/server';
import {
  scriptedServer,
  type Reply,
  type ScriptedOptions,
  type ScriptedServer,
  type Seen,
} from './scripted-server';

export type AuthKind = 'none' | 'digest' | 'bearer' | 'basic' | 'other';

/** One request as the client sent it, with what it was answered. */
export interface Call {
  readonly method: string;
  /** Without the query. */
  readonly path: string;
  /** The query string without '?', or ''. */
  readonly query: string;
  readonly auth: AuthKind;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export const authKind = (header: string | undefined): AuthKind =>
  !header
    ? 'none'
    : /^Digest /.test(header)
      ? 'digest'
      : /^Bearer /.test(header)
        ? 'bearer'
        : /^Basic /.test(header)
          ? 'basic'
          : 'other';

export interface SandboxProxy {
  readonly sandbox: Sandbox;
  readonly server: ScriptedServer;
  /** The proxy's base URL: give this to the client. */
  readonly url: string;
  /** Every request so far. */
  calls(): Call[];
  /** Forgets the calls so far. */
  clearCalls(): void;
  stop(): Promise<void>;
}

/**
 * Starts a sandbox (invitation rate limit off unless given) and a scripted server in front of it. `script`
 * returns a reply for the requests it takes over, undefined for the sandbox to answer. `proxy` may drop
 * headers of the sandbox's answers (its Atlas Sunset header, in tests about something else).
 */
export async function sandboxProxy(
  script: (req: Seen, index: number) => Reply | undefined = () => undefined,
  options: SandboxOptions = {},
  proxy: Omit<ScriptedOptions, 'upstream'> = {},
): Promise<SandboxProxy> {
  const sandbox = await Sandbox.start({ invitationRateLimit: 'off', ...options });
  const server = await scriptedServer(script, { ...proxy, upstream: sandbox.url });
  let from = 0;
  return {
    sandbox,
    server,
    url: server.url,
    calls: () =>
      server.seen.slice(from).map((s, i) => {
        const [path = '', query = ''] = s.path.split('?', 2);
        return {
          method: s.method,
          path,
          query,
          auth: authKind(s.headers.authorization),
          status: server.statuses[from + i] ?? -1,
          headers: s.headers,
          ...(s.body === undefined ? {} : { body: s.body }),
        };
      }),
    clearCalls: () => {
      from = server.seen.length;
    },
    stop: async () => {
      await server.stop();
      await sandbox.stop();
    },
  };
}

/** `METHOD path status` of each call (query left out), for compact assertions. */
export const callLines = (calls: readonly Call[]): string[] =>
  calls.map((c) => `${c.method} ${c.path} ${c.status}`);

/**
 * A script for sandboxProxy that answers the username-filtered lists (Cloud Users, the Atlas invites API,
 * Ops Manager's invites) as a server whose `username=` filter is case-exact would: the sandbox's own
 * filter ignores case. Unauthenticated requests and every other request go on to the sandbox.
 */
export function caseExactUsernameFilter(sandbox: () => Sandbox): (req: Seen) => Reply | undefined {
  return (req) => {
    if (req.method !== 'GET' || !req.headers.authorization) return undefined;
    const url = new URL(req.path, 'http://sandbox');
    const username = url.searchParams.get('username');
    if (username === null) return undefined;
    const users = /^\/api\/atlas\/v2\/groups\/([0-9a-f]{24})\/users$/.exec(url.pathname);
    if (users) {
      const asked = url.searchParams.getAll('orgMembershipStatuses');
      const statuses = asked.length > 0 ? asked : ['ACTIVE', 'PENDING'];
      const results = sandbox()
        .cloudUsers(users[1])
        .filter((u) => u.username === username && statuses.includes(u.orgMembershipStatus));
      return { status: 200, body: { links: [], results, totalCount: results.length } };
    }
    const invites = /^\/api\/(atlas\/v2|public\/v1\.0)\/groups\/([0-9a-f]{24})\/invites$/.exec(url.pathname);
    if (invites) {
      const target = invites[1] === 'atlas/v2' ? 'atlas' : 'ops-manager';
      const body = sandbox()
        .invitations(target, invites[2])
        .filter((i) => i.username === username);
      return { status: 200, body };
    }
    return undefined;
  };
}
