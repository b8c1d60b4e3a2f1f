// The CLI's logic, callable in-process: run(argv, env, io) → exit code. Only lib/cli/ reads the
// environment and prints; main.ts is the bin shim around this. Commands other than `revoke` are loaded
// lazily: Terraform starts one process per revoked invitation, and `revoke` must start fast.
export type { CliIo } from './io';
import { HELP } from './help';
import type { CliIo } from './io';
import { checkArguments, UsageError } from './options';
import { Output } from './output';
import { runRevoke } from './revoke';
import { VERSION } from '../client/version';

const COMMAND_LIST = 'invite, revoke, list, audit, plan-summary or sandbox';
const USAGE_HINT = 'run "mongodb-invitations --help" for the usage';

export async function run(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'revoke':
      return runRevoke(args, env, io);
    case 'invite':
      return (await import('./invite')).runInvite(args, env, io);
    case 'list':
      return (await import('./list')).runList(args, env, io);
    case 'audit':
      return (await import('./audit/command')).runAudit(args, env, io);
    case 'plan-summary':
      return (await import('./plan-summary/command')).runPlanSummary(args, io);
    case 'sandbox':
      return (await import('./sandbox-command')).runSandbox(args, env, io);
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(HELP);
      return 0;
    case '--version':
      io.stdout.write(`${VERSION}\n`);
      return 0;
    default: {
      const output = new Output(io, { json: argv.includes('--json'), debug: argv.includes('--debug') });
      try {
        checkArguments(argv);
        throw new UsageError(
          command === undefined
            ? `no command: use ${COMMAND_LIST}; ${USAGE_HINT}`
            : `unknown command ${JSON.stringify(command)}: use ${COMMAND_LIST}; ${USAGE_HINT}`,
        );
      } catch (err) {
        return output.fail(command ?? '', err);
      }
    }
  }
}
