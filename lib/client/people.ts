// What the person operations share: the context the client gives them (send, failure, clock), the
// per-API look-ups (one username, every pending invitation, every member, pagination followed to the
// end), and the actions they report. The operations: invite-person.ts, revoke-person.ts.
import { parseApiError, parseJson } from './apis/api-error';
import * as cloudUsers from './apis/atlas-cloud-users';
import * as invites from './apis/atlas-invites';
import * as ops from './apis/ops-manager';
import {
  hasMorePages,
  sameUsername,
  type ApiRequest,
  type MembershipStatus,
  type Page,
  type PendingPerson,
  type PersonApi,
  type PersonRecord,
  type ProjectMember,
} from './apis/person';
import { MongoDbApiError, type InvitationError } from './errors';
import type { HttpResponse } from './http/transport';
import type { Target } from './outcome';
import type { ResolvedRetryOptions } from './http/retry';

/**
 * How a request is sent: 'read' and 'write' (idempotent: retried on 5xx and network errors), or
 * 'create' (an invitation POST: sent once; the caller lists before sending it again).
 * Every mode waits out rate limits (http/rate-limit.ts).
 */
export type SendMode = 'read' | 'write' | 'create';

/** What the client gives the person operations. */
export interface PeopleContext {
  readonly target: Target;
  /** The request with the client's base URL path prefix, as sent (for errors and reported actions). */
  prefixed(request: ApiRequest): ApiRequest;
  send(request: ApiRequest, mode: SendMode): Promise<HttpResponse>;
  /** The typed error for a final answer that is not the expected one. */
  failure(request: ApiRequest, response: HttpResponse): InvitationError;
  readonly retry: ResolvedRetryOptions;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly secrets: () => readonly string[];
}

