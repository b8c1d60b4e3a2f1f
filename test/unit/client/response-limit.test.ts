// Response bodies are read up to MAX_RESPONSE_BYTES on both transports: an endless or huge answer
// fails the request with ResponseTooLargeError (one line, no retry) instead of growing the process.
import { inspect } from 'node:util';
import { InvitationClient } from '../../../lib/client/invitation-client';
import { MAX_RESPONSE_BYTES } from '../../../lib/client/http/transport';
import { CANARY } from '../../helpers/canaries';
import { fakeClock } from '../../helpers/clock';
import { GROUP, INVITE } from '../../helpers/ids';
import { scriptedServer, TRANSPORTS, type Reply, type ScriptedServer } from '../../helpers/scripted-server';

let server: ScriptedServer;

/** An answer that never ends (chunked), declares a huge Content-Length, or is exactly the limit. */
const ANSWERS: Record<'endless' | 'declared' | 'at-limit', Reply> = {
  endless: { status: 200, endless: true },
  declared: { status: 200, body: '[', headers: { 'content-length': String(1024 ** 3) } },
  'at-limit': { status: 404, body: `"${'x'.repeat(MAX_RESPONSE_BYTES - 2)}"` },
};

async function start(mode: keyof typeof ANSWERS): Promise<string> {
  server = await scriptedServer((_req) => ANSWERS[mode]);
  return server.url;
}

afterEach(() => server.stop());

const client = (baseUrl: string, transport: (typeof TRANSPORTS)[number]) => {
  const clock = fakeClock();
  return new InvitationClient({
    target: 'atlas',
    baseUrl,
    transport,
    credentials: { kind: 'token', accessToken: CANARY.accessToken },
    now: clock.now,
    sleep: clock.sleep,
  });
};

describe.each(TRANSPORTS)('response size limit (%s)', (transport) => {
  it('stops reading an endless body at 4 MiB and fails once, without retrying', async () => {
    const c = client(await start('endless'), transport);
    const err = await c.listInvitations(GROUP).catch((e: unknown) => e);
    await c.close();
    expect(err).toMatchObject({
      code: 'MDB_RESPONSE_TOO_LARGE',
      name: 'ResponseTooLargeError',
      method: 'GET',
      status: 200,
      limitBytes: MAX_RESPONSE_BYTES,
    });
    expect((err as Error).message).toMatch(
      /^GET \/api\/atlas\/v2\/groups\/\w+\/invites failed: the answer \(status 200\) is larger than 4 MiB/,
    );
    expect((err as Error).message).not.toMatch(/\n/);
    expect(server.seen).toHaveLength(1);
    expect(server.bodyBytes()).toBeLessThan(16 * MAX_RESPONSE_BYTES);
    expect(inspect(err)).not.toContain(CANARY.accessToken);
  });

  it('refuses a declared Content-Length over the limit before reading it', async () => {
    const c = client(await start('declared'), transport);
    await expect(c.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_RESPONSE_TOO_LARGE',
    });
    await c.close();
    expect(server.seen).toHaveLength(1);
  });

  it('reads a body of exactly the limit', async () => {
    const c = client(await start('at-limit'), transport);
    const err = await c.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    await c.close();
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 404 });
  });
});
