// What Terraform would do with a synthesized stack, from its JSON alone, for the narrow expressions the
// construct writes: each instance's values (the `locals` entry, escapes taken back), its `self` fields
// (the leading fields of the entry's text by name, its profile, the identity link, merged), and the
// environment of a provisioner (`${self.…}`, `${try(self.…, "")}`, `${each.key}`). Any other expression
// fails the test: a provisioner may read only self and each.key. test/e2e/block-expressions.test.ts holds
// this reading of the block fields against real Terraform.
import { entriesOf, type ResourceBlock, type StackConfig } from './synth';

/** Terraform's reading of a JSON string template that holds only literal text and `${ref}` references. */
export function evaluate(template: string, lookup: (ref: string) => string): string {
  return template.replace(
    /(\$\$\{|%%\{)|\$\{([^}]*)\}/g,
    (_all, escaped: string | undefined, ref: string) => {
      if (escaped) return escaped.slice(1);
      return lookup(ref.trim());
    },
  );
}

const noReference = (ref: string): string => {
  throw new Error(`a literal holds a reference: ${ref}`);
};

/** The environment Terraform would give the provisioner running `command` for instance `key`. */
export function provisionerEnvironment(
  config: StackConfig,
  block: ResourceBlock,
  key: string,
  command: string,
): Record<string, string> {
  if (!entriesOf(config, block)[key]) throw new Error(`no instance ${key}`);
  const self: Record<string, Record<string, string>> = {};
  for (const field of ['triggers_replace', 'input', 'triggers'] as const) {
    if (block[field] !== undefined) self[field] = instanceField(config, block, field, key);
  }
  const exec = block.provisioner.find((p) => p['local-exec'].command === command)?.['local-exec'];
  if (!exec) throw new Error(`no provisioner runs ${command}`);
  const environment: Record<string, string> = {};
  for (const [name, template] of Object.entries(exec.environment)) {
    environment[name] = evaluate(template, (ref) => {
      if (ref === 'each.key') return key;
      // Terraform's format("<block>[\"%s\"]", each.key).
      const address = /^format\("([\w.]+)\[\\"%s\\"\]", each\.key\)$/.exec(ref)?.[1];
      if (address !== undefined) return `${address}["${key}"]`;
      const match = /^(?:self\.(\w+)\.(\w+)|try\(self\.(\w+)\.(\w+), ""\))$/.exec(ref);
      const field = match?.[1] ?? match?.[3] ?? '';
      const value = self[field]?.[match?.[2] ?? match?.[4] ?? ''] ?? (match?.[3] ? '' : undefined);
      if (value === undefined) throw new Error(`a provisioner may only read self and each.key: ${ref}`);
      return value;
    });
  }
  return environment;
}

/** A block field (`triggers_replace`, `input`, `triggers`) of instance `key`, as Terraform evaluates it. */
export function instanceField(
  config: StackConfig,
  block: ResourceBlock,
  field: 'triggers_replace' | 'input' | 'triggers',
  key: string,
): Record<string, string> {
  const name = /^\$\{local\.(\w+)\}$/.exec(block.for_each)?.[1] ?? '';
  const text = (config.locals?.[name] as Record<string, string> | undefined)?.[key];
  const template = block[field];
  if (text === undefined || template === undefined) throw new Error(`no ${field} of instance ${key}`);
  return blockField(config, template, text, key);
}

/** The entry's text after Terraform's template evaluation, split as `split(" ", each.value)` does. */
function fieldsOf(raw: string): string[] {
  return evaluate(raw, noReference).split(' ');
}

/** The top-level arguments of a function call's argument text. */
function argumentsOf(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if ('([{'.includes(c as string)) depth++;
    else if (')]}'.includes(c as string)) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start).trim());
  return args;
}

/**
 * One block field (`triggers_replace`, `input`, `triggers`): `${<expression>}` of the forms the construct
 * writes, evaluated for the instance `key` whose entry (in `locals`) is `text`.
 */
export function blockField(
  config: StackConfig,
  template: string,
  text: string,
  key: string,
): Record<string, string> {
  const whole = /^\$\{([\s\S]*)\}$/.exec(template)?.[1];
  if (whole === undefined) throw new Error(`not one expression: ${template}`);
  const fields = fieldsOf(text);
  const value = (expression: string): Record<string, string> => {
    const merge = /^merge\(([\s\S]*)\)$/.exec(expression)?.[1];
    if (merge !== undefined) return Object.assign({}, ...argumentsOf(merge).map(value));
    const leading =
      /^\{for i, field in split\(" ", each\.value\) : (\[[^\]]*\])\[i\] => field if i < (\d+)\}$/.exec(
        expression,
      );
    if (leading) {
      const names = JSON.parse(leading[1] as string) as string[];
      return Object.fromEntries(fields.slice(0, Number(leading[2])).map((f, i) => [names[i], f]));
    }
    const profile =
      /^\{for key, value in local\.(\w+)\[split\(" ", each\.value\)\[(\d+)\]\] : key => tostring\(value\)\}$/.exec(
        expression,
      );
    if (profile) {
      const profiles = config.locals?.[profile[1] as string] as Record<string, Record<string, string>>;
      const found = profiles?.[fields[Number(profile[2])] as string];
      if (!found) throw new Error(`no profile for ${text} in locals.${profile[1]}`);
      return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, evaluate(v, noReference)]));
    }
    if (/^\{identity_id = local\.\w+_identity_ids\[each\.key\]\}$/.test(expression)) {
      return { identity_id: `id-of-${key}` };
    }
    throw new Error(`unsupported expression: ${expression}`);
  };
  return value(whole.trim());
}
