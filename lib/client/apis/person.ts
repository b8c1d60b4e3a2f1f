// What the three API modules share: the request they describe, the people they parse, pagination.
// Pure: no I/O. The client (invitation-client.ts, people.ts) sends the requests and feeds back answers.
import type { HttpMethod } from '../http/transport';

/** Which API a person record came from, or a request goes to. */
export type PersonApi = 'cloud-users' | 'invites' | 'ops-manager';

/**
 * A user's state in a project as the Cloud Users API names it. The invites APIs know only PENDING;
 * Ops Manager members are ACTIVE.
 */
export type MembershipStatus = 'PENDING' | 'ACTIVE' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';

/** One request an API module describes: the client adds the base URL prefix, auth and User-Agent. */
export interface ApiRequest {
  readonly method: HttpMethod;
  /** Path from the API root, such as `/api/atlas/v2/groups/{g}/users`: no prefix, no query. */
  readonly path: string;
  /** Query string including its leading '?', or ''. */
  readonly query: string;
  /** The versioned media type: sent as Accept, and as Content-Type with a body. */
  readonly accept: string;
  /** The JSON body, if any. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/** A person in a project: a pending invitation, or a member. Tagged with the API that reported it. */
export interface PersonRecord {
  readonly api: PersonApi;
  /** Invitation id (invites APIs) or user id (Cloud Users, Ops Manager members). */
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly status: MembershipStatus;
  readonly createdAt?: string;
  readonly expiresAt?: string;
  readonly inviterUsername?: string;
}

/** A pending invitation, from any API. */
export type PendingPerson = PersonRecord & { readonly status: 'PENDING' };
/** An active member of a project. */
export type ProjectMember = PersonRecord & { readonly status: 'ACTIVE' };

/** One page of a paginated list. */
export interface Page {
  readonly records: readonly PersonRecord[];
  /** Total across every page, when the API said. */
  readonly totalCount?: number;
  /** How many raw items the page held (before any filtering). */
  readonly size: number;
}

/** Largest page the paginated APIs accept (`itemsPerPage` maximum). */
export const ITEMS_PER_PAGE = 500;
/** Most pages followed for one list (500 × 200 = 100 000 people): a bound, not an expected size. */
export const MAX_PAGES = 200;

/** True when the next page should be fetched, after `pageNum` pages with `seen` raw items so far. */
export function hasMorePages(page: Page, pageNum: number, seen: number): boolean {
  if (pageNum >= MAX_PAGES || page.size === 0) return false;
  if (page.totalCount !== undefined) return seen < page.totalCount;
  return page.size >= ITEMS_PER_PAGE;
}

/** Usernames are e-mail addresses: compared without regard to case. */
export function sameUsername(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A JSON object's string field, or undefined. */
export function stringField(item: Record<string, unknown>, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

/** The objects of a list answer: a JSON array, or an envelope's `results`. Undefined when neither. */
export function listItems(body: unknown): Record<string, unknown>[] | undefined {
  const items = Array.isArray(body) ? body : (body as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(items)) return undefined;
  return items.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null);
}

/** `totalCount` of an envelope, when it is a non-negative integer. */
export function totalCountOf(body: unknown): number | undefined {
  const total = (body as { totalCount?: unknown } | undefined)?.totalCount;
  return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/** Builds a query string ('' when empty); a repeated parameter is given as an array. */
export function queryOf(params: Record<string, string | number | readonly string[] | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [String(value)];
    for (const v of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** An invitation of the invites APIs (Atlas `GroupInvitation`, Ops Manager's invitation): always PENDING. */
export function parseInvitation(api: PersonApi, item: Record<string, unknown>): PersonRecord | undefined {
  const id = stringField(item, 'id');
  const username = stringField(item, 'username');
  if (id === undefined || username === undefined) return undefined;
  const roles = Array.isArray(item.roles) ? item.roles.filter((r): r is string => typeof r === 'string') : [];
  return withOptional(
    { api, id, username, roles, status: 'PENDING' },
    {
      createdAt: stringField(item, 'createdAt'),
      expiresAt: stringField(item, 'expiresAt'),
      inviterUsername: stringField(item, 'inviterUsername'),
    },
  );
}

/** Adds the optional fields that are defined (exactOptionalPropertyTypes-friendly). */
export function withOptional(
  record: PersonRecord,
  extra: {
    createdAt?: string | undefined;
    expiresAt?: string | undefined;
    inviterUsername?: string | undefined;
  },
): PersonRecord {
  const out: Record<string, unknown> = { ...record };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as unknown as PersonRecord;
}
