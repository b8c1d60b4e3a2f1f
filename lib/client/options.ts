// Options of InvitationClient, their defaults, and the checks that run before any request is sent.
import type { Dispatcher } from 'undici';
import { ATLAS_BASE_URL, checkNoControlCharacters, parseBaseUrl } from '../contract/rules';
import { ConfigurationError } from './errors';
import { resolveRetry, type ResolvedRetryOptions, type RetryOptions } from './http/retry';
import {
  DEFAULT_RATE_LIMIT,
  type RateLimitOptions,
  type RateLimitWait,
  type ResolvedRateLimitOptions,
} from './http/rate-limit';
import type { Target } from './outcome';
import type { TransportKind } from './http/transport';
import { DEFAULT_USER_AGENT } from './version';
import { DEFAULT_HINTS, type ClientHints } from './hints';

export type Credentials =
  | { readonly kind: 'digest'; readonly publicKey: string; readonly privateKey: string }
  | { readonly kind: 'service-account'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'token'; readonly accessToken: string };

export interface ClientWarning {
  /**
   * MDB_SUNSET / MDB_DEPRECATED: the API answered with a Sunset or Deprecation header.
   * MDB_TOKEN_CACHE_UNUSABLE: the token cache directory cannot be used; tokens stay in memory.
   * MDB_RATE_LIMIT_FILE_UNUSABLE: the shared rate-limit wait file (or its directory) is not a regular
   * file (directory) of this user; rate-limit waits stay in memory.
   */
  readonly code:
    'MDB_DEPRECATED' | 'MDB_SUNSET' | 'MDB_TOKEN_CACHE_UNUSABLE' | 'MDB_RATE_LIMIT_FILE_UNUSABLE';
  readonly message: string;
  /** The Sunset header's date, as sent. */
  readonly sunset?: string;
}

export interface InvitationClientOptions {
  /** Atlas (Admin API v2) or Ops Manager / Cloud Manager (public API v1.0). */
  readonly target: Target;
  /**
   * Scheme, host, port and optional path prefix of the API.
   *
   * @default - ATLAS_BASE_URL for 'atlas'; required for 'ops-manager'
   */
  readonly baseUrl?: string;
  /** Allow plain http to a host that is not loopback (an Ops Manager on a private network). Default false. */
  readonly allowInsecureHttp?: boolean;
  readonly credentials: Credentials;
  /**
   * Directory of the cross-process service-account token cache; false keeps tokens in memory only.
   *
   * @default false - the CLI passes its own default
   */
  readonly tokenCacheDir?: string | false;
  /**
   * Longest wait for one attempt (connect, headers and body), in milliseconds.
   *
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Longest time for a whole operation, retries and token requests included, in milliseconds.
   *
   * @default 120000
   */
  readonly deadlineMs?: number;
  /** @default DEFAULT_RETRY */
  readonly retry?: RetryOptions;
  /**
   * The HTTP client: undici, or Node's built-in node:http / node:https (starts faster in a one-shot
   * process: the CLI's default; see bench/cli.md).
   *
   * @default 'undici'
   */
  readonly transport?: TransportKind;
  /**
   * The undici Dispatcher to send with (a MockAgent in tests, a shared Agent). Requires the 'undici'
   * transport.
   *
   * @default - an undici Client for the base URL's origin
   */
  readonly dispatcher?: Dispatcher;
  /** @default 'cdktf-mongodb-invitations/<version>' */
  readonly userAgent?: string;
  /**
   * Called at most once per client for the first Sunset or Deprecation header seen, and once when the
   * token cache cannot be used.
   */
  readonly onWarning?: (warning: ClientWarning) => void;
  /**
   * How the person operations (invitePerson, revokePerson, listPending, listMembers) wait out rate limits.
   *
   * @default DEFAULT_RATE_LIMIT, shared through tokenCacheDir when it is a directory
   */
  readonly rateLimit?: RateLimitOptions;
  /** Called before each rate-limit wait of a person operation (the CLI prints one line per wait). */
  readonly onWait?: (wait: RateLimitWait) => void;
  /** @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
  /** Source of the backoff jitter, in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** @default DEFAULT_HINTS */
  readonly hints?: ClientHints;
}

export interface ResolvedClientOptions {
  readonly target: Target;
  readonly origin: string;
  /** Path prefix of the base URL ('' or '/prefix'). */
  readonly prefix: string;
  /** The normalized base URL. */
  readonly baseUrl: string;
  readonly transport: TransportKind;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly rateLimit: ResolvedRateLimitOptions;
  readonly userAgent: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
  readonly hints: Required<ClientHints>;
}

