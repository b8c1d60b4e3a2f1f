// `mongodb-invitations audit [STACK_DIR…] [--group-id ID…] [--json | --format markdown] [--exit-code]
// [--adopt FILE|- [--merge] | --prune [--yes] | --reinvite [--yes]]`: GET only (DELETE only with --prune --yes,
// invitations only with --reinvite --yes). Exit 0; 3 with --exit-code when code and server differ; 1 on a
// failure; 2 bad usage or stack files. docs/audit.md; docs/decisions/0006-audit-roles-differ.md.
import { InvitationClient, type PendingPerson } from '../../client/invitation-client';
import { buildClientOptions, type Warning } from '../client-options';
import { commandHelp } from '../help';
import { UsageError, wantsHelp } from '../options';
import type { CommandSettings } from '../options';
import { Output, type JsonValue } from '../output';
import type { CliIo } from '../io';
import { adoptEntries, checkAdoptTarget, writeAdopted } from './adopt';
import { namedProjects, parseAuditFlags } from './flags';
import { compareProject, type Finding } from './compare';
import { renderAuditMarkdown } from './markdown';
import { clientKeyOf, groupProjects, type AuditProject } from './projects';
import { prune, type PruneTarget } from './prune';
import { planReinvites, reinvite, type ReinviteTarget } from './reinvite';
import { DEFAULT_STACKS_DIR, findStacks, readStacks } from './read-stacks';
import { countFindings, humanLine, isDifference, summary } from './report';
import { validateEntries } from './validate-entry';

export { parseAuditFlags } from './flags';

/** Projects read at once. */
export const AUDIT_CONCURRENCY = 4;

interface ProjectResult {
  readonly project: AuditProject;
  readonly findings: Finding[];
  readonly pending: readonly PendingPerson[];
  readonly error?: unknown;
}

async function auditProject(client: InvitationClient, project: AuditProject): Promise<ProjectResult> {
  try {
    const pending = await client.listPending(project.groupId);
    let result = compareProject(project, pending, undefined);
    if (result.needsMembers)
      result = compareProject(project, pending, await client.listMembers(project.groupId));
    return { project, findings: result.findings, pending };
  } catch (error) {
    return { project, findings: [], pending: [], error };
  }
}

