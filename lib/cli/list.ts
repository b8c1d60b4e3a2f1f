// `mongodb-invitations list`: the pending invitations of a project from every API of the target, with a
// header, one per line on stdout (`--json`: one JSON array), and a summary on stderr. Exit codes as revoke.
import { ExitCode } from '../contract/errors';
import { runClientCommand } from './client-command';
import type { CliIo } from './io';

export function runList(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return runClientCommand('list', args, env, io, async ({ client, settings, output }) => {
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
    return ExitCode.Done;
  });
}
