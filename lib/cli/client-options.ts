// Settings + environment → InvitationClientOptions. Credentials are resolved here, after the flags were
// checked, so that every usage problem is reported before any credential problem; nothing is sent yet.
import type { InvitationClientOptions } from '../client/invitation-client';
import { isLoopbackHost } from '../contract/rules';
import { resolveCredentials, resolveTokenCacheDir } from './credentials';
import type { CommandSettings, HttpClient } from './options';
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

/** Builds the client options; registers the secrets with the output; collects warnings as they come. */
export function buildClientOptions(
  settings: CommandSettings,
  env: NodeJS.ProcessEnv,
  output: Output,
  warnings: Warning[],
): InvitationClientOptions {
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
  return {
    target: settings.target,
    baseUrl: settings.baseUrl,
    allowInsecureHttp: settings.allowInsecureHttp,
    credentials,
    transport: settings.http ?? DEFAULT_HTTP_CLIENT,
    // Only service accounts cache tokens; resolving the directory for other modes could only fail.
    ...(credentials.kind === 'service-account'
      ? { tokenCacheDir: resolveTokenCacheDir(settings.tokenCache, env) }
      : {}),
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.maxRetries !== undefined ? { retry: { maxRetries: settings.maxRetries } } : {}),
    onWarning: (warning) => {
      warnings.push(warning);
      output.line('⚠', warning.message);
    },
  };
}
