// cancelPending: cancels exactly one pending invitation that a list returned (`audit --prune`), in the
// API that reported it. A Cloud Users DELETE also removes ACTIVE members, so the user is listed again
// first and deleted only while still PENDING: someone who accepted in between is never removed.
import * as cloudUsers from './apis/atlas-cloud-users';
import type { PendingPerson } from './apis/person';
import {
  cancelInviteRequestOf,
  listCloudUsers,
  removeRecord,
  type PeopleContext,
  type PersonAction,
} from './people';

/** What cancelPending did: the action, or 'not-pending' when a Cloud Users user no longer was. */
export type CancelPendingResult = PersonAction | { readonly action: 'not-pending'; readonly id: string };

export async function cancelPending(
  ctx: PeopleContext,
  groupId: string,
  record: PendingPerson,
): Promise<CancelPendingResult> {
  if (record.api === 'cloud-users') {
    const now = await listCloudUsers(ctx, groupId, ['PENDING'], record.username);
    if (!now.some((r) => r.id === record.id && r.status === 'PENDING')) {
      return { action: 'not-pending', id: record.id };
    }
    return removeRecord(ctx, cloudUsers.removeUserRequest(groupId, record.id), record, 'cancelled');
  }
  return removeRecord(ctx, cancelInviteRequestOf(record.api, groupId, record.id), record, 'cancelled');
}
