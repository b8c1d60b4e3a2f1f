// The examples are what users copy: `npx cdktf synth` must work on each of them, and on the top-level
// cdktf.json that synthesizes them all, and declare exactly the entries of their invitations.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cdktf = join(root, 'node_modules', '.bin', 'cdktf');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null', CI: '1' };

interface Config {
  resource: Record<string, Record<string, { for_each: string }>>;
  locals: Record<string, Record<string, unknown>>;
}

function synth(cwd: string): string {
  const out = mkdtempSync(join(tmpdir(), 'examples-'));
  const result = spawnSync(cdktf, ['synth', '--output', out], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`cdktf synth failed in ${cwd}:\n${result.stdout}${result.stderr}`);
  return out;
}

/** The keys the stack-wide block must have: `<target>/<groupId>/<username or invitationId>`. */
function declaredKeys(file: string, target: string): string[] {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as {
    groupId: string;
    invitationId?: string;
    username?: string;
  }[];
  return entries.map((e) => `${target}/${e.groupId}/${e.username?.toLowerCase() ?? e.invitationId}`).sort();
}

function synthesizedKeys(out: string, stack: string): string[] {
  const json = readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8');
  expect(json).not.toContain(root);
  const config = JSON.parse(json) as Config;
  const blocks = Object.values(config.resource).flatMap((byName) => Object.values(byName));
  // The identity and the roles block iterate the same locals value, which holds the entries.
  expect(blocks).toHaveLength(2);
  expect(blocks[1]?.for_each).toBe(blocks[0]?.for_each);
  const local = /^\$\{local\.(\w+)\}$/.exec(blocks[0]?.for_each ?? '')?.[1] ?? '';
  return Object.keys(config.locals[local] ?? {}).sort();
}

describe('examples', () => {
  const outs: string[] = [];
  afterAll(() => outs.forEach((out) => rmSync(out, { recursive: true, force: true })));

  it.each([
    ['atlas', 'atlas-invitations', 'atlas'],
    ['ops-manager', 'ops-manager-invitations', 'ops.example.com:8443'],
  ])(
    'examples/%s synthesizes with `npx cdktf synth`',
    (dir, stack, target) => {
      const out = synth(join(root, 'examples', dir));
      outs.push(out);
      expect(synthesizedKeys(out, stack)).toEqual(
        declaredKeys(join(root, 'examples', dir, 'invitations.json'), target),
      );
    },
    120_000,
  );

  it('the top-level cdktf.json synthesizes every example', () => {
    const out = synth(root);
    outs.push(out);
    expect(synthesizedKeys(out, 'atlas-invitations')).toHaveLength(3);
    expect(synthesizedKeys(out, 'ops-manager-invitations')).toHaveLength(2);
  }, 120_000);
});
