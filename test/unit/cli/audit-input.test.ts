// #11 - what `audit` refuses before sending anything (exit 2): bad usage, missing or invalid stack files,
// and crafted cdk.tf.json entries (base URLs, ids, variable names, templates, keys, sizes). The usage text
// names every flag the parser accepts.
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { parseAuditFlags } from '../../../lib/cli/audit/command';
import { MAX_FILE_BYTES } from '../../../lib/cli/audit/read-stacks';
import { commandHelp, HELP } from '../../../lib/cli/help';
import type { Sandbox } from '../../../lib/sandbox/server';
import { audit, AuditApp, objectId, startSandbox } from './audit-fixture';

let sandbox: Sandbox;
let app: AuditApp;
let groupId: string;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.stop());
beforeEach(() => {
  app = new AuditApp(sandbox);
  groupId = objectId();
  app.synth({
    main: [{ invitations: [{ groupId, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] }] }],
  });
});
afterEach(() => app.cleanup());

const file = () => join(app.stackDir('main'), 'cdk.tf.json');
// The entries live in `locals.mongodb_invitations` (the block's for_each names it), each one string
// "<target> <base_url> <group_id> <invitation_id> <username> <roles> <profile>", the profile (the
// settings) in `locals.mongodb_invitations_profiles`. audit also reads the layout of one object of every key per entry.
type Doc = { locals: Record<string, unknown> };
const read = () => JSON.parse(readFileSync(file(), 'utf8')) as Doc;
const entriesIn = (doc: Doc) => (doc.locals['mongodb_invitations'] ?? {}) as Record<string, unknown>;
const theKey = () => Object.keys(entriesIn(read()))[0] as string;

/** Every value of an entry, whichever its layout. */
function valuesOf(doc: Doc, value: unknown): Record<string, string> {
  if (typeof value !== 'string') return value as Record<string, string>;
  const [target, base_url, group_id, invitation_id, username, roles, profile] = value.split(' ') as string[];
  const profiles = doc.locals['mongodb_invitations_profiles'] as Record<string, Record<string, string>>;
  return {
    ...profiles[profile as string],
    target,
    base_url,
    group_id,
    invitation_id,
    username,
    roles,
  } as Record<string, string>;
}

/** Rewrites the one entry of the stack as one object of every key (its key too, when given). */
function craft(change: (values: Record<string, string>) => void, key?: string): void {
  const doc = read();
  const [[oldKey, value]] = Object.entries(entriesIn(doc)) as [[string, unknown]];
  const values = valuesOf(doc, value);
  change(values);
  doc.locals['mongodb_invitations'] = { [key ?? oldKey]: values };
  writeFileSync(file(), JSON.stringify(doc));
}

/** Rewrites the one entry's text and the profiles, keeping the packed layout. */
function craftPacked(change: (doc: Doc, key: string) => void): void {
  const doc = read();
  change(doc, theKey());
  writeFileSync(file(), JSON.stringify(doc));
}

async function refused(args: string[] = []): Promise<string> {
  const mark = sandbox.log.length;
  const result = await audit(args, app.root);
  expect(sandbox.log.length).toBe(mark);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  return result.stderr;
}

