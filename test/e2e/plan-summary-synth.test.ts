// plan-summary of a plan of a real synthesized stack: ProjectInvitations applied against the sandbox, then
// one person added, one removed and one given other roles; `terraform show -json` of that plan, piped into
// the bundled CLI, is summarised exactly, read from the construct's two stack-wide blocks (identity, roles).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES_BLOCK_NAME } from '../../lib/contract/keys';
import { Sandbox } from '../../lib/sandbox/server';
import { expectSuccess, haveTerraform, type TerraformWorkspace } from '../helpers/terraform';
import { newPeopleCase, objectId, REPO_ROOT, requireBundle, sandboxOptions } from './people-case';

const have = haveTerraform();
if (!have) console.warn('test/e2e/plan-summary-synth.test.ts: skipped, no working `terraform` on PATH.');

let sandbox: Sandbox;
const workspaces: TerraformWorkspace[] = [];

beforeAll(async () => {
  if (!have) {
    if (process.env.CI === 'true') throw new Error('terraform is required under CI=true');
    return;
  }
  requireBundle();
  sandbox = await Sandbox.start(sandboxOptions({ invitationRateLimit: 'off' }));
});

afterAll(async () => {
  await sandbox?.stop();
  for (const ws of workspaces) ws.cleanup();
});

const ANA = { username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] };
const BO = { username: 'bo@example.com', roles: ['GROUP_OWNER'] };
const CY = { username: 'cy@example.com', roles: ['GROUP_READ_ONLY'] };
const CY_MORE = { username: 'cy@example.com', roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'] };
const DEE = { username: 'dee@example.com', roles: ['GROUP_READ_ONLY'] };

function planSummary(args: string[], input: string) {
  const bundle = join(REPO_ROOT, 'dist', 'mongodb-invitations.cjs');
  const result = spawnSync(process.execPath, [bundle, 'plan-summary', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('plan-summary of a synthesized stack, with real Terraform', () => {
  (have ? it : it.skip)(
    'summarises one person added, one removed and one’s roles changed, exactly',
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      c.declare({ entries: [ANA, BO, CY].map((p) => ({ groupId: g, ...p })) });
      const stack = JSON.parse(readFileSync(join(c.ws.stackDir, 'cdk.tf.json'), 'utf8')) as {
        resource: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(stack.resource.terraform_data ?? {})).toContain(ROLES_BLOCK_NAME);
      expectSuccess(await c.ws.apply(), 'terraform apply');
      c.declare({ entries: [BO, CY_MORE, DEE].map((p) => ({ groupId: g, ...p })) });
      expectSuccess(await c.ws.terraform(['plan', '-out', 'plan.out']), 'terraform plan');
      const shown = await c.ws.terraform(['show', '-json', 'plan.out']);
      expectSuccess(shown, 'terraform show -json');

      const where = { target: 'atlas', baseUrl: sandbox.url, groupId: g };
      const markdown = planSummary(['-'], shown.stdout);
      expect(markdown.code).toBe(0);
      expect(markdown.stdout).toBe(
        [
          '### MongoDB invitations',
          '',
          '1 to invite, 1 role change, 1 to cancel.',
          '',
          `#### Project ${g} on atlas (${sandbox.url})`,
          '',
          '| Change | Who | Roles |',
          '| --- | --- | --- |',
          '| invite | dee@example.com | GROUP_READ_ONLY |',
          '| change roles | cy@example.com | GROUP_READ_ONLY → GROUP_OWNER, GROUP_READ_ONLY |',
          '| cancel | ana@example.com | GROUP_READ_ONLY |',
          '',
        ].join('\n'),
      );
      const json = planSummary(['-', '--json'], shown.stdout);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        invite: [{ ...where, username: 'dee@example.com', roles: ['GROUP_READ_ONLY'], reason: 'new' }],
        cancel: [
          { ...where, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'], removeAccepted: false },
        ],
        roles: [{ ...where, username: 'cy@example.com', from: CY.roles, to: CY_MORE.roles }],
        adopt: [],
        unadopt: [],
      });
    },
  );
});
