// `audit --prune`: cancels the undeclared invitations and nothing else. Without --yes it only says what
// it would cancel (no DELETE is sent: pipelines run it, so there is no prompt). One line per cancel.
import type { InvitationClient, PendingPerson } from '../../client/invitation-client';
import type { Output } from '../output';
import type { Finding } from './compare';

/** An undeclared finding with the record a list returned and the client that listed it. */
export interface PruneTarget {
  readonly finding: Finding;
  readonly record: PendingPerson;
  readonly client: InvitationClient;
}

export interface PruneResult {
  /** Cancelled, already gone, or no longer pending: nothing undeclared is left of it. */
  readonly settled: number;
  readonly failed: number;
}

const describe = (f: Finding) =>
  `${f.username ?? ''} (${f.api} ${f.invitationId ?? f.userId ?? ''}, ${f.roles.join(',')}) in project ${f.groupId} at ${f.baseUrl}`;

const jsonOf = (f: Finding, prune: string, extra: Record<string, string | number> = {}) => ({
  prune,
  target: f.target,
  baseUrl: f.baseUrl,
  groupId: f.groupId,
  username: f.username,
  api: f.api,
  invitationId: f.invitationId,
  userId: f.userId,
  ...extra,
});

export async function prune(
  targets: readonly PruneTarget[],
  yes: boolean,
  output: Output,
): Promise<PruneResult> {
  if (!yes) {
    for (const { finding } of targets) {
      output.line('⚠', `would cancel ${describe(finding)}`);
      output.json(jsonOf(finding, 'would-cancel'));
    }
    const n = targets.length;
    output.line('⚠', `--prune without --yes: nothing was cancelled; ${n} would be (run again with --yes)`);
    return { settled: 0, failed: 0 };
  }
  let settled = 0;
  let failed = 0;
  // One at a time: DELETEs share the rate limits of the API, and the order of the lines is the order sent.
  for (const { finding, record, client } of targets) {
    try {
      const result = await client.cancelPending(finding.groupId, record);
      settled++;
      if (result.action === 'not-pending') {
        output.line('✔', `not cancelled, no longer pending (accepted or gone): ${describe(finding)}`);
        output.json(jsonOf(finding, 'not-pending'));
      } else {
        const what = result.action === 'already-gone' ? 'already gone' : 'cancelled';
        output.line('✔', `${what}: ${describe(finding)} (${result.method} ${result.path}, ${result.status})`);
        output.json(
          jsonOf(finding, result.action, { method: result.method, path: result.path, status: result.status }),
        );
      }
    } catch (err) {
      failed++;
      output.fail('audit', err, `cancelling ${describe(finding)} failed`);
    }
  }
  return { settled, failed };
}
