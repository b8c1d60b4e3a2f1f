// `audit --format markdown`: the findings as one markdown report, for an issue a scheduled job opens or
// updates: a heading, a one-line summary, then a table per target and project of the findings that need
// something done (`accepted` and `ok` are only counted). Every value comes from a stack file or the server,
// so each cell is escaped (escapeMarkdown).
import { escapeMarkdown } from '../markdown';
import type { Finding } from './compare';
import { countFindings, isDifference, replaceCommand, summary } from './report';

export const AUDIT_HEADING = '### MongoDB invitations: audit';

export interface AuditReport {
  readonly projects: number;
  readonly entries: number;
  readonly findings: readonly Finding[];
  /** Projects whose lists failed: what they hold is unknown. */
  readonly notRead: readonly string[];
  /** Stacks skipped as unreadable: what they declare is unknown. */
  readonly skipped: readonly string[];
}

/** The "what to do" cell: the hint of the human line, in words. */
export function whatToDo(f: Finding): string {
  const inStack = f.stack === undefined ? '' : `in stack ${f.stack}: `;
  switch (f.finding) {
    case 'undeclared':
      return 'declare it (audit --adopt FILE), or cancel it (audit --prune --yes)';
    case 'not-pending':
      if (f.username === undefined) {
        return `${inStack}remove ${f.address ?? 'the entry'} from the code (an invitation id cannot be sent again: declare the person instead)`;
      }
      return `${inStack}${f.address === undefined ? 'invite again' : replaceCommand(f.address)}, or audit --reinvite --yes`;
    case 'roles-differ':
      return `${inStack}${f.address === undefined ? 'invite again' : replaceCommand(f.address)} (sets the declared roles)`;
    case 'duplicate':
      return `declared ${f.stacks?.length ?? 2} times, in stacks ${(f.stacks ?? []).join(', ')}: keep one declaration`;
    case 'accepted':
    case 'ok':
      return 'nothing';
  }
}

const cells = (f: Finding): string[] => {
  const id = f.invitationId ?? f.userId;
  const who = f.username ?? `invitation ${f.invitationId ?? ''}`;
  const roles = f.roles.length > 0 ? f.roles.join(', ') : '';
  return [
    f.finding,
    who,
    f.declaredRoles === undefined ? roles : `${roles} (declared ${f.declaredRoles.join(', ')})`,
    id !== undefined && f.username !== undefined ? `${f.api} ${id}` : f.api,
    f.expiresAt ?? '',
    whatToDo(f),
  ];
};

/** The whole report; "No differences" in its summary line when code and server agree. */
export function renderAuditMarkdown(report: AuditReport): string {
  const { findings } = report;
  const counts = countFindings(findings);
  const differences = findings.filter(isDifference);
  const whole = report.notRead.length === 0 && report.skipped.length === 0;
  const text = summary(report.projects, report.entries, counts);
  const first =
    differences.length === 0
      ? `${whole ? 'No differences' : 'No differences in what was read'}: ${text}.`
      : `${differences.length} difference${differences.length === 1 ? '' : 's'} between code and server: ${text}.`;
  const lines = [AUDIT_HEADING, '', escapeMarkdown(first)];
  if (!whole) {
    lines.push('', 'Not audited:', '');
    for (const s of report.skipped) lines.push(`- ${escapeMarkdown(`stack skipped, unreadable: ${s}`)}`);
    for (const p of report.notRead) lines.push(`- ${escapeMarkdown(p)}`);
  }
  const groups = new Map<string, Finding[]>();
  for (const f of differences) {
    const key = JSON.stringify([f.target, f.baseUrl, f.groupId]);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const f = group[0] as Finding;
    lines.push(
      '',
      `#### Project ${escapeMarkdown(f.groupId)} on ${escapeMarkdown(f.target)} (${escapeMarkdown(f.baseUrl)})`,
      '',
      '| Finding | Who | Roles | API | Expires | What to do |',
      '| --- | --- | --- | --- | --- | --- |',
      ...group.map((g) => `| ${cells(g).map(escapeMarkdown).join(' | ')} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
