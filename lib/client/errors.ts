// Typed errors with stable codes and brands (undici's habit; codes and brands: lib/contract/errors.ts). Every
// message says what failed (`METHOD path`, never a query, header or body), why (the status, the server's
// errorCode and detail) and what to do. Secrets are removed here, at construction.
import { errorBrand, hasBrand, markBrands, type ErrorCode } from '../contract/errors';
import { createRedactor, sanitizeCause, type Redact } from './http/redact';

/** Options of every error: the cause (stored sanitized) and the secret values to redact. */
export interface InvitationErrorOptions {
  readonly cause?: unknown;
  /** Secret values that must not appear anywhere in the error. */
  readonly secrets?: readonly string[];
}

/**
 * Base class of every error the client throws. `instanceof` works by brand, so an error thrown by another
 * copy of this module (the CLI bundle, the other package flavour) still matches.
 */
export abstract class InvitationError extends Error {
  static readonly brand: symbol = errorBrand('client');
  abstract readonly code: ErrorCode;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, this);
  }

  protected constructor(message: string, options: InvitationErrorOptions = {}) {
    const redact = createRedactor(options.secrets);
    const cause = sanitizeCause(options.cause, redact);
    super(redact(message), cause ? { cause } : undefined);
    this.name = new.target.name;
    if (this.stack) this.stack = redact(this.stack);
    markBrands(this, new.target);
  }
}

/** Bad options, flags or input, found before any request was sent. */
export class ConfigurationError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_CONFIGURATION');
  readonly code = 'MDB_CONFIGURATION';

  constructor(message: string, options?: InvitationErrorOptions) {
    super(message, options);
  }
}

/** What the server said about a failed request. */
export interface HttpFailure {
  readonly status: number;
  readonly method: string;
  /** Path only: no query string. */
  readonly path: string;
  readonly errorCode?: string;
  readonly detail?: string;
  /** What to do about it; appended to the message. */
  readonly hint?: string;
}

function describe(f: HttpFailure, redact: Redact): { errorCode?: string; detail?: string; text: string } {
  const errorCode = f.errorCode === undefined ? undefined : redact(f.errorCode);
  const detail = f.detail === undefined ? undefined : redact(f.detail);
  const code = errorCode ? ` (${errorCode})` : '';
  const why = detail ? `: ${detail.replace(/\.$/, '')}` : '';
  const hint = f.hint ? ` ${f.hint}` : '';
  return { errorCode, detail, text: `${f.method} ${f.path} failed with ${f.status}${code}${why}.${hint}` };
}

/**
 * Base of the errors built from the server's answer: the status, `METHOD path` (no query) and the
 * server's errorCode and detail, redacted at construction like the message.
 */
export abstract class HttpError extends InvitationError {
  static override readonly brand: symbol = errorBrand('http');
  readonly status: number;
  readonly method: string;
  /** Path only: no query string. */
  readonly path: string;
  readonly errorCode?: string;
  readonly detail?: string;

  protected constructor(failure: HttpFailure, options: InvitationErrorOptions = {}) {
    const d = describe(failure, createRedactor(options.secrets));
    super(d.text, options);
    this.status = failure.status;
    this.method = failure.method;
    this.path = failure.path;
    if (d.errorCode !== undefined) this.errorCode = d.errorCode;
    if (d.detail !== undefined) this.detail = d.detail;
  }
}

/** The API answered with an error status that retrying cannot fix (400, 403, 404 without ApiError, …). */
export class MongoDbApiError extends HttpError {
  static override readonly brand: symbol = errorBrand('MDB_API_ERROR');
  readonly code = 'MDB_API_ERROR';

  constructor(failure: HttpFailure, options?: InvitationErrorOptions) {
    super(failure, options);
  }
}

/** The credentials were refused: a 401 that survived one authentication round, or the token endpoint said no. */
export class AuthenticationError extends HttpError {
  static override readonly brand: symbol = errorBrand('MDB_AUTHENTICATION');
  readonly code = 'MDB_AUTHENTICATION';

  constructor(failure: HttpFailure, options?: InvitationErrorOptions) {
    super(failure, options);
  }
}

/** 410 VERSION_GONE: MongoDB has sunset this endpoint or API version. */
export class EndpointGoneError extends HttpError {
  static override readonly brand: symbol = errorBrand('MDB_ENDPOINT_GONE');
  readonly code = 'MDB_ENDPOINT_GONE';
  declare readonly status: 410;

  constructor(failure: Omit<HttpFailure, 'status' | 'hint'>, options?: InvitationErrorOptions) {
    super(
      {
        ...failure,
        status: 410,
        hint:
          'MongoDB has sunset this endpoint (API version 2023-01-01 of the invitations resource); ' +
          'pending invitations can no longer be cancelled through it. Cancel them in the MongoDB UI.',
      },
      options,
    );
  }
}

