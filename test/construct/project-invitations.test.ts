import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { InvalidProjectInvitationsError, InvitationTarget, ProjectInvitations } from '../../lib/index';
import { locateCliBundle } from '../../lib/construct/cli-asset';
import { ENVIRONMENT_NAMES } from '../../lib/construct/provisioner';
import { describeCdktfOnly } from './flavour';
import { blocksOf, onlyBlock, synth } from './synth';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I1 = '6a1b2c3d4e5f60718293a4b5';
const I2 = '6a1b2c3d4e5f60718293a4b6';
const I3 = '6a1b2c3d4e5f60718293a4b7';
const repoRoot = resolve(__dirname, '..', '..');

// The contract of CONTRIBUTING.md, written out here on purpose (not imported) so that a change to the
// construct's variable names fails this test.
const CONTRACT = [
  'MONGODB_INVITATIONS_TARGET',
  'MONGODB_INVITATIONS_BASE_URL',
  'MONGODB_INVITATIONS_GROUP_ID',
  'MONGODB_INVITATIONS_INVITATION_ID',
  'MONGODB_INVITATIONS_AUTH',
  'MONGODB_INVITATIONS_TIMEOUT_MS',
  'MONGODB_INVITATIONS_MAX_RETRIES',
  'MONGODB_INVITATIONS_TOKEN_CACHE',
  'MONGODB_INVITATIONS_CLIENT_ID_ENV',
  'MONGODB_INVITATIONS_CLIENT_SECRET_ENV',
  'MONGODB_INVITATIONS_PUBLIC_KEY_ENV',
  'MONGODB_INVITATIONS_PRIVATE_KEY_ENV',
  'MONGODB_INVITATIONS_ACCESS_TOKEN_ENV',
].sort();

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

