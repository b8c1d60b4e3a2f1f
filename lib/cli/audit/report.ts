// `audit` output: one line per finding (human, on stdout; `ok` lines only counted), or one JSON object
// per finding (--json, every finding); the summary on stderr; the --adopt file. Pure formatting here.
import { targetLabel } from '../../contract/rules';
import { DIFFERENCES, FINDINGS, type Finding, type FindingKind } from './compare';

/** A shell word: single-quoted, so that `[`, `"` and `'` in an address survive any POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command that invites a declared entry again. */
export function replaceCommand(address: string): string {
  return `terraform apply -replace=${shellQuote(address)}`;
}

/** One human line (no line feed), or undefined for the findings that are only counted (ok). */
export function humanLine(f: Finding): string | undefined {
  if (f.finding === 'ok') return undefined;
  const who = f.username ?? f.invitationId ?? '';
  const id = f.invitationId ?? f.userId;
  const parts = [
    f.finding.padEnd(12),
    `${targetLabel(f.target === 'ops-manager' ? 'ops-manager' : 'atlas', f.baseUrl)}/${f.groupId}/${who}`,
    f.roles.length > 0 ? f.roles.join(',') : '-',
    id !== undefined && id !== who ? `${f.api} ${id}` : f.api,
  ];
  if (f.expiresAt !== undefined) parts.push(`expires ${f.expiresAt}`);
  if (f.declaredRoles !== undefined) parts.push(`declared ${f.declaredRoles.join(',')}`);
  if (f.finding === 'accepted') parts.push('member');
  if (f.address !== undefined && (f.finding === 'not-pending' || f.finding === 'roles-differ')) {
    parts.push(
      f.invitationId !== undefined && f.username === undefined
        ? `gone: remove ${f.address} from the code`
        : `fix: ${replaceCommand(f.address)}`,
    );
  }
  return parts.join('  ');
}

export type Counts = Record<FindingKind, number>;

export function countFindings(findings: readonly Finding[]): Counts {
  const counts = Object.fromEntries(FINDINGS.map((k) => [k, 0])) as Counts;
  for (const f of findings) counts[f.finding]++;
  return counts;
}

/** True when a finding says code and server differ (`--exit-code` → 3). */
export const isDifference = (f: Finding): boolean => DIFFERENCES.includes(f.finding);

/** The one-line summary: how many projects and entries, and each kind of finding. */
export function summary(projects: number, entries: number, counts: Counts): string {
  const kinds = FINDINGS.map((k) => `${counts[k]} ${k}`).join(', ');
  return `${projects} project${projects === 1 ? '' : 's'}, ${entries} declared entr${entries === 1 ? 'y' : 'ies'}: ${kinds}`;
}

/** An entry of the examples' `invitations.json`. */
export interface AdoptEntry {
  readonly groupId: string;
  readonly username: string;
  readonly roles: string[];
}

/**
 * The undeclared invitations as entries: one per project and username (a person pending on both Atlas
 * APIs appears once, with the roles of the Cloud Users invitation), sorted. `conflicts` names the people
 * pending twice with different roles (the file keeps one; the user decides).
 */
export function adoptEntries(findings: readonly Finding[]): { entries: AdoptEntry[]; conflicts: string[] } {
  const byPerson = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.finding !== 'undeclared' || f.username === undefined) continue;
    const k = `${f.groupId}/${f.username}`;
    byPerson.set(k, [...(byPerson.get(k) ?? []), f]);
  }
  const entries: AdoptEntry[] = [];
  const conflicts: string[] = [];
  for (const [k, list] of [...byPerson].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const chosen = list.find((f) => f.api === 'cloud-users') ?? (list[0] as Finding);
    const roles = [...chosen.roles];
    if (list.some((f) => f.roles.join(',') !== roles.join(','))) conflicts.push(k);
    entries.push({ groupId: chosen.groupId, username: chosen.username as string, roles });
  }
  return { entries, conflicts };
}

/** The --adopt file's text: a JSON array, one entry per line, like examples/atlas/invitations.json. */
export function adoptText(entries: readonly AdoptEntry[]): string {
  if (entries.length === 0) return '[]\n';
  const line = (e: AdoptEntry) =>
    JSON.stringify({ groupId: e.groupId, username: e.username, roles: e.roles })
      .replace(/,"/g, ', "')
      .replace(/":/g, '": ')
      .replace(/^\{/, '{ ')
      .replace(/\}$/, ' }');
  return `[\n${entries.map((e) => `  ${line(e)}`).join(',\n')}\n]\n`;
}
