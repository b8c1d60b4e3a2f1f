// Independent clients for the sandbox tests: curl (its own Digest implementation), Node's fetch, and a
// minimal Digest response computed here from RFC 7616 (for cases curl cannot express: replays, stale).
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describeIfTool, itIfTool } from '../../helpers/tools';

export const ATLAS_ACCEPT = 'application/vnd.atlas.2023-01-01+json';
// The ids live in test/helpers/ids.ts; re-exported for the sandbox tests.
export { GROUP, INVITE, OTHER } from '../../helpers/ids';

/** Whether curl is installed. */
export const haveCurl = ((): boolean => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const CURL = {
  name: 'curl',
  available: haveCurl,
  neededBy: 'the sandbox tests that drive curl',
  install: 'scripts/setup.sh installs it',
};

/** `it` when curl is installed; else `it.skip` with a printed reason, or failing under CI=true. */
export const itCurl = itIfTool(CURL);

/** `describe` when curl is installed; else `describe.skip` with a printed reason, or failing under CI=true. */
export const describeIfCurl = (): jest.Describe => describeIfTool(CURL);

export interface CurlResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Status of every response curl received (a Digest exchange has two). */
  statuses: number[];
}

/** Runs curl with `-s -i` and parses its last response. Header names are lower-cased. */
export function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-i', '--max-time', '10', ...args], { encoding: 'latin1' }, (error, stdout) => {
      if (error && !stdout) return reject(error);
      const starts = [...stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})[^\r\n]*\r\n/gm)];
      const last = starts.at(-1);
      if (!last || last.index === undefined)
        return reject(new Error(`no HTTP response from curl: ${stdout}`));
      const rest = stdout.slice(last.index);
      const split = rest.indexOf('\r\n\r\n');
      const head = rest.slice(0, split);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(last[1]),
        headers,
        body: rest.slice(split + 4),
        statuses: starts.map((m) => Number(m[1])),
      });
    });
  });
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parses a `WWW-Authenticate: Digest …` challenge into its parameters. */
export function parseChallenge(header: string | null | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    params[m[1] as string] = m[2] ?? m[3] ?? '';
  }
  return params;
}

/** An `Authorization: Digest` value for one request (RFC 7616, MD5, qop=auth). */
export function digestHeader(
  challenge: Record<string, string>,
  user: string,
  password: string,
  method: string,
  uri: string,
  nc: number,
  overrides: Record<string, string> = {},
): string {
  const cnonce = randomBytes(8).toString('hex');
  const ncText = nc.toString(16).padStart(8, '0');
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${ncText}:${cnonce}:auth:${ha2}`);
  const p: Record<string, string> = {
    username: user,
    realm,
    nonce,
    uri,
    algorithm: 'MD5',
    qop: 'auth',
    nc: ncText,
    cnonce,
    response,
    ...(challenge.opaque !== undefined ? { opaque: challenge.opaque } : {}),
    ...overrides,
  };
  return `Digest ${Object.entries(p)
    .map(([k, v]) => (k === 'nc' || k === 'qop' || k === 'algorithm' ? `${k}=${v}` : `${k}="${v}"`))
    .join(', ')}`;
}

/** Fetches the Digest challenge of a path (the first, unauthenticated round-trip). */
export async function challengeOf(url: string, method = 'GET'): Promise<Record<string, string>> {
  const res = await fetch(url, { method, headers: { Accept: ATLAS_ACCEPT } });
  await res.text();
  return parseChallenge(res.headers.get('www-authenticate'));
}

export const CLOUD_USERS_ACCEPT = 'application/vnd.atlas.2025-02-19+json';

export interface JsonAnswer {
  res: Response;
  text: string;
  json: unknown;
}

/** One request with a Bearer token; the body parsed as JSON when it is JSON. */
export async function callJson(
  url: string,
  token: string,
  init: { method?: string; body?: unknown; accept?: string; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      Accept: init.accept ?? CLOUD_USERS_ACCEPT,
      Authorization: `Bearer ${token}`,
      ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body !== undefined && {
      body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { res, text, json };
}