/** Runs `work` over `items`, at most `limit` at once, keeping the order of the results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function runAudit(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.stdout.write(commandHelp('audit'));
    return 0;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  const clients = new Map<string, InvitationClient>();
  try {
    const flags = parseAuditFlags(args);
    const cwd = io.cwd ?? process.cwd();
    const adoptTarget =
      flags.adopt === undefined ? undefined : checkAdoptTarget(flags.adopt, flags.merge, cwd);
    const named = namedProjects(flags, env);
    const warn = (text: string) => output.line('⚠', text);
    const read = readStacks(findStacks(flags.stacks, cwd), cwd, warn, named.length > 0);
    const { entries, problems } = validateEntries(read.entries);
    if (problems.length > 0) {
      const shown = problems.slice(0, 20);
      const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
      throw new UsageError(`audit: refused, nothing was sent: ${shown.join('; ')}${more}`);
    }
    // What an unreadable stack declares is unknown: cancelling "undeclared" people could cancel its own,
    // and a person it declares too is a duplicate, whom --reinvite leaves alone.
    if ((flags.prune || flags.reinvite) && read.unreadable.length > 0) {
      const n = read.unreadable.length;
      const [flag, what] = flags.prune
        ? ['--prune', 'declare people it would cancel']
        : ['--reinvite', 'declare the people it would invite again too'];
      throw new UsageError(
        `audit: ${flag} refused, nothing was sent: ${n} stack${n === 1 ? '' : 's'} skipped above could ` +
          `${what}; synthesize again, or remove what does not belong there`,
      );
    }
    if (named.length === 0 && read.withBlocks === 0) {
      throw new UsageError(
        `audit: no stack in ${flags.stacks.length > 0 ? 'those named' : DEFAULT_STACKS_DIR} holds a ` +
          'ProjectInvitations block: nothing to audit (what a removed construct left pending: ' +
          'audit --group-id ID)',
      );
    }
    const { projects, warnings } = groupProjects(entries, env, flags.json, named);
    for (const w of warnings) output.line('⚠', w);
    // Every credential is resolved before the first request: a missing variable is exit 2, nothing sent.
    const clientWarnings: Warning[] = [];
    const clientFor = (settings: CommandSettings): InvitationClient => {
      const key = clientKeyOf(settings);
      let client = clients.get(key);
      if (client === undefined) {
        client = new InvitationClient(buildClientOptions(settings, env, output, clientWarnings));
        clients.set(key, client);
      }
      return client;
    };
    for (const p of projects) clientFor(p.settings);
    const clientOf = (p: AuditProject) => clients.get(p.clientKey) as InvitationClient;
    const results = await mapLimit(projects, AUDIT_CONCURRENCY, (p) => auditProject(clientOf(p), p));

    let failed = 0;
    const findings: Finding[] = [];
    const notRead: string[] = [];
    const markdown = flags.format === 'markdown';
    // With `--adopt -` stdout carries the file; the finding lines go to stderr.
    const humanOut = (text: string) =>
      adoptTarget?.kind === 'stdout' ? output.stderr(text) : output.stdout(text);
    for (const r of results) {
      if (r.error !== undefined) {
        failed++;
        output.fail('audit', r.error, `project ${r.project.groupId} at ${r.project.baseUrl} was not read`);
        const why = r.error instanceof Error ? r.error.message : String(r.error);
        notRead.push(`project ${r.project.groupId} at ${r.project.baseUrl} was not read: ${why}`);
        continue;
      }
      findings.push(...r.findings);
      if (markdown) continue;
      if (output.jsonMode) {
        for (const f of r.findings) output.json(f as unknown as JsonValue);
        continue;
      }
      // One write per project: thousands of findings are one chunk, not thousands of writes.
      const lines = r.findings.map(humanLine).filter((l) => l !== undefined);
      if (lines.length > 0) humanOut(`${lines.join('\n')}\n`);
    }
    const counts = countFindings(findings);
    const skipped = read.unreadable.length;
    const text = `audit: ${summary(projects.length, entries.length, counts)}${skipped > 0 ? `; ${skipped} stack${skipped === 1 ? '' : 's'} skipped, unreadable` : ''}`;
    output.line(failed === 0 && skipped === 0 && !findings.some(isDifference) ? '✔' : '⚠', text);
    if (markdown) {
      output.stdout(
        renderAuditMarkdown({
          projects: projects.length,
          entries: entries.length,
          findings,
          notRead,
          skipped: read.unreadable,
        }),
      );
    }

    if (adoptTarget !== undefined) {
      const { entries: adopted, conflicts } = adoptEntries(findings);
      for (const c of conflicts)
        output.line('⚠', `${c} is pending more than once with different roles: check ${flags.adopt ?? ''}`);
      output.line(
        '✔',
        writeAdopted(adoptTarget, adopted, (t) => output.stdout(t)),
      );
    }

    let remaining = findings.filter(isDifference).length + skipped;
    if (flags.prune) {
      const targets: PruneTarget[] = [];
      for (const r of results) {
        for (const f of r.findings) {
          if (f.finding !== 'undeclared') continue;
          const id = f.invitationId ?? f.userId;
          const record = r.pending.find((p) => p.api === f.api && p.id === id);
          if (record) targets.push({ finding: f, record, client: clientOf(r.project) });
        }
      }
      const pruned = await prune(targets, flags.yes, output);
      if (!flags.yes) return failed > 0 ? 1 : 0;
      failed += pruned.failed;
      remaining -= pruned.settled;
    }
    if (flags.reinvite) {
      const listed = results.filter((r) => r.error === undefined);
      const { targets, refusals } = planReinvites(listed, env, flags.json);
      // Every credential is resolved before the first invitation: a missing variable is exit 2, none sent.
      const clientOfTarget = new Map<ReinviteTarget, InvitationClient>(
        targets.map((t) => [t, clientFor(t.settings)]),
      );
      const done = await reinvite(
        targets,
        refusals,
        (t) => clientOfTarget.get(t) as InvitationClient,
        flags.yes,
        output,
      );
      failed += done.failed;
      remaining -= done.settled;
    }
    if (failed > 0) return 1;
    return flags.exitCode && remaining > 0 ? 3 : 0;
  } catch (err) {
    return output.fail('audit', err);
  } finally {
    await Promise.all(
      [...clients.values()].map((c) =>
        c.close({ leaveConnectionsToExit: io.exitsAfter === true }).catch(() => undefined),
      ),
    );
  }
}
