// `mongodb-invitations revoke`: cancels one pending invitation. Exit 0 when it was revoked or was
// already gone (Terraform may retry a destroy that half-succeeded), 1 when the API or network failed,
// 2 when the input or configuration is wrong (then nothing was sent).
import { InvitationClient } from '../client/invitation-client';
import { buildClientOptions, type Warning } from './client-options';
import { HELP } from './help';
import { resolveSettings, wantsHelp } from './options';
import { Output } from './output';
import type { CliIo } from './run';

export async function runRevoke(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.stdout.write(HELP);
    return 0;
  }
  const output = new Output(io, { json: args.includes('--json'), debug: args.includes('--debug') });
  try {
    const settings = resolveSettings('revoke', args, env);
    const invitationId = settings.invitationId as string;
    const warnings: Warning[] = [];
    const client = new InvitationClient(buildClientOptions(settings, env, output, warnings));
    try {
      const result = await client.cancelInvitation(settings.groupId, invitationId);
      const where = `invitation ${invitationId} in project ${settings.groupId}`;
      if (result.outcome === 'revoked') {
        output.line('✔', `revoked ${where} (${result.method} ${result.path}, ${result.status})`);
      } else {
        const why = [result.status, result.errorCode].filter((x) => x !== undefined).join(' ');
        output.line('✔', `already gone: ${where} (${result.method} ${result.path}, ${why})`);
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
      return 0;
    } finally {
      await client.close().catch(() => undefined);
    }
  } catch (err) {
    return output.fail('revoke', err);
  }
}