/** 429 or 5xx on every attempt, or the deadline passed while waiting to retry. */
export class RetryExhaustedError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_RETRY_EXHAUSTED');
  readonly code = 'MDB_RETRY_EXHAUSTED';
  readonly attempts: number;
  readonly lastStatus?: number;
  readonly method: string;
  readonly path: string;
  readonly errorCode?: string;
  readonly detail?: string;

  constructor(
    failure: { method: string; path: string; attempts: number; reason: string } & Partial<HttpFailure>,
    options: InvitationErrorOptions = {},
  ) {
    const redact = createRedactor(options.secrets);
    const last =
      failure.status === undefined
        ? ''
        : ` Last answer: ${failure.status}${failure.errorCode ? ` (${redact(failure.errorCode)})` : ''}` +
          `${failure.detail ? `: ${redact(failure.detail).replace(/\.$/, '')}` : ''}.`;
    super(
      `${failure.method} ${failure.path} failed after ${failure.attempts} attempt(s): ${failure.reason}.${last}` +
        ' MongoDB is busy or unavailable; run the command again later (Terraform retries on the next apply).',
      options,
    );
    this.attempts = failure.attempts;
    if (failure.status !== undefined) this.lastStatus = failure.status;
    this.method = failure.method;
    this.path = failure.path;
    if (failure.errorCode !== undefined) this.errorCode = redact(failure.errorCode);
    if (failure.detail !== undefined) this.detail = redact(failure.detail);
  }
}

/** Connection failures and timeouts that outlasted the retries (or the deadline). */
export class NetworkError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_NETWORK');
  readonly code = 'MDB_NETWORK';
  readonly attempts: number;
  readonly method: string;
  readonly path: string;
  /** The transport's error code, such as ECONNREFUSED or UND_ERR_HEADERS_TIMEOUT. */
  readonly networkCode?: string;

  constructor(
    failure: { method: string; path: string; attempts: number; reason: string; networkCode?: string },
    options: InvitationErrorOptions = {},
  ) {
    super(
      `${failure.method} ${failure.path} failed after ${failure.attempts} attempt(s): ${failure.reason}. ` +
        'Check the base URL, DNS, proxy and firewall, then run the command again.',
      options,
    );
    this.attempts = failure.attempts;
    this.method = failure.method;
    this.path = failure.path;
    if (failure.networkCode !== undefined) this.networkCode = failure.networkCode;
  }
}

/**
 * A DELETE answered 404 for the invitation, but it could not be confirmed gone: the project's list failed,
 * or still shows it. Nothing is taken as revoked; the instance stays in Terraform's state.
 */
export class UnconfirmedError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_UNCONFIRMED');
  readonly code = 'MDB_UNCONFIRMED';
  readonly method = 'DELETE';

  constructor(
    readonly path: string,
    readonly errorCode: string | undefined,
    cause: unknown,
    secrets: readonly string[],
  ) {
    const why =
      cause === undefined
        ? 'but the project still lists it as pending'
        : `and the project's pending invitations could not be read to confirm it is gone (${cause instanceof Error ? cause.message.replace(/\.$/, '') : String(cause)})`;
    super(
      `DELETE ${path} answered 404${errorCode ? ` (${errorCode})` : ''} ${why}. Nothing was taken as revoked: check the project id, the base URL and the credentials' access to the project, then apply again.`,
      { cause, secrets },
    );
  }
}

/**
 * A person is already a project member with other roles than declared, on an API this client cannot set a
 * member's roles through (Ops Manager): nothing was sent, no new invitation either.
 */
export class MemberRolesError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_MEMBER_ROLES');
  readonly code = 'MDB_MEMBER_ROLES';
  readonly username: string;
  readonly groupId: string;
  readonly roles: readonly string[];
  readonly declaredRoles: readonly string[];

  constructor(
    member: { username: string; groupId: string; roles: readonly string[]; declaredRoles: readonly string[] },
    options?: InvitationErrorOptions,
  ) {
    super(
      `${member.username} is already a member of project ${member.groupId} with ${member.roles.join(',')}, ` +
        `not the declared ${member.declaredRoles.join(',')}, and the Ops Manager API cannot set a member's ` +
        "roles through an invitation: nothing was sent (no new invitation). Set the member's roles in " +
        'Ops Manager (Project > Access Manager) to the declared ones, or declare the roles the member has, ' +
        'then apply again.',
      options,
    );
    this.username = member.username;
    this.groupId = member.groupId;
    this.roles = [...member.roles];
    this.declaredRoles = [...member.declaredRoles];
  }
}

/** The answer's body outgrew what the client reads (4 MiB): not a MongoDB API, or a broken proxy. */
export class ResponseTooLargeError extends InvitationError {
  static override readonly brand: symbol = errorBrand('MDB_RESPONSE_TOO_LARGE');
  readonly code = 'MDB_RESPONSE_TOO_LARGE';
  readonly method: string;
  /** Path only: no query string. */
  readonly path: string;
  readonly status?: number;
  readonly limitBytes: number;

  constructor(
    failure: { method: string; path: string; status?: number; limitBytes: number },
    options?: InvitationErrorOptions,
  ) {
    const status = failure.status ? ` (status ${failure.status})` : '';
    super(
      `${failure.method} ${failure.path} failed: the answer${status} is larger than ` +
        `${failure.limitBytes / 1024 / 1024} MiB, far more than any MongoDB API answer. ` +
        'Check that the base URL points at MongoDB, not at a proxy or another service.',
      options,
    );
    this.method = failure.method;
    this.path = failure.path;
    if (failure.status) this.status = failure.status;
    this.limitBytes = failure.limitBytes;
  }
}
