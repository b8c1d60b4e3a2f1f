// null_resource needs the hashicorp/null provider, which cannot be downloaded here. So this test does
// what Terraform would do at destroy time, from the synthesized JSON alone: take one instance's
// triggers (each.value, the entry's text from for_each, split into its fields, and the profile it names
// from locals), fill the provisioner's environment from them
// (`${self.triggers.x}`), and exec the provisioner's interpreter + command, with no shell, in the stack
// directory. The revoke must reach the sandbox.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvitationTarget, ProjectInvitations } from '../../lib/index';
import { Sandbox } from '../../lib/sandbox/server';
import { identityBlock, rolesBlock, synth } from '../unit/construct/synth';
import { provisionerEnvironment } from '../unit/construct/provisioner-env';
import { runCommand, terraformEnv } from '../helpers/terraform';

const repoRoot = resolve(__dirname, '..', '..');
const PUBLIC = 'nullpub';
const PRIVATE = 'NULL-RESOURCE-PRIVATE-CANARY-0b7e';

let sandbox: Sandbox;

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'mongodb-invitations.cjs'))) {
    throw new Error('dist/mongodb-invitations.cjs is missing: run "npm run build" first');
  }
  sandbox = await Sandbox.start({ credentials: { apiKeys: [{ publicKey: PUBLIC, privateKey: PRIVATE }] } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('ProjectInvitations (null_resource) destroy-time command', () => {
  it('revokes the invitation when run exactly as Terraform would run it', async () => {
    const groupId = randomBytes(12).toString('hex');
    const [removed, kept] = sandbox
      .seed(
        ['a', 'b'].map((name) => ({
          target: 'ops-manager' as const,
          groupId,
          username: `${name}@example.com`,
          roles: ['GROUP_READ_ONLY'],
        })),
      )
      .map((invitation) => invitation.id) as [string, string];
    const out = synth((stack) => {
      new ProjectInvitations(stack, 'team', {
        target: InvitationTarget.opsManager({ baseUrl: sandbox.url, auth: 'digest' }),
        resourceType: 'null_resource',
        credentials: { publicKeyEnv: 'OM_PUBLIC', privateKeyEnv: 'OM_PRIVATE' },
        tokenCache: 'off',
        invitations: [
          { groupId, invitationId: removed },
          { groupId, invitationId: kept },
        ],
      });
    });
    try {
      const blocks = {
        invite: rolesBlock(out.config, 'null_resource'),
        revoke: identityBlock(out.config, 'null_resource'),
      };
      const key = `${new URL(sandbox.url).host}/${groupId}/${removed}`;
      const run = async (command: 'invite' | 'revoke') => {
        const block = blocks[command];
        const exec = block.provisioner.find((p) => p['local-exec'].command === command)?.['local-exec'];
        expect(exec?.when).toBe(command === 'revoke' ? 'destroy' : undefined);
        const environment = provisionerEnvironment(out.config, block, key, command);
        const [interpreter, ...args] = exec?.interpreter ?? [];
        const mark = sandbox.log.length;
        const result = await runCommand(interpreter ?? '', [...args, exec?.command ?? ''], {
          cwd: out.stackDir,
          env: terraformEnv({ ...environment, OM_PUBLIC: PUBLIC, OM_PRIVATE: PRIVATE }),
        });
        expect(`${result.stdout}${result.stderr}`).not.toContain(PRIVATE);
        const sent = sandbox.log.slice(mark).filter((e) => e.authScheme === 'digest');
        return { environment, result, sent: sent.map((e) => [e.method, e.path, e.status]) };
      };

      const invite = await run('invite');
      expect(invite.result.code).toBe(0);
      expect(invite.sent).toEqual([['GET', `/api/public/v1.0/groups/${groupId}/invites`, 200]]);

      const revoke = await run('revoke');
      expect(revoke.environment).toMatchObject({
        MONGODB_INVITATIONS_ENTRY_TARGET: 'ops-manager',
        MONGODB_INVITATIONS_ENTRY_BASE_URL: sandbox.url,
        MONGODB_INVITATIONS_ENTRY_GROUP_ID: groupId,
        MONGODB_INVITATIONS_ENTRY_INVITATION_ID: removed,
        MONGODB_INVITATIONS_ENTRY_PUBLIC_KEY_ENV: 'OM_PUBLIC',
        MONGODB_INVITATIONS_ENTRY_TOKEN_CACHE: 'off',
        MONGODB_INVITATIONS_ENTRY_ADDRESS: `null_resource.mongodb_invitations["${key}"]`,
      });
      expect(revoke.result.code).toBe(0);
      expect(revoke.sent).toEqual([['DELETE', `/api/public/v1.0/groups/${groupId}/invites/${removed}`, 204]]);
      expect(sandbox.invitations('ops-manager', groupId).map((i) => i.id)).toEqual([kept]);
    } finally {
      out.cleanup();
    }
  });
});
