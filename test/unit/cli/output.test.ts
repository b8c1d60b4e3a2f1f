import {
  ConfigurationError,
  MongoDbApiError,
  NetworkError,
  UnconfirmedError,
} from '../../../lib/client/errors';
import { escapeControls, exitCodeFor, Output } from '../../../lib/cli/output';
import { UsageError } from '../../../lib/cli/options';
import { captureIo } from '../../helpers/io';

describe('exitCodeFor', () => {
  it('maps by code: usage and configuration → 2, everything else → 1', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ConfigurationError('x'))).toBe(2);
    expect(exitCodeFor({ code: 'MDB_CONFIGURATION' })).toBe(2);
    expect(exitCodeFor(new MongoDbApiError({ status: 403, method: 'DELETE', path: '/p' }))).toBe(1);
    expect(
      exitCodeFor(new NetworkError({ method: 'DELETE', path: '/p', attempts: 1, reason: 'ECONNREFUSED' })),
    ).toBe(1);
    expect(exitCodeFor(new UnconfirmedError('/p', 'RESOURCE_NOT_FOUND', undefined, []))).toBe(1);
    expect(exitCodeFor(new TypeError('bug'))).toBe(1);
    expect(exitCodeFor('thrown string')).toBe(1);
  });
});

describe('Output', () => {
  it('redacts registered secrets from every line, JSON object and stack it prints', () => {
    const c = captureIo();
    const out = new Output(c.io, { json: true, debug: true });
    out.addSecrets(['s3cret-canary', '']);
    const code = out.fail('revoke', new Error('request with s3cret-canary failed'));
    expect(code).toBe(1);
    expect(c.stderr()).toContain('✖ unexpected Error: request with *** failed');
    expect(c.stderr()).toMatch(/\n\s+at /);
    expect(JSON.parse(c.stdout())).toMatchObject({ outcome: 'error', code: 'MDB_UNEXPECTED', exitCode: 1 });
    expect(c.stdout() + c.stderr()).not.toContain('s3cret-canary');
  });

  it('keeps each outcome on one line, even when a message holds line breaks', () => {
    const c = captureIo();
    new Output(c.io, { json: false, debug: false }).line('✖', 'first\r\nsecond\n');
    expect(c.stderr()).toBe('✖ first second\n');
  });

  it('points to --debug for an unexpected error, and prints nothing on stdout without --json', () => {
    const c = captureIo();
    new Output(c.io, { json: false, debug: false }).fail('list', new RangeError('boom'));
    expect(c.stderr()).toBe('✖ unexpected RangeError: boom (run again with --debug for the stack trace)\n');
    expect(c.stdout()).toBe('');
  });

  it('escapes control characters, ESC, BEL and U+2028/U+2029 in every human line', () => {
    const c = captureIo();
    const out = new Output(c.io, { json: false, debug: false });
    out.line('✖', 'denied\u001b[2K\r✔ revoked everything\u0007\u2028x\u2029y\u009b');
    out.stdout('ada@example.com\u001b]0;title\u0007  GROUP_OWNER\n');
    expect(c.stderr()).toBe('✖ denied\\u001b[2K ✔ revoked everything\\u0007\\u2028x\\u2029y\\u009b\n');
    expect(c.stdout()).toBe('ada@example.com\\u001b]0;title\\u0007  GROUP_OWNER\n');
    expect(escapeControls('tab\there\nnext')).toBe('tab\\u0009here\nnext');
  });

  it('keeps --json valid with a two-character secret: keys untouched, exact values redacted', () => {
    const c = captureIo();
    const out = new Output(c.io, { json: true, debug: false });
    out.addSecrets(['in', 'long-secret-canary-1234']);
    out.json({
      invitationId: '6a1b2c3d4e5f60718293a4b5',
      detail: 'in',
      message: 'begin long-secret-canary-1234 end',
      nested: [{ inside: 'in' }],
    });
    const text = c.stdout();
    expect(JSON.parse(text)).toEqual({
      invitationId: '6a1b2c3d4e5f60718293a4b5',
      detail: '***',
      message: 'begin *** end',
      nested: [{ inside: '***' }],
    });
    expect(text).not.toContain('long-secret-canary-1234');
  });

  it('redacts a secret holding JSON metacharacters before serialising, and escapes U+2028', () => {
    const c = captureIo();
    const out = new Output(c.io, { json: true, debug: false });
    out.addSecrets(['quote"back\\slash-canary']);
    out.json({ detail: 'x quote"back\\slash-canary y\u2028z' });
    expect(c.stdout()).not.toContain('back\\\\slash-canary');
    expect(c.stdout()).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(c.stdout())).toEqual({ detail: 'x *** y\u2028z' });
  });
});

describe('Output.fail with a hint', () => {
  it('appends the hint to an own error’s line and to its JSON message', () => {
    const c = captureIo();
    const out = new Output(c.io, { json: true, debug: false });
    out.fail('revoke', new MongoDbApiError({ status: 404, method: 'DELETE', path: '/p' }), 'drop it');
    expect(c.stderr()).toBe('✖ DELETE /p failed with 404. Hint: drop it.\n');
    expect(JSON.parse(c.stdout()).message).toBe('DELETE /p failed with 404. Hint: drop it.');
  });
});
