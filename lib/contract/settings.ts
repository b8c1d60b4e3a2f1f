// The rules of every setting, on the text a setting travels as (Terraform state and the environment hold
// strings). The construct checks the very text it writes to state with these functions and the CLI the
// text it reads, so whatever synth accepts, the revoke at destroy time accepts too.
import { isAbsolute } from 'node:path';
import { checkNoControlCharacters, quote } from './rules';
import type { SettingKey } from './keys';

export const TARGETS = ['atlas', 'ops-manager'] as const;
export const AUTH_MODES = ['digest', 'service-account', 'token'] as const;
/** Atlas's two APIs for people: Cloud Users (default, no sunset) and the deprecated invites API. */
export const ATLAS_APIS = ['cloud-users', 'invites'] as const;

export type TargetKind = (typeof TARGETS)[number];
export type AuthMode = (typeof AUTH_MODES)[number];
export type AtlasApi = (typeof ATLAS_APIS)[number];

/** The Atlas API for people when none is chosen: Cloud Users (docs/decisions/0005). */
export const DEFAULT_ATLAS_API: AtlasApi = 'cloud-users';

/**
 * Credential settings that go together: a service account's id and secret, an API key's two halves.
 * Renaming one variable of a pair and not the other would read half the credentials from elsewhere.
 */
export const CREDENTIAL_PAIRS = [
  ['client_id_env', 'client_secret_env'],
  ['public_key_env', 'private_key_env'],
] as const satisfies readonly (readonly [SettingKey, SettingKey])[];

/** One half of a pair: how the caller names it (a prop, a setting, a variable) and whether it is set. */
export interface PairHalf {
  readonly label: string;
  readonly set: boolean;
}

/**
 * The rule of a credential pair, for the construct's props, audit's entries, the CLI's renamed variables
 * and the credentials themselves: both halves, or neither. Returns the problem, or undefined.
 */
export function checkPair(a: PairHalf, b: PairHalf): string | undefined {
  if (a.set === b.set) return undefined;
  const [set, missing] = a.set ? [a, b] : [b, a];
  return `${set.label} is set but ${missing.label} is not: set both, or neither`;
}

/** Whole-number settings and their inclusive limits. */
export const LIMITS = {
  timeout_ms: { min: 1, max: 600_000 },
  max_retries: { min: 0, max: 20 },
} as const satisfies Partial<Record<SettingKey, { min: number; max: number }>>;

/** Environment variable names: letters, digits and _, not starting with a digit. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Token cache: an absolute directory, or `off`. A relative path would land in the stack directory. */
export const TOKEN_CACHE_OFF = 'off';

function choice(label: string, text: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(text)) return undefined;
  return `${label} must be ${allowed.join(' or ')} (value: ${quote(text)})`;
}

/** The problem with a whole-number setting's text, or undefined. */
export function checkWholeNumber(label: string, text: string, limits: { min: number; max: number }) {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (n >= limits.min && n <= limits.max) return undefined;
  return `${label} must be a whole number from ${limits.min} to ${limits.max} (value: ${quote(text)})`;
}

/** The problem with the name of a credential variable; never echoes the value (it may be a secret). */
export function checkEnvName(label: string, text: string): string | undefined {
  if (!ENV_NAME_PATTERN.test(text)) {
    return `${label} must be the NAME of an environment variable (letters, digits and _, not starting with a digit), never its value; the value given is not shown`;
  }
  if (/^mdb_sa_sk_/i.test(text)) {
    return `${label} looks like a service-account client secret, not a variable name; give the name of the variable that holds it (the value given is not shown)`;
  }
  return undefined;
}

/** The problem with a token cache setting, or undefined. */
export function checkTokenCache(label: string, text: string): string | undefined {
  const control = checkNoControlCharacters(label, text);
  if (control) return control;
  if (text === TOKEN_CACHE_OFF || isAbsolute(text)) return undefined;
  return `${label} must be an absolute directory path or "off" (value: ${quote(text)}); a relative path would put tokens in the stack directory`;
}

/**
 * The problem with a setting's non-empty text, or undefined. `label` names where it came from (a prop,
 * a flag or a variable). Empty text means "not set" and is never checked here.
 */
export function checkSetting(key: SettingKey, label: string, text: string): string | undefined {
  switch (key) {
    case 'api':
      return choice(label, text, ATLAS_APIS);
    case 'auth':
      return choice(label, text, AUTH_MODES);
    case 'timeout_ms':
    case 'max_retries':
      return checkWholeNumber(label, text, LIMITS[key]);
    case 'token_cache':
      return checkTokenCache(label, text);
    case 'remove_accepted':
    case 'allow_insecure_http':
      return choice(label, text, ['true', 'false']);
    case 'client_id_env':
    case 'client_secret_env':
    case 'public_key_env':
    case 'private_key_env':
    case 'access_token_env':
      return checkEnvName(label, text);
  }
}
