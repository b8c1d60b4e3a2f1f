// The invitee's switches: accept (the person becomes a member) or expire. Without `api`, every API holding a
// pending invitation for that username is switched. Atlas: an ACTIVE Cloud Users user; Ops Manager: a member.
// Reference: docs/sandbox.md.
import type { CloudUserStore } from './cloud-users-store';
import { NOTHING_PENDING_BRAND, SandboxError } from './errors';
import type { MemberStore } from './member-store';
import type { InvitationStore } from './store';
import type { SandboxApi, SandboxTarget, SwitchResult } from './types';

export interface SwitchStores {
  readonly stores: Record<SandboxTarget, InvitationStore>;
  readonly cloudUsers: CloudUserStore;
  readonly opsMembers: MemberStore;
}

/** Thrown when nothing was pending: the admin path answers it with 404. */
export class NothingPendingError extends SandboxError {
  readonly code = 'SANDBOX_NOTHING_PENDING';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && NOTHING_PENDING_BRAND in value;
  }

  constructor(groupId: string, username: string, api: SandboxApi | undefined) {
    super(`No pending invitation for ${username} in group ${groupId}${api ? ` on the ${api} API` : ''}.`, [
      NOTHING_PENDING_BRAND,
    ]);
    this.name = 'NothingPendingError';
  }
}

const APIS: readonly SandboxApi[] = ['cloud-users', 'invites', 'ops-manager'];

export function checkApi(api: unknown): SandboxApi | undefined {
  if (api === undefined) return undefined;
  if (!APIS.includes(api as SandboxApi)) throw new TypeError(`api must be one of ${APIS.join(', ')}`);
  return api as SandboxApi;
}

export function switchInvitation(
  state: SwitchStores,
  action: 'accept' | 'expire',
  groupId: string,
  username: string,
  api?: SandboxApi,
): SwitchResult[] {
  const results: SwitchResult[] = [];
  const wanted = (name: SandboxApi) => api === undefined || api === name;
  if (wanted('cloud-users')) {
    const user = state.cloudUsers.byUsername(groupId, username);
    if (user?.status === 'PENDING') {
      const base = { api: 'cloud-users' as const, groupId, username: user.username, id: user.id };
      if (action === 'accept')
        results.push({ ...base, memberId: state.cloudUsers.activate(groupId, username).id });
      else {
        state.cloudUsers.expire(user);
        results.push(base);
      }
    }
  }
  for (const [name, target] of [
    ['invites', 'atlas'],
    ['ops-manager', 'ops-manager'],
  ] as const) {
    if (!wanted(name)) continue;
    for (const invitation of state.stores[target].list(groupId, username)) {
      state.stores[target].delete(groupId, invitation.id);
      const base = { api: name, groupId, username: invitation.username, id: invitation.id };
      if (action === 'expire') {
        results.push(base);
        continue;
      }
      const member =
        target === 'atlas'
          ? state.cloudUsers.activate(groupId, invitation.username, invitation.roles)
          : state.opsMembers.add(groupId, invitation.username, invitation.roles);
      results.push({ ...base, memberId: member.id });
    }
  }
  if (results.length === 0) throw new NothingPendingError(groupId, username, api);
  return results;
}
