// `npm run demo` is the project's main job: run it as a user would and check what it claims.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { itIfTerraform } from '../../helpers/terraform';

const root = join(__dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const itIf = itIfTerraform('test/e2e/demo/demo.test.ts (the full lifecycle run)');

function runDemo(env: NodeJS.ProcessEnv) {
  return spawnSync(tsx, ['scripts/demo.ts'], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
}

describe('npm run demo', () => {
  itIf(
    'invites three people, cancels exactly bo, changes cy’s roles in place, audits and prunes eve, then the rest on destroy, and cleans up',
    () => {
      const result = runDemo({ ...process.env });
      const out = result.stdout + result.stderr;
      expect(result.status).toBe(0);
      for (const who of ['ana', 'bo', 'cy']) {
        expect(out).toMatch(
          new RegExp(`\\(local-exec\\): ✔ ${who}@example\\.com in project \\w+ with [A-Z_,]+: invited`),
        );
      }
      expect(out).toMatch(/"[^"]+\/5f0c1a2b3c4d5e6f7a8b9c0d\/bo@example\.com"\] will be destroyed/);
      expect(out).toMatch(/Plan: 0 to add, 0 to change, 2 to destroy\./);
      // Each command is printed before it runs, as a user would type it.
      expect(out).toMatch(
        /\$ terraform apply -no-color -auto-approve -input=false +# in cdktf\.out\/stacks\/atlas-invitations/,
      );
      // The role change: only the roles instance is replaced, plan-summary says it, the roles are set in place.
      expect(out).toMatch(/mongodb_invitation_roles\["[^"]+\/cy@example\.com"\] must be replaced/);
      expect(out).not.toMatch(/mongodb_invitations\["[^"]+\/cy@example\.com"\] must be replaced/);
      expect(out).toMatch(
        /\| change roles \| cy@example\.com \| GROUP_DATA_ACCESS_READ_WRITE, GROUP_READ_ONLY → GROUP_OWNER \|/,
      );
      expect(out).toMatch(
        /✔ cy@example\.com has GROUP_OWNER on the same invitation \(user [0-9a-f]{24}\): nothing cancelled/,
      );
      expect(out).toMatch(/\$ mongodb-invitations audit cdktf\.out\/stacks\/atlas-invitations --exit-code/);
      expect(out).toContain(
        'bo@example.com in project 5f0c1a2b3c4d5e6f7a8b9c0d: pending invitation cancelled',
      );
      expect(out).toContain('✔ bo@example.com is no longer invited');
      expect(out).toMatch(/undeclared +\S+\/eve@example\.com +GROUP_OWNER +invites/);
      expect(out).toContain('audit --exit-code exited 3');
      expect(out).toMatch(/✔ cancelled: eve@example\.com/);
      expect(out).toContain('audit --exit-code now exits 0');
      expect(out).toContain('pending after destroy: 0');
      expect(out).toContain('HTTP requests to the token endpoint in all of this: 1');
      const workDir = /removing (\S+)\.$/m.exec(out)?.[1];
      expect(workDir).toBeDefined();
      expect(existsSync(workDir ?? '')).toBe(false);
    },
    300_000,
  );

  it('without terraform, says so and shows the configuration and the revoke it would run', () => {
    // A PATH holding node and nothing else.
    const bin = mkdtempSync(join(tmpdir(), 'demo-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    try {
      const result = runDemo({ ...process.env, PATH: [bin, dirname(tsx)].join(delimiter) });
      const out = result.stdout + result.stderr;
      expect(result.status).toBe(0);
      expect(out).toContain('No `terraform` binary on PATH');
      expect(out).toContain('"when": "destroy"');
      expect(out).toContain('"command": "invite"');
      expect(out).toMatch(/✔ ana@example\.com in project \w+ with GROUP_OWNER: invited/);
      expect(out).toContain(
        'ana@example.com in project 5f0c1a2b3c4d5e6f7a8b9c0d: pending invitation cancelled',
      );
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }, 120_000);
});
