// Hand-written because JSON.parse keeps the last of two equal keys without a word: a plan or stack file
// saying `"username"` twice would be read from one value while a person reading the text sees the other.
// It runs on text JSON.parse has already accepted, so it only tracks objects, arrays, keys and strings.

interface Frame {
  readonly keys: Set<string> | undefined;
  key: string | undefined;
  index: number;
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The end (index of the closing quote) of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  let at = text.indexOf('"', start + 1);
  for (;;) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
}

const plainKey = (key: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key));

/** `resource_changes[2].change`: where the innermost open value sits. */
function pathOf(stack: readonly Frame[]): string {
  const steps = stack.map((f) => {
    if (f.keys === undefined) return `[${f.index}]`;
    return f.key === undefined ? '' : `.${plainKey(f.key)}`;
  });
  return steps.join('').replace(/^\./, '');
}

/**
 * The first key that appears twice in one object, with the path of its object
 * (`resource_changes[2].change`, `(top level)`),
 * or undefined. `text` must be valid JSON.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (top?.keys !== undefined && top.expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return { key, path: pathOf(stack.slice(0, -1)) || '(top level)' };
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), key: undefined, index: 0, expectKey: true });
    } else if (c === 0x5b /* [ */) {
      stack.push({ keys: undefined, key: undefined, index: 0, expectKey: false });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */ && top !== undefined) {
      if (top.keys === undefined) top.index++;
      else top.expectKey = true;
    }
  }
  return undefined;
}
