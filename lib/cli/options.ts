// Flags and environment → settings of one command, checked (with lib/contract's rules) before anything
// is sent. Identity: flag, else the entry a provisioner passed (MONGODB_INVITATIONS_ENTRY_*, taken whole),
// else MONGODB_INVITATIONS_*. Settings: flag > declared in the entry > the environment > default.
import { parseArgs } from 'node:util';
import {
  ambientName,
  CLI_ENV,
  ENTRY_ADDRESS_ENV,
  entryName,
  type IdentityKey,
  type ROLES_KEY,
  type SettingKey,
} from '../contract/keys';
import {
  ATLAS_BASE_URL,
  canonicalBaseUrl,
  checkNoControlCharacters,
  checkObjectId,
  checkUsername,
  quote,
} from '../contract/rules';
import { checkRoles, parseRoles, sortRoles } from '../contract/roles';
import { didYouMean } from '../contract/suggest';
import {
  checkPair,
  checkSetting,
  CREDENTIAL_PAIRS,
  TARGETS,
  type AtlasApi,
  type AuthMode,
  type TargetKind,
} from '../contract/settings';
import { UsageError } from './errors';

export type Target = TargetKind;
export type { AtlasApi, AuthMode };
export type CommandName = 'invite' | 'revoke' | 'list';
/** The HTTP client the client sends with (see InvitationClientOptions.transport). */
export type HttpClient = 'undici' | 'node-http';
/** The credential variables a construct renamed (names only). */
export type CredentialNames = Partial<
  Record<'clientId' | 'clientSecret' | 'publicKey' | 'privateKey' | 'accessToken', string>
>;

/** What `invite`, `revoke` and `list` run with. */
export interface CommandSettings {
  readonly command: CommandName;
  readonly target: Target;
  /** Canonical base URL (the Atlas default spelled out). */
  readonly baseUrl: string;
  readonly groupId: string;
  readonly invitationId: string | undefined;
  /** Lower case. */
  readonly username: string | undefined;
  /** Sorted, invite only. */
  readonly roles: readonly string[] | undefined;
  readonly api: AtlasApi | undefined;
  readonly removeAccepted: boolean;
  readonly allowInsecureHttp: boolean;
  /** undefined: pick the first complete credential set. */
  readonly auth: AuthMode | undefined;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number | undefined;
  /** An absolute directory or "off"; undefined: the default directory. */
  readonly tokenCache: string | undefined;
  readonly credentialNames: CredentialNames;
  /** undefined: the CLI's default (DEFAULT_HTTP_CLIENT in client-options.ts). */
  readonly http: HttpClient | undefined;
  /** The Terraform resource instance address, when a provisioner runs the command. */
  readonly address: string | undefined;
  readonly json: boolean;
  readonly debug: boolean;
  /** Print the requests behind each outcome too (--verbose or MONGODB_INVITATIONS_VERBOSE=true). */
  readonly verbose: boolean;
}

export { UsageError };

/** A non-secret variable: undefined when unset or empty; throws when it holds control characters. */
export function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const problem = checkNoControlCharacters(name, value);
  if (problem) throw new UsageError(problem);
  return value;
}

/** Rejects control characters in any argument, before parsing (a CR/LF could forge output lines). */
export function checkArguments(argv: readonly string[]): void {
  argv.forEach((arg, i) => {
    const problem = checkNoControlCharacters(`argument ${i + 1}`, arg);
    if (problem) throw new UsageError(problem);
  });
}

const STRING_FLAGS: Record<CommandName, readonly string[]> = {
  invite: ['username', 'roles', 'invitation-id', 'api'],
  revoke: ['username', 'invitation-id', 'api'],
  list: ['username'],
};
const BOOLEAN_FLAGS: Record<CommandName, readonly string[]> = {
  invite: [],
  revoke: ['remove-accepted'],
  list: [],
};

