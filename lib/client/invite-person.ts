// invitePerson, idempotent (DESIGN decision 6): pending or a member with the roles = done; other roles =
// set them; else create. The creation POST is never resent after an ambiguous failure before a list shows it
// did not land. API choice: docs/decisions/0005-cloud-users-api-by-default.md.
import { parseJson } from './apis/api-error';
import * as cloudUsers from './apis/atlas-cloud-users';
import * as invites from './apis/atlas-invites';
import * as ops from './apis/ops-manager';
import { sameRoles, sortRoles } from '../contract/roles';
import type { ApiRequest, PersonApi, PersonRecord } from './apis/person';
import type { HttpResponse } from './http/transport';
import { MemberRolesError } from './errors';
import {
  findCloudUsers,
  findInvites,
  isSuccess,
  listOpsMembers,
  listInvites,
  ofUsername,
  sendFor,
  type PeopleContext,
  type PersonAction,
} from './people';
import { delayFor } from './http/retry';

/** What invitePerson did. */
export type InviteOutcome =
  /** A new invitation was sent (`id`, `expiresAt`). */
  | 'invited'
  /** A pending invitation with the same roles (any order) was already there: nothing sent. */
  | 'already-pending'
  /** The person is already an active member with the same roles: nothing sent. */
  | 'already-member'
  /** A pending invitation or membership had other roles: the declared roles were set (`previousRoles`). */
  | 'roles-updated'
  /** The person became a member at once: an active org member (Cloud Users), or Ops Manager's bypass mode. */
  | 'added-as-member';

export interface InvitePersonResult {
  readonly outcome: InviteOutcome;
  readonly api: PersonApi;
  readonly groupId: string;
  readonly username: string;
  /** The declared roles, sorted. */
  readonly roles: readonly string[];
  /** Invitation id (invites APIs) or user id (Cloud Users); absent in Ops Manager's bypass mode. */
  readonly id?: string;
  readonly expiresAt?: string;
  /** The roles found before 'roles-updated' (sorted). */
  readonly previousRoles?: readonly string[];
  /** Every request that changed something, in order (empty for 'already-pending' / 'already-member'). */
  readonly actions: readonly PersonAction[];
}

const AMBIGUOUS = new Set(['MDB_NETWORK', 'MDB_RETRY_EXHAUSTED']);

function isAmbiguous(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && AMBIGUOUS.has(code);
}

const current = (records: readonly PersonRecord[]): PersonRecord[] =>
  records.filter((r) => r.status === 'PENDING' || r.status === 'ACTIVE');

/**
 * PENDING and ACTIVE records of one username, first from the API an invitation would be made with. The
 * invites APIs list invitations only, so when they hold none, a person who accepted is looked up where
 * members are listed: Cloud Users on Atlas (ACTIVE, and its own pending users), the project's users on
 * Ops Manager. A member's roles are set in place; a member never gets a new invitation.
 */
async function lookUp(
  ctx: PeopleContext,
  api: PersonApi,
  groupId: string,
  username: string,
  beforeCreate = false,
): Promise<PersonRecord[]> {
  if (api === 'cloud-users') {
    const users = current(await findCloudUsers(ctx, groupId, ['PENDING', 'ACTIVE'], username));
    if (users.length > 0 || !beforeCreate) return users;
    // Not in Cloud Users: a pending invitation of the deprecated invites API (made in the UI, or before the
    // entry moved to Cloud Users) is this person too. Settle on it (roles set there, in place) rather than
    // send a second invitation. One unfiltered list: that API has no pages, and its filter may keep case.
    const invited = await listInvites(ctx, 'invites', groupId);
    return invited === 'gone' ? [] : current(ofUsername(invited, username));
  }
  const invited = await findInvites(ctx, api, groupId, username);
  const pending = invited === 'gone' ? [] : current(invited);
  if (pending.length > 0) return pending;
  if (api === 'invites') return current(await findCloudUsers(ctx, groupId, ['PENDING', 'ACTIVE'], username));
  return ofUsername(await listOpsMembers(ctx, groupId), username);
}

function action(
  api: PersonApi,
  id: string,
  what: PersonAction['action'],
  req: ApiRequest,
  status: number,
  role?: string,
): PersonAction {
  return { api, id, action: what, method: req.method, path: req.path, status, ...(role ? { role } : {}) };
}

interface Ask {
  readonly api: PersonApi;
  readonly groupId: string;
  readonly username: string;
  readonly roles: readonly string[];
}