/** One thing a person operation did on the server (the CLI prints one line each). */
export interface PersonAction {
  readonly api: PersonApi;
  /** Invitation id or user id ('' when the server returned none, as in Ops Manager's bypass mode). */
  readonly id: string;
  readonly action:
    | 'invited'
    | 'added-as-member'
    | 'role-added'
    | 'role-removed'
    | 'roles-set'
    | 'cancelled'
    | 'already-gone'
    | 'removed-member';
  /** The role added or removed (role-added, role-removed). */
  readonly role?: string;
  readonly method: string;
  /** Path only, as sent (base URL prefix included); no query string. */
  readonly path: string;
  readonly status: number;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** The parsed JSON body of a 2xx answer, or the typed error for any other. */
export async function sendFor(ctx: PeopleContext, request: ApiRequest, mode: SendMode): Promise<unknown> {
  const response = await ctx.send(request, mode);
  if (!isSuccess(response.status)) throw ctx.failure(request, response);
  return parseJson(response.text);
}

/** The error for a 2xx answer whose body is not what the API documents. */
function unreadable(ctx: PeopleContext, request: ApiRequest, status: number, what: string): MongoDbApiError {
  return new MongoDbApiError(
    {
      status,
      method: request.method,
      path: ctx.prefixed(request).path,
      detail: `the answer is not ${what}`,
      hint: 'It does not come from the MongoDB API (a proxy, or a wrong base URL?): check the base URL.',
    },
    { secrets: ctx.secrets() },
  );
}

/**
 * DELETE that reports what happened: 2xx = `done`; 404 with an ApiError body = 'already-gone' (the
 * record was just listed, so it went in between); anything else throws.
 */
export async function removeRecord(
  ctx: PeopleContext,
  request: ApiRequest,
  record: PersonRecord,
  done: 'cancelled' | 'removed-member',
): Promise<PersonAction> {
  const response = await ctx.send(request, 'write');
  const base = {
    api: record.api,
    id: record.id,
    method: request.method,
    path: ctx.prefixed(request).path,
    status: response.status,
  };
  if (isSuccess(response.status)) return { ...base, action: done };
  if (response.status === 404 && parseApiError(response)) return { ...base, action: 'already-gone' };
  throw ctx.failure(request, response);
}

/** Where a listing is: what it found so far, and whether a page is left to read. */
interface Listing {
  readonly records: PersonRecord[];
  readonly ids: Set<string>;
  seen: number;
  pageNum: number;
  done: boolean;
}

const newListing = (): Listing => ({ records: [], ids: new Set(), seen: 0, pageNum: 1, done: false });

/** Reads pages into `listing` until the last page, or until `maxPages` more have been read. */
async function readPages(
  ctx: PeopleContext,
  request: (pageNum: number) => ApiRequest,
  parse: (body: unknown) => Page | undefined,
  listing: Listing,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<Listing> {
  for (let read = 0; !listing.done && read < maxPages; read++) {
    const pageNum = listing.pageNum++;
    const req = request(pageNum);
    const page = parse(await sendFor(ctx, req, 'read'));
    if (!page) throw unreadable(ctx, req, 200, 'a page of users ({results, totalCount})');
    // De-duplicated by id: a server that ignores pageNum answers the first page again, and a page that
    // adds nothing new ends the listing (else 499 people would be listed 200 times).
    let fresh = 0;
    for (const r of page.records) {
      if (listing.ids.has(r.id)) continue;
      listing.ids.add(r.id);
      listing.records.push(r);
      fresh++;
    }
    listing.seen += page.size;
    if (page.records.length > 0 && fresh === 0) listing.done = true;
    else if (!hasMorePages(page, pageNum, listing.seen)) listing.done = true;
  }
  return listing;
}

async function allPages(
  ctx: PeopleContext,
  request: (pageNum: number) => ApiRequest,
  parse: (body: unknown) => Page | undefined,
): Promise<PersonRecord[]> {
  return (await readPages(ctx, request, parse, newListing())).records;
}

/** Cloud Users with the given statuses (every page), optionally of one username. */
export function listCloudUsers(
  ctx: PeopleContext,
  groupId: string,
  statuses: readonly MembershipStatus[],
  username?: string,
): Promise<PersonRecord[]> {
  return allPages(
    ctx,
    (pageNum) =>
      cloudUsers.listUsersRequest(groupId, {
        statuses,
        pageNum,
        ...(username === undefined ? {} : { username }),
      }),
    cloudUsers.parseUsersPage,
  );
}

/** An invites API: Atlas's (deprecated) or Ops Manager's. Adopted ids are invitations of one of them. */
export type InvitesApi = 'invites' | 'ops-manager';

/** `GET …/groups/{g}/invites[?username=]` of an invites API. */
export function listInvitesRequestOf(api: InvitesApi, groupId: string, username?: string): ApiRequest {
  return api === 'invites'
    ? invites.listInvitesRequest(groupId, username)
    : ops.listOpsInvitesRequest(groupId, username);
}

/** `DELETE …/groups/{g}/invites/{id}` of an invites API. */
export function cancelInviteRequestOf(api: InvitesApi, groupId: string, invitationId: string): ApiRequest {
  return api === 'invites'
    ? invites.cancelInviteRequest(groupId, invitationId)
    : ops.cancelOpsInviteRequest(groupId, invitationId);
}

/**
 * Pending invitations of an invites API (Atlas 'invites' or 'ops-manager'), optionally of one username.
 * `'gone'` when the Atlas invites API answers 410 (sunset): nothing can be pending there any more.
 */
export async function listInvites(
  ctx: PeopleContext,
  api: InvitesApi,
  groupId: string,
  username?: string,
): Promise<PersonRecord[] | 'gone'> {
  const request = listInvitesRequestOf(api, groupId, username);
  const response = await ctx.send(request, 'read');
  if (api === 'invites' && response.status === 410) return 'gone';
  if (!isSuccess(response.status)) throw ctx.failure(request, response);
  const body = parseJson(response.text);
  const records = api === 'invites' ? invites.parseInvites(body) : ops.parseOpsInvites(body);
  if (!records) throw unreadable(ctx, request, response.status, 'a list of invitations');
  return records;
}

/** Ops Manager members of the project (every page). */
export function listOpsMembers(ctx: PeopleContext, groupId: string): Promise<PersonRecord[]> {
  return allPages(
    ctx,
    (pageNum) => ops.listOpsMembersRequest(groupId, pageNum),
    (body) => ops.parseOpsMembersPage(body, groupId),
  );
}

/** Only the records of one username (servers may match loosely; usernames compare case-insensitively). */
export function ofUsername<T extends PersonRecord>(records: readonly T[], username: string): T[] {
  return records.filter((r) => sameUsername(r.username, username));
}

// A server's `username=` filter need not ignore case (DESIGN decision 6), so a person is never taken to be
// absent on a filtered answer alone: usernames are compared without case on an unfiltered list. The
// invites APIs have no pages: one unfiltered list answers. Cloud Users pages: its first unfiltered page
// answers for a project of up to one page (the usual case: one request, found or not); in a larger
// project the filter finds the person in one request, and only when it finds nobody are the rest of the
// unfiltered pages read (bench/throughput.md, "Fewer look-ups per invite").

/** The Cloud Users of one username with the given statuses, compared without case. */
export async function findCloudUsers(
  ctx: PeopleContext,
  groupId: string,
  statuses: readonly MembershipStatus[],
  username: string,
): Promise<PersonRecord[]> {
  const unfiltered = (pageNum: number) => cloudUsers.listUsersRequest(groupId, { statuses, pageNum });
  const listing = await readPages(ctx, unfiltered, cloudUsers.parseUsersPage, newListing(), 1);
  if (listing.done) return ofUsername(listing.records, username);
  const found = ofUsername(await listCloudUsers(ctx, groupId, statuses, username), username);
  if (found.length > 0) return found;
  await readPages(ctx, unfiltered, cloudUsers.parseUsersPage, listing);
  return ofUsername(listing.records, username);
}

/** The pending invitations of one username (one unfiltered list), compared without case; 'gone' as listInvites. */
export async function findInvites(
  ctx: PeopleContext,
  api: 'invites' | 'ops-manager',
  groupId: string,
  username: string,
): Promise<PersonRecord[] | 'gone'> {
  const all = await listInvites(ctx, api, groupId);
  return all === 'gone' ? 'gone' : ofUsername(all, username);
}

/** Every pending invitation of the project, from every API of the target, tagged with its API. */
export async function listPendingPeople(
  ctx: PeopleContext,
  groupId: string,
  username?: string,
): Promise<PendingPerson[]> {
  const out: PersonRecord[] = [];
  const invitesOf = (api: 'invites' | 'ops-manager') =>
    username === undefined ? listInvites(ctx, api, groupId) : findInvites(ctx, api, groupId, username);
  if (ctx.target === 'atlas') {
    out.push(
      ...(username === undefined
        ? await listCloudUsers(ctx, groupId, ['PENDING'])
        : await findCloudUsers(ctx, groupId, ['PENDING'], username)),
    );
    const old = await invitesOf('invites');
    if (old !== 'gone') out.push(...old);
  } else {
    const found = await invitesOf('ops-manager');
    if (found !== 'gone') out.push(...found);
  }
  return out.filter((r): r is PendingPerson => r.status === 'PENDING');
}

/** Every active member of the project (Cloud Users on Atlas, `/groups/{g}/users` on Ops Manager). */
export async function listProjectMembers(ctx: PeopleContext, groupId: string): Promise<ProjectMember[]> {
  const records =
    ctx.target === 'atlas'
      ? await listCloudUsers(ctx, groupId, ['ACTIVE'])
      : await listOpsMembers(ctx, groupId);
  return records.filter((r): r is ProjectMember => r.status === 'ACTIVE');
}
