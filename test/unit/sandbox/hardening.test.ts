// Findings of a review, each pinned by a test: malformed percent-escapes, fault JSON validation, DNS
// rebinding on the admin path (Host and Origin), and the quoting of digestOpaque in the challenge.
import { request } from 'node:http';
import { Sandbox } from '../../../lib/sandbox/server';
import { ATLAS_ACCEPT, digestHeader, GROUP } from './helpers';

/** One request through node:http, which (unlike fetch) lets a test set the Host header. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Parses a Digest challenge with RFC 7616 quoted-string rules (backslash escapes), independently of lib/. */
function parseQuoted(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of header.matchAll(pattern)) {
    out[m[1] as string] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return out;
}

describe('sandbox hardening', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({ credentials: { accessTokens: ['t0k'] } });
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => sandbox.reset());

  it('answers 400 ApiError for a malformed percent-escape in a path, and logs it', async () => {
    for (const path of [
      `/api/atlas/v2/groups/%zz/invites`,
      `/api/public/v1.0/groups/${GROUP}/invites/%E0%A4%A`,
    ]) {
      const res = await raw(`${sandbox.url}${path}`, {
        headers: { Accept: ATLAS_ACCEPT, Authorization: 'Bearer t0k' },
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: 400, errorCode: 'INVALID_PATH' });
      expect(res.headers['x-error-code']).toBe('INVALID_PATH');
    }
    expect(sandbox.log.map((e) => e.status)).toEqual([400, 400]);
  });

  it('refuses fault JSON with a badly typed field, naming the field, and keeps serving', async () => {
    const bad: [object, RegExp][] = [
      [{ kind: 'reset', method: 5 }, /method/],
      [{ kind: 'reset', target: 'nowhere' }, /target/],
      [{ kind: 'reset', invitationId: ['x'] }, /invitationId/],
      [{ kind: 'reset', path: 7 }, /path/],
      [{ kind: 'reset', pathPattern: '(' }, /pathPattern/],
      [{ kind: 'status', status: 503, errorCode: 9 }, /errorCode/],
      [{ kind: 'reset', colour: 'red' }, /colour/],
    ];
    for (const [body, field] of bad) {
      const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(field);
    }
    expect(sandbox.faults.list()).toEqual([]);
    const list = await fetch(`${sandbox.url}/api/atlas/v2/groups/${GROUP}/invites`, {
      headers: { Accept: ATLAS_ACCEPT, Authorization: 'Bearer t0k' },
    });
    expect(list.status).toBe(200);
    expect(() => sandbox.faults.add({ kind: 'reset', method: 5 } as never)).toThrow(/method/);
  });

  it('refuses admin requests whose Host is not a loopback name (DNS rebinding) with 403', async () => {
    const port = new URL(sandbox.url).port;
    for (const host of ['evil.example.com', `evil.example.com:${port}`, '10.0.0.1', 'localhost.evil.com']) {
      const res = await raw(`${sandbox.url}/_sandbox/stats`, { headers: { Host: host } });
      expect([host, res.status]).toEqual([host, 403]);
    }
    for (const host of [
      `127.0.0.1:${port}`,
      'localhost',
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
      '127.0.0.1',
    ]) {
      const res = await raw(`${sandbox.url}/_sandbox/stats`, { headers: { Host: host } });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  it('refuses admin requests with a non-loopback Origin with 403, and accepts loopback origins', async () => {
    for (const origin of ['https://evil.example.com', 'null', 'http://127.0.0.1.evil.com', 'file://']) {
      const res = await raw(`${sandbox.url}/_sandbox/reset`, { method: 'POST', headers: { Origin: origin } });
      expect([origin, res.status]).toEqual([origin, 403]);
    }
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1', 'https://[::1]:8443']) {
      const res = await raw(`${sandbox.url}/_sandbox/stats`, { headers: { Origin: origin } });
      expect([origin, res.status]).toEqual([origin, 200]);
    }
  });

  it('quotes and escapes digestOpaque in the challenge, and accepts it echoed back', async () => {
    const opaque = 'a"b\\c, d';
    const other = await Sandbox.start({ digestOpaque: opaque });
    try {
      const res = await fetch(`${other.url}/api/atlas/v2/groups/${GROUP}/invites`, {
        headers: { Accept: ATLAS_ACCEPT },
      });
      const header = res.headers.get('www-authenticate') ?? '';
      expect(header).toContain('opaque="a\\"b\\\\c, d"');
      const params = parseQuoted(header);
      expect(params.opaque).toBe(opaque);
      expect(params.qop).toBe('auth');
      expect(params.stale).toBe('false');
      const path = `/api/atlas/v2/groups/${GROUP}/invites`;
      const key = other.credentials.apiKeys[0] ?? { publicKey: '', privateKey: '' };
      const echo = (value: string) =>
        digestHeader(params, key.publicKey, key.privateKey, 'GET', path, 1, { opaque: value });
      const escaped = opaque.replace(/[\\"]/g, '\\$&');
      const ok = await fetch(`${other.url}${path}`, {
        headers: { Accept: ATLAS_ACCEPT, Authorization: echo(escaped) },
      });
      expect(ok.status).toBe(200);
      const wrong = await fetch(`${other.url}${path}`, {
        headers: { Accept: ATLAS_ACCEPT, Authorization: echo('a') },
      });
      expect(wrong.status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('refuses a digestOpaque with control characters at start', async () => {
    const started = Sandbox.start({ digestOpaque: 'a\r\nX-Evil: 1' });
    await started.then((s) => s.stop()).catch(() => undefined);
    await expect(started).rejects.toThrow(/digestOpaque/);
  });
});
