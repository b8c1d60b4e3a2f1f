// revokePerson (DESIGN decisions 6, 7): cancel every pending invitation of a username in a project; Atlas:
// both APIs while the invites API answers (410 = nothing there). Nothing pending = done, saying why; every
// change is an action. docs/decisions/0005-cloud-users-api-by-default.md
import * as cloudUsers from './apis/atlas-cloud-users';
import * as invites from './apis/atlas-invites';
import * as ops from './apis/ops-manager';
import type { ApiRequest, PersonApi, PersonRecord } from './apis/person';
import {
  findCloudUsers,
  findInvites,
  listOpsMembers,
  ofUsername,
  removeRecord,
  type PeopleContext,
  type PersonAction,
} from './people';

/** What revokePerson found and did. */
export type RevokeOutcome =
  /** At least one pending invitation was cancelled. */
  | 'revoked'
  /** Nothing was pending; the active member was removed (removeAccepted). */
  | 'removed-member'
  /** Nothing was pending; the person is an active member and was left alone (the default). */
  | 'accepted'
  /** Nothing was pending; the invitation had expired (Cloud Users INVITATION_EXPIRED). */
  | 'expired'
  /** Nothing was pending: never sent, already cancelled, or gone in between. */
  | 'nothing-pending';

export interface RevokePersonResult {
  readonly outcome: RevokeOutcome;
  readonly groupId: string;
  readonly username: string;
  /** Every request that changed something (or found it already gone), in order. */
  readonly actions: readonly PersonAction[];
  /** The active membership found, if any, and whether it was removed. */
  readonly member?: {
    readonly api: PersonApi;
    readonly id: string;
    readonly roles: readonly string[];
    readonly removed: boolean;
  };
  /** The APIs looked at, in order. */
  readonly looked: readonly PersonApi[];
  /** True when the Atlas invites API answered 410 (sunset) and was skipped. */
  readonly invitesApiGone?: true;
}

interface Findings {
  actions: PersonAction[];
  member?: { api: PersonApi; id: string; roles: readonly string[]; removed: boolean };
  expired: boolean;
  gone: boolean;
}

async function member(
  ctx: PeopleContext,
  f: Findings,
  record: PersonRecord,
  req: ApiRequest,
  removeAccepted: boolean,
): Promise<void> {
  if (removeAccepted) f.actions.push(await removeRecord(ctx, req, record, 'removed-member'));
  f.member = { api: record.api, id: record.id, roles: record.roles, removed: removeAccepted };
}

async function lookCloudUsers(
  ctx: PeopleContext,
  f: Findings,
  groupId: string,
  username: string,
  removeAccepted: boolean,
) {
  const found = await findCloudUsers(ctx, groupId, ['PENDING', 'ACTIVE', 'INVITATION_EXPIRED'], username);
  for (const r of found) {
    const req = cloudUsers.removeUserRequest(groupId, r.id);
    if (r.status === 'PENDING') f.actions.push(await removeRecord(ctx, req, r, 'cancelled'));
    else if (r.status === 'ACTIVE') await member(ctx, f, r, req, removeAccepted);
    else f.expired = true;
  }
}

async function lookInvites(
  ctx: PeopleContext,
  f: Findings,
  api: 'invites' | 'ops-manager',
  groupId: string,
  username: string,
) {
  const found = await findInvites(ctx, api, groupId, username);
  if (found === 'gone') {
    f.gone = true;
    return;
  }
  for (const r of found) {
    const req =
      api === 'invites'
        ? invites.cancelInviteRequest(groupId, r.id)
        : ops.cancelOpsInviteRequest(groupId, r.id);
    f.actions.push(await removeRecord(ctx, req, r, 'cancelled'));
  }
}

/** Runs revokePerson for validated input. `first` is the API looked at first on Atlas. */
export async function revokePerson(
  ctx: PeopleContext,
  groupId: string,
  username: string,
  options: { removeAccepted: boolean; first: 'cloud-users' | 'invites' },
): Promise<RevokePersonResult> {
  const f: Findings = { actions: [], expired: false, gone: false };
  const looked: PersonApi[] = [];
  if (ctx.target === 'atlas') {
    const order =
      options.first === 'invites'
        ? (['invites', 'cloud-users'] as const)
        : (['cloud-users', 'invites'] as const);
    for (const api of order) {
      looked.push(api);
      if (api === 'cloud-users') await lookCloudUsers(ctx, f, groupId, username, options.removeAccepted);
      else await lookInvites(ctx, f, 'invites', groupId, username);
    }
  } else {
    looked.push('ops-manager');
    await lookInvites(ctx, f, 'ops-manager', groupId, username);
    // Members are looked up only to say why nothing was pending, or to remove one (removeAccepted).
    if (options.removeAccepted || f.actions.length === 0) {
      const found = ofUsername(await listOpsMembers(ctx, groupId), username)[0];
      if (found)
        await member(ctx, f, found, ops.removeOpsMemberRequest(groupId, found.id), options.removeAccepted);
    }
  }
  const did = (what: PersonAction['action']) => f.actions.some((a) => a.action === what);
  const outcome: RevokeOutcome = did('cancelled')
    ? 'revoked'
    : did('removed-member')
      ? 'removed-member'
      : f.member
        ? 'accepted'
        : f.expired
          ? 'expired'
          : 'nothing-pending';
  return {
    outcome,
    groupId,
    username,
    actions: f.actions,
    looked,
    ...(f.member ? { member: f.member } : {}),
    ...(f.gone ? { invitesApiGone: true as const } : {}),
  };
}
