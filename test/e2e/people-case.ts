// Shared by the people e2e files (test/e2e/people*.test.ts): canary credentials, a workspace whose
// constructs declare people against an in-process sandbox, and views of the sandbox's request log and
// stores. Not a test file itself (no `.test.ts`).
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  InvitationTarget,
  ProjectInvitations,
  type InvitationEntry,
  type ProjectInvitationsProps,
} from '../../lib/index';
import type { Sandbox, SandboxOptions } from '../../lib/sandbox/server';
import type { RequestLogEntry } from '../../lib/sandbox/types';
import { terraformEnv, TerraformWorkspace } from '../helpers/terraform';

/** Canary credentials: the sandbox accepts exactly these; they must never show up in files or output. */
export const CANARY = {
  publicKey: 'peoplepub',
  privateKey: 'PEOPLE-PRIVATE-KEY-0b7c41d2',
  clientId: 'mdb_sa_id_people0001',
  clientSecret: 'PEOPLE-CLIENT-SECRET-5e12aa',
};
export const SECRETS = [CANARY.privateKey, CANARY.clientSecret];

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Sandbox options that accept the canaries (and nothing else). */
export function sandboxOptions(extra: SandboxOptions = {}): SandboxOptions {
  return {
    credentials: {
      apiKeys: [{ publicKey: CANARY.publicKey, privateKey: CANARY.privateKey }],
      serviceAccounts: [{ clientId: CANARY.clientId, clientSecret: CANARY.clientSecret }],
      accessTokens: [],
    },
    tokenRateLimit: false,
    ...extra,
  };
}

export { requireBundle } from '../helpers/e2e';

export const objectId = (): string => randomBytes(12).toString('hex');

/** The credentials every construct of these files names (only these variables are read). */
export const CREDENTIALS = {
  clientIdEnv: 'E2E_CLIENT_ID',
  clientSecretEnv: 'E2E_CLIENT_SECRET',
  publicKeyEnv: 'E2E_PUBLIC',
  privateKeyEnv: 'E2E_PRIVATE',
} as const;

/** One ProjectInvitations of a synth. */
export interface Block {
  readonly id?: string;
  readonly target?: InvitationTarget;
  readonly entries: InvitationEntry[];
  readonly props?: Partial<ProjectInvitationsProps>;
}

export interface PeopleCase {
  readonly ws: TerraformWorkspace;
  /** Extra environment of terraform (undefined removes a variable). */
  readonly env: Record<string, string | undefined>;
  /** Atlas through the sandbox, service account (Cloud Users API unless `api` says otherwise). */
  atlas(options?: { api?: 'cloud-users' | 'invites' }): InvitationTarget;
  /** Ops Manager through the sandbox (Digest API keys). */
  opsManager(): InvitationTarget;
  /** Synthesizes the stack with these constructs (Atlas, Cloud Users API, by default). */
  declare(...blocks: Block[]): void;
  /** The identity instance address of a person or an adopted id (its destroy revokes). */
  address(groupId: string, usernameOrId: string): string;
  /** The roles instance address of a person or an adopted id (its create invites). */
  rolesAddress(groupId: string, usernameOrId: string): string;
  /** Both instance addresses of these people or ids, sorted as `terraform state list` prints them. */
  addresses(groupId: string, ...usernamesOrIds: string[]): string[];
}

/** A workspace whose constructs talk to `sandbox` (no retries unless a block says so). */
/** `url`: where the constructs send (the sandbox, or a scripted proxy in front of it). */
export function newPeopleCase(
  sandbox: Sandbox,
  workspaces: TerraformWorkspace[],
  url: string = sandbox.url,
): PeopleCase {
  const env: Record<string, string | undefined> = {};
  const ws: TerraformWorkspace = new TerraformWorkspace(
    'people',
    () => {
      const base = terraformEnv({
        E2E_PUBLIC: CANARY.publicKey,
        E2E_PRIVATE: CANARY.privateKey,
        E2E_CLIENT_ID: CANARY.clientId,
        E2E_CLIENT_SECRET: CANARY.clientSecret,
        XDG_CACHE_HOME: join(ws.root, 'cache'),
      });
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete base[k];
        else base[k] = v;
      }
      return base;
    },
    'pi-people-',
  );
  workspaces.push(ws);
  const host = new URL(url).host;
  const c: PeopleCase = {
    ws,
    env,
    atlas: (options = {}) => InvitationTarget.atlas({ baseUrl: url, auth: 'service-account', ...options }),
    opsManager: () => InvitationTarget.opsManager({ baseUrl: url, auth: 'digest' }),
    declare: (...blocks) =>
      ws.synth((stack) => {
        blocks.forEach((block, i) => {
          new ProjectInvitations(stack, block.id ?? `team${i}`, {
            target: block.target ?? c.atlas(),
            credentials: CREDENTIALS,
            maxRetries: 0,
            ...block.props,
            invitations: block.entries,
          });
        });
      }),
    address: (groupId, who) => `terraform_data.mongodb_invitations["${host}/${groupId}/${who}"]`,
    rolesAddress: (groupId, who) => `terraform_data.mongodb_invitation_roles["${host}/${groupId}/${who}"]`,
    addresses: (groupId, ...who) =>
      who.flatMap((w) => [c.address(groupId, w), c.rolesAddress(groupId, w)]).sort(),
  };
  return c;
}

/** The log entries after `mark` (a previous `sandbox.log.length`). */
export const since = (sandbox: Sandbox, mark: number): RequestLogEntry[] => sandbox.log.slice(mark);

/** Invitation-creating POSTs (Cloud Users, invites APIs) of one project, as `[username?, status]`. */
export function creations(entries: readonly RequestLogEntry[], groupId: string): RequestLogEntry[] {
  const path = new RegExp(`/groups/${groupId}/(users|invites)$`);
  return entries.filter((e) => e.method === 'POST' && path.test(e.path) && e.status !== 401);
}

/** Authenticated DELETEs of one project. */
export function deletions(entries: readonly RequestLogEntry[], groupId: string): RequestLogEntry[] {
  return entries.filter(
    (e) => e.method === 'DELETE' && e.groupId === groupId && e.status !== 401 && e.authScheme !== 'none',
  );
}

/** Pending Cloud Users users of a project: `username → sorted roles`. */
export function pendingCloudUsers(sandbox: Sandbox, groupId: string): Record<string, string> {
  return Object.fromEntries(
    sandbox
      .cloudUsers(groupId)
      .filter((u) => u.orgMembershipStatus === 'PENDING')
      .map((u) => [u.username, [...u.roles].sort().join(',')])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

/** Pending invites-API invitations of a project on one target: `[username, roles]`, sorted. */
export function pendingInvites(
  sandbox: Sandbox,
  target: 'atlas' | 'ops-manager',
  groupId: string,
): [string, string][] {
  return sandbox
    .invitations(target, groupId)
    .map((i): [string, string] => [i.username, [...i.roles].sort().join(',')])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Every file under each workspace root, read as text; throws naming the first file holding a secret. */
export function assertNoSecrets(workspaces: readonly TerraformWorkspace[]): { files: string[] } {
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
  for (const file of files) {
    const text = readFileSync(file, 'latin1');
    for (const secret of SECRETS) if (text.includes(secret)) throw new Error(`${secret} found in ${file}`);
  }
  const transcript = workspaces.flatMap((ws) => ws.transcript).join('\n');
  for (const secret of SECRETS) {
    if (transcript.includes(secret)) throw new Error(`${secret} found in Terraform's output`);
  }
  return { files };
}
