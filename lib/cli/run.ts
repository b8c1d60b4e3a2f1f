// The CLI's logic, callable in-process: run(argv, env, io) → exit code. Only lib/cli/ reads the
// environment and prints; main.ts is the bin shim around this. Commands other than `revoke` are loaded
// lazily: Terraform starts one process per revoked invitation, and `revoke` must start fast.
export type { CliIo } from './io';
import type { HelpTopic } from './help';
import type { CliIo } from './io';
import { checkArguments, UsageError } from './options';
import { Output } from './output';
import { runRevoke } from './revoke';
import { didYouMean } from '../contract/suggest';
import { VERSION } from '../client/version';

// The usage texts (help.ts, ~12 KB of strings built at load) are required when asked for, not by every
// provisioner process (bench/throughput.md, "P2, P7, P1, P9").
/* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, synchronously */
const helpTexts = (): typeof import('./help') => require('./help') as typeof import('./help');

const COMMAND_LIST = 'invite, revoke, list, audit, plan-summary or sandbox';
const USAGE_HINT = 'run "mongodb-invitations --help" for the usage';
const COMMANDS = ['invite', 'revoke', 'list', 'audit', 'plan-summary', 'sandbox', 'help', 'version'] as const;
const TOPICS: readonly string[] = ['invite', 'revoke', 'list', 'audit', 'plan-summary'] satisfies HelpTopic[];

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
      return help(args[0], io, argv);
    case '--help':
    case '-h':
      io.stdout.write(helpTexts().HELP);
      return 0;
    case 'version':
    case '--version':
    case '-v':
      io.stdout.write(`${VERSION}\n`);
      return 0;
    default:
      return refuse(
        argv,
        io,
        command === undefined
          ? `no command: use ${COMMAND_LIST}; ${USAGE_HINT}`
          : `unknown command ${JSON.stringify(command)}${didYouMean(command, COMMANDS)}: use ${COMMAND_LIST}; ${USAGE_HINT}`,
      );
  }
}

/** `help` alone: the usage of every command; `help COMMAND`: that command's own usage. */
async function help(topic: string | undefined, io: CliIo, argv: string[]): Promise<number> {
  if (topic === undefined || topic.startsWith('-') || topic === 'help' || topic === 'version') {
    io.stdout.write(helpTexts().HELP);
  } else if (TOPICS.includes(topic)) io.stdout.write(helpTexts().commandHelp(topic as HelpTopic));
  else if (topic === 'sandbox') io.stdout.write((await import('./sandbox-command')).SANDBOX_USAGE);
  else {
    return refuse(
      argv,
      io,
      `help: unknown command ${JSON.stringify(topic)}${didYouMean(topic, COMMANDS)}: use help ${COMMAND_LIST}`,
    );
  }
  return 0;
}

function refuse(argv: string[], io: CliIo, message: string): number {
  const output = new Output(io, { json: argv.includes('--json'), debug: argv.includes('--debug') });
  try {
    checkArguments(argv);
    throw new UsageError(message);
  } catch (err) {
    return output.fail(argv[0] ?? '', err);
  }
}
