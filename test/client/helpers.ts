// Shared test fixtures: canary secrets, a fake clock, and a scripted undici MockAgent.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import { InvitationClient } from '../../lib/client/invitation-client';
import type { InvitationClientOptions } from '../../lib/client/options';

export const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
export const INVITE = '6a1b2c3d4e5f60718293a4b5';
export const ORIGIN = 'https://cloud.mongodb.com';
export const OPS_ORIGIN = 'https://ops.example.com:8443';
export const ATLAS_PATH = `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`;
export const OPS_PATH = `/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`;

export const CANARY = {
  publicKey: 'pubkey-CANARY-3f9a1c',
  privateKey: 'privkey-CANARY-7b2e4d-0000-1111',
  clientId: 'mdb_sa_id_CANARY_55aa',
  clientSecret: 'mdb_sa_sk_CANARY_secret_8c1f',
  accessToken: 'static-token-CANARY-6d0b',
  issuedToken: 'issued-token-CANARY-2a7e',
} as const;
export const SECRET_VALUES = [
  CANARY.privateKey,
  CANARY.clientSecret,
  CANARY.accessToken,
  CANARY.issuedToken,
  CANARY.publicKey,
];

/** Every way an error or object could show a secret. */
export function everyView(value: unknown): string {
  const err = value as { cause?: unknown };
  return [
    String(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    JSON.stringify(value) ?? '',
    inspect(err?.cause, { depth: Infinity, showHidden: true }),
    value instanceof Error ? `${value.message}\n${value.stack}` : '',
  ].join('\n');
}

/** The Basic credentials of the canary service account, as the client sends them. */
export const CANARY_BASIC = Buffer.from(`${CANARY.clientId}:${CANARY.clientSecret}`).toString('base64');

export function expectNoSecrets(value: unknown): void {
  const text = everyView(value);
  for (const secret of [...SECRET_VALUES, CANARY_BASIC]) expect(text).not.toContain(secret);
}

export interface Step {
  status?: number;
  body?: string | object;
  headers?: Record<string, string | string[]>;
  error?: Error & { code?: string };
  delayMs?: number;
}

export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A MockAgent that answers the given steps in order (any path), logging what it was sent. */
export function scripted(origin: string, steps: Step[]): { agent: MockAgent; seen: Seen[] } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(origin);
  const seen: Seen[] = [];
  for (const step of steps) {
    const i = pool.intercept({ path: () => true, method: () => true });
    if (step.error) {
      i.replyWithError(step.error);
      continue;
    }
    const scope = i.reply((opts) => {
      seen.push({
        method: opts.method,
        path: String(opts.path),
        headers: { ...(opts.headers as Record<string, string>) },
        ...(typeof opts.body === 'string' ? { body: opts.body } : {}),
      });
      const data =
        step.body === undefined ? '' : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
      return { statusCode: step.status ?? 204, data, responseOptions: { headers: step.headers ?? {} } };
    });
    if (step.delayMs) scope.delay(step.delayMs);
  }
  return { agent, seen };
}

/** A clock that only moves when the client sleeps. */
export function fakeClock(start = 1_700_000_000_000) {
  const state = { now: start, sleeps: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.now += ms;
    },
  };
}

export function makeClient(
  steps: Step[],
  options: Partial<InvitationClientOptions> = {},
): { client: InvitationClient; seen: Seen[]; clock: ReturnType<typeof fakeClock>; agent: MockAgent } {
  const origin = options.baseUrl ? new URL(options.baseUrl).origin : ORIGIN;
  const { agent, seen } = scripted(origin, steps);
  const clock = fakeClock();
  const client = new InvitationClient({
    target: 'atlas',
    credentials: { kind: 'digest', publicKey: CANARY.publicKey, privateKey: CANARY.privateKey },
    dispatcher: agent,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...options,
  });
  return { client, seen, clock, agent };
}

export const apiError = (status: number, errorCode: string, detail: string) => ({
  error: status,
  errorCode,
  detail,
  reason: 'x',
});

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export const CHALLENGE =
  'Digest realm="MMS Public API", domain="", nonce="nonce-one", algorithm=MD5, qop="auth", stale=false';
export const challenge401 = (nonce = 'nonce-one', stale = false): Step => ({
  status: 401,
  body: apiError(401, 'UNEXPECTED_ERROR', 'You are not authorized for this resource.'),
  headers: {
    'www-authenticate': `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}, opaque="opq"`,
  },
});

/** Parses the parameters of a Digest Authorization header the way a server would. */
export function digestParams(header: string | undefined): Record<string, string> {
  expect(header).toMatch(/^Digest /);
  const out: Record<string, string> = {};
  for (const m of (header as string).slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    out[m[1] as string] = m[2] ?? m[3] ?? '';
  }
  return out;
}

/** Checks a Digest MD5 qop=auth response the way a server computes it (RFC 2617 §3.2.2.1). */
export function validDigest(p: Record<string, string>, method: string, password: string): boolean {
  const ha1 = md5(`${p.username}:${p.realm}:${password}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}
