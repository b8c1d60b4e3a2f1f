// The admin path /_sandbox/ (log, faults, invitations, accept, expire, reset, stats) for tests in other
// processes and the demo: loopback callers only, loopback Host, no foreign Origin (DNS rebinding).
// Routes: docs/sandbox.md, "Admin path".
import type { IncomingMessage } from 'node:http';
import { faultFromJson, type Faults } from '../faults';
import {
  apiError,
  isLoopbackAddress,
  isLoopbackHostHeader,
  isLoopbackOrigin,
  parseJson,
  readBody,
  type Reply,
} from '../http';
import { checkApi } from '../switches';
import type {
  CloudUser,
  Invitation,
  ProjectMember,
  RequestLogEntry,
  SandboxApi,
  SandboxTarget,
  SeedInput,
  SwitchResult,
} from '../types';

export const ADMIN_PREFIX = '/_sandbox/';

/** What the admin path needs from the sandbox. */
export interface AdminApi {
  readonly faults: Faults;
  readonly log: RequestLogEntry[];
  readonly tokensIssued: number;
  seed(input: SeedInput): Invitation[];
  invitations(target: SandboxTarget, groupId?: string): Invitation[];
  cloudUsers(groupId?: string): CloudUser[];
  members(groupId?: string): ProjectMember[];
  accept(groupId: string, username: string, api?: SandboxApi): SwitchResult[];
  expire(groupId: string, username: string, api?: SandboxApi): SwitchResult[];
  clearInvitations(): void;
  clearLog(): void;
  reset(): void;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

function ok(status: number, body?: unknown): Reply {
  return body === undefined ? { status } : { status, body, headers: JSON_TYPE };
}

function bad(status: number, detail: string): Reply {
  return { status, body: apiError(status, 'SANDBOX_ADMIN_ERROR', detail), headers: JSON_TYPE };
}

export async function handleAdmin(
  api: AdminApi,
  req: IncomingMessage,
  method: string,
  path: string,
  query: URLSearchParams,
): Promise<Reply> {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    return bad(403, 'The sandbox admin path answers loopback callers only.');
  }
  // DNS rebinding defence: a web page whose name resolves to 127.0.0.1 sends its own Host and Origin.
  if (!isLoopbackHostHeader(req.headers.host)) {
    return bad(
      403,
      'The sandbox admin path answers requests addressed to localhost, 127.0.0.1 or [::1] only.',
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return bad(403, 'The sandbox admin path refuses requests from web pages not served from loopback.');
  }
  const name = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  const route = `${method} ${name}`;
  try {
    switch (route) {
      case 'GET log':
        return ok(200, api.log.slice(Number(query.get('since') ?? 0) || 0));
      case 'DELETE log':
        api.clearLog();
        return ok(204);
      case 'GET faults':
        return ok(
          200,
          api.faults.list().map(({ id, remaining, spec }) => ({
            id,
            remaining,
            ...spec,
            ...(spec.path instanceof RegExp ? { path: undefined, pathPattern: spec.path.source } : {}),
          })),
        );
      case 'POST faults':
        return ok(201, { id: api.faults.add(faultFromJson(await readJson(req))) });
      case 'DELETE faults':
        api.faults.clear();
        return ok(204);
      case 'GET invitations': {
        const groupId = query.get('groupId') ?? undefined;
        return ok(200, {
          atlas: api.invitations('atlas', groupId),
          'ops-manager': api.invitations('ops-manager', groupId),
          'cloud-users': api.cloudUsers(groupId),
          members: api.members(groupId),
        });
      }
      case 'POST invitations':
        return ok(201, { invitations: api.seed((await readJson(req)) as SeedInput) });
      case 'POST accept':
      case 'POST expire':
        return switchOne(api, name as 'accept' | 'expire', await readJson(req));
      case 'DELETE invitations':
        api.clearInvitations();
        return ok(204);
      case 'POST reset':
        api.reset();
        return ok(204);
      case 'GET stats':
        return ok(200, {
          requests: api.log.length,
          tokensIssued: api.tokensIssued,
          invitations: {
            atlas: api.invitations('atlas').length,
            'ops-manager': api.invitations('ops-manager').length,
            'cloud-users': api.cloudUsers().length,
            members: api.members().length,
          },
        });
      default: {
        const fault = /^DELETE faults\/(\d+)$/.exec(route);
        if (fault?.[1])
          return api.faults.remove(Number(fault[1])) ? ok(204) : bad(404, `No fault ${fault[1]}.`);
        return bad(404, `Unknown admin route ${route}. See the list in docs/sandbox.md.`);
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    return bad(
      code === 'SANDBOX_NOTHING_PENDING' ? 404 : 400,
      error instanceof Error ? error.message : String(error),
    );
  }
}

function switchOne(api: AdminApi, action: 'accept' | 'expire', body: unknown): Reply {
  const { groupId, username, api: which } = (body ?? {}) as Record<string, unknown>;
  if (typeof groupId !== 'string' || typeof username !== 'string') {
    throw new TypeError('send {"groupId", "username", "api"?} with strings');
  }
  const results = api[action](groupId, username, checkApi(which));
  return ok(200, { results });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  const value = text === undefined ? undefined : parseJson(text);
  if (value === undefined) throw new TypeError('the body must be JSON');
  return value;
}
