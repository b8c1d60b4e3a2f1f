// shellQuote against the real /bin/sh: what it prints, pasted into a shell, is the text it was given.
import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../../lib/cli/shell-quote';

const throughSh = (quoted: string): string =>
  execFileSync('/bin/sh', ['-c', `printf %s ${quoted}`], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });

describe('shellQuote', () => {
  it.each([
    'terraform_data.mongodb_invitations["atlas/5f0c1a2b3c4d5e6f7a8b9c0d/ana@example.com"]',
    `terraform_data.mongodb_invitations["atlas/5f0c1a2b3c4d5e6f7a8b9c0d/o'brien@example.com"]`,
    "it's '' three ''' quotes'",
    'back`ticks`and$(command)and$HOME and ${braces}',
    'spaces  and\ttabs, a * glob, a ; b | c && d > e',
    'a "double" quote and a \\ backslash\\',
    "'",
    '',
    'ünïcødé ✔',
  ])('round-trips %j through /bin/sh', (address) => {
    expect(throughSh(shellQuote(address))).toBe(address);
  });

  it('writes a single quote as the four characters close, escaped quote, open', () => {
    expect(shellQuote("o'brien")).toBe(`'o'\\''brien'`);
  });
});
