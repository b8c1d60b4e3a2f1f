// The README's newcomer path, run as written in a fresh directory: the packed tarball installed beside the
// clone (Install), the first app's cdktf.json and main.ts (Your first app), the sandbox started with the
// README's command, `npx cdktf synth`, `terraform apply`, then a person removed and applied again: the
// revoke must reach the sandbox. The only liberty taken: the sandbox's port 8089 becomes a free port, so
// that tests running side by side do not collide. And the tarball must hold every document the README, the
// CLI help and the sandbox banner point to, and the LICENSE.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { HELP } from '../../../lib/cli/help';
import { SANDBOX_USAGE } from '../../../lib/cli/sandbox-command';
import {
  expectSuccess,
  haveTerraform,
  runCommand,
  terraformEnv,
  type RunResult,
} from '../../helpers/terraform';

const root = join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const have = haveTerraform();
const itIf = have ? it : it.skip;
if (!have)
  console.warn('test/e2e/docs/newcomer.test.ts: the apply case is skipped, no working `terraform` on PATH.');

/** The fenced block after `<!-- marker -->` in the README. */
function block(marker: string): string {
  const start = readme.indexOf(`<!-- ${marker} -->`);
  if (start < 0) throw new Error(`README.md has no <!-- ${marker} --> marker`);
  const body = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
  if (!body) throw new Error(`README.md has no fenced block after <!-- ${marker} -->`);
  return body;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let work: string;
let packed: { filename: string; files: string[] };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'newcomer-'));
  // The README's layout: the clone (here: its tarball) beside the new app. --ignore-scripts: `npm test`
  // has just built dist/, and prepack would rebuild it under the feet of tests running beside this one.
  const clone = join(work, 'cdktf-mongodb-invitations');
  mkdirSync(clone);
  const [result] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', clone], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  if (!result) throw new Error('npm pack printed nothing');
  packed = { filename: result.filename, files: result.files.map((f) => f.path) };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the tarball', () => {
  it('holds the LICENSE (Apache-2.0) and every document the README, the CLI help and the sandbox point to', () => {
    expect(packed.files).toContain('LICENSE');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain('Apache License');
    const docs = packed.files.filter((f) => f.endsWith('.md'));
    const wanted = new Set<string>();
    for (const doc of ['README.md', ...docs.filter((f) => f !== 'README.md')]) {
      const text = readFileSync(join(root, doc), 'utf8');
      for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!link || /^[a-z]+:/.test(link)) continue;
        wanted.add(normalize(join(doc, '..', link)).replace(/\/$/, ''));
      }
    }
    for (const text of [HELP, SANDBOX_USAGE, readme]) {
      for (const [path] of text.matchAll(/\bdocs\/[\w./-]+\.(?:md|svg)/g)) wanted.add(path);
    }
    expect(wanted.size).toBeGreaterThan(5);
    const missing = [...wanted].filter(
      (path) => !packed.files.some((f) => f === path || f.startsWith(`${path}/`)),
    );
    expect(missing).toEqual([]);
  });

  it('is the file the README installs', () => {
    expect(block('newcomer-install')).toContain(`../cdktf-mongodb-invitations/${packed.filename} `);
  });
});

describe('README.md, from Install to a first apply', () => {
  let sandbox: ChildProcess | undefined;
  // npx runs the sandbox in a child of its own: stop the whole process group.
  afterAll(() => {
    if (sandbox?.pid !== undefined && sandbox.exitCode === null) process.kill(-sandbox.pid, 'SIGTERM');
  });

  itIf(
    'installs the tarball, synthesizes with cdktf synth, applies against the sandbox and revokes a removed person',
    async () => {
      const started = Date.now();
      const port = String(await freePort());
      const env = terraformEnv({
        XDG_CACHE_HOME: join(work, 'cache'),
        CI: '1',
        // what a newcomer's npm would do, minus the noise and the network where the cache has it
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      });
      const bash = (script: string, cwd: string): Promise<RunResult> =>
        runCommand('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, timeoutMs: 240_000 });

      const installed = await bash(block('newcomer-install'), work);
      expectSuccess(installed, 'the Install commands');
      const app = join(work, 'my-invitations');
      writeFileSync(join(app, 'cdktf.json'), block('newcomer-cdktf-json'));
      const main = block('usage');
      writeFileSync(join(app, 'main.ts'), main);

      // "In a second terminal, `npx mongodb-invitations sandbox --port 8089`"
      const command = /`(npx mongodb-invitations sandbox --port 8089)`/.exec(readme)?.[1];
      expect(command).toBeDefined();
      const [npx, ...args] = (command ?? '').replace('8089', port).split(' ');
      const child = spawn(npx ?? 'npx', args, {
        cwd: app,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      sandbox = child;
      let banner = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr?.on('data', (chunk: Buffer) => {
          banner += chunk.toString();
          if (banner.includes('Press Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${banner}`)));
      });
      // The README's export lines are the banner's, for the default sandbox credentials.
      const exports = block('newcomer-apply')
        .split('\n')
        .filter((l) => l.startsWith('export '))
        .map((l) => l.replace('8089', port));
      for (const pair of exports.flatMap((l) => l.slice('export '.length).split(' '))) {
        expect(banner).toContain(`export ${pair}`);
      }

      const first = await bash(block('newcomer-apply').replace(/8089/g, port), app);
      expectSuccess(first, 'synth and apply');
      // eslint-disable-next-line no-control-regex
      const log = (first.stdout + first.stderr).replace(/\u001b\[[0-9;]*m/g, '');
      expect(log).toContain('Generated Terraform code for the stacks: access');
      expect(log).toMatch(/✔ ana@example\.com in project 5f0c1a2b3c4d5e6f7a8b9c0d with GROUP_OWNER: invited/);
      expect(log).toMatch(
        /✔ bo@example\.com in project 5f0c1a2b3c4d5e6f7a8b9c0d with GROUP_READ_ONLY: invited/,
      );

      // "Now delete bo's line from main.ts and run:"
      const withoutBo = main
        .split('\n')
        .filter((l) => !l.includes("'bo@example.com'"))
        .join('\n');
      expect(withoutBo).not.toBe(main);
      writeFileSync(join(app, 'main.ts'), withoutBo);
      const second = await bash(`${exports.join('\n')}\n${block('newcomer-remove')}`, app);
      expectSuccess(second, 'synth, plan and apply after the removal');
      // eslint-disable-next-line no-control-regex
      const plain = second.stdout.replace(/\u001b\[[0-9;]*m/g, '');
      expect(plain).toMatch(/\/5f0c1a2b3c4d5e6f7a8b9c0d\/bo@example\.com"\] will be destroyed/);
      expect(plain).toContain(
        '✔ bo@example.com in project 5f0c1a2b3c4d5e6f7a8b9c0d: pending invitation cancelled',
      );

      const listed = await bash(
        `${exports.join('\n')}\nnpx mongodb-invitations list --group-id 5f0c1a2b3c4d5e6f7a8b9c0d --json`,
        app,
      );
      expectSuccess(listed, 'mongodb-invitations list');
      const pending = (JSON.parse(listed.stdout) as { username: string }[]).map((p) => p.username);
      expect(pending).toEqual(['ana@example.com']);
      expect(existsSync(join(app, 'cdktf.out', 'stacks', 'access', 'cdk.tf.json'))).toBe(true);
      console.log(
        `newcomer path (install, synth, apply, remove, apply): ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    },
    300_000,
  );
});
