// JSON.parse keeps the last of two equal keys of one object, while Terraform merges them (a second
// "resource" key adds blocks audit would never see). So a stack file is scanned for duplicate keys before
// it is trusted; a small scanner over text that JSON.parse already accepted, no dependency.

/** One open object or array while scanning. */
interface Frame {
  readonly keys: Set<string> | undefined;
  /** Where it sits, for the message: `resource.terraform_data`. */
  readonly path: string;
  expectKey: boolean;
  lastKey: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The first key that appears twice in one object, as a dotted path (`resource` at the top level,
 * `locals.mongodb_invitations."k"` deeper), or undefined. `text` must be valid JSON.
 */
export function findDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          escaped = true;
          j++;
        } else if (d === QUOTE) break;
      }
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i + 1, j);
        // Two spellings of one key ("a" and "\u0061") are the same key.
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return join(top.path, key);
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = stack.at(-1);
      const path = top === undefined ? '' : top.keys ? join(top.path, top.lastKey) : `${top.path}[]`;
      stack.push({ keys: c === 0x7b ? new Set() : undefined, path, expectKey: true, lastKey: '' });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top) top.expectKey = true;
    }
  }
  return undefined;
}

function join(path: string, key: string): string {
  const shown = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? shown : `${path}.${shown}`;
}
