import { createHash } from 'node:crypto';
import {
  DigestSession,
  authorizationHeader,
  parseAuthenticate,
  parseChallenge,
  type DigestChallenge,
} from '../../../lib/client/auth/digest';
import { digestParams } from '../../helpers/scripted-server';

// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
const RFC7616 = {
  header:
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  request: {
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nc: 1,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  },
};

describe('parseChallenge', () => {
  it('picks SHA-256 over MD5 when a server offers both (RFC 7616 §3.9.1)', () => {
    expect(parseChallenge(RFC7616.header)).toEqual({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      algorithm: 'SHA-256',
      qop: 'auth',
      stale: false,
      userhash: false,
    });
  });

  it("reads MongoDB's challenge (MD5 is the default, stale=false)", () => {
    const c = parseChallenge(
      'Digest realm="MMS Public API", domain="", nonce="+4YICU5YLx6mQEzmVhx1G5ySQVrufjv6", algorithm=MD5, qop="auth", stale=false',
    );
    expect(c).toMatchObject({
      realm: 'MMS Public API',
      nonce: '+4YICU5YLx6mQEzmVhx1G5ySQVrufjv6',
      algorithm: 'MD5',
    });
    const legacy = parseChallenge('Digest realm="r", nonce="n"');
    expect(legacy).toMatchObject({ algorithm: 'MD5' });
    expect(legacy?.qop).toBeUndefined();
  });

  it('reads header lines given as an array, stale=TRUE, -sess algorithms and escaped quotes', () => {
    const c = parseChallenge([
      'Basic realm="other"',
      'Digest realm="a \\"quoted\\" realm", nonce="n2", algorithm=sha-256-sess, qop=auth, stale=TRUE',
    ]);
    expect(c).toMatchObject({ realm: 'a "quoted" realm', algorithm: 'SHA-256-sess', stale: true });
  });

  it('returns undefined without a usable Digest challenge', () => {
    expect(parseChallenge(undefined)).toBeUndefined();
    expect(parseChallenge('Bearer realm="x", error="invalid_token"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-1')).toBeUndefined();
    expect(parseChallenge('Digest realm="r"')).toBeUndefined();
  });

  it('splits several schemes and skips token68 values', () => {
    const parsed = parseAuthenticate('Negotiate abc==, Digest realm="r", nonce=n1, Basic realm="b"');
    expect(parsed.map((c) => c.scheme)).toEqual(['negotiate', 'digest', 'basic']);
    expect(parsed[1]?.params.get('nonce')).toBe('n1');
  });
});

describe('authorizationHeader', () => {
  it('matches the RFC 7616 §3.9.1 SHA-256 response', () => {
    const challenge = parseChallenge(RFC7616.header) as DigestChallenge;
    const p = digestParams(authorizationHeader({ challenge, ...RFC7616.request }));
    expect(p).toEqual({
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      uri: '/dir/index.html',
      algorithm: 'SHA-256',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      qop: 'auth',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    });
  });

  it('matches the RFC 7616 §3.9.1 MD5 response', () => {
    const challenge = { ...(parseChallenge(RFC7616.header) as DigestChallenge), algorithm: 'MD5' as const };
    const p = digestParams(authorizationHeader({ challenge, ...RFC7616.request }));
    expect(p.response).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('matches the RFC 2617 §3.5 example', () => {
    const challenge = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    ) as DigestChallenge;
    const header = authorizationHeader({
      challenge,
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nc: 1,
      cnonce: '0a4f113b',
    });
    expect(digestParams(header)).toMatchObject({
      response: '6629fae49393a05397450978507c4ef1',
      nc: '00000001',
    });
  });

  it('computes MD5-sess, RFC 2069 (no qop) and userhash as the RFCs define them', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const base = { realm: 'r', nonce: 'n', stale: false, userhash: false } as const;
    const input = { username: 'u', password: 'p', method: 'DELETE', uri: '/x', nc: 2, cnonce: 'c' };
    const ha2 = md5('DELETE:/x');

    const sess = digestParams(
      authorizationHeader({ challenge: { ...base, algorithm: 'MD5-sess', qop: 'auth' }, ...input }),
    );
    const sessHa1 = md5(`${md5('u:r:p')}:n:c`);
    expect(sess.response).toBe(md5(`${sessHa1}:n:00000002:c:auth:${ha2}`));

    const legacy = digestParams(authorizationHeader({ challenge: { ...base, algorithm: 'MD5' }, ...input }));
    expect(legacy.response).toBe(md5(`${md5('u:r:p')}:n:${ha2}`));
    expect(legacy.qop).toBeUndefined();
    expect(legacy.nc).toBeUndefined();

    const hashed = digestParams(
      authorizationHeader({
        challenge: { ...base, algorithm: 'MD5', qop: 'auth', userhash: true },
        ...input,
      }),
    );
    expect(hashed.username).toBe(md5('u:r'));
    expect(hashed.userhash).toBe('true');
  });

  it('quotes user names with quotes and backslashes', () => {
    const header = authorizationHeader({
      challenge: {
        realm: 'r',
        nonce: 'n',
        algorithm: 'SHA-512-256',
        qop: 'auth',
        stale: false,
        userhash: false,
      },
      username: 'a"b\\c',
      password: 'p',
      method: 'GET',
      uri: '/',
      nc: 1,
      cnonce: 'c',
    });
    expect(header).toContain('username="a\\"b\\\\c"');
    expect(digestParams(header).response).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('DigestSession', () => {
  const challenge = parseChallenge('Digest realm="r", nonce="n1", qop="auth"') as DigestChallenge;

  it('counts nc per nonce, per session, with a fresh cnonce each time', () => {
    const a = new DigestSession('u', 'p');
    const b = new DigestSession('u', 'p');
    expect(a.ready).toBe(false);
    expect(a.authorize('GET', '/')).toBeUndefined();
    a.accept(challenge);
    b.accept(challenge);
    const first = digestParams(a.authorize('GET', '/'));
    const second = digestParams(a.authorize('GET', '/'));
    expect([first.nc, second.nc]).toEqual(['00000001', '00000002']);
    expect(first.cnonce).not.toBe(second.cnonce);
    expect(digestParams(b.authorize('GET', '/')).nc).toBe('00000001'); // no shared counter
    a.accept({ ...challenge, nonce: 'n2' });
    expect(digestParams(a.authorize('GET', '/'))).toMatchObject({ nonce: 'n2', nc: '00000001' });
  });
});
