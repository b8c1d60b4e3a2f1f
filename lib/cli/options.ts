// Flags and environment → settings of one command, checked before anything is sent.
// Precedence (np's habit: merged by hand, no parser defaults): flags > MONGODB_INVITATIONS_* (an empty
// value counts as unset, because Terraform maps cannot hold null) > MongoDB's own variables > defaults.
import { parseArgs } from 'node:util';
import { checkNoControlCharacters, checkObjectId, parseBaseUrl, quote } from '../input/rules';

export type Target = 'atlas' | 'ops-manager';
export type AuthMode = 'digest' | 'service-account' | 'token';
export type CommandName = 'revoke' | 'list';
/** The HTTP client the client sends with (see InvitationClientOptions.transport). */
export type HttpClient = 'undici' | 'node-http';

/** What `revoke` and `list` run with. */
export interface CommandSettings {
  readonly command: CommandName;
  readonly target: Target;
  /** Normalized; undefined means the Atlas default. */
  readonly baseUrl: string | undefined;
  readonly groupId: string;
  /** revoke only. */
  readonly invitationId: string | undefined;
  /** list only. */
  readonly username: string | undefined;
  /** undefined: pick the first complete credential set. */
  readonly auth: AuthMode | undefined;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number | undefined;
  /** undefined: the CLI's default (DEFAULT_HTTP_CLIENT in client-options.ts). */
  readonly http: HttpClient | undefined;
  readonly json: boolean;
  readonly debug: boolean;
}

/** Bad usage, input or configuration: exit 2, nothing sent. The message says what to fix. */
export class UsageError extends Error {
  readonly code = 'MDB_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const ENV = {
  target: 'MONGODB_INVITATIONS_TARGET',
  baseUrl: 'MONGODB_INVITATIONS_BASE_URL',
  groupId: 'MONGODB_INVITATIONS_GROUP_ID',
  invitationId: 'MONGODB_INVITATIONS_INVITATION_ID',
  auth: 'MONGODB_INVITATIONS_AUTH',
  timeoutMs: 'MONGODB_INVITATIONS_TIMEOUT_MS',
  maxRetries: 'MONGODB_INVITATIONS_MAX_RETRIES',
  tokenCache: 'MONGODB_INVITATIONS_TOKEN_CACHE',
  http: 'MONGODB_INVITATIONS_HTTP',
  atlasBaseUrl: 'MONGODB_ATLAS_BASE_URL',
  opsManagerUrl: 'MCLI_OPS_MANAGER_URL',
} as const;

const TARGETS: readonly string[] = ['atlas', 'ops-manager'];
const AUTH_MODES: readonly string[] = ['digest', 'service-account', 'token'];
const HTTP_CLIENTS: readonly string[] = ['node-http', 'undici'];
const MAX_TIMEOUT_MS = 600_000;
const MAX_RETRIES = 20;

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

function parseFlags(command: CommandName, args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        target: { type: 'string' },
        'base-url': { type: 'string' },
        'group-id': { type: 'string' },
        ...(command === 'revoke'
          ? { 'invitation-id': { type: 'string' } }
          : { username: { type: 'string' } }),
        auth: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'max-retries': { type: 'string' },
        json: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    // parseArgs explains itself in several sentences; keep the first ("Unknown option '--x'").
    const raw = err instanceof Error ? err.message : String(err);
    const first = (raw.replace(/^\w*Error \[\w+\]: /, '').split('\n')[0] ?? raw).split('. ')[0];
    throw new UsageError(`${command}: ${first}; run "mongodb-invitations --help" for the usage`);
  }
}

/** Picks a value: the flag, else the first set variable. Returns it with the name to blame. */
function pick(
  flags: Record<string, string | boolean | undefined>,
  flag: string,
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): { value: string; label: string } | undefined {
  const fromFlag = flags[flag];
  if (typeof fromFlag === 'string') return { value: fromFlag, label: `--${flag}` };
  for (const name of names) {
    const value = readEnv(env, name);
    if (value !== undefined) return { value, label: name };
  }
  return undefined;
}

