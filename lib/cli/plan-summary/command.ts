// `mongodb-invitations plan-summary PLAN_JSON|- [--json]`: who a Terraform plan invites, cancels, gives other
// roles, adopts or drops, from `terraform show -json plan.out`. Reads a file or stdin, sends nothing. Exit 0;
// 2 for input that is not a Terraform JSON plan. docs/plan-summary.md.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commandHelp } from '../help';
import type { CliIo } from '../io';
import { checkArguments, firstSentence, UsageError, wantsHelp } from '../options';
import { Output } from '../output';
import { isEmpty, summarise } from './changes';
import { countsText, renderMarkdown } from './markdown';
import { parsePlan, readPlanBytes, type PlanSource } from './read-plan';

const USAGE = 'run "mongodb-invitations plan-summary --help" for the usage';

/** Parses plan-summary's arguments. Throws UsageError. */
export function parsePlanSummaryFlags(args: string[]): { source: string; json: boolean } {
  checkArguments(args);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    const first = firstSentence(err);
    throw new UsageError(`plan-summary: ${first}; ${USAGE}`);
  }
  const [source, ...rest] = parsed.positionals;
  if (source === undefined || source === '') {
    throw new UsageError(
      `plan-summary: no plan: name the file "terraform show -json plan.out" wrote, or - for stdin; ${USAGE}`,
    );
  }
  if (rest.length > 0) throw new UsageError(`plan-summary: one plan at a time; ${USAGE}`);
  return { source, json: parsed.values.json === true };
}

export async function runPlanSummary(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.stdout.write(commandHelp('plan-summary'));
    return 0;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  try {
    const flags = parsePlanSummaryFlags(args);
    const source: PlanSource =
      flags.source === '-'
        ? { kind: 'stdin', stream: io.stdin }
        : { kind: 'file', path: resolve(io.cwd ?? process.cwd(), flags.source), shown: flags.source };
    const shown = flags.source === '-' ? 'stdin' : flags.source;
    const plan = parsePlan(await readPlanBytes(source), shown);
    if (plan.errored) output.line('⚠', `plan-summary: the plan ${shown} holds errors: it is not complete`);
    else if (!plan.complete)
      output.line('⚠', `plan-summary: the plan ${shown} is not complete (-target, or deferred changes)`);
    const summary = summarise(plan.resourceChanges, (text) => output.line('⚠', `plan-summary: ${text}`));
    if (flags.json) output.data(summary);
    else output.stdout(renderMarkdown(summary));
    output.line(
      '✔',
      `plan-summary: ${isEmpty(summary) ? 'no change to MongoDB invitations' : countsText(summary)}`,
    );
    return 0;
  } catch (err) {
    return output.fail('plan-summary', err);
  }
}