describe('audit refuses, exit 2, nothing sent', () => {
  it('bad usage', async () => {
    expect(await refused(['--yes'])).toMatch(/--yes goes with --prune/);
    expect(await refused(['--prune', '--adopt', 'x.json'])).toMatch(/choose one/);
    expect(await refused(['--force'])).toMatch(/audit: Unknown option '--force'.*audit --help/);
    expect(await refused(['--group-id', 'x'])).toMatch(/--group-id must be 24 lowercase hex/);
    expect(await refused(['--target', 'atlas'])).toMatch(/--target and --base-url go with --group-id/);
    expect(await refused(['--merge'])).toMatch(/--merge goes with --adopt FILE/);
    expect(await refused(['--adopt', '-', '--merge'])).toMatch(/--merge goes with --adopt FILE/);
    expect(() => parseAuditFlags(['--adopt', '-', '--json'])).toThrow(/both write to stdout/);
    expect(await refused(['--adopt='])).toMatch(/--adopt needs a file name/);
  });

  it('no stacks, a missing directory, a directory without cdk.tf.json', async () => {
    app.cleanup();
    mkdirSync(join(app.root, 'empty'), { recursive: true });
    expect(await refused()).toMatch(/no cdktf\.out\/stacks directory here: run "cdktf synth" first/);
    expect(await refused(['nope'])).toMatch(/"nope" does not exist/);
    expect(await refused(['empty'])).toMatch(/"empty" holds no cdk\.tf\.json/);
  });

  it('a cdk.tf.json that is not valid JSON, or not an object', async () => {
    writeFileSync(file(), '{"resource": ');
    expect(await refused()).toMatch(/cdk\.tf\.json is not valid JSON/);
    writeFileSync(file(), '[]');
    expect(await refused()).toMatch(/is not a Terraform JSON configuration object/);
    writeFileSync(
      file(),
      JSON.stringify({ resource: { terraform_data: { mongodb_invitations: { for_each: '${var.x}' } } } }),
    );
    expect(await refused()).toMatch(/has no for_each map of entries/);
  });

  it('a named stack without this library’s block (and a default run where no stack has one)', async () => {
    writeFileSync(file(), JSON.stringify({ resource: { terraform_data: { other: {} } } }));
    expect(await refused([app.stackDir('main')])).toMatch(
      /holds no terraform_data\.mongodb_invitations or null_resource/,
    );
    expect(await refused()).toMatch(/no stack in cdktf\.out\/stacks holds a ProjectInvitations block/);
  });

  it('a file larger than the cap', async () => {
    const fd = openSync(file(), 'r+');
    ftruncateSync(fd, MAX_FILE_BYTES + 1);
    closeSync(fd);
    expect(await refused()).toMatch(/larger than 64 MiB: refused/);
  });

  it.each<[string, (v: Record<string, string>) => void, RegExp]>([
    [
      'a plain-http base URL that is not loopback',
      (v) => (v.base_url = 'http://evil.example.com'),
      /base_url must use https/,
    ],
    [
      'a base URL with user info',
      (v) => (v.base_url = 'https://u:p@evil.example.com'),
      /must not carry a user name or password/,
    ],
    [
      'a base URL with a query',
      (v) => (v.base_url = 'https://evil.example.com/?x=1'),
      /must not carry a query string/,
    ],
    ['a value that is a Terraform template', (v) => (v.public_key_env = '${var.key}'), /not a literal value/],
    [
      'a secret where a variable name goes',
      (v) => (v.private_key_env = 'not a name!'),
      /must be the NAME of an environment variable/,
    ],
    ['a bad project id', (v) => (v.group_id = 'abc'), /group_id must be 24 lowercase hex characters/],
    [
      'a bad username',
      (v) => (v.username = 'ana\r\n@example.com'),
      /username must not contain control characters/,
    ],
    ['bad roles', (v) => (v.roles = 'read only'), /roles must be role names/],
    ['an unknown target', (v) => (v.target = 'mongo'), /target must be atlas or ops-manager/],
    [
      'both a username and an invitation id',
      (v) => (v.invitation_id = 'a'.repeat(24)),
      /exactly one of username and invitation_id/,
    ],
    ['an unknown key', (v) => (v.command = 'rm -rf /'), /unknown key "command"/],
    [
      'a value that is not a string',
      (v) => ((v as Record<string, unknown>).roles = ['GROUP_OWNER']),
      /roles must be a string/,
    ],
    [
      'half a credential pair',
      (v) => (v.private_key_env = ''),
      /public_key_env is set but private_key_env is not: set both, or neither/,
    ],
    ['a bad setting', (v) => (v.timeout_ms = '-1'), /timeout_ms must be a whole number/],
    [
      'a relative token cache',
      (v) => (v.token_cache = 'cache'),
      /token_cache must be an absolute directory path/,
    ],
  ])('an entry with %s, naming the file and the entry', async (_what, change, message) => {
    craft(change);
    const stderr = await refused();
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(
      /refused, nothing was sent: cdktf\.out\/stacks\/main\/cdk\.tf\.json: terraform_data\.mongodb_invitations\[/,
    );
  });

  it('a packed entry whose profile holds a bad value, naming the file and the entry', async () => {
    craftPacked((doc) => {
      const profiles = doc.locals['mongodb_invitations_profiles'] as Record<string, Record<string, string>>;
      (profiles['0'] as Record<string, string>).api = 'graphql';
    });
    const stderr = await refused();
    expect(stderr).toMatch(/api must be cloud-users or invites/);
    expect(stderr).toMatch(/cdk\.tf\.json: terraform_data\.mongodb_invitations\[/);
  });

  it('a packed entry whose text holds a bad base URL, naming the file and the entry', async () => {
    craftPacked((doc, key) => {
      const entries = doc.locals['mongodb_invitations'] as Record<string, string>;
      const fields = (entries[key] as string).split(' ');
      fields[1] = 'https://u:p@evil.example.com';
      entries[key] = fields.join(' ');
    });
    const stderr = await refused();
    expect(stderr).toMatch(/must not carry a user name or password/);
    expect(stderr).toMatch(/cdk\.tf\.json: terraform_data\.mongodb_invitations\[/);
  });

  it.each([
    ['too few fields', (text: string) => text.split(' ').slice(0, 4).join(' ')],
    ['a profile that is not there', (text: string) => `${text.slice(0, -1)}9`],
  ])('a packed entry with %s, naming the file and the entry', async (_what, change) => {
    craftPacked((doc, key) => {
      const entries = doc.locals['mongodb_invitations'] as Record<string, string>;
      entries[key] = change(entries[key] as string);
    });
    const stderr = await refused();
    expect(stderr).toMatch(/cdk\.tf\.json/);
    expect(stderr).toMatch(
      /the entry "[^"]+\/ana@example\.com" of terraform_data\.mongodb_invitations cannot be read/,
    );
  });

  it('a packed entry with a space in a profile value is read as the value it holds', async () => {
    craftPacked((doc) => {
      const profiles = doc.locals['mongodb_invitations_profiles'] as Record<string, Record<string, string>>;
      (profiles['0'] as Record<string, string>).token_cache = 'a relative path';
    });
    expect(await refused()).toMatch(/token_cache must be an absolute directory path/);
  });

  it('an entry whose key does not match its values (another base URL behind a harmless key)', async () => {
    craft((v) => (v.base_url = 'https://evil.example.com'), theKey());
    expect(await refused()).toMatch(
      /the key does not match the entry's values \(expected "evil\.example\.com\//,
    );
  });

  it('plain http elsewhere only with allow_insecure_http "true", as the construct allows it', async () => {
    const host = 'http://10.0.0.1:1';
    craft((v) => {
      v.base_url = host;
      v.allow_insecure_http = 'true';
      v.max_retries = '0';
      v.timeout_ms = '200';
    }, `10.0.0.1:1/${groupId}/ana@example.com`);
    const result = await audit(['--json'], app.root);
    expect(result.code).toBe(1); // accepted, then the request fails: nothing listens there
    expect(result.stderr).toMatch(/is plain http \(allowed with --allow-insecure-http\)/);
  });
});

describe('audit --help', () => {
  const text = commandHelp('audit');

  it('prints its own usage, exit 0, and HELP lists the command', async () => {
    const result = await audit(['--exit-code', '--help'], app.root);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(text);
    expect(text).toMatch(/^Usage: mongodb-invitations audit /);
    expect(HELP).toMatch(/^ {2}audit /m);
    expect(HELP).toMatch(/^ {2}3 {2}audit --exit-code/m);
  });

  it('names every flag the parser accepts, and keeps lines within 100 characters', () => {
    const candidates = [
      'json',
      'exit-code',
      'adopt',
      'merge',
      'prune',
      'yes',
      'debug',
      'help',
      'target',
      'base-url',
      'group-id',
      'force',
      'dry-run',
      'quiet',
      'verbose',
    ];
    const accepted = candidates.filter((f) => {
      try {
        parseAuditFlags([`--${f}=x`]);
      } catch (err) {
        return !(err as Error).message.includes(`Unknown option '--${f}'`);
      }
      return true;
    });
    expect(accepted.sort()).toEqual([
      'adopt',
      'base-url',
      'debug',
      'exit-code',
      'group-id',
      'help',
      'json',
      'merge',
      'prune',
      'target',
      'yes',
    ]);
    for (const f of accepted) expect(text).toContain(`--${f}`);
    expect(text.split('\n').filter((l) => l.length > 100)).toEqual([]);
    expect(HELP.split('\n').filter((l) => l.length > 100)).toEqual([]);
  });
});
