// Redaction helpers used when an error is constructed (octokit's RequestError habit): secrets are
// removed before a message, field or cause is stored, so nothing printed, inspected or serialized
// later can show them.

const REPLACEMENT = '[REDACTED]';

// Credentials that look like an Authorization header value, wherever they appear in free text.
const AUTH_VALUE = /\b(Digest|Bearer|Basic)\s+[^\r\n]*/gi;

/** A function that removes known secret values and Authorization-looking text from a string. */
export type Redact = (text: string) => string;

/** Builds a redactor for the given secret values (empty values are ignored). */
export function createRedactor(secrets: readonly string[] = []): Redact {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text.replace(AUTH_VALUE, (_m, scheme: string) => `${scheme} ${REPLACEMENT}`);
    for (const value of values) out = out.split(value).join(REPLACEMENT);
    return out;
  };
}

/**
 * Returns a copy of an error that is safe to keep as `cause`: name, code and message (redacted), a
 * redacted stack, and its own cause (depth-limited). Every other field is dropped: undici errors and
 * the objects they reference may hold request options, and those hold the Authorization header.
 */
export function sanitizeCause(cause: unknown, redact: Redact, depth = 0): Error | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (!(cause instanceof Error)) return new Error(redact(String(cause)));
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') {
    Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  }
  copy.stack = redact(cause.stack ?? `${cause.name}: ${cause.message}`);
  const inner = depth < 3 ? sanitizeCause(cause.cause, redact, depth + 1) : undefined;
  if (inner) Object.defineProperty(copy, 'cause', { value: inner, enumerable: false, configurable: true });
  return copy;
}
