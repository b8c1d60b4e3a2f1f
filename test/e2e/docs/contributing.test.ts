// Keeps CONTRIBUTING.md's provisioner contract complete: every entry key of lib/contract has its ENTRY
// variable (set by the provisioners) and its ambient variable (set by people) in the table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ambientName,
  ENTRY_ADDRESS_ENV,
  ENTRY_KEY_ENV,
  entryName,
  ENTRY_KEYS,
  IDENTITY_KEYS,
  SETTING_KEYS,
} from '../../../lib/contract/keys';

const contributing = readFileSync(join(__dirname, '..', '..', '..', 'CONTRIBUTING.md'), 'utf8');

/** The table rows of the provisioner contract, by key: `| \`key\` | kind | \`ENTRY\` | \`ambient\` | …`. */
function rowOf(key: string): string | undefined {
  return contributing.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
}

describe('CONTRIBUTING.md, the provisioner contract', () => {
  it.each(IDENTITY_KEYS.map((key) => [key]))('lists the identity key %s with both variable names', (key) => {
    const row = rowOf(key);
    expect(row).toContain('| identity |');
    expect(row).toContain(`\`${entryName(key)}\``);
    expect(row).toContain(`\`${ambientName(key)}\``);
  });

  it.each(SETTING_KEYS.map((key) => [key]))('lists the setting key %s with both variable names', (key) => {
    const row = rowOf(key);
    expect(row).toContain('| setting |');
    expect(row).toContain(`\`${entryName(key)}\``);
    expect(row).toContain(`\`${ambientName(key)}\``);
  });

  it('lists no key that lib/contract does not have', () => {
    const keys = [...contributing.matchAll(/^\| `([a-z_]+)` \| (?:identity|setting) \|/gm)].map((m) => m[1]);
    expect(keys.sort()).toEqual([...ENTRY_KEYS].sort());
  });

  it('names the variables the provisioners set besides the keys', () => {
    expect(contributing).toContain(`\`${ENTRY_KEY_ENV}\``);
    expect(contributing).toContain(`\`${ENTRY_ADDRESS_ENV}\``);
  });
});
