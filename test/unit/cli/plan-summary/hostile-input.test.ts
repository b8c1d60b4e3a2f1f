// plan-summary refuses what is not a Terraform JSON plan (exit 2, one line saying what is wrong and what
// to do, nothing on stdout), and never lets text from the plan drive a terminal or a markdown renderer.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../../../lib/cli/run';
import { MAX_PLAN_BYTES, readPlanBytes } from '../../../../lib/cli/plan-summary/read-plan';
import { captureIo } from '../../../helpers/io';

const PLANS = join(__dirname, 'plans');
const realPlanText = (name = 'add-remove-roles') => readFileSync(join(PLANS, name, 'plan.json'), 'utf8');
type Plan = { resource_changes: Record<string, unknown>[] } & Record<string, unknown>;
const realPlan = (name?: string) => JSON.parse(realPlanText(name)) as Plan;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-summary-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function fileWith(content: string | Buffer): string {
  const path = join(dir, `input-${files++}.json`);
  writeFileSync(path, content);
  return path;
}

async function summarise(content: string | Buffer, ...flags: string[]) {
  const c = captureIo();
  const code = await run(['plan-summary', fileWith(content), ...flags], {}, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

async function expectRefused(content: string | Buffer, message: RegExp) {
  const result = await summarise(content);
  expect(result).toMatchObject({ code: 2, stdout: '' });
  expect(result.stderr.split('\n')).toHaveLength(2); // one line
  expect(result.stderr).toMatch(/^✖ plan-summary: /);
  expect(result.stderr).toMatch(message);
  const json = await summarise(content, '--json');
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout)).toMatchObject({ command: 'plan-summary', outcome: 'error', exitCode: 2 });
}

