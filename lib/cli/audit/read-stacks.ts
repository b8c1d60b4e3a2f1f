// `audit` step 1: find the synthesized stacks and this library's block(s) in each `cdk.tf.json`. Nothing
// here trusts the file: sizes are capped, shapes checked, and every problem is a UsageError (exit 2)
// naming the file, before any request is sent. The entries' values are checked in validate-entry.ts.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BLOCK_NAME } from '../../contract/keys';
import { quote } from '../../contract/rules';
import { UsageError } from '../options';

/** Where `cdktf synth` writes stacks, relative to the working directory. */
export const DEFAULT_STACKS_DIR = join('cdktf.out', 'stacks');
/** Largest `cdk.tf.json` read (a stack of 10 000 entries is about 8 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Most entries read over every stack of one run. */
export const MAX_ENTRIES = 100_000;
/** Most stack directories read in one run. */
export const MAX_STACKS = 1_000;

/** The resource types whose `mongodb_invitations` block this library writes. */
export const BLOCK_TYPES = ['terraform_data', 'null_resource'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** One entry of a block, as found: its values are checked later. */
export interface RawEntry {
  /** The file, as given or found (relative to the working directory when under it). */
  readonly file: string;
  /** The stack directory's name. */
  readonly stack: string;
  readonly resourceType: BlockType;
  /** The `for_each` key. */
  readonly key: string;
  readonly values: unknown;
}

/** Where to read: the arguments (stack directories, or `cdk.tf.json` files), else every default stack. */
export function findStackFiles(args: readonly string[], cwd: string): { files: string[]; explicit: boolean } {
  if (args.length > 0) {
    if (args.length > MAX_STACKS) throw new UsageError(`audit: at most ${MAX_STACKS} stacks at once`);
    return { files: args.map((a) => fileOf(resolve(cwd, a), a)), explicit: true };
  }
  const root = resolve(cwd, DEFAULT_STACKS_DIR);
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    throw new UsageError(
      `audit: no ${DEFAULT_STACKS_DIR} directory here: run "cdktf synth" first, or name stack directories`,
    );
  }
  const files = names.map((n) => join(root, n, 'cdk.tf.json')).filter((f) => isFile(f));
  if (files.length === 0) throw new UsageError(`audit: no stack with a cdk.tf.json in ${DEFAULT_STACKS_DIR}`);
  if (files.length > MAX_STACKS) throw new UsageError(`audit: at most ${MAX_STACKS} stacks at once`);
  return { files, explicit: false };
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
  const file = join(path, 'cdk.tf.json');
  if (stat.isDirectory() && isFile(file)) return file;
  throw new UsageError(`audit: ${quote(given)} holds no cdk.tf.json: name a synthesized stack directory`);
}

/** Reads one file, refusing anything larger than MAX_FILE_BYTES or not a regular file. */
function readCapped(file: string, shown: string): string {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`audit: ${shown} is not a regular file`);
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

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The block's entries: `for_each = "${local.<name>}"` (what the construct writes), or an inline map. */
function entriesOf(doc: Record<string, unknown>, forEach: unknown): Record<string, unknown> | undefined {
  if (isObject(forEach)) return forEach;
  const name =
    typeof forEach === 'string' ? /^\$\{local\.([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(forEach)?.[1] : undefined;
  const locals = doc.locals;
  if (name === undefined || !isObject(locals)) return undefined;
  const map = locals[name];
  return isObject(map) ? map : undefined;
}

/** The entries of one file's blocks. Throws UsageError for an unreadable file or a malformed block. */
export function readStack(file: string, cwd: string): { blocks: number; entries: RawEntry[] } {
  const rel = relative(cwd, file);
  const shown = rel.startsWith('..') || rel === '' ? file : rel;
  let doc: unknown;
  try {
    doc = JSON.parse(readCapped(file, shown));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new UsageError(`audit: ${shown} ${why}: synthesize the stack again ("cdktf synth")`);
  }
  if (!isObject(doc)) throw new UsageError(`audit: ${shown} is not a Terraform JSON configuration object`);
  const resources = doc.resource ?? {};
  if (!isObject(resources)) throw new UsageError(`audit: ${shown}: "resource" is not an object`);
  const stack = file.split(/[\\/]/).slice(-2, -1)[0] ?? shown;
  const out: RawEntry[] = [];
  let blocks = 0;
  for (const resourceType of BLOCK_TYPES) {
    const ofType = resources[resourceType];
    if (ofType === undefined) continue;
    if (!isObject(ofType)) throw new UsageError(`audit: ${shown}: resource.${resourceType} is not an object`);
    const block = ofType[BLOCK_NAME];
    if (block === undefined) continue;
    const where = `${shown}: ${resourceType}.${BLOCK_NAME}`;
    const map = isObject(block) ? entriesOf(doc, block.for_each) : undefined;
    if (!map) throw new UsageError(`audit: ${where} has no for_each map of entries: synthesize it again`);
    blocks++;
    for (const [key, values] of Object.entries(map)) {
      out.push({ file: shown, stack, resourceType, key, values });
    }
  }
  return { blocks, entries: out };
}

/** Every entry of every file; a file without any of this library's blocks is an error when named. */
export function readStacks(
  files: readonly string[],
  explicit: boolean,
  cwd: string,
  warn: (text: string) => void,
): RawEntry[] {
  const all: RawEntry[] = [];
  let found = 0;
  for (const file of files) {
    const { blocks, entries } = readStack(file, cwd);
    if (blocks === 0) {
      const rel = relative(cwd, file);
      const message = `${rel.startsWith('..') ? file : rel} holds no ${BLOCK_TYPES.map((t) => `${t}.${BLOCK_NAME}`).join(' or ')} block (no ProjectInvitations in that stack)`;
      if (explicit) throw new UsageError(`audit: ${message}`);
      warn(`skipped: ${message}`);
      continue;
    }
    found += blocks;
    all.push(...entries);
    if (all.length > MAX_ENTRIES) {
      throw new UsageError(`audit: more than ${MAX_ENTRIES} entries over the stacks given: refused`);
    }
  }
  if (found === 0) {
    throw new UsageError(
      `audit: no stack in ${DEFAULT_STACKS_DIR} holds a ProjectInvitations block: nothing to audit`,
    );
  }
  return all;
}
