// `audit` step 1: find the synthesized stacks (those named, and every sibling in the same synth output, so
// that nothing another stack declares is ever taken for undeclared) and read what each declares. Nothing
// here trusts a file: sizes are capped, duplicate keys and extra Terraform files make a stack unreadable.
import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { BLOCK_NAME } from '../../contract/keys';
import { quote } from '../../contract/rules';
import { UsageError } from '../options';
import { findDuplicateKey } from './json-duplicates';
import { BLOCK_TYPES, StackLayoutError, stackEntries, type StackEntry } from './stack-entries';

export { BLOCK_TYPES, type BlockType } from './stack-entries';

/** Where `cdktf synth` writes stacks, relative to the working directory. */
export const DEFAULT_STACKS_DIR = join('cdktf.out', 'stacks');
/** Largest `cdk.tf.json` read (a stack of 10 000 entries is about 8 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Most entries read over every stack of one run. */
export const MAX_ENTRIES = 100_000;
/** Most stack directories read in one run. */
export const MAX_STACKS = 1_000;
/** Files Terraform (or OpenTofu) would load beside `cdk.tf.json`, and so could change what it declares. */
const TERRAFORM_FILE = /\.(tf|tofu)(\.json)?$/;
const STACK_FILE = 'cdk.tf.json';

/** One stack directory to read. */
export interface StackRef {
  /** Its `cdk.tf.json` (it may be missing). */
  readonly file: string;
  /** The stack directory's name. */
  readonly stack: string;
  /** Named on the command line: any problem with it refuses the run. */
  readonly explicit: boolean;
  /** Its projects are audited (named, or every stack when none is named); else it only declares. */
  readonly inScope: boolean;
}

/** One entry of a stack, as found: its values are checked later. */
export interface RawEntry extends StackEntry {
  /** The file, as given or found (relative to the working directory when under it). */
  readonly file: string;
  readonly stack: string;
  readonly inScope: boolean;
}

const shownPath = (path: string, cwd: string): string => {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || rel === '' ? path : rel;
};

/** The directories under `root` (symbolic links followed; a broken one is listed, and unreadable). */
function stackDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => {
      if (d.isDirectory()) return true;
      if (!d.isSymbolicLink()) return false;
      try {
        return statSync(join(root, d.name)).isDirectory();
      } catch {
        return true;
      }
    })
    .map((d) => join(root, d.name))
    .sort();
}

const realOf = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};

/** What to read: the stacks named (and their siblings under the same `stacks/`), else every default stack. */
export function findStacks(args: readonly string[], cwd: string): StackRef[] {
  if (args.length === 0) {
    const root = resolve(cwd, DEFAULT_STACKS_DIR);
    let dirs: string[];
    try {
      dirs = stackDirs(root);
    } catch {
      throw new UsageError(
        `audit: no ${DEFAULT_STACKS_DIR} directory here: run "cdktf synth" first, or name stack directories`,
      );
    }
    if (dirs.length === 0) throw new UsageError(`audit: no stack directory in ${DEFAULT_STACKS_DIR}`);
    if (dirs.length > MAX_STACKS) throw new UsageError(`audit: at most ${MAX_STACKS} stacks at once`);
    return dirs.map((d) => ({
      file: join(d, STACK_FILE),
      stack: basename(d),
      explicit: false,
      inScope: true,
    }));
  }
  if (args.length > MAX_STACKS) throw new UsageError(`audit: at most ${MAX_STACKS} stacks at once`);
  const named = args.map((a) => fileOf(resolve(cwd, a), a));
  const refs: StackRef[] = named.map((file) => ({
    file,
    stack: basename(dirname(file)),
    explicit: true,
    inScope: true,
  }));
  // Siblings: every other stack of the synth output a named stack belongs to (`…/stacks/<name>`).
  const seen = new Set(named.map((f) => realOf(dirname(f))));
  for (const file of named) {
    const parent = dirname(dirname(file));
    if (basename(parent) !== 'stacks') continue;
    for (const dir of stackDirs(parent)) {
      const real = realOf(dir);
      if (seen.has(real)) continue;
      seen.add(real);
      refs.push({ file: join(dir, STACK_FILE), stack: basename(dir), explicit: false, inScope: false });
    }
  }
  if (refs.length > MAX_STACKS) throw new UsageError(`audit: at most ${MAX_STACKS} stacks at once`);
  return refs;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function fileOf(path: string, given: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`audit: ${quote(given)} does not exist`);
  }
  if (stat.isFile()) return path;
  const file = join(path, STACK_FILE);
  if (stat.isDirectory() && isFile(file)) return file;
  throw new UsageError(`audit: ${quote(given)} holds no cdk.tf.json: name a synthesized stack directory`);
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
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.toString('utf8', 0, read);
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
      `${shown} has the key ${duplicate} twice (Terraform merges both, audit would read only the last): ${AGAIN}`,
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
