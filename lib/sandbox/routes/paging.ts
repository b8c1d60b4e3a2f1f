// Atlas-style pagination of a list answer: `itemsPerPage` (1..500, default 100), `pageNum` (from 1,
// default 1), `includeCount` (default true) → `{links, results, totalCount}` with `self`, and `previous` /
// `next` links where such pages exist (the sandbox's rendering of the spec's RFC 5988 links).
import type { Reply } from '../http';
import { invalid } from './common';

export const MAX_ITEMS_PER_PAGE = 500;
export const DEFAULT_ITEMS_PER_PAGE = 100;

export interface Page<T> {
  readonly links: { href: string; rel: string }[];
  readonly results: T[];
  readonly totalCount?: number;
}

function whole(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    problems.push(`${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** One page of `items` as `query` asks, or the 400 to answer. `pathUrl` is the list's URL without query. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  pathUrl: string,
): { page: Page<T> } | { reply: Reply } {
  const problems: string[] = [];
  const itemsPerPage = whole(query, 'itemsPerPage', DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE, problems);
  const pageNum = whole(query, 'pageNum', 1, Number.MAX_SAFE_INTEGER, problems);
  const includeCount = query.get('includeCount');
  if (includeCount !== null && includeCount !== 'true' && includeCount !== 'false') {
    problems.push('includeCount must be true or false');
  }
  if (problems.length > 0) return { reply: invalid(problems) };
  const start = (pageNum - 1) * itemsPerPage;
  const href = (n: number) => `${pathUrl}?pageNum=${n}&itemsPerPage=${itemsPerPage}`;
  const links = [
    ...(pageNum > 1 ? [{ href: href(pageNum - 1), rel: 'previous' }] : []),
    { href: href(pageNum), rel: 'self' },
    ...(start + itemsPerPage < items.length ? [{ href: href(pageNum + 1), rel: 'next' }] : []),
  ];
  const results = items.slice(start, start + itemsPerPage);
  return {
    page: includeCount === 'false' ? { links, results } : { links, results, totalCount: items.length },
  };
}