/** parseArgs explains itself in several sentences; the first one ("Unknown option '--x'") is enough. */
export function firstSentence(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return (raw.replace(/^\w*Error \[\w+\]: /, '').split('\n')[0] ?? raw).split('. ')[0] ?? raw;
}

/** The flags as parseArgs gives them: a value per flag found, nothing for the others. */
type Flags = Record<string, string | boolean | undefined>;

function parseFlags(command: CommandName, args: string[]): Flags {
  // A provisioner passes everything in its environment: with no argument there is no flag to find, and
  // parseArgs (~0.5 ms to load and run) is not needed (bench/throughput.md, "Exit when done").
  if (args.length === 0) return Object.create(null) as Flags;
  const common = ['target', 'base-url', 'group-id', 'auth', 'timeout-ms', 'max-retries'];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of [...common, ...STRING_FLAGS[command]]) options[f] = { type: 'string' };
  for (const f of ['json', 'debug', 'verbose', 'allow-insecure-http', ...BOOLEAN_FLAGS[command]]) {
    options[f] = { type: 'boolean' };
  }
  options.help = { type: 'boolean', short: 'h' };
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values as Flags;
  } catch (err) {
    const first = firstSentence(err);
    const unknown = /^Unknown option '--([^'=]+)'/.exec(first ?? '')?.[1];
    const suggestion = unknown === undefined ? '' : didYouMean(unknown, Object.keys(options), '--');
    throw new UsageError(
      `${command}: ${first}${suggestion}; run "mongodb-invitations ${command} --help" for the usage`,
    );
  }
}

/** True when the arguments ask for the usage text (then nothing else is checked). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

interface Found {
  readonly value: string;
  readonly label: string;
}

/**
 * Where each value of one command comes from: the flags, the entry a provisioner passed, the ambient
 * environment. Collects problems instead of throwing, so that one UsageError lists them all.
 */
class SettingsReader {
  readonly problems: string[] = [];
  /** A provisioner passes a whole entry; its identity is never mixed with ambient values. */
  readonly fromEntry: boolean;

  constructor(
    readonly flags: Flags,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.fromEntry = readEnv(env, entryName('target')) !== undefined;
  }

  /** The value `f` returns, or undefined with its UsageError recorded as a problem. */
  attempt<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      this.problems.push(err.message);
      return undefined;
    }
  }

  flag(name: string): Found | undefined {
    const v = this.flags[name];
    return typeof v === 'string' ? { value: v, label: `--${name}` } : undefined;
  }

  variable(name: string): Found | undefined {
    const value = readEnv(this.env, name);
    return value === undefined ? undefined : { value, label: name };
  }

  /** Identity: flag, else the entry's variable (from a provisioner), else the ambient one. */
  identity(key: IdentityKey | typeof ROLES_KEY, flagName: string): Found | undefined {
    return this.flag(flagName) ?? this.variable(this.fromEntry ? entryName(key) : ambientName(key));
  }

  /** A setting: flag > the entry's variable > the ambient one; checked with lib/contract's rule. */
  setting(key: SettingKey, flagName?: string): Found | undefined {
    const found =
      (flagName ? this.flag(flagName) : undefined) ??
      this.variable(entryName(key)) ??
      this.variable(ambientName(key));
    if (found === undefined) return undefined;
    const problem = checkSetting(key, found.label, found.value);
    if (problem) throw new UsageError(problem);
    return found;
  }

  boolSetting(key: SettingKey, flagName: string): boolean {
    if (this.flags[flagName] === true) return true;
    return this.setting(key)?.value === 'true';
  }
}

/** The identity as read: undefined where a problem was recorded. */
interface Identity extends Pick<
  CommandSettings,
  'invitationId' | 'username' | 'roles' | 'allowInsecureHttp'
> {
  readonly target: Target | undefined;
  readonly baseUrl: string | undefined;
  readonly groupId: string | undefined;
}

