// The preamble of the Terraform-driven e2e files: the terraform check (skip with a reason, or fail under
// CI=true), the bundled CLI that the provisioners run, one in-process sandbox for the file, and the
// workspaces to clean up.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Sandbox, type SandboxOptions } from '../../lib/sandbox/server';
import { haveTerraform, itIfTerraform, type TerraformWorkspace } from './terraform';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BUNDLE = join(REPO_ROOT, 'dist', 'mongodb-invitations.cjs');

/** Throws when the bundled CLI, which the provisioners run, has not been built. */
export function requireBundle(): void {
  if (!existsSync(BUNDLE))
    throw new Error('dist/mongodb-invitations.cjs is missing: run "npm run build" first');
}

export interface TerraformSuite {
  /** `it` for the tests that need terraform (see itIfTerraform). */
  readonly itIf: jest.It;
  /** Whether terraform is there (when not, beforeAll starts nothing). */
  readonly have: boolean;
  /** The file's sandbox, started in beforeAll (a stand-in that forwards to it). */
  readonly sandbox: Sandbox;
  /** Workspaces to remove in afterAll: push each one made. */
  readonly workspaces: TerraformWorkspace[];
}

/**
 * Registers beforeAll (check the bundle, start the sandbox) and afterAll (stop it, remove the workspaces)
 * for a file of Terraform-driven tests.
 */
export function terraformSuite(file: string, sandboxOptions: SandboxOptions): TerraformSuite {
  const have = haveTerraform();
  const itIf = itIfTerraform(relative(REPO_ROOT, file));
  const workspaces: TerraformWorkspace[] = [];
  let started: Sandbox | undefined;
  beforeAll(async () => {
    if (!have) return;
    requireBundle();
    started = await Sandbox.start(sandboxOptions);
  });
  afterAll(async () => {
    await started?.stop();
    for (const ws of workspaces) ws.cleanup();
  });
  const sandbox = new Proxy({} as Sandbox, {
    get(_target, key) {
      if (!started)
        throw new Error('the sandbox is not started (it starts in beforeAll when terraform is there)');
      const value: unknown = Reflect.get(started, key, started);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
  return { itIf, have, sandbox, workspaces };
}
