// A safety check, not a setting: the construct fixes the base URL at synth and never takes one from the
// environment, so an app left at the default Atlas URL while MONGODB_ATLAS_BASE_URL names another server
// (a sandbox) would invite people on real Atlas. Reading the variable here only decides whether to warn.
import { Annotations } from './cdk';
import type { IConstruct } from 'constructs';
import { CLI_ENV } from '../contract/keys';
import { ATLAS_BASE_URL, canonicalBaseUrl } from '../contract/rules';

/** Where the check looks and writes; tests pass their own. */
export interface BaseUrlWarningOptions {
  /** @default - `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default - `process.stderr` */
  readonly stderr?: { write(text: string): unknown };
}

/** The URLs already warned about on stderr in this process (one line per URL, however many constructs). */
const warned = new Set<string>();

/**
 * Warns (an Annotations warning on `scope`, and one stderr line per process and URL, so that it shows also
 * when the app runs without `cdktf synth`) when an Atlas target is left at the default Atlas URL while
 * `MONGODB_ATLAS_BASE_URL` names another server. Returns the warning, or undefined when there is none.
 *
 * @param kind the target's kind
 * @param baseUrl the target's canonical base URL (the Atlas default spelled out)
 */
export function warnIfBaseUrlIgnored(
  scope: IConstruct,
  kind: 'atlas' | 'ops-manager',
  baseUrl: string,
  options: BaseUrlWarningOptions = {},
): string | undefined {
  // eslint-disable-next-line no-restricted-properties -- read to warn only, see the header
  const env = options.env ?? process.env;
  const named = env[CLI_ENV.atlasBaseUrl]?.trim();
  if (kind !== 'atlas' || baseUrl !== ATLAS_BASE_URL || !named) return undefined;
  const parsed = canonicalBaseUrl('atlas', named, { allowInsecureHttp: true });
  const other = parsed.ok ? parsed.url : named;
  if (other === ATLAS_BASE_URL) return undefined;
  const message =
    `the target is Atlas at ${ATLAS_BASE_URL}, but ${CLI_ENV.atlasBaseUrl} names ${other}: the construct ` +
    `fixes the base URL at synth and does not read that variable, so this app sends to ${ATLAS_BASE_URL}. ` +
    `To use ${other}, pass it: InvitationTarget.atlas({ baseUrl: process.env.${CLI_ENV.atlasBaseUrl} })`;
  Annotations.of(scope).addWarning(message);
  if (!warned.has(other)) {
    warned.add(other);
    (options.stderr ?? process.stderr).write(`⚠ [${scope.node.path}] ${message}\n`);
  }
  return message;
}
