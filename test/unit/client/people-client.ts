// peopleClient(): an InvitationClient (the canary access token on Atlas, the canary API keys with Digest on
// Ops Manager, which takes no Bearer; a fake clock, no jitter) on the real sandbox behind sandboxProxy, for the person-operation tests. The sandbox holds the state (cloudUsers(),
// invitations(), members()); `script` answers the requests the sandbox cannot (hostile or lost answers,
// rate limits), `land: true` replies forwarding first. Closed by closePeople().
import { InvitationClient } from '../../../lib/client/invitation-client';
import type { InvitationClientOptions } from '../../../lib/client/options';
import type { SandboxOptions } from '../../../lib/sandbox/server';
import { CANARY } from '../../helpers/canaries';
import { fakeClock } from '../../helpers/clock';
import {
  callLines,
  caseExactUsernameFilter,
  sandboxProxy,
  type Call,
  type SandboxProxy,
} from '../../helpers/sandbox-proxy';
import type { Reply, Seen } from '../../helpers/scripted-server';

export const ATLAS_USERS_ACCEPT = 'application/vnd.atlas.2025-02-19+json';
export const ATLAS_INVITES_ACCEPT = 'application/vnd.atlas.2023-01-01+json';
/** A Sunset date already past: the sandbox's invites API answers 410 VERSION_GONE. */
export const SUNSET_PAST = 'Thu, 01 Jan 2026 00:00:00 GMT';

export interface PeopleSetup {
  /** Replies for the requests the sandbox should not answer (undefined: the sandbox answers). */
  script?: (req: Seen, index: number) => Reply | undefined;
  /** Sandbox options (the canary access token is always accepted). */
  sandbox?: SandboxOptions;
  /** Share this proxy (and its sandbox) instead of starting one. */
  proxy?: SandboxProxy;
  /** Answer the username-filtered lists case-exactly, as some servers do (after `script`). */
  caseExact?: boolean;
}

const open: { client: InvitationClient; proxy: SandboxProxy }[] = [];

export async function peopleClient(options: Partial<InvitationClientOptions> = {}, setup: PeopleSetup = {}) {
  let started: SandboxProxy | undefined;
  const exact = setup.caseExact
    ? caseExactUsernameFilter(() => (started as SandboxProxy).sandbox)
    : () => undefined;
  const script = (req: Seen, index: number) => setup.script?.(req, index) ?? exact(req);
  const proxy =
    setup.proxy ??
    (started = await sandboxProxy(script, {
      ...setup.sandbox,
      credentials: {
        accessTokens: [CANARY.accessToken],
        apiKeys: [{ publicKey: CANARY.publicKey, privateKey: CANARY.privateKey }],
      },
    }));
  const clock = fakeClock();
  const waits: { seconds: number; reason: string; source: string; path: string }[] = [];
  const client = new InvitationClient({
    target: 'atlas',
    baseUrl: proxy.url,
    credentials:
      options.target === 'ops-manager'
        ? { kind: 'digest', publicKey: CANARY.publicKey, privateKey: CANARY.privateKey }
        : { kind: 'token', accessToken: CANARY.accessToken },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    timeoutMs: 2_000,
    onWait: (w) => waits.push(w),
    ...options,
  });
  open.push({ client, proxy });
  // The calls, without Digest's unauthenticated first tries (401 challenges).
  const calls = () => proxy.calls().filter((c) => !(c.status === 401 && c.auth === 'none'));
  return { client, proxy, sandbox: proxy.sandbox, clock, waits, calls };
}

export async function closePeople(): Promise<void> {
  const proxies = new Set<SandboxProxy>();
  for (const { client, proxy } of open.splice(0)) {
    await client.close();
    proxies.add(proxy);
  }
  for (const p of proxies) await p.stop();
}

/** `METHOD path status` of each call. */
export const lines = (calls: readonly Call[]): string[] => callLines(calls);
/** The query parameters of a call. */
export const queryOf = (call: Call | undefined): URLSearchParams => new URLSearchParams(call?.query ?? '');
/** The JSON body of a call. */
export const bodyOf = (call: Call | undefined): unknown =>
  call?.body === undefined ? undefined : (JSON.parse(call.body) as unknown);
