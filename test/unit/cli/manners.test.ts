// What a person typing the CLI meets: Atlas as the default target, the version and per-command help
// however asked for, a suggestion for a mistyped command or flag, and one line per invite and revoke
// (the requests behind it with --verbose, and always in --json).
import { randomBytes } from 'node:crypto';
import { commandHelp, HELP } from '../../../lib/cli/help';
import { resolveSettings } from '../../../lib/cli/options';
import { run } from '../../../lib/cli/run';
import { SANDBOX_USAGE } from '../../../lib/cli/sandbox-command';
import { nearest } from '../../../lib/contract/suggest';
import { VERSION } from '../../../lib/client/version';
import { Sandbox } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const KEYS = { publicKey: 'cli-manners-pub', privateKey: 'CLI-MANNERS-PRIVATE-77e1' };

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const c = captureIo();
  const code = await run(argv, env, c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

describe('the default target', () => {
  it('is Atlas at https://cloud.mongodb.com when --target is left out', () => {
    const settings = resolveSettings('revoke', ['--group-id', G, '--invitation-id', I], {});
    expect([settings.target, settings.baseUrl]).toEqual(['atlas', 'https://cloud.mongodb.com']);
  });

  it('still takes MONGODB_INVITATIONS_TARGET, and Ops Manager still needs its URL', () => {
    const env = { MONGODB_INVITATIONS_TARGET: 'ops-manager' };
    expect(() => resolveSettings('list', ['--group-id', G], env)).toThrow(/no Ops Manager base URL/);
    const settings = resolveSettings('list', ['--group-id', G, '--base-url', 'https://ops.example.com'], env);
    expect(settings.target).toBe('ops-manager');
  });
});

describe('version and help', () => {
  it.each([['-v'], ['--version'], ['version']])('prints the version for %s', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  it.each(['invite', 'revoke', 'list', 'audit'] as const)(
    'prints the usage of %s for "help %s"',
    async (topic) => {
      expect(await cli(['help', topic])).toEqual({ code: 0, out: commandHelp(topic), err: '' });
    },
  );

  it('prints the sandbox usage for "help sandbox", and HELP for "help" alone', async () => {
    expect((await cli(['help', 'sandbox'])).out).toBe(SANDBOX_USAGE);
    expect((await cli(['help'])).out).toBe(HELP);
  });

  it('refuses "help" of an unknown command with a suggestion (exit 2)', async () => {
    const r = await cli(['help', 'invte']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^✖ help: unknown command "invte" \(did you mean "invite"\?\)/);
  });
});

describe('suggestions', () => {
  it.each([
    ['lst', 'list'],
    ['revok', 'revoke'],
    ['inivte', 'invite'],
    ['sandbx', 'sandbox'],
    ['verison', 'version'],
  ])('suggests "%s" → "%s"', async (typed, meant) => {
    const r = await cli([typed]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`unknown command "${typed}" (did you mean "${meant}"?)`);
  });

  it('suggests nothing for a word far from every command', async () => {
    const r = await cli(['deploy']);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('did you mean');
    expect(nearest('x', ['list'])).toBeUndefined();
  });

  it.each([
    [['revoke', '--gruop-id', G], '--group-id'],
    [['invite', '--usrname', 'a@example.com'], '--username'],
    [['list', '--jsno'], '--json'],
    [['revoke', '--remove-acepted'], '--remove-accepted'],
  ])('suggests the nearest flag for %p', async (argv, meant) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`did you mean "${meant}"?`);
  });

  it('suggests the nearest flag of the sandbox', async () => {
    const r = await cli(['sandbox', '--prot', '8089']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean "--port"?');
  });
});

describe('one line per invite and per revoke', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({
      credentials: { apiKeys: [KEYS], serviceAccounts: [], accessTokens: [] },
      invitationRateLimit: 'off',
    });
  });
  afterAll(() => sandbox.stop());
  const env = () => ({
    MONGODB_ATLAS_BASE_URL: sandbox.url,
    MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
  });
  const lines = (text: string) => text.split('\n').filter((l) => l !== '');

  it('prints one line for an invite, a role change and a revoke; the requests with --verbose', async () => {
    const g = randomBytes(12).toString('hex');
    const who = ['--group-id', g, '--username', 'ana@example.com'];
    const first = await cli(['invite', ...who, '--roles', 'GROUP_READ_ONLY'], env());
    expect([first.code, lines(first.err)]).toEqual([
      0,
      [
        expect.stringMatching(
          /^✔ ana@example\.com in project \w+ with GROUP_READ_ONLY: invited \[cloud-users/,
        ),
      ],
    ]);

    const change = await cli(['invite', ...who, '--roles', 'GROUP_OWNER'], env());
    expect(lines(change.err)).toEqual([expect.stringContaining('roles set on the pending invitation')]);
    const verbose = await cli(['invite', ...who, '--roles', 'GROUP_READ_ONLY', '--verbose'], env());
    expect(lines(verbose.err).length).toBeGreaterThan(1);
    expect(lines(verbose.err).at(-1)).toContain('roles set on the pending invitation');

    const revoked = await cli(['revoke', ...who, '--json'], env());
    expect(lines(revoked.err)).toEqual([expect.stringContaining(': pending invitation cancelled')]);
    const json = JSON.parse(revoked.out) as { actions: unknown[] };
    expect(json.actions.length).toBeGreaterThan(0);
  });

  it('prints the requests of a revoke with MONGODB_INVITATIONS_VERBOSE=true (what a provisioner can set)', async () => {
    const g = randomBytes(12).toString('hex');
    const who = ['--group-id', g, '--username', 'bo@example.com'];
    expect((await cli(['invite', ...who, '--roles', 'GROUP_READ_ONLY'], env())).code).toBe(0);
    const r = await cli(['revoke', ...who], { ...env(), MONGODB_INVITATIONS_VERBOSE: 'true' });
    expect(lines(r.err).length).toBeGreaterThan(1);
    expect(lines(r.err).at(-1)).toContain(': pending invitation cancelled');
  });
});
