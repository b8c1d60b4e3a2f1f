// The mission, proven with real Terraform: removing an invitation from the declared set revokes it.
// Each case synthesizes a cdktf App into its own temporary workspace, runs the real `terraform` binary
// (terraform_data needs no provider download), and asserts on the sandbox's request log and on
// `terraform state list`. The sandbox runs in this process, on one port for the whole file (the base URL is
// part of each invitation's identity). The revoke runs the bundled CLI, dist/mongodb-invitations.cjs
// (built by `npm run build`, which `npm test` runs first).
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import {
  InvalidProjectInvitationsError,
  InvitationTarget,
  ProjectInvitations,
  type ProjectInvitationsProps,
} from '../../lib/index';
import { terraformSuite } from '../helpers/e2e';
import type { RequestLogEntry } from '../../lib/sandbox/types';
import { expectSuccess, terraformEnv, TerraformWorkspace } from '../helpers/terraform';

/** The identity instances in state (the roles block holds the same keys while nothing failed). */
async function identities(list: Promise<string[]>): Promise<string[]> {
  return (await list).filter((address) => address.startsWith('terraform_data.mongodb_invitations['));
}

// Canary credentials: the sandbox accepts exactly these; they must never show up in configuration, state or
// Terraform's output (case 10 checks every workspace of this file).
const CANARY = {
  publicKey: 'canarypub',
  privateKey: 'CANARY-PRIVATE-KEY-7d1e0c55-2b8f',
  clientId: 'mdb_sa_id_canary0001',
  clientSecret: 'CANARY-CLIENT-SECRET-91af3c',
  accessToken: 'CANARY-ACCESS-TOKEN-55e0aa',
};
const SECRETS = [CANARY.privateKey, CANARY.clientSecret, CANARY.accessToken];
const MARKER = 'pwned-marker';
const repoRoot = resolve(__dirname, '..', '..');

function objectId(): string {
  return randomBytes(12).toString('hex');
}

const { itIf, sandbox, workspaces } = terraformSuite(__filename, {
  credentials: {
    apiKeys: [{ publicKey: CANARY.publicKey, privateKey: CANARY.privateKey }],
    serviceAccounts: [{ clientId: CANARY.clientId, clientSecret: CANARY.clientSecret }],
    accessTokens: [CANARY.accessToken],
  },
  tokenRateLimit: false,
});

/** The credentials' variables, under the names the construct is told about. */
function credentialsEnv(root: string, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = terraformEnv({
    E2E_PUBLIC: CANARY.publicKey,
    E2E_PRIVATE: CANARY.privateKey,
    E2E_CLIENT_ID: CANARY.clientId,
    E2E_CLIENT_SECRET: CANARY.clientSecret,
    XDG_CACHE_HOME: join(root, 'cache'),
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

interface Case {
  readonly ws: TerraformWorkspace;
  readonly groupId: string;
  readonly ids: string[];
  /** The construct's resource address, from the last synth. */
  address: string;
  /** The construct's keys, from the last synth. */
  keys: string[];
  env: Record<string, string | undefined>;
  declare(ids: string[], props?: Partial<ProjectInvitationsProps>, id?: string): void;
}

/** A workspace whose construct talks to the sandbox with Digest API keys (unless props say otherwise). */
function newCase(count: number, seed = true): Case {
  const groupId = objectId();
  const ids = Array.from({ length: count }, objectId);
  const c: Case = {
    ws: new TerraformWorkspace('e2e', () => credentialsEnv(c.ws.root, c.env)),
    groupId,
    ids,
    address: '',
    keys: [],
    env: {},
    declare(list, props = {}, id = 'team') {
      c.ws.synth((stack) => {
        const team = new ProjectInvitations(stack, id, {
          target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'digest' }),
          credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
          maxRetries: 1,
          invitations: list.map((invitationId) => ({ groupId, invitationId })),
          ...props,
        });
        c.address = team.address;
        c.keys = team.keys;
      });
    },
  };
  workspaces.push(c.ws);
  if (seed) {
    sandbox.seed(
      ids.map((id) => ({
        target: 'atlas' as const,
        groupId,
        id,
        username: `${id}@example.com`,
        roles: ['GROUP_READ_ONLY'],
      })),
    );
  }
  return c;
}

/** Requests the sandbox answered after `mark`. */
function since(mark: number): RequestLogEntry[] {
  return sandbox.log.slice(mark);
}

/** Authenticated DELETEs (a Digest client's first, unauthenticated round trip is not counted). */
function deletes(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => e.method === 'DELETE' && e.authScheme !== 'none');
}

