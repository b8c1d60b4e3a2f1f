// `npm run demo` is the project's main job: run it as a user would and check what it claims.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const terraform = spawnSync('terraform', ['version'], {
  env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
});
const haveTerraform = terraform.status === 0;
if (!haveTerraform) console.warn('demo test: `terraform` not found on PATH; skipping the full lifecycle run');

function runDemo(env: NodeJS.ProcessEnv) {
  return spawnSync(tsx, ['scripts/demo.ts'], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
}

describe('npm run demo', () => {
  (haveTerraform ? it : it.skip)(
    'revokes exactly the removed invitation, then the rest on destroy, and cleans up',
    () => {
      const result = runDemo({ ...process.env });
      const out = result.stdout + result.stderr;
      expect(result.status).toBe(0);
      expect(out).toMatch(/"5f0c1a2b3c4d5e6f7a8b9c0d\/6a1b2c3d4e5f60718293a4b6"\] will be destroyed/);
      expect(out).toMatch(/Plan: 0 to add, 0 to change, 1 to destroy\./);
      expect(out).toContain('✔ 6a1b2c3d4e5f60718293a4b6 is gone');
      expect(out).toContain('pending after destroy: 0');
      expect(out).toContain('HTTP requests to the token endpoint so far: 1');
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
      expect(out).toContain('✔ revoked invitation 6a1b2c3d4e5f60718293a4b5');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }, 120_000);
});
