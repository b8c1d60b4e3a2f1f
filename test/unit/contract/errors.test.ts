// Error brands, the one registry of codes and the named exit codes: an error thrown by one copy of a
// module (the CLI bundle, the library, the cdktn flavour) is `instanceof` the class of another copy.
import * as clientEntry from '../../../lib/client/index';
import * as packageEntry from '../../../lib/index';
import { UsageError, CliError } from '../../../lib/cli/errors';
import * as clientErrors from '../../../lib/client/errors';
import { RateLimitedError } from '../../../lib/client/http/rate-limit';
import {
  ConflictingEntryError,
  InvalidProjectInvitationsError,
  ProjectInvitationsError,
} from '../../../lib/construct/errors';
import { ERROR_CODES, ExitCode, exitCodeOf, PACKAGE_ERROR_BRAND } from '../../../lib/contract/errors';
import { SandboxError, SandboxOptionsError } from '../../../lib/sandbox/errors';
import { NothingPendingError } from '../../../lib/sandbox/switches';

const PATH = '/api/atlas/v2/groups/5f0c1a2b3c4d5e6f7a8b9c0d/invites/6a1b2c3d4e5f60718293a4b5';
const failure = { status: 400, method: 'DELETE', path: PATH };

type Modules = {
  client: typeof clientErrors;
  rateLimit: { RateLimitedError: typeof RateLimitedError };
  construct: typeof import('../../../lib/construct/errors');
  cli: typeof import('../../../lib/cli/errors');
  sandbox: typeof import('../../../lib/sandbox/errors');
  switches: typeof import('../../../lib/sandbox/switches');
};

/** A second, separate copy of every error module, as another bundle would hold. */
function otherCopy(): Modules {
  let copy: Modules | undefined;
  jest.isolateModules(() => {
    copy = {
      client: jest.requireActual('../../../lib/client/errors'),
      rateLimit: jest.requireActual('../../../lib/client/http/rate-limit'),
      construct: jest.requireActual('../../../lib/construct/errors'),
      cli: jest.requireActual('../../../lib/cli/errors'),
      sandbox: jest.requireActual('../../../lib/sandbox/errors'),
      switches: jest.requireActual('../../../lib/sandbox/switches'),
    };
  });
  if (!copy) throw new Error('isolateModules did not run');
  return copy;
}

/** One instance of every error class of a copy, with the classes it must match. */
function instancesOf(m: Modules) {
  const rate = {
    method: 'POST',
    path: PATH,
    waitedMs: 1000,
    nextWaitMs: 60_000,
    deadlineMs: 30_000,
  };
  return [
    new m.client.ConfigurationError('x'),
    new m.client.MongoDbApiError(failure),
    new m.client.AuthenticationError({ ...failure, status: 401 }),
    new m.client.EndpointGoneError({ method: 'DELETE', path: PATH }),
    new m.client.RetryExhaustedError({ method: 'DELETE', path: PATH, attempts: 2, reason: 'r' }),
    new m.client.NetworkError({ method: 'DELETE', path: PATH, attempts: 1, reason: 'r' }),
    new m.client.UnconfirmedError(PATH, undefined, undefined, []),
    new m.client.ResponseTooLargeError({ method: 'GET', path: PATH, limitBytes: 4 * 1024 * 1024 }),
    new m.rateLimit.RateLimitedError(rate),
    new m.construct.InvalidProjectInvitationsError('app/stack/team', ['a problem']),
    new m.construct.ConflictingEntryError('a conflict', 'app/stack/team'),
    new m.cli.UsageError('bad flag'),
    new m.sandbox.SandboxOptionsError('bad option'),
    new m.switches.NothingPendingError('5f0c1a2b3c4d5e6f7a8b9c0d', 'ana@example.com', undefined),
    new m.client.MemberRolesError({
      username: 'ana@example.com',
      groupId: '5f0c1a2b3c4d5e6f7a8b9c0d',
      roles: ['GROUP_READ_ONLY'],
      declaredRoles: ['GROUP_OWNER'],
    }),
  ];
}

