// Writes the CLI's --help text (from the built bundle) into docs/reference.md after the <!-- cli-help -->
// marker, so the reference never drifts from the code: `npm run build && node scripts/readme-help.mjs`.
// test/e2e/docs/readme.test.ts fails when they differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const help = execFileSync(process.execPath, [join(root, 'dist', 'mongodb-invitations.cjs'), '--help'], {
  encoding: 'utf8',
});
const file = join(root, 'docs', 'reference.md');
const readme = readFileSync(file, 'utf8');
const marker = '<!-- cli-help -->';
const start = readme.indexOf(marker);
if (start < 0) throw new Error(`docs/reference.md has no ${marker} marker`);
const open = readme.indexOf('```', start);
const close = readme.indexOf('```', open + 3);
const updated = `${readme.slice(0, open)}\`\`\`\n${help}${readme.slice(close)}`;
writeFileSync(file, updated);
console.log(
  updated === readme ? 'docs/reference.md: help already up to date' : 'docs/reference.md: help updated',
);
