// Settings + environment → InvitationClientOptions. Credentials are resolved here, after the flags were
// checked, so that every usage problem is reported before any credential problem; nothing is sent yet.
import { closeSync, constants, futimesSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientHints, InvitationClientOptions } from '../client/invitation-client';
import { isLoopbackHost } from '../contract/rules';
import { resolveCredentials, resolveTokenCacheDir } from './credentials';
import { ambientName, CLI_ENV } from '../contract/keys';
import { UsageError, type CommandSettings, type HttpClient } from './options';
import type { Output } from './output';

export interface Warning {
  readonly code: string;
  readonly message: string;
  readonly sunset?: string;
}

/**
 * The HTTP client of `revoke` and `list`. Each is a one-shot process (Terraform starts one per revoked
 * invitation), and node:http starts faster there than undici (bench/cli.md, "undici or node:http");
 * MONGODB_INVITATIONS_HTTP=undici switches back. The library's own default stays undici.
 */
export const DEFAULT_HTTP_CLIENT: HttpClient = 'node-http';

/** What the client's messages tell a CLI user to change: the CLI's variables, never the client's options. */
const CLI_HINTS = {
  tokenCache: `Point ${ambientName('token_cache')} at a writable directory of your own ("off" keeps tokens in memory).`,
  nodeHttp: `Unset ${CLI_ENV.http} or set it to node-http.`,
} as const satisfies ClientHints;

/** The Sunset/Deprecation line is printed at most once per this interval per token-cache directory. */
const NOTICE_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The marker file, in the token-cache directory, whose mtime says when the notice was last printed. */
const NOTICE_MARKER = 'deprecation-notice';

/**
 * True when the Sunset/Deprecation notice should be printed: no usable directory to remember it in, or
 * not printed from this directory in the last day (then the marker is touched). A 300-revoke apply
 * prints it once, not 300 times; `--json` carries it always.
 */
function deprecationNoticeDue(dir: string | false, now: number = Date.now()): boolean {
  if (dir === false) return true;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const d = lstatSync(dir);
    const me = process.getuid?.();
    if (!d.isDirectory() || (me !== undefined && d.uid !== me)) return true;
    const marker = join(dir, NOTICE_MARKER);
    const m = lstatSync(marker, { throwIfNoEntry: false });
    if (m && !m.isFile()) return true; // a link or anything else: never follow it, never rely on it
    if (m && now - m.mtimeMs >= 0 && now - m.mtimeMs < NOTICE_INTERVAL_MS) return false;
    const flags = constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
    const fd = openSync(marker, flags, 0o600);
    try {
      futimesSync(fd, now / 1000, now / 1000);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return true; // read-only, no permission…: better printed every time than never
  }
}

/** The token-cache directory, or false when there is none (never throws: used only for the notice). */
function noticeDir(configured: string | undefined, env: NodeJS.ProcessEnv): string | false {
  try {
    return resolveTokenCacheDir(configured, env);
  } catch {
    return false;
  }
}

/** Builds the client options; registers the secrets with the output; collects warnings as they come. */
export function buildClientOptions(
  settings: CommandSettings,
  env: NodeJS.ProcessEnv,
  output: Output,
  warnings: Warning[],
): InvitationClientOptions {
  if (settings.http === 'undici') requireUndici();
  const { credentials, secrets } = resolveCredentials(
    settings.target,
    settings.auth,
    env,
    settings.credentialNames,
  );
  output.addSecrets(secrets);
  const url = new URL(settings.baseUrl);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    output.line(
      '⚠',
      `${settings.baseUrl} is plain http (allowed with --allow-insecure-http): requests and credentials travel unencrypted`,
    );
  }
  // Only service accounts cache tokens; resolving the directory for other modes could only fail.
  const tokenCacheDir =
    credentials.kind === 'service-account' ? resolveTokenCacheDir(settings.tokenCache, env) : undefined;
  let cacheUsable = tokenCacheDir !== false;
  const warn = (warning: Warning, print = true): void => {
    warnings.push(warning);
    if (print) output.line('⚠', warning.message);
  };
  if (tokenCacheDir === false && settings.tokenCache !== 'off') {
    warn({
      code: 'MDB_TOKEN_CACHE_UNUSABLE',
      message:
        'No token cache directory: HOME is unset, empty or relative. Keeping the token in memory for ' +
        `this run and revoking it at exit; set ${ambientName('token_cache')} to a directory of your own.`,
    });
  }
  return {
    target: settings.target,
    hints: CLI_HINTS,
    baseUrl: settings.baseUrl,
    allowInsecureHttp: settings.allowInsecureHttp,
    credentials,
    transport: settings.http ?? DEFAULT_HTTP_CLIENT,
    ...(tokenCacheDir !== undefined ? { tokenCacheDir } : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.maxRetries !== undefined ? { retry: { maxRetries: settings.maxRetries } } : {}),
    // The processes of one apply share rate-limit waits through the cache directory (any auth mode).
    // With the token cache off, waits are still shared through the default cache directory.
    rateLimit: {
      dir:
        cacheUsable && tokenCacheDir !== false
          ? (tokenCacheDir ?? noticeDir(settings.tokenCache, env))
          : noticeDir(undefined, env),
    },
    onWait: (wait) => {
      const who = wait.source === 'shared' ? 'another invitation of this run was rate limited' : wait.reason;
      output.line('⚠', `waiting ${wait.seconds} s before ${wait.method} ${wait.path}: ${who}`);
    },
    onWarning: (warning) => {
      if (warning.code === 'MDB_TOKEN_CACHE_UNUSABLE') cacheUsable = false;
      const notice = warning.code === 'MDB_SUNSET' || warning.code === 'MDB_DEPRECATED';
      const dir = !cacheUsable ? false : (tokenCacheDir ?? noticeDir(settings.tokenCache, env));
      warn({ ...warning }, !notice || deprecationNoticeDue(dir));
    },
  };
}

/**
 * MONGODB_INVITATIONS_HTTP=undici needs undici beside the CLI: the installed package has it, the copy the
 * construct ships into a stack does not (docs/decisions/0011). Refused before anything is sent.
 */
function requireUndici(): void {
  try {
    require.resolve('undici/lib/dispatcher/client');
  } catch {
    throw new UsageError(
      `${CLI_ENV.http}=undici: undici cannot be loaded here (the copy of the CLI that the construct ships into the stack sends with node:http only); unset ${CLI_ENV.http} or set it to node-http`,
    );
  }
}
