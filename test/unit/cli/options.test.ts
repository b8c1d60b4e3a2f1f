import { resolveSettings, UsageError } from '../../../lib/cli/options';
import {
  ambientName,
  CREDENTIAL_SETTINGS,
  entryName,
  ENTRY_KEYS,
  SETTING_KEYS,
  type EntryKey,
  type SettingKey,
} from '../../../lib/contract/keys';
import { LIMITS } from '../../../lib/contract/settings';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I = '6a1b2c3d4e5f60718293a4b5';
const G2 = '0123456789abcdef01234567';
const CREDENTIAL_KEYS: SettingKey[] = Object.values(CREDENTIAL_SETTINGS);

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

const flags = ['--target', 'atlas', '--group-id', G, '--invitation-id', I];

describe('resolveSettings', () => {
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
        '--api',
        'invites',
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
      roles: undefined,
      api: 'invites',
      removeAccepted: false,
      allowInsecureHttp: false,
      auth: 'digest',
      timeoutMs: 5000,
      maxRetries: 0,
      tokenCache: undefined,
      credentialNames: {},
      http: undefined,
      address: undefined,
      json: true,
      debug: false,
      verbose: false,
    });
  });

  it('reads the ambient MONGODB_INVITATIONS_* variables when no flag is given', () => {
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
      address: undefined,
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
    // The Atlas default is spelled out, so that it and an explicit https://cloud.mongodb.com are one identity.
    expect(resolveSettings('revoke', flags, {}).baseUrl).toBe('https://cloud.mongodb.com');
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
    const m = usageMessage(() => resolveSettings('revoke', ['--target', 'ops-manager'], {}));
    expect(m).toContain('pass --base-url or set MONGODB_INVITATIONS_BASE_URL or MCLI_OPS_MANAGER_URL');
    expect(m).toContain('pass --group-id or set MONGODB_INVITATIONS_GROUP_ID');
    // Who to revoke is only asked for once the rest is right.
    expect(usageMessage(() => resolveSettings('revoke', ['--target', 'atlas', '--group-id', G], {}))).toBe(
      'revoke: no one to revoke: pass --username EMAIL or --invitation-id ID',
    );
  });

  it.each([
    [['--group-id', 'ABC'], '--group-id must be 24 lowercase hex characters'],
    [['--target', 'cloud'], '--target must be atlas or ops-manager (value: "cloud")'],
    [['--auth', 'basic'], '--auth must be digest or service-account or token (value: "basic")'],
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
    expect(usageMessage(() => resolveSettings('revoke', [...flags, '--roles', 'GROUP_OWNER'], {}))).toMatch(
      /revoke: Unknown option '--roles'; run "mongodb-invitations revoke --help"/,
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

// A provisioner passes one entry as MONGODB_INVITATIONS_ENTRY_<KEY> (lib/contract/keys.ts), every key
// present, "" where not set (Terraform maps hold no null).
const entry = (values: Partial<Record<EntryKey, string>>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ENTRY_KEYS) env[entryName(key)] = values[key] ?? '';
  return env;
};
const ID_ENTRY = { target: 'atlas', base_url: 'https://cloud.mongodb.com', group_id: G, invitation_id: I };

describe('the provisioner entry (MONGODB_INVITATIONS_ENTRY_*)', () => {
  it('reads identity and settings from the entry alone, and the address of the instance', () => {
    const s = resolveSettings('revoke', [], {
      ...entry({
        ...ID_ENTRY,
        timeout_ms: '1500',
        token_cache: 'off',
        client_id_env: 'TEAM_ID',
        client_secret_env: 'TEAM_SECRET',
      }),
      MONGODB_INVITATIONS_ENTRY_KEY: `atlas/${G}/${I}`,
      MONGODB_INVITATIONS_ENTRY_ADDRESS: `terraform_data.mongodb_invitations["atlas/${G}/${I}"]`,
    });
    expect(s).toMatchObject({
      target: 'atlas',
      baseUrl: 'https://cloud.mongodb.com',
      groupId: G,
      invitationId: I,
      username: undefined,
      timeoutMs: 1500,
      tokenCache: 'off',
      credentialNames: { clientId: 'TEAM_ID', clientSecret: 'TEAM_SECRET' },
      address: `terraform_data.mongodb_invitations["atlas/${G}/${I}"]`,
    });
  });

  it('never mixes ambient identity into an entry', () => {
    const ambient = {
      MONGODB_INVITATIONS_INVITATION_ID: I,
      MONGODB_INVITATIONS_USERNAME: 'ana@example.com',
      MONGODB_INVITATIONS_BASE_URL: 'https://ops.example.com',
      MONGODB_ATLAS_BASE_URL: 'https://cloud.mongodbgov.com',
    };
    // The entry names no one: the ambient invitation id or username must not fill the gap.
    expect(
      usageMessage(() =>
        resolveSettings('revoke', [], { ...ambient, ...entry({ ...ID_ENTRY, invitation_id: '' }) }),
      ),
    ).toBe('revoke: no one to revoke: pass --username EMAIL or --invitation-id ID');
    // The entry's base URL is empty: the Atlas default, not an ambient base URL.
    const s = resolveSettings('revoke', [], { ...ambient, ...entry({ ...ID_ENTRY, base_url: '' }) });
    expect(s).toMatchObject({ baseUrl: 'https://cloud.mongodb.com', invitationId: I, username: undefined });
  });

  it('reads the instance address only from an entry', () => {
    const s = resolveSettings('revoke', flags, {
      MONGODB_INVITATIONS_ENTRY_ADDRESS: 'terraform_data.x["k"]',
    });
    expect(s.address).toBeUndefined();
  });

  it('takes settings from the flag, then the entry, then the ambient variable, then the default', () => {
    const both = { ...entry({ ...ID_ENTRY, max_retries: '4' }), MONGODB_INVITATIONS_MAX_RETRIES: '7' };
    expect(resolveSettings('revoke', ['--max-retries', '1'], both).maxRetries).toBe(1);
    expect(resolveSettings('revoke', [], both).maxRetries).toBe(4);
    expect(resolveSettings('revoke', [], { ...both, ...entry(ID_ENTRY) }).maxRetries).toBe(7);
    expect(resolveSettings('revoke', [], entry(ID_ENTRY)).maxRetries).toBeUndefined();
  });

  it.each([
    ['token_cache', 'off', 'tokenCache', 'off'],
    ['max_retries', '5', 'maxRetries', 5],
    ['auth', 'token', 'auth', 'token'],
    ['timeout_ms', '2500', 'timeoutMs', 2500],
    ['api', 'invites', 'api', 'invites'],
    ['remove_accepted', 'true', 'removeAccepted', true],
    ['access_token_env', 'TEAM_TOKEN', 'credentialNames', { accessToken: 'TEAM_TOKEN' }],
  ] as const)('an empty ENTRY_%s does not mask the ambient variable (%s)', (key, text, field, expected) => {
    const env = { ...entry(ID_ENTRY), [ambientName(key)]: text };
    expect(env[entryName(key)]).toBe('');
    expect(resolveSettings('revoke', [], env)[field]).toEqual(expected);
  });
});

// Every setting's text is checked by lib/contract/settings.ts, whichever way it arrives.
type Source = 'entry' | 'ambient' | 'flag';
const FLAGS: Partial<Record<SettingKey, string>> = {
  timeout_ms: 'timeout-ms',
  max_retries: 'max-retries',
  auth: 'auth',
  api: 'api',
};
const FIELD: Record<SettingKey, (s: ReturnType<typeof resolveSettings>) => unknown> = {
  timeout_ms: (s) => s.timeoutMs,
  max_retries: (s) => s.maxRetries,
  token_cache: (s) => s.tokenCache,
  auth: (s) => s.auth,
  api: (s) => s.api,
  remove_accepted: (s) => s.removeAccepted,
  allow_insecure_http: (s) => s.allowInsecureHttp,
  client_id_env: (s) => s.credentialNames.clientId,
  client_secret_env: (s) => s.credentialNames.clientSecret,
  public_key_env: (s) => s.credentialNames.publicKey,
  private_key_env: (s) => s.credentialNames.privateKey,
  access_token_env: (s) => s.credentialNames.accessToken,
};

const PARTNER: Partial<Record<SettingKey, SettingKey>> = {
  client_id_env: 'client_secret_env',
  client_secret_env: 'client_id_env',
  public_key_env: 'private_key_env',
  private_key_env: 'public_key_env',
};

function settle(key: SettingKey, text: string, source: Source) {
  const label =
    source === 'flag' ? `--${FLAGS[key]}` : source === 'entry' ? entryName(key) : ambientName(key);
  const args = source === 'flag' ? [...flags, `--${FLAGS[key]}=${text}`] : source === 'ambient' ? flags : [];
  // Credential renames go in pairs: the other half gets a valid name from the same source.
  const partner = PARTNER[key];
  const extra: Record<string, string> = partner ? { [partner]: 'PARTNER_VAR' } : {};
  const env =
    source === 'entry'
      ? entry({ ...ID_ENTRY, ...extra, [key]: text })
      : source === 'ambient'
        ? {
            ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [ambientName(k as SettingKey), v])),
            [label]: text,
          }
        : {};
  try {
    return { label, value: FIELD[key](resolveSettings('revoke', args, env)) };
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return { label, problem: (err as Error).message };
  }
}