const TARGETS: readonly string[] = ['atlas', 'ops-manager'];
const TRANSPORTS: readonly string[] = ['undici', 'node-http'];

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function checkInteger(problems: string[], label: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${label} must be an integer of at least ${min} (value: ${String(value)})`);
  }
}

function checkCredentials(problems: string[], credentials: Credentials | undefined): void {
  const fields: Record<string, readonly string[]> = {
    digest: ['publicKey', 'privateKey'],
    'service-account': ['clientId', 'clientSecret'],
    token: ['accessToken'],
  };
  const names = credentials ? fields[credentials.kind] : undefined;
  if (!credentials || !names) {
    problems.push("credentials.kind must be 'digest', 'service-account' or 'token'");
    return;
  }
  for (const name of names) {
    const value = (credentials as unknown as Record<string, unknown>)[name];
    // Never echo a credential: the rules' messages quote the value, so these messages are our own.
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`credentials.${name} must be a non-empty string`);
    } else if (checkNoControlCharacters(name, value) !== undefined) {
      problems.push(
        `credentials.${name} must not contain control characters such as CR or LF (value hidden)`,
      );
    }
  }
}

/** Checks every option and resolves defaults; throws one ConfigurationError listing every problem. */
export function resolveOptions(options: InvitationClientOptions): ResolvedClientOptions {
  const problems: string[] = [];
  if (!TARGETS.includes(options.target)) {
    problems.push(
      `target must be 'atlas' or 'ops-manager' (value: ${JSON.stringify(String(options.target))})`,
    );
  }
  let baseUrl = '';
  const given = options.baseUrl ?? (options.target === 'atlas' ? ATLAS_BASE_URL : undefined);
  if (given === undefined) {
    problems.push("baseUrl is required for target 'ops-manager' (for example https://ops.example.com:8443)");
  } else {
    const parsed = parseBaseUrl('baseUrl', given, { allowInsecureHttp: options.allowInsecureHttp === true });
    if (parsed.ok) baseUrl = parsed.url;
    else problems.push(parsed.problem);
  }
  checkCredentials(problems, options.credentials);
  const transport = options.transport ?? 'undici';
  if (!TRANSPORTS.includes(transport)) {
    problems.push(`transport must be 'undici' or 'node-http' (value: ${JSON.stringify(String(transport))})`);
  } else if (transport === 'node-http' && options.dispatcher !== undefined) {
    problems.push("dispatcher is an undici Dispatcher: it requires transport 'undici' (or leave it out)");
  }
  checkInteger(problems, 'timeoutMs', options.timeoutMs, 1);
  checkInteger(problems, 'deadlineMs', options.deadlineMs, 1);
  checkInteger(problems, 'retry.maxRetries', options.retry?.maxRetries, 0);
  checkInteger(problems, 'retry.minDelayMs', options.retry?.minDelayMs, 0);
  checkInteger(problems, 'retry.maxDelayMs', options.retry?.maxDelayMs, 0);
  checkInteger(problems, 'rateLimit.windowMs', options.rateLimit?.windowMs, 1);
  checkInteger(problems, 'rateLimit.jitterMs', options.rateLimit?.jitterMs, 0);
  checkInteger(problems, 'rateLimit.deadlineMs', options.rateLimit?.deadlineMs, 1);
  const rateDir = options.rateLimit?.dir;
  if (rateDir !== undefined && rateDir !== false && (typeof rateDir !== 'string' || rateDir === '')) {
    problems.push('rateLimit.dir must be a directory path or false');
  } else if (typeof rateDir === 'string' && checkNoControlCharacters('rateLimit.dir', rateDir)) {
    problems.push(checkNoControlCharacters('rateLimit.dir', rateDir) as string);
  }
  const retry = resolveRetry(options.retry);
  if (retry.maxDelayMs < retry.minDelayMs)
    problems.push('retry.maxDelayMs must not be less than retry.minDelayMs');
  const dir = options.tokenCacheDir;
  if (dir !== undefined && dir !== false && (typeof dir !== 'string' || dir === '')) {
    problems.push('tokenCacheDir must be a directory path or false');
  } else if (typeof dir === 'string' && checkNoControlCharacters('tokenCacheDir', dir)) {
    problems.push(checkNoControlCharacters('tokenCacheDir', dir) as string);
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const uaProblem = checkNoControlCharacters('userAgent', userAgent);
  if (uaProblem) problems.push(uaProblem);
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid InvitationClient options:\n- ${problems.join('\n- ')}`, {
      secrets: secretsOf(options.credentials),
    });
  }
  const url = new URL(baseUrl);
  return {
    target: options.target,
    origin: url.origin,
    prefix: url.pathname === '/' ? '' : url.pathname,
    baseUrl,
    transport,
    timeoutMs: options.timeoutMs ?? 30_000,
    deadlineMs: options.deadlineMs ?? 120_000,
    retry,
    rateLimit: {
      dir: rateDir ?? (typeof dir === 'string' ? dir : false),
      windowMs: options.rateLimit?.windowMs ?? DEFAULT_RATE_LIMIT.windowMs,
      jitterMs: options.rateLimit?.jitterMs ?? DEFAULT_RATE_LIMIT.jitterMs,
      deadlineMs: options.rateLimit?.deadlineMs ?? DEFAULT_RATE_LIMIT.deadlineMs,
    },
    userAgent,
    sleep: options.sleep ?? realSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    hints: {
      tokenCache: options.hints?.tokenCache ?? DEFAULT_HINTS.tokenCache,
      nodeHttp: options.hints?.nodeHttp ?? DEFAULT_HINTS.nodeHttp,
    },
  };
}

/** Every secret value in a credentials object (for redaction). */
function secretsOf(credentials: Credentials | undefined): string[] {
  if (!credentials) return [];
  const c = credentials as Partial<Record<string, unknown>>;
  return [c.publicKey, c.privateKey, c.clientSecret, c.accessToken].filter(
    (v): v is string => typeof v === 'string',
  );
}
