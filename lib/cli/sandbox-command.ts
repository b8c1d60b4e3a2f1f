// `mongodb-invitations sandbox`: starts the in-memory API, prints its URL and sandbox-only credentials as
// `export` lines, logs requests on stderr, stops on SIGINT/SIGTERM. Never reads real credentials.
// Reference: docs/sandbox.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ExitCode } from '../contract/errors';
import { isLoopbackHost } from '../contract/rules';
import { didYouMean } from '../contract/suggest';
import { UsageError } from './errors';
import type { Sandbox, SandboxCredentials, SandboxOptions, SeedInput } from '../sandbox/server';

export const SANDBOX_USAGE = `Usage: mongodb-invitations sandbox [--host 127.0.0.1] [--port N] [--seed FILE] [--log FILE]
                                   [--json] [--quiet] [--generate-credentials]
                                   [--invitation-rate-limit N/SECONDS|off] [--bypass-invitation-mode]

Runs an in-memory Atlas Admin API v2 (invites and Cloud Users APIs) + Ops Manager public API v1.0 server
(Digest API keys, OAuth service accounts, access tokens; fault switches, a request log and the
accept/expire switches under /_sandbox/) until Ctrl+C / SIGTERM. It prints its base URL and the
sandbox-only credentials it accepts, and how a cdktf app points at it (baseUrl). Reference:
docs/sandbox.md (installed: node_modules/cdktf-mongodb-invitations/docs/sandbox.md).

  --host HOST               interface to listen on, default 127.0.0.1; anything else makes the
                            sandbox reachable from other machines
  --port N                  port, default 0 (any free port; read the printed URL)
  --seed FILE               JSON {"invitations": [...]} or a list of entries: invitations
                            {"groupId", "id"?, "username", "roles", "target"?: "atlas"|"ops-manager"|"both"},
                            id entries {"groupId", "invitationId"}, people {"groupId", "username",
                            "roles", "api"?: "cloud-users"|"invites"|"ops-manager"}
  --log FILE                also append the request log to FILE as JSON lines
  --json                    print {"url", "credentials", "env", "seeded"} as one JSON line on stdout
  --quiet                   do not print a line per request
  --generate-credentials    accept random credentials instead of the fixed demo ones
  --invitation-rate-limit N/SECONDS|off
                            Atlas's limit on creating invitations per client IP, default 10/60
                            (then 400 INVITATIONS_RATE_LIMITED_IP); off for none
  --bypass-invitation-mode  Ops Manager's Bypass Invitation Mode: an invitation POST adds the member
  -h, --help                print this text
`;

interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  signal?: AbortSignal;
}

/**
 * Bad flags, options or seed (exit 2), told apart by code (errors may come from another realm). Any other
 * error, a TypeError from a bug included, is a failure (exit 1), never bad usage.
 */
function isUsageError(err: unknown): boolean {
  if (err instanceof UsageError) return true;
  const { code } = (err ?? {}) as { code?: unknown };
  return (
    typeof code === 'string' && (code.startsWith('ERR_PARSE_ARGS') || code === 'SANDBOX_INVALID_OPTIONS')
  );
}

/** Runs the command; every rejection becomes a line on stderr and an exit code, never an unhandled one. */
export async function runSandbox(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    return await serve(argv, env, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`✖ sandbox: ${message}\n`);
    return isUsageError(err) ? ExitCode.Usage : ExitCode.Failed;
  }
}

