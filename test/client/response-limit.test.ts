// Response bodies are read up to MAX_RESPONSE_BYTES on both transports: an endless or huge answer
// fails the request with ResponseTooLargeError (one line, no retry) instead of growing the process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { InvitationClient } from '../../lib/client/invitation-client';
import { MAX_RESPONSE_BYTES } from '../../lib/client/http';
import { CANARY, GROUP, INVITE, fakeClock } from './helpers';
import { TRANSPORTS } from './loopback';

let server: Server | undefined;
let sent = 0;
let requests = 0;

/** A loopback server whose answer never ends (chunked), or declares a huge Content-Length. */
async function start(mode: 'endless' | 'declared' | 'at-limit'): Promise<string> {
  sent = 0;
  requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    if (mode === 'declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 ** 3) });
      res.write('[');
      return;
    }
    if (mode === 'at-limit') {
      const body = `"${'x'.repeat(MAX_RESPONSE_BYTES - 2)}"`;
      res.writeHead(404, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!res.destroyed && sent < 64 * MAX_RESPONSE_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  server = undefined;
});

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
  it('#9 - stops reading an endless body at 4 MiB and fails once, without retrying', async () => {
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
    expect(requests).toBe(1);
    expect(sent).toBeLessThan(16 * MAX_RESPONSE_BYTES);
    expect(inspect(err)).not.toContain(CANARY.accessToken);
  });

  it('#9 - refuses a declared Content-Length over the limit before reading it', async () => {
    const c = client(await start('declared'), transport);
    await expect(c.cancelInvitation(GROUP, INVITE)).rejects.toMatchObject({
      code: 'MDB_RESPONSE_TOO_LARGE',
    });
    await c.close();
    expect(requests).toBe(1);
  });

  it('reads a body of exactly the limit', async () => {
    const c = client(await start('at-limit'), transport);
    const err = await c.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    await c.close();
    expect(err).toMatchObject({ code: 'MDB_API_ERROR', status: 404 });
  });
});
