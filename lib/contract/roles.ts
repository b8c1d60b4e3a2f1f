// Project roles, as every layer reads them: the rule of a role name, the text form an entry carries
// (sorted, comma-joined), its parsing back (the CLI's --roles and MONGODB_INVITATIONS_*ROLES, audit's
// entries), and comparison without regard to order or repetition.
import { quote } from './rules';

/** How a project role is spelled: `^[A-Z][A-Z_]*$`. */
export const ROLE_PATTERN = /^[A-Z][A-Z_]*$/;

/**
 * The project roles MongoDB's spec of 2025-08-26 enumerated. The set grows (the 2026 spec dropped the
 * enum), so a role outside it is a warning, never an error.
 */
export const KNOWN_PROJECT_ROLES: readonly string[] = [
  'GROUP_BACKUP_MANAGER',
  'GROUP_CLUSTER_MANAGER',
  'GROUP_DATA_ACCESS_ADMIN',
  'GROUP_DATA_ACCESS_READ_ONLY',
  'GROUP_DATA_ACCESS_READ_WRITE',
  'GROUP_DATABASE_ACCESS_ADMIN',
  'GROUP_OBSERVABILITY_VIEWER',
  'GROUP_OWNER',
  'GROUP_READ_ONLY',
  'GROUP_SEARCH_INDEX_EDITOR',
  'GROUP_STREAM_PROCESSING_OWNER',
];

/** Returns what is wrong with a list of roles (at least one, each `^[A-Z][A-Z_]*$`), or undefined. */
export function checkRoles(label: string, roles: readonly unknown[]): string | undefined {
  if (!Array.isArray(roles) || roles.length === 0) {
    return `${label} must name at least one role, such as GROUP_READ_ONLY`;
  }
  const bad = roles.filter((r) => typeof r !== 'string' || !ROLE_PATTERN.test(r));
  if (bad.length === 0) return undefined;
  return `${label} must be role names in capitals and underscores, such as GROUP_READ_ONLY (value: ${bad
    .map((r) => quote(String(r)))
    .join(', ')})`;
}

/** Roles without duplicates, sorted: role order and repetition never matter. */
export function sortRoles(roles: readonly string[]): string[] {
  return [...new Set(roles)].sort();
}

/** Roles as an identity and as they travel (state, environment): sorted, without duplicates, comma-joined. */
export function canonicalRoles(roles: readonly string[]): string {
  return sortRoles(roles).join(',');
}

/**
 * The roles of a comma-separated text, each trimmed, in the order given: the inverse of canonicalRoles
 * for what the construct writes, and the reading of `--roles`. Check the result with checkRoles.
 */
export function parseRoles(text: string): string[] {
  return text.split(',').map((role) => role.trim());
}

/** True when two role lists hold the same roles, in any order. */
export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return canonicalRoles(a) === canonicalRoles(b);
}
