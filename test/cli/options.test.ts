import { resolveSettings, UsageError } from '../../lib/cli/options';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const G2 = '0123456789abcdef01234567';

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('resolveSettings', () => {
  const flags = ['--target', 'atlas', '--group-id', G, '--invitation-id', I];

  it('reads every value from flags', () => {
    const s = resolveSettings(
      'revoke',
      [
        ...flags,
        '--base-url',
        'https://cloud.mongodbgov.com/',
        '--auth',
        'digest',
        '--timeout-ms',
        '5000',
        '--max-retries',
        '0',
        '--json',
      ],
      {},
    );
    expect(s).toEqual({
      command: 'revoke',
      target: 'atlas',
      baseUrl: 'https://cloud.mongodbgov.com',
      groupId: G,
      invitationId: I,
      username: undefined,
      auth: 'digest',
      timeoutMs: 5000,
      maxRetries: 0,
      json: true,
      debug: false,
    });
  });

  it('reads the provisioner variables when no flag is given', () => {
    const s = resolveSettings('revoke', [], {
      MONGODB_INVITATIONS_TARGET: 'ops-manager',
      MONGODB_INVITATIONS_BASE_URL: 'https://ops.example.com:8443',
      MONGODB_INVITATIONS_GROUP_ID: G,
      MONGODB_INVITATIONS_INVITATION_ID: I,
      MONGODB_INVITATIONS_AUTH: 'token',
      MONGODB_INVITATIONS_TIMEOUT_MS: '1000',
      MONGODB_INVITATIONS_MAX_RETRIES: '2',
    });
    expect(s).toMatchObject({
      target: 'ops-manager',
      baseUrl: 'https://ops.example.com:8443',
      groupId: G,
      invitationId: I,
      auth: 'token',
      timeoutMs: 1000,
      maxRetries: 2,
    });
  });

  it('lets flags win over the variables', () => {
    const s = resolveSettings('revoke', ['--group-id', G2, '--target', 'atlas'], {
      MONGODB_INVITATIONS_TARGET: 'ops-manager',
      MONGODB_INVITATIONS_GROUP_ID: G,
      MONGODB_INVITATIONS_INVITATION_ID: I,
    });
    expect(s).toMatchObject({ target: 'atlas', groupId: G2, invitationId: I });
  });

  it('treats an empty variable as unset', () => {
    const s = resolveSettings('revoke', flags, {
      MONGODB_INVITATIONS_BASE_URL: '',
      MONGODB_INVITATIONS_AUTH: '',
      MONGODB_INVITATIONS_TIMEOUT_MS: '',
      MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodbgov.com',
    });
    expect(s).toMatchObject({
      baseUrl: 'https://cloud.mongodbgov.com',
      auth: undefined,
      timeoutMs: undefined,
    });
  });

  it('falls back to MongoDB’s own base URL variables, per target', () => {
    const env = {
      MONGODB_ATLAS_BASE_URL: 'https://atlas.example.com',
      MCLI_OPS_MANAGER_URL: 'https://om.example.com',
    };
    expect(resolveSettings('revoke', flags, env).baseUrl).toBe('https://atlas.example.com');
    const om = ['--target', 'ops-manager', '--group-id', G, '--invitation-id', I];
    expect(resolveSettings('revoke', om, env).baseUrl).toBe('https://om.example.com');
    expect(
      resolveSettings('revoke', om, { ...env, MONGODB_INVITATIONS_BASE_URL: 'https://x.example.com' })
        .baseUrl,
    ).toBe('https://x.example.com');
    expect(resolveSettings('revoke', flags, {}).baseUrl).toBeUndefined();
  });

  it('requires a base URL for Ops Manager and names where to give it', () => {
    const m = usageMessage(() =>
      resolveSettings('revoke', ['--target', 'ops-manager', '--group-id', G, '--invitation-id', I], {}),
    );
    expect(m).toContain('--base-url');
    expect(m).toContain('MONGODB_INVITATIONS_BASE_URL');
    expect(m).toContain('MCLI_OPS_MANAGER_URL');
  });

  it('names every missing value and where to set it, in one message', () => {
    const m = usageMessage(() => resolveSettings('revoke', [], {}));
    expect(m).toContain('pass --target atlas|ops-manager or set MONGODB_INVITATIONS_TARGET');
    expect(m).toContain('pass --group-id or set MONGODB_INVITATIONS_GROUP_ID');
    expect(m).toContain('pass --invitation-id or set MONGODB_INVITATIONS_INVITATION_ID');
  });

  it.each([
    [['--group-id', 'ABC'], '--group-id must be 24 lowercase hex characters'],
    [['--target', 'cloud'], '--target must be atlas or ops-manager (value: "cloud")'],
    [['--auth', 'basic'], '--auth must be digest, service-account or token'],
    [['--timeout-ms', '0'], '--timeout-ms must be a whole number from 1 to 600000'],
    [['--max-retries=-1'], '--max-retries must be a whole number from 0 to 20'],
    [['--base-url', 'http://cloud.mongodb.com'], '--base-url must use https'],
    [['--base-url', 'https://u:p@h.example.com'], '--base-url must not carry a user name or password'],
    [['--base-url', 'https://h.example.com/?a=1'], 'must not carry a query string'],
    [['--base-url', 'https://h.example.com/#f'], 'must not carry a fragment'],
  ])('refuses %j: %s', (extra, expected) => {
    expect(usageMessage(() => resolveSettings('revoke', [...flags, ...extra], {}))).toContain(expected);
  });

  it('never echoes a password given in the base URL', () => {
    const m = usageMessage(() =>
      resolveSettings('revoke', [...flags, '--base-url', 'https://u:hunter2-canary@h.example.com'], {}),
    );
    expect(m).not.toContain('hunter2-canary');
  });

  it('names the variable that holds a bad value', () => {
    const m = usageMessage(() =>
      resolveSettings('revoke', flags, { MONGODB_INVITATIONS_MAX_RETRIES: 'many' }),
    );
    expect(m).toContain('MONGODB_INVITATIONS_MAX_RETRIES must be a whole number');
  });

  it('refuses control characters in arguments and in the variables it reads', () => {
    expect(
      usageMessage(() =>
        resolveSettings('revoke', [...flags, '--base-url', 'https://a.example.com\r\nX: y'], {}),
      ),
    ).toMatch(/argument 8 must not contain control characters/);
    expect(
      usageMessage(() =>
        resolveSettings('revoke', ['--target', 'atlas', '--invitation-id', I], {
          MONGODB_INVITATIONS_GROUP_ID: `${G}\n`,
        }),
      ),
    ).toContain('MONGODB_INVITATIONS_GROUP_ID must not contain control characters');
  });

  it('refuses unknown options, positionals and options of the other command', () => {
    expect(usageMessage(() => resolveSettings('revoke', [...flags, '--force'], {}))).toMatch(
      /revoke: Unknown option '--force'/,
    );
    expect(usageMessage(() => resolveSettings('revoke', [...flags, 'extra'], {}))).toMatch(
      /revoke: Unexpected argument 'extra'/,
    );
    expect(usageMessage(() => resolveSettings('revoke', [...flags, '--username', 'a@b.c'], {}))).toMatch(
      /Unknown option '--username'/,
    );
    expect(
      usageMessage(() =>
        resolveSettings('list', ['--target', 'atlas', '--group-id', G, '--invitation-id', I], {}),
      ),
    ).toMatch(/Unknown option '--invitation-id'/);
    expect(usageMessage(() => resolveSettings('revoke', ['--target'], {}))).toMatch(
      /--target <value>' argument missing/,
    );
  });

  it('lets list go without an invitation id and take a username', () => {
    const s = resolveSettings('list', ['--target', 'atlas', '--group-id', G, '--username', 'a@example.com'], {
      MONGODB_INVITATIONS_INVITATION_ID: 'ignored-by-list',
    });
    expect(s).toMatchObject({ command: 'list', invitationId: undefined, username: 'a@example.com' });
  });
});
