// The stamp of the sources dist/ is built from: a SHA-256 over the path and text of every file under lib/,
// plus the build's own scripts and configuration. scripts/build-cdktn.mjs writes it to dist/cdktn/.source-stamp
// at the end of `npm run build`; the cdktn test project (test/helpers/cdktn-fresh.js) refuses a dist/ whose
// stamp differs, so that it never tests a stale build.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded by both the build (ESM) and Jest (CJS) */
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');
/* eslint-enable @typescript-eslint/no-require-imports */

const root = join(__dirname, '..');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build-cdktn.mjs', 'scripts/bundle-cli.mjs'];
/** The stamp's file name in dist/cdktn/. */
const STAMP_NAME = '.source-stamp';

/** The files the stamp covers, relative to the repository, in a stable order. */
function sourceFiles() {
  const lib = readdirSync(join(root, 'lib'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
  return [...lib, ...INPUTS].sort();
}

/** The stamp of the sources as they are now. */
function sourceStamp() {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

module.exports = { sourceStamp, STAMP_NAME, STAMP_FILE: join(root, 'dist', 'cdktn', STAMP_NAME) };
