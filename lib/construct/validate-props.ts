// Pure checks of the construct's props: each returns a list of problems (empty when fine), so the
// construct collects all of them and throws once. Every rule comes from lib/contract, applied to the very
// text that is written to state, so what synth accepts the CLI accepts at destroy time.
import { Token, type LocalExecProvisioner } from './cdk';
import {
  CREDENTIAL_SETTINGS,
  IDENTITY_LINK_KEY,
  RESOURCE_TYPES as RESOURCE_TYPES_OF_CONTRACT,
  type SettingKey,
} from '../contract/keys';
import { canonicalBaseUrl, checkObjectId, checkUsername, quote } from '../contract/rules';
import { checkRoles } from '../contract/roles';
import { AUTH_MODES, ATLAS_APIS, checkPair, checkSetting, CREDENTIAL_PAIRS } from '../contract/settings';
import type { InvitationTarget } from './target';

/** A person invited on apply and whose pending invitation is cancelled when the entry is removed. */
export interface PersonEntry {
  /** The project (group) id: 24 lowercase hex characters. */
  readonly groupId: string;
  /** The person's e-mail address (compared in lower case). */
  readonly username: string;
  /** Project roles, at least one, such as `GROUP_READ_ONLY`. A change sets them in place (no new invitation). */
  readonly roles: readonly string[];
}

/** An invitation made elsewhere, adopted by id: checked on apply, cancelled when the entry is removed. */
export interface AdoptedEntry {
  /** The project (group) id: 24 lowercase hex characters. */
  readonly groupId: string;
  /** The invitation id: 24 lowercase hex characters. */
  readonly invitationId: string;
}

/** One entry: a person (`username` + `roles`) or an adopted invitation (`invitationId`). */
export type InvitationEntry = PersonEntry | AdoptedEntry;

/**
 * Names of the environment variables the CLI reads credentials from. Names only: the values are read
 * from the environment of whoever runs `terraform apply` and are never written anywhere. When any name
 * is given, only the named variables are read (never MongoDB's default ones).
 */
export interface InvitationCredentials {
  /**
   * Variable holding the API public key (HTTP Digest user name). Requires `privateKeyEnv`.
   *
   * @default - `MONGODB_ATLAS_PUBLIC_API_KEY` (and its aliases) for Atlas, `MCLI_PUBLIC_API_KEY` for Ops Manager
   */
  readonly publicKeyEnv?: string;
  /**
   * Variable holding the API private key (HTTP Digest password). Requires `publicKeyEnv`.
   *
   * @default - `MONGODB_ATLAS_PRIVATE_API_KEY` (and its aliases) for Atlas, `MCLI_PRIVATE_API_KEY` for Ops Manager
   */
  readonly privateKeyEnv?: string;
  /**
   * Variable holding the service account's client id. Requires `clientSecretEnv`.
   *
   * @default 'MONGODB_ATLAS_CLIENT_ID'
   */
  readonly clientIdEnv?: string;
  /**
   * Variable holding the service account's client secret. Requires `clientIdEnv`.
   *
   * @default 'MONGODB_ATLAS_CLIENT_SECRET'
   */
  readonly clientSecretEnv?: string;
  /**
   * Variable holding a static OAuth access token.
   *
   * @default 'MONGODB_ATLAS_ACCESS_TOKEN'
   */
  readonly accessTokenEnv?: string;
}

/** The settings the checks look at (a subset of the construct's props). */
export interface CheckedSettings {
  readonly credentials?: InvitationCredentials;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly tokenCache?: string;
  readonly removeAcceptedMembers?: boolean;
  readonly resourceType?: string;
}

const RESOURCE_TYPES: readonly string[] = RESOURCE_TYPES_OF_CONTRACT;
const KNOWN_AT_SYNTH = 'must be known at synth (a literal, not a Terraform expression or token)';

