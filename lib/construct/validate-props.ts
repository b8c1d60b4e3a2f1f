// Pure, token-aware checks of the construct's props: each returns a list of problems (empty when fine),
// so the construct can collect all of them and throw once. Values that are unresolved cdktf tokens are
// skipped: they become Terraform expressions and are only known at plan time.
import { Token } from 'cdktf';
import { checkNoControlCharacters, checkObjectId, parseBaseUrl, quote } from '../input/rules';
import type { InvitationAuth, InvitationTarget } from './target';

/** One pending invitation: the project (group) it belongs to and its id. */
export interface InvitationEntry {
  /** The project (group) id: 24 lowercase hex characters. */
  readonly groupId: string;
  /** The invitation id: 24 lowercase hex characters. */
  readonly invitationId: string;
}

/**
 * Names of the environment variables the revoke command reads credentials from. Names only: the values
 * are read from the environment of whoever runs `terraform apply` and are never written anywhere.
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
  readonly resourceType?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const AUTH_MODES: readonly InvitationAuth[] = ['digest', 'service-account', 'token'];
const RESOURCE_TYPES = ['terraform_data', 'null_resource'];
const CREDENTIAL_FIELDS = [
  'publicKeyEnv',
  'privateKeyEnv',
  'clientIdEnv',
  'clientSecretEnv',
  'accessTokenEnv',
] as const;
const PAIRS = [
  ['publicKeyEnv', 'privateKeyEnv'],
  ['clientIdEnv', 'clientSecretEnv'],
] as const;

function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** Problems with one invitation entry, labelled `invitations[i]` (or `add()`). */
export function checkEntry(label: string, entry: InvitationEntry | undefined): string[] {
  if (entry === null || typeof entry !== 'object') {
    return [`${label} must be an object { groupId, invitationId }`];
  }
  const problems: string[] = [];
  for (const field of ['groupId', 'invitationId'] as const) {
    const value: unknown = entry[field];
    if (isToken(value)) continue;
    if (typeof value !== 'string') {
      problems.push(`${label}.${field} is required: the 24-hex-character id, as a string`);
      continue;
    }
    const problem = checkObjectId(`${label}.${field}`, value);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Problems with the target. */
export function checkTarget(target: InvitationTarget | undefined): string[] {
  if (!target || typeof target !== 'object' || !('kind' in target)) {
    return ['target is required: use InvitationTarget.atlas() or InvitationTarget.opsManager({ baseUrl })'];
  }
  const problems: string[] = [];
  if (target.baseUrl === undefined) {
    if (target.kind === 'ops-manager') {
      problems.push(
        'target.baseUrl is required for Ops Manager, for example InvitationTarget.opsManager({ baseUrl: "https://ops.example.com:8443" })',
      );
    }
  } else if (!isToken(target.baseUrl)) {
    const parsed = parseBaseUrl('target.baseUrl', String(target.baseUrl));
    if (!parsed.ok) problems.push(parsed.problem);
  }
  if (target.auth !== undefined && !isToken(target.auth) && !AUTH_MODES.includes(target.auth)) {
    problems.push(
      `target.auth must be one of ${AUTH_MODES.join(', ')}, or left unset for automatic (value: ${quote(String(target.auth))})`,
    );
  }
  return problems;
}

/** Problems with credentials, options and resource type. */
export function checkSettings(settings: CheckedSettings): string[] {
  const problems: string[] = [];
  const credentials = settings.credentials ?? {};
  for (const field of CREDENTIAL_FIELDS) {
    const value: unknown = credentials[field];
    if (value === undefined || isToken(value)) continue;
    // Never echo the value: a user who put a secret here by mistake must not see it in CI logs.
    if (typeof value !== 'string' || !ENV_NAME.test(value)) {
      problems.push(
        `credentials.${field} must be the NAME of an environment variable (letters, digits and _, not starting with a digit), never its value; the value given is not shown`,
      );
    } else if (/^mdb_sa_sk_/i.test(value)) {
      problems.push(
        `credentials.${field} looks like a service-account client secret, not a variable name; give the name of the variable that holds it (the value given is not shown)`,
      );
    }
  }
  for (const [a, b] of PAIRS) {
    if ((credentials[a] === undefined) !== (credentials[b] === undefined)) {
      problems.push(`credentials.${a} and credentials.${b} go together: set both or neither`);
    }
  }
  checkInteger(problems, 'timeoutMs', settings.timeoutMs, 1);
  checkInteger(problems, 'maxRetries', settings.maxRetries, 0);
  const cache: unknown = settings.tokenCache;
  if (cache !== undefined && !isToken(cache)) {
    if (typeof cache !== 'string' || cache.length === 0) {
      problems.push('tokenCache must be a directory path or "off"');
    } else {
      const problem = checkNoControlCharacters('tokenCache', cache);
      if (problem) problems.push(problem);
    }
  }
  if (settings.resourceType !== undefined && !RESOURCE_TYPES.includes(settings.resourceType)) {
    problems.push(
      `resourceType must be ${RESOURCE_TYPES.map((t) => `'${t}'`).join(' or ')} (value: ${quote(String(settings.resourceType))})`,
    );
  }
  return problems;
}

function checkInteger(problems: string[], label: string, value: unknown, min: number): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    problems.push(`${label} must be an integer of at least ${min} (value: ${quote(String(value))})`);
  }
}

/**
 * Escapes Terraform template sequences so that user text stays literal text: `${` → `$${`, `%{` → `%%{`.
 * Unresolved tokens are left alone (they are meant to become expressions).
 */
export function escapeTemplate(value: string): string {
  if (isToken(value)) return value;
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * Problems with the synthesized resource block after escape hatches and overrides: the destroy-time
 * provisioner must still be there, must fail the apply when it fails, and create_before_destroy (which
 * makes Terraform skip destroy provisioners) must not be set.
 */
export function checkResourceBlock(block: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const lifecycle = block['lifecycle'] as Record<string, unknown> | undefined;
  const cbd = lifecycle?.['create_before_destroy'];
  if (cbd !== undefined && cbd !== false && cbd !== 'false') {
    problems.push(
      'lifecycle.create_before_destroy must not be set: Terraform skips destroy-time provisioners with it, so removed invitations would never be revoked',
    );
  }
  const provisioners = Array.isArray(block['provisioner']) ? (block['provisioner'] as unknown[]) : [];
  const revoke = provisioners
    .map((p) => (p as Record<string, unknown> | null)?.['local-exec'] as Record<string, unknown> | undefined)
    .find((p) => p?.['when'] === 'destroy' && p?.['command'] === 'revoke');
  if (!revoke) {
    problems.push(
      'the destroy-time revoke provisioner was removed or changed by an override: removed invitations would not be revoked',
    );
  } else if (revoke['on_failure'] !== undefined && revoke['on_failure'] !== 'fail') {
    problems.push(
      'the revoke provisioner must keep on_failure = "fail": with "continue" a failed revoke would be forgotten without a word',
    );
  }
  return problems;
}
