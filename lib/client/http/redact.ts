// Redaction when an error is constructed (octokit's RequestError habit), by known secret values only, never
// by a free-text pattern; errors keep METHOD and path, never headers.
// Why: docs/decisions/0010-redaction-by-value.md.

const REPLACEMENT = '[REDACTED]';

/**
 * Secrets shorter than this are replaced only where a whole value equals them: replacing a
 * two-character secret inside free text would mangle every word that contains it (and tell nothing).
 */
const MIN_SECRET_LENGTH = 8;

/** A function that removes known secret values from a string. */
export type Redact = (text: string) => string;

/**
 * Builds a redactor for the given secret values (empty values are ignored): a text equal to a secret
 * is replaced whole; secrets of MIN_SECRET_LENGTH or more are also replaced inside longer text.
 */
export function createRedactor(secrets: readonly string[] = [], replacement = REPLACEMENT): Redact {
  const exact = new Set(secrets.filter((s) => s.length > 0));
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...exact].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    if (exact.has(text)) return replacement;
    let out = text;
    for (const value of values) out = out.split(value).join(replacement);
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
