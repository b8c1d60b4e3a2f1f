// `plan-summary` step 3: the summary as markdown for a pull-request comment, one table per target and
// project. Every value comes from the plan, so each is escaped (escapeMarkdown, ../markdown.ts).
import { escapeMarkdown } from '../markdown';
import type { InviteReason, PlanSummary, Where } from './changes';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "1 to invite, 2 role changes, 1 to cancel": the non-zero counts, or undefined for none. */
export function countsText(summary: PlanSummary): string | undefined {
  const parts = [
    summary.invite.length > 0 ? `${summary.invite.length} to invite` : '',
    summary.roles.length > 0 ? plural(summary.roles.length, 'role change', 'role changes') : '',
    summary.cancel.length > 0 ? `${summary.cancel.length} to cancel` : '',
    summary.adopt.length > 0 ? `${summary.adopt.length} to adopt` : '',
    summary.unadopt.length > 0
      ? plural(summary.unadopt.length, 'adopted invitation', 'adopted invitations') + ' to cancel'
      : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export const NO_CHANGE = 'No change to MongoDB invitations in this plan.';

const INVITE_LABEL: Record<InviteReason, string> = {
  new: 'invite',
  requested: 'invite again (-replace)',
  tainted: 'invite again (the last invite failed)',
  replaced: 'invite again',
};

const roles = (list: readonly string[]) => list.join(', ');

/** The whole comment: a heading, the counts, then a table per target and project. */
export function renderMarkdown(summary: PlanSummary): string {
  const counts = countsText(summary);
  if (counts === undefined) return `${NO_CHANGE}\n`;
  const groups = new Map<string, { where: Where; rows: string[][] }>();
  const add = (w: Where, row: string[]) => {
    const key = JSON.stringify([w.target, w.baseUrl, w.groupId]);
    const group = groups.get(key) ?? { where: w, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  };
  for (const i of summary.invite) add(i, [INVITE_LABEL[i.reason], i.username, roles(i.roles)]);
  for (const r of summary.roles) add(r, ['change roles', r.username, `${roles(r.from)} → ${roles(r.to)}`]);
  for (const c of summary.cancel) {
    const label = c.removeAccepted ? 'cancel (and remove the member if accepted)' : 'cancel';
    add(c, [label, c.username, roles(c.roles)]);
  }
  for (const a of summary.adopt) add(a, ['adopt', `invitation ${a.invitationId}`, '']);
  for (const u of summary.unadopt) add(u, ['cancel adopted', `invitation ${u.invitationId}`, '']);

  const sorted = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  const lines = ['### MongoDB invitations', '', `${counts}.`];
  for (const [, { where, rows }] of sorted) {
    lines.push(
      '',
      `#### Project ${escapeMarkdown(where.groupId)} on ${escapeMarkdown(where.target)} (${escapeMarkdown(where.baseUrl)})`,
      '',
      '| Change | Who | Roles |',
      '| --- | --- | --- |',
      ...rows.map((r) => `| ${r.map((cell, c) => (c === 0 ? cell : escapeMarkdown(cell))).join(' | ')} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
