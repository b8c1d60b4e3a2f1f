// The construct's errors, thrown at synth: each names the construct path and carries a code of
// lib/contract/errors.ts. Branded like the client's, so `instanceof` holds between the cdktf and the cdktn
// flavour and across copies of the package (docs/design.md, decision 16).
import { errorBrand, hasBrand, markBrands } from '../contract/errors';

/** Base class of the errors the construct throws: a code and the path of the construct at fault. */
export abstract class ProjectInvitationsError extends Error {
  static readonly brand: symbol = errorBrand('construct');
  abstract readonly code: 'INVALID_PROJECT_INVITATIONS' | 'CONFLICTING_ENTRY';

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, this);
  }

  protected constructor(
    message: string,
    /** The path of the construct at fault (`node.path`). */
    public readonly constructPath: string,
  ) {
    super(message);
    this.name = new.target.name;
    markBrands(this, new.target);
  }
}

/** Thrown when props or entries are invalid; lists every problem, names the construct path. */
export class InvalidProjectInvitationsError extends ProjectInvitationsError {
  static override readonly brand: symbol = errorBrand('INVALID_PROJECT_INVITATIONS');
  public readonly code = 'INVALID_PROJECT_INVITATIONS';
  constructor(
    constructPath: string,
    public readonly problems: readonly string[],
  ) {
    super(`Invalid ProjectInvitations at [${constructPath}]:\n- ${problems.join('\n- ')}`, constructPath);
    this.name = 'InvalidProjectInvitationsError';
  }
}

/**
 * Thrown when two declarations of one entry disagree; the declaring construct reports it as one problem
 * of its InvalidProjectInvitationsError.
 */
export class ConflictingEntryError extends ProjectInvitationsError {
  static override readonly brand: symbol = errorBrand('CONFLICTING_ENTRY');
  public readonly code = 'CONFLICTING_ENTRY';
  constructor(
    readonly problem: string,
    constructPath: string,
  ) {
    super(problem, constructPath);
    this.name = 'ConflictingEntryError';
  }
}
