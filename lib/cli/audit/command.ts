// `mongodb-invitations audit [STACK_DIR…] [--group-id ID…] [--json] [--exit-code] [--adopt FILE|- [--merge] |
// --prune [--yes]]`: GET only (DELETE only with --prune --yes). Exit 0; 3 with --exit-code when code and server
// differ; 1 on a failure; 2 bad usage or stack files. docs/audit.md; docs/decisions/0006-audit-roles-differ.md.
import { parseArgs } from 'node:util';
import { ambientName } from '../../contract/keys';
import { InvitationClient, type PendingPerson } from '../../client/invitation-client';
import { buildClientOptions, type Warning } from '../client-options';
import { commandHelp } from '../help';
import { checkArguments, resolveSettings, UsageError, wantsHelp } from '../options';
import { Output, type JsonValue } from '../output';
import type { CliIo } from '../io';
import { adoptEntries, checkAdoptTarget, writeAdopted } from './adopt';
import { compareProject, type Finding } from './compare';
import { groupProjects, type AuditProject, type NamedProject } from './projects';
import { prune, type PruneTarget } from './prune';
import { DEFAULT_STACKS_DIR, findStacks, readStacks } from './read-stacks';
import { countFindings, humanLine, isDifference, summary } from './report';
import { validateEntries } from './validate-entry';

/** Projects read at once. */
export const AUDIT_CONCURRENCY = 4;

interface AuditFlags {
  readonly stacks: string[];
  readonly groupIds: string[];
  readonly target: string | undefined;
  readonly baseUrl: string | undefined;
  readonly json: boolean;
  readonly exitCode: boolean;
  readonly adopt: string | undefined;
  readonly merge: boolean;
  readonly prune: boolean;
  readonly yes: boolean;
}

/** Parses audit's arguments. Throws UsageError. */
export function parseAuditFlags(args: string[]): AuditFlags {
  checkArguments(args);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        'group-id': { type: 'string', multiple: true },
        target: { type: 'string' },
        'base-url': { type: 'string' },
        json: { type: 'boolean' },
        'exit-code': { type: 'boolean' },
        adopt: { type: 'string' },
        merge: { type: 'boolean' },
        prune: { type: 'boolean' },
        yes: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const first = (raw.replace(/^\w*Error \[\w+\]: /, '').split('\n')[0] ?? raw).split('. ')[0];
    throw new UsageError(`audit: ${first}; run "mongodb-invitations audit --help" for the usage`);
  }
  const v = parsed.values;
  if (v.yes === true && v.prune !== true) throw new UsageError('audit: --yes goes with --prune');
  if (v.adopt !== undefined && v.prune === true) {
    throw new UsageError('audit: --adopt keeps the undeclared invitations, --prune cancels them: choose one');
  }
  if (v.adopt === '') throw new UsageError('audit: --adopt needs a file name');
  if (v.merge === true && (v.adopt === undefined || v.adopt === '-')) {
    throw new UsageError('audit: --merge goes with --adopt FILE');
  }
  if (v.adopt === '-' && v.json === true) {
    throw new UsageError('audit: --adopt - and --json both write to stdout: choose one');
  }
  const groupIds = v['group-id'] ?? [];
  if (groupIds.length === 0 && (v.target !== undefined || v['base-url'] !== undefined)) {
    throw new UsageError('audit: --target and --base-url go with --group-id');
  }
  return {
    stacks: parsed.positionals,
    groupIds,
    target: v.target,
    baseUrl: v['base-url'],
    json: v.json === true,
    exitCode: v['exit-code'] === true,
    adopt: v.adopt,
    merge: v.merge === true,
    prune: v.prune === true,
    yes: v.yes === true,
  };
}

/** The projects of `--group-id`, read with the flags and the ambient variables (as `list` would). */
function namedProjects(flags: AuditFlags, env: NodeJS.ProcessEnv): NamedProject[] {
  return flags.groupIds.map((groupId) => {
    const target = flags.target ?? (env[ambientName('target')] ? undefined : 'atlas');
    const args = [
      '--group-id',
      groupId,
      ...(target === undefined ? [] : ['--target', target]),
      ...(flags.baseUrl === undefined ? [] : ['--base-url', flags.baseUrl]),
      ...(flags.json ? ['--json'] : []),
    ];
    try {
      return { settings: resolveSettings('list', args, env) };
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`audit: ${err.message}`);
      throw err;
    }
  });
}

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
    // What an unreadable stack declares is unknown: cancelling "undeclared" people could cancel its own.
    if (flags.prune && read.unreadable.length > 0) {
      const n = read.unreadable.length;
      throw new UsageError(
        `audit: --prune refused, nothing was sent: ${n} stack${n === 1 ? '' : 's'} skipped above could ` +
          'declare people it would cancel; synthesize again, or remove what does not belong there',
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
    for (const p of projects) {
      if (!clients.has(p.clientKey)) {
        clients.set(
          p.clientKey,
          new InvitationClient(buildClientOptions(p.settings, env, output, clientWarnings)),
        );
      }
    }
    const clientOf = (p: AuditProject) => clients.get(p.clientKey) as InvitationClient;
    const results = await mapLimit(projects, AUDIT_CONCURRENCY, (p) => auditProject(clientOf(p), p));

    let failed = 0;
    const findings: Finding[] = [];
    // With `--adopt -` stdout carries the file; the finding lines go to stderr.
    const humanOut = (text: string) =>
      adoptTarget?.kind === 'stdout' ? output.stderr(text) : output.stdout(text);
    for (const r of results) {
      if (r.error !== undefined) {
        failed++;
        output.fail('audit', r.error, `project ${r.project.groupId} at ${r.project.baseUrl} was not read`);
        continue;
      }
      findings.push(...r.findings);
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
    if (failed > 0) return 1;
    return flags.exitCode && remaining > 0 ? 3 : 0;
  } catch (err) {
    return output.fail('audit', err);
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close().catch(() => undefined)));
  }
}
