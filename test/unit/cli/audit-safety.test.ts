// `audit --prune` cancels only what no stack declares: base-URL spellings of one project, a named subset
// of the synth output, symlinked / unreadable / crafted stacks, people declared twice, and the --adopt
// file. Against the sandbox (and a scripted server that ignores pageNum), in-process.
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { Sandbox } from '../../../lib/sandbox/server';
import { scriptedServer, stopScripted } from '../../helpers/scripted-server';
import { audit, AuditApp, ENV, KEYS, kinds, objectId, startSandbox, type AuditRun } from './audit-fixture';

let sandbox: Sandbox;
let app: AuditApp;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await stopScripted();
  await sandbox.stop();
});
beforeEach(() => {
  app = new AuditApp(sandbox);
});
afterEach(() => app.cleanup());

const RO = ['GROUP_READ_ONLY'];
const person = (groupId: string, name: string) => ({ groupId, username: `${name}@example.com`, roles: RO });
const pendingNames = (groupId: string) =>
  sandbox
    .cloudUsers(groupId)
    .filter((u) => u.orgMembershipStatus === 'PENDING')
    .map((u) => u.username)
    .sort();
const cancelled = (r: AuditRun) =>
  r.json
    .filter((o) => o.prune === 'cancelled')
    .map((o) => o.username)
    .sort();
/** Env whose default variables hold the sandbox's key (what `--group-id` projects are read with). */
const DEFAULT_KEYS_ENV = {
  ...ENV,
  MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
  MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
  MCLI_PUBLIC_API_KEY: KEYS.publicKey,
  MCLI_PRIVATE_API_KEY: KEYS.privateKey,
};

/** ana in stack a, bo in stack b, both pending in one project, and eve pending, declared by nobody. */
function twoStacks(bBaseUrl?: string): string {
  const groupId = objectId();
  sandbox.seed(['ana', 'bo', 'eve'].map((n) => ({ ...person(groupId, n), api: 'cloud-users' as const })));
  app.synth({
    a: [{ invitations: [person(groupId, 'ana')] }],
    b: [{ invitations: [person(groupId, 'bo')], ...(bBaseUrl ? { baseUrl: bBaseUrl } : {}) }],
  });
  return groupId;
}

async function refusedPrune(args: string[] = []): Promise<string> {
  const mark = sandbox.log.length;
  const result = await audit(['--prune', '--yes', ...args], app.root);
  expect([result.code, result.stdout]).toEqual([2, '']);
  expect(sandbox.log.length).toBe(mark);
  return result.stderr;
}

describe('audit: a project is its id', () => {
  it('prunes nobody declared under another base URL spelling of the project, and warns', async () => {
    const port = new URL(sandbox.url).port;
    const groupId = twoStacks(`http://localhost:${port}`);
    const result = await audit(['--prune', '--yes', '--json', '--exit-code'], app.root);
    expect(result.code).toBe(0);
    expect(cancelled(result)).toEqual(['eve@example.com']);
    expect(kinds(result)).toEqual([
      'ok ana@example.com cloud-users',
      'ok bo@example.com cloud-users',
      'undeclared eve@example.com cloud-users',
    ]);
    expect(result.stderr).toContain(
      `project ${groupId} is reached through 2 base URLs (${sandbox.url}, http://localhost:${port})`,
    );
    expect(pendingNames(groupId)).toEqual(['ana@example.com', 'bo@example.com']);
  });
});

