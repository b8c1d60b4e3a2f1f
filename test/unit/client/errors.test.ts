import {
  AuthenticationError,
  ConfigurationError,
  EndpointGoneError,
  HttpError,
  InvitationError,
  MongoDbApiError,
  NetworkError,
  RetryExhaustedError,
  UnconfirmedError,
} from '../../../lib/client/errors';
import { createRedactor, sanitizeCause } from '../../../lib/client/http/redact';
import { CANARY, SECRET_VALUES, expectNoSecrets } from '../../helpers/canaries';

const PATH = '/api/atlas/v2/groups/5f0c1a2b3c4d5e6f7a8b9c0d/invites/6a1b2c3d4e5f60718293a4b5';

/** A cause the way a transport might build it: secrets in message, fields and a nested cause. */
function leakyCause(): Error {
  const inner = Object.assign(new Error(`inner ${CANARY.clientSecret}`), { code: 'EINNER' });
  return Object.assign(
    new Error(`boom Authorization: Digest username="${CANARY.publicKey}", response="abc"`),
    {
      code: 'ECONNRESET',
      cause: inner,
      request: { headers: { authorization: `Bearer ${CANARY.accessToken}` } },
      privateKey: CANARY.privateKey,
    },
  );
}

describe('errors', () => {
  it('have stable codes and class names', () => {
    const f = { status: 400, method: 'DELETE', path: PATH };
    expect(new ConfigurationError('x')).toMatchObject({
      code: 'MDB_CONFIGURATION',
      name: 'ConfigurationError',
    });
    expect(new MongoDbApiError(f)).toMatchObject({ code: 'MDB_API_ERROR', name: 'MongoDbApiError' });
    expect(new AuthenticationError(f)).toMatchObject({
      code: 'MDB_AUTHENTICATION',
      name: 'AuthenticationError',
    });
    expect(new EndpointGoneError({ method: 'DELETE', path: PATH })).toMatchObject({
      code: 'MDB_ENDPOINT_GONE',
      status: 410,
    });
    expect(new RetryExhaustedError({ method: 'DELETE', path: PATH, attempts: 4, reason: 'r' })).toMatchObject(
      {
        code: 'MDB_RETRY_EXHAUSTED',
        attempts: 4,
      },
    );
    expect(new NetworkError({ method: 'DELETE', path: PATH, attempts: 1, reason: 'r' })).toMatchObject({
      code: 'MDB_NETWORK',
    });
    expect(new ConfigurationError('x')).toBeInstanceOf(Error);
  });

  it('build MongoDbApiError, AuthenticationError and EndpointGoneError on one HTTP error base', () => {
    const f = { status: 403, method: 'DELETE', path: PATH, errorCode: 'E', detail: 'Why.' };
    const errors = [
      new MongoDbApiError(f),
      new AuthenticationError(f),
      new EndpointGoneError({ method: 'GET', path: PATH, errorCode: 'VERSION_GONE', detail: 'Why.' }),
    ];
    for (const err of errors) {
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toBeInstanceOf(InvitationError);
      expect(err).toMatchObject({ path: PATH, detail: 'Why.', name: err.constructor.name });
      expect(err.message).toMatch(
        /^(DELETE|GET) \/api\/atlas\/v2\/groups\/\w+\/invites\/\w+ failed with (403|410) \(/,
      );
    }
    expect(errors.map((e) => [e.code, e.status, e.method, e.errorCode])).toEqual([
      ['MDB_API_ERROR', 403, 'DELETE', 'E'],
      ['MDB_AUTHENTICATION', 403, 'DELETE', 'E'],
      ['MDB_ENDPOINT_GONE', 410, 'GET', 'VERSION_GONE'],
    ]);
    expect(
      new RetryExhaustedError({ method: 'DELETE', path: PATH, attempts: 1, reason: 'r' }),
    ).not.toBeInstanceOf(HttpError);
  });

  it('say what failed, why, and what to do', () => {
    const err = new MongoDbApiError({
      status: 403,
      method: 'DELETE',
      path: PATH,
      errorCode: 'USER_UNAUTHORIZED',
      detail: 'Current user is not authorized.',
      hint: 'Check the role.',
    });
    expect(err.message).toBe(
      `DELETE ${PATH} failed with 403 (USER_UNAUTHORIZED): Current user is not authorized. Check the role.`,
    );
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      status: 403,
      method: 'DELETE',
      path: PATH,
      errorCode: 'USER_UNAUTHORIZED',
      code: 'MDB_API_ERROR',
    });
  });

  it.each([
    [
      'MongoDbApiError',
      (o: object) => new MongoDbApiError({ status: 500, method: 'DELETE', path: PATH, ...o }, opts()),
    ],
    [
      'AuthenticationError',
      (o: object) => new AuthenticationError({ status: 401, method: 'POST', path: PATH, ...o }, opts()),
    ],
    [
      'EndpointGoneError',
      (o: object) => new EndpointGoneError({ method: 'DELETE', path: PATH, ...o }, opts()),
    ],
    [
      'RetryExhaustedError',
      (o: object) =>
        new RetryExhaustedError(
          { method: 'DELETE', path: PATH, attempts: 2, reason: 'busy', status: 503, ...o },
          opts(),
        ),
    ],
    [
      'NetworkError',
      (o: object) =>
        new NetworkError(
          { method: 'DELETE', path: PATH, attempts: 2, reason: `r ${CANARY.privateKey}`, ...o },
          opts(),
        ),
    ],
    [
      'ConfigurationError',
      () => new ConfigurationError(`bad ${CANARY.clientSecret} Bearer ${CANARY.issuedToken}`, opts()),
    ],
  ])('%s never shows a secret in message, fields, cause, inspect or JSON', (_name, make) => {
    const err = make({
      errorCode: `E_${CANARY.accessToken}`,
      detail: `echo ${CANARY.privateKey} and ${CANARY.issuedToken}`,
    });
    expectNoSecrets(err);
    expect((err as Error).cause).toMatchObject({ code: 'ECONNRESET' });
  });

  function opts() {
    return { cause: leakyCause(), secrets: SECRET_VALUES };
  }
});

