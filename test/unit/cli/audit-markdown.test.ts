// `audit --format markdown`: the report a scheduled job puts in an issue. A heading, a one-line summary, a
// table per target and project of the findings that need something done; every cell escaped.
import { mkdirSync } from 'node:fs';
import type { Finding } from '../../../lib/cli/audit/compare';
import { AUDIT_HEADING, renderAuditMarkdown } from '../../../lib/cli/audit/markdown';
import type { Sandbox } from '../../../lib/sandbox/server';
import { audit, AuditApp, objectId, startSandbox } from './audit-fixture';

let sandbox: Sandbox;
let app: AuditApp;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  app = new AuditApp(sandbox);
});
afterEach(() => {
  sandbox.faults.clear();
  app.cleanup();
});

const RO = ['GROUP_READ_ONLY'];
const person = (groupId: string, name: string, roles = RO) => ({
  groupId,
  username: `${name}@example.com`,
  roles,
});
/** The cells of a table row, split on the `|` that are not escaped. */
const cellsOf = (row: string) =>
  row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());

describe('audit --format markdown', () => {
  it('in sync: the heading and "No differences", no table; exit 0 with --exit-code', async () => {
    const groupId = objectId();
    sandbox.seed([{ ...person(groupId, 'ana'), api: 'cloud-users' as const }]);
    app.synth({ a: [{ invitations: [person(groupId, 'ana')] }] });
    const result = await audit(['--format', 'markdown', '--exit-code'], app.root);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${AUDIT_HEADING}\n\nNo differences: 1 project, 1 declared entry: 0 undeclared, 0 not-pending, 0 roles-differ, 0 duplicate, 0 accepted, 1 ok.\n`,
    );
    expect(result.stderr).toMatch(/✔ audit: 1 project/);
  });

  it('a table per project of the findings, each saying what to do; exit 3 with --exit-code', async () => {
    const [groupId, other] = [objectId(), objectId()];
    sandbox.seed([
      { ...person(groupId, 'ana'), api: 'cloud-users' as const },
      { ...person(groupId, 'bo'), api: 'cloud-users' as const },
      { ...person(groupId, 'eve', ['GROUP_OWNER']), api: 'invites' as const },
      { ...person(other, 'cy', ['GROUP_OWNER']), api: 'cloud-users' as const },
      { ...person(other, 'dee'), api: 'cloud-users' as const },
    ]);
    sandbox.expire(groupId, 'bo@example.com');
    sandbox.accept(other, 'dee@example.com');
    app.synth({
      access: [
        {
          invitations: [
            person(groupId, 'ana'),
            person(groupId, 'bo'),
            person(other, 'cy'),
            person(other, 'dee'),
          ],
        },
      ],
    });
    const result = await audit(['--format', 'markdown', '--exit-code'], app.root);
    expect(result.code).toBe(3);
    const host = new URL(sandbox.url).host;
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      AUDIT_HEADING,
      '',
      '3 differences between code and server: 2 projects, 4 declared entries: 1 undeclared, 1 not-pending, 1 roles-differ, 0 duplicate, 1 accepted, 1 ok.',
    ]);
    const [first, second] = [groupId, other].sort();
    const headingOf = (g: string) => `#### Project ${g} on atlas (${sandbox.url})`;
    expect(lines.filter((l) => l.startsWith('####'))).toEqual([headingOf(first!), headingOf(second!)]);
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| ---')).map(cellsOf);
    const header = ['Finding', 'Who', 'Roles', 'API', 'Expires', 'What to do'];
    expect(rows.filter((r) => r[0] === 'Finding')).toEqual([header, header]);
    const byWho = Object.fromEntries(rows.filter((r) => r[0] !== 'Finding').map((r) => [r[1], r]));
    expect(Object.keys(byWho).sort()).toEqual(['bo@example.com', 'cy@example.com', 'eve@example.com']);
    expect(byWho['bo@example.com']).toEqual([
      'not-pending',
      'bo@example.com',
      'GROUP_READ_ONLY',
      'cloud-users',
      '',
      `in stack access: terraform apply -replace='terraform_data.mongodb_invitation_roles\\["${host}/${groupId}/bo@example.com"\\]', or audit --reinvite --yes`,
    ]);
    expect(byWho['cy@example.com']?.slice(0, 3)).toEqual([
      'roles-differ',
      'cy@example.com',
      'GROUP_OWNER (declared GROUP_READ_ONLY)',
    ]);
    expect(byWho['eve@example.com']?.[0]).toBe('undeclared');
    expect(byWho['eve@example.com']?.[3]).toMatch(/^invites [a-f0-9]{24}$/);
    expect(byWho['eve@example.com']?.[4]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byWho['eve@example.com']?.[5]).toBe(
      'declare it (audit --adopt FILE), or cancel it (audit --prune --yes)',
    );
    // The findings are the report: no finding lines beside it.
    expect(result.stdout).not.toMatch(/^(undeclared|not-pending) {2}/m);
  });

  it('names what was not audited: a stack skipped as unreadable, a project whose list failed', async () => {
    const groupId = objectId();
    app.synth({ a: [{ invitations: [person(groupId, 'ana')] }] });
    mkdirSync(app.stackDir('crashed'));
    sandbox.faults.add({ method: 'GET', kind: 'status', status: 500, times: 'always' });
    const result = await audit(['--format', 'markdown', '--exit-code'], app.root);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^No differences in what was read: 1 project/m);
    expect(result.stdout).toMatch(
      /\nNot audited:\n\n- stack skipped, unreadable: cdktf\.out\/stacks\/crashed holds no cdk\.tf\.json[^\n]*\n- project [a-f0-9]{24} at \S+ was not read: .*500/,
    );
  });

  it('refuses --json, --adopt - and an unknown format (exit 2, nothing sent)', async () => {
    app.synth({ a: [{ invitations: [person(objectId(), 'ana')] }] });
    const mark = sandbox.log.length;
    for (const [args, message] of [
      [['--format', 'markdown', '--json'], /--format markdown and --json both write the findings to stdout/],
      [['--format', 'markdown', '--adopt', '-'], /--format markdown and --adopt - both write to stdout/],
      [['--format', 'html'], /--format must be text or markdown \(value: "html"\)/],
    ] as const) {
      const result = await audit([...args], app.root);
      expect(result.code).toBe(2);
      expect(result.stdout).not.toContain(AUDIT_HEADING);
      expect(result.stderr).toMatch(message);
    }
    expect(sandbox.log.length).toBe(mark);
  });

  it('--format text is the default', async () => {
    const groupId = objectId();
    app.synth({ a: [{ invitations: [person(groupId, 'ana')] }] });
    const [text, plain] = await Promise.all([audit(['--format', 'text'], app.root), audit([], app.root)]);
    expect(text.stdout).toBe(plain.stdout);
    expect(text.stdout).toMatch(/^not-pending +\S+\/ana@example\.com/);
  });
});

