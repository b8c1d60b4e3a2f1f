// `audit` step 4, pure: one project's declared entries against what the server holds. Id entry: pending → ok,
// else not-pending. Person: pending with the declared roles → ok, other roles → roles-differ, none → accepted
// (a member) or not-pending; declared by more than one entry → duplicate; anything else pending → undeclared.
// docs/decisions/0006-audit-roles-differ.md
import { sameRoles, sortRoles } from '../../contract/roles';
import { DEFAULT_ATLAS_API } from '../../contract/settings';
import { dirname } from 'node:path';
import type { PendingPerson, PersonApi, ProjectMember } from '../../client/invitation-client';
import type { AuditProject } from './projects';
import type { DeclaredEntry } from './validate-entry';

export const FINDINGS = ['undeclared', 'not-pending', 'roles-differ', 'duplicate', 'accepted', 'ok'] as const;
export type FindingKind = (typeof FINDINGS)[number];

/** Findings that mean code and server differ (`--exit-code` → 3). */
export const DIFFERENCES: readonly FindingKind[] = ['undeclared', 'not-pending', 'roles-differ', 'duplicate'];

export interface Finding {
  readonly finding: FindingKind;
  readonly target: string;
  readonly baseUrl: string;
  readonly groupId: string;
  /** Absent only for an id entry that is not pending (the server no longer says whose it was). */
  readonly username?: string;
  /** On the server (pending or member); the declared roles for not-pending. */
  readonly roles: readonly string[];
  readonly api: PersonApi;
  readonly invitationId?: string;
  readonly userId?: string;
  readonly expiresAt?: string;
  /** The resource instance address, for declared entries. */
  readonly address?: string;
  /** The roles the code declares, when they differ from `roles` (roles-differ, accepted). */
  readonly declaredRoles?: readonly string[];
  /** The stack directory that declares it. */
  readonly stack?: string;
  /** duplicate: every stack that declares it, once per declaration. */
  readonly stacks?: readonly string[];
}

/** The API a declared entry lives in: id entries in an invites API, people in the target's choice. */
function declaredApi(entry: DeclaredEntry): PersonApi {
  if (entry.target === 'ops-manager') return 'ops-manager';
  if (entry.invitationId !== undefined) return 'invites';
  return entry.values.api === 'invites' ? 'invites' : DEFAULT_ATLAS_API;
}

/** Record fields of a finding: the id is an invitation id (invites APIs) or a user id (Cloud Users). */
function recordFields(r: PendingPerson | ProjectMember) {
  const idField =
    r.api === 'cloud-users' || r.status === 'ACTIVE' ? { userId: r.id } : { invitationId: r.id };
  return {
    username: r.username.toLowerCase(),
    roles: sortRoles(r.roles),
    api: r.api,
    ...idField,
    ...(r.status === 'PENDING' && r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
  };
}

/** The stacks of several declarations: their names, or their directories when two share a name. */
function stackLabels(list: readonly DeclaredEntry[]): string[] {
  const clash = list.some((a) => list.some((b) => a.stack === b.stack && a.file !== b.file));
  return list.map((e) => (clash ? dirname(e.file) : e.stack));
}

/**
 * The findings of one project. `members` is undefined when they were not listed: then the caller must
 * list them when `needsMembers` says so, and call again.
 */
export function compareProject(
  project: Pick<AuditProject, 'target' | 'baseUrl' | 'groupId' | 'entries'>,
  pending: readonly PendingPerson[],
  members: readonly ProjectMember[] | undefined,
): { findings: Finding[]; needsMembers: boolean } {
  const base = { target: project.target, baseUrl: project.baseUrl, groupId: project.groupId };
  const used = new Set<PendingPerson>();
  const findings: Finding[] = [];
  const byId = new Map<string, PendingPerson>();
  for (const p of pending) if (p.api !== 'cloud-users') byId.set(p.id, p);
  const byUsername = new Map<string, PendingPerson[]>();
  for (const p of pending) {
    const key = p.username.toLowerCase();
    byUsername.set(key, [...(byUsername.get(key) ?? []), p]);
  }
  const memberOf = new Map<string, ProjectMember>();
  for (const m of members ?? []) memberOf.set(m.username.toLowerCase(), m);
  let needsMembers = false;

  const declarations = new Map<string, DeclaredEntry[]>();
  for (const entry of project.entries) {
    const k = entry.username === undefined ? `id ${entry.invitationId}` : `person ${entry.username}`;
    declarations.set(k, [...(declarations.get(k) ?? []), entry]);
  }
  for (const list of declarations.values()) {
    const entry = list[0] as DeclaredEntry;
    if (list.length > 1) {
      // Each declaration's removal would cancel what the others declare: one finding, never not-pending.
      const mine =
        entry.username === undefined
          ? [byId.get(entry.invitationId as string)].filter((p) => p !== undefined)
          : (byUsername.get(entry.username) ?? []);
      for (const p of mine) used.add(p);
      const record = mine[0];
      findings.push({
        ...base,
        finding: 'duplicate',
        ...(record
          ? recordFields(record)
          : {
              ...(entry.username === undefined ? {} : { username: entry.username }),
              roles: entry.roles,
              api: declaredApi(entry),
              ...(entry.invitationId === undefined ? {} : { invitationId: entry.invitationId }),
            }),
        stacks: stackLabels(list),
      });
      continue;
    }
    const declared = { address: entry.replaceAddress, stack: entry.stack };
    if (entry.invitationId !== undefined) {
      const found = byId.get(entry.invitationId);
      if (found && !used.has(found)) {
        used.add(found);
        findings.push({ ...base, finding: 'ok', ...recordFields(found), ...declared });
      } else {
        const api = declaredApi(entry);
        findings.push({
          ...base,
          finding: 'not-pending',
          roles: [],
          api,
          invitationId: entry.invitationId,
          ...declared,
        });
      }
      continue;
    }
    const username = entry.username as string;
    const mine = (byUsername.get(username) ?? []).filter((p) => !used.has(p));
    for (const p of mine) {
      used.add(p);
      const same = sameRoles(p.roles, entry.roles);
      findings.push({
        ...base,
        finding: same ? 'ok' : 'roles-differ',
        ...recordFields(p),
        ...declared,
        ...(same ? {} : { declaredRoles: entry.roles }),
      });
    }
    if (mine.length > 0) continue;
    if (members === undefined) {
      needsMembers = true;
      continue;
    }
    const member = memberOf.get(username);
    if (member) {
      const same = sameRoles(member.roles, entry.roles);
      findings.push({
        ...base,
        finding: 'accepted',
        ...recordFields(member),
        ...declared,
        ...(same ? {} : { declaredRoles: entry.roles }),
      });
    } else {
      findings.push({
        ...base,
        finding: 'not-pending',
        username,
        roles: entry.roles,
        api: declaredApi(entry),
        ...declared,
      });
    }
  }
  if (needsMembers) return { findings: [], needsMembers: true };
  for (const p of pending) {
    if (!used.has(p)) findings.push({ ...base, finding: 'undeclared', ...recordFields(p) });
  }
  return { findings, needsMembers: false };
}
