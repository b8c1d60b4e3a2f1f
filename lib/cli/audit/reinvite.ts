// `audit --reinvite`: invites again, with their declared roles, the declared people whose invitation expired
// or was declined (`not-pending` person entries), each with the settings its own roles instance's invite
// would run with. Never anyone undeclared, never an adopted id (it cannot be sent again), never a person
// declared twice. Without --yes it only says what it would send (no prompt: pipelines run it). With --yes,
// each person is listed again just before: someone pending again, or a member by now, is left alone.
import type { InvitationClient } from '../../client/invitation-client';
import { resolveSettings, UsageError, type CommandSettings } from '../options';
import type { JsonValue, Output } from '../output';
import type { Finding } from './compare';
import { entryEnv, type AuditProject } from './projects';
import type { DeclaredEntry } from './validate-entry';

/** A declared person to invite again: the finding, its entry, and the settings of the entry's invite. */
export interface ReinviteTarget {
  readonly finding: Finding;
  readonly entry: DeclaredEntry;
  /** What `mongodb-invitations invite` run by the entry's roles instance would run with. */
  readonly settings: CommandSettings;
}

/** A finding that looks like one to invite again, but is not: the line says what to do instead. */
export interface ReinviteRefusal {
  readonly finding: Finding;
  readonly reason: 'adopted-id' | 'duplicate';
}

export interface ReinviteResult {
  /** Invited again, or pending again or a member by the time of the re-check: not-pending no more. */
  readonly settled: number;
  readonly failed: number;
}

/**
 * Who `--reinvite` would invite again, and the findings it leaves (adopted ids, duplicates), in the order of
 * the projects. Throws UsageError (exit 2, nothing sent) when an entry's invite settings are wrong.
 */
export function planReinvites(
  results: readonly { readonly project: AuditProject; readonly findings: readonly Finding[] }[],
  env: NodeJS.ProcessEnv,
  json: boolean,
): { targets: ReinviteTarget[]; refusals: ReinviteRefusal[] } {
  const targets: ReinviteTarget[] = [];
  const refusals: ReinviteRefusal[] = [];
  const problems: string[] = [];
  for (const { project, findings } of results) {
    for (const f of findings) {
      if (f.finding === 'duplicate') {
        // Nothing pending (no id): the kind --reinvite would otherwise send again.
        if (f.username !== undefined && f.invitationId === undefined && f.userId === undefined)
          refusals.push({ finding: f, reason: 'duplicate' });
        continue;
      }
      if (f.finding !== 'not-pending') continue;
      if (f.username === undefined) {
        refusals.push({ finding: f, reason: 'adopted-id' });
        continue;
      }
      // A not-pending person is declared once in its project (else it is a duplicate).
      const entry = project.entries.find((e) => e.username === f.username);
      if (entry === undefined) continue;
      try {
        const settings = resolveSettings('invite', json ? ['--json'] : [], entryEnv(entry, env));
        targets.push({ finding: f, entry, settings });
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        problems.push(`${entry.file}: ${entry.address}: ${err.message}`);
      }
    }
  }
  if (problems.length > 0)
    throw new UsageError(`audit: --reinvite refused, nothing was sent:\n- ${problems.join('\n- ')}`);
  return { targets, refusals };
}

const where = (f: Finding) => `in project ${f.groupId} at ${f.baseUrl}`;
const describe = (t: ReinviteTarget) =>
  `${t.settings.username ?? ''} with ${(t.settings.roles ?? []).join(',')} ${where(t.finding)}`;

const jsonOf = (t: ReinviteTarget, reinvite: string, extra: Record<string, JsonValue | undefined> = {}) => ({
  reinvite,
  target: t.finding.target,
  baseUrl: t.settings.baseUrl,
  groupId: t.finding.groupId,
  username: t.settings.username,
  roles: [...(t.settings.roles ?? [])],
  api: t.finding.api,
  address: t.finding.address,
  stack: t.finding.stack,
  ...extra,
});

