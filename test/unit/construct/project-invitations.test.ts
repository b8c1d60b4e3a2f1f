import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { Annotations, App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { InvalidProjectInvitationsError, InvitationTarget, ProjectInvitations } from '../../../lib/index';
import { locateCliBundle } from '../../../lib/construct/cli-asset';
import { describeCdktfOnly } from './flavour';
import { blocksOf, entriesOf, identityBlock, leadingFields, profileOf, rolesBlock, synth } from './synth';
import { instanceField } from './provisioner-env';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I1 = '6a1b2c3d4e5f60718293a4b5';
const I2 = '6a1b2c3d4e5f60718293a4b6';
const repoRoot = resolve(__dirname, '..', '..', '..');
const ANA = 'ana@example.com';
const KEY = (id: string, target = 'atlas') => `${target}/${G}/${id}`;

// The provisioner contract of CONTRIBUTING.md, written out here on purpose (not imported) so that a
// change to an environment name fails this test: once released, these never change.
const CONTRACT = [
  'MONGODB_INVITATIONS_ENTRY_TARGET',
  'MONGODB_INVITATIONS_ENTRY_BASE_URL',
  'MONGODB_INVITATIONS_ENTRY_GROUP_ID',
  'MONGODB_INVITATIONS_ENTRY_INVITATION_ID',
  'MONGODB_INVITATIONS_ENTRY_USERNAME',
  'MONGODB_INVITATIONS_ENTRY_ROLES',
  'MONGODB_INVITATIONS_ENTRY_API',
  'MONGODB_INVITATIONS_ENTRY_AUTH',
  'MONGODB_INVITATIONS_ENTRY_TIMEOUT_MS',
  'MONGODB_INVITATIONS_ENTRY_MAX_RETRIES',
  'MONGODB_INVITATIONS_ENTRY_TOKEN_CACHE',
  'MONGODB_INVITATIONS_ENTRY_CLIENT_ID_ENV',
  'MONGODB_INVITATIONS_ENTRY_CLIENT_SECRET_ENV',
  'MONGODB_INVITATIONS_ENTRY_PUBLIC_KEY_ENV',
  'MONGODB_INVITATIONS_ENTRY_PRIVATE_KEY_ENV',
  'MONGODB_INVITATIONS_ENTRY_ACCESS_TOKEN_ENV',
  'MONGODB_INVITATIONS_ENTRY_REMOVE_ACCEPTED',
  'MONGODB_INVITATIONS_ENTRY_ALLOW_INSECURE_HTTP',
  'MONGODB_INVITATIONS_ENTRY_KEY',
  'MONGODB_INVITATIONS_ENTRY_ADDRESS',
].sort();
// The revoke needs no roles: only the roles block's invite reads them.
const REVOKE_CONTRACT = CONTRACT.filter((name) => name !== 'MONGODB_INVITATIONS_ENTRY_ROLES');
const IDENTITY = ['target', 'base_url', 'group_id', 'invitation_id', 'username'];
const IDENTITY_AND_ROLES = [...IDENTITY, 'roles'];

function errorOf(fn: () => unknown): InvalidProjectInvitationsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidProjectInvitationsError) return error;
    throw error;
  }
  throw new Error('expected an InvalidProjectInvitationsError');
}

function newStack(): TerraformStack {
  return new TerraformStack(new App({ outdir: mkdtempSync(join(tmpdir(), 'pi-unused-')) }), 'stack');
}

/** The for_each map both terraform_data blocks of a stack built by `build` iterate. */
function forEachOf(build: (stack: TerraformStack) => void): Record<string, Record<string, string>> {
  const out = synth(build);
  const identity = identityBlock(out.config);
  const roles = rolesBlock(out.config);
  out.cleanup();
  expect(roles.for_each).toBe(identity.for_each);
  return entriesOf(out.config, identity);
}