const sourcesOf = (key: SettingKey): Source[] =>
  FLAGS[key] ? ['entry', 'ambient', 'flag'] : ['entry', 'ambient'];

describe('setting boundaries, identical through the entry, the ambient variable and the flag', () => {
  const accepted: [SettingKey, string, unknown][] = [
    ['timeout_ms', String(LIMITS.timeout_ms.min), LIMITS.timeout_ms.min],
    ['timeout_ms', String(LIMITS.timeout_ms.max), LIMITS.timeout_ms.max],
    ['max_retries', String(LIMITS.max_retries.min), LIMITS.max_retries.min],
    ['max_retries', String(LIMITS.max_retries.max), LIMITS.max_retries.max],
    ['token_cache', 'off', 'off'],
    ['token_cache', '/var/cache/mongodb-invitations', '/var/cache/mongodb-invitations'],
    ['auth', 'digest', 'digest'],
    ['auth', 'service-account', 'service-account'],
    ['auth', 'token', 'token'],
    ['api', 'cloud-users', 'cloud-users'],
    ['api', 'invites', 'invites'],
    ['remove_accepted', 'true', true],
    ['remove_accepted', 'false', false],
    ['allow_insecure_http', 'true', true],
    ['allow_insecure_http', 'false', false],
    ...CREDENTIAL_KEYS.flatMap((k): [SettingKey, string, unknown][] => [
      [k, 'TEAM_VAR_1', 'TEAM_VAR_1'],
      [k, '_x', '_x'],
    ]),
  ];
  it.each(accepted)('accepts %s=%j', (key, text, expected) => {
    for (const source of sourcesOf(key))
      expect(settle(key, text, source)).toEqual({ label: expect.any(String), value: expected });
  });

  const whole = (key: 'timeout_ms' | 'max_retries') =>
    `must be a whole number from ${LIMITS[key].min} to ${LIMITS[key].max}`;
  const refused: [SettingKey, string, string][] = [
    ['timeout_ms', String(LIMITS.timeout_ms.min - 1), whole('timeout_ms')],
    ['timeout_ms', String(LIMITS.timeout_ms.max + 1), whole('timeout_ms')],
    ['timeout_ms', 'abc', whole('timeout_ms')],
    ['timeout_ms', '1.5', whole('timeout_ms')],
    ['timeout_ms', '1e3', whole('timeout_ms')],
    ['timeout_ms', ' 5', whole('timeout_ms')],
    ['timeout_ms', '-1', whole('timeout_ms')],
    ['max_retries', String(LIMITS.max_retries.min - 1), whole('max_retries')],
    ['max_retries', String(LIMITS.max_retries.max + 1), whole('max_retries')],
    ['max_retries', 'three', whole('max_retries')],
    ['max_retries', '0x3', whole('max_retries')],
    ['token_cache', 'cache', 'must be an absolute directory path or "off"'],
    ['token_cache', './cache', 'must be an absolute directory path or "off"'],
    ['token_cache', '~/.cache', 'must be an absolute directory path or "off"'],
    ['token_cache', 'OFF', 'must be an absolute directory path or "off"'],
    ['auth', 'basic', 'must be digest or service-account or token'],
    ['auth', 'Digest', 'must be digest or service-account or token'],
    ['api', 'users', 'must be cloud-users or invites'],
    ['remove_accepted', 'yes', 'must be true or false'],
    ['remove_accepted', 'TRUE', 'must be true or false'],
    ['allow_insecure_http', '1', 'must be true or false'],
    ...CREDENTIAL_KEYS.flatMap((k): [SettingKey, string, string][] => [
      [k, '1ABC', 'must be the NAME of an environment variable'],
      [k, 'TEAM-ID', 'must be the NAME of an environment variable'],
      [k, 'two words', 'must be the NAME of an environment variable'],
      [k, 'mdb_sa_sk_0123abcd', 'looks like a service-account client secret'],
    ]),
  ];
  it.each(refused)('refuses %s=%j', (key, text, expected) => {
    for (const source of sourcesOf(key)) {
      const r = settle(key, text, source);
      expect(r).toEqual({ label: r.label, problem: expect.stringContaining(`${r.label} ${expected}`) });
    }
  });

  it('never echoes a credential variable setting that looks like a value', () => {
    for (const key of CREDENTIAL_KEYS) {
      for (const source of sourcesOf(key)) {
        const r = settle(key, 'mdb_sa_sk_canary-9d1', source);
        expect(r.problem).toBeDefined();
        expect(r.problem).not.toContain('canary-9d1');
      }
    }
  });

  it('covers every setting key of lib/contract', () => {
    expect(Object.keys(FIELD).sort()).toEqual([...SETTING_KEYS].sort());
    const tested = new Set([...accepted, ...refused].map(([key]) => key));
    expect([...tested].sort()).toEqual([...SETTING_KEYS].sort());
  });
});

