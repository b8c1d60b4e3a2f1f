// Seeding for Sandbox.start({seed}), sandbox.seed(), POST /_sandbox/invitations and --seed: invitations,
// id entries and person entries, in {"invitations": […]} or a bare list; every shape checked before any is
// added. Shapes: docs/sandbox.md, "Seeding".
import type { CloudUserStore } from './cloud-users-store';
import { ORG_MEMBERSHIP_STATUSES } from './cloud-users-store';
import { SandboxOptionsError } from './errors';
import { checkSeed, OBJECT_ID, type InvitationStore } from './store';
import type {
  Invitation,
  OrgMembershipStatus,
  SandboxApi,
  SandboxTarget,
  SeedEntry,
  SeedInput,
  SeedInvitation,
} from './types';

/** Who created seeded invitations (their `inviterUsername`). */
export const SEED_INVITER = 'sandbox@example.com';
/** Roles of an entry that names none (id entries of the examples carry no roles). */
export const DEFAULT_SEED_ROLES: readonly string[] = ['GROUP_READ_ONLY'];

const APIS: readonly SandboxApi[] = ['cloud-users', 'invites', 'ops-manager'];

type Planned =
  | { kind: 'invitation'; targets: SandboxTarget[]; seed: Omit<SeedInvitation, 'target'> }
  | { kind: 'cloud-user'; entry: Omit<SeedInvitation, 'target'> & { status: OrgMembershipStatus } };

export interface SeedStores {
  readonly stores: Record<SandboxTarget, InvitationStore>;
  readonly cloudUsers: CloudUserStore;
}

/** Adds every entry; returns the invitations created (one per invites API). Throws SandboxOptionsError. */
export function seedInto(state: SeedStores, input: SeedInput | undefined): Invitation[] {
  const list: unknown = Array.isArray(input)
    ? input
    : (input as { invitations?: unknown } | undefined)?.invitations;
  if (!Array.isArray(list)) {
    throw new SandboxOptionsError('invalid seed: expected {"invitations": [...]} or a list of entries');
  }
  const plan = list.map((entry: unknown, index) => {
    try {
      return planEntry(entry);
    } catch (err) {
      throw new SandboxOptionsError(`invalid seed: entry ${index}: ${(err as Error).message}`);
    }
  });
  const created: Invitation[] = [];
  plan.forEach((step, index) => {
    if (step.kind === 'cloud-user') {
      const { groupId, username, roles, status, ...extra } = step.entry;
      const result = state.cloudUsers.invite(groupId, username, roles, SEED_INVITER, { ...extra, status });
      if ('conflict' in result) {
        throw new SandboxOptionsError(
          `invalid seed: entry ${index}: ${username} is already ${result.conflict.status} in ${groupId}`,
        );
      }
      return;
    }
    let id = step.seed.id;
    for (const target of step.targets) {
      const invitation = state.stores[target].add(
        id === undefined ? step.seed : { ...step.seed, id },
        SEED_INVITER,
      );
      id = invitation.id;
      created.push(invitation);
    }
  });
  return created;
}

function planEntry(value: unknown): Planned {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('must be an object');
  const entry = value as SeedEntry;
  if (entry.id !== undefined && entry.invitationId !== undefined && entry.id !== entry.invitationId) {
    throw new Error('give id or invitationId, not both');
  }
  const id = entry.id ?? entry.invitationId;
  if (entry.api !== undefined && entry.target !== undefined) throw new Error('give api or target, not both');
  if (entry.api !== undefined && !APIS.includes(entry.api))
    throw new Error(`api must be one of ${APIS.join(', ')}`);
  const username =
    entry.username ??
    (typeof id === 'string' && OBJECT_ID.test(id) ? `invitee-${id.slice(-6)}@example.com` : undefined);
  const seed = {
    groupId: entry.groupId,
    username: username as string,
    roles: entry.roles ?? [...DEFAULT_SEED_ROLES],
    ...(id !== undefined && { id }),
    ...(entry.createdAt !== undefined && { createdAt: entry.createdAt }),
    ...(entry.expiresAt !== undefined && { expiresAt: entry.expiresAt }),
  };
  const problems = checkSeed({ ...seed, ...(entry.target !== undefined && { target: entry.target }) });
  if (entry.status !== undefined && entry.api !== 'cloud-users')
    problems.push('status is for api "cloud-users" only');
  if (entry.status !== undefined && !ORG_MEMBERSHIP_STATUSES.includes(entry.status)) {
    problems.push(`status must be one of ${ORG_MEMBERSHIP_STATUSES.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (entry.api === 'cloud-users')
    return { kind: 'cloud-user', entry: { ...seed, status: entry.status ?? 'PENDING' } };
  const target = entry.api === 'invites' ? 'atlas' : (entry.api ?? entry.target ?? 'both');
  const targets: SandboxTarget[] = target === 'both' ? ['atlas', 'ops-manager'] : [target];
  return { kind: 'invitation', targets, seed };
}
