// `mongodb-invitations invite`: the create-time command. Invites a person, or, for an invitation made
// elsewhere and adopted by id, confirms that it is pending (one list request), so a mistyped id fails the
// first apply instead of passing silently at removal time. Exit codes as for revoke.
import { ExitCode } from '../contract/errors';
import type { InvitationClient } from '../client/invitation-client';
import { runClientCommand } from './client-command';
import type { Warning } from './client-options';
import type { CliIo } from './io';
import type { CommandSettings } from './options';
import type { Output } from './output';

export function runInvite(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return runClientCommand('invite', args, env, io, ({ client, settings, output, warnings }) =>
    settings.username !== undefined
      ? invite(client, settings, output, warnings)
      : adopt(client, settings, output, warnings),
  );
}

const SAID = {
  invited: 'invited',
  'already-pending': 'already invited with these roles (nothing sent)',
  'already-member': 'already a member with these roles (nothing sent)',
  'roles-updated': 'roles set on the pending invitation or membership',
  'added-as-member':
    'added to the project at once (no invitation needed: an organization member, or Bypass Invitation Mode)',
} as const;

async function invite(
  client: InvitationClient,
  settings: CommandSettings,
  output: Output,
  warnings: Warning[],
): Promise<number> {
  const username = settings.username as string;
  const roles = settings.roles as readonly string[];
  const result = await client.invitePerson(settings.groupId, {
    username,
    roles,
    ...(settings.api !== undefined ? { api: settings.api } : {}),
  });
  for (const a of settings.verbose ? result.actions : []) {
    output.line('✔', `${a.action} ${a.role ?? ''} (${a.method} ${a.path}, ${a.status})`.replace('  ', ' '));
  }
  const expires = result.expiresAt ? `, expires ${result.expiresAt}` : '';
  const before = result.previousRoles ? ` (was ${result.previousRoles.join(',')})` : '';
  output.line(
    '✔',
    `${username} in project ${settings.groupId} with ${result.roles.join(',')}: ${SAID[result.outcome]}${before} [${result.api}${expires}]`,
  );
  output.json({
    command: 'invite',
    outcome: result.outcome,
    target: settings.target,
    api: result.api,
    groupId: settings.groupId,
    username,
    roles: [...result.roles],
    id: result.id,
    expiresAt: result.expiresAt,
    previousRoles: result.previousRoles ? [...result.previousRoles] : undefined,
    actions: result.actions.map((a) => ({ ...a })),
    warnings: warnings.length > 0 ? warnings.map((w) => ({ ...w })) : undefined,
  });
  return ExitCode.Done;
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
    return ExitCode.Failed;
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
    roles: [...found.roles],
    expiresAt: found.expiresAt,
    warnings: warnings.length > 0 ? warnings.map((w) => ({ ...w })) : undefined,
  });
  return ExitCode.Done;
}
