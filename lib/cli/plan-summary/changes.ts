// `plan-summary` step 2: what the plan's changes to this library's two blocks will do to people. The
// identity block's destroy-time revoke cancels (its instance deleted); the roles block's create-time invite
// invites or sets roles (its instance created). Every other resource is ignored, whatever its shape.
import { BLOCK_NAME, RESOURCE_TYPES, ROLES_BLOCK_NAME, type ResourceType } from '../../contract/keys';
import { UsageError } from '../options';

/** Shown for a value Terraform will only know during the apply. */
export const UNKNOWN = '(known after apply)';
/** Shown for a value the plan marks sensitive (never printed). */
export const SENSITIVE = '(sensitive)';

export interface Where {
  readonly target: string;
  readonly baseUrl: string;
  readonly groupId: string;
}
/** Why an invite runs: a new roles instance, or one replaced with the same roles. */
export type InviteReason = 'new' | 'requested' | 'tainted' | 'replaced';
export interface InviteItem extends Where {
  readonly username: string;
  readonly roles: readonly string[];
  readonly reason: InviteReason;
}
export interface CancelItem extends Where {
  readonly username: string;
  /** The roles declared until now (empty when the plan does not say). */
  readonly roles: readonly string[];
  /** The member is removed too if the invitation was accepted (`removeAcceptedMembers`). */
  readonly removeAccepted: boolean;
}
export interface RolesItem extends Where {
  readonly username: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}
export interface IdItem extends Where {
  readonly invitationId: string;
}
export interface PlanSummary {
  readonly invite: InviteItem[];
  readonly cancel: CancelItem[];
  readonly roles: RolesItem[];
  readonly adopt: IdItem[];
  readonly unadopt: IdItem[];
}

const ACTIONS = new Set(['no-op', 'create', 'read', 'update', 'delete', 'forget']);
const NAMES = [BLOCK_NAME, ROLES_BLOCK_NAME] as const;

interface Instance {
  readonly type: ResourceType;
  readonly address: string;
  readonly actions: readonly string[];
  readonly reason: string | undefined;
  readonly change: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function malformed(where: string, what: string): UsageError {
  return new UsageError(
    `plan-summary: ${where}: ${what}; this is not a plan Terraform wrote: run "terraform show -json plan.out" again`,
  );
}

/** The maps an instance keeps identity and settings in. */
function maps(type: ResourceType): { identity: string; settings: string } {
  return type === 'terraform_data'
    ? { identity: 'triggers_replace', settings: 'input' }
    : { identity: 'triggers', settings: 'triggers' };
}

function marked(marks: unknown, map: string, key: string): boolean {
  if (marks === true) return true;
  if (!isObject(marks)) return false;
  const inner = marks[map];
  return inner === true || (isObject(inner) && inner[key] === true);
}

/** One value of an instance's `before` or `after`: "" when absent, UNKNOWN or SENSITIVE when so marked. */
function field(i: Instance, side: 'before' | 'after', map: string, key: string): string {
  if (marked(i.change[`${side}_sensitive`], map, key)) return SENSITIVE;
  if (side === 'after' && marked(i.change.after_unknown, map, key)) return UNKNOWN;
  const values = i.change[side];
  const inner = isObject(values) ? values[map] : undefined;
  if (inner === undefined || inner === null) return '';
  if (!isObject(inner)) throw malformed(i.address, `change.${side}.${map} is not an object`);
  const value = inner[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw malformed(i.address, `change.${side}.${map}.${key} is not a string`);
  return value;
}

const identityField = (i: Instance, side: 'before' | 'after', key: string) =>
  field(i, side, maps(i.type).identity, key);

function where(i: Instance, side: 'before' | 'after'): Where {
  return {
    target: identityField(i, side, 'target'),
    baseUrl: identityField(i, side, 'base_url'),
    groupId: identityField(i, side, 'group_id'),
  };
}

/** Roles travel sorted and comma-joined. */
const rolesOf = (text: string): string[] =>
  text === UNKNOWN || text === SENSITIVE ? [text] : text.split(',').filter((r) => r.trim() !== '');

const creates = (i: Instance | undefined) => i?.actions.includes('create') === true;
const deletes = (i: Instance | undefined) => i?.actions.includes('delete') === true;

function reasonOf(roles: Instance): InviteReason {
  if (!isObject(roles.change.before)) return 'new';
  if (roles.reason === 'replace_by_request') return 'requested';
  if (roles.reason === 'replace_because_tainted') return 'tainted';
  return 'replaced';
}

/** This library's instance in a `resource_changes` item, checked; undefined for anything else. */
function instanceOf(
  item: unknown,
  n: number,
  warn: (text: string) => void,
): [Instance, string, string] | undefined {
  if (!isObject(item)) throw malformed(`resource_changes[${n}]`, 'not an object');
  const { type, name } = item;
  if (item.mode !== 'managed' || item.module_address !== undefined) return undefined;
  if (!(RESOURCE_TYPES as readonly unknown[]).includes(type)) return undefined;
  if (!(NAMES as readonly unknown[]).includes(name)) return undefined;
  const address = typeof item.address === 'string' ? item.address : `resource_changes[${n}]`;
  if (item.deposed !== undefined) {
    warn(`${address} has a deposed object (left by a failed replacement); it is not summarised`);
    return undefined;
  }
  if (typeof item.index !== 'string') throw malformed(address, 'index is not a for_each key');
  const change = item.change;
  if (!isObject(change)) throw malformed(address, 'change is not an object');
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => ACTIONS.has(a as string))) {
    throw malformed(address, 'change.actions is not a list of Terraform actions');
  }
  for (const side of ['before', 'after'] as const) {
    if (change[side] !== null && change[side] !== undefined && !isObject(change[side])) {
      throw malformed(address, `change.${side} is not an object`);
    }
  }
  const reason = typeof item.action_reason === 'string' ? item.action_reason : undefined;
  const instance = { type: type as ResourceType, address, actions: actions as string[], reason, change };
  return [instance, name as string, item.index];
}

