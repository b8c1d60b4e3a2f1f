// `audit` step 1: read what each stack declares (find-stacks.ts says which). Nothing here trusts a file:
// sizes are capped; no cdk.tf.json, invalid JSON, a key written twice or other Terraform files beside it
// make a stack unreadable (named: exit 2; else skipped with a line, and --prune refused).
import { closeSync, fstatSync, openSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLOCK_NAME } from '../../contract/keys';
import { findDuplicateKey } from '../json-duplicates';
import { UsageError } from '../options';
import { readOpenFile } from '../read-open-file';
import { shownPath, STACK_FILE, type StackRef } from './find-stacks';
import { BLOCK_TYPES, StackLayoutError, stackEntries, type StackEntry } from './stack-entries';

export { BLOCK_TYPES, type BlockType } from './stack-entries';
export { DEFAULT_STACKS_DIR, findStacks, MAX_STACKS, type StackRef } from './find-stacks';

/** Largest `cdk.tf.json` read (a stack of 10 000 entries is about 8 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Most entries read over every stack of one run. */
export const MAX_ENTRIES = 100_000;
/** Files Terraform (or OpenTofu) would load beside `cdk.tf.json`, and so could change what it declares. */
const TERRAFORM_FILE = /\.(tf|tofu)(\.json)?$/;

/** One entry of a stack, as found: its values are checked later. */
export interface RawEntry extends StackEntry {
  /** The file, as given or found (relative to the working directory when under it). */
  readonly file: string;
  readonly stack: string;
  readonly inScope: boolean;
}

/** Reads one file, refusing anything larger than MAX_FILE_BYTES or not a regular file. */
function readCapped(file: string, shown: string): string {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnreadableStack(`${shown} is not a regular file`);
    if (stat.size > MAX_FILE_BYTES) {
      throw new UsageError(`audit: ${shown} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: refused`);
    }
    return readOpenFile(fd, stat.size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A stack whose declarations cannot be known: skipped with a line, and --prune is refused. */
class UnreadableStack extends Error {}

const AGAIN = 'synthesize the stack again ("cdktf synth")';

/** The entries of one stack. Throws UnreadableStack (or UsageError for a file over the cap). */
function readStack(ref: StackRef, cwd: string): { blocks: number; entries: RawEntry[] } {
  const shown = shownPath(ref.file, cwd);
  const dir = dirname(ref.file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new UnreadableStack(`${shownPath(dir, cwd)} cannot be read`);
  }
  if (!names.includes(STACK_FILE)) {
    throw new UnreadableStack(
      `${shownPath(dir, cwd)} holds no ${STACK_FILE} (a synth that stopped part-way?): ${AGAIN}`,
    );
  }
  const others = names.filter((n) => n !== STACK_FILE && TERRAFORM_FILE.test(n)).sort();
  if (others.length > 0) {
    throw new UnreadableStack(
      `${shownPath(dir, cwd)} holds other Terraform files beside ${STACK_FILE} (${others.slice(0, 3).join(', ')}) that could change what it declares`,
    );
  }
  let text: string;
  let doc: unknown;
  try {
    text = readCapped(ref.file, shown);
    doc = JSON.parse(text);
  } catch (err) {
    if (err instanceof UsageError || err instanceof UnreadableStack) throw err;
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new UnreadableStack(`${shown} ${why}: ${AGAIN}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UnreadableStack(`${shown} is not a Terraform JSON configuration object`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new UnreadableStack(
      `${shown} has the key ${duplicate.path === '(top level)' ? duplicate.key : `${duplicate.path}.${duplicate.key}`} twice (Terraform merges both, audit would read only the last): ${AGAIN}`,
    );
  }
  try {
    const found = stackEntries(doc as Record<string, unknown>);
    const entries = found.entries.map((e) => ({ ...e, file: shown, stack: ref.stack, inScope: ref.inScope }));
    return { blocks: found.blocks, entries };
  } catch (err) {
    if (err instanceof StackLayoutError) throw new UnreadableStack(`${shown}: ${err.message}`);
    throw err;
  }
}

export interface StacksRead {
  readonly entries: RawEntry[];
  /** Stacks in scope that hold at least one block. */
  readonly withBlocks: number;
  /** Why each unreadable stack was skipped (what it declares is unknown). */
  readonly unreadable: string[];
}

/**
 * Every entry of every stack. A named stack that is unreadable refuses the run, and so does one that holds
 * no block, unless `emptyAllowed` (`--group-id`: the stack whose last construct was removed).
 */
export function readStacks(
  refs: readonly StackRef[],
  cwd: string,
  warn: (text: string) => void,
  emptyAllowed = false,
): StacksRead {
  const entries: RawEntry[] = [];
  const unreadable: string[] = [];
  let withBlocks = 0;
  for (const ref of refs) {
    let found;
    try {
      found = readStack(ref, cwd);
    } catch (err) {
      if (!(err instanceof UnreadableStack)) throw err;
      if (ref.explicit) throw new UsageError(`audit: ${err.message}`);
      unreadable.push(err.message);
      warn(`skipped: ${err.message}`);
      continue;
    }
    if (found.blocks === 0) {
      const message = `${shownPath(ref.file, cwd)} holds no ${BLOCK_TYPES.map((t) => `${t}.${BLOCK_NAME}`).join(' or ')} block (no ProjectInvitations in that stack)`;
      if (ref.explicit && !emptyAllowed) {
        throw new UsageError(
          `audit: ${message}: nothing to audit there (what a removed construct left pending: audit --group-id ID)`,
        );
      }
      if (ref.inScope) warn(`skipped: ${message}`);
      continue;
    }
    if (ref.inScope) withBlocks++;
    entries.push(...found.entries);
    if (entries.length > MAX_ENTRIES) {
      throw new UsageError(`audit: more than ${MAX_ENTRIES} entries over the stacks read: refused`);
    }
  }
  return { entries, withBlocks, unreadable };
}