function integer(found: { value: string; label: string } | undefined, min: number, max: number) {
  if (!found) return undefined;
  const n = /^\d{1,9}$/.test(found.value) ? Number(found.value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(
      `${found.label} must be a whole number from ${min} to ${max} (value: ${quote(found.value)})`,
    );
  }
  return n;
}

/** True when the arguments ask for the usage text (then nothing else is checked). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Parses the arguments after the command name and merges the environment. Throws UsageError. */
export function resolveSettings(
  command: CommandName,
  args: string[],
  env: NodeJS.ProcessEnv,
): CommandSettings {
  checkArguments(args);
  const flags = parseFlags(command, args);
  const json = flags.json === true;
  const debug = flags.debug === true;
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (err instanceof UsageError) problems.push(err.message);
      else throw err;
      return undefined;
    }
  };

  const target = attempt(() => {
    const found = pick(flags, 'target', env, [ENV.target]);
    if (!found) throw new UsageError(`no target: pass --target atlas|ops-manager or set ${ENV.target}`);
    if (!TARGETS.includes(found.value)) {
      throw new UsageError(`${found.label} must be atlas or ops-manager (value: ${quote(found.value)})`);
    }
    return found.value as Target;
  });

  const baseUrl = attempt(() => {
    const fallback = target === 'ops-manager' ? ENV.opsManagerUrl : ENV.atlasBaseUrl;
    const found = pick(flags, 'base-url', env, target ? [ENV.baseUrl, fallback] : [ENV.baseUrl]);
    if (!found) {
      if (target !== 'ops-manager') return undefined;
      throw new UsageError(
        `no Ops Manager base URL: pass --base-url or set ${ENV.baseUrl} or ${ENV.opsManagerUrl} ` +
          '(e.g. https://ops.example.com:8443)',
      );
    }
    const parsed = parseBaseUrl(found.label, found.value);
    if (!parsed.ok) throw new UsageError(parsed.problem);
    return parsed.url;
  });

  const id = (flag: string, name: string, what: string) =>
    attempt(() => {
      const found = pick(flags, flag, env, [name]);
      if (!found) throw new UsageError(`no ${what}: pass --${flag} or set ${name}`);
      const problem = checkObjectId(found.label, found.value);
      if (problem) throw new UsageError(problem);
      return found.value;
    });
  const groupId = id('group-id', ENV.groupId, 'project id');
  const invitationId =
    command === 'revoke' ? id('invitation-id', ENV.invitationId, 'invitation id') : undefined;

  const auth = attempt(() => {
    const found = pick(flags, 'auth', env, [ENV.auth]);
    if (!found) return undefined;
    if (!AUTH_MODES.includes(found.value)) {
      throw new UsageError(
        `${found.label} must be digest, service-account or token (value: ${quote(found.value)})`,
      );
    }
    return found.value as AuthMode;
  });
  const timeoutMs = attempt(() =>
    integer(pick(flags, 'timeout-ms', env, [ENV.timeoutMs]), 1, MAX_TIMEOUT_MS),
  );
  const maxRetries = attempt(() =>
    integer(pick(flags, 'max-retries', env, [ENV.maxRetries]), 0, MAX_RETRIES),
  );
  const http = attempt(() => {
    const value = readEnv(env, ENV.http);
    if (value === undefined) return undefined;
    if (!HTTP_CLIENTS.includes(value)) {
      throw new UsageError(`${ENV.http} must be node-http or undici (value: ${quote(value)})`);
    }
    return value as HttpClient;
  });
  const username = typeof flags.username === 'string' ? flags.username : undefined;
  if (username === '') problems.push('--username must not be empty');

  if (problems.length > 0 || !target || !groupId) throw new UsageError(problems.join('; '));
  return {
    command,
    target,
    baseUrl,
    groupId,
    invitationId,
    username,
    auth,
    timeoutMs,
    maxRetries,
    http,
    json,
    debug,
  };
}
