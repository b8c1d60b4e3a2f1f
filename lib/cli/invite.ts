// `mongodb-invitations invite`: the create-time command. Invites a person, or, for an invitation made
// elsewhere and adopted by id, confirms that it is pending (one list request), so a mistyped id fails the
// first apply instead of passing silently at removal time. Exit codes as for revoke.
import { InvitationClient } from '../client/invitation-client';
import { buildClientOptions, type Warning } from './client-options';
import { commandHelp } from './help';
import { resolveSettings, UsageError, wantsHelp, type CommandSettings } from './options';
import { Output } from './output';
import type { CliIo } from './run';

export async function runInvite(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.stdout.write(commandHelp('invite'));
    return 0;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  try {
    const settings = resolveSettings('invite', args, env);
    if (settings.username !== undefined) {
      throw new UsageError(`${settings.command} --username: people are not supported by this build yet`);
    }
    const warnings: Warning[] = [];
    const client = new InvitationClient(buildClientOptions(settings, env, output, warnings));
    try {
      return await adopt(client, settings, output, warnings);
    } finally {
      await client.close().catch(() => undefined);
    }
  } catch (err) {
    return output.fail('invite', err);
  }
}

async function adopt(
  client: InvitationClient,
  settings: CommandSettings,
  output: Output,
  warnings: Warning[],
): Promise<number> {
  const invitationId = settings.invitationId as string;
  const found = await client.findInvitation(settings.groupId, invitationId);
  const where = `invitation ${invitationId} in project ${settings.groupId}`;
  if (!found) {
    output.line(
      '✖',
      `${where} is not pending (mistyped, expired, accepted or cancelled): check the id with "mongodb-invitations list --group-id ${settings.groupId}", or declare the person by username and roles instead`,
    );
    output.json({
      command: 'invite',
      outcome: 'not-pending',
      target: settings.target,
      groupId: settings.groupId,
      invitationId,
    });
    return 1;
  }
  const expires = found.expiresAt ? `, expires ${found.expiresAt}` : '';
  output.line('✔', `adopted ${where}: pending for ${found.username} (${found.roles.join(',')}${expires})`);
  output.json({
    command: 'invite',
    outcome: 'adopted',
    target: settings.target,
    groupId: settings.groupId,
    invitationId,
    username: found.username,
    roles: found.roles,
    expiresAt: found.expiresAt,
    warnings: warnings.length > 0 ? warnings.map((w) => ({ ...w })) : undefined,
  });
  return 0;
}