/** Sets the declared roles on the record, in place, through the API that holds it. */
async function setRoles(ctx: PeopleContext, ask: Ask, record: PersonRecord): Promise<PersonAction[]> {
  const { groupId, roles } = ask;
  const { api } = record;
  const actions: PersonAction[] = [];
  if (api === 'ops-manager' && record.status === 'ACTIVE') {
    throw new MemberRolesError(
      { username: ask.username, groupId, roles: sortRoles(record.roles), declaredRoles: roles },
      { secrets: ctx.secrets() },
    );
  }
  if (api === 'cloud-users') {
    // Add first, remove second: the user never holds zero roles on the way.
    const add = roles.filter((r) => !record.roles.includes(r));
    const remove = record.roles.filter((r) => !roles.includes(r));
    for (const [change, list] of [
      ['addRole', add],
      ['removeRole', remove],
    ] as const) {
      for (const role of list) {
        const req = cloudUsers.changeRoleRequest(groupId, record.id, change, role);
        await sendFor(ctx, req, 'write');
        const what = change === 'addRole' ? 'role-added' : 'role-removed';
        actions.push(action(api, record.id, what, ctx.prefixed(req), 200, role));
      }
    }
    return actions;
  }
  const req =
    api === 'invites'
      ? invites.updateInviteRolesRequest(groupId, record.id, roles)
      : ops.updateOpsInviteRolesRequest(groupId, record.id, roles);
  await sendFor(ctx, req, 'write');
  return [action(api, record.id, 'roles-set', ctx.prefixed(req), 200)];
}

/** What the records found say: done, roles to set, or undefined (nothing there: create). */
async function settle(
  ctx: PeopleContext,
  ask: Ask,
  found: readonly PersonRecord[],
  afterCreate: boolean,
): Promise<InvitePersonResult | undefined> {
  const first = found[0];
  if (!first) return undefined;
  const same = found.find((r) => sameRoles(r.roles, ask.roles));
  const r = same ?? first;
  const base = { api: r.api, groupId: ask.groupId, username: ask.username, roles: ask.roles };
  const ids = { id: r.id, ...(r.expiresAt === undefined ? {} : { expiresAt: r.expiresAt }) };
  if (same) {
    const active = same.status === 'ACTIVE';
    if (afterCreate) return { ...base, ...ids, outcome: active ? 'added-as-member' : 'invited', actions: [] };
    return { ...base, ...ids, outcome: active ? 'already-member' : 'already-pending', actions: [] };
  }
  const actions = await setRoles(ctx, ask, first);
  return { ...base, ...ids, outcome: 'roles-updated', previousRoles: sortRoles(first.roles), actions };
}

function createRequest(ask: Ask): ApiRequest {
  const { api, groupId, username, roles } = ask;
  if (api === 'cloud-users') return cloudUsers.addUserRequest(groupId, username, roles);
  if (api === 'invites') return invites.createInviteRequest(groupId, username, roles);
  return ops.createOpsInviteRequest(groupId, username, roles);
}

function created(ctx: PeopleContext, ask: Ask, req: ApiRequest, response: HttpResponse): InvitePersonResult {
  const body = parseJson(response.text);
  const record =
    ask.api === 'cloud-users'
      ? cloudUsers.parseUser(body)
      : ask.api === 'invites'
        ? invites.parseInvite(body)
        : ops.parseOpsCreated(body);
  // Ops Manager's bypass mode adds the user and returns no invitation; Cloud Users adds an active org
  // member at once (orgMembershipStatus ACTIVE).
  const member = ask.api === 'ops-manager' ? record === undefined : record?.status === 'ACTIVE';
  const outcome = member ? 'added-as-member' : 'invited';
  const id = record?.id ?? '';
  return {
    outcome,
    api: ask.api,
    groupId: ask.groupId,
    username: ask.username,
    roles: ask.roles,
    ...(record ? { id: record.id } : {}),
    ...(record?.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    actions: [action(ask.api, id, outcome, ctx.prefixed(req), response.status)],
  };
}

/** Runs invitePerson for validated input; `roles` are the declared roles. */
export async function invitePerson(
  ctx: PeopleContext,
  api: PersonApi,
  groupId: string,
  username: string,
  declared: readonly string[],
): Promise<InvitePersonResult> {
  const ask: Ask = { api, groupId, username, roles: sortRoles(declared) };
  const done = await settle(ctx, ask, await lookUp(ctx, api, groupId, username, true), false);
  if (done) return done;
  const req = createRequest(ask);
  const attempts = 1 + ctx.retry.maxRetries;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let response: HttpResponse | undefined;
    try {
      response = await ctx.send(req, 'create');
    } catch (err) {
      if (!isAmbiguous(err)) throw err;
      last = err;
    }
    if (response && isSuccess(response.status)) return created(ctx, ask, req, response);
    if (response && response.status === 409 && api === 'cloud-users') {
      // A PENDING or ACTIVE user with this username exists (made in between, or not listed): settle on it.
      const settled = await settle(ctx, ask, await lookUp(ctx, api, groupId, username), false);
      if (settled) return settled;
      throw ctx.failure(req, response);
    }
    if (response && response.status < 500) throw ctx.failure(req, response);
    if (response) last = ctx.failure(req, response);
    // Ambiguous: the POST may have landed. Look before sending it again.
    const landed = await settle(ctx, ask, await lookUp(ctx, api, groupId, username), true);
    if (landed) return landed;
    if (attempt < attempts)
      await ctx.sleep(delayFor(attempt - 1, ctx.retry, undefined, ctx.now(), ctx.random));
  }
  throw last;
}
