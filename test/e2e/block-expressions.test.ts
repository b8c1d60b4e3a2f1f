// The blocks' fields against real Terraform: each field is ONE expression over `each.value` (bench/
// throughput.md, P10), and must give every instance the object the layout with one expression per key
// gave it, by name and by type, so that a stack applied before plans no changes now. Also holds
// test/unit/construct/provisioner-env.ts (the unit tests' reading of those expressions) to what Terraform
// computes, null_resource's `triggers` included (evaluated through terraform_data: no provider download).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { InvitationTarget, ProjectInvitations } from '../../lib/index';
import { entriesOf, identityBlock, rolesBlock, synth } from '../unit/construct/synth';
import { instanceField, provisionerEnvironment } from '../unit/construct/provisioner-env';
import { haveTerraform, runCommand, terraformEnv } from '../helpers/terraform';

const have = haveTerraform();
if (!have) console.warn('test/e2e/block-expressions.test.ts: skipped, no working `terraform` on PATH.');

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I1 = '6a1b2c3d4e5f60718293a4b5';
const IDENTITY = ['target', 'base_url', 'group_id', 'invitation_id', 'username'];
const IDENTITY_AND_ROLES = [...IDENTITY, 'roles'];
const TOKEN_CACHE = '/var/cache/${team}/%{dir}';

