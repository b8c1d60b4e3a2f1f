// The packed tarball is what users install: it must install into a fresh directory next to cdktf and
// constructs alone, synthesize a minimal app, and ship a CLI bundle that runs from the stack directory.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack', () => {
  let work: string;
  let packedOnce: { filename: string; files: { path: string }[] } | undefined;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'pack-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The tarball, packed once for the file. */
  function pack(): { filename: string; files: { path: string }[] } {
    if (packedOnce) return packedOnce;
    // --ignore-scripts: prepack would rebuild dist/ under the feet of tests running beside this one;
    // `npm test` has just built it.
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    packedOnce = packed[0];
    if (!packedOnce) throw new Error('npm pack printed nothing');
    return packedOnce;
  }

  it('builds before packing, so that a fresh clone packs a working package', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts['prepack']).toMatch(/npm run build$/);
  });

  it('installs into a fresh directory and synthesizes a minimal cdktf app', () => {
    const tarball = pack();
    const files = tarball.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/mongodb-invitations.cjs');
    expect(files).toContain('dist/cdktn/index.js');
    expect(files).toContain('dist/cdktn/index.d.ts');
    expect(files.some((f) => f.startsWith('lib/') || f.startsWith('test/'))).toBe(false);

    const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync(
      npm,
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(work, tarball.filename),
        `cdktf@${ours.devDependencies.cdktf}`,
        // the lowest constructs cdktf 0.21 accepts: a narrower peer range made this install fail
        'constructs@10.4.2',
      ],
      { cwd: app, stdio: 'pipe' },
    );
    writeFileSync(
      join(app, 'main.js'),
      `const { App, TerraformStack } = require('cdktf');
const { ProjectInvitations, InvitationTarget } = require('cdktf-mongodb-invitations');
const app = new App({ outdir: 'out' });
const stack = new TerraformStack(app, 'access');
new ProjectInvitations(stack, 'team', {
  target: InvitationTarget.atlas(),
  invitations: [{ groupId: '5f0c1a2b3c4d5e6f7a8b9c0d', invitationId: '6a1b2c3d4e5f60718293a4b5' }],
});
app.synth();
`,
    );
    execFileSync(process.execPath, ['main.js'], { cwd: app, stdio: 'pipe' });
    const stackDir = join(app, 'out', 'stacks', 'access');
    const config = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
    expect(config).toContain('"when": "destroy"');
    // cdktf's own default local backend records the app's directory; what this package emits must not.
    expect(JSON.stringify((JSON.parse(config) as { resource: unknown }).resource)).not.toContain(app);

    // The bundle runs from the stack directory with no node_modules beside it.
    const bundles = findFiles(join(stackDir, 'assets'), 'mongodb-invitations.cjs');
    expect(bundles).toHaveLength(1);
    const help = spawnSync(process.execPath, [bundles[0] ?? '', '--help'], {
      cwd: stackDir,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('mongodb-invitations <command>');
    expect(help.stdout).toContain('revoke');
  }, 180_000);

  it('`cdktf-mongodb-invitations/client` loads in an app without cdktf, cdktn or constructs', () => {
    const tarball = pack();
    expect(tarball.files.map((f) => f.path)).toContain('dist/client/index.js');
    const app = join(work, 'client-app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'client-app', private: true }));
    execFileSync(
      npm,
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=peer', join(work, tarball.filename)],
      { cwd: app, stdio: 'pipe' },
    );
    for (const peer of ['cdktf', 'cdktn', 'constructs', '@cdktf/provider-null']) {
      expect(existsSync(join(app, 'node_modules', peer))).toBe(false);
    }
    const loaded = spawnSync(
      process.execPath,
      [
        '-e',
        `const c = require('cdktf-mongodb-invitations/client');
const err = new c.ConfigurationError('x');
console.log(typeof c.InvitationClient, err instanceof c.InvitationError, c.ERROR_CODES[err.code], c.ExitCode.Usage);`,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout.trim()).toBe('function true 2 2');
    // The package entry holds the construct: it needs cdktf, and says so.
    const entry = spawnSync(process.execPath, ['-e', "require('cdktf-mongodb-invitations')"], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(entry.status).not.toBe(0);
    expect(entry.stderr).toMatch(/Cannot find module '(cdktf|constructs)'/);
  }, 180_000);
});

function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name === name)
    .map((entry) => join(entry.parentPath, entry.name));
}
