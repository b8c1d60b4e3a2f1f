// What the audit tests share: a sandbox with its own API key, stacks synthesized by the real construct
// into a temporary cdktf.out, and `audit` run in-process with the findings parsed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { run } from '../../../lib/cli/run';
import { InvitationTarget, ProjectInvitations, type ProjectInvitationsProps } from '../../../lib/index';
import { Sandbox } from '../../../lib/sandbox/server';
import { captureIo } from '../../helpers/io';

export const KEYS = { publicKey: 'audit-pub', privateKey: 'AUDIT-PRIVATE-5e1d' };
/** The variables the stacks name; the defaults hold keys the sandbox refuses (never read). */
export const ENV = {
  AUDIT_PUBLIC: KEYS.publicKey,
  AUDIT_PRIVATE: KEYS.privateKey,
  MONGODB_ATLAS_PUBLIC_API_KEY: 'wrong-public',
  MONGODB_ATLAS_PRIVATE_API_KEY: 'wrong-private',
  MCLI_PUBLIC_API_KEY: 'wrong-public',
  MCLI_PRIVATE_API_KEY: 'wrong-private',
  MONGODB_INVITATIONS_TOKEN_CACHE: 'off',
};

export const objectId = (): string => randomBytes(12).toString('hex');

export async function startSandbox(): Promise<Sandbox> {
  return Sandbox.start({
    credentials: { apiKeys: [KEYS], serviceAccounts: [], accessTokens: [] },
    invitationRateLimit: 'off',
    tokenRateLimit: false,
  });
}

export type Declared = Pick<ProjectInvitationsProps, 'invitations'> & {
  readonly target?: 'atlas' | 'ops-manager';
  readonly api?: 'cloud-users' | 'invites';
  /** Another spelling of the sandbox's URL (default: the sandbox's own). */
  readonly baseUrl?: string;
};

/** A temporary app directory: `cdktf.out/stacks/<name>/cdk.tf.json` per synthesized stack. */
export class AuditApp {
  readonly root = mkdtempSync(join(tmpdir(), 'pi-audit-'));

  constructor(private readonly sandbox: Sandbox) {}

  get outdir(): string {
    return join(this.root, 'cdktf.out');
  }

  stackDir(name: string): string {
    return join(this.outdir, 'stacks', name);
  }

  /** Synthesizes the stacks (each: a list of constructs); earlier stacks of other names stay. */
  synth(stacks: Record<string, Declared[]>): void {
    const app = new App({ outdir: this.outdir });
    for (const [name, constructs] of Object.entries(stacks)) {
      const stack = new TerraformStack(app, name);
      constructs.forEach((c, i) => {
        const target =
          c.target === 'ops-manager'
            ? InvitationTarget.opsManager({ baseUrl: c.baseUrl ?? this.sandbox.url })
            : InvitationTarget.atlas({
                baseUrl: c.baseUrl ?? this.sandbox.url,
                ...(c.api ? { api: c.api } : {}),
              });
        new ProjectInvitations(stack, `team${i}`, {
          target,
          credentials: { publicKeyEnv: 'AUDIT_PUBLIC', privateKeyEnv: 'AUDIT_PRIVATE' },
          maxRetries: 0,
          invitations: c.invitations,
        });
      });
    }
    app.synth();
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface AuditRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON lines of stdout (with --json). */
  readonly json: Record<string, unknown>[];
}

export async function audit(args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV): Promise<AuditRun> {
  const c = captureIo();
  const code = await run(['audit', ...args], env, { ...c.io, cwd });
  const json = args.includes('--json')
    ? c
        .stdout()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
  return { code, stdout: c.stdout(), stderr: c.stderr(), json };
}

/** The findings of a JSON run as `finding username api` strings, sorted. */
export function kinds(result: AuditRun): string[] {
  return result.json
    .filter((o) => typeof o.finding === 'string')
    .map((o) => `${String(o.finding)} ${String(o.username ?? o.invitationId)} ${String(o.api)}`)
    .sort();
}