describe('ProjectInvitations (terraform_data)', () => {
  it('emits two stack-wide for_each blocks over one locals map keyed <target>/<groupId>/<id>: identity, and identity with roles', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: 'https://cloud.mongodbgov.com/' }),
        invitations: [
          { groupId: G, invitationId: I1 },
          { groupId: G, invitationId: I2 },
        ],
      });
    });
    const block = out.config.resource['terraform_data']?.['mongodb_invitations'];
    expect(Object.keys(out.config.resource)).toEqual(['terraform_data']);
    expect(block?.for_each).toBe('${local.mongodb_invitations}');
    expect(Object.keys(entriesOf(out.config, block))).toEqual([
      `cloud.mongodbgov.com/${G}/${I1}`,
      `cloud.mongodbgov.com/${G}/${I2}`,
    ]);
    expect(entriesOf(out.config, block)[`cloud.mongodbgov.com/${G}/${I1}`]).toMatchObject({
      target: 'atlas',
      base_url: 'https://cloud.mongodbgov.com',
      group_id: G,
      invitation_id: I1,
      username: '',
      roles: '',
    });
    // One expression per field, each reading each.value once (Terraform re-reads the whole map per reading),
    // that yields an object of every key by name, as the state has always held.
    expect(block?.triggers_replace).toBe(`\${${leadingFields(IDENTITY)}}`);
    expect(block?.input).toBe(`\${${profileOf()}}`);
    const entry = entriesOf(out.config, block)[`cloud.mongodbgov.com/${G}/${I1}`] ?? {};
    const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, entry[k]]));
    const key = `cloud.mongodbgov.com/${G}/${I1}`;
    expect(instanceField(out.config, block!, 'triggers_replace', key)).toEqual(pick(IDENTITY));
    expect(block?.lifecycle).toBeUndefined();
    const roles = rolesBlock(out.config);
    expect(Object.keys(out.config.resource['terraform_data'] ?? {}).sort()).toEqual([
      'mongodb_invitation_roles',
      'mongodb_invitations',
    ]);
    expect(roles.for_each).toBe('${local.mongodb_invitations}');
    expect(roles.triggers_replace).toBe(
      `\${merge(${leadingFields(IDENTITY_AND_ROLES)}, {identity_id = local.mongodb_invitations_identity_ids[each.key]})}`,
    );
    expect(instanceField(out.config, roles, 'triggers_replace', key)).toEqual({
      ...pick(IDENTITY_AND_ROLES),
      identity_id: `id-of-${key}`,
    });
    expect(roles.input).toEqual(block?.input);
    // Revoke before invite when both are replaced, and a replaced identity instance replaces the roles
    // instance: the roles block reads its identity instance's id through one local (one graph edge per
    // instance; a depends_on or replace_triggered_by between the blocks would cost one per pair).
    expect(roles.depends_on).toBeUndefined();
    expect(roles.lifecycle).toBeUndefined();
    expect(out.config.locals?.['mongodb_invitations_identity_ids']).toBe(
      '${{for key, instance in terraform_data.mongodb_invitations : key => instance.id}}',
    );
    out.cleanup();
  });

  it("keys people by lower-cased username, with sorted roles for the roles block's triggers", () => {
    const map = forEachOf((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas(),
        invitations: [{ groupId: G, username: 'Ana@Example.COM', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] }],
      });
    });
    expect(map[KEY(ANA)]).toMatchObject({
      username: ANA,
      roles: 'GROUP_OWNER,GROUP_READ_ONLY',
      api: '',
      invitation_id: '',
    });
  });

  it('keeps settings in input, so that changing them updates in place', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.opsManager({ baseUrl: 'https://OPS.example.com:8443/', auth: 'digest' }),
        credentials: { publicKeyEnv: 'OM_PUBLIC', privateKeyEnv: 'OM_PRIVATE' },
        timeoutMs: 5000,
        maxRetries: 0,
        tokenCache: 'off',
        invitations: [{ groupId: G, invitationId: I1 }],
      });
    });
    const block = identityBlock(out.config);
    const value = entriesOf(out.config, block)[KEY(I1, 'ops.example.com:8443')];
    expect(value).toMatchObject({
      target: 'ops-manager',
      base_url: 'https://ops.example.com:8443',
      auth: 'digest',
      timeout_ms: '5000',
      max_retries: '0',
      token_cache: 'off',
      client_id_env: '',
      public_key_env: 'OM_PUBLIC',
      private_key_env: 'OM_PRIVATE',
    });
    const input = instanceField(out.config, block, 'input', KEY(I1, 'ops.example.com:8443'));
    expect(Object.keys(input).sort()).toEqual(
      Object.keys(value ?? {})
        .filter((k) => !IDENTITY_AND_ROLES.includes(k))
        .sort(),
    );
    for (const [k, v] of Object.entries(input)) expect(v).toBe(value?.[k]);
    out.cleanup();
  });

  it('iterates one short string per entry and writes what entries share once, in a profile', () => {
    const out = synth((stack) => {
      const settings = { target: InvitationTarget.atlas(), timeoutMs: 5000 };
      new ProjectInvitations(stack, 'a', {
        ...settings,
        invitations: [
          { groupId: G, username: ANA, roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] },
          { groupId: G, invitationId: I1 },
        ],
      });
      new ProjectInvitations(stack, 'b', { ...settings, invitations: [{ groupId: G, invitationId: I2 }] });
      new ProjectInvitations(stack, 'c', {
        target: InvitationTarget.atlas(),
        invitations: [{ groupId: G, username: 'bo@example.com', roles: ['GROUP_OWNER'] }],
      });
    });
    // Construct a's person and id and construct b's id share one profile (same target and settings);
    // c (no timeout) has its own.
    const atlas = 'atlas https://cloud.mongodb.com';
    expect(out.config.locals?.['mongodb_invitations']).toEqual({
      [KEY(ANA)]: `${atlas} ${G}  ${ANA} GROUP_OWNER,GROUP_READ_ONLY 0`,
      [KEY(I1)]: `${atlas} ${G} ${I1}   0`,
      [KEY(I2)]: `${atlas} ${G} ${I2}   0`,
      [KEY('bo@example.com')]: `${atlas} ${G}  bo@example.com GROUP_OWNER 1`,
    });
    const profiles = out.config.locals?.['mongodb_invitations_profiles'] as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(profiles)).toEqual(['0', '1']);
    expect(profiles['0']).toMatchObject({ auth: '', timeout_ms: '5000' });
    expect(profiles['1']).toMatchObject({ timeout_ms: '' });
    // A profile holds the settings, exactly the keys of each instance's input.
    const input = instanceField(out.config, identityBlock(out.config), 'input', KEY(I2));
    for (const profile of Object.values(profiles)) {
      expect(Object.keys(profile).sort()).toEqual(Object.keys(input).sort());
    }
    expect(entriesOf(out.config, identityBlock(out.config))[KEY(I2)]).toMatchObject({
      target: 'atlas',
      group_id: G,
      invitation_id: I2,
      username: '',
      roles: '',
      timeout_ms: '5000',
    });
    out.cleanup();
  });

  it('keeps both blocks, with for_each = {} and their provisioners, when the set is empty', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    });
    const block = identityBlock(out.config);
    expect(entriesOf(out.config, block)).toEqual({});
    expect(block.provisioner).toHaveLength(1);
    expect(rolesBlock(out.config).provisioner).toHaveLength(1);
    out.cleanup();
  });

  it('includes entries added after construction and collapses identical duplicates', () => {
    let keys: string[] = [];
    const out = synth((stack) => {
      const team = new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas(),
        invitations: [
          { groupId: G, invitationId: I1 },
          { groupId: G, invitationId: I1 },
        ],
      });
      team.add({ groupId: G, invitationId: I2 }, { groupId: G, invitationId: I1 });
      team.add({ groupId: G, username: ANA, roles: ['GROUP_READ_ONLY'] });
      keys = team.keys;
    });
    expect(keys).toEqual([KEY(I1), KEY(I2), KEY(ANA)]);
    expect(Object.keys(entriesOf(out.config, identityBlock(out.config)))).toEqual(keys);
    out.cleanup();
  });

  it('runs the bundled CLI without a shell: the roles block invites at create time, the identity block revokes at destroy time, values from self', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    });
    const [revoke, ...moreRevokes] = identityBlock(out.config).provisioner.map((p) => p['local-exec']);
    const [invite, ...moreInvites] = rolesBlock(out.config).provisioner.map((p) => p['local-exec']);
    expect(moreRevokes).toEqual([]);
    expect(moreInvites).toEqual([]);
    expect(invite?.when).toBeUndefined();
    expect(invite?.command).toBe('invite');
    expect(revoke?.when).toBe('destroy');
    expect(revoke?.command).toBe('revoke');
    expect(Object.keys(invite?.environment ?? {}).sort()).toEqual(CONTRACT);
    expect(Object.keys(revoke?.environment ?? {}).sort()).toEqual(REVOKE_CONTRACT);
    expect(invite?.environment).toMatchObject({
      MONGODB_INVITATIONS_ENTRY_ROLES: '${self.triggers_replace.roles}',
      MONGODB_INVITATIONS_ENTRY_ADDRESS:
        '${format("terraform_data.mongodb_invitation_roles[\\"%s\\"]", each.key)}',
    });
    expect(revoke?.environment).toMatchObject({
      MONGODB_INVITATIONS_ENTRY_ADDRESS:
        '${format("terraform_data.mongodb_invitations[\\"%s\\"]", each.key)}',
    });
    for (const exec of [invite, revoke]) {
      expect(exec?.on_failure).toBeUndefined();
      expect(exec?.interpreter?.[0]).toBe('node');
      expect(exec?.interpreter).toHaveLength(2);
      const cli = exec?.interpreter?.[1] ?? '';
      expect(cli).toMatch(/^assets\/MongoDbInvitationsCli\/[0-9A-F]+\/mongodb-invitations\.cjs$/);
      expect(existsSync(join(out.stackDir, cli))).toBe(true);
      // The asset is the loader and the program beside it, nothing else (no code cache, no map).
      expect(readdirSync(dirname(join(out.stackDir, cli))).sort()).toEqual([
        'mongodb-invitations.cjs',
        'mongodb-invitations.program.cjs',
      ]);
      expect(exec?.environment).toMatchObject({
        MONGODB_INVITATIONS_ENTRY_TARGET: '${self.triggers_replace.target}',
        MONGODB_INVITATIONS_ENTRY_USERNAME: '${self.triggers_replace.username}',
        MONGODB_INVITATIONS_ENTRY_AUTH: '${try(self.input.auth, "")}',
        MONGODB_INVITATIONS_ENTRY_KEY: '${each.key}',
      });
      for (const [name, value] of Object.entries(exec?.environment ?? {})) {
        if (name.endsWith('_KEY') || name.endsWith('_ADDRESS')) continue;
        expect(value).toMatch(/^\$\{(try\()?self\./);
      }
    }
    out.cleanup();
  });

  it('ships one CLI asset per stack however many constructs, with no absolute path in the JSON', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'a', { target: InvitationTarget.atlas() });
      new ProjectInvitations(stack, 'b', {
        target: InvitationTarget.opsManager({ baseUrl: 'https://om.example.com' }),
      });
    });
    expect(blocksOf(out.config, 'terraform_data')).toHaveLength(2);
    for (const absolute of [repoRoot, out.outdir, tmpdir(), homedir(), process.cwd()]) {
      expect(out.text).not.toContain(absolute);
    }
    const strings: string[] = [];
    JSON.parse(out.text, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    expect(strings.filter((s) => isAbsolute(s) && s !== '/')).toEqual([]);
    out.cleanup();
  });

  it('gives each stack its own asset and block', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'pi-two-stacks-'));
    const app = new App({ outdir });
    for (const name of ['one', 'two']) {
      new ProjectInvitations(new TerraformStack(app, name), 'team', { target: InvitationTarget.atlas() });
    }
    app.synth();
    for (const name of ['one', 'two'])
      expect(existsSync(join(outdir, 'stacks', name, 'assets', 'MongoDbInvitationsCli'))).toBe(true);
    rmSync(outdir, { recursive: true, force: true });
  });

  it('escapes ${ and %{ in user text so that Terraform keeps it literal', () => {
    const map = forEachOf((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: 'http://127.0.0.1:8080/x' }),
        tokenCache: '/var/cache/${path.root}/%{ if true }x%{ endif }',
        invitations: [{ groupId: G, invitationId: I1 }],
      });
    });
    expect(map[`127.0.0.1:8080/x/${G}/${I1}`]?.token_cache).toBe(
      '/var/cache/$${path.root}/%%{ if true }x%%{ endif }',
    );
  });

  it('exposes the stack-wide address, the target and the resource type', () => {
    const stack = newStack();
    const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    const other = new ProjectInvitations(stack, 'other', { target: InvitationTarget.atlas() });
    expect(team.address).toBe('terraform_data.mongodb_invitations');
    expect(team.rolesAddress).toBe('terraform_data.mongodb_invitation_roles');
    expect(other.resource).toBe(team.resource);
    expect(other.rolesResource).toBe(team.rolesResource);
    expect(team.resourceType).toBe('terraform_data');
    expect(team.target.kind).toBe('atlas');
  });

  it('writes credential variable names, never the values those variables hold at synth', () => {
    const canary = 'CANARY-secret-4f1d8e';
    const saved = process.env.PROD_CLIENT_SECRET;
    process.env.PROD_CLIENT_SECRET = canary;
    try {
      const out = synth((stack) => {
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas(),
          credentials: { clientIdEnv: 'PROD_CLIENT_ID', clientSecretEnv: 'PROD_CLIENT_SECRET' },
          invitations: [{ groupId: G, invitationId: I1 }],
        });
      });
      expect(out.text).toContain('"PROD_CLIENT_SECRET"');
      expect(out.text).not.toContain(canary);
      out.cleanup();
    } finally {
      if (saved === undefined) delete process.env.PROD_CLIENT_SECRET;
      else process.env.PROD_CLIENT_SECRET = saved;
    }
  });

  it('synthesizes HCL output with the same attributes', () => {
    const app = Testing.app({ hclOutput: true } as Parameters<typeof Testing.app>[0]);
    const stack = new TerraformStack(app, 'stack');
    new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, invitationId: I1 }],
    });
    const hcl = String(Testing.synthHcl(stack));
    expect(hcl).toContain('resource "terraform_data" "mongodb_invitations"');
    expect(hcl).toContain('resource "terraform_data" "mongodb_invitation_roles"');
    expect(hcl).toContain('triggers_replace');
    expect(hcl).toContain('input');
    expect(hcl).toContain(KEY(I1));
  });
});