describe('error brands', () => {
  it('an error of another copy of the module is instanceof its class, its root and Error here', () => {
    const theirs = instancesOf(otherCopy());
    const ours = instancesOf({
      client: clientErrors,
      rateLimit: { RateLimitedError },
      construct: { ConflictingEntryError, InvalidProjectInvitationsError, ProjectInvitationsError },
      cli: { UsageError, CliError },
      sandbox: { SandboxError, SandboxOptionsError } as Modules['sandbox'],
      switches: { NothingPendingError } as unknown as Modules['switches'],
    });
    theirs.forEach((error, i) => {
      const ctor = (ours[i] as object).constructor;
      expect(error.constructor).not.toBe(ctor);
      expect(error).toBeInstanceOf(ctor);
      expect(error).toBeInstanceOf(Error);
      expect((error as unknown as Record<symbol, unknown>)[PACKAGE_ERROR_BRAND]).toBe(true);
    });
    const [configuration, api, , , , , , , rate, invalid, conflict, usage, options, nothing] = theirs;
    expect(configuration).toBeInstanceOf(clientErrors.InvitationError);
    expect(api).toBeInstanceOf(clientErrors.HttpError);
    expect(rate).toBeInstanceOf(clientErrors.InvitationError);
    expect(invalid).toBeInstanceOf(ProjectInvitationsError);
    expect(conflict).toBeInstanceOf(ProjectInvitationsError);
    expect(usage).toBeInstanceOf(CliError);
    expect(options).toBeInstanceOf(SandboxError);
    expect(options).toBeInstanceOf(TypeError);
    expect(nothing).toBeInstanceOf(SandboxError);
  });

  it('a brand matches only its own class and the classes above it', () => {
    const api = new clientErrors.MongoDbApiError(failure);
    expect(api).not.toBeInstanceOf(clientErrors.AuthenticationError);
    expect(api).not.toBeInstanceOf(clientErrors.ConfigurationError);
    expect(new clientErrors.ConfigurationError('x')).not.toBeInstanceOf(clientErrors.HttpError);
    expect(new UsageError('x')).not.toBeInstanceOf(clientErrors.InvitationError);
    expect(new clientErrors.ConfigurationError('x')).not.toBeInstanceOf(CliError);
    expect(new InvalidProjectInvitationsError('p', [])).not.toBeInstanceOf(ConflictingEntryError);
    expect(new Error('plain')).not.toBeInstanceOf(clientErrors.InvitationError);
    expect(Object.assign(new Error('look-alike'), { code: 'MDB_USAGE' })).not.toBeInstanceOf(UsageError);
  });

  it('a subclass written by a user matches by its prototype chain', () => {
    class MyError extends clientErrors.ConfigurationError {}
    expect(new MyError('x')).toBeInstanceOf(MyError);
    expect(new MyError('x')).toBeInstanceOf(clientErrors.InvitationError);
    expect(new clientErrors.ConfigurationError('x')).not.toBeInstanceOf(MyError);
  });

  it('construct errors name the construct path and carry a code', () => {
    const invalid = new InvalidProjectInvitationsError('app/stack/team', ['one', 'two']);
    expect(invalid).toMatchObject({
      code: 'INVALID_PROJECT_INVITATIONS',
      constructPath: 'app/stack/team',
      problems: ['one', 'two'],
      name: 'InvalidProjectInvitationsError',
      message: 'Invalid ProjectInvitations at [app/stack/team]:\n- one\n- two',
    });
    expect(new ConflictingEntryError('why', 'app/stack/other')).toMatchObject({
      code: 'CONFLICTING_ENTRY',
      constructPath: 'app/stack/other',
      problem: 'why',
      message: 'why',
    });
  });
});

describe('the registry of codes', () => {
  it('holds the code of every error class, and nothing else', () => {
    const codes = instancesOf(otherCopy()).map((e) => e.code);
    expect(new Set([...codes, 'MDB_UNEXPECTED'])).toEqual(new Set(Object.keys(ERROR_CODES)));
  });

  it('answers usage and configuration with 2, failures with 1; the exit codes have names', () => {
    expect(ExitCode).toEqual({ Done: 0, Failed: 1, Usage: 2, Differs: 3 });
    expect(exitCodeOf(new UsageError('x'))).toBe(ExitCode.Usage);
    expect(exitCodeOf(new clientErrors.ConfigurationError('x'))).toBe(ExitCode.Usage);
    expect(exitCodeOf(new clientErrors.MongoDbApiError(failure))).toBe(ExitCode.Failed);
    expect(exitCodeOf(new Error('bug'))).toBe(ExitCode.Failed);
    expect(exitCodeOf({ code: 'toString' })).toBe(ExitCode.Failed);
    expect(exitCodeOf(undefined)).toBe(ExitCode.Failed);
  });
});

describe('public error exports', () => {
  it('the package entry exports everything `./client` exports', () => {
    const missing = Object.keys(clientEntry).filter(
      (name) =>
        (packageEntry as Record<string, unknown>)[name] !== (clientEntry as Record<string, unknown>)[name],
    );
    expect(missing).toEqual([]);
    for (const name of [
      'InvitationError',
      'HttpError',
      'ConfigurationError',
      'RateLimitedError',
      'UnconfirmedError',
      'ResponseTooLargeError',
      'ERROR_CODES',
      'ExitCode',
    ]) {
      expect(clientEntry).toHaveProperty(name);
    }
    for (const name of [
      'ProjectInvitationsError',
      'InvalidProjectInvitationsError',
      'ConflictingEntryError',
    ]) {
      expect(packageEntry).toHaveProperty(name);
    }
  });
});
