// What differs between the two flavours. project-invitations.test.ts holds the assertions both share: Jest
// runs it once per flavour (jest.config.js projects "cdktf" and "cdktn").
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { App, TerraformStack } from 'cdktf';
import { InvitationTarget, ProjectInvitations } from '../../../lib/index';
import { FLAVOUR } from './flavour';
import { entriesOf, identityBlock, synth } from './synth';

const repoRoot = resolve(__dirname, '..', '..', '..');
const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const I1 = '6a1b2c3d4e5f60718293a4b5';

const describeCdktn = FLAVOUR === 'cdktn' ? describe : describe.skip;

it(`synthesizes with ${FLAVOUR}, the flavour under test`, () => {
  const out = synth((stack) => {
    new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [{ groupId: G, invitationId: I1 }],
    });
  });
  const meta = JSON.parse(out.text) as { '//': { metadata: { version: string } } };
  const expected = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules', FLAVOUR, 'package.json'), 'utf8'),
  ) as { version: string };
  expect(meta['//'].metadata.version).toBe(expected.version);
  expect(Object.keys(entriesOf(out.config, identityBlock(out.config)))).toEqual([`atlas/${G}/${I1}`]);
  out.cleanup();
});

describeCdktn('the cdktn flavour (dist/cdktn)', () => {
  it("refuses resourceType 'null_resource' with a message that says what to do", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'pi-unused-'));
    const stack = new TerraformStack(new App({ outdir }), 'stack');
    expect(
      () =>
        new ProjectInvitations(stack, 'team', {
          target: InvitationTarget.atlas(),
          resourceType: 'null_resource',
        }),
    ).toThrow(
      /'null_resource' is not available with CDK Terrain \(cdktn\).*Use the default resourceType 'terraform_data'/,
    );
    rmSync(outdir, { recursive: true, force: true });
  });

  it('imports neither cdktf nor any @cdktf package, in .js and .d.ts alike', () => {
    const dir = join(repoRoot, 'dist', 'cdktn');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(js|d\.ts)$/.test(f),
    );
    expect(files).toContain('index.js');
    expect(files).toContain('index.d.ts');
    for (const file of files) {
      const specs = ts
        .preProcessFile(readFileSync(join(dir, file), 'utf8'), true, true)
        .importedFiles.map((f) => f.fileName);
      expect({ file, cdktf: specs.filter((s) => /^(cdktf(\/|$)|@cdktf\/)/.test(s)) }).toEqual({
        file,
        cdktf: [],
      });
    }
  });

  it('is the package export "./cdktn", with its types', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    expect(manifest.exports['./cdktn']).toEqual({
      types: './dist/cdktn/index.d.ts',
      default: './dist/cdktn/index.js',
    });
    expect(manifest.typesVersions['*']?.['cdktn']).toEqual(['dist/cdktn/index.d.ts']);
  });
});
