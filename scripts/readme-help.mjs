// Writes the CLI's --help text (from the built bundle) into README.md after the <!-- cli-help --> marker,
// so the README never drifts from the code: `npm run build && node scripts/readme-help.mjs`.
// test/docs/readme.test.ts fails when they differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const help = execFileSync(process.execPath, [join(root, 'dist', 'mongodb-invitations.cjs'), '--help'], {
  encoding: 'utf8',
});
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const marker = '<!-- cli-help -->';
const start = readme.indexOf(marker);
if (start < 0) throw new Error(`README.md has no ${marker} marker`);
const open = readme.indexOf('```', start);
const close = readme.indexOf('```', open + 3);
const updated = `${readme.slice(0, open)}\`\`\`\n${help}${readme.slice(close)}`;
writeFileSync(join(root, 'README.md'), updated);
console.log(updated === readme ? 'README.md: help already up to date' : 'README.md: help updated');
