// The sandbox-safety check: an Atlas target left at the default URL while MONGODB_ATLAS_BASE_URL names
// another server is warned about, on stderr (also when the app runs without `cdktf synth`) and as a synth
// annotation, so that a "sandbox test" never invites people on real Atlas unnoticed.
import { App, TerraformStack } from 'cdktf';
import { warnIfBaseUrlIgnored } from '../../../lib/construct/base-url-warning';
import { InvitationTarget, ProjectInvitations } from '../../../lib/index';

const G = '5f0c1a2b3c4d5e6f7a8b9c0d';
const entry = { groupId: G, username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] };

function capture() {
  const lines: string[] = [];
  return { lines, stderr: { write: (s: string) => lines.push(s) } };
}

const warningsOf = (team: ProjectInvitations) =>
  team.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));

describe('warnIfBaseUrlIgnored', () => {
  it('warns on stderr and as an annotation when the default Atlas URL meets a sandbox URL in the environment', () => {
    const stack = new TerraformStack(new App(), 'access');
    const io = capture();
    const env = { MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:8089/' };
    const message = warnIfBaseUrlIgnored(stack, 'atlas', 'https://cloud.mongodb.com', { env, ...io });
    expect(message).toContain('MONGODB_ATLAS_BASE_URL names http://127.0.0.1:8089');
    expect(message).toContain('InvitationTarget.atlas({ baseUrl: process.env.MONGODB_ATLAS_BASE_URL })');
    expect(io.lines).toEqual([`⚠ [access] ${message}\n`]);
    expect(stack.node.metadata.map((m) => [m.type, m.data])).toEqual([['@cdktf/warn', message]]);
  });

  it('writes one stderr line per URL however many constructs warn, and an annotation on each', () => {
    const io = capture();
    const env = { MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:8090' };
    const stack = new TerraformStack(new App(), 'access');
    const scopes = [new TerraformStack(new App(), 'a'), stack, new TerraformStack(new App(), 'b')];
    for (const scope of scopes)
      warnIfBaseUrlIgnored(scope, 'atlas', 'https://cloud.mongodb.com', { env, ...io });
    expect(io.lines).toHaveLength(1);
    expect(scopes.map((s) => s.node.metadata.length)).toEqual([1, 1, 1]);
    warnIfBaseUrlIgnored(stack, 'atlas', 'https://cloud.mongodb.com', {
      env: { MONGODB_ATLAS_BASE_URL: 'http://127.0.0.1:8091' },
      ...io,
    });
    expect(io.lines).toHaveLength(2);
  });

  it.each([
    ['the variable is unset', 'atlas', 'https://cloud.mongodb.com', undefined],
    ['the variable is empty', 'atlas', 'https://cloud.mongodb.com', ''],
    [
      'the variable names Atlas in another spelling',
      'atlas',
      'https://cloud.mongodb.com',
      'HTTPS://Cloud.MongoDB.com:443/',
    ],
    ['the app passes its own base URL', 'atlas', 'http://127.0.0.1:8092', 'http://127.0.0.1:8093'],
    ['the target is Ops Manager', 'ops-manager', 'https://cloud.mongodb.com', 'http://127.0.0.1:8094'],
  ] as const)('stays silent when %s', (_why, kind, baseUrl, named) => {
    const io = capture();
    const stack = new TerraformStack(new App(), 'access');
    const env = named === undefined ? {} : { MONGODB_ATLAS_BASE_URL: named };
    expect(warnIfBaseUrlIgnored(stack, kind, baseUrl, { env, ...io })).toBeUndefined();
    expect([io.lines, stack.node.metadata]).toEqual([[], []]);
  });
});

describe('ProjectInvitations and MONGODB_ATLAS_BASE_URL', () => {
  const previous = process.env.MONGODB_ATLAS_BASE_URL;
  afterEach(() => {
    if (previous === undefined) delete process.env.MONGODB_ATLAS_BASE_URL;
    else process.env.MONGODB_ATLAS_BASE_URL = previous;
    jest.restoreAllMocks();
  });

  it('warns when InvitationTarget.atlas() is left at the default while the variable names a sandbox', () => {
    process.env.MONGODB_ATLAS_BASE_URL = 'http://127.0.0.1:8095';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stack = new TerraformStack(new App(), 'access');
    const team = new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas(),
      invitations: [entry],
    });
    expect(warningsOf(team)).toEqual([expect.stringContaining('names http://127.0.0.1:8095')]);
    expect(write.mock.calls.map(([text]) => String(text))).toEqual([
      expect.stringMatching(/^⚠ \[access\/team\] the target is Atlas at https:\/\/cloud\.mongodb\.com, but/),
    ]);
  });

  it('says nothing when the app passes the variable as baseUrl', () => {
    process.env.MONGODB_ATLAS_BASE_URL = 'http://127.0.0.1:8096';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stack = new TerraformStack(new App(), 'access');
    const team = new ProjectInvitations(stack, 'team', {
      target: InvitationTarget.atlas({ baseUrl: process.env.MONGODB_ATLAS_BASE_URL }),
      invitations: [entry],
    });
    expect([warningsOf(team), write.mock.calls]).toEqual([[], []]);
  });
});
