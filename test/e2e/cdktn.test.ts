// CDK Terrain end to end: a fresh cdktn app installs the packed tarball beside cdktn and constructs alone,
// type-checks against `cdktf-mongodb-invitations/cdktn`, synthesizes (the app runs with node: cdktn-cli
// needs jsii, which this repository does not carry), and real Terraform revokes exactly the entry that
// was removed. The example apps synthesize with cdktn too, once their two cdktf imports are switched.
// Needs dist/ (`npm run build`, which `npm test` runs first); the Terraform case needs `terraform` >= 1.4.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
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
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { InvitationTarget, ProjectInvitations } from '../../lib/index';
import { Sandbox } from '../../lib/sandbox/server';
import type { RequestLogEntry } from '../../lib/sandbox/types';
import { expectSuccess, itIfTerraform, runCommand, terraformEnv } from '../helpers/terraform';

const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const CDKTN = '0.24.0';
const CONSTRUCTS = '10.7.0';

const itIf = itIfTerraform('test/e2e/cdktn.test.ts (its Terraform case)');

// The app a cdktn user writes: entries from entries.json, the sandbox's URL from the environment.
const MAIN = `import { readFileSync } from 'node:fs';
import { App, LocalBackend, TerraformStack } from 'cdktn';
import { InvitationTarget, ProjectInvitations, type InvitationEntry } from 'cdktf-mongodb-invitations/cdktn';

const app = new App({ outdir: 'out' });
const stack = new TerraformStack(app, 'access');
new LocalBackend(stack, { path: 'terraform.tfstate' });
new ProjectInvitations(stack, 'team', {
  target: InvitationTarget.atlas({ baseUrl: process.env.SANDBOX_URL, auth: 'digest' }),
  credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
  maxRetries: 1,
  invitations: JSON.parse(readFileSync('entries.json', 'utf8')) as InvitationEntry[],
});
app.synth();
`;

const KEYS = { publicKey: 'cdktnpub', privateKey: 'CDKTN-PRIVATE-KEY-1f0e' };

let work: string;
let app: string;
let sandbox: Sandbox | undefined;

function objectId(): string {
  return randomBytes(12).toString('hex');
}