describe('plan-summary input', () => {
  it.each([
    [
      'text that is not JSON',
      'Terraform will perform the following actions:',
      /is not JSON; pass the output of "terraform show -json plan\.out"/,
    ],
    ['an empty file', '', /is empty/],
    ['truncated JSON', realPlanText().slice(0, 500), /is not JSON/],
    ['a JSON array', '[]', /is JSON array, not a Terraform plan/],
    ['JSON null', 'null', /is JSON null, not a Terraform plan/],
    ['another tool’s JSON', '{"name":"x","version":"1.0.0","dependencies":{}}', /is JSON of another kind/],
    [
      'a state file',
      '{"version":4,"terraform_version":"1.11.4","serial":3,"lineage":"abc","outputs":{},"resources":[]}',
      /is a Terraform state file, not a Terraform plan/,
    ],
    [
      'shown state',
      '{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}',
      /is Terraform state \("terraform show -json" without a plan file\)/,
    ],
    [
      'a configuration such as cdk.tf.json',
      readFileSync(join(PLANS, 'blocks.tf.json'), 'utf8'),
      /is a Terraform configuration .*run "terraform plan -out plan\.out"/,
    ],
    [
      'a plan format this version does not read',
      '{"format_version":"2.0","planned_values":{},"resource_changes":[]}',
      /format_version "2\.0"; this version reads 1\.x/,
    ],
    [
      'resource_changes that is not a list',
      '{"format_version":"1.2","planned_values":{},"resource_changes":{}}',
      /resource_changes is not an array/,
    ],
  ])('refuses %s with exit 2', async (_what, content, message) => {
    await expectRefused(content, message);
  });

  it('refuses the binary plan file, pointing to terraform show -json', async () => {
    await expectRefused(Buffer.from('PK\u0003\u0004tfplan'), /is a binary plan file, not its JSON/);
  });

  it('refuses UTF-16 text (what PowerShell’s > writes) with how to write UTF-8', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(realPlanText(), 'utf16le')]);
    await expectRefused(utf16, /is UTF-16 text .*Out-File -Encoding utf8/);
  });

  it('reads a plan that starts with a UTF-8 byte order mark', async () => {
    const result = await summarise(`\ufeff${realPlanText()}`);
    expect(result.code).toBe(0);
  });

  it('refuses a file over the size cap from its size, before reading it', async () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, MAX_PLAN_BYTES + 1); // sparse: nothing is written, nothing could be read in time
    const c = captureIo();
    const started = Date.now();
    await expect(run(['plan-summary', path], {}, c.io)).resolves.toBe(2);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(c.stderr()).toMatch(/is larger than 256 MiB: refused/);
  });

  it('stops reading stdin as soon as it passes the cap', async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += 1024;
        yield Buffer.alloc(1024, 0x20);
      }
    }
    await expect(readPlanBytes({ kind: 'stdin', stream: endless() }, 10 * 1024)).rejects.toThrow(
      /^plan-summary: stdin is larger than 10240 bytes: refused/,
    );
    expect(produced).toBeLessThanOrEqual(11 * 1024);
  });

  it('refuses a plan that holds a key twice, naming the key and where', async () => {
    const text = realPlanText().replace(
      /"username":"ana@example\.com"/,
      '"username":"ana@example.com","username":"mallory@example.com"',
    );
    expect(JSON.parse(text)).toBeDefined(); // JSON.parse alone would take it
    await expectRefused(text, /has the key "username" twice in one object \([a-z_]+[.[]/);
  });

  it('refuses a missing file, a directory, no plan and two plans with exit 2', async () => {
    for (const args of [[join(dir, 'nope.json')], [dir], [], ['a.json', 'b.json'], ['a.json', '--yes']]) {
      const c = captureIo();
      await expect(run(['plan-summary', ...args], {}, c.io)).resolves.toBe(2);
      expect(c.stderr()).toMatch(
        /^✖ plan-summary: .*(does not exist|is a directory|no plan|one plan|Unknown option)/,
      );
    }
  });

  it('refuses to wait on a terminal for stdin, and a missing stdin', async () => {
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    for (const stdin of [tty, undefined]) {
      const c = captureIo();
      await expect(run(['plan-summary', '-'], {}, { ...c.io, stdin })).resolves.toBe(2);
      expect(c.stderr()).toMatch(/^✖ plan-summary: (stdin is a terminal; pipe the plan in|no stdin)/);
    }
  });

  it('refuses one of this library’s instances whose change is malformed, naming its address', async () => {
    const plan = realPlan();
    const item = plan.resource_changes.find((r) => r.name === 'mongodb_invitation_roles')!;
    (item.change as Record<string, unknown>).actions = 'create';
    await expectRefused(
      JSON.stringify(plan),
      /terraform_data\.mongodb_invitation_roles\[".*"\]: change\.actions is not a list of Terraform actions/,
    );
    const other = realPlan();
    const identity = other.resource_changes.find((r) => r.name === 'mongodb_invitations')!;
    const before = (identity.change as { before: { triggers_replace: Record<string, unknown> } }).before;
    before.triggers_replace.username = 42;
    await expectRefused(JSON.stringify(other), /change\.before\.triggers_replace\.username is not a string/);
  });

  it('ignores every other resource, whatever its shape, and copies of the blocks inside modules', async () => {
    const plan = realPlan();
    const [first] = plan.resource_changes;
    plan.resource_changes.push(
      { address: 'aws_s3_bucket.x', mode: 'managed', type: 'aws_s3_bucket', name: 'x', change: 'garbage' },
      { ...first, address: `module.m.${String(first?.address)}`, module_address: 'module.m', change: {} },
      { ...first, mode: 'data', change: null },
    );
    const result = await summarise(JSON.stringify(plan), '--json');
    expect(result.code).toBe(0);
    const expected = await summarise(realPlanText(), '--json');
    expect(result.stdout).toBe(expected.stdout);
  });

  it('shows control characters of plan values escaped, and escapes | and backticks in cells', async () => {
    const hostile = 'ana\u001b[2J|`x`\u009b\r\n✔ done@example.com';
    const plan = realPlan();
    for (const r of plan.resource_changes) {
      const change = r.change as { before: { triggers_replace: Record<string, string> } | null };
      const values = change.before?.triggers_replace;
      if (values?.username === 'ana@example.com') values.username = hostile;
    }
    const text = JSON.stringify(plan);
    const markdown = await summarise(text);
    expect(markdown.code).toBe(0);
    const row = markdown.stdout.split('\n').find((l) => l.startsWith('| cancel |'));
    expect(row).toBe(
      '| cancel | ana\\u001b\\[2J\\|\\`x\\`\\u009b\\u000d\\u000a✔ done@example.com | GROUP_READ_ONLY |',
    );
    // eslint-disable-next-line no-control-regex
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
    expect(markdown.stdout).not.toMatch(raw);
    expect(markdown.stderr).not.toMatch(raw);
    const json = await summarise(text, '--json');
    expect(json.stdout).not.toMatch(raw);
    expect((JSON.parse(json.stdout) as { cancel: { username: string }[] }).cancel[0]?.username).toBe(hostile);
  });

  it('warns of what it does not summarise: an incomplete plan, a forgotten instance, a deposed object', async () => {
    const plan = realPlan('no-change');
    plan.complete = false;
    const identity = plan.resource_changes.find((r) => r.name === 'mongodb_invitations')!;
    (identity.change as Record<string, unknown>).actions = ['forget'];
    plan.resource_changes.push({ ...identity, deposed: 'abcd1234', change: { actions: ['delete'] } });
    const result = await summarise(JSON.stringify(plan));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No change to MongoDB invitations in this plan.\n');
    const address = String(identity.address);
    const [incomplete, ...rest] = result.stderr.split('\n');
    expect(incomplete).toMatch(/^⚠ plan-summary: the plan \S+input-\d+\.json is not complete \(-target/);
    expect(rest).toEqual([
      `⚠ plan-summary: ${address} has a deposed object (left by a failed replacement); it is not summarised`,
      `⚠ plan-summary: ${address} leaves the state without being destroyed: its revoke does not run`,
      '✔ plan-summary: no change to MongoDB invitations',
      '',
    ]);
  });

  it('never prints a value the plan marks sensitive', async () => {
    const plan = realPlan();
    for (const r of plan.resource_changes) {
      const change = r.change as Record<string, unknown>;
      change.before_sensitive = { triggers_replace: { username: true } };
    }
    const result = await summarise(JSON.stringify(plan), '--json');
    const summary = JSON.parse(result.stdout) as { cancel: { username: string }[] };
    expect(summary.cancel[0]?.username).toBe('(sensitive)');
    expect(result.stdout).not.toContain('ana@example.com');
  });

  it('reads the null_resource blocks (everything in triggers) like the terraform_data ones', async () => {
    const plan = realPlan();
    for (const r of plan.resource_changes) {
      r.type = 'null_resource';
      r.address = String(r.address).replace(/^terraform_data/, 'null_resource');
      const change = r.change as Record<string, Record<string, unknown> | null>;
      for (const side of ['before', 'after'] as const) {
        const values = change[side];
        if (values)
          change[side] = {
            id: 'x',
            triggers: { ...(values.input as object), ...(values.triggers_replace as object) },
          };
      }
    }
    const result = await summarise(JSON.stringify(plan), '--json');
    const expected = await summarise(realPlanText(), '--json');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected.stdout);
  });
});