describe('audit: every stack of the synth output declares', () => {
  it('a named stack is pruned against its siblings: what stack b declares is never cancelled', async () => {
    const groupId = twoStacks();
    const result = await audit([app.stackDir('a'), '--prune', '--yes', '--json'], app.root);
    expect(result.code).toBe(0);
    expect(cancelled(result)).toEqual(['eve@example.com']);
    expect(pendingNames(groupId)).toEqual(['ana@example.com', 'bo@example.com']);
  });

  it('follows a symlinked stack directory', async () => {
    const groupId = twoStacks();
    const moved = join(app.root, 'elsewhere-b');
    renameSync(app.stackDir('b'), moved);
    symlinkSync(moved, app.stackDir('b'), 'dir');
    const result = await audit(['--prune', '--yes', '--json'], app.root);
    expect(result.code).toBe(0);
    expect(cancelled(result)).toEqual(['eve@example.com']);
    expect(pendingNames(groupId)).toEqual(['ana@example.com', 'bo@example.com']);
  });

  it('a stack directory without cdk.tf.json is skipped with a line; --prune is refused (exit 2)', async () => {
    const groupId = twoStacks();
    mkdirSync(app.stackDir('crashed'));
    expect(await refusedPrune()).toMatch(
      /skipped: cdktf\.out\/stacks\/crashed holds no cdk\.tf\.json[^]*--prune refused, nothing was sent: 1 stack skipped/,
    );
    expect(await refusedPrune([app.stackDir('a')])).toMatch(/--prune refused/);
    // Without --prune the rest is audited; --exit-code says the audit is not whole.
    const partial = await audit(['--json'], app.root);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/⚠ skipped: cdktf\.out\/stacks\/crashed holds no cdk\.tf\.json/);
    expect(partial.stderr).toMatch(/; 1 stack skipped, unreadable/);
    expect((await audit(['--exit-code'], app.root)).code).toBe(3);
    expect(pendingNames(groupId)).toHaveLength(3);
  });

  it('refuses --prune beside other Terraform files, or a cdk.tf.json that is not JSON', async () => {
    twoStacks();
    writeFileSync(join(app.stackDir('b'), 'extra.tf'), 'locals {}\n');
    expect(await refusedPrune()).toMatch(
      /skipped: cdktf\.out\/stacks\/b holds other Terraform files beside cdk\.tf\.json \(extra\.tf\)/,
    );
    renameSync(join(app.stackDir('b'), 'extra.tf'), join(app.stackDir('b'), 'extra.txt'));
    writeFileSync(join(app.stackDir('b'), 'cdk.tf.json'), '{"resource": ');
    expect(await refusedPrune()).toMatch(/skipped: cdktf\.out\/stacks\/b\/cdk\.tf\.json is not valid JSON/);
  });

  it('refuses --prune when a cdk.tf.json repeats a key (Terraform merges, JSON.parse keeps the last)', async () => {
    const groupId = twoStacks();
    const file = join(app.stackDir('b'), 'cdk.tf.json');
    const text = readFileSync(file, 'utf8');
    // The declaring block first, then a second "resource" key that JSON.parse would keep alone.
    writeFileSync(file, text.replace(/\}\s*$/, ', "resource": {"terraform_data": {"other": {}}}}'));
    expect(await refusedPrune()).toMatch(
      /skipped: cdktf\.out\/stacks\/b\/cdk\.tf\.json has the key resource twice/,
    );
    expect(pendingNames(groupId)).toHaveLength(3);
  });
});

describe('audit: declared more than once', () => {
  it('one duplicate finding naming every stack, never not-pending; --exit-code 3; never pruned', async () => {
    const groupId = objectId();
    sandbox.seed([{ ...person(groupId, 'bo'), api: 'cloud-users' }]);
    // Two apps writing into one synth output (one app would refuse this at synth).
    app.synth({ a: [{ invitations: [person(groupId, 'ana'), person(groupId, 'bo')] }] });
    app.synth({ b: [{ invitations: [person(groupId, 'ana'), person(groupId, 'bo')] }] });
    const result = await audit(['--json', '--exit-code', '--prune', '--yes'], app.root);
    expect(result.code).toBe(3);
    expect(kinds(result)).toEqual([
      'duplicate ana@example.com cloud-users',
      'duplicate bo@example.com cloud-users',
    ]);
    expect(result.json.find((o) => o.username === 'ana@example.com')).toMatchObject({ stacks: ['a', 'b'] });
    expect(cancelled(result)).toEqual([]);
    expect(pendingNames(groupId)).toEqual(['bo@example.com']);
    const human = await audit([], app.root);
    expect(human.stdout).toMatch(
      /^duplicate +\S+\/ana@example\.com .*declared 2 times, in stacks a, b: keep one/m,
    );
  });

  it('a stack named twice declares everything twice', async () => {
    const groupId = objectId();
    app.synth({ a: [{ invitations: [person(groupId, 'ana')] }] });
    const result = await audit([app.stackDir('a'), app.stackDir('a'), '--json'], app.root);
    expect(kinds(result)).toEqual(['duplicate ana@example.com cloud-users']);
    expect(result.json[0]?.stacks).toEqual(['a', 'a']);
  });
});

