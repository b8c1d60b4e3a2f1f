// Keeps the README honest: its commands are the ones CI runs, its usage example compiles and synthesizes
// against this package, and its CLI help is the CLI's own.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import * as cdktf from 'cdktf';
import * as constructs from 'constructs';
import * as pkg from '../../../lib/index';
import { run } from '../../../lib/cli/run';
import { HELP } from '../../../lib/cli/help';

const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const reference = readFileSync(join(root, 'docs', 'reference.md'), 'utf8');

/** The fenced block that follows an HTML comment marker such as `<!-- usage -->`. */
function blockAfter(marker: string, doc = readme): string {
  const start = doc.indexOf(`<!-- ${marker} -->`);
  if (start < 0) throw new Error(`no <!-- ${marker} --> marker`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(doc.slice(start));
  if (!match?.[1]) throw new Error(`no fenced block after <!-- ${marker} -->`);
  return match[1];
}

describe('README', () => {
  it('gives as its test command exactly what .ci/run runs', () => {
    const commands = blockAfter('commands').trim().split('\n');
    const testCommand = commands.find((line) => line.includes('npm test'));
    expect(testCommand).toBeDefined();
    const command = (testCommand ?? '').replace(/\s+#.*$/, '').trim();
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').map((line) => line.trim())).toContain(command);
  });

  it('gives a demo command that runs `npm run demo`, which package.json defines', () => {
    const commands = blockAfter('commands');
    expect(commands).toMatch(/npm ci && npm run demo/);
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object })
      .scripts;
    expect(scripts).toHaveProperty('demo');
  });

  it('has a usage example that type-checks against the package', () => {
    const source = blockAfter('usage');
    const file = join(root, 'test', 'docs', '__readme_usage__.ts');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
      baseUrl: root,
      paths: { 'cdktf-mongodb-invitations': ['lib/index.ts'] },
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('has a usage example that runs as-is and keys its people `atlas/<groupId>/<username>` in one block', () => {
    const source = blockAfter('usage');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const outdir = mkdtempSync(join(tmpdir(), 'readme-usage-'));
    const previous = process.env.CDKTF_OUTDIR;
    process.env.CDKTF_OUTDIR = outdir;
    try {
      const modules: Record<string, unknown> = { 'cdktf-mongodb-invitations': pkg, cdktf, constructs };
      const load = (name: string): unknown => {
        if (!(name in modules)) throw new Error(`the README usage example imports ${name}`);
        return modules[name];
      };
      new Function('require', 'exports', js)(load, {});
    } finally {
      if (previous === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = previous;
    }
    const [stack] = readdirSync(join(outdir, 'stacks'));
    const config = JSON.parse(readFileSync(join(outdir, 'stacks', stack ?? '', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { for_each: string; provisioner: unknown }>>;
      locals: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(config.resource)).toEqual(['terraform_data']);
    const blocks = Object.entries(config.resource['terraform_data'] ?? {});
    expect(blocks.map(([name]) => name).sort()).toEqual(['mongodb_invitation_roles', 'mongodb_invitations']);
    const block = config.resource['terraform_data']?.['mongodb_invitation_roles'];
    const people = [
      ...source.matchAll(/\{ groupId: '([a-f0-9]{24})', username: '([^']+)', roles: \[[^\]]+\] \}/g),
    ];
    const adopted = [...source.matchAll(/\{ groupId: '([a-f0-9]{24})', invitationId: '([a-f0-9]{24})' \}/g)];
    expect(people.length).toBeGreaterThan(0);
    const expected = [...people, ...adopted].map((m) => `atlas/${m[1]}/${(m[2] ?? '').toLowerCase()}`);
    expect(block?.for_each).toBe('${local.mongodb_invitations}');
    expect(Object.keys(config.locals['mongodb_invitations'] ?? {}).sort()).toEqual(expected.sort());
    expect(JSON.stringify(block?.provisioner)).toContain('"command":"invite"');
    const identity = JSON.stringify(config.resource['terraform_data']?.['mongodb_invitations']?.provisioner);
    expect(identity).toContain('"command":"revoke"');
    expect(identity).toContain('"when":"destroy"');
    rmSync(outdir, { recursive: true, force: true });
  });

  it('shows the CLI help verbatim in docs/reference.md', async () => {
    expect(blockAfter('cli-help', reference)).toBe(HELP.endsWith('\n') ? HELP : `${HELP}\n`);
    let printed = '';
    const code = await run(
      ['--help'],
      {},
      { stdout: { write: (s: string) => (printed += s) }, stderr: { write: () => true } },
    );
    expect(code).toBe(0);
    expect(printed).toBe(HELP.endsWith('\n') ? HELP : `${HELP}\n`);
  });
});