describe('the stack-wide block', () => {
  const people = [
    { groupId: G, username: ANA, roles: ['GROUP_READ_ONLY'] },
    { groupId: G, username: 'bo@example.com', roles: ['GROUP_OWNER'] },
  ];
  const ids = [{ groupId: G, invitationId: I1 }];

  it('is the same whether the entries live in one construct, two, or a renamed one', () => {
    const one = forEachOf((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas(),
        invitations: [...people, ...ids],
      });
    });
    const split = forEachOf((stack) => {
      new ProjectInvitations(stack, 'people', { target: InvitationTarget.atlas(), invitations: people });
      new ProjectInvitations(stack, 'adopted', { target: InvitationTarget.atlas(), invitations: ids });
    });
    const renamed = forEachOf((stack) => {
      new ProjectInvitations(stack, 'renamed-team', {
        target: InvitationTarget.atlas(),
        invitations: [...ids, ...people],
      });
    });
    expect(split).toEqual(one);
    expect(renamed).toEqual(one);
  });

  it('lets constructs with different settings share the block, each entry carrying its own', () => {
    const map = forEachOf((stack) => {
      new ProjectInvitations(stack, 'a', {
        target: InvitationTarget.atlas(),
        invitations: ids,
        maxRetries: 1,
      });
      new ProjectInvitations(stack, 'b', {
        target: InvitationTarget.atlas(),
        invitations: people,
        credentials: { clientIdEnv: 'B_ID', clientSecretEnv: 'B_SECRET' },
      });
    });
    expect(map[KEY(I1)]).toMatchObject({ max_retries: '1', client_id_env: '' });
    expect(map[KEY(ANA)]).toMatchObject({ max_retries: '', client_id_env: 'B_ID' });
  });

  it('refuses one entry declared twice with different settings, naming both construct paths', () => {
    const stack = newStack();
    new ProjectInvitations(stack, 'a', { target: InvitationTarget.atlas(), invitations: people });
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'b', {
          target: InvitationTarget.atlas(),
          invitations: [{ groupId: G, username: 'ANA@example.com', roles: ['GROUP_OWNER'] }],
        }),
    );
    expect(error.message).toContain(`the entry "${KEY(ANA)}" is declared by [stack/a] and [stack/b]`);
    expect(error.message).toContain('roles "GROUP_READ_ONLY" vs "GROUP_OWNER"');
  });

  it('counts one entry declared identically by two constructs once', () => {
    const map = forEachOf((stack) => {
      new ProjectInvitations(stack, 'a', { target: InvitationTarget.atlas(), invitations: ids });
      new ProjectInvitations(stack, 'b', { target: InvitationTarget.atlas(), invitations: ids });
    });
    expect(Object.keys(map)).toEqual([KEY(I1)]);
  });

  it.each(['https://cloud.mongodb.com', 'https://cloud.mongodb.com/', 'HTTPS://Cloud.MongoDB.com:443//'])(
    'treats atlas({ baseUrl: %j }) as the implicit default: the same keys and values',
    (baseUrl) => {
      const implicit = forEachOf((stack) => {
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas(),
          invitations: [...ids, ...people],
        });
      });
      const spelled = forEachOf((stack) => {
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas({ baseUrl }),
          invitations: [...ids, ...people],
        });
      });
      expect(spelled).toEqual(implicit);
    },
  );

  it('suggests the nearest known role for a misspelt one', () => {
    const stack = newStack();
    const team = new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, username: ANA, roles: ['GROUP_READ_ONY'] }],
    });
    const warnings = team.node.metadata.filter((m) => m.type === '@cdktf/warn').map((w) => String(w.data));
    expect(warnings).toEqual([expect.stringContaining('(GROUP_READ_ONY: did you mean GROUP_READ_ONLY?)')]);
  });

  it('warns about a role it does not know, and still declares it', () => {
    const stack = newStack();
    const team = new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, username: ANA, roles: ['GROUP_FUTURE_ROLE'] }],
    });
    expect(team.keys).toEqual([KEY(ANA)]);
    const warnings = team.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings.map((w) => String(w.data))).toEqual([
      expect.stringContaining('GROUP_FUTURE_ROLE is not among the project roles'),
    ]);
    expect(Annotations).toBeDefined();
  });
});

