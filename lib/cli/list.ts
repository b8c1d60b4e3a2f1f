// `mongodb-invitations list`: prints the pending invitations of a project from every API of the target,
// with a header, one per line on stdout
// (`--json`: one JSON array), and a one-line summary on stderr. Exit codes as for revoke.
import { InvitationClient } from '../client/invitation-client';
import { buildClientOptions, type Warning } from './client-options';
import { commandHelp } from './help';
import { resolveSettings, wantsHelp } from './options';
import { Output } from './output';
import type { CliIo } from './io';

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
      const filter = settings.username !== undefined ? { username: settings.username } : {};
      // Every API of the target: on Atlas the Cloud Users API and the invites API (while it answers).
      const invitations = (await client.listPending(settings.groupId, filter)).map((p) => ({
        username: p.username,
        roles: [...p.roles],
        api: p.api,
        id: p.id,
        ...(p.expiresAt !== undefined ? { expiresAt: p.expiresAt } : {}),
        ...(p.inviterUsername !== undefined ? { inviterUsername: p.inviterUsername } : {}),
      }));
      if (output.jsonMode) {
        output.data(invitations);
      } else if (invitations.length > 0) {
        const rows = [
          ['USERNAME', 'ROLES', 'API', 'EXPIRES', 'ID'],
          ...invitations.map((i) => [i.username, i.roles.join(','), i.api, i.expiresAt ?? '-', i.id]),
        ];
        const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
        for (const r of rows)
          output.stdout(
            `${r
              .map((v, c) => v.padEnd(widths[c]!))
              .join('  ')
              .trimEnd()}\n`,
          );
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