describe('renderAuditMarkdown: values from the server are escaped', () => {
  const base = { target: 'atlas', baseUrl: 'https://cloud.mongodb.com', groupId: objectId() } as const;
  it('a `|`, backticks, markdown punctuation and control characters cannot break the table', () => {
    const hostile: Finding = {
      ...base,
      finding: 'undeclared',
      username: 'x|y`z`*[a](b)<i>@c\u0007\n| injected | row |',
      roles: ['GROUP_OWNER|X'],
      api: 'invites',
      invitationId: objectId(),
      expiresAt: '2030-01-01T00:00:00Z`',
    };
    const text = renderAuditMarkdown({
      projects: 1,
      entries: 0,
      findings: [hostile],
      notRead: [],
      skipped: [],
    });
    const rows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    const cells = cellsOf(rows[1] as string);
    expect(cells).toHaveLength(6);
    expect(cells[1]).toBe('x\\|y\\`z\\`\\*\\[a\\](b)\\<i\\>\\@c\\u0007\\u000a\\| injected \\| row \\|');
    expect(cells[2]).toBe('GROUP_OWNER\\|X');
    expect(cells[4]).toBe('2030-01-01T00:00:00Z\\`');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('"No differences" when nothing differs (accepted and ok are only counted)', () => {
    const accepted: Finding = {
      ...base,
      finding: 'accepted',
      username: 'a@example.com',
      roles: [],
      api: 'cloud-users',
    };
    expect(
      renderAuditMarkdown({ projects: 1, entries: 1, findings: [accepted], notRead: [], skipped: [] }),
    ).toBe(
      `${AUDIT_HEADING}\n\nNo differences: 1 project, 1 declared entry: 0 undeclared, 0 not-pending, 0 roles-differ, 0 duplicate, 1 accepted, 0 ok.\n`,
    );
  });
});
