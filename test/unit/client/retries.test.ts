import { MockAgent } from 'undici';
import { InvitationClient } from '../../../lib/client/invitation-client';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { fakeClock } from '../../helpers/clock';
import { GROUP, INVITE } from '../../helpers/ids';
import { apiError, challenge401, scriptedClient } from '../../helpers/scripted-server';

const creds = { kind: 'token', accessToken: CANARY.accessToken } as const;
const causeText = (e: unknown): string =>
  e instanceof Error ? `${String((e as { code?: unknown }).code)} ${e.message} ${causeText(e.cause)}` : '';

describe('cancelInvitation retries', () => {
  it('waits out a 429 and honours Retry-After in seconds', async () => {
    const { client, clock } = await scriptedClient(
      [
        {
          status: 429,
          headers: { 'retry-after': '7' },
          body: apiError(429, 'RATE_LIMITED_TOKEN_BUCKET', 'x'),
        },
        { status: 204 },
      ],
      { credentials: creds },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(clock.state.sleeps).toEqual([7000]);
    expect(client.requestCount).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const clock = fakeClock(1_700_000_000_000); // a whole second: HTTP dates have no milliseconds
    const at = new Date(clock.state.now + 12_000).toUTCString();
    const { client } = await scriptedClient(
      [{ status: 503, headers: { 'retry-after': at } }, { status: 204 }],
      {
        credentials: creds,
        now: clock.now,
        sleep: clock.sleep,
      },
    );
    await client.cancelInvitation(GROUP, INVITE);
    expect(clock.state.sleeps).toEqual([12_000]);
  });

  it('caps Retry-After at maxDelayMs', async () => {
    const { client, clock } = await scriptedClient(
      [{ status: 503, headers: { 'retry-after': '3600' } }, { status: 204 }],
      {
        credentials: creds,
        retry: { maxDelayMs: 2000 },
      },
    );
    await client.cancelInvitation(GROUP, INVITE);
    expect(clock.state.sleeps).toEqual([2000]);
  });

  it('backs off exponentially with full jitter when there is no Retry-After', async () => {
    const { client, clock } = await scriptedClient(
      [{ status: 500 }, { status: 502 }, { status: 504 }, { status: 204 }],
      {
        credentials: creds,
        random: () => 0.5,
      },
    );
    await client.cancelInvitation(GROUP, INVITE);
    expect(clock.state.sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up with RetryExhaustedError after maxRetries, carrying the last status', async () => {
    const busy = { status: 503, body: apiError(503, 'SERVICE_UNAVAILABLE', 'Try later.') };
    const { client } = await scriptedClient([busy, busy, busy], {
      credentials: creds,
      retry: { maxRetries: 2 },
    });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'RetryExhaustedError',
      code: 'MDB_RETRY_EXHAUSTED',
      attempts: 3,
      lastStatus: 503,
      errorCode: 'SERVICE_UNAVAILABLE',
    });
    expect((err as Error).message).toMatch(
      /failed after 3 attempt\(s\).*Last answer: 503 \(SERVICE_UNAVAILABLE\)/,
    );
    expect(client.requestCount).toBe(3);
    expectNoSecrets(err);
  });

  it('retries network errors, then succeeds', async () => {
    const { client } = await scriptedClient([{ reset: true }, { status: 204 }], { credentials: creds });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(client.requestCount).toBe(2);
  });

  it('throws NetworkError when network errors outlast the retries', async () => {
    const { client } = await scriptedClient([{ reset: true }, { reset: true }], {
      credentials: creds,
      retry: { maxRetries: 1 },
    });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'NetworkError',
      code: 'MDB_NETWORK',
      attempts: 2,
      networkCode: 'ECONNRESET',
    });
    // Over a real socket the transport's error carries the reset in its message (the code is networkCode).
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(causeText((err as Error).cause)).toContain('ECONNRESET');
    expectNoSecrets(err);
  });

  it('does not retry an error that is not a network failure', async () => {
    // MockAgent: an expired TLS certificate cannot be had from a plain loopback socket, and a test CA
    // with a back-dated certificate would need openssl; the agent hands the client that exact error.
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://cloud.mongodb.com')
      .intercept({ path: () => true, method: 'DELETE' })
      .replyWithError(Object.assign(new Error('bad cert'), { code: 'CERT_HAS_EXPIRED' }));
    const clock = fakeClock();
    const client = new InvitationClient({
      target: 'atlas',
      credentials: creds,
      dispatcher: agent,
      now: clock.now,
      sleep: clock.sleep,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_NETWORK',
      attempts: 1,
    });
  });

  it('stops when the next wait would pass the deadline', async () => {
    const { client, clock } = await scriptedClient(
      [{ status: 503, headers: { 'retry-after': '30' } }, { status: 204 }],
      {
        credentials: creds,
        deadlineMs: 10_000,
      },
    );
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_RETRY_EXHAUSTED', attempts: 1, lastStatus: 503 });
    expect((err as Error).message).toMatch(/10000 ms deadline/);
    expect(clock.state.sleeps).toEqual([]);
  });

  it('waits out a rate limit longer than the retry deadline, as every person operation does', async () => {
    const { client, clock } = await scriptedClient(
      [{ status: 429, headers: { 'retry-after': '30' } }, { status: 204 }],
      { credentials: creds, deadlineMs: 10_000 },
    );
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(clock.state.sleeps).toEqual([30_000]);
  });

  it('times out a slow attempt and retries it', async () => {
    const { client } = await scriptedClient([{ status: 204, delayMs: 2000 }, { status: 204 }], {
      credentials: creds,
      timeoutMs: 50,
      now: Date.now,
    });
    await expect(client.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(client.requestCount).toBe(2);
  });

  it('reports a timeout that outlasts the retries as NetworkError', async () => {
    const slow = { status: 204, delayMs: 2000 };
    const { client } = await scriptedClient([slow, slow], {
      credentials: creds,
      timeoutMs: 50,
      retry: { maxRetries: 1 },
    });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_NETWORK', networkCode: 'ETIMEDOUT', attempts: 2 });
    expect((err as Error).message).toMatch(/no complete answer within 50 ms/);
  });

  it('counts API attempts only: the Digest challenge is not one', async () => {
    const busy = { status: 500, body: apiError(500, 'UNEXPECTED_ERROR', 'busy') };
    const { client } = await scriptedClient([challenge401(), busy, busy, busy, busy], {
      retry: { maxRetries: 3 },
    });
    const err = await client.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_RETRY_EXHAUSTED', attempts: 4, lastStatus: 500 });
    expect((err as Error).message).toMatch(/failed after 4 attempt\(s\)/);
    expect(client.requestCount).toBe(5);
  });
});