function pending(groupId: string): string[] {
  return sandbox
    .invitations('atlas', groupId)
    .map((i) => i.id)
    .sort();
}

/** The resource instance address of an entry: `terraform_data.mongodb_invitations["<host>/<group>/<id>"]`. */
function keyOf(c: Case, id: string): string {
  return `terraform_data.mongodb_invitations["${new URL(sandbox.url).host}/${c.groupId}/${id}"]`;
}

/** Authenticated list requests of a project's invitations. */
function lists(entries: RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => e.method === 'GET' && e.authScheme !== 'none' && e.target !== 'oauth');
}

/** Cancels an invitation behind Terraform's back, as someone in the UI would. */
async function cancelOutOfBand(groupId: string, id: string): Promise<void> {
  const res = await fetch(`${sandbox.url}/api/atlas/v2/groups/${groupId}/invites/${id}`, {
    method: 'DELETE',
    headers: {
      authorization: `Bearer ${CANARY.accessToken}`,
      accept: 'application/vnd.atlas.2023-01-01+json',
    },
  });
  expect(res.status).toBe(204);
}

/** Declares `ids`, applies, and checks that nothing was sent. */
async function applyAll(c: Case, ids = c.ids, props: Partial<ProjectInvitationsProps> = {}): Promise<void> {
  c.declare(ids, props);
  expectSuccess(await c.ws.apply(), 'terraform apply');
}

/** Marker files anywhere under `roots`, or directly in `dirs` (where a stray shell would have run). */
function markerFiles(roots: string[], dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, deep: boolean): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry.startsWith(MARKER)) found.push(path);
      if (deep && statSync(path).isDirectory()) walk(path, deep);
    }
  };
  for (const root of roots) walk(root, true);
  for (const dir of dirs) walk(dir, false);
  return found;
}