describe('identity rules', () => {
  it.each(['ATLAS', 'Atlas', 'OPS-MANAGER', 'Ops-Manager'])('accepts --target %s in any case', (target) => {
    const s = resolveSettings(
      'revoke',
      ['--target', target, '--base-url', 'https://om.example.com', '--group-id', G, '--invitation-id', I],
      {},
    );
    expect(s.target).toBe(target.toLowerCase());
  });

  it('canonicalizes base URLs: lowercase scheme and host, no default port, no trailing slash', () => {
    const base = (url: string) => resolveSettings('revoke', [...flags, '--base-url', url], {}).baseUrl;
    expect(base('HTTPS://Cloud.MongoDB.com:443/')).toBe('https://cloud.mongodb.com');
    expect(base('https://OPS.example.com:8443/prefix/')).toBe('https://ops.example.com:8443/prefix');
    expect(base('http://LOCALHOST:80')).toBe('http://localhost');
  });

  it('takes plain http to a non-loopback host only with --allow-insecure-http or the setting', () => {
    const om = [
      '--target',
      'ops-manager',
      '--group-id',
      G,
      '--invitation-id',
      I,
      '--base-url',
      'http://ops.internal:8080',
    ];
    expect(usageMessage(() => resolveSettings('revoke', om, {}))).toContain('--base-url must use https');
    expect(resolveSettings('revoke', [...om, '--allow-insecure-http'], {})).toMatchObject({
      baseUrl: 'http://ops.internal:8080',
      allowInsecureHttp: true,
    });
    expect(
      resolveSettings('revoke', om, { MONGODB_INVITATIONS_ALLOW_INSECURE_HTTP: 'true' }).allowInsecureHttp,
    ).toBe(true);
    const fromEntry = entry({
      ...ID_ENTRY,
      target: 'ops-manager',
      base_url: 'http://ops.internal:8080',
      allow_insecure_http: 'true',
    });
    expect(resolveSettings('revoke', [], fromEntry).baseUrl).toBe('http://ops.internal:8080');
    expect(
      usageMessage(() =>
        resolveSettings('revoke', [], { ...fromEntry, [entryName('allow_insecure_http')]: 'false' }),
      ),
    ).toContain(`${entryName('base_url')} must use https`);
  });

  it('reads invite’s username and roles: lowercased, sorted, without duplicates', () => {
    const s = resolveSettings(
      'invite',
      [
        '--target',
        'atlas',
        '--group-id',
        G,
        '--username',
        'Ana@Example.com',
        '--roles',
        'GROUP_READ_ONLY, GROUP_OWNER,GROUP_READ_ONLY',
      ],
      {},
    );
    expect(s).toMatchObject({
      command: 'invite',
      username: 'ana@example.com',
      roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'],
    });
    expect(
      usageMessage(() =>
        resolveSettings('invite', ['--target', 'atlas', '--group-id', G, '--username', 'a@example.com'], {}),
      ),
    ).toContain('invite: --roles is required with --username');
    expect(
      usageMessage(() =>
        resolveSettings('invite', [...flags, '--username', 'a@example.com', '--roles', 'GROUP_OWNER'], {}),
      ),
    ).toContain('give --invitation-id or --username, not both');
  });
});

describe('credential renames', () => {
  it('refuses a rename of one half of a pair, before anything is sent', () => {
    expect(() =>
      resolveSettings('revoke', ['--target', 'atlas', '--group-id', G, '--invitation-id', I], {
        MONGODB_INVITATIONS_CLIENT_ID_ENV: 'TEAM_ID',
      }),
    ).toThrow(
      /MONGODB_INVITATIONS_CLIENT_ID_ENV is set but MONGODB_INVITATIONS_CLIENT_SECRET_ENV is not: set both, or neither/,
    );
  });
});
