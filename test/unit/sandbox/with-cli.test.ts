// A user's pipeline, in small: point the project's CLI at the sandbox with the variables
// `mongodb-invitations sandbox` prints, for both targets.
import { exportsFor } from '../../../lib/cli/sandbox-command';
import { run } from '../../../lib/cli/run';
import { Sandbox } from '../../../lib/sandbox/server';
import { GROUP, INVITE } from './helpers';
import { captureIo } from '../../helpers/io';

describe('the CLI pointed at the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await Sandbox.start({
      seed: {
        invitations: [
          { groupId: GROUP, id: INVITE, username: 'ada@example.com', roles: ['GROUP_READ_ONLY'] },
        ],
      },
    });
  });
  afterEach(() => sandbox.stop());

  const cli = async (argv: string[], env: NodeJS.ProcessEnv) => {
    const c = captureIo();
    const code = await run(argv, env, c.io);
    return { code, out: c.stdout(), err: c.stderr() };
  };

  it('lists and revokes on Atlas (service account), then reports already gone; Ops Manager with Digest', async () => {
    const printed = exportsFor(sandbox.url, sandbox.credentials);
    const atlasEnv = {
      MONGODB_ATLAS_BASE_URL: printed.MONGODB_ATLAS_BASE_URL,
      MONGODB_ATLAS_CLIENT_ID: printed.MONGODB_ATLAS_CLIENT_ID,
      MONGODB_ATLAS_CLIENT_SECRET: printed.MONGODB_ATLAS_CLIENT_SECRET,
      MONGODB_INVITATIONS_TOKEN_CACHE: 'off',
    };
    const ids = ['--group-id', GROUP, '--invitation-id', INVITE];
    const list = await cli(['list', '--target', 'atlas', '--group-id', GROUP, '--json'], atlasEnv);
    expect(list.code).toBe(0);
    expect(JSON.stringify(JSON.parse(list.out))).toContain(INVITE);

    const revoked = await cli(['revoke', '--target', 'atlas', ...ids], atlasEnv);
    expect(revoked.code).toBe(0);
    expect(sandbox.invitations('atlas', GROUP)).toEqual([]);
    const again = await cli(['revoke', '--target', 'atlas', ...ids], atlasEnv);
    expect(again.code).toBe(0);
    expect(again.err).toContain('INVITATION_NOT_FOUND');

    const opsEnv = {
      MCLI_OPS_MANAGER_URL: printed.MCLI_OPS_MANAGER_URL,
      MCLI_PUBLIC_API_KEY: printed.MCLI_PUBLIC_API_KEY,
      MCLI_PRIVATE_API_KEY: printed.MCLI_PRIVATE_API_KEY,
    };
    expect((await cli(['revoke', '--target', 'ops-manager', ...ids], opsEnv)).code).toBe(0);
    expect(sandbox.invitations('ops-manager', GROUP)).toEqual([]);
    expect(
      sandbox.log.filter((e) => e.method === 'DELETE').map((e) => [e.target, e.authScheme, e.status]),
    ).toEqual([
      ['atlas', 'bearer', 204],
      ['atlas', 'bearer', 404],
      ['ops-manager', 'none', 401],
      ['ops-manager', 'digest', 204],
    ]);
  });
});
