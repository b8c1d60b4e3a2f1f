// Ops Manager / Cloud Manager project members: accepted invitations and Bypass Invitation Mode additions, at
// /api/public/v1.0/groups/{g}/users. (On Atlas an accepted invitation is an ACTIVE Cloud Users user.)
// Reference: docs/sandbox.md, "Members".
import { isoSeconds, newObjectId } from './store';
import type { ProjectMember } from './types';

export class MemberStore {
  private readonly groups = new Map<string, Map<string, ProjectMember>>();

  constructor(private readonly now: () => number) {}

  /** Adds a member, or adds `roles` to the member of that username (case-insensitive). */
  add(groupId: string, username: string, roles: readonly string[]): ProjectMember {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Map();
      this.groups.set(groupId, group);
    }
    const existing = this.byUsername(groupId, username);
    const member: ProjectMember = {
      id: existing?.id ?? newObjectId(),
      groupId,
      username: existing?.username ?? username,
      roles: [...new Set([...(existing?.roles ?? []), ...roles])],
      createdAt: existing?.createdAt ?? isoSeconds(this.now()),
    };
    group.set(member.id, member);
    return member;
  }

  /** Members of one group, or of every group, oldest first. */
  list(groupId?: string): ProjectMember[] {
    const groups = groupId === undefined ? [...this.groups.values()] : [this.groups.get(groupId)];
    return groups.flatMap((group) => [...(group?.values() ?? [])]);
  }

  byUsername(groupId: string, username: string): ProjectMember | undefined {
    const wanted = username.toLowerCase();
    return this.list(groupId).find((m) => m.username.toLowerCase() === wanted);
  }

  remove(groupId: string, id: string): boolean {
    return this.groups.get(groupId)?.delete(id) ?? false;
  }

  clear(): void {
    this.groups.clear();
  }
}

/**
 * A member as Ops Manager's "Get All Users in One Project" lists it (sandbox's rendering of its documented
 * fields; names are made up from the username).
 */
export function opsManagerUserView(member: ProjectMember): Record<string, unknown> {
  return {
    emailAddress: member.username,
    firstName: member.username.split('@')[0] ?? member.username,
    id: member.id,
    lastName: 'Sandbox',
    links: [],
    roles: member.roles.map((roleName) => ({ groupId: member.groupId, roleName })),
    username: member.username,
  };
}
