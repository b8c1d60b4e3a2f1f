// #8 - No silent loss, proven with real Terraform against the sandbox: every refactor a team makes either
// changes nothing on the server or revokes exactly what left the code; a failure stays visible and is
// retried. Each case has its own workspace and project; the sandbox runs in this process.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const KEYS = { publicKey: 'e2epub', privateKey: 'E2E-PRIVATE-3f9c' };
const SA = { clientId: 'mdb_sa_id_e2e', clientSecret: 'E2E-CLIENT-SECRET-77' };
const objectId = () => randomBytes(12).toString('hex');

const { itIf, sandbox, workspaces } = terraformSuite(__filename, {
  credentials: { apiKeys: [KEYS], serviceAccounts: [SA], accessTokens: [] },
  tokenRateLimit: false,
});

type Layout = Record<string, string[]>;

/** One project with `count` pending invitations, and a workspace whose constructs follow a layout. */
function newCase(count: number) {
  const groupId = objectId();
  const ids = Array.from({ length: count }, objectId);
  sandbox.seed(
    ids.map((id) => ({
      target: 'atlas' as const,
      groupId,
      id,
      username: `${id}@example.com`,
      roles: ['GROUP_READ_ONLY'],
    })),
  );
  const env: Record<string, string | undefined> = {};
  const ws = new TerraformWorkspace('e2e', () => {
    const base = terraformEnv({
      E2E_PUBLIC: KEYS.publicKey,
      E2E_PRIVATE: KEYS.privateKey,
      E2E_CLIENT_ID: SA.clientId,
      E2E_CLIENT_SECRET: SA.clientSecret,
      XDG_CACHE_HOME: join(ws.root, 'cache'),
    });
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  });
  workspaces.push(ws);
  const props = (extra: Partial<ProjectInvitationsProps> = {}): ProjectInvitationsProps => ({
    target: InvitationTarget.atlas({ baseUrl: sandbox.url, auth: 'digest' }),
    credentials: { publicKeyEnv: 'E2E_PUBLIC', privateKeyEnv: 'E2E_PRIVATE' },
    maxRetries: 0,
    ...extra,
  });
  const declare = (layout: Layout, extra: Partial<ProjectInvitationsProps> = {}) =>
    ws.synth((stack) => {
      for (const [name, list] of Object.entries(layout)) {
        new ProjectInvitations(stack, name, {
          ...props(extra),
          invitations: list.map((invitationId) => ({ groupId, invitationId })),
        });
      }
    });
  const key = (id: string) =>
    `terraform_data.mongodb_invitations["${new URL(sandbox.url).host}/${groupId}/${id}"]`;
  const pending = () =>
    sandbox
      .invitations('atlas', groupId)
      .map((i) => i.id)
      .sort();
  return { groupId, ids, env, ws, declare, key, pending };
}

const since = (mark: number): RequestLogEntry[] => sandbox.log.slice(mark);
const deletes = (entries: RequestLogEntry[]) =>
  entries
    .filter((e) => e.method === 'DELETE' && e.authScheme !== 'none')
    .map((e) => [e.invitationId, e.status]);

/** Applies a layout, then applies another; returns what the second apply sent and Terraform printed. */
async function refactor(c: ReturnType<typeof newCase>, before: Layout, after: Layout) {
  c.declare(before);
  expectSuccess(await c.ws.apply(), 'terraform apply (before)');
  c.declare(after);
  const plan = await c.ws.plan();
  expectSuccess(plan, 'terraform plan (after)');
  const mark = sandbox.log.length;
  expectSuccess(await c.ws.apply(), 'terraform apply (after)');
  return { plan: plan.stdout, sent: since(mark) };
}

