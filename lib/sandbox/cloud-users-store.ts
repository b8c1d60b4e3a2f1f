// The Atlas Cloud Users API's project users (2025-02-19), in memory, apart from the invites API's, as on
// Atlas. An expired PENDING user reads INVITATION_EXPIRED; expired and rejected users stay until replaced or
// removed. Reference: docs/sandbox.md.
import { INVITATION_LIFETIME_MS, isoSeconds, newObjectId } from './store';
import type { CloudUser, OrgMembershipStatus } from './types';

export const ORG_MEMBERSHIP_STATUSES: readonly OrgMembershipStatus[] = [
  'PENDING',
  'ACTIVE',
  'INVITATION_EXPIRED',
  'INVITATION_REJECTED',
];

interface UserRecord {
  readonly id: string;
  readonly groupId: string;
  readonly username: string;
  roles: string[];
  status: OrgMembershipStatus;
  invitationCreatedAt?: string;
  invitationExpiresAt?: string;
  inviterUsername?: string;
  createdAt?: string;
}

export interface NewCloudUser {
  readonly id?: string;
  readonly status?: OrgMembershipStatus;
  readonly createdAt?: string;
  readonly expiresAt?: string;
}

/** The answer's shape: keys in alphabetical order, as Atlas writes them. */
export function viewOf(user: UserRecord): CloudUser {
  const { id, username, status, roles } = user;
  if (status === 'ACTIVE') {
    const local = username.split('@')[0] ?? username;
    return {
      createdAt: user.createdAt ?? '',
      firstName: local,
      id,
      lastName: 'Sandbox',
      orgMembershipStatus: status,
      roles: [...roles],
      username,
    };
  }
  return {
    id,
    invitationCreatedAt: user.invitationCreatedAt ?? '',
    // The spec: "absent for active users and null for rejected invitations".
    invitationExpiresAt: status === 'INVITATION_REJECTED' ? null : (user.invitationExpiresAt ?? ''),
    inviterUsername: user.inviterUsername ?? '',
    orgMembershipStatus: status,
    roles: [...roles],
    username,
  };
}

export class CloudUserStore {
  private readonly groups = new Map<string, Map<string, UserRecord>>();

  constructor(private readonly now: () => number) {}

  /** Users of one group whose status is in `statuses`, oldest first; `username` filters (case-insensitive). */
  list(groupId: string, statuses: ReadonlySet<OrgMembershipStatus>, username?: string): CloudUser[] {
    const wanted = username?.toLowerCase();
    return this.records(groupId)
      .filter((u) => statuses.has(u.status) && (wanted === undefined || u.username.toLowerCase() === wanted))
      .map(viewOf);
  }

  /** Every user of one group, or of all groups, whatever the status. */
  all(groupId?: string): CloudUser[] {
    const ids = groupId === undefined ? [...this.groups.keys()] : [groupId];
    return ids.flatMap((id) => this.records(id)).map(viewOf);
  }

  get(groupId: string, id: string): UserRecord | undefined {
    const user = this.groups.get(groupId)?.get(id);
    return user && this.refresh(user);
  }

  byUsername(groupId: string, username: string): UserRecord | undefined {
    const wanted = username.toLowerCase();
    return this.records(groupId).find((u) => u.username.toLowerCase() === wanted);
  }

  /**
   * Invites `username` to the project: a new PENDING user, replacing an INVITATION_EXPIRED or
   * INVITATION_REJECTED one. Returns the existing user instead when a PENDING or ACTIVE one exists.
   */
  invite(
    groupId: string,
    username: string,
    roles: readonly string[],
    inviter: string,
    extra: NewCloudUser = {},
  ): { created: UserRecord } | { conflict: UserRecord } {
    const existing = this.byUsername(groupId, username);
    if (existing && (existing.status === 'PENDING' || existing.status === 'ACTIVE'))
      return { conflict: existing };
    if (existing) this.remove(groupId, existing.id);
    const createdMs = extra.createdAt === undefined ? this.now() : Date.parse(extra.createdAt);
    const expiresMs =
      extra.expiresAt === undefined ? createdMs + INVITATION_LIFETIME_MS : Date.parse(extra.expiresAt);
    const status = extra.status ?? 'PENDING';
    const user: UserRecord =
      status === 'ACTIVE'
        ? {
            id: extra.id ?? newObjectId(),
            groupId,
            username,
            roles: [...roles],
            status,
            createdAt: isoSeconds(createdMs),
          }
        : {
            id: extra.id ?? newObjectId(),
            groupId,
            username,
            roles: [...roles],
            status,
            invitationCreatedAt: isoSeconds(createdMs),
            invitationExpiresAt: isoSeconds(expiresMs),
            inviterUsername: inviter,
          };
    this.group(groupId).set(user.id, user);
    return { created: user };
  }

  /** Makes a user ACTIVE (an accepted invitation), creating it when absent; `roles` are added to its own. */
  activate(groupId: string, username: string, roles: readonly string[] = []): UserRecord {
    let user = this.byUsername(groupId, username);
    if (!user) {
      user = { id: newObjectId(), groupId, username, roles: [], status: 'ACTIVE' };
      this.group(groupId).set(user.id, user);
    }
    user.roles = [...new Set([...user.roles, ...roles])];
    user.status = 'ACTIVE';
    user.createdAt = isoSeconds(this.now());
    delete user.invitationCreatedAt;
    delete user.invitationExpiresAt;
    delete user.inviterUsername;
    return user;
  }

  /** Expires a PENDING user's invitation now. */
  expire(user: UserRecord): void {
    user.status = 'INVITATION_EXPIRED';
    user.invitationExpiresAt = isoSeconds(this.now());
  }

  remove(groupId: string, id: string): boolean {
    return this.groups.get(groupId)?.delete(id) ?? false;
  }

  clear(): void {
    this.groups.clear();
  }

  private group(groupId: string): Map<string, UserRecord> {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Map();
      this.groups.set(groupId, group);
    }
    return group;
  }

  private records(groupId: string): UserRecord[] {
    return [...(this.groups.get(groupId)?.values() ?? [])].map((u) => this.refresh(u));
  }

  private refresh(user: UserRecord): UserRecord {
    if (user.status === 'PENDING' && Date.parse(user.invitationExpiresAt ?? '') <= this.now()) {
      user.status = 'INVITATION_EXPIRED';
    }
    return user;
  }
}

export type { UserRecord as CloudUserRecord };
