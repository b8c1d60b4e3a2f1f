import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveCredentials, resolveTokenCacheDir } from '../../../lib/cli/credentials';
import { UsageError } from '../../../lib/cli/options';

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

const SA = { MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_1', MONGODB_ATLAS_CLIENT_SECRET: 'secret-sa' };
const KEYS = { MONGODB_ATLAS_PUBLIC_API_KEY: 'pub', MONGODB_ATLAS_PRIVATE_API_KEY: 'priv' };
const TOKEN = { MONGODB_ATLAS_ACCESS_TOKEN: 'tok' };
const MCLI = { MCLI_PUBLIC_API_KEY: 'mpub', MCLI_PRIVATE_API_KEY: 'mpriv' };

describe('resolveCredentials', () => {
  it('prefers a service account, then API keys, then a token (Atlas)', () => {
    expect(resolveCredentials('atlas', undefined, { ...SA, ...KEYS, ...TOKEN }).credentials).toEqual({
      kind: 'service-account',
      clientId: 'mdb_sa_id_1',
      clientSecret: 'secret-sa',
    });
    expect(resolveCredentials('atlas', undefined, { ...KEYS, ...TOKEN }).credentials).toEqual({
      kind: 'digest',
      publicKey: 'pub',
      privateKey: 'priv',
    });
    expect(resolveCredentials('atlas', undefined, TOKEN).credentials).toEqual({
      kind: 'token',
      accessToken: 'tok',
    });
  });

  it('accepts the older and the mongocli key names for Atlas, in that order', () => {
    const older = { MONGODB_ATLAS_PUBLIC_KEY: 'opub', MONGODB_ATLAS_PRIVATE_KEY: 'opriv' };
    expect(resolveCredentials('atlas', undefined, { ...older, ...MCLI }).credentials).toMatchObject({
      publicKey: 'opub',
      privateKey: 'opriv',
    });
    expect(resolveCredentials('atlas', undefined, MCLI).credentials).toMatchObject({
      publicKey: 'mpub',
      privateKey: 'mpriv',
    });
  });

  it('reads only MCLI keys for Ops Manager, ignoring Atlas service accounts unless asked', () => {
    expect(resolveCredentials('ops-manager', undefined, { ...SA, ...KEYS, ...MCLI }).credentials).toEqual({
      kind: 'digest',
      publicKey: 'mpub',
      privateKey: 'mpriv',
    });
    expect(resolveCredentials('ops-manager', 'service-account', SA).credentials.kind).toBe('service-account');
  });

  it('follows --auth even when a preferred set is present', () => {
    expect(resolveCredentials('atlas', 'digest', { ...SA, ...KEYS }).credentials.kind).toBe('digest');
    expect(resolveCredentials('atlas', 'token', { ...SA, ...TOKEN }).credentials.kind).toBe('token');
  });

  it('reads only the renamed variables when the construct names some', () => {
    const env = { ...KEYS, TEAM_PUB: 'tpub', TEAM_PRIV: 'tpriv' };
    const renamed = { publicKey: 'TEAM_PUB', privateKey: 'TEAM_PRIV' };
    expect(resolveCredentials('atlas', undefined, env, renamed).credentials).toEqual({
      kind: 'digest',
      publicKey: 'tpub',
      privateKey: 'tpriv',
    });
    const m = usageMessage(() => resolveCredentials('atlas', 'digest', { ...env, TEAM_PRIV: '' }, renamed));
    expect(m).toBe('TEAM_PUB is set but TEAM_PRIV is not: set both, or neither');
  });

  it('renames service-account and token variables too, also for Ops Manager', () => {
    const env = { CM_ID: 'id', CM_SECRET: 'sec' };
    expect(
      resolveCredentials('ops-manager', undefined, env, { clientId: 'CM_ID', clientSecret: 'CM_SECRET' })
        .credentials,
    ).toEqual({ kind: 'service-account', clientId: 'id', clientSecret: 'sec' });
    const tokenEnv = { MY_TOKEN: 't', ...TOKEN };
    expect(resolveCredentials('atlas', undefined, tokenEnv, { accessToken: 'MY_TOKEN' }).credentials).toEqual(
      {
        kind: 'token',
        accessToken: 't',
      },
    );
  });

  it('never falls back to the default variables when the renamed ones are unset', () => {
    const defaults = { ...SA, ...KEYS, ...TOKEN, ...MCLI };
    const renamed = { publicKey: 'TEAM_PUB', privateKey: 'TEAM_PRIV' };
    for (const auth of [undefined, 'digest'] as const) {
      const m = usageMessage(() => resolveCredentials('atlas', auth, defaults, renamed));
      expect(m).toContain('TEAM_PUB and TEAM_PRIV (API key)');
      expect(m).toContain('no others are read');
      expect(m).not.toMatch(/MONGODB_ATLAS_|MCLI_/);
    }
    // A service account named by the construct: the default API keys and token are not a fallback.
    const sa = { clientId: 'TEAM_ID', clientSecret: 'TEAM_SECRET' };
    const m = usageMessage(() => resolveCredentials('ops-manager', undefined, defaults, sa));
    expect(m).toContain('TEAM_ID and TEAM_SECRET (service account)');
    expect(m).not.toMatch(/MONGODB_ATLAS_|MCLI_/);
    // Renaming one slot is enough to stop every default from being read.
    expect(() => resolveCredentials('atlas', undefined, defaults, { accessToken: 'TEAM_TOKEN' })).toThrow(
      /set TEAM_TOKEN \(access token\)$/,
    );
  });

  it('names the exact variables to set when none are', () => {
    expect(usageMessage(() => resolveCredentials('atlas', undefined, {}))).toBe(
      'no credentials for Atlas: set MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (service account), ' +
        'or MONGODB_ATLAS_PUBLIC_API_KEY or MONGODB_ATLAS_PUBLIC_KEY or MCLI_PUBLIC_API_KEY and ' +
        'MONGODB_ATLAS_PRIVATE_API_KEY or MONGODB_ATLAS_PRIVATE_KEY or MCLI_PRIVATE_API_KEY (API key), ' +
        'or MONGODB_ATLAS_ACCESS_TOKEN (access token)',
    );
    expect(usageMessage(() => resolveCredentials('ops-manager', undefined, KEYS))).toBe(
      'no credentials for Ops Manager: set MCLI_PUBLIC_API_KEY and MCLI_PRIVATE_API_KEY (API key)',
    );
    expect(usageMessage(() => resolveCredentials('atlas', 'token', KEYS))).toBe(
      'no credentials for Atlas: set MONGODB_ATLAS_ACCESS_TOKEN (access token)',
    );
  });

  it('refuses a half-set pair, naming the missing half', () => {
    expect(
      usageMessage(() => resolveCredentials('atlas', undefined, { MONGODB_ATLAS_CLIENT_ID: 'id', ...KEYS })),
    ).toBe('MONGODB_ATLAS_CLIENT_ID is set but MONGODB_ATLAS_CLIENT_SECRET is not: set both, or neither');
    expect(
      usageMessage(() => resolveCredentials('ops-manager', undefined, { MCLI_PRIVATE_API_KEY: 'p' })),
    ).toBe('MCLI_PRIVATE_API_KEY is set but MCLI_PUBLIC_API_KEY is not: set both, or neither');
  });

  it('refuses control characters in a secret without echoing it', () => {
    const m = usageMessage(() =>
      resolveCredentials('atlas', undefined, { ...KEYS, MONGODB_ATLAS_PRIVATE_API_KEY: 'canary-secret\n' }),
    );
    expect(m).toContain('MONGODB_ATLAS_PRIVATE_API_KEY contains control characters');
    expect(m).not.toContain('canary-secret');
  });

  it('lists every secret value for the output redactor', () => {
    const { secrets } = resolveCredentials('atlas', undefined, SA);
    expect(secrets).toContain('secret-sa');
    expect(secrets).toContain(Buffer.from('mdb_sa_id_1:secret-sa').toString('base64'));
    expect(resolveCredentials('atlas', undefined, KEYS).secrets).toEqual(['priv']);
  });
});

describe('resolveTokenCacheDir', () => {
  it('uses the (already checked) setting, "off", XDG_CACHE_HOME, then HOME', () => {
    expect(resolveTokenCacheDir('/var/cache/x', { XDG_CACHE_HOME: '/xdg' })).toBe('/var/cache/x');
    expect(resolveTokenCacheDir('off', { XDG_CACHE_HOME: '/xdg' })).toBe(false);
    expect(resolveTokenCacheDir(undefined, { XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe(
      join('/xdg', 'mongodb-invitations'),
    );
    expect(resolveTokenCacheDir(undefined, { XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe(
      join('/home/u', '.cache', 'mongodb-invitations'),
    );
  });

  it('no longer reads MONGODB_INVITATIONS_TOKEN_CACHE itself (options.ts does, with the entry first)', () => {
    expect(resolveTokenCacheDir(undefined, { MONGODB_INVITATIONS_TOKEN_CACHE: 'off', HOME: '/home/u' })).toBe(
      join('/home/u', '.cache', 'mongodb-invitations'),
    );
  });

  it('falls back to the home directory of the user when HOME is unset', () => {
    expect(resolveTokenCacheDir(undefined, {})).toBe(join(homedir(), '.cache', 'mongodb-invitations'));
  });

  it('never resolves to a path relative to the working directory (HOME empty or relative)', () => {
    expect(resolveTokenCacheDir(undefined, { HOME: '' })).toBe(false);
    expect(resolveTokenCacheDir(undefined, { HOME: 'relative/home' })).toBe(false);
    expect(resolveTokenCacheDir(undefined, { HOME: '', XDG_CACHE_HOME: 'rel' })).toBe(false);
    expect(resolveTokenCacheDir(undefined, { HOME: '', XDG_CACHE_HOME: '/xdg' })).toBe(
      join('/xdg', 'mongodb-invitations'),
    );
  });
});