async function serve(argv: string[], _env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let options: SandboxOptions;
  let flags: { json: boolean; quiet: boolean; help: boolean };
  try {
    ({ options, flags } = await parseOptions(argv));
  } catch (err) {
    if (!isUsageError(err)) throw err;
    const message = (err as Error).message;
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const suggestion = unknown === undefined ? '' : didYouMean(unknown, SANDBOX_FLAGS, '--');
    io.stderr.write(
      `✖ sandbox: ${message}${suggestion}\n  run "mongodb-invitations sandbox --help" for the usage\n`,
    );
    return ExitCode.Usage;
  }
  if (flags.help) {
    io.stdout.write(SANDBOX_USAGE);
    return ExitCode.Done;
  }
  if (io.signal?.aborted) return ExitCode.Done;
  const { Sandbox } = await import('../sandbox/server');
  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.start(options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`✖ sandbox: could not start: ${message}\n`);
    return isUsageError(err) ? ExitCode.Usage : ExitCode.Failed;
  }
  const host = options.host ?? '127.0.0.1';
  const clientUrl = sandbox.url.replace(/\/\/(0\.0\.0\.0|\[::\]):/, '//127.0.0.1:');
  const env = exportsFor(clientUrl, sandbox.credentials);
  const seeded =
    sandbox.invitations('atlas').length +
    sandbox.invitations('ops-manager').length +
    sandbox.cloudUsers().length;
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ url: sandbox.url, credentials: sandbox.credentials, env, seeded })}\n`,
    );
  } else {
    io.stderr.write(banner(sandbox.url, env, seeded));
  }
  if (!isLoopbackHost(host) && host !== '::1') {
    io.stderr.write(
      `⚠ listening on ${host}: other machines can reach this sandbox (its admin path answers loopback only)\n`,
    );
  }
  const unsubscribe = flags.quiet
    ? () => undefined
    : sandbox.onRequest((e) =>
        io.stderr.write(`  ${e.method} ${e.path} → ${e.status || 'reset'} (${e.authScheme})\n`),
      );
  await waitForStop(io.signal);
  unsubscribe();
  await sandbox.stop();
  if (!flags.json) io.stderr.write('sandbox stopped\n');
  return ExitCode.Done;
}

const SANDBOX_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  seed: { type: 'string' },
  log: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'generate-credentials': { type: 'boolean' },
  'invitation-rate-limit': { type: 'string' },
  'bypass-invitation-mode': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
const SANDBOX_FLAGS = Object.keys(SANDBOX_OPTIONS);

async function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: SANDBOX_OPTIONS,
  });
  const options: SandboxOptions = { host: values.host ?? '127.0.0.1' };
  if (values.host !== undefined && !/^[A-Za-z0-9.:[\]-]+$/.test(values.host)) {
    throw new UsageError(`--host must be a host name or IP address (value: ${JSON.stringify(values.host)})`);
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(
        `--port must be a whole number from 0 to 65535 (value: ${JSON.stringify(values.port)})`,
      );
    }
    options.port = port;
  }
  if (values.seed !== undefined) options.seed = await readSeed(values.seed);
  if (values.log !== undefined) options.requestLogFile = values.log;
  if (values['generate-credentials']) options.credentials = generateCredentials();
  const limit = values['invitation-rate-limit'];
  if (limit !== undefined) options.invitationRateLimit = parseInvitationRateLimit(limit);
  if (values['bypass-invitation-mode']) options.bypassInvitationMode = true;
  const flags = { json: values.json ?? false, quiet: values.quiet ?? false, help: values.help ?? false };
  return { options, flags };
}

/** `N/SECONDS` (e.g. 10/60) or `off`. */
function parseInvitationRateLimit(text: string): NonNullable<SandboxOptions['invitationRateLimit']> {
  if (text === 'off') return 'off';
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const count = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || count < 1 || seconds < 1) {
    throw new UsageError(
      `--invitation-rate-limit must be N/SECONDS with positive whole numbers (e.g. 10/60) or off (value: ${JSON.stringify(text)})`,
    );
  }
  return { count, windowMs: seconds * 1000 };
}

async function readSeed(file: string): Promise<SeedInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--seed ${JSON.stringify(file)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    const seed = JSON.parse(text) as SeedInput;
    if (!Array.isArray(seed) && !Array.isArray((seed as { invitations?: unknown } | null)?.invitations)) {
      throw new Error('expected {"invitations": [...]} or a list of entries');
    }
    return seed;
  } catch (err) {
    throw new UsageError(`--seed ${JSON.stringify(file)} is not a seed file: ${(err as Error).message}`);
  }
}

function generateCredentials(): NonNullable<SandboxOptions['credentials']> {
  const letters = (n: number) =>
    Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');
  return {
    apiKeys: [{ publicKey: letters(8), privateKey: randomUUID() }],
    serviceAccounts: [
      {
        clientId: `mdb_sa_id_${randomBytes(12).toString('hex')}`,
        clientSecret: `mdb_sa_sk_${randomBytes(24).toString('hex')}`,
      },
    ],
    accessTokens: [randomBytes(32).toString('base64url')],
  };
}

/** The variables a user would export to point the CLI (and MongoDB's own tools) at this sandbox. */
export function exportsFor(url: string, credentials: SandboxCredentials): Record<string, string> {
  const key = credentials.apiKeys[0];
  const sa = credentials.serviceAccounts[0];
  const token = credentials.accessTokens[0];
  return {
    MONGODB_ATLAS_BASE_URL: url,
    ...(key && {
      MONGODB_ATLAS_PUBLIC_API_KEY: key.publicKey,
      MONGODB_ATLAS_PRIVATE_API_KEY: key.privateKey,
    }),
    ...(sa && { MONGODB_ATLAS_CLIENT_ID: sa.clientId, MONGODB_ATLAS_CLIENT_SECRET: sa.clientSecret }),
    ...(token && { MONGODB_ATLAS_ACCESS_TOKEN: token }),
    MCLI_OPS_MANAGER_URL: url,
    ...(key && { MCLI_PUBLIC_API_KEY: key.publicKey, MCLI_PRIVATE_API_KEY: key.privateKey }),
  };
}

const shellQuote = (value: string) =>
  /^[A-Za-z0-9_:/.@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

function banner(url: string, env: Record<string, string>, seeded: number): string {
  const line = (name: string) =>
    env[name] === undefined ? '' : `  export ${name}=${shellQuote(env[name])}\n`;
  return (
    `MongoDB invitations sandbox listening on ${url}\n` +
    `  Atlas        ${url}/api/atlas/v2/groups/{groupId}/invites\n` +
    `  Cloud Users  ${url}/api/atlas/v2/groups/{groupId}/users\n` +
    `  Ops Manager  ${url}/api/public/v1.0/groups/{groupId}/invites\n` +
    `  Admin        ${url}/_sandbox/ (faults, log, invitations, accept, expire, reset; loopback only)\n` +
    `Sandbox-only credentials (they open nothing but this sandbox). Paste one set:\n` +
    `  # Atlas, API key (Digest)\n${line('MONGODB_ATLAS_BASE_URL')}${line('MONGODB_ATLAS_PUBLIC_API_KEY')}${line('MONGODB_ATLAS_PRIVATE_API_KEY')}` +
    `  # Atlas, service account (OAuth client credentials; preferred by the CLI when set)\n${line('MONGODB_ATLAS_CLIENT_ID')}${line('MONGODB_ATLAS_CLIENT_SECRET')}` +
    `  # Atlas, access token\n${line('MONGODB_ATLAS_ACCESS_TOKEN')}` +
    `  # Ops Manager, API key (Digest)\n${line('MCLI_OPS_MANAGER_URL')}${line('MCLI_PUBLIC_API_KEY')}${line('MCLI_PRIVATE_API_KEY')}` +
    `Your cdktf app must pass this URL as the target's baseUrl: the construct fixes the URL at synth and\n` +
    `never reads MONGODB_ATLAS_BASE_URL (synth warns when an Atlas target stays at the default URL while it\n` +
    `names another server), so an app left at InvitationTarget.atlas() would invite people on real Atlas:\n` +
    `  InvitationTarget.atlas({ baseUrl: process.env.MONGODB_ATLAS_BASE_URL })\n` +
    `  InvitationTarget.opsManager({ baseUrl: process.env.MCLI_OPS_MANAGER_URL })\n` +
    `Reference: docs/sandbox.md (installed: node_modules/cdktf-mongodb-invitations/docs/sandbox.md).\n` +
    `${seeded} invitation(s) seeded (each API counted apart). Press Ctrl+C to stop.\n`
  );
}

/** Resolves on io.signal's abort, or, without a signal, on the first SIGINT/SIGTERM. */
function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      return undefined;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return undefined;
  });
}
