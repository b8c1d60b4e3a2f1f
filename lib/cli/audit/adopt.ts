// `audit --adopt FILE|- [--merge]`: the undeclared invitations as entries of the examples' invitations.json.
// FILE may be the declared set itself, so it is never replaced: a new file, `-` (stdout), or --merge, which
// only adds entries. Every check runs before the first request (checkAdoptTarget), the write at the end.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { quote } from '../../contract/rules';
import { UsageError } from '../options';
import type { Finding } from './compare';

/** An entry of the examples' `invitations.json`. */
export interface AdoptEntry {
  readonly groupId: string;
  readonly username: string;
  readonly roles: string[];
}

/**
 * The undeclared invitations as entries: one per project and username (a person pending on both Atlas
 * APIs appears once, with the roles of the Cloud Users invitation), sorted. `conflicts` names the people
 * pending twice with different roles (the file keeps one; the user decides).
 */
export function adoptEntries(findings: readonly Finding[]): { entries: AdoptEntry[]; conflicts: string[] } {
  const byPerson = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.finding !== 'undeclared' || f.username === undefined) continue;
    const k = `${f.groupId}/${f.username}`;
    byPerson.set(k, [...(byPerson.get(k) ?? []), f]);
  }
  const entries: AdoptEntry[] = [];
  const conflicts: string[] = [];
  for (const [k, list] of [...byPerson].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const chosen = list.find((f) => f.api === 'cloud-users') ?? (list[0] as Finding);
    const roles = [...chosen.roles];
    if (list.some((f) => f.roles.join(',') !== roles.join(','))) conflicts.push(k);
    entries.push({ groupId: chosen.groupId, username: chosen.username as string, roles });
  }
  return { entries, conflicts };
}

const value = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v);

/** The file's text: a JSON array, one entry per line (like examples/atlas/invitations.json). */
export function adoptText(entries: readonly object[]): string {
  if (entries.length === 0) return '[]\n';
  const line = (e: object) =>
    `{ ${Object.entries(e)
      .map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`)
      .join(', ')} }`;
  return `[\n${entries.map((e) => `  ${line(e)}`).join(',\n')}\n]\n`;
}

/** Who an entry is: project and username (any case) or invitation id. */
function identity(e: Record<string, unknown>): string {
  const who = typeof e.username === 'string' ? e.username.toLowerCase() : e.invitationId;
  return typeof e.groupId === 'string' && typeof who === 'string' ? `${e.groupId}/${who}` : JSON.stringify(e);
}

/** Every entry already there, plus the adopted ones nobody lists yet; sorted by who, stable. */
export function mergeEntries(existing: readonly Record<string, unknown>[], adopted: readonly AdoptEntry[]) {
  const known = new Set(existing.map(identity));
  const added = adopted.filter((e) => !known.has(identity({ ...e })));
  const all = [...existing, ...added];
  const keys = all.map((e) => identity(e as Record<string, unknown>));
  const order = all
    .map((_, i) => i)
    .sort((a, b) => {
      const x = keys[a] as string;
      const y = keys[b] as string;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  return { entries: order.map((i) => all[i] as object), added: added.length };
}

/** What --adopt will write to, checked before anything is sent. */
export type AdoptTarget =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'new'; readonly path: string; readonly shown: string }
  | {
      readonly kind: 'merge';
      readonly path: string;
      readonly shown: string;
      readonly existing: Record<string, unknown>[];
    };

/** Refuses (UsageError, exit 2) a FILE that exists without --merge, or that --merge cannot read. */
export function checkAdoptTarget(file: string, merge: boolean, cwd: string): AdoptTarget {
  if (file === '-') return { kind: 'stdout' };
  const path = resolve(cwd, file);
  const shown = quote(file);
  if (!existsSync(path)) return { kind: 'new', path, shown };
  if (!merge) {
    throw new UsageError(
      `audit: --adopt ${shown} exists and is never replaced (it may be the declared set): ` +
        'add --merge to add the undeclared entries to it, name a new file, or - for stdout',
    );
  }
  let existing: unknown;
  try {
    existing = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`audit: --adopt ${shown} --merge: the file is not valid JSON: not changed`);
  }
  if (!Array.isArray(existing) || !existing.every((e) => typeof e === 'object' && e && !Array.isArray(e))) {
    throw new UsageError(`audit: --adopt ${shown} --merge: the file is not a JSON array of entries`);
  }
  return { kind: 'merge', path, shown, existing: existing as Record<string, unknown>[] };
}

/** Writes the entries; a new file is created exclusively, a merge is written whole then renamed. */
export function writeAdopted(
  target: AdoptTarget,
  adopted: readonly AdoptEntry[],
  stdout: (text: string) => void,
): string {
  const n = (k: number) => `${k} undeclared entr${k === 1 ? 'y' : 'ies'}`;
  if (target.kind === 'stdout') {
    stdout(adoptText(adopted));
    return `wrote ${n(adopted.length)} to stdout`;
  }
  if (target.kind === 'new') {
    try {
      writeFileSync(target.path, adoptText(adopted), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UsageError(`audit: --adopt ${target.shown} appeared meanwhile: not replaced`);
      throw err;
    }
    return `wrote ${n(adopted.length)} to ${target.shown}`;
  }
  const { entries, added } = mergeEntries(target.existing, adopted);
  const temp = `${target.path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, adoptText(entries), { flag: 'wx' });
    renameSync(temp, target.path);
  } finally {
    rmSync(temp, { force: true });
  }
  return `added ${n(added)} to ${target.shown} (${entries.length - added} kept)`;
}