describe('no silent loss, with real Terraform', () => {
  itIf(
    'renaming the construct and removing one entry in the same change revokes exactly that entry',
    async () => {
      const c = newCase(3);
      const [a, removed, b] = c.ids as [string, string, string];
      const { plan, sent } = await refactor(c, { team: [a, removed, b] }, { 'platform-team': [a, b] });
      expect(plan).toContain('Plan: 0 to add, 0 to change, 2 to destroy.');
      expect(plan).toContain(`# ${c.key(removed)} will be destroyed`);
      expect(deletes(sent)).toEqual([[removed, 204]]);
      expect(c.pending()).toEqual([a, b].sort());
      expect((await identities(c.ws.stateList())).sort()).toEqual([c.key(a), c.key(b)].sort());
    },
  );

  itIf('moving an entry between two kept constructs changes nothing', async () => {
    const c = newCase(3);
    const [a, moved, b] = c.ids as [string, string, string];
    const { plan, sent } = await refactor(c, { one: [a, moved], two: [b] }, { one: [a], two: [moved, b] });
    expect(plan).toContain('No changes.');
    expect(sent).toEqual([]);
    expect(c.pending()).toEqual([...c.ids].sort());
  });

  itIf('splitting one construct into two changes nothing', async () => {
    const c = newCase(3);
    const [a, b, d] = c.ids as [string, string, string];
    const { plan, sent } = await refactor(c, { team: [a, b, d] }, { readers: [a], owners: [b, d] });
    expect(plan).toContain('No changes.');
    expect(sent).toEqual([]);
  });

  itIf('a base URL spelled with capitals, a default port or a trailing slash changes nothing', async () => {
    const c = newCase(2);
    c.declare({ team: c.ids });
    expectSuccess(await c.ws.apply(), 'terraform apply');
    const url = new URL(sandbox.url);
    for (const spelled of [`${sandbox.url}/`, `HTTP://${url.hostname.toUpperCase()}:${url.port}//`]) {
      c.declare({ team: c.ids }, { target: InvitationTarget.atlas({ baseUrl: spelled, auth: 'digest' }) });
      const plan = await c.ws.plan();
      expectSuccess(plan, 'terraform plan');
      expect(plan.stdout).toContain('No changes.');
    }
  });

  itIf(
    'GROUP_NOT_FOUND fails the apply and keeps the instance; after the fix the next apply revokes',
    async () => {
      const c = newCase(2);
      const [failing, kept] = c.ids as [string, string];
      c.declare({ team: c.ids });
      expectSuccess(await c.ws.apply(), 'terraform apply');
      sandbox.faults.add({
        method: 'DELETE',
        invitationId: failing,
        kind: 'status',
        status: 404,
        errorCode: 'GROUP_NOT_FOUND',
        times: 'always',
      });
      try {
        c.declare({ team: [kept] });
        const failed = await c.ws.apply();
        expect(failed.code).not.toBe(0);
        expect(failed.stdout + failed.stderr).toContain('GROUP_NOT_FOUND');
        expect(failed.stdout + failed.stderr).toContain(`terraform state rm '${c.key(failing)}'`);
        expect(failed.stdout + failed.stderr).not.toMatch(/already gone/);
        expect(await identities(c.ws.stateList())).toContain(c.key(failing));
      } finally {
        sandbox.faults.clear();
      }
      const mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(), 'terraform apply after the fix');
      expect(deletes(since(mark))).toEqual([[failing, 204]]);
      expect(c.pending()).toEqual([kept]);
    },
  );

  itIf('a 404 for the invitation whose list still shows it pending is not "already gone"', async () => {
    const c = newCase(1);
    const [id] = c.ids as [string];
    c.declare({ team: c.ids });
    expectSuccess(await c.ws.apply(), 'terraform apply');
    sandbox.faults.add({
      method: 'DELETE',
      invitationId: id,
      kind: 'status',
      status: 404,
      errorCode: 'RESOURCE_NOT_FOUND',
    });
    c.declare({ team: [] });
    const failed = await c.ws.apply();
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain('still lists it as pending');
    expect(await identities(c.ws.stateList())).toEqual([c.key(id)]);
    expectSuccess(await c.ws.apply(), 'terraform apply again');
    expect(c.pending()).toEqual([]);
  });

  itIf('a mistyped id fails its first apply instead of passing silently at removal time', async () => {
    const c = newCase(1);
    const typo = objectId();
    c.declare({ team: [...c.ids, typo] });
    const failed = await c.ws.apply();
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain(
      `invitation ${typo} in project ${c.groupId} is not pending`,
    );
    const show = await c.ws.terraform([
      'state',
      'show',
      c.key(typo).replace('mongodb_invitations[', 'mongodb_invitation_roles['),
    ]);
    expect(show.stdout).toMatch(/tainted/);
  });

  itIf(
    'renamed credentials that are unset fail the revoke naming them, with nothing sent and the defaults untouched',
    async () => {
      const c = newCase(1);
      c.declare({ team: c.ids });
      expectSuccess(await c.ws.apply(), 'terraform apply');
      // The default variables hold working keys: a fallback to them would revoke.
      Object.assign(c.env, {
        E2E_PUBLIC: undefined,
        E2E_PRIVATE: undefined,
        MONGODB_ATLAS_PUBLIC_API_KEY: KEYS.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: KEYS.privateKey,
      });
      c.declare({ team: [] });
      const mark = sandbox.log.length;
      const failed = await c.ws.apply();
      expect(failed.code).not.toBe(0);
      expect(failed.stdout + failed.stderr).toMatch(/E2E_PUBLIC and E2E_PRIVATE/);
      expect(since(mark)).toEqual([]);
      expect(c.pending()).toEqual(c.ids);
    },
  );

  itIf('out-of-range settings are refused at synth, so a destroy can never be stuck on them', () => {
    const c = newCase(0);
    for (const bad of [{ maxRetries: 25 }, { timeoutMs: 10_000_000 }, { tokenCache: 'relative/dir' }]) {
      expect(() => c.declare({ team: [] }, bad)).toThrow(InvalidProjectInvitationsError);
    }
  });

  itIf(
    'settings in the environment of terraform apply are honoured when the construct sets none',
    async () => {
      const c = newCase(4);
      const credentials = {
        clientIdEnv: 'E2E_CLIENT_ID',
        clientSecretEnv: 'E2E_CLIENT_SECRET',
        publicKeyEnv: 'E2E_PUBLIC',
        privateKeyEnv: 'E2E_PRIVATE',
      };
      // No auth, no retries, no cache set by the construct: each comes from the environment or the default.
      const sa = {
        target: InvitationTarget.atlas({ baseUrl: sandbox.url }),
        credentials,
        maxRetries: undefined,
      };
      c.declare({ team: c.ids }, sa);
      expectSuccess(await c.ws.apply(['-parallelism=1']), 'terraform apply');
      // MONGODB_INVITATIONS_TOKEN_CACHE=off: every process fetches its own token.
      c.env.MONGODB_INVITATIONS_TOKEN_CACHE = 'off';
      c.declare({ team: c.ids.slice(2) }, sa);
      let tokens = sandbox.tokensIssued;
      expectSuccess(await c.ws.apply(['-parallelism=1']), 'terraform apply with the cache off');
      expect(sandbox.tokensIssued - tokens).toBe(2);
      // MONGODB_INVITATIONS_MAX_RETRIES=0: one attempt, no retry (the default would retry 3 times).
      delete c.env.MONGODB_INVITATIONS_TOKEN_CACHE;
      c.env.MONGODB_INVITATIONS_MAX_RETRIES = '0';
      const [, , failing, last] = c.ids as [string, string, string, string];
      sandbox.faults.add({
        method: 'DELETE',
        invitationId: failing,
        kind: 'status',
        status: 503,
        times: 'always',
      });
      try {
        c.declare({ team: [last] }, sa);
        const mark = sandbox.log.length;
        expect((await c.ws.apply()).code).not.toBe(0);
        expect(deletes(since(mark))).toEqual([[failing, 503]]);
      } finally {
        sandbox.faults.clear();
      }
      // MONGODB_INVITATIONS_AUTH=digest picks the API keys although a service account is named too.
      c.env.MONGODB_INVITATIONS_AUTH = 'digest';
      delete c.env.MONGODB_INVITATIONS_MAX_RETRIES;
      c.declare({ team: [] }, sa);
      tokens = sandbox.tokensIssued;
      const mark = sandbox.log.length;
      expectSuccess(await c.ws.apply(), 'terraform apply with MONGODB_INVITATIONS_AUTH=digest');
      expect(sandbox.tokensIssued).toBe(tokens);
      const revoked = since(mark).filter((e) => e.method === 'DELETE' && e.status === 204);
      expect(revoked.map((e) => e.authScheme)).toEqual(['digest', 'digest']);
      expect(c.pending()).toEqual([]);
      expect(readFileSync(join(c.ws.stackDir, 'terraform.tfstate'), 'utf8')).not.toContain(SA.clientSecret);
    },
  );
});