/** Target, base URL, project, and who: the entry's identity. */
function readIdentity(r: SettingsReader, command: CommandName): Identity {
  const target = r.attempt(() => {
    // Atlas has a default URL, so it is the default target; Ops Manager is always named.
    const found = r.identity('target', 'target') ?? { value: 'atlas', label: 'the default target' };
    const value = found.value.toLowerCase();
    if (!(TARGETS as readonly string[]).includes(value)) {
      throw new UsageError(`${found.label} must be atlas or ops-manager (value: ${quote(found.value)})`);
    }
    return value as Target;
  });
  const allowInsecureHttp =
    r.attempt(() => r.boolSetting('allow_insecure_http', 'allow-insecure-http')) ?? false;
  const baseUrl = r.attempt(() => {
    const fallback = target === 'ops-manager' ? CLI_ENV.opsManagerUrl : CLI_ENV.atlasBaseUrl;
    const found = r.identity('base_url', 'base-url') ?? (r.fromEntry ? undefined : r.variable(fallback));
    if (!found && target === 'ops-manager') {
      throw new UsageError(
        `no Ops Manager base URL: pass --base-url or set ${ambientName('base_url')} or ${CLI_ENV.opsManagerUrl} (e.g. https://ops.example.com:8443)`,
      );
    }
    const parsed = canonicalBaseUrl(target ?? 'atlas', found?.value ?? ATLAS_BASE_URL, { allowInsecureHttp });
    if (!parsed.ok) throw new UsageError(parsed.problem.replace(/^base URL/, found?.label ?? 'base URL'));
    return parsed.url;
  });
  const objectId = (key: IdentityKey, flagName: string, what: string, required: boolean) =>
    r.attempt(() => {
      const found = r.identity(key, flagName);
      if (!found) {
        if (!required) return undefined;
        throw new UsageError(`no ${what}: pass --${flagName} or set ${ambientName(key)}`);
      }
      const problem = checkObjectId(found.label, found.value);
      if (problem) throw new UsageError(problem);
      return found.value;
    });
  const groupId = objectId('group_id', 'group-id', 'project id', true);
  const invitationId =
    command === 'list' ? undefined : objectId('invitation_id', 'invitation-id', 'invitation id', false);
  const username = r.attempt(() => {
    const found = r.identity('username', 'username');
    if (!found) return undefined;
    const problem = checkUsername(found.label, found.value);
    if (problem) throw new UsageError(problem);
    return found.value.toLowerCase();
  });
  const roles = r.attempt(() => {
    if (command !== 'invite') return undefined;
    const found = r.identity('roles', 'roles');
    if (!found) return undefined;
    const list = parseRoles(found.value);
    const problem = checkRoles(found.label, list);
    if (problem) throw new UsageError(problem);
    return sortRoles(list);
  });
  return { target, allowInsecureHttp, baseUrl, groupId, invitationId, username, roles };
}

/** invite and revoke name one person or one invitation (checked only when the identity itself is sound). */
function checkWho(r: SettingsReader, command: CommandName, who: Identity): void {
  if (command === 'list' || r.problems.length > 0) return;
  const { invitationId, username, roles } = who;
  if (invitationId !== undefined && username !== undefined) {
    r.problems.push(`${command}: give --invitation-id or --username, not both`);
  } else if (invitationId === undefined && username === undefined) {
    r.problems.push(
      `${command}: no one to ${command}: pass --username EMAIL${command === 'invite' ? ' --roles ROLE[,ROLE]' : ''} or --invitation-id ID`,
    );
  } else if (command === 'invite' && username !== undefined && roles === undefined) {
    r.problems.push(`invite: --roles is required with --username (for example --roles GROUP_READ_ONLY)`);
  }
}