describe('one owner per person', () => {
  const lead = { groupId: G, username: 'lead@example.com', roles: ['GROUP_OWNER'] };

  function twoStacks(): [TerraformStack, TerraformStack] {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'pi-owners-')) });
    return [new TerraformStack(app, 'platform'), new TerraformStack(app, 'team')];
  }

  it('refuses the same person in one project declared by two stacks of an app, naming both stacks and paths', () => {
    const [platform, team] = twoStacks();
    new ProjectInvitations(platform, 'admins', { target: InvitationTarget.atlas(), invitations: [lead] });
    const error = errorOf(
      () =>
        new ProjectInvitations(team, 'people', {
          target: InvitationTarget.atlas(),
          invitations: [{ ...lead, username: 'Lead@Example.com', roles: ['GROUP_READ_ONLY'] }],
        }),
    );
    expect(error.message).toContain(
      `lead@example.com in project ${G} (atlas) is declared by two stacks: [platform] at [platform/admins] and [team] at [team/people]`,
    );
  });

  it('refuses the same person under two base URLs of one target kind, in one stack or two', () => {
    const [platform, team] = twoStacks();
    new ProjectInvitations(platform, 'a', {
      target: InvitationTarget.opsManager({ baseUrl: 'http://127.0.0.1:8080' }),
      invitations: [lead],
    });
    expect(
      errorOf(
        () =>
          new ProjectInvitations(platform, 'b', {
            target: InvitationTarget.opsManager({ baseUrl: 'http://localhost:8080' }),
            invitations: [lead],
          }),
      ).message,
    ).toMatch(
      /declared under two keys, "127\.0\.0\.1:8080\/.*" at \[platform\/a\] and "localhost:8080\/.*" at \[platform\/b\]/,
    );
    expect(
      errorOf(
        () =>
          new ProjectInvitations(team, 'c', {
            target: InvitationTarget.opsManager({ baseUrl: 'https://ops.example.com' }),
            invitations: [lead],
          }),
      ).message,
    ).toContain('is declared by two stacks: [platform]');
  });

  it('refuses one adopted id declared by two stacks', () => {
    const [platform, team] = twoStacks();
    new ProjectInvitations(platform, 'a', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, invitationId: I1 }],
    });
    const error = errorOf(
      () =>
        new ProjectInvitations(team, 'b', {
          target: InvitationTarget.atlas(),
          invitations: [{ groupId: G, invitationId: I1 }],
        }),
    );
    expect(error.message).toContain(`the invitation ${I1} in project ${G} (atlas) is declared by two stacks`);
  });

  it('lets two stacks declare the same person in other projects, other people in one project, and one stack twice', () => {
    const [platform, team] = twoStacks();
    const other = '5f0c1a2b3c4d5e6f7a8b9c0e';
    new ProjectInvitations(platform, 'a', { target: InvitationTarget.atlas(), invitations: [lead] });
    new ProjectInvitations(platform, 'b', { target: InvitationTarget.atlas(), invitations: [lead] });
    const fine = new ProjectInvitations(team, 'c', {
      target: InvitationTarget.atlas(),
      invitations: [
        { ...lead, groupId: other },
        { groupId: G, username: ANA, roles: ['GROUP_READ_ONLY'] },
      ],
    });
    expect(fine.keys).toEqual([`atlas/${other}/lead@example.com`, KEY(ANA)]);
  });

  it('treats Atlas and an Ops Manager at another host as two target kinds', () => {
    const [platform, team] = twoStacks();
    new ProjectInvitations(platform, 'a', { target: InvitationTarget.atlas(), invitations: [lead] });
    const om = new ProjectInvitations(team, 'b', {
      target: InvitationTarget.opsManager({ baseUrl: 'https://ops.example.com' }),
      invitations: [lead],
    });
    expect(om.keys).toEqual([`ops.example.com/${G}/lead@example.com`]);
  });
});

