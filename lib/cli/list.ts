// `mongodb-invitations list`: prints the pending invitations of a project, one per line on stdout
// (`--json`: one JSON array), and a one-line summary on stderr. Exit codes as for revoke.
import { InvitationClient } from '../client/invitation-client';
import { buildClientOptions, type Warning } from './client-options';
import { commandHelp } from './help';
import { resolveSettings, wantsHelp } from './options';
import { Output } from './output';
import type { CliIo } from './run';

export async function runList(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.stdout.write(commandHelp('list'));
    return 0;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  try {
    const settings = resolveSettings('list', args, env);
    const warnings: Warning[] = [];
    const client = new InvitationClient(buildClientOptions(settings, env, output, warnings));
    try {
      const filter = settings.username !== undefined ? { username: settings.username } : undefined;
      const invitations = await client.listInvitations(settings.groupId, filter);
      if (output.jsonMode) {
        output.data(invitations);
      } else {
        if (invitations.length > 0) output.stdout('ID  USERNAME  ROLES  EXPIRES\n');
        for (const i of invitations) {
          const expires = i.expiresAt ? `  expires ${i.expiresAt}` : '';
          output.stdout(`${i.id}  ${i.username}  ${i.roles.join(',')}${expires}\n`);
        }
      }
      const count = invitations.length;
      const who = settings.username !== undefined ? ` for ${settings.username}` : '';
      output.line(
        '✔',
        `${count} pending invitation${count === 1 ? '' : 's'}${who} in project ${settings.groupId}`,
      );
      return 0;
    } finally {
      await client.close().catch(() => undefined);
    }
  } catch (err) {
    return output.fail('list', err);
  }
}
