// The guard-rails are real only when a file that breaks them fails the check: probe files that cross a
// layer (by import declaration, import(), require(), import x = require()), import cdktf outside its
// allowed files, or name a module by a computed specifier are written into lib/ for the time of one
// ESLint run, which must report each of them, and nothing for the control. Likewise the cdktn build
// (scripts/build-cdktn.mjs), run on a copy of dist/: it fails on an export path without a twin and on a
// computed require.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');

interface Probe {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** The message the probe must draw; undefined for the control, which must draw none. */
  readonly expect: RegExp | undefined;
}

const tag = `${process.pid}`;
const probe = (folder: string, name: string, text: string, expect: RegExp | undefined): Probe => ({
  name: `lib/${folder}: ${name}`,
  file: join(root, 'lib', folder, `lint-probe-${tag}-${name}.ts`),
  text,
  expect,
});

const PROBES: Probe[] = [
  probe(
    'cli',
    'import-expression',
    "export const load = () => import('../construct/target');\n",
    /layering: cli does not import lib\/construct/,
  ),
  probe(
    'client',
    'require',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const run: unknown = require('../cli/run');\n",
    /layering: client does not import lib\/cli/,
  ),
  probe(
    'client/apis',
    'require-deeper',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const sandbox: unknown = require('../../sandbox/server');\n",
    /layering: client does not import lib\/sandbox/,
  ),
  probe(
    'sandbox',
    'import-equals',
    "import keys = require('../contract/keys');\nexport const name = keys.BLOCK_NAME;\n",
    /layering: sandbox does not import lib\/contract/,
  ),
  probe(
    'contract',
    'cdktf-static',
    "import { Token } from 'cdktf';\nexport const isToken = Token.isUnresolved;\n",
    /only lib\/construct imports cdktf/,
  ),
  probe(
    'cli',
    'cdktf-dynamic',
    "export const load = () => import('cdktf');\n",
    /only lib\/construct imports cdktf/,
  ),
  probe(
    'construct',
    'cdktf-new-importer',
    "import { Token } from 'cdktf';\nexport const isToken = Token.isUnresolved;\n",
    /only lib\/construct imports cdktf, through the files listed in CDKTF_IMPORTERS/,
  ),
  probe(
    'construct',
    'cdktf-new-importer-require',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const cdktf: unknown = require('cdktf/lib/tokens');\n",
    /only lib\/construct imports cdktf/,
  ),
  probe(
    'client',
    'computed-require',
    "const name = 'node:os';\n// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const os: unknown = require(name);\n",
    /require\(\) only with a string literal/,
  ),
  probe(
    'construct',
    'computed-import',
    "const name = './target';\nexport const load = () => import(name);\n",
    /import\(\) only with a string literal/,
  ),
  // The control: what each layer may do draws nothing.
  probe(
    'cli',
    'control',
    "import { BLOCK_NAME } from '../contract/keys';\nexport const load = () => import('../client/version');\nexport const name = BLOCK_NAME;\n",
    undefined,
  ),
];

interface LintResult {
  readonly filePath: string;
  readonly messages: { ruleId: string | null; message: string }[];
}

describe('lint guard-rails', () => {
  let results: Map<string, LintResult>;

  beforeAll(() => {
    try {
      for (const p of PROBES) writeFileSync(p.file, p.text);
      const run = spawnSync(
        process.execPath,
        [eslint, '--format', 'json', '--no-warn-ignored', ...PROBES.map((p) => relative(root, p.file))],
        { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed to run:\n${run.stderr}`);
      results = new Map((JSON.parse(run.stdout) as LintResult[]).map((r) => [r.filePath, r]));
    } finally {
      for (const p of PROBES) rmSync(p.file, { force: true });
    }
  }, 120_000);

  it.each(PROBES.filter((p) => p.expect).map((p) => [p.name, p] as const))(
    'a probe in %s fails the lint, naming the rule it breaks',
    (_name, p) => {
      const messages = results.get(p.file)?.messages ?? [];
      expect(messages.map((m) => m.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(p.expect!)]),
      );
    },
  );

  it('the control, which crosses no layer, passes', () => {
    const control = PROBES.find((p) => p.expect === undefined)!;
    expect(results.get(control.file)?.messages).toEqual([]);
  });
});

describe('cdktn build guard-rails', () => {
  const buildCdktn = join(root, 'scripts', 'build-cdktn.mjs');
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cdktn-build-'));
    cpSync(join(root, 'dist'), join(work, 'dist'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('dist', 'cdktn')}`),
    });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const run = (manifest: string) =>
    spawnSync(process.execPath, [buildCdktn, '--dist', join(work, 'dist'), '--manifest', manifest], {
      cwd: root,
      encoding: 'utf8',
    });
  const manifestWith = (change: (m: { exports: Record<string, unknown> }) => void): string => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    change(manifest);
    const file = join(work, `package-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    return file;
  };

  it('builds the flavour from the package as it is', () => {
    const result = run(join(root, 'package.json'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on an export path that reaches cdktf without a ./cdktn twin', () => {
    const result = run(
      manifestWith((m) => {
        m.exports['./construct'] = { default: './dist/construct/project-invitations.js' };
      }),
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      '"./construct" reaches cdktf, so package.json needs exports "./cdktn/construct"',
    );
  });

  it('needs no twin for an export path that does not reach cdktf (./client)', () => {
    const result = run(manifestWith((m) => expect(m.exports['./client']).toBeDefined()));
    expect(result.status).toBe(0);
  });

  it('fails on a computed require', () => {
    appendFileSync(join(work, 'dist', 'client', 'version.js'), "\nconst name = 'node:os';\nrequire(name);\n");
    const result = run(join(root, 'package.json'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/computed module specifiers[^]*client\/version\.js:\d+: require\(name\)/);
  });
});
