// HTTP Digest, RFC 7616 (and 2617 / 2069 servers): parse a challenge, compute the Authorization header; pure
// functions plus a small per-client session. Hand-written: docs/decisions/0008-hand-written-digest.md.
// Tested against RFC 7616 §3.9.1 and RFC 2617 §3.5 vectors and Apache's mod_auth_digest.
// node:crypto is required on the first Digest computation, not when the module loads: the CLI holds this
// module in every process, and a token revoke never hashes (bench/throughput.md, "P2, P7, P1, P9").

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously */
const crypto = (): typeof import('node:crypto') => require('node:crypto') as typeof import('node:crypto');

export type DigestAlgorithm =
  'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  /** 'auth' when the server offers it; undefined for RFC 2069 servers that send no qop. */
  readonly qop?: 'auth';
  readonly opaque?: string;
  readonly stale: boolean;
  readonly userhash: boolean;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };
// Strongest first, for servers that offer several challenges (RFC 7616 §3.7).
const PREFERENCE = ['SHA-512-256', 'SHA-256', 'MD5'];

/** Splits a WWW-Authenticate value into challenges: scheme plus parameters (RFC 7235 §4.1). */
export function parseAuthenticate(header: string): { scheme: string; params: Map<string, string> }[] {
  const out: { scheme: string; params: Map<string, string> }[] = [];
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < header.length && chars.test(header[i] as string)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < header.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = token();
    if (!name) {
      i++; // an unexpected character: step over it
      continue;
    }
    skip(/\s/);
    const current = out[out.length - 1];
    if (header[i] === '=' && current && header[i + 1] !== '=') {
      i++;
      skip(/\s/);
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\') i++;
          value += header[i] ?? '';
          i++;
        }
        i++;
      } else {
        value = token();
      }
      current.params.set(name.toLowerCase(), value);
    } else {
      // A new scheme, maybe followed by a token68 (`Negotiate abc==`), which is stepped over.
      out.push({ scheme: name.toLowerCase(), params: new Map() });
      const token68 = /^[A-Za-z0-9\-._~+/]+=*\s*(?=,|$)/.exec(header.slice(i));
      if (token68) i += token68[0].length;
    }
  }
  return out;
}

function toChallenge(params: Map<string, string>): DigestChallenge | undefined {
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || !nonce) return undefined;
  const algorithm = params.get('algorithm') ?? 'MD5';
  const base = algorithm.replace(/-sess$/i, '').toUpperCase();
  if (!(base in HASHES)) return undefined;
  const qops = params.get('qop');
  if (qops !== undefined && !qops.split(',').some((q) => q.trim().toLowerCase() === 'auth')) return undefined;
  const sess = /-sess$/i.test(algorithm);
  const opaque = params.get('opaque');
  return {
    realm,
    nonce,
    algorithm: (sess ? `${base}-sess` : base) as DigestAlgorithm,
    ...(qops !== undefined ? { qop: 'auth' as const } : {}),
    ...(opaque !== undefined ? { opaque } : {}),
    stale: params.get('stale')?.toLowerCase() === 'true',
    userhash: params.get('userhash')?.toLowerCase() === 'true',
  };
}

/**
 * Returns the strongest usable Digest challenge of a WWW-Authenticate header (or of several header
 * lines), or undefined when there is none: no Digest scheme, an unknown algorithm, or qop=auth-int only.
 */
export function parseChallenge(header: string | readonly string[] | undefined): DigestChallenge | undefined {
  const lines = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  const usable = lines
    .flatMap((line) => parseAuthenticate(line))
    .filter((c) => c.scheme === 'digest')
    .map((c) => toChallenge(c.params))
    .filter((c): c is DigestChallenge => c !== undefined);
  const rank = (c: DigestChallenge): number => PREFERENCE.indexOf(c.algorithm.replace(/-sess$/, ''));
  return usable.sort((a, b) => rank(a) - rank(b))[0];
}

export interface DigestInput {
  readonly challenge: DigestChallenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The request-target: path and query, exactly as sent. */
  readonly uri: string;
  /** Requests sent with this nonce, this one included (1 for the first). */
  readonly nc: number;
  readonly cnonce: string;
}

const quoted = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;

/** Computes the `response` value and the full Authorization header value (RFC 7616 §3.4). */
export function authorizationHeader(input: DigestInput): string {
  const { challenge: c, method, uri, cnonce } = input;
  const base = c.algorithm.replace(/-sess$/, '');
  const h = (data: string): string =>
    crypto()
      .createHash(HASHES[base] as string)
      .update(data, 'utf8')
      .digest('hex');
  const nc = input.nc.toString(16).padStart(8, '0');
  let ha1 = h(`${input.username}:${c.realm}:${input.password}`);
  if (c.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = c.qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
  const username = c.userhash ? h(`${input.username}:${c.realm}`) : input.username;
  const parts = [
    `username=${quoted(username)}`,
    `realm=${quoted(c.realm)}`,
    `nonce=${quoted(c.nonce)}`,
    `uri=${quoted(uri)}`,
    `algorithm=${c.algorithm}`,
    `response="${response}"`,
  ];
  if (c.opaque !== undefined) parts.push(`opaque=${quoted(c.opaque)}`);
  if (c.qop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quoted(cnonce)}`);
  if (c.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

/**
 * The Digest state of one client: the last challenge and how many requests used its nonce, so the
 * next request authenticates at once (no new challenge) with nc + 1 and a fresh cnonce.
 * The credentials live in private fields: util.inspect cannot show them.
 */
export class DigestSession {
  readonly #username: string;
  readonly #password: string;
  readonly #cnonce: () => string;
  #challenge: DigestChallenge | undefined;
  #nc = 0;

  constructor(
    username: string,
    password: string,
    cnonce = (): string => crypto().randomBytes(16).toString('hex'),
  ) {
    this.#username = username;
    this.#password = password;
    this.#cnonce = cnonce;
  }

  /** True when a nonce is known and the next request can authenticate at once. */
  get ready(): boolean {
    return this.#challenge !== undefined;
  }

  /** Adopts a new challenge; its nonce count starts again at 1. */
  accept(challenge: DigestChallenge): void {
    this.#challenge = challenge;
    this.#nc = 0;
  }

  /** The Authorization value for the next request, or undefined before any challenge was seen. */
  authorize(method: string, uri: string): string | undefined {
    const challenge = this.#challenge;
    if (!challenge) return undefined;
    this.#nc += 1;
    return authorizationHeader({
      challenge,
      username: this.#username,
      password: this.#password,
      method,
      uri,
      nc: this.#nc,
      cnonce: this.#cnonce(),
    });
  }
}