describe('audit: hints name the stack and the roles instance', () => {
  /** Adds the roles block beside the identity block, as the two-block layout writes it. */
  function addRolesBlock(stack: string, forEach = '${local.mongodb_invitations}'): void {
    const file = join(app.stackDir(stack), 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      resource: { terraform_data: Record<string, unknown> };
    };
    doc.resource.terraform_data.mongodb_invitation_roles = { for_each: forEach };
    writeFileSync(file, JSON.stringify(doc));
  }

  it('not-pending and roles-differ name terraform_data.mongodb_invitation_roles[…], shell-quoted', async () => {
    const groupId = objectId();
    sandbox.seed([{ ...person(groupId, 'bo'), roles: ['GROUP_OWNER'], api: 'cloud-users' }]);
    app.synth({ main: [{ invitations: [person(groupId, "o'neil"), person(groupId, 'bo')] }] });
    addRolesBlock('main');
    const host = new URL(sandbox.url).host;
    const result = await audit(['--json'], app.root);
    expect(result.json.map((o) => [o.finding, o.address]).sort()).toEqual([
      ['not-pending', `terraform_data.mongodb_invitation_roles["${host}/${groupId}/o'neil@example.com"]`],
      ['roles-differ', `terraform_data.mongodb_invitation_roles["${host}/${groupId}/bo@example.com"]`],
    ]);
    const human = await audit([], app.root);
    expect(human.stdout).toContain(
      `stack main  fix: terraform apply -replace='terraform_data.mongodb_invitation_roles["${host}/${groupId}/o'\\''neil@example.com"]'`,
    );
    expect(human.stdout).toMatch(
      /^roles-differ .*stack main {2}fix: terraform apply -replace='terraform_data\.mongodb_invitation_roles\[/m,
    );
  });

  it('a stack whose two blocks iterate different entries is unreadable', async () => {
    twoStacks();
    const file = join(app.stackDir('b'), 'cdk.tf.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { locals: Record<string, unknown> };
    doc.locals.other = {};
    writeFileSync(file, JSON.stringify(doc));
    addRolesBlock('b', '${local.other}');
    expect(await refusedPrune()).toMatch(
      /mongodb_invitations and terraform_data\.mongodb_invitation_roles iterate different entries/,
    );
    addRolesBlock('b', '${var.x}');
    expect(await refusedPrune()).toMatch(/mongodb_invitation_roles has no for_each map of entries/);
  });
});

describe('audit --adopt', () => {
  function undeclared(): string {
    const groupId = objectId();
    sandbox.seed([
      { ...person(groupId, 'eve'), api: 'cloud-users' },
      { ...person(groupId, 'ana'), api: 'cloud-users' },
    ]);
    app.synth({ main: [{ invitations: [person(groupId, 'ana')] }] });
    return groupId;
  }

  it('never replaces an existing FILE: exit 2, unchanged, nothing sent', async () => {
    undeclared();
    const file = join(app.root, 'invitations.json');
    writeFileSync(file, '[{"declared": "set"}]\n');
    const mark = sandbox.log.length;
    const result = await audit(['--adopt', 'invitations.json'], app.root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"invitations\.json" exists and is never replaced[^]*--merge/);
    expect(readFileSync(file, 'utf8')).toBe('[{"declared": "set"}]\n');
    expect(sandbox.log.length).toBe(mark);
  });

  it('--merge adds the undeclared entries and keeps every entry there: sorted, stable, no duplicates', async () => {
    const groupId = undeclared();
    const file = join(app.root, 'invitations.json');
    const kept = [
      { groupId, username: 'zed@example.com', roles: ['GROUP_OWNER'] },
      { groupId, invitationId: 'a'.repeat(24) },
      { groupId, username: 'EVE@example.com', roles: ['GROUP_OWNER'], note: 'kept as written' },
    ];
    writeFileSync(file, JSON.stringify(kept));
    const first = await audit(['--adopt', 'invitations.json', '--merge'], app.root);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/added 0 undeclared entries to "invitations\.json" \(3 kept\)/);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual([kept[1], kept[2], kept[0]]);
    // A person nobody lists yet is added; a second run changes nothing.
    sandbox.seed([{ ...person(groupId, 'cy'), api: 'invites' }]);
    await audit(['--adopt', 'invitations.json', '--merge'], app.root);
    const merged = readFileSync(file, 'utf8');
    expect(JSON.parse(merged)).toEqual([kept[1], person(groupId, 'cy'), kept[2], kept[0]]);
    await audit(['--adopt', 'invitations.json', '--merge'], app.root);
    expect(readFileSync(file, 'utf8')).toBe(merged);
  });

  it('--adopt - writes the JSON to stdout (finding lines go to stderr), and no file named -', async () => {
    const groupId = undeclared();
    const result = await audit(['--adopt', '-'], app.root);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([person(groupId, 'eve')]);
    expect(result.stderr).toMatch(/^undeclared +\S+\/eve@example\.com/m);
    expect(existsSync(join(app.root, '-'))).toBe(false);
  });
});