const byPlace = (a: Where, b: Where) =>
  a.target.localeCompare(b.target) ||
  a.baseUrl.localeCompare(b.baseUrl) ||
  a.groupId.localeCompare(b.groupId);
const byWho = (a: Where & { username?: string; invitationId?: string }, b: typeof a) =>
  byPlace(a, b) || (a.username ?? a.invitationId ?? '').localeCompare(b.username ?? b.invitationId ?? '');

/** Reads `resource_changes`; throws UsageError when one of this library's instances is malformed. */
export function summarise(resourceChanges: readonly unknown[], warn: (text: string) => void): PlanSummary {
  const pairs = new Map<string, { identity?: Instance; roles?: Instance }>();
  resourceChanges.forEach((item, n) => {
    const found = instanceOf(item, n, warn);
    if (!found) return;
    const [instance, name, key] = found;
    const id = `${instance.type}\u0000${key}`;
    const pair = pairs.get(id) ?? {};
    const slot = name === BLOCK_NAME ? 'identity' : 'roles';
    if (pair[slot]) throw malformed(instance.address, 'the same instance is listed twice');
    pair[slot] = instance;
    pairs.set(id, pair);
  });

  const summary: PlanSummary = { invite: [], cancel: [], roles: [], adopt: [], unadopt: [] };
  for (const { identity, roles } of pairs.values()) {
    if (identity?.actions.includes('forget')) {
      warn(`${identity.address} leaves the state without being destroyed: its revoke does not run`);
    }
    // The revoke runs when the identity instance is destroyed (removed, or replaced).
    if (identity && deletes(identity)) {
      const invitationId = identityField(identity, 'before', 'invitation_id');
      if (invitationId !== '') {
        summary.unadopt.push({ ...where(identity, 'before'), invitationId });
      } else {
        const declared = roles && isObject(roles.change.before) ? roles : identity;
        summary.cancel.push({
          ...where(identity, 'before'),
          username: identityField(identity, 'before', 'username'),
          roles: rolesOf(identityField(declared, 'before', 'roles')),
          removeAccepted:
            field(identity, 'before', maps(identity.type).settings, 'remove_accepted') === 'true',
        });
      }
    }
    const created = identity ?? roles;
    if (created && creates(created) && identityField(created, 'after', 'invitation_id') !== '') {
      summary.adopt.push({
        ...where(created, 'after'),
        invitationId: identityField(created, 'after', 'invitation_id'),
      });
      continue;
    }
    // The invite runs when the roles instance is created (new, or replaced).
    if (!roles || !creates(roles) || identityField(roles, 'after', 'invitation_id') !== '') continue;
    const person = { ...where(roles, 'after'), username: identityField(roles, 'after', 'username') };
    const to = rolesOf(identityField(roles, 'after', 'roles'));
    if (isObject(roles.change.before) && !deletes(identity)) {
      const from = rolesOf(identityField(roles, 'before', 'roles'));
      if ([...from].sort().join(',') !== [...to].sort().join(',')) {
        summary.roles.push({ ...person, from, to });
        continue;
      }
    }
    summary.invite.push({ ...person, roles: to, reason: reasonOf(roles) });
  }
  summary.invite.sort(byWho);
  summary.cancel.sort(byWho);
  summary.roles.sort(byWho);
  summary.adopt.sort(byWho);
  summary.unadopt.sort(byWho);
  return summary;
}

/** True when the plan changes nobody's invitation. */
export function isEmpty(summary: PlanSummary): boolean {
  return Object.values(summary).every((items: unknown[]) => items.length === 0);
}
