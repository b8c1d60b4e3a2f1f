// The CLI's own errors: branded like the client's (lib/contract/errors.ts), so `instanceof` holds whichever
// copy of the module threw them. The exit code of every code is in ERROR_CODES.
import { errorBrand, hasBrand, markBrands } from '../contract/errors';

/** Base class of the errors the CLI throws itself (the client's are InvitationError). */
export abstract class CliError extends Error {
  static readonly brand: symbol = errorBrand('cli');
  abstract readonly code: 'MDB_USAGE';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, this);
  }

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
    markBrands(this, new.target);
  }
}

/** Bad usage, input or configuration: exit 2, nothing sent. The message says what to fix. */
export class UsageError extends CliError {
  static override readonly brand: symbol = errorBrand('MDB_USAGE');
  readonly code = 'MDB_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
