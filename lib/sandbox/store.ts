// The sandbox's invitations, kept in memory, one store per API (Atlas and Ops Manager are separate
// servers in real life). Expired invitations disappear: every read drops those whose expiresAt has passed.
import { randomBytes } from 'node:crypto';
import type { Invitation, SandboxTarget, SeedInvitation } from './types';

/** The spec's id pattern, `^([a-f0-9]{24})$`, for groups and invitations alike. */
export const OBJECT_ID = /^[a-f0-9]{24}$/;

/** Invitations expire 30 days after they were sent. */
export const INVITATION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** Atlas writes `2026-08-10T03:04:53Z`: UTC, whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A fresh 24-hex id (12 random bytes). */
export function newObjectId(): string {
  return randomBytes(12).toString('hex');
}

export class InvitationStore {
  private readonly groups = new Map<string, Map<string, Invitation>>();

  constructor(
    readonly target: SandboxTarget,
    private readonly now: () => number,
  ) {}

  /** Pending invitations of one group, oldest first; `username` filters (case-insensitive). */
  list(groupId: string, username?: string): Invitation[] {
    const group = this.groups.get(groupId);
    if (!group) return [];
    const wanted = username?.toLowerCase();
    const out: Invitation[] = [];
    for (const invitation of group.values()) {
      if (this.expired(invitation)) {
        group.delete(invitation.id);
        continue;
      }
      if (wanted === undefined || invitation.username.toLowerCase() === wanted) out.push(invitation);
    }
    return out;
  }

  /** Every pending invitation of every group. */
  all(): Invitation[] {
    return [...this.groups.keys()].flatMap((groupId) => this.list(groupId));
  }

  get(groupId: string, id: string): Invitation | undefined {
    const invitation = this.groups.get(groupId)?.get(id);
    if (!invitation) return undefined;
    if (this.expired(invitation)) {
      this.groups.get(groupId)?.delete(id);
      return undefined;
    }
    return invitation;
  }

  /** Removes a pending invitation; false when there was none (missing, expired, already cancelled). */
  delete(groupId: string, id: string): boolean {
    if (!this.get(groupId, id)) return false;
    return this.groups.get(groupId)?.delete(id) ?? false;
  }

  /** Creates (or, with the same id, replaces) one invitation. Throws on a malformed seed. */
  add(seed: Omit<SeedInvitation, 'target'>, inviterUsername: string): Invitation {
    const problems = checkSeed(seed);
    if (problems.length > 0) throw new TypeError(`invalid invitation: ${problems.join('; ')}`);
    const createdMs = seed.createdAt === undefined ? this.now() : Date.parse(seed.createdAt);
    const expiresMs =
      seed.expiresAt === undefined ? createdMs + INVITATION_LIFETIME_MS : Date.parse(seed.expiresAt);
    // Keys in the order Atlas sends them (alphabetical).
    const invitation: Invitation = {
      createdAt: isoSeconds(createdMs),
      expiresAt: isoSeconds(expiresMs),
      groupId: seed.groupId,
      groupName: `sandbox-${seed.groupId.slice(-6)}`,
      id: seed.id ?? newObjectId(),
      inviterUsername,
      roles: [...seed.roles],
      username: seed.username,
    };
    let group = this.groups.get(seed.groupId);
    if (!group) {
      group = new Map();
      this.groups.set(seed.groupId, group);
    }
    group.set(invitation.id, invitation);
    return invitation;
  }

  clear(): void {
    this.groups.clear();
  }

  private expired(invitation: Invitation): boolean {
    return Date.parse(invitation.expiresAt) <= this.now();
  }
}

/** What is wrong with an invitation to create or seed (empty when nothing). */
export function checkSeed(seed: Partial<SeedInvitation>): string[] {
  const problems: string[] = [];
  if (typeof seed.groupId !== 'string' || !OBJECT_ID.test(seed.groupId)) {
    problems.push('groupId must be 24 lowercase hex characters');
  }
  if (seed.id !== undefined && (typeof seed.id !== 'string' || !OBJECT_ID.test(seed.id))) {
    problems.push('id must be 24 lowercase hex characters');
  }
  if (typeof seed.username !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(seed.username)) {
    problems.push('username must be an email address');
  }
  if (
    !Array.isArray(seed.roles) ||
    seed.roles.length === 0 ||
    !seed.roles.every((role) => typeof role === 'string' && role.length > 0)
  ) {
    problems.push('roles must be a non-empty array of role names');
  }
  for (const field of ['createdAt', 'expiresAt'] as const) {
    const value = seed[field];
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      problems.push(`${field} must be an ISO 8601 date`);
    }
  }
  if (seed.target !== undefined && !['atlas', 'ops-manager', 'both'].includes(seed.target)) {
    problems.push('target must be atlas, ops-manager or both');
  }
  return problems;
}