/** The line and JSON object for a finding `--reinvite` leaves alone, saying what to do instead. */
function refuse({ finding: f, reason }: ReinviteRefusal, output: Output): void {
  if (reason === 'adopted-id') {
    output.line(
      '⚠',
      `not invited again: adopted invitation ${f.invitationId ?? ''} ${where(f)} is not pending, and an ` +
        `invitation id cannot be sent again: remove ${f.address ?? 'its entry'} from the code` +
        `${f.stack === undefined ? '' : ` (stack ${f.stack})`}, and declare the person by username and ` +
        'roles to invite them',
    );
  } else {
    const stacks = f.stacks ?? [];
    output.line(
      '⚠',
      `not invited again: ${f.username ?? ''} ${where(f)} is declared ${stacks.length} times (stacks ` +
        `${stacks.join(', ')}): keep one declaration, then run audit --reinvite again`,
    );
  }
  output.json({
    reinvite: 'not-reinvited',
    reason,
    target: f.target,
    baseUrl: f.baseUrl,
    groupId: f.groupId,
    username: f.username,
    invitationId: f.invitationId,
    address: f.address,
    stack: f.stack,
    stacks: f.stacks === undefined ? undefined : [...f.stacks],
  });
}

const SAID = {
  invited: 'invited again',
  'already-pending': 'pending again with these roles by now (nothing sent)',
  'already-member': 'a member with these roles by now (nothing sent)',
  'roles-updated': 'roles set on what was there by now',
  'added-as-member': 'added to the project at once',
} as const;

export async function reinvite(
  targets: readonly ReinviteTarget[],
  refusals: readonly ReinviteRefusal[],
  clientOf: (t: ReinviteTarget) => InvitationClient,
  yes: boolean,
  output: Output,
): Promise<ReinviteResult> {
  for (const r of refusals) refuse(r, output);
  if (!yes) {
    for (const t of targets) {
      const stack = t.finding.stack === undefined ? '' : ` (stack ${t.finding.stack})`;
      output.line('⚠', `would invite again ${describe(t)}${stack}`);
      output.json(jsonOf(t, 'would-invite'));
    }
    const n = targets.length;
    output.line(
      '⚠',
      `--reinvite without --yes: nothing was sent; ${n} would be invited again (run again with --yes)`,
    );
    return { settled: 0, failed: 0 };
  }
  if (targets.length === 0) output.line('✔', '--reinvite: nobody to invite again');
  let settled = 0;
  let failed = 0;
  // One at a time: invitations share the API's rate limit, and the order of the lines is the order sent.
  for (const t of targets) {
    const { groupId } = t.finding;
    const username = t.settings.username as string;
    const client = clientOf(t);
    try {
      // The audit's lists may be minutes old: the person may have been invited or accepted meanwhile.
      const pending = await client.listPending(groupId, { username });
      if (pending.length > 0) {
        settled++;
        const apis = [...new Set(pending.map((p) => p.api))].join(', ');
        output.line('✔', `not invited again, pending by now (${apis}): ${describe(t)}`);
        output.json(jsonOf(t, 'pending'));
        continue;
      }
      const members = await client.listMembers(groupId);
      if (members.some((m) => m.username.toLowerCase() === username)) {
        settled++;
        output.line('✔', `not invited again, a member by now: ${describe(t)}`);
        output.json(jsonOf(t, 'member'));
        continue;
      }
      const result = await client.invitePerson(groupId, {
        username,
        roles: t.settings.roles ?? [],
        ...(t.settings.api === undefined ? {} : { api: t.settings.api }),
      });
      settled++;
      const expires = result.expiresAt === undefined ? '' : `, expires ${result.expiresAt}`;
      output.line('✔', `${SAID[result.outcome]}: ${describe(t)} [${result.api}${expires}]`);
      output.json(
        jsonOf(t, result.outcome, {
          api: result.api,
          id: result.id,
          expiresAt: result.expiresAt,
        }),
      );
    } catch (err) {
      failed++;
      output.fail('audit', err, `inviting ${describe(t)} again failed`);
      output.json(jsonOf(t, 'failed'));
    }
  }
  return { settled, failed };
}