/** API choice, auth, timeouts, the token cache and what to do with accepted members. */
function readBehaviour(r: SettingsReader) {
  return {
    api: r.attempt(() => r.setting('api', 'api')?.value as AtlasApi | undefined),
    auth: r.attempt(() => r.setting('auth', 'auth')?.value as AuthMode | undefined),
    timeoutMs: r.attempt(() => numberOf(r.setting('timeout_ms', 'timeout-ms'))),
    maxRetries: r.attempt(() => numberOf(r.setting('max_retries', 'max-retries'))),
    tokenCache: r.attempt(() => r.setting('token_cache')?.value),
    removeAccepted: r.attempt(() => r.boolSetting('remove_accepted', 'remove-accepted')) ?? false,
  };
}

/** The setting that renames each credential variable. */
const CREDENTIAL_SLOTS = {
  clientId: 'client_id_env',
  clientSecret: 'client_secret_env',
  publicKey: 'public_key_env',
  privateKey: 'private_key_env',
  accessToken: 'access_token_env',
} as const satisfies Record<keyof CredentialNames, SettingKey>;

/** The credential variables the construct renamed (names only), pairs renamed together. */
function readCredentialNames(r: SettingsReader): CredentialNames {
  return (
    r.attempt(() => {
      const names: CredentialNames = {};
      const found: Partial<Record<SettingKey, Found>> = {};
      for (const [slot, key] of Object.entries(CREDENTIAL_SLOTS)) {
        const setting = r.setting(key);
        found[key] = setting;
        if (setting) names[slot as keyof CredentialNames] = setting.value;
      }
      for (const [a, b] of CREDENTIAL_PAIRS) {
        const half = (key: SettingKey) => ({
          label: found[key]?.label ?? ambientName(key),
          set: !!found[key],
        });
        const problem = checkPair(half(a), half(b));
        if (problem) throw new UsageError(problem);
      }
      return names;
    }) ?? {}
  );
}

/** The CLI's own variables that are not entry keys: the HTTP client, and the instance address. */
function readRuntime(r: SettingsReader): Pick<CommandSettings, 'http' | 'address'> {
  const http = r.attempt(() => {
    const found = r.variable(CLI_ENV.http);
    if (found === undefined) return undefined;
    if (found.value !== 'node-http' && found.value !== 'undici') {
      throw new UsageError(`${CLI_ENV.http} must be node-http or undici (value: ${quote(found.value)})`);
    }
    return found.value;
  });
  const address = r.attempt(() => (r.fromEntry ? readEnv(r.env, ENTRY_ADDRESS_ENV) : undefined));
  return { http, address };
}

/** Parses the arguments after the command name and merges the environment. Throws UsageError. */
export function resolveSettings(
  command: CommandName,
  args: string[],
  env: NodeJS.ProcessEnv,
): CommandSettings {
  checkArguments(args);
  const flags = parseFlags(command, args);
  const r = new SettingsReader(flags, env);
  const identity = readIdentity(r, command);
  checkWho(r, command, identity);
  const behaviour = readBehaviour(r);
  const credentialNames = readCredentialNames(r);
  const runtime = readRuntime(r);

  const { target, groupId, baseUrl } = identity;
  if (r.problems.length > 0 || !target || !groupId || !baseUrl) throw new UsageError(r.problems.join('; '));
  return {
    command,
    target,
    baseUrl,
    groupId,
    invitationId: identity.invitationId,
    username: identity.username,
    roles: identity.roles,
    api: target === 'atlas' ? behaviour.api : undefined,
    removeAccepted: behaviour.removeAccepted,
    allowInsecureHttp: identity.allowInsecureHttp,
    auth: behaviour.auth,
    timeoutMs: behaviour.timeoutMs,
    maxRetries: behaviour.maxRetries,
    tokenCache: behaviour.tokenCache,
    credentialNames,
    http: runtime.http,
    address: runtime.address,
    json: flags.json === true,
    debug: flags.debug === true,
    verbose: flags.verbose === true || readEnv(env, CLI_ENV.verbose) === 'true',
  };
}

function numberOf(found: Found | undefined): number | undefined {
  return found === undefined ? undefined : Number(found.value);
}