describe('audit --group-id', () => {
  /** A stack whose last ProjectInvitations was removed: synthesized, with no block. */
  function emptyStack(): void {
    const empty = new App({ outdir: app.outdir });
    new TerraformStack(empty, 'main');
    empty.synth();
  }

  it('finds what a removed construct left pending; --prune --yes cancels exactly that', async () => {
    const groupId = objectId();
    const other = objectId();
    sandbox.seed([
      { ...person(groupId, 'eve'), api: 'cloud-users' },
      { ...person(groupId, 'mal'), api: 'invites' },
      { ...person(other, 'ana'), api: 'cloud-users' },
    ]);
    emptyStack();
    const none = await audit([], app.root, DEFAULT_KEYS_ENV);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /nothing to audit \(what a removed construct left pending: audit --group-id ID\)/,
    );

    const args = ['--group-id', groupId, '--base-url', sandbox.url, '--json'];
    const found = await audit([...args, '--exit-code'], app.root, DEFAULT_KEYS_ENV);
    expect(found.code).toBe(3);
    expect(kinds(found)).toEqual([
      'undeclared eve@example.com cloud-users',
      'undeclared mal@example.com invites',
    ]);
    const pruned = await audit([...args, '--prune', '--yes'], app.root, DEFAULT_KEYS_ENV);
    expect(pruned.code).toBe(0);
    expect(cancelled(pruned)).toEqual(['eve@example.com', 'mal@example.com']);
    expect(pendingNames(groupId)).toEqual([]);
    expect(pendingNames(other)).toEqual(['ana@example.com']);
  });

  it('keeps what the stacks declare in that project, and reads Ops Manager with --target', async () => {
    const groupId = objectId();
    sandbox.seed(['ana', 'eve'].map((n) => ({ ...person(groupId, n), api: 'ops-manager' as const })));
    app.synth({ ops: [{ target: 'ops-manager', invitations: [person(groupId, 'ana')] }] });
    const args = ['--group-id', groupId, '--target', 'ops-manager', '--base-url', sandbox.url];
    const result = await audit([...args, '--json', '--prune', '--yes'], app.root, DEFAULT_KEYS_ENV);
    expect(result.code).toBe(0);
    expect(kinds(result)).toEqual([
      'ok ana@example.com ops-manager',
      'undeclared eve@example.com ops-manager',
    ]);
    expect(cancelled(result)).toEqual(['eve@example.com']);
    expect(sandbox.invitations('ops-manager', groupId).map((i) => i.username)).toEqual(['ana@example.com']);
  });
});

describe('audit against a server that ignores pageNum', () => {
  it('de-duplicates pages by id and stops at a page that adds nothing new', async () => {
    const groupId = objectId();
    const results = Array.from({ length: 499 }, (_, i) => ({
      id: i.toString(16).padStart(24, '0'),
      username: `p${i}@example.com`,
      roles: RO,
      orgMembershipStatus: 'PENDING',
    }));
    const server = await scriptedServer({
      [`GET /api/atlas/v2/groups/${groupId}/users`]: { status: 200, body: { results, totalCount: 100_000 } },
      [`GET /api/atlas/v2/groups/${groupId}/invites`]: { status: 200, body: [] },
    });
    app.synth({ main: [{ invitations: [person(objectId(), 'ana')] }] });
    const result = await audit(
      ['--group-id', groupId, '--base-url', server.url, '--json', '--prune'],
      app.root,
      DEFAULT_KEYS_ENV,
    );
    expect(result.code).toBe(0);
    expect(result.json.filter((o) => o.finding === 'undeclared')).toHaveLength(499);
    expect(result.json.filter((o) => o.prune === 'would-cancel')).toHaveLength(499);
    expect(server.seen.map((s) => s.path.split('?')[0])).toEqual([
      `/api/atlas/v2/groups/${groupId}/users`,
      `/api/atlas/v2/groups/${groupId}/users`,
      `/api/atlas/v2/groups/${groupId}/invites`,
    ]);
  });
});

describe('audit --prune --exit-code, as docs/audit.md says', () => {
  it('a dry run exits 0; --yes exits 3 only for what it left', async () => {
    const groupId = twoStacks();
    sandbox.expire(groupId, 'ana@example.com');
    expect((await audit(['--prune', '--exit-code'], app.root)).code).toBe(0);
    expect((await audit(['--prune', '--yes', '--exit-code'], app.root)).code).toBe(3); // ana: not-pending
    app.synth({ a: [{ invitations: [] }] });
    expect((await audit(['--prune', '--yes', '--exit-code'], app.root)).code).toBe(0);
    const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'audit.md'), 'utf8');
    const row = docs.split('\n').find((l) => l.startsWith('| 3 |')) ?? '';
    expect(row).toMatch(/`--prune` without `--yes` .*exits 0/);
    expect(row).toMatch(/after `--prune --yes`( or `--reinvite --yes`)?, the ones it settled do not count/);
    expect(row).toMatch(/duplicate/);
  });
});
