// plan-summary against plans real Terraform wrote (plans/<scenario>/plan.json, from generate.ts): what each
// plan does to people, as markdown and as --json, exactly.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { run } from '../../../../lib/cli/run';
import { captureIo } from '../../../helpers/io';
import { ADOPTED, ADOPTED_NEW, GROUP, OPS_URL, OTHER_GROUP } from './scenarios';

const PLANS = join(__dirname, 'plans');
const ATLAS = { target: 'atlas', baseUrl: 'https://cloud.mongodb.com', groupId: GROUP };
const planFile = (name: string) => join(PLANS, name, 'plan.json');

async function summary(name: string, ...flags: string[]) {
  const c = captureIo();
  const code = await run(['plan-summary', planFile(name), ...flags], {}, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

async function summaryJson(name: string) {
  const result = await summary(name, '--json');
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n')).toHaveLength(2); // one line, then the final line feed
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const NONE = { invite: [], cancel: [], roles: [], adopt: [], unadopt: [] };

describe('plan-summary', () => {
  it('summarises a plan that adds one person, removes one and changes one’s roles, as markdown', async () => {
    const result = await summary('add-remove-roles');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
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
    expect(result.stderr).toBe('✔ plan-summary: 1 to invite, 1 role change, 1 to cancel\n');
  });

  it('summarises the same plan as one JSON object with --json', async () => {
    await expect(summaryJson('add-remove-roles')).resolves.toEqual({
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

  it('reads the plan from stdin with -', async () => {
    const c = captureIo();
    const stdin = Readable.from([readFileSync(planFile('add-remove-roles'))]);
    await expect(run(['plan-summary', '-', '--json'], {}, { ...c.io, stdin })).resolves.toBe(0);
    expect((JSON.parse(c.stdout()) as { invite: unknown[] }).invite).toHaveLength(1);
  });

  it('reads a path relative to the working directory it is given', async () => {
    const c = captureIo();
    const io = { ...c.io, cwd: join(PLANS, 'add-remove-roles') };
    await expect(run(['plan-summary', 'plan.json', '--json'], {}, io)).resolves.toBe(0);
    expect((JSON.parse(c.stdout()) as { cancel: unknown[] }).cancel).toHaveLength(1);
  });

  it.each(['no-change', 'settings-only'])(
    'says in one line that the %s plan changes no invitation',
    async (name) => {
      const result = await summary(name);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('No change to MongoDB invitations in this plan.\n');
      expect(result.stderr).toBe('✔ plan-summary: no change to MongoDB invitations\n');
      await expect(summaryJson(name)).resolves.toEqual(NONE);
    },
  );

  it('names the members that are removed with removeAcceptedMembers', async () => {
    const result = await summary('remove-accepted');
    expect(result.stdout).toContain(
      '| cancel (and remove the member if accepted) | ana@example.com | GROUP_READ_ONLY |\n',
    );
    expect(result.stdout).not.toContain('bo@example.com');
    await expect(summaryJson('remove-accepted')).resolves.toEqual({
      ...NONE,
      cancel: [{ ...ATLAS, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'], removeAccepted: true }],
    });
  });

  it('lists adopted ids added and dropped, and no person', async () => {
    const result = await summary('adopt-unadopt');
    expect(result.stdout).toContain(`| adopt | invitation ${ADOPTED_NEW} |  |\n`);
    expect(result.stdout).toContain(`| cancel adopted | invitation ${ADOPTED} |  |\n`);
    expect(result.stdout).not.toContain('ana@example.com');
    await expect(summaryJson('adopt-unadopt')).resolves.toEqual({
      ...NONE,
      adopt: [{ ...ATLAS, invitationId: ADOPTED_NEW }],
      unadopt: [{ ...ATLAS, invitationId: ADOPTED }],
    });
  });

  it('reports a roles instance replaced with the same roles (-replace) as an invite again', async () => {
    const result = await summary('replace-by-request');
    expect(result.stdout).toContain('| invite again (-replace) | bo@example.com | GROUP_OWNER |\n');
    await expect(summaryJson('replace-by-request')).resolves.toEqual({
      ...NONE,
      invite: [{ ...ATLAS, username: 'bo@example.com', roles: ['GROUP_OWNER'], reason: 'requested' }],
    });
  });

  it('reports a tainted roles instance (its invite failed) as an invite again', async () => {
    const result = await summary('tainted');
    expect(result.stdout).toContain(
      '| invite again (the last invite failed) | ana@example.com | GROUP_READ_ONLY |\n',
    );
    expect(((await summaryJson('tainted')).invite as { reason: string }[])[0]?.reason).toBe('tainted');
  });

  it('reports a replaced identity instance as the cancel its revoke performs, with no invite after it', async () => {
    await expect(summaryJson('identity-replaced')).resolves.toEqual({
      ...NONE,
      cancel: [{ ...ATLAS, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'], removeAccepted: false }],
    });
  });

  it('groups the rows per target and project, Atlas first', async () => {
    const result = await summary('two-projects');
    const headings = result.stdout.split('\n').filter((l) => l.startsWith('#### '));
    expect(headings).toEqual([
      `#### Project ${OTHER_GROUP} on atlas (https://cloud.mongodb.com)`,
      `#### Project ${GROUP} on ops-manager (https://ops.example.com:8443)`,
    ]);
    const json = await summaryJson('two-projects');
    expect(json.invite).toEqual([
      { ...ATLAS, groupId: OTHER_GROUP, username: 'eve@example.com', roles: ['GROUP_OWNER'], reason: 'new' },
      {
        target: 'ops-manager',
        baseUrl: OPS_URL,
        groupId: GROUP,
        username: 'fay@example.com',
        roles: ['GROUP_READ_ONLY'],
        reason: 'new',
      },
    ]);
  });

  it('summarises a destroy plan as every invitation cancelled', async () => {
    await expect(summaryJson('destroy')).resolves.toEqual({
      ...NONE,
      cancel: [
        { ...ATLAS, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'], removeAccepted: false },
        { ...ATLAS, username: 'bo@example.com', roles: ['GROUP_OWNER'], removeAccepted: false },
      ],
      unadopt: [{ ...ATLAS, invitationId: ADOPTED }],
    });
  });

  it('shows roles Terraform only knows during the apply as such', async () => {
    const result = await summary('unknown-roles');
    expect(result.stdout).toContain('| invite | dee@example.com | (known after apply) |\n');
    expect(((await summaryJson('unknown-roles')).invite as { roles: string[] }[])[0]?.roles).toEqual([
      '(known after apply)',
    ]);
  });
});
