// `mongodb-invitations revoke`: the destroy-time command. Cancels one adopted invitation (by id) or a
// person's pending invitations (by username). Exit 0 when revoked or confirmed gone, 1 when the API or
// network failed (the instance stays in state and the next apply retries), 2 for bad input (nothing sent).
import { ExitCode } from '../contract/errors';
import type { InvitationClient } from '../client/invitation-client';
import { runClientCommand } from './client-command';
import type { Warning } from './client-options';
import type { CliIo } from './io';
import type { CommandSettings } from './options';
import type { Output } from './output';
import { shellQuote } from './shell-quote';

export function runRevoke(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  return runClientCommand(
    'revoke',
    args,
    env,
    io,
    ({ client, settings, output, warnings }) =>
      settings.username !== undefined
        ? revokeByUsername(client, settings, output, warnings)
        : revokeById(client, settings, output, warnings),
    stateHint,
  );
}

const WHY = {
  revoked: 'pending invitation cancelled',
  'removed-member': 'had accepted: removed from the project (removeAcceptedMembers)',
  accepted:
    'had accepted and is a member: left in the project (set removeAcceptedMembers / --remove-accepted to remove members)',
  expired: 'nothing pending: the invitation had expired',
  'nothing-pending': 'nothing pending: never sent, already cancelled, or declined',
} as const;

async function revokeByUsername(
  client: InvitationClient,
  settings: CommandSettings,
  output: Output,
  warnings: Warning[],
): Promise<number> {
  const username = settings.username as string;
  const result = await client.revokePerson(settings.groupId, username, {
    removeAccepted: settings.removeAccepted,
    ...(settings.api !== undefined ? { api: settings.api } : {}),
  });
  for (const a of settings.verbose ? result.actions : []) {
    output.line('✔', `${a.action} ${a.api} ${a.id} (${a.method} ${a.path}, ${a.status})`);
  }
  const gone = result.invitesApiGone ? '; the invites API answered 410 (past its sunset): nothing there' : '';
  output.line('✔', `${username} in project ${settings.groupId}: ${WHY[result.outcome]}${gone}`);
  output.json({
    command: 'revoke',
    outcome: result.outcome,
    target: settings.target,
    groupId: settings.groupId,
    username,
    looked: [...result.looked],
    member: result.member ? { ...result.member, roles: [...result.member.roles] } : undefined,
    actions: result.actions.map((a) => ({ ...a })),
    warnings: warnings.length > 0 ? warnings.map((w) => ({ ...w })) : undefined,
  });
  return ExitCode.Done;
}

async function revokeById(
  client: InvitationClient,
  settings: CommandSettings,
  output: Output,
  warnings: Warning[],
): Promise<number> {
  const invitationId = settings.invitationId as string;
  const result = await client.cancelInvitation(settings.groupId, invitationId);
  const where = `invitation ${invitationId} in project ${settings.groupId}`;
  if (result.outcome === 'revoked') {
    output.line('✔', `revoked ${where} (${result.method} ${result.path}, ${result.status})`);
  } else {
    const why = [result.status, result.errorCode].filter((x) => x !== undefined).join(' ');
    output.line(
      '✔',
      `already gone: ${where} (${result.method} ${result.path} ${why}; not in ${result.confirmedBy})`,
    );
  }
  output.json({
    command: 'revoke',
    outcome: result.outcome,
    target: settings.target,
    groupId: settings.groupId,
    invitationId,
    method: result.method,
    path: result.path,
    status: result.status,
    errorCode: result.outcome === 'already-gone' ? result.errorCode : undefined,
    detail: result.outcome === 'already-gone' ? result.detail : undefined,
    warnings: warnings.length > 0 ? warnings.map((w) => ({ ...w })) : undefined,
  });
  return ExitCode.Done;
}

/**
 * For a failure that kept the instance in state where the project or the server may be gone for good (a
 * 404 about the project, a list that could not confirm, a server that no longer answers, an API past its
 * sunset): how to drop the entry from state on purpose, with the address quoted for POSIX sh.
 */
function stateHint(settings: CommandSettings | undefined, err: unknown): string | undefined {
  if (settings?.address === undefined) return undefined;
  const fields = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; code?: unknown };
  const stateRm = `terraform state rm ${shellQuote(settings.address)}`;
  if (fields.code === 'MDB_ENDPOINT_GONE') {
    return `the invites API is past its sunset, so this invitation cannot be cancelled through it: cancel it in the MongoDB UI if it is still there, then drop the entry from state on purpose: ${stateRm}`;
  }
  if (fields.code === 'MDB_NETWORK') {
    return `check the base URL and the credentials, then apply again; if that server is really gone for good, drop the entry from state on purpose: ${stateRm}`;
  }
  if (fields.status !== 404 && fields.code !== 'MDB_UNCONFIRMED') return undefined;
  return `if the project really was deleted, drop the entry from state on purpose: ${stateRm}`;
}
