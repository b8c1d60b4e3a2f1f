// `audit` output: one line per finding (human, on stdout; `ok` lines only counted), or one JSON object
// per finding (--json, every finding); the summary on stderr. Pure formatting here (--adopt: adopt.ts).
import { entryKey } from '../../contract/rules';
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
  const kind = f.target === 'ops-manager' ? 'ops-manager' : 'atlas';
  const parts = [
    f.finding.padEnd(12),
    entryKey(
      kind,
      f.baseUrl,
      f.groupId,
      f.username !== undefined ? { username: who } : { invitationId: who },
    ),
    f.roles.length > 0 ? f.roles.join(',') : '-',
    id !== undefined && id !== who ? `${f.api} ${id}` : f.api,
  ];
  if (f.expiresAt !== undefined) parts.push(`expires ${f.expiresAt}`);
  if (f.declaredRoles !== undefined) parts.push(`declared ${f.declaredRoles.join(',')}`);
  if (f.finding === 'accepted') parts.push('member');
  // Every hint names the stack it is about: the command runs in that stack's directory.
  if (f.stack !== undefined && f.finding !== 'accepted') parts.push(`stack ${f.stack}`);
  if (f.address !== undefined && (f.finding === 'not-pending' || f.finding === 'roles-differ')) {
    parts.push(
      f.invitationId !== undefined && f.username === undefined
        ? `gone: remove ${f.address} from the code`
        : `fix: ${replaceCommand(f.address)}`,
    );
  }
  if (f.finding === 'duplicate' && f.stacks !== undefined) {
    parts.push(
      `declared ${f.stacks.length} times, in stacks ${f.stacks.join(', ')}: keep one declaration ` +
        `(removing one cancels the invitation the others declare; then terraform apply -replace its ` +
        `roles instance in the stack that keeps it)`,
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
