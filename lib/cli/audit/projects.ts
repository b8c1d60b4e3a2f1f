// `audit` step 3: group entries by project (target, base URL, group id) with the settings the revoke of its
// first entry would run with (resolveSettings on MONGODB_INVITATIONS_ENTRY_*), so credentials come only from
// the variables the entry names. See docs/audit.md and docs/decisions/0003-one-stack-wide-block.md.
import { ENTRY_ADDRESS_ENV, ENTRY_KEYS, entryName, SETTING_KEYS } from '../../contract/keys';
import { resolveSettings, UsageError, type CommandSettings } from '../options';
import type { DeclaredEntry } from './validate-entry';

/** One project the code declares entries in, and how to read it. */
export interface AuditProject {
  readonly target: CommandSettings['target'];
  readonly baseUrl: string;
  readonly groupId: string;
  /** The settings of the first entry (by key): credentials, auth, timeouts. */
  readonly settings: CommandSettings;
  /** Identifies the client that can serve this project (same base URL and credential settings). */
  readonly clientKey: string;
  readonly entries: readonly DeclaredEntry[];
}

/** The environment a provisioner would give the revoke of this entry: the parent's, plus the entry. */
export function entryEnv(entry: DeclaredEntry, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const key of ENTRY_KEYS) out[entryName(key)] = entry.values[key];
  out[ENTRY_ADDRESS_ENV] = entry.address;
  return out;
}

/** What decides which credentials and connection a request uses. */
function clientKeyOf(s: CommandSettings): string {
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

/** Projects in a stable order, with a warning for each whose entries name different credentials. */
export function groupProjects(
  entries: readonly DeclaredEntry[],
  env: NodeJS.ProcessEnv,
  json: boolean,
): { projects: AuditProject[]; warnings: string[] } {
  const byProject = new Map<string, DeclaredEntry[]>();
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const e of sorted) {
    const k = `${e.target} ${e.baseUrl} ${e.groupId}`;
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
  for (const list of byProject.values()) {
    const first = list[0] as DeclaredEntry;
    const settings = settingsOf(first);
    if (!settings) continue;
    const clientKey = clientKeyOf(settings);
    const other = list.find((e) => {
      const s = settingsOf(e);
      return s !== undefined && clientKeyOf(s) !== clientKey;
    });
    if (other) {
      warnings.push(
        `entries of project ${first.groupId} at ${first.baseUrl} name different credentials or settings ` +
          `(${first.key} and ${other.key}): the project is read with those of ${first.key}`,
      );
    }
    projects.push({
      target: first.target,
      baseUrl: first.baseUrl,
      groupId: first.groupId,
      settings,
      clientKey,
      entries: list,
    });
  }
  if (problems.length > 0)
    throw new UsageError(`audit: refused, nothing was sent:\n- ${problems.join('\n- ')}`);
  return { projects, warnings };
}
