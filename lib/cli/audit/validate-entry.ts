// `audit` step 2: every entry of a `cdk.tf.json` is checked with lib/contract's rules (as at synth and at
// destroy), so a crafted file cannot aim the command elsewhere; any problem refuses the whole run (exit 2).
// See docs/audit.md, "What it refuses".
import { BLOCK_NAME, ENTRY_KEYS, SETTING_KEYS, type EntryKey, type EntryValues } from '../../contract/keys';
import {
  canonicalBaseUrl,
  checkNoControlCharacters,
  checkObjectId,
  checkUsername,
  quote,
  entryKey,
} from '../../contract/rules';
import { checkRoles, parseRoles, sortRoles } from '../../contract/roles';
import { decodeLiteral } from '../../contract/literal';
import { checkPair, checkSetting, CREDENTIAL_PAIRS, TARGETS, type TargetKind } from '../../contract/settings';
import type { RawEntry } from './read-stacks';
import type { BlockType } from './stack-entries';

/** Longest value read from an entry (a base URL or a token cache path is the longest real one). */
export const MAX_VALUE_LENGTH = 2048;

/** A checked entry: what the code declares, and where. */
export interface DeclaredEntry {
  readonly file: string;
  readonly stack: string;
  readonly resourceType: BlockType;
  readonly key: string;
  /** The identity instance, `terraform_data.mongodb_invitations["<key>"]` (its destroy revokes). */
  readonly address: string;
  /** The instance `terraform apply -replace=…` invites again (the roles block's, where there is one). */
  readonly replaceAddress: string;
  /** Its project is audited (a named stack, or any when none is named); else it only declares. */
  readonly inScope: boolean;
  /** Every key's literal value ('' = unset), as the provisioner would pass it. */
  readonly values: EntryValues;
  readonly target: TargetKind;
  /** Canonical. */
  readonly baseUrl: string;
  readonly groupId: string;
  /** Lower case; undefined for an id entry. */
  readonly username: string | undefined;
  readonly invitationId: string | undefined;
  /** Sorted; empty for an id entry. */
  readonly roles: readonly string[];
}

const KNOWN = new Set<string>(ENTRY_KEYS);

/** The checked entry, or the problems with it (each naming the file and the key). */
export function validateEntry(raw: RawEntry): { entry: DeclaredEntry } | { problems: string[] } {
  const where = `${raw.file}: ${raw.resourceType}.${BLOCK_NAME}[${quote(raw.key)}]`;
  const problems: string[] = [];
  const fail = (text: string) => ({ problems: [`${where}: ${text}`] });
  if (raw.key.length > MAX_VALUE_LENGTH) return fail('the key is too long');
  const keyProblem = checkNoControlCharacters('the key', raw.key);
  if (keyProblem) return fail(keyProblem);
  if (typeof raw.values !== 'object' || raw.values === null || Array.isArray(raw.values)) {
    return fail('the entry is not an object of strings');
  }
  const given = raw.values as Record<string, unknown>;
  const values = {} as Record<EntryKey, string>;
  for (const name of Object.keys(given)) if (!KNOWN.has(name)) problems.push(`unknown key ${quote(name)}`);
  for (const name of ENTRY_KEYS) {
    const value = given[name];
    // Settings added after an entry was synthesized read as unset, like try(self.input.x, "").
    if (value === undefined && (SETTING_KEYS as readonly string[]).includes(name)) {
      values[name] = '';
      continue;
    }
    if (typeof value !== 'string') {
      problems.push(`${name} must be a string (every key is written, '' when unset)`);
      continue;
    }
    const text = value.length > MAX_VALUE_LENGTH ? undefined : decodeLiteral(value);
    if (text === undefined)
      problems.push(`${name} is too long or not a literal value (value: ${quote(value)})`);
    else values[name] = text;
  }
  if (problems.length > 0) return { problems: problems.map((p) => `${where}: ${p}`) };

  for (const key of SETTING_KEYS) {
    const problem = values[key] === '' ? undefined : checkSetting(key, key, values[key]);
    if (problem) problems.push(problem);
  }
  const target = values.target as TargetKind;
  if (!(TARGETS as readonly string[]).includes(target)) {
    problems.push(`target must be ${TARGETS.join(' or ')} (value: ${quote(values.target)})`);
  }
  const allowInsecureHttp = values.allow_insecure_http === 'true';
  const parsed =
    values.base_url === ''
      ? { ok: false as const, problem: 'base_url must be set' }
      : canonicalBaseUrl(target === 'ops-manager' ? target : 'atlas', values.base_url, { allowInsecureHttp });
  if (!parsed.ok) problems.push(parsed.problem.replace(/^base URL/, 'base_url'));
  const groupProblem = checkObjectId('group_id', values.group_id);
  if (groupProblem) problems.push(groupProblem);
  const person = values.username !== '';
  let roles: string[] = [];
  if (person === (values.invitation_id !== '')) {
    problems.push('exactly one of username and invitation_id must be set');
  } else if (person) {
    const usernameProblem = checkUsername('username', values.username);
    if (usernameProblem) problems.push(usernameProblem);
    roles = parseRoles(values.roles);
    const rolesProblem = checkRoles('roles', roles);
    if (rolesProblem) problems.push(rolesProblem);
  } else {
    const idProblem = checkObjectId('invitation_id', values.invitation_id);
    if (idProblem) problems.push(idProblem);
    if (values.roles !== '') problems.push('roles must be empty for an invitation id entry');
  }
  for (const [a, b] of CREDENTIAL_PAIRS) {
    const pair = checkPair({ label: a, set: values[a] !== '' }, { label: b, set: values[b] !== '' });
    if (pair) problems.push(pair);
  }
  if (problems.length > 0 || !parsed.ok) return { problems: problems.map((p) => `${where}: ${p}`) };

  const username = person ? values.username.toLowerCase() : undefined;
  const expectedKey = entryKey(
    target,
    parsed.url,
    values.group_id,
    username !== undefined ? { username } : { invitationId: values.invitation_id },
  );
  if (raw.key !== expectedKey) {
    return fail(`the key does not match the entry's values (expected ${quote(expectedKey)})`);
  }
  return {
    entry: {
      file: raw.file,
      stack: raw.stack,
      resourceType: raw.resourceType,
      key: raw.key,
      address: raw.address,
      replaceAddress: raw.replaceAddress,
      inScope: raw.inScope,
      values: values as EntryValues,
      target,
      baseUrl: parsed.url,
      groupId: values.group_id,
      username,
      invitationId: person ? undefined : values.invitation_id,
      roles: sortRoles(roles),
    },
  };
}

/** Checks every entry; throws nothing, returns the entries and every problem found. */
export function validateEntries(raw: readonly RawEntry[]): { entries: DeclaredEntry[]; problems: string[] } {
  const entries: DeclaredEntry[] = [];
  const problems: string[] = [];
  for (const r of raw) {
    const result = validateEntry(r);
    if ('entry' in result) entries.push(result.entry);
    else problems.push(...result.problems);
  }
  return { entries, problems };
}
