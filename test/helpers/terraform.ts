// Drives the real `terraform` binary for lifecycle tests: synthesizes a cdktf App into a temporary
// workspace and runs init / plan / apply / destroy there, asynchronously (the sandbox answers from the
// same process, so a synchronous spawn would deadlock).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { itIfTool } from './tools';

/** True when a working `terraform` is on PATH. */
export function haveTerraform(): boolean {
  const probe = spawnSync('terraform', ['version'], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    encoding: 'utf8',
  });
  return probe.status === 0;
}

/**
 * `it` when terraform works; else `it.skip` with a printed reason, or, under CI=true, an `it` whose tests
 * fail naming terraform.
 */
export function itIfTerraform(neededBy: string): jest.It {
  return itIfTool({
    name: 'terraform',
    available: haveTerraform(),
    neededBy,
    install: 'a working `terraform` >= 1.4 on PATH',
  });
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without a shell; resolves with its exit code and output; kills it after `timeoutMs`. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The environment Terraform runs with: this process's, minus every variable that could point the CLI at
 * a real MongoDB organization or change Terraform's behaviour, plus `extra`.
 */
export function terraformEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(MONGODB_|MCLI_|TF_)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    ...extra,
  };
}

/**
 * A temporary workspace: `out/` is the App's outdir (synthesized again and again in place, so that
 * `.terraform/` and the state survive), the state is `out/stacks/<stack>/terraform.tfstate`.
 */
export class TerraformWorkspace {
  readonly root: string;
  readonly outdir: string;
  /** Every terraform stdout and stderr seen, for assertions over the whole run. */
  readonly transcript: string[] = [];
  private initialized = false;

  constructor(
    readonly stackName: string,
    private readonly env: () => NodeJS.ProcessEnv,
    prefix = 'pi-e2e-',
  ) {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.outdir = join(this.root, 'out');
  }

  /** Where Terraform runs. */
  get stackDir(): string {
    return join(this.outdir, 'stacks', this.stackName);
  }

  /** Synthesizes a fresh App whose only stack `build` fills; the state stays in the stack directory. */
  synth(build: (stack: TerraformStack) => void): void {
    const app = new App({ outdir: this.outdir });
    const stack = new TerraformStack(app, this.stackName);
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    build(stack);
    app.synth();
  }

  /** Runs terraform with `args` (-no-color and -input=false added where they apply) in `cwd`. */
  async terraform(args: string[], cwd = this.stackDir): Promise<RunResult> {
    const [command, ...rest] = args;
    const flags =
      command === 'state' ? [] : command === 'show' ? ['-no-color'] : ['-no-color', '-input=false'];
    const result = await runCommand('terraform', [command ?? '', ...flags, ...rest], {
      cwd,
      env: this.env(),
    });
    this.transcript.push(result.stdout, result.stderr);
    return result;
  }

  /** `terraform init`, once per workspace (terraform_data needs no provider download). */
  async init(cwd = this.stackDir): Promise<void> {
    if (this.initialized && cwd === this.stackDir) return;
    const result = await this.terraform(['init'], cwd);
    if (result.code !== 0) throw new Error(`terraform init failed:\n${result.stdout}\n${result.stderr}`);
    if (cwd === this.stackDir) this.initialized = true;
  }

  async apply(extra: string[] = [], cwd = this.stackDir): Promise<RunResult> {
    await this.init(cwd);
    return this.terraform(['apply', '-auto-approve', ...extra], cwd);
  }

  async plan(cwd = this.stackDir): Promise<RunResult> {
    await this.init(cwd);
    return this.terraform(['plan'], cwd);
  }

  async destroy(extra: string[] = [], cwd = this.stackDir): Promise<RunResult> {
    await this.init(cwd);
    return this.terraform(['destroy', '-auto-approve', ...extra], cwd);
  }

  /** `terraform state list`, one address per line. */
  async stateList(cwd = this.stackDir): Promise<string[]> {
    const result = await this.terraform(['state', 'list'], cwd);
    if (result.code !== 0) throw new Error(`terraform state list failed:\n${result.stderr}`);
    return result.stdout.split('\n').filter((line) => line.trim() !== '');
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Fails with terraform's own output when a run did not succeed. */
export function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) {
    throw new Error(`${what} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
}
