// The sandbox's errors, branded like the package's others (the same registered symbols as
// lib/contract/errors.ts, spelled here: the sandbox imports nothing of lib/contract), so `instanceof` holds
// across copies of the module. Their codes are in ERROR_CODES there; a test checks they agree.

const brandOf = (name: string): symbol => Symbol.for(`cdktf-mongodb-invitations.error.${name}`);
const PACKAGE_BRAND = Symbol.for('cdktf-mongodb-invitations.error');
const SANDBOX_BRAND = brandOf('sandbox');

function mark(instance: object, brands: readonly symbol[]): void {
  for (const brand of [PACKAGE_BRAND, SANDBOX_BRAND, ...brands]) {
    Object.defineProperty(instance, brand, { value: true, enumerable: false });
  }
}

function branded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Base class of the errors the sandbox throws on purpose (SandboxOptionsError matches it by brand). */
export abstract class SandboxError extends Error {
  abstract readonly code: string;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === SandboxError
      ? branded(value, SANDBOX_BRAND)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  protected constructor(message: string, brands: readonly symbol[]) {
    super(message);
    mark(this, brands);
  }
}

const OPTIONS_BRAND = brandOf('SANDBOX_INVALID_OPTIONS');

/**
 * Bad options or seed data given to Sandbox.start (or to sandbox.seed). It extends TypeError for callers
 * that matched on that before it existed (and is a SandboxError by brand); callers that must tell a usage
 * mistake from a bug (the CLI's exit 2 vs 1) match on `code`, never on TypeError.
 */
export class SandboxOptionsError extends TypeError {
  readonly code = 'SANDBOX_INVALID_OPTIONS';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, OPTIONS_BRAND);
  }

  constructor(message: string) {
    super(message);
    this.name = 'SandboxOptionsError';
    mark(this, [OPTIONS_BRAND]);
  }
}

export const NOTHING_PENDING_BRAND = brandOf('SANDBOX_NOTHING_PENDING');

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
