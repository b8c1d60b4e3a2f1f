// `audit` step 3: group entries by project (target kind, group id: every base URL spelling is one declared
// set) with the settings the revoke of its first entry would run with (resolveSettings on
// MONGODB_INVITATIONS_ENTRY_*), or those of `--group-id`'s flags. See docs/audit.md.
import { ENTRY_ADDRESS_ENV, ENTRY_KEYS, entryName, SETTING_KEYS } from '../../contract/keys';
import { resolveSettings, UsageError, type CommandSettings } from '../options';
import type { DeclaredEntry } from './validate-entry';

/** One project to audit, what every stack read declares in it, and how to read it. */
export interface AuditProject {
  readonly target: CommandSettings['target'];
  /** The base URL it is read through. */
  readonly baseUrl: string;
  readonly groupId: string;
  /** The settings it is read with: `--group-id`'s, else those of its first entry (by key). */
  readonly settings: CommandSettings;
  /** Identifies the client that can serve this project (same base URL and credential settings). */
  readonly clientKey: string;
  /** Every entry of this target kind and project id, under any base URL spelling: one declared set. */
  readonly entries: readonly DeclaredEntry[];
}

/** A project named with `audit --group-id`, and the settings of its flags and variables. */
export interface NamedProject {
  readonly settings: CommandSettings;
}

/** The environment a provisioner would give the revoke of this entry: the parent's, plus the entry. */
export function entryEnv(entry: DeclaredEntry, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const key of ENTRY_KEYS) out[entryName(key)] = entry.values[key];
  out[ENTRY_ADDRESS_ENV] = entry.address;
  return out;
}

/** What decides which credentials and connection a request uses. */
export function clientKeyOf(s: CommandSettings): string {
  return JSON.stringify([
    s.target,
    s.baseUrl,
    s.auth ?? '',
    s.credentialNames,
    s.tokenCache ?? '',
    s.timeoutMs ?? '',
    s.maxRetries ?? '',
    s.allowInsecureHttp,
    s.http ?? '',
  ]);
}

/** A project is its id (DESIGN decision 14): one per target kind and group id, whatever the base URL. */
const projectKey = (target: string, groupId: string) => `${target} ${groupId}`;

/**
 * Projects in a stable order: those named with `--group-id` when any, else those the stacks in scope
 * declare in. Warns when one project is reached through several base URLs, or when its entries name
 * different credentials.
 */
export function groupProjects(
  entries: readonly DeclaredEntry[],
  env: NodeJS.ProcessEnv,
  json: boolean,
  named: readonly NamedProject[] = [],
): { projects: AuditProject[]; warnings: string[] } {
  const byProject = new Map<string, DeclaredEntry[]>();
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const e of sorted) {
    const k = projectKey(e.target, e.groupId);
    const list = byProject.get(k);
    if (list) list.push(e);
    else byProject.set(k, [e]);
  }
  const projects: AuditProject[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  // resolveSettings once per distinct set of settings (2,000 entries usually share one or two).
  const cache = new Map<string, CommandSettings | undefined>();
  const settingsOf = (e: DeclaredEntry): CommandSettings | undefined => {
    const signature = JSON.stringify([e.target, e.baseUrl, ...SETTING_KEYS.map((k) => e.values[k])]);
    if (cache.has(signature)) return cache.get(signature);
    let settings: CommandSettings | undefined;
    try {
      settings = { ...resolveSettings('revoke', json ? ['--json'] : [], entryEnv(e, env)), command: 'list' };
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      problems.push(`${e.file}: ${e.address}: ${err.message}`);
    }
    cache.set(signature, settings);
    return settings;
  };
  const add = (list: readonly DeclaredEntry[], settings: CommandSettings) => {
    const clientKey = clientKeyOf(settings);
    const urls = [...new Set([settings.baseUrl, ...list.map((e) => e.baseUrl)])];
    if (urls.length > 1) {
      warnings.push(
        `project ${settings.groupId} is reached through ${urls.length} base URLs (${urls.join(', ')}): ` +
          `one project, one declared set, read through ${settings.baseUrl}; spell its base URL one way`,
      );
    }
    const first = list.find((e) => e.baseUrl === settings.baseUrl);
    const other = list.find((e) => {
      if (e.baseUrl !== settings.baseUrl) return false;
      const s = settingsOf(e);
      return s !== undefined && clientKeyOf(s) !== clientKey;
    });
    if (first && other) {
      warnings.push(
        `entries of project ${settings.groupId} at ${settings.baseUrl} name different credentials or settings ` +
          `(${first.key} and ${other.key}): the project is read with those of ${first.key}`,
      );
    }
    projects.push({
      target: settings.target,
      baseUrl: settings.baseUrl,
      groupId: settings.groupId,
      settings,
      clientKey,
      entries: list,
    });
  };
  if (named.length > 0) {
    const done = new Set<string>();
    for (const { settings } of named) {
      const k = projectKey(settings.target, settings.groupId);
      if (done.has(k)) continue;
      done.add(k);
      add(byProject.get(k) ?? [], settings);
    }
  } else {
    for (const list of byProject.values()) {
      if (!list.some((e) => e.inScope)) continue;
      const first = list[0] as DeclaredEntry;
      const settings = settingsOf(first);
      if (settings) add(list, { ...settings, groupId: first.groupId });
    }
  }
  if (problems.length > 0)
    throw new UsageError(`audit: refused, nothing was sent:\n- ${problems.join('\n- ')}`);
  return { projects, warnings };
}
