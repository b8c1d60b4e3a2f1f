// InvitationClient.close on the node:http transport, over a real loopback connection: by default it closes
// the keep-alive connection; with leaveConnectionsToExit (the CLI, which exits right after) it leaves it
// open, and the idle connection holds no reference that could keep a process alive. The CLI asks for that
// only when its process exits after the command (CliIo.exitsAfter, set by the bin).
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { InvitationClient } from '../../../lib/client/invitation-client';
import { run } from '../../../lib/cli/run';
import { GROUP, INVITE } from '../../helpers/ids';
import { captureIo } from '../../helpers/io';

let server: Server;
let open: Set<Socket>;
let url: string;

beforeEach(async () => {
  open = new Set();
  server = createServer((_req, res) => {
    res.statusCode = 204;
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    socket.unref(); // only the client's side of the connection is under test
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () =>
  new InvitationClient({
    target: 'atlas',
    baseUrl: url,
    credentials: { kind: 'token', accessToken: 'close-test-token' },
    transport: 'node-http',
  });

/** Client-side TCP sockets that keep the event loop alive (the server's and its peers' are unref'd). */
const liveSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/** Waits until `check` holds, polling each 10 ms, for at most 2 s. */
async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe('InvitationClient.close on node:http', () => {
  it('closes the keep-alive connection by default', async () => {
    const c = client();
    await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(open.size).toBe(1);
    await c.close();
    expect(await until(() => open.size === 0)).toBe(true);
  });

  it('leaves the idle connection to the exit with leaveConnectionsToExit, holding no reference', async () => {
    const before = liveSockets();
    const c = client();
    await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    await c.close({ leaveConnectionsToExit: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(open.size).toBe(1); // still open: the operating system closes it when the process exits
    expect(liveSockets()).toBe(before); // and it does not keep the process alive
  });
});

describe('the CLI closes its connections unless its process exits after the command', () => {
  const revoke = async (exitsAfter: boolean | undefined) => {
    const c = captureIo();
    const argv =
      `revoke --target atlas --base-url ${url} --group-id ${GROUP} --invitation-id ${INVITE}`.split(' ');
    const env = { MONGODB_ATLAS_ACCESS_TOKEN: 'close-test-token', HOME: '/nonexistent-home' };
    const io = exitsAfter === undefined ? c.io : { ...c.io, exitsAfter };
    expect(await run(argv, env, io)).toBe(0);
    expect(c.stderr()).toContain('revoked');
  };

  it('in-process (exitsAfter unset): the connection is closed', async () => {
    await revoke(undefined);
    expect(await until(() => open.size === 0)).toBe(true);
  });

  it('the bin (exitsAfter: true): the idle connection is left to the exit', async () => {
    await revoke(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(open.size).toBe(1);
  });
});
