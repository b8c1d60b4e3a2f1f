// The one error class the sandbox throws on purpose: bad options or seed data given to Sandbox.start (or
// to sandbox.seed). It extends TypeError for callers that matched on that before it existed; callers that
// must tell a usage mistake from a bug (the CLI's exit 2 vs 1) match on `code`, never on TypeError.

export class SandboxOptionsError extends TypeError {
  readonly code = 'SANDBOX_INVALID_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'SandboxOptionsError';
  }
}

/** A value quoted as an RFC 9110 quoted-string: backslash and double quote escaped. */
export function quotedString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** True when a string holds a C0 control character or DEL (never valid in a header value). */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