describe('ProjectInvitations (terraform_data)', () => {
  it('emits one for_each block keyed <groupId>/<invitationId> with identity in triggers_replace', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: 'https://cloud.mongodbgov.com/' }),
        invitations: [
          { groupId: G, invitationId: I1 },
          { groupId: G, invitationId: I2 },
        ],
      });
    });
    const block = onlyBlock(out.config, 'terraform_data');
    expect(Object.keys(out.config.resource)).toEqual(['terraform_data']);
    expect(block.for_each).toEqual({
      [`${G}/${I1}`]: { group_id: G, invitation_id: I1 },
      [`${G}/${I2}`]: { group_id: G, invitation_id: I2 },
    });
    expect(block.triggers_replace).toEqual({
      target: 'atlas',
      base_url: 'https://cloud.mongodbgov.com',
      group_id: '${each.value.group_id}',
      invitation_id: '${each.value.invitation_id}',
    });
    expect(block.lifecycle).toBeUndefined();
    out.cleanup();
  });

  it('keeps settings in input, so that changing them updates in place', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.opsManager({ baseUrl: 'https://ops.example.com:8443', auth: 'digest' }),
        credentials: { publicKeyEnv: 'OM_PUBLIC', privateKeyEnv: 'OM_PRIVATE' },
        timeoutMs: 5000,
        maxRetries: 0,
        tokenCache: 'off',
      });
    });
    const block = onlyBlock(out.config, 'terraform_data');
    expect(block.triggers_replace?.target).toBe('ops-manager');
    expect(block.input).toEqual({
      auth: 'digest',
      timeout_ms: '5000',
      max_retries: '0',
      token_cache: 'off',
      client_id_env: '',
      client_secret_env: '',
      public_key_env: 'OM_PUBLIC',
      private_key_env: 'OM_PRIVATE',
      access_token_env: '',
    });
    out.cleanup();
  });

  it('keeps the block, with for_each = {}, when the set is empty', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    });
    const block = onlyBlock(out.config, 'terraform_data');
    expect(block.for_each).toEqual({});
    expect(block.provisioner).toHaveLength(1);
    expect(block.triggers_replace?.base_url).toBe('');
    out.cleanup();
  });

  it('includes entries added after construction and collapses duplicates', () => {
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
      team.add({ groupId: G, invitationId: I3 });
      keys = team.keys;
    });
    expect(keys).toEqual([`${G}/${I1}`, `${G}/${I2}`, `${G}/${I3}`]);
    expect(Object.keys(onlyBlock(out.config, 'terraform_data').for_each)).toEqual(keys);
    out.cleanup();
  });

  it('runs the bundled CLI without a shell, at destroy time, with every value from self', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    });
    const [provisioner, ...others] = onlyBlock(out.config, 'terraform_data').provisioner;
    expect(others).toEqual([]);
    const exec = provisioner?.['local-exec'];
    expect(exec?.when).toBe('destroy');
    expect(exec?.command).toBe('revoke');
    expect(exec?.on_failure).toBeUndefined();
    expect(exec?.interpreter?.[0]).toBe('node');
    expect(exec?.interpreter).toHaveLength(2);
    const cli = exec?.interpreter?.[1] ?? '';
    expect(cli).toMatch(/^assets\/MongoDbInvitationsCli\/[0-9A-F]+\/mongodb-invitations\.cjs$/);
    expect(existsSync(join(out.stackDir, cli))).toBe(true);
    expect(Object.keys(exec?.environment ?? {}).sort()).toEqual(CONTRACT);
    expect(exec?.environment).toMatchObject({
      MONGODB_INVITATIONS_TARGET: '${self.triggers_replace.target}',
      MONGODB_INVITATIONS_BASE_URL: '${self.triggers_replace.base_url}',
      MONGODB_INVITATIONS_GROUP_ID: '${self.triggers_replace.group_id}',
      MONGODB_INVITATIONS_INVITATION_ID: '${self.triggers_replace.invitation_id}',
      MONGODB_INVITATIONS_AUTH: '${try(self.input.auth, "")}',
      MONGODB_INVITATIONS_PRIVATE_KEY_ENV: '${try(self.input.private_key_env, "")}',
    });
    for (const value of Object.values(exec?.environment ?? {})) expect(value).toMatch(/^\$\{(try\()?self\./);
    out.cleanup();
  });

  it('ships one CLI asset per stack however many constructs, with no absolute path in the JSON', () => {
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'a', { target: InvitationTarget.atlas() });
      new ProjectInvitations(stack, 'b', {
        target: InvitationTarget.opsManager({ baseUrl: 'https://om.example.com' }),
      });
    });
    const paths = new Set(
      blocksOf(out.config, 'terraform_data').map((b) => b.provisioner[0]?.['local-exec'].interpreter[1]),
    );
    expect(paths.size).toBe(1);
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

  it('gives each stack its own asset', () => {
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
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: 'http://127.0.0.1:8080/x' }),
        tokenCache: '/var/cache/${path.root}/%{ if true }x%{ endif }',
      });
    });
    const block = onlyBlock(out.config, 'terraform_data');
    expect(block.input?.token_cache).toBe('/var/cache/$${path.root}/%%{ if true }x%%{ endif }');
    expect(out.text).not.toMatch(/[^$]\$\{path\.root/);
    out.cleanup();
  });

  it('exposes the resource address, target and resource type', () => {
    const stack = newStack();
    const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
    expect(team.address).toMatch(/^terraform_data\.team_invitations_[0-9A-F]{8}$/);
    expect(team.resourceType).toBe('terraform_data');
    expect(team.target.kind).toBe('atlas');
    expect(team.resource.terraformResourceType).toBe('terraform_data');
  });

  it('writes credential variable names, never values', () => {
    const canary = 'CANARY-secret-4f1d8e';
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas(),
        credentials: { clientIdEnv: 'PROD_CLIENT_ID', clientSecretEnv: 'PROD_CLIENT_SECRET' },
      });
    });
    expect(out.text).toContain('"PROD_CLIENT_SECRET"');
    expect(out.text).not.toContain(canary);
    out.cleanup();
  });

  it('synthesizes HCL output with the same attributes', () => {
    const app = Testing.app({ hclOutput: true } as Parameters<typeof Testing.app>[0]);
    const stack = new TerraformStack(app, 'stack');
    new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, invitationId: I1 }],
    });
    const hcl = String(Testing.synthHcl(stack));
    expect(hcl).toContain('resource "terraform_data"');
    expect(hcl).toContain('triggers_replace');
    expect(hcl).toContain('input');
    expect(hcl).toContain(`${G}/${I1}`);
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
    expect(error.message).toContain('timeoutMs must be an integer of at least 1');
    expect(error.message).toContain('maxRetries must be an integer of at least 0');
    expect(error.problems).toHaveLength(5);
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
    expect(error.message).toContain('credentials.clientIdEnv and credentials.clientSecretEnv go together');
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

  it('skips unresolved tokens, which become Terraform expressions', () => {
    const out = synth((stack) => {
      const group = new TerraformVariable(stack, 'group', { type: 'string' });
      const url = new TerraformVariable(stack, 'url', { type: 'string' });
      const timeout = new TerraformVariable(stack, 'timeout', { type: 'number' });
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.atlas({ baseUrl: url.stringValue }),
        invitations: [{ groupId: group.stringValue, invitationId: I1 }],
        timeoutMs: timeout.numberValue,
      });
    });
    const block = onlyBlock(out.config, 'terraform_data');
    expect(Object.keys(block.for_each)).toEqual([`\${var.group}/${I1}`]);
    expect(block.triggers_replace?.base_url).toBe('${var.url}');
    expect(block.input?.timeout_ms).toBe('${var.timeout}');
    out.cleanup();
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
        /Invalid ProjectInvitations at \[stack\/team\]:\n- lifecycle\.create_before_destroy must not be set/,
      );
    }
  });

  it('refuses an override that sets on_failure = continue or turns the revoke into a create-time step', () => {
    expect(() =>
      synth((stack) => {
        const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        team.resource.addOverride('provisioner.0.local-exec.on_failure', 'continue');
      }),
    ).toThrow(/must keep on_failure = "fail"/);
    expect(() =>
      synth((stack) => {
        const team = new ProjectInvitations(stack, 'team', { target: InvitationTarget.atlas() });
        team.resource.addOverride('provisioner.0.local-exec.when', 'create');
      }),
    ).toThrow(/revoke provisioner was removed/);
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
    const block = onlyBlock(out.config, 'null_resource');
    expect(block.for_each).toEqual({ [`${G}/${I1}`]: { group_id: G, invitation_id: I1 } });
    expect(block.triggers).toMatchObject({
      target: 'atlas',
      base_url: '',
      group_id: '${each.value.group_id}',
      invitation_id: '${each.value.invitation_id}',
      auth: 'service-account',
      max_retries: '2',
    });
    const exec = block.provisioner[0]?.['local-exec'];
    expect(exec?.when).toBe('destroy');
    expect(exec?.command).toBe('revoke');
    expect(Object.keys(exec?.environment ?? {}).sort()).toEqual(CONTRACT);
    for (const [name, value] of Object.entries(exec?.environment ?? {})) {
      const key = Object.entries(ENVIRONMENT_NAMES).find(([, v]) => v === name)?.[0];
      expect(value).toBe(`\${self.triggers.${key}}`);
    }
    expect(out.config.terraform['required_providers']).toHaveProperty('null');
    out.cleanup();
  });

  it('adds the null provider once per stack however many constructs', () => {
    const out = synth((stack) => {
      for (const id of ['a', 'b', 'c']) {
        new ProjectInvitations(stack, id, {
          target: InvitationTarget.atlas(),
          resourceType: 'null_resource',
        });
      }
    });
    expect(out.config.provider?.['null']).toHaveLength(1);
    expect(blocksOf(out.config, 'null_resource')).toHaveLength(3);
    out.cleanup();
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
  it('finds dist/mongodb-invitations.cjs of this package from lib/construct', () => {
    expect(locateCliBundle(join(repoRoot, 'lib', 'construct'))).toBe(
      join(repoRoot, 'dist', 'mongodb-invitations.cjs'),
    );
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
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'mongodb-invitations.cjs'), '');
    const inner = join(root, 'node_modules', 'other');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(inner, 'package.json'), JSON.stringify({ name: 'other' }));
    expect(dirname(dirname(locateCliBundle(inner)))).toBe(root);
    rmSync(root, { recursive: true, force: true });
  });
});