/** Problems with one entry, labelled `invitations[i]` (or `add()`). */
export function checkEntry(label: string, entry: InvitationEntry | undefined): string[] {
  if (entry === null || typeof entry !== 'object') {
    return [`${label} must be an object { groupId, username, roles } or { groupId, invitationId }`];
  }
  const fields = entry as Partial<Record<'groupId' | 'invitationId' | 'username' | 'roles', unknown>>;
  const problems: string[] = [];
  const text = (field: 'groupId' | 'invitationId' | 'username', check: typeof checkObjectId) => {
    const value = fields[field];
    if (Token.isUnresolved(value)) problems.push(`${label}.${field} ${KNOWN_AT_SYNTH}`);
    else if (typeof value !== 'string') problems.push(`${label}.${field} is required, as a string`);
    else {
      const problem = check(`${label}.${field}`, value);
      if (problem) problems.push(problem);
    }
  };
  text('groupId', checkObjectId);
  const person = fields.username !== undefined || fields.roles !== undefined;
  if (person && fields.invitationId !== undefined) {
    problems.push(
      `${label} has both invitationId and username: an entry is a person or an adopted invitation`,
    );
  } else if (person) {
    text('username', checkUsername);
    if (!Array.isArray(fields.roles)) {
      problems.push(`${label}.roles is required for a person: a list such as ["GROUP_READ_ONLY"]`);
    } else if (fields.roles.some((r) => Token.isUnresolved(r))) {
      problems.push(`${label}.roles ${KNOWN_AT_SYNTH}`);
    } else {
      const problem = checkRoles(`${label}.roles`, fields.roles);
      if (problem) problems.push(problem);
    }
  } else {
    text('invitationId', checkObjectId);
  }
  return problems;
}

/** Problems with the target. */
export function checkTarget(target: InvitationTarget | undefined): string[] {
  if (!target || typeof target !== 'object' || !('kind' in target)) {
    return ['target is required: use InvitationTarget.atlas() or InvitationTarget.opsManager({ baseUrl })'];
  }
  const problems: string[] = [];
  if (Token.isUnresolved(target.baseUrl)) {
    problems.push(`target.baseUrl ${KNOWN_AT_SYNTH}`);
  } else {
    const allowInsecureHttp = target.allowInsecureHttp === true;
    const parsed = canonicalBaseUrl(target.kind, target.baseUrl, { allowInsecureHttp });
    if (!parsed.ok) problems.push(parsed.problem.replace(/^base URL/, 'target.baseUrl'));
  }
  if (target.auth !== undefined && !(AUTH_MODES as readonly string[]).includes(target.auth)) {
    problems.push(
      `target.auth must be one of ${AUTH_MODES.join(', ')}, or left unset for automatic (value: ${quote(String(target.auth))})`,
    );
  }
  if (target.api !== undefined && !(ATLAS_APIS as readonly string[]).includes(target.api)) {
    problems.push(`target.api must be ${ATLAS_APIS.join(' or ')} (value: ${quote(String(target.api))})`);
  }
  return problems;
}

/** The setting texts written to state for these props (`""` = not set), keyed as in lib/contract. */
export function settingTexts(settings: CheckedSettings): Partial<Record<SettingKey, string>> {
  const text = (value: unknown) => (value === undefined ? '' : String(value));
  const credentials = settings.credentials ?? {};
  const out: Partial<Record<SettingKey, string>> = {
    timeout_ms: text(settings.timeoutMs),
    max_retries: text(settings.maxRetries),
    token_cache: text(settings.tokenCache),
    remove_accepted: text(settings.removeAcceptedMembers),
  };
  for (const [prop, key] of Object.entries(CREDENTIAL_SETTINGS)) {
    out[key] = text(credentials[prop as keyof InvitationCredentials]);
  }
  return out;
}

const PROP_OF: Partial<Record<SettingKey, string>> = {
  timeout_ms: 'timeoutMs',
  max_retries: 'maxRetries',
  token_cache: 'tokenCache',
  remove_accepted: 'removeAcceptedMembers',
  ...Object.fromEntries(Object.entries(CREDENTIAL_SETTINGS).map(([p, k]) => [k, `credentials.${p}`])),
};

/** Problems with credentials, options and resource type: the contract's rules on the written text. */
export function checkSettings(settings: CheckedSettings): string[] {
  const problems: string[] = [];
  const credentials = settings.credentials ?? {};
  const texts = settingTexts(settings);
  for (const [key, text] of Object.entries(texts) as [SettingKey, string][]) {
    const label = PROP_OF[key] ?? key;
    const raw: unknown = label.startsWith('credentials.')
      ? credentials[label.slice(12) as keyof InvitationCredentials]
      : (settings as Record<string, unknown>)[label];
    if (Token.isUnresolved(raw)) {
      problems.push(`${label} ${KNOWN_AT_SYNTH}`);
      continue;
    }
    if (text === '') continue;
    const problem = checkSetting(key, label, text);
    if (problem) problems.push(problem);
  }
  for (const [a, b] of CREDENTIAL_PAIRS) {
    const half = (key: SettingKey) => ({ label: PROP_OF[key] ?? key, set: (texts[key] ?? '') !== '' });
    const pair = checkPair(half(a), half(b));
    if (pair) problems.push(pair);
  }
  if (settings.resourceType !== undefined && !RESOURCE_TYPES.includes(settings.resourceType)) {
    problems.push(
      `resourceType must be ${RESOURCE_TYPES.map((t) => `'${t}'`).join(' or ')} (value: ${quote(String(settings.resourceType))})`,
    );
  }
  return problems;
}

