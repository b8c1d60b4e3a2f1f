import {
  ATLAS_BASE_URL,
  canonicalBaseUrl,
  checkNoControlCharacters,
  checkObjectId,
  isLoopbackHost,
  parseBaseUrl,
} from '../../../lib/contract/rules';

describe('checkObjectId', () => {
  it('accepts 24 lowercase hex characters', () => {
    expect(checkObjectId('groupId', '5f0c1a2b3c4d5e6f7a8b9c0d')).toBeUndefined();
  });
  it.each(['', 'abc', '5F0C1A2B3C4D5E6F7A8B9C0D', '5f0c1a2b3c4d5e6f7a8b9c0d0', '5f0c1a2b3c4d5e6f7a8b9c0\n'])(
    'refuses %j and says what an id looks like',
    (value) => {
      expect(checkObjectId('groupId', value)).toMatch(/^groupId must be 24 lowercase hex characters/);
    },
  );
});

describe('checkNoControlCharacters', () => {
  it('refuses CR, LF and NUL, showing them escaped', () => {
    expect(checkNoControlCharacters('name', 'a\r\nb')).toContain('"a\\r\\nb"');
    expect(checkNoControlCharacters('name', 'a\u0000')).toBeDefined();
    expect(checkNoControlCharacters('name', 'plain text')).toBeUndefined();
  });
});

describe('parseBaseUrl', () => {
  it('normalizes https URLs and drops a trailing slash', () => {
    expect(parseBaseUrl('baseUrl', 'https://ops.example.com:8443/')).toEqual({
      ok: true,
      url: 'https://ops.example.com:8443',
    });
  });
  it('drops a trailing dot on the host, so that both spellings of one server are one identity', () => {
    expect(parseBaseUrl('baseUrl', 'https://OPS.example.com.:8443/')).toEqual({
      ok: true,
      url: 'https://ops.example.com:8443',
    });
    expect(canonicalBaseUrl('atlas', 'https://cloud.mongodb.com.')).toEqual({
      ok: true,
      url: ATLAS_BASE_URL,
    });
  });
  it('accepts plain http only for loopback hosts', () => {
    expect(parseBaseUrl('baseUrl', 'http://127.0.0.1:9000').ok).toBe(true);
    expect(parseBaseUrl('baseUrl', 'http://localhost:9000').ok).toBe(true);
    expect(parseBaseUrl('baseUrl', 'http://[::1]:9000').ok).toBe(true);
    const remote = parseBaseUrl('baseUrl', 'http://ops.example.com');
    expect(remote).toEqual({ ok: false, problem: expect.stringContaining('must use https') });
  });
  it('refuses user info without echoing the password', () => {
    const result = parseBaseUrl('baseUrl', 'https://user:canary-secret@ops.example.com');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('canary-secret');
  });
  it.each([
    'https://ops.example.com/?x=1',
    'https://ops.example.com/#top',
    'ftp://ops.example.com',
    'not a url',
  ])('refuses %j', (value) => {
    expect(parseBaseUrl('baseUrl', value).ok).toBe(false);
  });
  it('refuses control characters', () => {
    expect(parseBaseUrl('baseUrl', 'https://ops.example.com\r\nX: y').ok).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8 but not lookalikes', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
  });
});
