// Canary secrets: values a test hands the client or CLI that must never come back out. expectNoCanary()
// checks a value in every view an error or object offers (String, inspect with hidden fields, JSON,
// the cause, message and stack); everyView() is that text. CANARY_BASIC is the service account's Basic value.
import { inspect } from 'node:util';

export const CANARY = {
  publicKey: 'pubkey-CANARY-3f9a1c',
  privateKey: 'privkey-CANARY-7b2e4d-0000-1111',
  clientId: 'mdb_sa_id_CANARY_55aa',
  clientSecret: 'mdb_sa_sk_CANARY_secret_8c1f',
  accessToken: 'static-token-CANARY-6d0b',
  issuedToken: 'issued-token-CANARY-2a7e',
} as const;

/** The Basic credentials of the canary service account, as the client sends them. */
export const CANARY_BASIC = Buffer.from(`${CANARY.clientId}:${CANARY.clientSecret}`).toString('base64');

/** Every canary that is a secret (the public key too: it names the key pair). */
export const SECRET_VALUES: readonly string[] = [
  CANARY.privateKey,
  CANARY.clientSecret,
  CANARY.accessToken,
  CANARY.issuedToken,
  CANARY.publicKey,
];

/** Every way an error or object could show a secret. */
export function everyView(value: unknown): string {
  if (typeof value === 'string') return value;
  const err = value as { cause?: unknown };
  return [
    String(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    JSON.stringify(value) ?? '',
    inspect(err?.cause, { depth: Infinity, showHidden: true }),
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ].join('\n');
}

/**
 * Asserts that none of `secrets` (default: every canary and CANARY_BASIC) appears in any view of any of
 * `values` (strings as they are; objects and errors through everyView).
 */
export function expectNoCanary(
  values: unknown | readonly unknown[],
  secrets: readonly string[] = [...SECRET_VALUES, CANARY_BASIC],
): void {
  for (const value of Array.isArray(values) ? values : [values]) {
    const text = everyView(value);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

/** expectNoCanary for one value and every canary (the name the client tests use). */
export const expectNoSecrets = (value: unknown): void => expectNoCanary([value]);