describe('ProjectInvitations with real Terraform', () => {
  itIf(
    '1 - applying three adopted entries checks each is pending with one list request, and changes nothing',
    async () => {
      const c = newCase(3);
      const mark = sandbox.log.length;
      await applyAll(c);
      const authenticated = since(mark).filter((e) => e.authScheme !== 'none');
      expect(authenticated.map((e) => [e.method, e.path, e.status])).toEqual(
        c.ids.map(() => ['GET', `/api/atlas/v2/groups/${c.groupId}/invites`, 200]),
      );
      const state = await identities(c.ws.stateList());
      expect(state.sort()).toEqual(c.ids.map((id) => keyOf(c, id)).sort());
      expect(pending(c.groupId)).toEqual([...c.ids].sort());
    },
  );

  itIf('2 - removing one entry plans its destruction and revokes exactly that invitation', async () => {
    const c = newCase(3);
    await applyAll(c);
    const [a, removed, b] = c.ids as [string, string, string];
    c.declare([a, b]);
    const plan = await c.ws.plan();
    expectSuccess(plan, 'terraform plan');
    const destroyed = plan.stdout
      .split('\n')
      .filter((line) => line.includes('will be destroyed') && line.includes('mongodb_invitations['));
    expect(destroyed.map((line) => line.trim())).toEqual([`# ${keyOf(c, removed)} will be destroyed`]);
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 2 to destroy.');

    const mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply');
    const sent = deletes(since(mark));
    expect(sent.map((e) => [e.path, e.status])).toEqual([
      [`/api/atlas/v2/groups/${c.groupId}/invites/${removed}`, 204],
    ]);
    expect(sent[0]?.accept).toBe('application/vnd.atlas.2023-01-01+json');
    expect((await identities(c.ws.stateList())).sort()).toEqual([keyOf(c, a), keyOf(c, b)].sort());
    expect(pending(c.groupId)).toEqual([a, b].sort());
  });

  itIf('3 - a failed revoke fails the apply and keeps the instance; the next apply revokes it', async () => {
    const c = newCase(3);
    await applyAll(c);
    const [a, failing, b] = c.ids as [string, string, string];
    sandbox.faults.add({
      method: 'DELETE',
      invitationId: failing,
      kind: 'status',
      status: 500,
      times: 'always',
    });
    try {
      c.declare([a, b]);
      const mark = sandbox.log.length;
      const failed = await c.ws.apply();
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toMatch(/local-exec provisioner error/);
      expect(deletes(since(mark)).every((e) => e.invitationId === failing && e.status === 500)).toBe(true);
      expect(deletes(since(mark)).length).toBeGreaterThanOrEqual(2); // the first attempt and one retry
      expect(await identities(c.ws.stateList())).toContain(keyOf(c, failing));
      expect(pending(c.groupId)).toContain(failing);
    } finally {
      sandbox.faults.clear();
    }
    const mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply after the fault was cleared');
    expect(deletes(since(mark)).map((e) => [e.invitationId, e.status])).toEqual([[failing, 204]]);
    expect(await identities(c.ws.stateList())).not.toContain(keyOf(c, failing));
    expect(pending(c.groupId)).toEqual([a, b].sort());
  });

  itIf(
    '4 - an invitation already cancelled elsewhere is confirmed gone by a list, and the apply succeeds',
    async () => {
      const c = newCase(2);
      await applyAll(c);
      const [gone, kept] = c.ids as [string, string];
      await cancelOutOfBand(c.groupId, gone);
      c.declare([kept]);
      const mark = sandbox.log.length;
      const result = await c.ws.apply();
      expectSuccess(result, 'terraform apply');
      expect(deletes(since(mark)).map((e) => [e.invitationId, e.status])).toEqual([[gone, 404]]);
      expect(lists(since(mark)).map((e) => e.path)).toEqual([`/api/atlas/v2/groups/${c.groupId}/invites`]);
      expect(result.stdout).toMatch(/already gone/);
      expect(await identities(c.ws.stateList())).toEqual([keyOf(c, kept)]);
    },
  );

  itIf(
    '5 - changing only settings updates in place, sends nothing, and the new settings are used',
    async () => {
      const c = newCase(3);
      await applyAll(c, c.ids, { timeoutMs: 10_000 });
      const changed: Partial<ProjectInvitationsProps> = {
        timeoutMs: 20_000,
        maxRetries: 2,
        credentials: { publicKeyEnv: 'E2E_PUBLIC_RENAMED', privateKeyEnv: 'E2E_PRIVATE_RENAMED' },
      };
      c.declare(c.ids, changed);
      const plan = await c.ws.plan();
      expectSuccess(plan, 'terraform plan');
      expect(plan.stdout).toContain('Plan: 0 to add, 6 to change, 0 to destroy.');
      expect(plan.stdout.match(/will be updated in-place/g)).toHaveLength(6);
      expect(plan.stdout).not.toMatch(/must be replaced|will be destroyed/);

      let mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(), 'terraform apply');
      expect(since(mark)).toEqual([]);
      expect((await identities(c.ws.stateList())).sort()).toEqual(c.ids.map((id) => keyOf(c, id)).sort());

      // Only the renamed variables are set now: the revoke can only succeed by reading the updated input.
      c.env = {
        E2E_PUBLIC: undefined,
        E2E_PRIVATE: undefined,
        E2E_PUBLIC_RENAMED: CANARY.publicKey,
        E2E_PRIVATE_RENAMED: CANARY.privateKey,
      };
      const [removed, ...rest] = c.ids as [string, ...string[]];
      c.declare(rest, changed);
      mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(), 'terraform apply with renamed credentials');
      expect(deletes(since(mark)).map((e) => [e.invitationId, e.status])).toEqual([[removed, 204]]);
    },
  );

  itIf('6 - terraform destroy revokes every remaining invitation', async () => {
    const c = newCase(3);
    await applyAll(c);
    const mark = sandbox.log.length;
    expectSuccess(await c.ws.destroy(['-parallelism=3']), 'terraform destroy');
    const sent = deletes(since(mark));
    expect(sent.map((e) => e.invitationId).sort()).toEqual([...c.ids].sort());
    expect(sent.every((e) => e.status === 204)).toBe(true);
    expect(await identities(c.ws.stateList())).toEqual([]);
    expect(pending(c.groupId)).toEqual([]);
  });

  itIf(
    '7 - a service account checks and revokes 50 entries at -parallelism=10 with exactly one token',
    async () => {
      const c = newCase(50);
      const serviceAccount: Partial<ProjectInvitationsProps> = {
        target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'service-account' }),
        credentials: { clientIdEnv: 'E2E_CLIENT_ID', clientSecretEnv: 'E2E_CLIENT_SECRET' },
      };
      const tokensBefore = sandbox.tokensIssued;
      const start = sandbox.log.length;
      await applyAll(c, c.ids, serviceAccount);
      c.declare([], serviceAccount);
      const mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(['-parallelism=10']), 'terraform apply');
      const sent = deletes(since(mark));
      expect(sent).toHaveLength(50);
      expect(new Set(sent.map((e) => e.invitationId))).toEqual(new Set(c.ids));
      expect(sent.every((e) => e.status === 204 && e.authScheme === 'bearer')).toBe(true);
      expect(sandbox.tokensIssued - tokensBefore).toBe(1);
      expect(since(start).filter((e) => e.target === 'oauth' && e.method === 'POST')).toHaveLength(1);
      expect(await identities(c.ws.stateList())).toEqual([]);
      expect(pending(c.groupId)).toEqual([]);
    },
  );

  itIf('8 - the synthesized stack directory still revokes after it was moved elsewhere', async () => {
    const c = newCase(2);
    await applyAll(c);
    const elsewhere = mkdtempSync(join(tmpdir(), 'pi-e2e-moved-'));
    const moved = join(elsewhere, 'a copy with spaces', 'stack');
    mkdirSync(join(elsewhere, 'a copy with spaces'));
    renameSync(c.ws.stackDir, moved);
    rmSync(c.ws.root, { recursive: true, force: true }); // nothing of the old location is left
    try {
      const mark = sandbox.log.length;
      expectSuccess(await c.ws.destroy([], moved), 'terraform destroy in the moved directory');
      expect(
        deletes(since(mark))
          .map((e) => [e.invitationId, e.status])
          .sort(),
      ).toEqual(c.ids.map((id) => [id, 204]).sort());
      expect(await identities(c.ws.stateList(moved))).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  itIf('9 - hostile strings never execute, and are refused at synth where invalid', async () => {
    const c = newCase(2);
    const payloads = [
      `$(touch ${MARKER}-a)`,
      `\`touch ${MARKER}-b\``,
      `; touch ${MARKER}-c`,
      '${path.root}',
      '%{ if true }x%{ endif }',
    ];
    const hostile = payloads.join(' ');

    // Refused at synth, in every field that has a format.
    const stack = () => new TerraformStack(new App({ outdir: join(c.ws.root, 'refused') }), 'refused');
    let refused: unknown;
    try {
      new ProjectInvitations(stack(), 'team', {
        target: InvitationTarget.opsManager({
          baseUrl: `https://ops.example.com/\n${hostile}`,
          auth: hostile as never,
        }),
        invitations: [
          { groupId: `$(touch ${MARKER}-d)`, invitationId: c.ids[0] ?? '' },
          { groupId: c.groupId, invitationId: `${c.ids[1]}; touch ${MARKER}-e` },
          { groupId: '${path.root}', invitationId: '%{ if true }x%{ endif }' },
        ],
        credentials: {
          publicKeyEnv: `X$(touch ${MARKER}-f)`,
          privateKeyEnv: 'A;B',
          clientIdEnv: '${path.root}',
          clientSecretEnv: 'A\nB',
          accessTokenEnv: '`id`',
        },
        tokenCache: `/tmp/x\n${hostile}`,
      });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidProjectInvitationsError);
    const problems = (refused as InvalidProjectInvitationsError).problems.join('\n');
    for (const field of [
      'target.baseUrl',
      'target.auth',
      'invitations[0].groupId',
      'invitations[1].invitationId',
      'invitations[2].groupId',
      'invitations[2].invitationId',
      'credentials.publicKeyEnv',
      'credentials.privateKeyEnv',
      'credentials.clientIdEnv',
      'credentials.clientSecretEnv',
      'credentials.accessTokenEnv',
      'tokenCache',
    ]) {
      expect(problems).toContain(field);
    }

    // Accepted (free text is allowed there) and carried verbatim: construct id, token cache path, base URL path.
    const cacheDir = join(c.ws.root, `cache ${hostile}`);
    const props: Partial<ProjectInvitationsProps> = {
      target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'service-account' }),
      credentials: { clientIdEnv: 'E2E_CLIENT_ID', clientSecretEnv: 'E2E_CLIENT_SECRET' },
      tokenCache: cacheDir,
    };
    c.declare(c.ids, props, `team ${hostile}`);
    expectSuccess(await c.ws.apply(), 'terraform apply');
    const state = readFileSync(join(c.ws.stackDir, 'terraform.tfstate'), 'utf8');
    expect(state).toContain(JSON.stringify(cacheDir).slice(1, -1)); // stored literally, not interpolated
    const mark = sandbox.log.length;
    expectSuccess(await c.ws.destroy(), 'terraform destroy');
    expect(deletes(since(mark)).map((e) => e.status)).toEqual([204, 204]);
    expect(existsSync(cacheDir)).toBe(true); // the CLI received the path exactly as written

    // A hostile path in the base URL reaches the CLI as data too (the sandbox has no such prefix, so the
    // create-time check fails the apply; what matters is that nothing ran).
    const d = newCase(1);
    d.declare(d.ids, {
      target: InvitationTarget.atlas({
        baseUrl: `${sandbox.url}/$(touch ${MARKER}-g);\`touch ${MARKER}-h\``,
        auth: 'digest',
      }),
    });
    expect((await d.ws.apply()).code).not.toBe(0);
    for (const key of d.keys) await d.ws.terraform(['state', 'rm', `${d.address}["${key}"]`]);

    expect(markerFiles([c.ws.root, d.ws.root], [process.cwd(), repoRoot, tmpdir()])).toEqual([]);
  });

  itIf('10 - canary credentials appear nowhere in synthesized JSON, state or Terraform output', async () => {
    const c = newCase(2);
    const props: Partial<ProjectInvitationsProps> = {
      target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'service-account' }),
      credentials: {
        clientIdEnv: 'E2E_CLIENT_ID',
        clientSecretEnv: 'E2E_CLIENT_SECRET',
        publicKeyEnv: 'E2E_PUBLIC',
        privateKeyEnv: 'E2E_PRIVATE',
        accessTokenEnv: 'E2E_TOKEN',
      },
    };
    c.env = { E2E_TOKEN: CANARY.accessToken };
    await applyAll(c, c.ids, props);
    const [removed, kept] = c.ids as [string, string];
    c.declare([kept], props);
    const mark = sandbox.log.length;
    expectSuccess(await c.ws.apply(), 'terraform apply');
    c.declare([kept], { ...props, target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'digest' }) });
    expectSuccess(await c.ws.destroy(), 'terraform destroy');
    expect(deletes(since(mark)).map((e) => [e.invitationId, e.status])).toEqual([
      [removed, 204],
      [kept, 204],
    ]);

    // Every file of every workspace of this file (configuration, assets, state and its backups) and every
    // line Terraform printed in any case.
    const files: string[] = [];
    const walk = (dir: string): void => {
      if (!existsSync(dir)) return;
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    for (const ws of workspaces) walk(ws.root);
    expect(files.some((f) => f.endsWith('terraform.tfstate'))).toBe(true);
    expect(files.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      for (const secret of SECRETS) if (text.includes(secret)) throw new Error(`${secret} found in ${file}`);
    }
    const transcript = workspaces.flatMap((ws) => ws.transcript).join('\n');
    expect(transcript.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(transcript).not.toContain(secret);
  });
});
