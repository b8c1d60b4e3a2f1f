// run(['invite', …]) in-process against the sandbox: the create-time provisioner's command. For an
// adopted id it lists the project's invitations once and fails the apply when the id is not pending.
import { commandHelp } from '../../../lib/cli/help';
import { run } from '../../../lib/cli/run';
import { ENTRY_ADDRESS_ENV, entryName, ENTRY_KEYS, type EntryKey } from '../../../lib/contract/keys';
import { captureIo } from '../../helpers/io';
import { sandboxProxy, type SandboxProxy } from '../../helpers/sandbox-proxy';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const OTHER = '6a1b2c3d4e5f60718293a4b6';
const LIST = `/api/atlas/v2/groups/${G}/invites`;
const TOKEN = 'invite-token-canary-3c9e';
const ANA = {
  id: I,
  groupId: G,
  username: 'ana@example.com',
  roles: ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_ONLY'],
  expiresAt: '2026-09-09T03:04:53Z',
};

// The sandbox sends Atlas's Sunset header; these tests are not about the notice (revoke.test.ts is).
const NO_SUNSET = { dropUpstreamHeaders: ['sunset', 'deprecation'] };
let proxy: SandboxProxy;
// The sandbox, its clock before ANA expires; api.log is every request with its auth kind.
const api = {
  get baseUrl() {
    return proxy.url;
  },
  get log() {
    return proxy.calls();
  },
  /** Pending invitations on the Atlas invites API (as the sandbox will list them). */
  seed(...invitations: (typeof ANA)[]) {
    proxy.sandbox.seed(invitations.map((i) => ({ ...i, target: 'atlas' as const })));
  },
};
beforeEach(async () => {
  proxy = await sandboxProxy(
    undefined,
    { credentials: { accessTokens: [TOKEN] }, now: () => Date.parse('2026-08-10T03:04:53Z') },
    NO_SUNSET,
  );
});
afterEach(async () => proxy.stop());

async function invite(extra: string[], env: NodeJS.ProcessEnv = { MONGODB_ATLAS_ACCESS_TOKEN: TOKEN }) {
  const c = captureIo();
  const argv = ['invite', '--target', 'atlas', '--base-url', api.baseUrl, '--group-id', G, ...extra];
  const code = await run(argv, env, c.io);
  expect(c.stdout() + c.stderr()).not.toContain(TOKEN);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('invite --invitation-id (an adopted entry)', () => {
  it('exits 0 when the invitation is pending, after one list request', async () => {
    api.seed({ ...ANA, id: OTHER, username: 'bo@example.com' }, ANA);
    const r = await invite(['--invitation-id', I]);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `✔ adopted invitation ${I} in project ${G}: pending for ana@example.com ` +
        '(GROUP_READ_ONLY,GROUP_DATA_ACCESS_READ_ONLY, expires 2026-09-09T03:04:53Z)\n',
    });
    expect(api.log.map((e) => [e.method, e.path, e.query, e.auth])).toEqual([['GET', LIST, '', 'bearer']]);
  });

  it('prints one JSON object with --json', async () => {
    api.seed(ANA);
    const r = await invite(['--invitation-id', I, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      command: 'invite',
      outcome: 'adopted',
      target: 'atlas',
      groupId: G,
      invitationId: I,
      username: 'ana@example.com',
      roles: ANA.roles,
      expiresAt: ANA.expiresAt,
    });
  });

  it('exits 1 when the invitation is not pending (mistyped, expired…)', async () => {
    api.seed({ ...ANA, id: OTHER });
    const r = await invite(['--invitation-id', I, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^✖ invitation ${I} in project ${G} is not pending \\(mistyped, expired, accepted or cancelled\\)`,
      ),
    );
    expect(r.stderr).toContain(`mongodb-invitations list --group-id ${G}`);
    expect(JSON.parse(r.stdout)).toEqual({
      command: 'invite',
      outcome: 'not-pending',
      target: 'atlas',
      groupId: G,
      invitationId: I,
    });
    expect(api.log).toHaveLength(1);
  });

  it('exits 1 when the list fails, naming the request', async () => {
    await proxy.stop();
    proxy = await sandboxProxy(
      undefined,
      { credentials: { accessTokens: [TOKEN] }, knownGroups: [OTHER] },
      NO_SUNSET,
    );
    const r = await invite(['--invitation-id', I, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^✖ GET ${LIST} failed with 404 \\(GROUP_NOT_FOUND\\)`));
    expect(JSON.parse(r.stdout)).toMatchObject({
      command: 'invite',
      outcome: 'error',
      exitCode: 1,
      errorCode: 'GROUP_NOT_FOUND',
    });
  });

  it('runs from the provisioner entry alone', async () => {
    api.seed(ANA);
    const values: Partial<Record<EntryKey, string>> = {
      target: 'atlas',
      base_url: api.baseUrl,
      group_id: G,
      invitation_id: I,
    };
    const env: NodeJS.ProcessEnv = {
      MONGODB_ATLAS_ACCESS_TOKEN: TOKEN,
      [ENTRY_ADDRESS_ENV]: `terraform_data.mongodb_invitations["atlas/${G}/${I}"]`,
    };
    for (const key of ENTRY_KEYS) env[entryName(key)] = values[key] ?? '';
    const c = captureIo();
    expect(await run(['invite'], env, c.io)).toBe(0);
    expect(c.stderr()).toMatch(/^✔ adopted invitation /);
  });

  it('exits 2 and sends nothing for bad input', async () => {
    for (const extra of [['--invitation-id', 'nope'], [], ['--invitation-id', I, '--remove-accepted']]) {
      expect((await invite(extra)).code).toBe(2);
    }
    expect((await invite(['--invitation-id', I], {})).code).toBe(2);
    expect(api.log).toEqual([]);
  });
});

describe('invite --help', () => {
  it('prints the usage of invite', async () => {
    const c = captureIo();
    expect(await run(['invite', '--help'], {}, c.io)).toBe(0);
    expect(c.stdout()).toBe(commandHelp('invite'));
  });
});
