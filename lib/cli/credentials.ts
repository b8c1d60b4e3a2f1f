// Which credentials to send, from the environment only (never flags: they would show in `ps` and in
// Terraform's output). Variable names follow MongoDB's own tools (docs/design.md); when the construct (or
// MONGODB_INVITATIONS_*_ENV) renames any of them, only the renamed variables are read, never the defaults.
import { isAbsolute, join } from 'node:path';
import type { Credentials } from '../client/invitation-client';
import { checkNoControlCharacters } from '../contract/rules';
import { checkPair, TOKEN_CACHE_OFF } from '../contract/settings';
import { readEnv, UsageError, type AuthMode, type CredentialNames, type Target } from './options';

type Slot = keyof CredentialNames;

// Default variable names per target and slot, in the order they are read.
const ATLAS: Readonly<Record<Slot, readonly string[]>> = {
  clientId: ['MONGODB_ATLAS_CLIENT_ID'],
  clientSecret: ['MONGODB_ATLAS_CLIENT_SECRET'],
  publicKey: ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_KEY', 'MCLI_PUBLIC_API_KEY'],
  privateKey: ['MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_KEY', 'MCLI_PRIVATE_API_KEY'],
  accessToken: ['MONGODB_ATLAS_ACCESS_TOKEN'],
};
// Ops Manager has API keys only; a service account or token is read (from Atlas's variables, as for
// Cloud Manager) only when asked for with --auth, or through a renamed variable.
const OPS_MANAGER: Readonly<Record<Slot, readonly string[]>> = {
  ...ATLAS,
  publicKey: ['MCLI_PUBLIC_API_KEY'],
  privateKey: ['MCLI_PRIVATE_API_KEY'],
};

export interface ResolvedCredentials {
  readonly credentials: Credentials;
  /** Every secret value, for the output redactor (defence in depth: the client redacts already). */
  readonly secrets: readonly string[];
}

interface Found {
  readonly value: string | undefined;
  /** Where it was read, or which variables would have been read. */
  readonly names: readonly string[];
}

function names(target: Target, slot: Slot, renamed: CredentialNames, automatic: boolean): readonly string[] {
  // Renamed variables are the only ones read: a missing one is an error, never a fallback to the
  // defaults (which may hold another organization's keys).
  if (Object.keys(renamed).length > 0) {
    const name = renamed[slot];
    return name === undefined ? [] : [name];
  }
  if (target === 'ops-manager' && automatic && slot !== 'publicKey' && slot !== 'privateKey') return [];
  return (target === 'atlas' ? ATLAS : OPS_MANAGER)[slot];
}

function read(env: NodeJS.ProcessEnv, list: readonly string[]): Found {
  for (const name of list) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    // Never echo a secret, not even in the message that refuses it.
    if (checkNoControlCharacters(name, value) !== undefined) {
      throw new UsageError(
        `${name} contains control characters (such as a trailing newline): set it again without them`,
      );
    }
    return { value, names: [name] };
  }
  return { value: undefined, names: list };
}

const either = (list: readonly string[]) =>
  list.length > 0 ? list.join(' or ') : '(a variable the construct does not name: rename it too)';

/** Reads a pair; undefined when neither half is set; throws when only one half is. */
function pair(
  env: NodeJS.ProcessEnv,
  a: readonly string[],
  b: readonly string[],
): [string, string] | undefined {
  const first = read(env, a);
  const second = read(env, b);
  const half = (found: Found) => ({ label: either(found.names), set: found.value !== undefined });
  const problem = checkPair(half(first), half(second));
  if (problem) throw new UsageError(problem);
  return first.value !== undefined && second.value !== undefined ? [first.value, second.value] : undefined;
}

/** Picks the credentials for the target and auth mode. Throws UsageError naming the variables to set. */
export function resolveCredentials(
  target: Target,
  auth: AuthMode | undefined,
  env: NodeJS.ProcessEnv,
  renamed: CredentialNames = {},
): ResolvedCredentials {
  const automatic = auth === undefined;
  const slot = (s: Slot) => names(target, s, renamed, automatic);
  const tryServiceAccount = (): ResolvedCredentials | undefined => {
    const found = pair(env, slot('clientId'), slot('clientSecret'));
    if (!found) return undefined;
    const [clientId, clientSecret] = found;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    return {
      credentials: { kind: 'service-account', clientId, clientSecret },
      secrets: [clientSecret, basic],
    };
  };
  const tryDigest = (): ResolvedCredentials | undefined => {
    const found = pair(env, slot('publicKey'), slot('privateKey'));
    if (!found) return undefined;
    const [publicKey, privateKey] = found;
    return { credentials: { kind: 'digest', publicKey, privateKey }, secrets: [privateKey] };
  };
  const tryToken = (): ResolvedCredentials | undefined => {
    const found = read(env, slot('accessToken'));
    if (found.value === undefined) return undefined;
    return { credentials: { kind: 'token', accessToken: found.value }, secrets: [found.value] };
  };
  const describe: Record<AuthMode, string> = {
    'service-account': `${either(slot('clientId'))} and ${either(slot('clientSecret'))} (service account)`,
    digest: `${either(slot('publicKey'))} and ${either(slot('privateKey'))} (API key)`,
    token: `${either(slot('accessToken'))} (access token)`,
  };
  const label =
    (target === 'atlas' ? 'Atlas' : 'Ops Manager') +
    (Object.keys(renamed).length > 0 ? ' (the variables the construct names; no others are read)' : '');
  if (auth === 'service-account') return tryServiceAccount() ?? missing(label, [describe[auth]]);
  if (auth === 'digest') return tryDigest() ?? missing(label, [describe[auth]]);
  if (auth === 'token') return tryToken() ?? missing(label, [describe[auth]]);
  const modes: AuthMode[] = ['service-account', 'digest', 'token'];
  const offered = modes.filter(
    (m) =>
      slot(m === 'service-account' ? 'clientId' : m === 'digest' ? 'publicKey' : 'accessToken').length > 0,
  );
  return (
    tryServiceAccount() ??
    tryDigest() ??
    tryToken() ??
    missing(
      label,
      offered.map((m) => describe[m]),
    )
  );
}

function missing(label: string, sets: readonly string[]): never {
  throw new UsageError(`no credentials for ${label}: set ${sets.join(', or ')}`);
}

/**
 * Where service-account tokens are cached: the setting (an absolute directory, or "off"; already checked
 * by lib/contract), else $XDG_CACHE_HOME/mongodb-invitations, else ~/.cache/mongodb-invitations. Always an
 * absolute path, or false ("off", or no usable home directory).
 */
export function resolveTokenCacheDir(configured: string | undefined, env: NodeJS.ProcessEnv): string | false {
  if (configured === TOKEN_CACHE_OFF) return false;
  if (configured !== undefined) return configured;
  const xdg = readEnv(env, 'XDG_CACHE_HOME');
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'mongodb-invitations');
  // A HOME that is set (even empty) is the answer; node:os only when it is unset (revoke's start-up
  // loads nothing it does not use). An empty or relative home is no home: never cache relative to the
  // working directory (false: the CLI warns once and keeps the token in memory).
  const home = env.HOME !== undefined ? (readEnv(env, 'HOME') ?? '') : osHomedir();
  return isAbsolute(home) ? join(home, '.cache', 'mongodb-invitations') : false;

  function osHomedir(): string {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('node:os') as typeof import('node:os')).homedir();
    } catch {
      return ''; // no home directory for this user
    }
  }
}
