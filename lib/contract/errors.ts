// Every error code of the package, the exit code the CLI answers each with, and the brands that make
// `instanceof` hold across copies of the error classes (the CLI bundle, the library, the cdktf and cdktn
// flavours each hold their own). docs/design.md, decision 16.

/** The CLI's exit codes, by name. */
export const ExitCode = {
  /** Done, or nothing to do (the CLI says why). */
  Done: 0,
  /** The API or the network failed. */
  Failed: 1,
  /** Bad usage, input or configuration: nothing was sent. */
  Usage: 2,
  /** `audit --exit-code`: code and server differ. */
  Differs: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every code an error of this package carries, with the exit code the CLI answers it with. The sandbox
 * spells its two codes itself (it imports nothing of lib/contract); a test checks they are these.
 */
export const ERROR_CODES = {
  // lib/client
  MDB_CONFIGURATION: ExitCode.Usage,
  MDB_API_ERROR: ExitCode.Failed,
  MDB_AUTHENTICATION: ExitCode.Failed,
  MDB_ENDPOINT_GONE: ExitCode.Failed,
  MDB_RETRY_EXHAUSTED: ExitCode.Failed,
  MDB_NETWORK: ExitCode.Failed,
  MDB_UNCONFIRMED: ExitCode.Failed,
  MDB_RESPONSE_TOO_LARGE: ExitCode.Failed,
  MDB_RATE_LIMITED: ExitCode.Failed,
  MDB_MEMBER_ROLES: ExitCode.Failed,
  // lib/cli
  MDB_USAGE: ExitCode.Usage,
  /** Not an error of this package (a bug, or a dependency's): reported under this code by `--json`. */
  MDB_UNEXPECTED: ExitCode.Failed,
  // lib/construct (thrown at synth, never by the CLI)
  INVALID_PROJECT_INVITATIONS: ExitCode.Usage,
  CONFLICTING_ENTRY: ExitCode.Usage,
  // lib/sandbox
  SANDBOX_INVALID_OPTIONS: ExitCode.Usage,
  SANDBOX_NOTHING_PENDING: ExitCode.Failed,
} as const satisfies Record<string, ExitCode>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes of the client's warnings (`ClientWarning.code`): told, never thrown. */
export const WARNING_CODES = [
  'MDB_DEPRECATED',
  'MDB_SUNSET',
  'MDB_TOKEN_CACHE_UNUSABLE',
  'MDB_RATE_LIMIT_FILE_UNUSABLE',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** The exit code for an error: its code's, from ERROR_CODES; 1 for anything else. */
export function exitCodeOf(err: unknown): ExitCode {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
    ? ERROR_CODES[code as ErrorCode]
    : ExitCode.Failed;
}

const BRAND_PREFIX = 'cdktf-mongodb-invitations.error';

/** The brand every error of the package carries, whatever its layer. */
export const PACKAGE_ERROR_BRAND: symbol = Symbol.for(BRAND_PREFIX);

/** The brand of one error class: a registered symbol, the same in every copy of the module. */
export function errorBrand(name: string): symbol {
  return Symbol.for(`${BRAND_PREFIX}.${name}`);
}

function ownBrand(ctor: unknown): symbol | undefined {
  if (typeof ctor !== 'function' || !Object.hasOwn(ctor, 'brand')) return undefined;
  const brand: unknown = (ctor as { brand?: unknown }).brand;
  return typeof brand === 'symbol' ? brand : undefined;
}

/**
 * Marks an error with the package's brand, the brand of its class and of every class above it (and with
 * `also`, for a class
 * that belongs to a root it cannot extend). Called by the root's constructor with `new.target`.
 */
export function markBrands(instance: object, ctor: unknown, also: readonly symbol[] = []): void {
  const brands = [PACKAGE_ERROR_BRAND, ...also];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    const brand = ownBrand(c);
    if (brand !== undefined) brands.push(brand);
  }
  for (const brand of brands) {
    Object.defineProperty(instance, brand, { value: true, enumerable: false });
  }
}

/**
 * `value instanceof ctor`, by brand when `ctor` declares one (so a copy of the class from another bundle
 * matches), by the prototype chain otherwise (a subclass written by a user).
 */
export function hasBrand(value: unknown, ctor: object): boolean {
  const brand = ownBrand(ctor);
  if (brand === undefined) return Function.prototype[Symbol.hasInstance].call(ctor, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
