// Where a synthesized stack keeps what this library declares: the ONE place that knows the block layout.
// Per resource type, the identity block (BLOCK_NAME, destroy-time revoke) and, beside it or not, the roles
// block (ROLES_BLOCK_NAME, create-time invite) iterate one `locals` map of entries with the same keys. Each
// entry is either an object of every key (the layout written before entries were packed), or one short
// string naming a profile (lib/contract packEntry; unpackEntry reads the previous packed layout too): each is
// read back to every key.
import {
  BLOCK_NAME,
  instanceAddress,
  profilesName,
  RESOURCE_TYPES,
  ROLES_BLOCK_NAME,
  unpackEntry,
  type ResourceType,
} from '../../contract/keys';

/** The resource types whose blocks this library writes. */
export const BLOCK_TYPES = RESOURCE_TYPES;
export type BlockType = ResourceType;

/** One entry of a stack, as found: its values are checked later (validate-entry.ts). */
export interface StackEntry {
  readonly resourceType: BlockType;
  /** The `for_each` key. */
  readonly key: string;
  readonly values: unknown;
  /** The identity block's instance (its destroy runs the revoke): `terraform_data.mongodb_invitations["k"]`. */
  readonly address: string;
  /** The instance that `terraform apply -replace` invites again: the roles block's, where there is one. */
  readonly replaceAddress: string;
}

/** A stack whose blocks cannot be read: the text says why (the caller names the file). */
export class StackLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackLayoutError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A block's entries: `for_each = "${local.<name>}"` (what the construct writes), or an inline map. */
function forEachMap(doc: Record<string, unknown>, block: unknown): Record<string, unknown> | undefined {
  const forEach = isObject(block) ? block.for_each : undefined;
  if (isObject(forEach)) return forEach;
  const name =
    typeof forEach === 'string' ? /^\$\{local\.([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(forEach)?.[1] : undefined;
  const locals = doc.locals;
  if (name === undefined || !isObject(locals)) return undefined;
  const map = locals[name];
  return isObject(map) ? map : undefined;
}

/** Every value of an entry written as one string, from the profiles it names. */
function unpacked(doc: Record<string, unknown>, resourceType: BlockType, key: string, text: string): unknown {
  const locals = isObject(doc.locals) ? doc.locals : {};
  const profiles = locals[profilesName(resourceType)];
  const values = isObject(profiles) ? unpackEntry(text, profiles) : undefined;
  if (values === undefined) {
    throw new StackLayoutError(
      `the entry "${key}" of ${resourceType}.${BLOCK_NAME} cannot be read (${JSON.stringify(text)} with locals.${profilesName(resourceType)}): synthesize it again`,
    );
  }
  return values;
}

/**
 * Every entry this library declares in one parsed `cdk.tf.json` (either layout: the identity block alone,
 * or with the roles block), and how many blocks hold them. Throws StackLayoutError when a block is there
 * but its entries cannot be read, or when the two blocks of a type iterate different entries.
 */
export function stackEntries(doc: Record<string, unknown>): { blocks: number; entries: StackEntry[] } {
  const resources = doc.resource ?? {};
  if (!isObject(resources)) throw new StackLayoutError('"resource" is not an object');
  const entries: StackEntry[] = [];
  let blocks = 0;
  for (const resourceType of BLOCK_TYPES) {
    const ofType = resources[resourceType];
    if (ofType === undefined) continue;
    if (!isObject(ofType)) throw new StackLayoutError(`resource.${resourceType} is not an object`);
    const maps: Record<string, unknown>[] = [];
    for (const name of [BLOCK_NAME, ROLES_BLOCK_NAME]) {
      if (ofType[name] === undefined) continue;
      const map = forEachMap(doc, ofType[name]);
      if (!map) {
        throw new StackLayoutError(
          `${resourceType}.${name} has no for_each map of entries: synthesize it again`,
        );
      }
      maps.push(map);
      blocks++;
    }
    const [first, second] = maps;
    if (first === undefined) continue;
    if (second !== undefined && second !== first && JSON.stringify(second) !== JSON.stringify(first)) {
      throw new StackLayoutError(
        `${resourceType}.${BLOCK_NAME} and ${resourceType}.${ROLES_BLOCK_NAME} iterate different entries: synthesize it again`,
      );
    }
    const replaceBlock = ofType[ROLES_BLOCK_NAME] === undefined ? 'identity' : 'roles';
    for (const [key, value] of Object.entries(first)) {
      entries.push({
        resourceType,
        key,
        values: typeof value === 'string' ? unpacked(doc, resourceType, key, value) : value,
        address: instanceAddress(resourceType, 'identity', key),
        replaceAddress: instanceAddress(resourceType, replaceBlock, key),
      });
    }
  }
  return { blocks, entries };
}
