// The skeleton the API commands (invite, revoke, list) share: their own --help, settings checked before
// anything is sent, one client closed however the command ends, and a failure turned into an exit code.
import { ExitCode } from '../contract/errors';
import { InvitationClient } from '../client/invitation-client';
import { buildClientOptions, type Warning } from './client-options';
import type { CliIo } from './io';
import { resolveSettings, wantsHelp, type CommandName, type CommandSettings } from './options';
import { Output } from './output';

export interface CommandContext {
  readonly client: InvitationClient;
  readonly settings: CommandSettings;
  readonly output: Output;
  readonly warnings: Warning[];
}

export async function runClientCommand(
  name: CommandName,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (context: CommandContext) => Promise<number>,
  hint?: (settings: CommandSettings | undefined, err: unknown) => string | undefined,
): Promise<number> {
  if (wantsHelp(args)) {
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- the usage text, only when asked for */
    io.stdout.write((require('./help') as typeof import('./help')).commandHelp(name));
    return ExitCode.Done;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  let settings: CommandSettings | undefined;
  try {
    settings = resolveSettings(name, args, env);
    const warnings: Warning[] = [];
    const client = new InvitationClient(buildClientOptions(settings, env, output, warnings));
    try {
      return await body({ client, settings, output, warnings });
    } finally {
      await client.close({ leaveConnectionsToExit: io.exitsAfter === true }).catch(() => undefined);
    }
  } catch (err) {
    return output.fail(name, err, hint?.(settings, err));
  }
}
