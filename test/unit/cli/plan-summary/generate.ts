// Runs a scenario through real Terraform: apply the `before` locals over plans/blocks.tf.json, taint what
// it says, switch to the `after` locals, `terraform plan -out`, and return `terraform show -json` of that.
// `npx tsx test/unit/cli/plan-summary/generate.ts` writes every scenario's files under plans/ (committed).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraformEnv } from '../../../helpers/terraform';
import { SCENARIOS, type Scenario } from './scenarios';

export const PLANS_DIR = join(__dirname, 'plans');

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const locals = (entries: Scenario['before']) => ({
  locals: { mongodb_invitations: Object.fromEntries(entries) },
});

/** The `.tf.json` files of a scenario's two configurations. */
export function configsOf(scenario: Scenario): { before: string; after: string; extra?: string } {
  return {
    before: json(locals(scenario.before)),
    after: json(locals(scenario.after)),
    ...(scenario.afterExtra ? { extra: json(scenario.afterExtra) } : {}),
  };
}

/** The plan JSON text Terraform shows for the scenario (run in a temporary directory). */
export function planScenario(scenario: Scenario): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-summary-'));
  const env = terraformEnv({});
  const tf = (...args: string[]) =>
    execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  try {
    const configs = configsOf(scenario);
    copyFileSync(join(PLANS_DIR, 'blocks.tf.json'), join(dir, 'blocks.tf.json'));
    writeFileSync(join(dir, 'locals.tf.json'), configs.before);
    tf('init', '-input=false', '-no-color');
    tf('apply', '-auto-approve', '-input=false', '-no-color');
    for (const address of scenario.taint ?? []) tf('taint', '-no-color', address);
    writeFileSync(join(dir, 'locals.tf.json'), configs.after);
    if (configs.extra) writeFileSync(join(dir, 'extra.tf.json'), configs.extra);
    tf('plan', '-input=false', '-no-color', '-out', 'plan.out', ...(scenario.planArgs ?? []));
    return tf('show', '-json', 'plan.out');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  for (const scenario of SCENARIOS) {
    const dir = join(PLANS_DIR, scenario.name);
    mkdirSync(dir, { recursive: true });
    const configs = configsOf(scenario);
    writeFileSync(join(dir, 'before.tf.json'), configs.before);
    writeFileSync(join(dir, 'after.tf.json'), configs.after);
    if (configs.extra) writeFileSync(join(dir, 'extra.tf.json'), configs.extra);
    writeFileSync(join(dir, 'plan.json'), planScenario(scenario)); // Terraform's bytes, unformatted
    console.log(`plans/${scenario.name}/plan.json`);
  }
}
