// Everything a sandbox holds, built from its options, plus the two things every route needs: answering
// (write + log) and waiting (a timer that stop() can cancel).
import type { ServerResponse } from 'node:http';
import { CloudUserStore } from './cloud-users-store';
import { DigestVerifier } from './digest';
import { SandboxOptionsError } from './errors';
import { Faults } from './faults';
import { send, type Reply } from './http';
import { InvitationLimiter, resolveInvitationRateLimit } from './invitation-limit';
import { MemberStore } from './member-store';
import type { OAuthContext } from './oauth';
import { resolveCredentials, type SandboxOptions } from './options';
import { RequestLog } from './request-log';
import { DEFAULT_DEPRECATION, DEFAULT_SUNSET, RateWindow, type ApiHeaderOptions } from './respond';
import { InvitationStore } from './store';
import { TokenStore, WindowLimiter } from './tokens';
import type { RequestLogEntry, SandboxCredentials, SandboxTarget } from './types';

export type LogFields = Omit<RequestLogEntry, 'time' | 'status'>;

export class SandboxState {
  readonly now: () => number;
  readonly credentials: SandboxCredentials;
  readonly faults = new Faults();
  readonly stores: Record<SandboxTarget, InvitationStore>;
  /** Atlas Cloud Users: pending, active, expired and rejected users (a world apart from stores.atlas). */
  readonly cloudUsers: CloudUserStore;
  /** Ops Manager project members (accepted invitations, bypass mode). */
  readonly opsMembers: MemberStore;
  readonly invitationLimiter: InvitationLimiter | undefined;
  readonly bypassInvitationMode: boolean;
  readonly digest: DigestVerifier;
  readonly tokens: TokenStore;
  readonly oauth: OAuthContext;
  readonly rate: RateWindow;
  readonly enforceRate: boolean;
  readonly log: RequestLog;
  readonly headerOptions: ApiHeaderOptions;
  readonly knownGroups: ReadonlySet<string> | undefined;
  readonly opsManagerEmptyObject: boolean;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: SandboxOptions) {
    const now = options.now ?? Date.now;
    this.now = now;
    this.credentials = resolveCredentials(options.credentials);
    this.stores = {
      atlas: new InvitationStore('atlas', now),
      'ops-manager': new InvitationStore('ops-manager', now),
    };
    this.cloudUsers = new CloudUserStore(now);
    this.opsMembers = new MemberStore(now);
    try {
      const limit = resolveInvitationRateLimit(options.invitationRateLimit);
      this.invitationLimiter = limit && new InvitationLimiter(limit, now);
    } catch (err) {
      throw new SandboxOptionsError((err as Error).message);
    }
    this.bypassInvitationMode = options.bypassInvitationMode ?? false;
    const keys = new Map(this.credentials.apiKeys.map((key) => [key.publicKey, key.privateKey]));
    this.digest = new DigestVerifier(keys, now, options.nonceLifetimeMs ?? 300_000, options.digestOpaque);
    this.tokens = new TokenStore(
      new Set(this.credentials.accessTokens),
      now,
      options.tokenLifetimeSeconds ?? 3600,
      options.maxTokensPerClient ?? 100,
    );
    const limit = options.tokenRateLimit ?? { requests: 50, perMs: 60_000 };
    this.oauth = {
      clients: new Map(this.credentials.serviceAccounts.map((sa) => [sa.clientId, sa.clientSecret])),
      tokens: this.tokens,
      ...(limit === false ? {} : { limiter: new WindowLimiter(limit.requests, limit.perMs, now) }),
    };
    const api = options.apiRateLimit ?? {};
    this.rate = new RateWindow(api.limit ?? 1200, api.windowMs ?? 60_000, now);
    this.enforceRate = api.enforce ?? false;
    this.log = new RequestLog(options.requestLogFile);
    this.headerOptions = {
      sunset: options.sunset ?? DEFAULT_SUNSET,
      deprecation: options.deprecation ?? DEFAULT_DEPRECATION,
    };
    this.knownGroups = options.knownGroups && new Set(options.knownGroups);
    this.opsManagerEmptyObject = options.opsManagerDeleteAnswer === 'empty-object';
  }

  /** Writes a reply and logs it. */
  finish(res: ServerResponse, reply: Reply, fields: LogFields): void {
    send(res, reply.status, reply.body, reply.headers ?? {}, reply.pretty === true);
    this.record(fields, reply.status);
  }

  record(fields: LogFields, status: number): void {
    this.log.add({ time: new Date(this.now()).toISOString(), ...fields, status });
  }

  /** Waits `ms`; cancelled (never resolves) when the sandbox stops. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