describe('redaction helpers', () => {
  it('replaces every secret, longest first', () => {
    const redact = createRedactor(['abcdefgh', 'abcdefghijkl', '']);
    expect(redact('x abcdefghijkl y abcdefgh z')).toBe('x [REDACTED] y [REDACTED] z');
  });

  it('redacts by secret value, never by a free-text pattern: the server’s explanation stays', () => {
    const redact = createRedactor([CANARY.issuedToken]);
    const detail = 'The bearer of this token is not allowed here. Ask an owner for access.';
    expect(redact(detail)).toBe(detail);
    expect(redact(`Bearer ${CANARY.issuedToken} refused`)).toBe('Bearer [REDACTED] refused');
  });

  it('replaces a short secret only where a whole value equals it', () => {
    const redact = createRedactor(['in', 'tok']);
    expect(redact('invitationId')).toBe('invitationId');
    expect(redact('in')).toBe('[REDACTED]');
    expect(redact('tok')).toBe('[REDACTED]');
  });

  it('keeps only name, code, message and stack of a cause, redacted', () => {
    const copy = sanitizeCause(leakyCause(), createRedactor(SECRET_VALUES)) as Error &
      Record<string, unknown>;
    expect(Object.keys(copy).sort()).toEqual(['code', 'name']);
    expect(copy.code).toBe('ECONNRESET');
    expect((copy.cause as { code?: string }).code).toBe('EINNER');
    expectNoSecrets(copy);
    expect(sanitizeCause(`text ${CANARY.privateKey}`, createRedactor(SECRET_VALUES))?.message).toBe(
      'text [REDACTED]',
    );
    expect(sanitizeCause(undefined, createRedactor())).toBeUndefined();
  });
});

describe('UnconfirmedError', () => {
  it('has a stable code, names the DELETE and why it is not taken as gone, and holds no secret', () => {
    const listFailure = new MongoDbApiError(
      { status: 500, method: 'GET', path: '/groups/g/invites', detail: `oops ${CANARY.privateKey}` },
      { secrets: SECRET_VALUES },
    );
    const failed = new UnconfirmedError(PATH, 'RESOURCE_NOT_FOUND', listFailure, SECRET_VALUES);
    expect(failed).toMatchObject({
      name: 'UnconfirmedError',
      code: 'MDB_UNCONFIRMED',
      method: 'DELETE',
      path: PATH,
      errorCode: 'RESOURCE_NOT_FOUND',
    });
    expect(failed).toBeInstanceOf(InvitationError);
    expect(failed.message).toMatch(
      new RegExp(
        `^DELETE ${PATH} answered 404 \\(RESOURCE_NOT_FOUND\\) and the project's pending invitations could not be read`,
      ),
    );
    expect(failed.message).toContain('Nothing was taken as revoked');
    expectNoSecrets(failed);
    const listed = new UnconfirmedError(PATH, undefined, undefined, []);
    expect(listed.message).toMatch(
      new RegExp(`^DELETE ${PATH} answered 404 but the project still lists it as pending`),
    );
    expect(listed.errorCode).toBeUndefined();
  });
});