describe('ProjectInvitations validation', () => {
  it('collects every problem, names the construct path, and throws once', () => {
    const stack = newStack();
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.opsManager({ baseUrl: 'http://ops.example.com' }),
          invitations: [
            { groupId: G, invitationId: I1 },
            { groupId: 'abc', invitationId: I2 },
            { groupId: G, invitationId: 'ZZ1b2c3d4e5f60718293a4b5' },
          ],
          timeoutMs: 0,
          maxRetries: 1.5,
        }),
    );
    expect(error.code).toBe('INVALID_PROJECT_INVITATIONS');
    expect(error.message.split('\n')[0]).toBe('Invalid ProjectInvitations at [stack/team]:');
    expect(error.message).toContain('- invitations[1].groupId must be 24 lowercase hex characters');
    expect(error.message).toContain('(value: "abc")');
    expect(error.message).toContain('- invitations[2].invitationId must be 24 lowercase hex characters');
    expect(error.message).toContain('target.baseUrl must use https');
    expect(error.message).toContain('timeoutMs must be a whole number from 1 to 600000');
    expect(error.message).toContain('maxRetries must be a whole number from 0 to 20');
    expect(error.problems).toHaveLength(5);
  });

  it('refuses values the CLI would refuse at destroy time: out-of-range numbers, a relative token cache', () => {
    const error = errorOf(
      () =>
        new ProjectInvitations(newStack(), 'team', {
          target: InvitationTarget.atlas(),
          maxRetries: 25,
          timeoutMs: 10_000_000,
          tokenCache: 'relative/cache',
        }),
    );
    expect(error.message).toContain('maxRetries must be a whole number from 0 to 20 (value: "25")');
    expect(error.message).toContain('timeoutMs must be a whole number from 1 to 600000 (value: "10000000")');
    expect(error.message).toContain('tokenCache must be an absolute directory path or "off"');
  });

  it('validates people: e-mail usernames, at least one role, roles in capitals', () => {
    const error = errorOf(
      () =>
        new ProjectInvitations(newStack(), 'team', {
          target: InvitationTarget.atlas(),
          invitations: [
            { groupId: G, username: 'not-an-email', roles: ['GROUP_READ_ONLY'] },
            { groupId: G, username: 'a@example.com\nb', roles: ['GROUP_READ_ONLY'] },
            { groupId: G, username: ANA, roles: [] },
            { groupId: G, username: ANA, roles: ['group_read_only'] },
            { groupId: G, username: '${x}@example.com', roles: ['GROUP_READ_ONLY'] },
            { groupId: G, username: ANA } as never,
            { groupId: G, username: ANA, roles: ['GROUP_OWNER'], invitationId: I1 } as never,
          ],
        }),
    );
    expect(error.problems).toEqual([
      expect.stringContaining('invitations[0].username must be an e-mail address'),
      expect.stringContaining('invitations[1].username must not contain control characters'),
      expect.stringContaining('invitations[2].roles must name at least one role'),
      expect.stringContaining('invitations[3].roles must be role names in capitals'),
      expect.stringContaining('invitations[4].username must be an e-mail address'),
      expect.stringContaining('invitations[5].roles is required for a person'),
      expect.stringContaining('invitations[6] has both invitationId and username'),
    ]);
  });

  it('refuses base URLs with credentials, queries or fragments, and never echoes a password', () => {
    const stack = newStack();
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas({ baseUrl: 'https://user:hunter2-pw@cloud.mongodb.com/?a=1#f' }),
        }),
    );
    expect(error.message).toContain('must not carry a user name or password');
    expect(error.message).toContain('must not carry a query string');
    expect(error.message).not.toContain('hunter2-pw');
  });

  it('allows plain http to a private host only with allowInsecureHttp', () => {
    const target = (allowInsecureHttp?: boolean) =>
      InvitationTarget.opsManager({ baseUrl: 'http://ops.internal:8080', allowInsecureHttp });
    expect(errorOf(() => new ProjectInvitations(newStack(), 't', { target: target() })).message).toContain(
      'must use https',
    );
    const map = forEachOf((stack) => {
      new ProjectInvitations(stack, 't', {
        target: target(true),
        invitations: [{ groupId: G, invitationId: I1 }],
      });
    });
    expect(map[KEY(I1, 'ops.internal:8080')]).toMatchObject({ allow_insecure_http: 'true' });
  });

  it('requires a base URL for Ops Manager and a known auth mode', () => {
    const stack = newStack();
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.opsManager({ auth: 'kerberos' } as never),
        }),
    );
    expect(error.message).toContain('target.baseUrl is required for Ops Manager');
    expect(error.message).toContain('target.auth must be one of digest, service-account, token');
  });

  it('requires a target', () => {
    const error = errorOf(() => new ProjectInvitations(newStack(), 'team', {} as never));
    expect(error.message).toContain('target is required: use InvitationTarget.atlas()');
  });

  it('refuses credential values where names belong, without echoing them', () => {
    const secret = 'd3b07384-d9a0-4c9b-8f2e-CANARYVALUE';
    const error = errorOf(
      () =>
        new ProjectInvitations(newStack(), 'team', {
          target: InvitationTarget.atlas(),
          credentials: {
            publicKeyEnv: 'OK_NAME',
            privateKeyEnv: secret,
            clientSecretEnv: 'mdb_sa_sk_abcdef0123',
          },
        }),
    );
    expect(error.message).toContain('credentials.privateKeyEnv must be the NAME of an environment variable');
    expect(error.message).toContain('credentials.clientSecretEnv looks like a service-account client secret');
    expect(error.message).toContain(
      'credentials.clientSecretEnv is set but credentials.clientIdEnv is not: set both, or neither',
    );
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('mdb_sa_sk_abcdef0123');
    expect(inspect(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('refuses control characters in the token cache path and unknown resource types', () => {
    const error = errorOf(
      () =>
        new ProjectInvitations(newStack(), 'team', {
          target: InvitationTarget.atlas(),
          tokenCache: '/tmp/x\n; touch MARKER',
          resourceType: 'aws_instance' as never,
        }),
    );
    expect(error.message).toContain('tokenCache must not contain control characters');
    expect(error.message).toContain("resourceType must be 'terraform_data' or 'null_resource'");
  });

  it('validates add() the same way and leaves the set unchanged on error', () => {
    const team = new ProjectInvitations(newStack(), 'team', { target: InvitationTarget.atlas() });
    const error = errorOf(() =>
      team.add({ groupId: G, invitationId: I1 }, { groupId: '$(touch X)', invitationId: I2 }),
    );
    expect(error.message).toContain('add()[1].groupId must be 24 lowercase hex characters');
    expect(team.keys).toEqual([]);
    expect(errorOf(() => team.add({ groupId: G } as never)).message).toContain(
      'add().invitationId is required',
    );
  });

  it('refuses unresolved tokens: keys and settings must be readable in the plan and checked at synth', () => {
    const stack = newStack();
    const group = new TerraformVariable(stack, 'group', { type: 'string' });
    const url = new TerraformVariable(stack, 'url', { type: 'string' });
    const timeout = new TerraformVariable(stack, 'timeout', { type: 'number' });
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas({ baseUrl: url.stringValue }),
          invitations: [{ groupId: group.stringValue, invitationId: I1 }],
          timeoutMs: timeout.numberValue,
        }),
    );
    expect(error.problems).toEqual([
      'target.baseUrl must be known at synth (a literal, not a Terraform expression or token)',
      'timeoutMs must be known at synth (a literal, not a Terraform expression or token)',
      'invitations[0].groupId must be known at synth (a literal, not a Terraform expression or token)',
    ]);
  });

  it('refuses create_before_destroy set through an escape hatch, at synth', () => {
    for (const hatch of [
      (team: ProjectInvitations) => (team.resource.lifecycle = { createBeforeDestroy: true }),
      (team: ProjectInvitations) => team.resource.addOverride('lifecycle.create_before_destroy', true),
    ]) {
      expect(() =>
        synth((stack) => {
          hatch(new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() }));
        }),
      ).toThrow(
        /Invalid terraform_data\.mongodb_invitations:\n- lifecycle\.create_before_destroy must not be set/,
      );
    }
  });

  it('refuses an override that changes a provisioner: on_failure, when, command, interpreter, environment', () => {
    const withOverride = (block: 'identity' | 'roles', path: string, value: unknown) => () =>
      synth((stack) => {
        const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        (block === 'identity' ? team.resource : team.rolesResource).addOverride(path, value);
      });
    expect(withOverride('identity', 'provisioner.0.local-exec.on_failure', 'continue')).toThrow(
      /revoke provisioner was changed by an override \(on_failure\)/,
    );
    expect(withOverride('roles', 'provisioner.0.local-exec.on_failure', 'continue')).toThrow(
      /invite provisioner was changed by an override \(on_failure\)/,
    );
    expect(withOverride('identity', 'provisioner.0.local-exec.when', 'create')).toThrow(
      /revoke provisioner was changed by an override \(when\): removed invitations would not be revoked/,
    );
    expect(withOverride('roles', 'provisioner.0.local-exec.command', 'revoke')).toThrow(
      /invite provisioner was changed by an override \(command\)/,
    );
    expect(withOverride('identity', 'provisioner.0.local-exec.interpreter', ['sh', '-c'])).toThrow(
      /revoke provisioner was changed by an override \(interpreter\)/,
    );
    expect(
      withOverride(
        'identity',
        'provisioner.0.local-exec.environment.MONGODB_INVITATIONS_ENTRY_GROUP_ID',
        'x',
      ),
    ).toThrow(/revoke provisioner was changed by an override \(environment\)/);
    expect(
      withOverride('identity', 'provisioner', [{ 'local-exec': { command: 'true', interpreter: ['true'] } }]),
    ).toThrow(/the revoke provisioner (was changed by an override|must be the block's only provisioner)/);
  });

  it('refuses the same overrides made on the stack instead of the resource', () => {
    const onStack = (path: string, value: unknown) => () =>
      synth((stack) => {
        new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        stack.addOverride(path, value);
      });
    expect(
      onStack('resource.terraform_data.mongodb_invitations.provisioner.0.local-exec.on_failure', 'continue'),
    ).toThrow(/revoke provisioner was changed by an override \(on_failure\)/);
    expect(
      onStack('resource.terraform_data.mongodb_invitations.lifecycle.create_before_destroy', true),
    ).toThrow(/create_before_destroy must not be set/);
    expect(
      onStack('resource.terraform_data.mongodb_invitation_roles.lifecycle.ignore_changes', [
        'triggers_replace',
      ]),
    ).toThrow(/ignore_changes must not name triggers_replace or input/);
  });

  it('refuses ignore_changes on the fields that replace or feed the provisioners, a changed for_each and a dropped link to the identity instance', () => {
    const withOverride = (block: 'identity' | 'roles', path: string, value: unknown) => () =>
      synth((stack) => {
        const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        (block === 'identity' ? team.resource : team.rolesResource).addOverride(path, value);
      });
    for (const ignored of [
      'all',
      ['all'],
      ['triggers_replace'],
      [' triggers_replace '],
      ['triggers_replace.roles'],
      ['input'],
    ]) {
      expect(withOverride('roles', 'lifecycle.ignore_changes', ignored)).toThrow(
        /lifecycle\.ignore_changes must not name triggers_replace or input/,
      );
      expect(withOverride('identity', 'lifecycle.ignore_changes', ignored)).toThrow(
        /Invalid terraform_data\.mongodb_invitations:\n- lifecycle\.ignore_changes/,
      );
    }
    expect(withOverride('identity', 'for_each', '${{}}')).toThrow(/for_each was changed by an override/);
    expect(() =>
      synth((stack) => {
        new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() }).rolesResource.dependsOn =
          [];
      }),
    ).not.toThrow();
    expect(withOverride('roles', 'triggers_replace', '${{}}')).toThrow(
      /triggers_replace was changed by an override \(it must stay \$\{merge\(.*identity_id = local\.mongodb_invitations_identity_ids\[each\.key\]\}\)\} \(with identity_id, without which Terraform may invite before it revokes/,
    );
    expect(withOverride('identity', 'triggers_replace', '${each.value}')).toThrow(
      /Invalid terraform_data\.mongodb_invitations:\n- triggers_replace was changed by an override/,
    );
    expect(withOverride('identity', 'input', '${{}}')).toThrow(/input was changed by an override/);
    expect(() =>
      synth((stack) => {
        new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        stack.addOverride('locals.mongodb_invitations_identity_ids', '${{}}');
      }),
    ).toThrow(
      /locals\.mongodb_invitations_identity_ids was changed by an override \(it must stay \$\{\{for key, instance in terraform_data\.mongodb_invitations : key => instance\.id\}\}\): identity_id reads it/,
    );
    // What stays allowed: an unrelated lifecycle setting.
    expect(withOverride('roles', 'lifecycle.ignore_changes', ['tags'])).not.toThrow();
  });
});

