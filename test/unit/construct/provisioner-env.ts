// What Terraform would do with a synthesized stack, from its JSON alone, for the narrow templates the
// construct writes: each instance's values (the `locals` entry, escapes taken back), its `self` fields
// (`${each.value.x}`), and the environment of a provisioner (`${self.…}`, `${try(self.…, "")}`,
// `${each.key}`). Any other reference fails the test: a provisioner may read only self and each.key.
import { ENTRY_FIELDS } from '../../../lib/contract/keys';
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
  const raw = entriesOf(config, block)[key];
  if (!raw) throw new Error(`no instance ${key}`);
  const each: Record<string, string> = {};
  for (const [name, literal] of Object.entries(raw)) each[name] = evaluate(literal, noReference);
  const self: Record<string, Record<string, string>> = {};
  for (const field of ['triggers_replace', 'input', 'triggers'] as const) {
    const values: Record<string, string> = {};
    for (const [name, template] of Object.entries(block[field] ?? {})) {
      values[name] = evaluate(template, (ref) => {
        // The construct's expressions: a field of the entry's text, a key of its profile (both read back
        // by entriesOf), or the roles block's link to its identity instance (an id known after apply).
        const field = /^split\(" ", each\.value\)\[(\d+)\]$/.exec(ref)?.[1];
        const shared = /^local\.\w+_profiles\[split\(" ", each\.value\)\[0\]\]\.(\w+)$/.exec(ref)?.[1];
        if (/^local\.\w+_identity_ids\[each\.key\]$/.test(ref)) return `id-of-${key}`;
        const value = field !== undefined ? ENTRY_FIELDS[Number(field)] : shared;
        if (value === undefined || value === 'profile' || each[value] === undefined)
          throw new Error(`unsupported reference: ${ref}`);
        return each[value];
      });
    }
    self[field] = values;
  }
  const exec = block.provisioner.find((p) => p['local-exec'].command === command)?.['local-exec'];
  if (!exec) throw new Error(`no provisioner runs ${command}`);
  const environment: Record<string, string> = {};
  for (const [name, template] of Object.entries(exec.environment)) {
    environment[name] = evaluate(template, (ref) => {
      if (ref === 'each.key') return key;
      const match = /^(?:self\.(\w+)\.(\w+)|try\(self\.(\w+)\.(\w+), ""\))$/.exec(ref);
      const field = match?.[1] ?? match?.[3] ?? '';
      const value = self[field]?.[match?.[2] ?? match?.[4] ?? ''] ?? (match?.[3] ? '' : undefined);
      if (value === undefined) throw new Error(`a provisioner may only read self and each.key: ${ref}`);
      return value;
    });
  }
  return environment;
}