let dir = '';
beforeAll(() => {
  if (!have && process.env.CI === 'true') throw new Error('terraform is required under CI=true');
  dir = mkdtempSync(join(tmpdir(), 'pi-expressions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A JSON-syntax Terraform string that Terraform reads as exactly `text`. */
const literal = (text: string) => text.replace(/\$\{|%\{/g, (opener) => `${opener[0]}${opener}`);

async function terraform(args: string[], cwd = dir) {
  return runCommand('terraform', [...args, '-no-color'], {
    cwd,
    env: terraformEnv({}),
    timeoutMs: 120_000,
  });
}

/** Every kind of entry, both resource types, settings that need escaping. */
function synthesized() {
  return synth((stack) => {
    new ProjectInvitations(stack, 'people', {
      target: InvitationTarget.atlas({ auth: 'service-account' }),
      credentials: { clientIdEnv: 'TEAM_ID', clientSecretEnv: 'TEAM_SECRET' },
      tokenCache: TOKEN_CACHE,
      timeoutMs: 45_000,
      removeAcceptedMembers: true,
      invitations: [
        { groupId: G, username: 'ana@example.com', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] },
        { groupId: G, username: 'bo@example.com', roles: ['GROUP_READ_ONLY'] },
        { groupId: G, username: 'o&b@example.com', roles: ['GROUP_READ_ONLY'] },
      ],
    });
    new ProjectInvitations(stack, 'gov', {
      target: InvitationTarget.atlas({ api: 'invites', baseUrl: 'https://cloud.mongodbgov.com' }),
      invitations: [{ groupId: G, username: 'cy@example.com', roles: ['GROUP_OWNER'] }],
    });
    new ProjectInvitations(stack, 'ops', {
      target: InvitationTarget.opsManager({ baseUrl: 'https://ops.example.com:8443', auth: 'digest' }),
      credentials: { publicKeyEnv: 'OM_PUBLIC', privateKeyEnv: 'OM_PRIVATE' },
      invitations: [{ groupId: G, invitationId: I1 }],
    });
    new ProjectInvitations(stack, 'legacy', {
      target: InvitationTarget.atlas(),
      resourceType: 'null_resource',
      maxRetries: 2,
      invitations: [{ groupId: G, username: 'dee@example.com', roles: ['GROUP_READ_ONLY'] }],
    });
  });
}

const pick = (values: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, values[k] ?? '']));

describe('the blocks’ fields, evaluated by real Terraform', () => {
  (have ? it : it.skip)(
    'give every instance its values by name, as one expression per key did: no changes, no replacement',
    async () => {
      const out = synthesized();
      const config = out.config;
      const identity = identityBlock(config);
      const roles = rolesBlock(config);
      const entries = entriesOf(config, identity);
      const settingKeys = Object.keys(
        instanceField(config, identity, 'input', `atlas/${G}/ana@example.com`),
      ).sort();
      const settings = (values: Record<string, string>) => pick(values, settingKeys);
      expect(Object.keys(entries)).toHaveLength(5);
      expect(entries[`atlas/${G}/ana@example.com`]).toMatchObject({ token_cache: literal(TOKEN_CACHE) });

      // 1. The layout with one expression per key: each key by name, from a local of literal values.
      // (entriesOf gives each value as written in JSON syntax, escapes kept: Terraform takes them back.)
      const expected = entries;
      const byKey = (keys: string[]) =>
        Object.fromEntries(keys.map((k) => [k, `\${local.expected[each.key].${k}}`]));
      const locals = { ...config.locals, expected };
      delete (locals as Record<string, unknown>)['mongodb_invitations_null'];
      delete (locals as Record<string, unknown>)['mongodb_invitations_null_profiles'];
      delete (locals as Record<string, unknown>)['mongodb_invitations_null_identity_ids'];
      const perKey = {
        locals,
        resource: {
          terraform_data: {
            mongodb_invitations: {
              for_each: identity.for_each,
              triggers_replace: byKey(IDENTITY),
              input: byKey(settingKeys),
            },
            mongodb_invitation_roles: {
              for_each: roles.for_each,
              triggers_replace: {
                ...byKey(IDENTITY_AND_ROLES),
                identity_id: '${local.mongodb_invitations_identity_ids[each.key]}',
              },
              input: byKey(settingKeys),
            },
          },
        },
      };
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(perKey));
      expect((await terraform(['init', '-input=false'])).code).toBe(0);
      const applied = await terraform(['apply', '-auto-approve', '-input=false']);
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toMatch(/Apply complete! Resources: 10 added/);

      // 2. The construct's blocks (provisioners aside: they do not change the state) plan no change.
      const withoutProvisioner = (block: object) => {
        const fields: Record<string, unknown> = { ...block };
        delete fields['provisioner'];
        return fields;
      };
      const identityFields = withoutProvisioner(identity);
      const rolesFields = withoutProvisioner(roles);
      const constructLocals = { ...locals };
      delete (constructLocals as Record<string, unknown>)['expected'];
      const construct = (extra: Record<string, unknown> = {}) => ({
        locals: { ...constructLocals, ...extra },
        resource: {
          terraform_data: { mongodb_invitations: identityFields, mongodb_invitation_roles: rolesFields },
        },
      });
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(construct()));
      const plan = await terraform(['plan', '-input=false', '-detailed-exitcode']);
      expect(plan.stderr).toBe('');
      expect(plan.stdout).toMatch(/No changes\./);
      expect(plan.code).toBe(0);

      // 3. What Terraform computed, against the unit tests' reading and the declared values.
      const state = JSON.parse((await terraform(['show', '-json'])).stdout) as {
        values: {
          root_module: {
            resources: { name: string; index: string; values: Record<string, Record<string, string>> }[];
          };
        };
      };
      const instances = state.values.root_module.resources;
      expect(instances).toHaveLength(10);
      for (const r of instances) {
        const values = entriesOf(config, identity)[r.index] as Record<string, string>;
        const decoded = Object.fromEntries(
          Object.entries(values).map(([k, v]) => [k, v.replace(/\$\$\{|%%\{/g, (opener) => opener.slice(1))]),
        );
        const block = r.name === 'mongodb_invitations' ? identity : roles;
        const link =
          r.name === 'mongodb_invitations' ? {} : { identity_id: r.values.triggers_replace?.identity_id };
        expect(r.values.input).toEqual(settings(decoded));
        expect(r.values.triggers_replace).toEqual({
          ...pick(decoded, r.name === 'mongodb_invitations' ? IDENTITY : IDENTITY_AND_ROLES),
          ...link,
        });
        const modelled = instanceField(config, block, 'triggers_replace', r.index);
        expect(r.values.triggers_replace).toEqual(
          'identity_id' in modelled ? { ...modelled, ...link } : modelled,
        );
        expect(r.values.input).toEqual(instanceField(config, block, 'input', r.index));
      }
      const ana = instances.find(
        (r) => r.index === `atlas/${G}/ana@example.com` && r.name !== 'mongodb_invitations',
      );
      expect(ana?.values.triggers_replace).toMatchObject({
        username: 'ana@example.com',
        roles: 'GROUP_OWNER,GROUP_READ_ONLY',
      });
      expect(ana?.values.input).toMatchObject({
        token_cache: TOKEN_CACHE,
        client_id_env: 'TEAM_ID',
        remove_accepted: 'true',
        timeout_ms: '45000',
      });

      // 4. null_resource's `triggers`, through stand-ins (terraform_data `input`) with known identity ids.
      const nullIdentity = identityBlock(config, 'null_resource');
      const nullRoles = rolesBlock(config, 'null_resource');
      const probe = (triggers: string | undefined) => ({ for_each: nullIdentity.for_each, input: triggers });
      const withProbes = construct({
        mongodb_invitations_null: config.locals?.['mongodb_invitations_null'],
        mongodb_invitations_null_profiles: config.locals?.['mongodb_invitations_null_profiles'],
        mongodb_invitations_null_identity_ids:
          '${{for key, text in local.mongodb_invitations_null : key => "id-of-${key}"}}',
      });
      // And the address each provisioner passes to the CLI, for every terraform_data instance.
      const address = (block: typeof identity) => ({
        for_each: block.for_each,
        input: block.provisioner[0]?.['local-exec'].environment['MONGODB_INVITATIONS_ENTRY_ADDRESS'],
      });
      Object.assign(withProbes.resource.terraform_data, {
        probe_identity: probe(nullIdentity.triggers),
        probe_roles: probe(nullRoles.triggers),
        probe_address_identity: address(identity),
        probe_address_roles: address(roles),
      });
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(withProbes));
      const probed = await terraform(['plan', '-input=false', '-out=probe.plan']);
      expect(probed.stderr).toBe('');
      expect(probed.stdout).toMatch(/Plan: 12 to add, 0 to change, 0 to destroy/);
      const planned = JSON.parse((await terraform(['show', '-json', 'probe.plan'])).stdout) as {
        planned_values: {
          root_module: { resources: { name: string; index: string; values: { input: unknown } }[] };
        };
      };
      const key = `atlas/${G}/dee@example.com`;
      const dee = entriesOf(config, nullIdentity)[key] as Record<string, string>;
      expect(dee).toMatchObject({ username: 'dee@example.com', max_retries: '2', roles: 'GROUP_READ_ONLY' });
      const addresses = planned.planned_values.root_module.resources.filter((r) =>
        r.name.startsWith('probe_address_'),
      );
      expect(addresses).toHaveLength(10);
      for (const r of addresses) {
        const [block, name, command] =
          r.name === 'probe_address_identity'
            ? [identity, 'mongodb_invitations', 'revoke']
            : [roles, 'mongodb_invitation_roles', 'invite'];
        // As Terraform prints the address ("&" included), and as the unit tests read it.
        expect(r.values.input).toBe(`terraform_data.${name}["${r.index}"]`);
        expect(r.values.input).toBe(
          provisionerEnvironment(config, block, r.index, command)['MONGODB_INVITATIONS_ENTRY_ADDRESS'],
        );
      }
      expect(addresses.map((r) => r.index)).toContain(`atlas/${G}/o&b@example.com`);
      const probes = planned.planned_values.root_module.resources.filter(
        (r) => r.name.startsWith('probe_') && !r.name.startsWith('probe_address_'),
      );
      expect(probes.map((r) => `${r.name} ${r.index}`).sort()).toEqual([
        `probe_identity ${key}`,
        `probe_roles ${key}`,
      ]);
      for (const r of probes) {
        const block = r.name === 'probe_identity' ? nullIdentity : nullRoles;
        const want =
          r.name === 'probe_identity'
            ? Object.fromEntries(Object.entries(dee).filter(([k]) => k !== 'roles'))
            : { ...dee, identity_id: `id-of-${key}` };
        expect(r.values.input).toEqual(want);
        expect(r.values.input).toEqual(instanceField(config, block, 'triggers', key));
      }
      out.cleanup();
    },
    240_000,
  );

  (have ? it : it.skip)(
    'are valid in cdktf’s HCL output too: terraform validates and plans it',
    async () => {
      const outdir = join(dir, 'hcl');
      // What `cdktf synth --hcl` sets: the stack reads it when it is created.
      const saved = process.env.SYNTH_HCL_OUTPUT;
      process.env.SYNTH_HCL_OUTPUT = 'true';
      const app = new App({ outdir, hclOutput: true } as ConstructorParameters<typeof App>[0]);
      let stack: TerraformStack;
      try {
        stack = new TerraformStack(app, 'stack');
      } finally {
        if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
        else process.env.SYNTH_HCL_OUTPUT = saved;
      }
      new ProjectInvitations(stack, 'people', {
        target: InvitationTarget.atlas(),
        tokenCache: TOKEN_CACHE,
        timeoutMs: 45_000,
        removeAcceptedMembers: true,
        invitations: [
          { groupId: G, username: 'ana@example.com', roles: ['GROUP_OWNER'] },
          { groupId: G, invitationId: I1 },
        ],
      });
      app.synth();
      const stackDir = join(outdir, 'stacks', 'stack');
      expect(readFileSync(join(stackDir, 'cdk.tf'), 'utf8')).toMatch(
        /^resource "terraform_data" "mongodb_invitations" \{$/m,
      );
      expect((await terraform(['init', '-input=false'], stackDir)).code).toBe(0);
      const validated = await terraform(['validate'], stackDir);
      expect(validated.stderr).toBe('');
      expect(validated.stdout).toMatch(/The configuration is valid/);
      const planned = await terraform(['plan', '-input=false', '-refresh=false'], stackDir);
      expect(planned.stderr).toBe('');
      expect(planned.stdout).toMatch(/Plan: 4 to add, 0 to change, 0 to destroy/);
      expect(planned.stdout).toContain('+ username      = "ana@example.com"');
      expect(planned.stdout).toContain(`+ token_cache         = "${TOKEN_CACHE}"`);
      // cdktf writes "45000" and "true" in the HCL locals as a number and a bool: input still holds strings.
      expect(planned.stdout).toContain('+ timeout_ms          = "45000"');
      expect(planned.stdout).toContain('+ remove_accepted     = "true"');
    },
    120_000,
  );
});
