// `audit` step 0: which stacks to read. Those named, and every sibling in the same synth output (what another
// stack declares is never taken for undeclared); else every stack under ./cdktf.out/stacks. Symbolic links
// to stack directories are followed.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { quote } from '../../contract/rules';
import { UsageError } from '../options';

/** Where `cdktf synth` writes stacks, relative to the working directory. */
export const DEFAULT_STACKS_DIR = join('cdktf.out', 'stacks');
/** Most stack directories read in one run. */
export const MAX_STACKS = 1_000;
export const STACK_FILE = 'cdk.tf.json';

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

export const shownPath = (path: string, cwd: string): string => {
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