/** Every package.json under node_modules/ (nested ones included), as [name, version, directory]. */
function installed(dir: string): [string, string, string][] {
  const found: [string, string, string][] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((s) => join(modules, entry, s))
        : [join(modules, entry)];
      for (const pkg of dirs) {
        const manifest = join(pkg, 'package.json');
        if (!existsSync(manifest)) continue;
        const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
          name: string;
          version: string;
        };
        found.push([name, version, pkg]);
        walk(join(pkg, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

const compiled = new Set<string>();

/** `tsc -p dir`, once per directory (a full type-check of cdktn's declarations takes a while). */
function compile(dir: string): void {
  if (compiled.has(dir)) return;
  const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc -p ${dir} failed:\n${result.stdout}${result.stderr}`);
  compiled.add(dir);
}

/** Runs a compiled app with node in `cwd`; returns the stack's cdk.tf.json. */
function synthIn(cwd: string, script: string, stackDir: string, env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, [script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`node ${script} failed:\n${result.stdout}${result.stderr}`);
  return readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cdktn', 'index.js'))) {
    throw new Error('dist/cdktn/index.js is missing: run "npm run build" first');
  }
  work = mkdtempSync(join(tmpdir(), 'pi-cdktn-'));
  // --ignore-scripts: prepack would rebuild dist/ under the feet of tests running beside this one.
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { filename: string }[];
  if (!packed) throw new Error('npm pack printed nothing');
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cdktn-app', private: true }));
  execFileSync(
    npm,
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, packed.filename),
      `cdktn@${CDKTN}`,
      `constructs@${CONSTRUCTS}`,
    ],
    { cwd: app, stdio: 'pipe' },
  );
  writeFileSync(join(app, 'main.ts'), MAIN);
  for (const example of ['atlas', 'ops-manager']) {
    const from = join(root, 'examples', example);
    const to = join(app, 'examples', example);
    mkdirSync(to, { recursive: true });
    cpSync(join(from, 'invitations.json'), join(to, 'invitations.json'));
    // The only change a cdktf user makes to move to cdktn: these two imports.
    const source = readFileSync(join(from, 'main.ts'), 'utf8');
    const switched = source
      .replace(/from 'cdktf';/g, "from 'cdktn';")
      .replace(/from 'cdktf-mongodb-invitations';/g, "from 'cdktf-mongodb-invitations/cdktn';");
    expect(switched).not.toMatch(/from 'cdktf(-mongodb-invitations)?'/);
    expect(switched).not.toBe(source);
    writeFileSync(join(to, 'main.ts'), switched);
  }
  const compilerOptions = {
    target: 'ES2022',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  // cdktf's and cdktn's app templates resolve modules the classic way (typesVersions); node16 reads exports.
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'commonjs', moduleResolution: 'node', outDir: 'build' },
      include: ['main.ts', 'examples'],
    }),
  );
  mkdirSync(join(app, 'node16'));
  writeFileSync(
    join(app, 'node16', 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16', noEmit: true },
      files: ['../main.ts'],
    }),
  );
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('cdktf-mongodb-invitations/cdktn in a fresh cdktn app', () => {
  it('installs beside cdktn and constructs alone: no cdktf, one constructs', () => {
    const packages = installed(app);
    const named = (name: string): string[] => packages.filter(([n]) => n === name).map(([, v]) => v);
    expect(named('cdktf')).toEqual([]);
    expect(packages.filter(([n]) => n.startsWith('@cdktf/'))).toEqual([]);
    expect(named('constructs')).toEqual([CONSTRUCTS]);
    expect(named('cdktn')).toEqual([CDKTN]);
    const lock = readFileSync(join(app, 'package-lock.json'), 'utf8');
    expect(lock).not.toMatch(/node_modules\/cdktf"/);
  });

  it('type-checks against the package types, with classic and node16 module resolution', () => {
    compile(app);
    compile(join(app, 'node16'));
  });

  it('synthesizes the app and both examples with cdktn', () => {
    compile(app);
    const entries = [{ groupId: objectId(), invitationId: objectId() }];
    writeFileSync(join(app, 'entries.json'), JSON.stringify(entries));
    const config = synthIn(app, join('build', 'main.js'), join(app, 'out', 'stacks', 'access'), {
      SANDBOX_URL: 'https://cloud.mongodb.com',
    });
    expect(config).toContain('"version": "0.24.0"');
    expect(config).toContain('"when": "destroy"');

    // The same app with cdktf writes the same configuration (metadata aside): moving an app from one to
    // the other changes no address and no value in Terraform's eyes.
    const twin = mkdtempSync(join(tmpdir(), 'pi-cdktf-twin-'));
    const cdktfApp = new App({ outdir: twin });
    const stack = new TerraformStack(cdktfApp, 'access');
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas({ baseUrl: 'https://cloud.mongodb.com', auth: 'digest' }),
      credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
      maxRetries: 1,
      invitations: entries,
    });
    cdktfApp.synth();
    const withoutMetadata = (json: string): unknown => ({ ...(JSON.parse(json) as object), '//': undefined });
    expect(withoutMetadata(config)).toEqual(
      withoutMetadata(readFileSync(join(twin, 'stacks', 'access', 'cdk.tf.json'), 'utf8')),
    );
    rmSync(twin, { recursive: true, force: true });

    for (const [example, stack, count] of [
      ['atlas', 'atlas-invitations', 3],
      ['ops-manager', 'ops-manager-invitations', 2],
    ] as const) {
      const cwd = join(app, 'examples', example);
      const json = synthIn(
        cwd,
        join(app, 'build', 'examples', example, 'main.js'),
        join(cwd, 'cdktf.out', 'stacks', stack),
        {
          INVITATIONS_FILE: join(cwd, 'invitations.json'),
        },
      );
      const parsed = JSON.parse(json) as {
        '//': { metadata: { version: string } };
        resource: Record<string, Record<string, { for_each: string }>>;
        locals: Record<string, Record<string, unknown>>;
      };
      expect(parsed['//'].metadata.version).toBe(CDKTN);
      const blocks = Object.values(parsed.resource).flatMap((byName) => Object.values(byName));
      expect(blocks).toHaveLength(2);
      for (const block of blocks) expect(block.for_each).toBe('${local.mongodb_invitations}');
      expect(Object.keys(parsed.locals['mongodb_invitations'] ?? {})).toHaveLength(count);
    }
  });

  itIf(
    'applies three entries, then revokes exactly the one removed',
    async () => {
      compile(app);
      sandbox = await Sandbox.start({ credentials: { apiKeys: [KEYS] } });
      const groupId = objectId();
      const ids = [objectId(), objectId(), objectId()];
      sandbox.seed(
        ids.map((id) => ({
          target: 'atlas' as const,
          groupId,
          id,
          username: `${id}@example.com`,
          roles: ['GROUP_READ_ONLY'],
        })),
      );
      const stackDir = join(app, 'out', 'stacks', 'access');
      const env = terraformEnv({
        E2E_PUBLIC: KEYS.publicKey,
        E2E_PRIVATE: KEYS.privateKey,
        XDG_CACHE_HOME: join(work, 'cache'),
      });
      const declare = (list: string[]): void => {
        writeFileSync(
          join(app, 'entries.json'),
          JSON.stringify(list.map((invitationId) => ({ groupId, invitationId }))),
        );
        synthIn(app, join('build', 'main.js'), stackDir, { SANDBOX_URL: sandbox?.url ?? '' });
      };
      const terraform = (...args: string[]) =>
        runCommand('terraform', [...args, '-no-color', '-input=false'], { cwd: stackDir, env });

      declare(ids);
      expectSuccess(await terraform('init'), 'terraform init');
      let mark = sandbox.log.length;
      expectSuccess(await terraform('apply', '-auto-approve'), 'terraform apply (3 entries)');
      // Each adopted id is checked once with a list request; nothing is changed.
      const sent = sandbox.log.slice(mark).filter((e) => e.authScheme !== 'none');
      expect(sent.map((e) => e.method)).toEqual(ids.map(() => 'GET'));

      const [a, removed, b] = ids as [string, string, string];
      declare([a, b]);
      mark = sandbox.log.length;
      const applied = await terraform('apply', '-auto-approve');
      expectSuccess(applied, 'terraform apply (one entry removed)');
      expect(applied.stdout).toContain('0 added, 0 changed, 2 destroyed');
      const deletes = sandbox.log
        .slice(mark)
        .filter((e: RequestLogEntry) => e.method === 'DELETE' && e.authScheme !== 'none');
      expect(deletes.map((e) => [e.path, e.status])).toEqual([
        [`/api/atlas/v2/groups/${groupId}/invites/${removed}`, 204],
      ]);
      expect(
        sandbox
          .invitations('atlas', groupId)
          .map((i) => i.id)
          .sort(),
      ).toEqual([a, b].sort());
    },
    240_000,
  );
});
