// plan-summary with real Terraform and the bundled CLI: a plan of the two stack-wide blocks that adds one
// person, removes one and changes one's roles is summarised exactly (markdown and --json), piped in as a
// pull-request job would; every committed plan under test/unit/cli/plan-summary/plans is still what Terraform
// writes; hostile input is refused with exit 2 by the bin itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MAX_PLAN_BYTES } from '../../lib/cli/plan-summary/read-plan';
import { PLANS_DIR, planScenario } from '../unit/cli/plan-summary/generate';
import { GROUP, SCENARIOS } from '../unit/cli/plan-summary/scenarios';
import { haveTerraform } from '../helpers/terraform';

const have = haveTerraform();
const itIf = have ? it : it.skip;
if (!have) console.warn('test/e2e/plan-summary.test.ts: skipped, no working `terraform` on PATH.');

const bundle = join(resolve(__dirname, '..', '..'), 'dist', 'mongodb-invitations.cjs');
const ATLAS = { target: 'atlas', baseUrl: 'https://cloud.mongodb.com', groupId: GROUP };

/** The built bin, with `input` on its stdin. */
function planSummary(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bundle, 'plan-summary', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!have && process.env.CI === 'true') throw new Error('terraform is required under CI=true');
  if (!existsSync(bundle))
    throw new Error('dist/mongodb-invitations.cjs is missing: run "npm run build" first');
});

describe('plan-summary, with real Terraform', () => {
  itIf('summarises a plan that adds one person, removes one and changes one’s roles, exactly', () => {
    const scenario = SCENARIOS.find((s) => s.name === 'add-remove-roles')!;
    const plan = planScenario(scenario);

    const markdown = planSummary(['-'], plan);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe(
      [
        '### MongoDB invitations',
        '',
        '1 to invite, 1 role change, 1 to cancel.',
        '',
        `#### Project ${GROUP} on atlas (https://cloud.mongodb.com)`,
        '',
        '| Change | Who | Roles |',
        '| --- | --- | --- |',
        '| invite | dee@example.com | GROUP_READ_ONLY |',
        '| change roles | cy@example.com | GROUP_READ_ONLY → GROUP_OWNER, GROUP_READ_ONLY |',
        '| cancel | ana@example.com | GROUP_READ_ONLY |',
        '',
      ].join('\n'),
    );
    expect(markdown.stderr).toBe('✔ plan-summary: 1 to invite, 1 role change, 1 to cancel\n');

    const json = planSummary(['--json', '-'], plan);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      invite: [{ ...ATLAS, username: 'dee@example.com', roles: ['GROUP_READ_ONLY'], reason: 'new' }],
      cancel: [{ ...ATLAS, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'], removeAccepted: false }],
      roles: [
        {
          ...ATLAS,
          username: 'cy@example.com',
          from: ['GROUP_READ_ONLY'],
          to: ['GROUP_OWNER', 'GROUP_READ_ONLY'],
        },
      ],
      adopt: [],
      unadopt: [],
    });
  });

  itIf.each(SCENARIOS.map((s) => s.name))(
    'summarises the %s plan Terraform writes today as the committed one',
    (name) => {
      const scenario = SCENARIOS.find((s) => s.name === name)!;
      const fresh = planSummary(['--json', '-'], planScenario(scenario));
      const committed = planSummary(['--json', join(PLANS_DIR, name, 'plan.json')]);
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toBe(committed.stdout);
    },
  );
});

describe('plan-summary, the bin refusing hostile input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-summary-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['not JSON', 'Plan: 1 to add, 0 to change, 1 to destroy.', /is not JSON/],
    [
      'another tool’s JSON',
      '{"version":4,"serial":1,"lineage":"x","resources":[]}',
      /is a Terraform state file/,
    ],
    [
      'duplicate keys',
      readFileSync(join(PLANS_DIR, 'add-remove-roles', 'plan.json'), 'utf8').replace(
        /"username":"ana@example\.com"/,
        '"username":"bo@example.com","username":"ana@example.com"',
      ),
      /has the key "username" twice/,
    ],
  ])('exits 2 for %s on stdin, with one line and nothing on stdout', (_what, input, message) => {
    const result = planSummary(['-'], input);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 for a file over the size cap', () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, MAX_PLAN_BYTES + 1);
    const result = planSummary([path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is larger than 256 MiB: refused/);
  });
});
