// Server-side HTTP Digest (RFC 7616) as Atlas speaks it: realm "MMS Public API", MD5, qop="auth", nonce
// lifetime (stale=true), nc replay detection, forced stale nonces. Hand-written on purpose:
// docs/decisions/0008-hand-written-digest.md.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hasControlCharacter, quotedString, SandboxOptionsError } from './errors';

export const DIGEST_REALM = 'MMS Public API';

/** How far below the highest nc seen a nonce still accepts an unseen nc (parallel requests reorder). */
const NC_WINDOW = 64;
/** Nonces kept at most; the oldest are forgotten first (a forgotten nonce answers stale=true). */
const MAX_NONCES = 50_000;

interface NonceState {
  readonly issuedAt: number;
  maxNc: number;
  readonly seen: Set<number>;
}

export type DigestResult =
  { ok: true; username: string } | { ok: false; stale: boolean; reason: string; username?: string };

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Parses `Digest k=v, k="v"` (quoted strings may hold commas and backslash escapes). */
export function parseDigestParams(header: string): Record<string, string> | undefined {
  const match = /^Digest\s+/i.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)\s*/gy;
  pattern.lastIndex = match[0].length;
  let part: RegExpExecArray | null;
  while (pattern.lastIndex < header.length && (part = pattern.exec(header)) !== null) {
    const name = part[1];
    if (name === undefined) break;
    params[name.toLowerCase()] = part[2] !== undefined ? part[2].replace(/\\(.)/g, '$1') : (part[3] ?? '');
  }
  return params;
}

export class DigestVerifier {
  private readonly nonces = new Map<string, NonceState>();

  constructor(
    private readonly passwords: ReadonlyMap<string, string>,
    private readonly now: () => number,
    private readonly nonceLifetimeMs: number,
    /** When set, challenges carry this opaque and requests must echo it. */
    private readonly opaque?: string,
  ) {
    // A header value cannot hold control characters; quotes and backslashes are escaped when sent.
    if (opaque !== undefined && hasControlCharacter(opaque)) {
      throw new SandboxOptionsError('digestOpaque must not contain control characters');
    }
  }

  /** The `WWW-Authenticate` value of a fresh challenge, in Atlas's parameter order. */
  challenge(stale: boolean): string {
    const nonce = randomBytes(24).toString('base64');
    if (this.nonces.size >= MAX_NONCES) {
      const oldest = this.nonces.keys().next().value;
      if (oldest !== undefined) this.nonces.delete(oldest);
    }
    this.nonces.set(nonce, { issuedAt: this.now(), maxNc: 0, seen: new Set() });
    const opaque = this.opaque === undefined ? '' : `, opaque=${quotedString(this.opaque)}`;
    return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth"${opaque}, stale=${stale}`;
  }

  /** Checks an `Authorization: Digest` header against the method and request-target it came with. */
  verify(header: string, method: string, requestTarget: string): DigestResult {
    const p = parseDigestParams(header);
    if (!p) return { ok: false, stale: false, reason: 'not a Digest header' };
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (!username || !nonce || !uri || !response || !cnonce || !nc) {
      return { ok: false, stale: false, reason: 'missing Digest parameters' };
    }
    const algorithm = p.algorithm ?? 'MD5';
    if (algorithm.toUpperCase() !== 'MD5') return fail('algorithm must be MD5', username);
    if (realm !== DIGEST_REALM) return fail('wrong realm', username);
    if (qop !== 'auth') return fail('qop must be auth', username);
    if (!/^[0-9a-fA-F]{8}$/.test(nc)) return fail('nc must be 8 hex digits', username);
    if (uri !== requestTarget) return fail('uri does not match the request-target', username);
    if (this.opaque !== undefined && p.opaque !== this.opaque) return fail('opaque not echoed', username);
    const password = this.passwords.get(username);
    if (password === undefined) return fail('unknown public key', username);
    const ha1 = md5(`${username}:${DIGEST_REALM}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
    if (!sameText(expected, response.toLowerCase())) return fail('wrong response digest', username);
    // The digest is right: a nonce problem is now "stale", which tells the client to retry once.
    const state = this.nonces.get(nonce);
    if (!state) return { ok: false, stale: true, reason: 'unknown nonce', username };
    if (this.now() - state.issuedAt >= this.nonceLifetimeMs) {
      this.nonces.delete(nonce);
      return { ok: false, stale: true, reason: 'nonce expired', username };
    }
    const count = parseInt(nc, 16);
    if (count <= state.maxNc - NC_WINDOW || state.seen.has(count)) {
      return fail(`nc ${nc} already used with this nonce (replay)`, username);
    }
    state.seen.add(count);
    if (count > state.maxNc) {
      state.maxNc = count;
      if (state.seen.size > NC_WINDOW * 2) {
        for (const old of state.seen) if (old <= count - NC_WINDOW) state.seen.delete(old);
      }
    }
    return { ok: true, username };
  }

  /** Forgets the nonce an Authorization header used (the `stale-nonce` fault). */
  invalidate(header: string): void {
    const nonce = parseDigestParams(header)?.nonce;
    if (nonce !== undefined) this.nonces.delete(nonce);
  }

  /** Forgets every nonce: the next digest request answers stale=true. */
  expireAll(): void {
    this.nonces.clear();
  }
}

function fail(reason: string, username?: string): DigestResult {
  return username === undefined
    ? { ok: false, stale: false, reason }
    : { ok: false, stale: false, reason, username };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