/** What one synthesized block must still hold after escape hatches and overrides. */
export interface ExpectedBlock {
  readonly block: 'identity' | 'roles';
  /** `${local.<entries>}`. */
  readonly forEach: string;
  /** The block's one provisioner as the construct wrote it. */
  readonly provisioner: LocalExecProvisioner;
  /** The field that replaces the instance: `triggers_replace`, or `triggers` for null_resource. */
  readonly replaceField: string;
  /**
   * The expression the replace field holds as the construct wrote it: the identity keys (and, for the roles
   * block, the roles and `identity_id`, its link to its identity instance, which orders revoke before invite
   * and replaces the roles instance whenever the identity instance is replaced).
   */
  readonly replace: string;
  /** `terraform_data`'s `input` as the construct wrote it: the entry's settings. */
  readonly input?: string;
}

const PROVISIONER_FIELDS = ['command', 'interpreter', 'environment', 'when', 'on_failure'] as const;

function same(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(canonical)
        : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Problems with a synthesized block after escape hatches and overrides: its one provisioner must be
 * exactly the construct's (command, interpreter, environment, when, on_failure), `for_each` must still
 * read the entries, no `ignore_changes` may hide the fields that replace or feed the provisioner, and
 * create_before_destroy (which makes Terraform skip destroy provisioners) must not be set.
 */
export function checkResourceBlock(block: Record<string, unknown>, expected: ExpectedBlock): string[] {
  const problems: string[] = [];
  const what =
    expected.block === 'identity'
      ? 'removed invitations would not be revoked'
      : 'declared people would not be invited, or their roles not set';
  const lifecycle = block['lifecycle'] as Record<string, unknown> | undefined;
  const cbd = lifecycle?.['create_before_destroy'];
  if (cbd !== undefined && cbd !== false && cbd !== 'false') {
    problems.push(
      'lifecycle.create_before_destroy must not be set: Terraform skips destroy-time provisioners with it, so removed invitations would never be revoked',
    );
  }
  const ignored = lifecycle?.['ignore_changes'];
  const guarded = [expected.replaceField, 'input'];
  // Terraform reads the names loosely (spaces around them, "all" inside the list): so does this check.
  const hides = (field: unknown) => {
    const name = String(field).replace(/\s+/g, '');
    return (
      name === 'all' ||
      guarded.some((g) => name === g || name.startsWith(`${g}.`) || name.startsWith(`${g}[`))
    );
  };
  if (
    (ignored !== undefined && !Array.isArray(ignored) && hides(ignored)) ||
    (Array.isArray(ignored) && ignored.some(hides))
  ) {
    problems.push(
      `lifecycle.ignore_changes must not name ${guarded.join(' or ')} (or be "all"): Terraform would stop replacing the instances, so ${what}`,
    );
  }
  if (block['for_each'] !== expected.forEach) {
    problems.push(`for_each was changed by an override (it must be ${expected.forEach}): ${what}`);
  }
  if (block[expected.replaceField] !== expected.replace) {
    const link =
      expected.block === 'roles'
        ? ` (with ${IDENTITY_LINK_KEY}, without which Terraform may invite before it revokes, and replacing a person's identity instance would revoke them and invite nobody)`
        : '';
    problems.push(
      `${expected.replaceField} was changed by an override (it must stay ${expected.replace}${link}): ${what}`,
    );
  }
  if (expected.input !== undefined && block['input'] !== expected.input) {
    problems.push(
      `input was changed by an override (it must stay ${expected.input}): the revoke and invite read their settings from it`,
    );
  }
  const provisioners = (Array.isArray(block['provisioner']) ? (block['provisioner'] as unknown[]) : []).map(
    (p) => (p as Record<string, unknown> | null)?.['local-exec'] as Record<string, unknown> | undefined,
  );
  const want = expected.provisioner as unknown as Record<string, unknown>;
  const command = String(want['command']);
  if (provisioners.length !== 1 || provisioners[0] === undefined) {
    problems.push(
      `the ${command} provisioner must be the block's only provisioner (found ${provisioners.length}): ${what}`,
    );
  } else {
    const found = provisioners[0];
    const changed = PROVISIONER_FIELDS.filter((field) => {
      if (field === 'on_failure') return found[field] !== undefined && found[field] !== 'fail';
      return !same(found[field], want[field]);
    });
    if (changed.length > 0) {
      problems.push(
        `the ${command} provisioner was changed by an override (${changed.join(', ')}): ${what}; on_failure must stay "fail", or a failure would be forgotten without a word`,
      );
    }
  }
  return problems;
}
