// `plan-summary` step 1: the text of `terraform show -json plan.out`, from a file or stdin, read with a size
// cap (a file's size is checked before one byte is read), then parsed and recognised as a plan. Anything
// else (not JSON, duplicate keys, state, a configuration, another tool's JSON) is a UsageError: exit 2.
import { createReadStream, closeSync, fstatSync, openSync } from 'node:fs';
import { quote } from '../../contract/rules';
import { UsageError } from '../options';
import { findDuplicateKey } from '../json-duplicates';
import { readOpenFile } from '../read-open-file';

/** Largest plan read: Terraform writes about 2.3 KB an instance, so 10 000 entries (two each) are ~50 MB. */
export const MAX_PLAN_BYTES = 256 * 1024 * 1024;

/** Where the plan comes from: a file name, or stdin (`-`). */
export type PlanSource =
  | { readonly kind: 'file'; readonly path: string; readonly shown: string }
  | { readonly kind: 'stdin'; readonly stream: AsyncIterable<Uint8Array | string> | undefined };

const HOW = 'pass the output of "terraform show -json plan.out"';
const MIB = 1024 * 1024;

function tooLarge(shown: string, maxBytes: number): UsageError {
  const cap = maxBytes % MIB === 0 ? `${maxBytes / MIB} MiB` : `${maxBytes} bytes`;
  return new UsageError(`plan-summary: ${shown} is larger than ${cap}: refused; ${HOW} of one stack`);
}

/** Reads a stream to its end, refusing it as soon as it passes `maxBytes`. */
async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  shown: string,
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buffer.length;
    if (total > maxBytes) throw tooLarge(shown, maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

/** A regular file: its size checked first, then exactly that many bytes read. Pipes are streamed. */
async function readFile(path: string, shown: string, maxBytes: number): Promise<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission)'
          : 'cannot be opened';
    throw new UsageError(`plan-summary: ${shown} ${why}; ${HOW}, or - for stdin`);
  }
  let streamed = false;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`plan-summary: ${shown} is a directory; ${HOW}`);
    if (!stat.isFile()) {
      streamed = true; // a pipe such as <(terraform show -json plan.out): the stream closes fd
      return await readStream(createReadStream('', { fd }), shown, maxBytes);
    }
    if (stat.size > maxBytes) throw tooLarge(shown, maxBytes);
    return readOpenFile(fd, stat.size);
  } finally {
    if (!streamed) closeSync(fd);
  }
}

/** The bytes of the plan, before any parsing. */
export async function readPlanBytes(source: PlanSource, maxBytes = MAX_PLAN_BYTES): Promise<Buffer> {
  if (source.kind === 'file') return readFile(source.path, source.shown, maxBytes);
  if (source.stream === undefined) throw new UsageError('plan-summary: no stdin to read the plan from');
  if ((source.stream as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError(
      'plan-summary: stdin is a terminal; pipe the plan in: terraform show -json plan.out | mongodb-invitations plan-summary -',
    );
  }
  return readStream(source.stream, 'stdin', maxBytes);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the text is when it is not a plan, so the message can say what to do instead. */
function notAPlan(doc: unknown, shown: string): UsageError {
  const is = (what: string, todo = HOW) =>
    new UsageError(`plan-summary: ${shown} is ${what}, not a Terraform plan; ${todo}`);
  if (!isObject(doc))
    return is(`JSON ${Array.isArray(doc) ? 'array' : typeof doc === 'object' ? 'null' : typeof doc}`);
  if ('lineage' in doc && 'serial' in doc) return is('a Terraform state file');
  if ('values' in doc && 'format_version' in doc) {
    return is('Terraform state ("terraform show -json" without a plan file)');
  }
  if ('resource' in doc || 'terraform' in doc || 'locals' in doc) {
    return is(
      'a Terraform configuration (such as cdk.tf.json)',
      `run "terraform plan -out plan.out", then ${HOW}`,
    );
  }
  return is('JSON of another kind (no format_version and planned_values or resource_changes)');
}

/** The parsed plan: a JSON object with format_version 1.x and its resource_changes (maybe none). */
export interface PlanDocument {
  readonly formatVersion: string;
  readonly resourceChanges: readonly unknown[];
  readonly complete: boolean;
  readonly errored: boolean;
}

/** Decodes, parses and recognises a plan. Throws UsageError with what is wrong and what to do. */
export function parsePlan(bytes: Buffer, shown: string): PlanDocument {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new UsageError(
      `plan-summary: ${shown} is UTF-16 text (PowerShell's > writes it); write it as UTF-8 (Out-File -Encoding utf8), or pipe it into "plan-summary -"`,
    );
  }
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) {
    throw new UsageError(`plan-summary: ${shown} is a binary plan file, not its JSON; ${HOW}`);
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'empty' : 'not JSON';
    throw new UsageError(`plan-summary: ${shown} is ${what}; ${HOW}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new UsageError(
      `plan-summary: ${shown} has the key ${quote(duplicate.key)} twice in one object (${duplicate.path}): refused, as the two could be read differently; ${HOW}`,
    );
  }
  if (!isObject(doc) || typeof doc.format_version !== 'string') throw notAPlan(doc, shown);
  if (!('planned_values' in doc) && !('resource_changes' in doc)) throw notAPlan(doc, shown);
  if (!/^1\.\d+$/.test(doc.format_version)) {
    throw new UsageError(
      `plan-summary: ${shown} has format_version ${quote(doc.format_version)}; this version reads 1.x (Terraform 1.0 and later)`,
    );
  }
  const changes = doc.resource_changes ?? [];
  if (!Array.isArray(changes)) {
    throw new UsageError(
      `plan-summary: ${shown}: resource_changes is not an array: not a Terraform plan; ${HOW}`,
    );
  }
  return {
    formatVersion: doc.format_version,
    resourceChanges: changes,
    complete: doc.complete !== false,
    errored: doc.errored === true,
  };
}