describeCdktfOnly('ProjectInvitations (null_resource)', () => {
  it('puts every value in triggers and reads them from self.triggers', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ auth: 'service-account' }),
        resourceType: 'null_resource',
        invitations: [{ groupId: G, invitationId: I1 }],
        maxRetries: 2,
      });
    });
    expect(blocksOf(out.config, 'terraform_data')).toEqual([]);
    const block = out.config.resource['null_resource']?.['mongodb_invitations'];
    expect(block?.for_each).toBe('${local.mongodb_invitations_null}');
    const value = entriesOf(out.config, block)[KEY(I1)];
    expect(value).toMatchObject({ target: 'atlas', auth: 'service-account', max_retries: '2' });
    expect(block?.triggers).toBe(
      `\${merge(${leadingFields(IDENTITY)}, ${profileOf('mongodb_invitations_null')})}`,
    );
    expect(instanceField(out.config, block!, 'triggers', KEY(I1))).toEqual(
      Object.fromEntries(Object.entries(value ?? {}).filter(([k]) => k !== 'roles')),
    );
    const exec = block?.provisioner[0]?.['local-exec'];
    expect(block?.provisioner).toHaveLength(1);
    expect(exec?.when).toBe('destroy');
    expect(exec?.command).toBe('revoke');
    expect(Object.keys(exec?.environment ?? {}).sort()).toEqual(REVOKE_CONTRACT);
    const roles = rolesBlock(out.config, 'null_resource');
    expect(roles.triggers).toBe(
      `\${merge(${leadingFields(IDENTITY_AND_ROLES)}, {identity_id = local.mongodb_invitations_null_identity_ids[each.key]}, ${profileOf('mongodb_invitations_null')})}`,
    );
    expect(instanceField(out.config, roles, 'triggers', KEY(I1))).toEqual({
      ...value,
      identity_id: `id-of-${KEY(I1)}`,
    });
    expect(roles.depends_on).toBeUndefined();
    expect(out.config.locals?.['mongodb_invitations_null_identity_ids']).toBe(
      '${{for key, instance in null_resource.mongodb_invitations : key => instance.id}}',
    );
    expect(roles.provisioner[0]?.['local-exec'].command).toBe('invite');
    expect(roles.provisioner[0]?.['local-exec'].environment).toMatchObject({
      MONGODB_INVITATIONS_ENTRY_ROLES: '${self.triggers.roles}',
    });
    expect(exec?.environment).toMatchObject({
      MONGODB_INVITATIONS_ENTRY_GROUP_ID: '${self.triggers.group_id}',
      MONGODB_INVITATIONS_ENTRY_MAX_RETRIES: '${try(self.triggers.max_retries, "")}',
    });
    expect(out.config.terraform['required_providers']).toHaveProperty('null');
    out.cleanup();
  });

  it('adds the null provider and the two blocks once per stack however many constructs', () => {
    const out = synth((stack) => {
      for (const id of ['a', 'b', 'c']) {
        new ProjectInvitations(stack, id, {
          target: InvitationTarget.atlas(),
          resourceType: 'null_resource',
        });
      }
    });
    expect(out.config.provider?.['null']).toHaveLength(1);
    expect(blocksOf(out.config, 'null_resource')).toHaveLength(2);
    out.cleanup();
  });

  it('refuses one entry in both resource types', () => {
    const stack = newStack();
    new ProjectInvitations(stack, 'a', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, invitationId: I1 }],
    });
    const error = errorOf(
      () =>
        new ProjectInvitations(stack, 'b', {
          target: InvitationTarget.atlas(),
          resourceType: 'null_resource',
          invitations: [{ groupId: G, invitationId: I1 }],
        }),
    );
    expect(error.message).toContain('resourceType terraform_data vs null_resource');
  });

  it("reuses the stack's own null provider", () => {
    const out = synth((stack) => {
      new NullProvider(stack, 'mine', {});
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas(),
        resourceType: 'null_resource',
      });
    });
    expect(out.config.provider?.['null']).toHaveLength(1);
    out.cleanup();
  });

  it('explains a second default null provider declared after the construct', () => {
    expect(() =>
      synth((stack) => {
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas(),
          resourceType: 'null_resource',
        });
        new NullProvider(stack, 'late', {});
      }),
    ).toThrow(/more than one default "null" provider/);
  });
});

describe('locateCliBundle', () => {
  it('finds dist/provisioner (the loader and the program) of this package from lib/construct', () => {
    expect(locateCliBundle(join(repoRoot, 'lib', 'construct'))).toBe(join(repoRoot, 'dist', 'provisioner'));
  });

  it('says to run npm run build when the bundle is missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'pi-pkg-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'cdktf-mongodb-invitations' }));
    mkdirSync(join(root, 'dist', 'construct'), { recursive: true });
    expect(() => locateCliBundle(join(root, 'dist', 'construct'))).toThrow(/run "npm run build"/);
    rmSync(root, { recursive: true, force: true });
  });

  it('skips package.json files of other packages on the way up', () => {
    const root = mkdtempSync(join(tmpdir(), 'pi-pkg-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'cdktf-mongodb-invitations' }));
    mkdirSync(join(root, 'dist', 'provisioner'), { recursive: true });
    writeFileSync(join(root, 'dist', 'provisioner', 'mongodb-invitations.cjs'), '');
    const inner = join(root, 'node_modules', 'other');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, 'package.json'), JSON.stringify({ name: 'other' }));
    expect(dirname(dirname(locateCliBundle(inner)))).toBe(root);
    rmSync(root, { recursive: true, force: true });
  });
});
