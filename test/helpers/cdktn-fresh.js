// globalSetup of the "unit-cdktn" project (jest.config.js): builds dist/ when there is none (like the unit
// project's setup, the tier needs no prior build), and refuses to test a dist/cdktn built from other sources
// than lib/ as it is now (the stamp: scripts/source-stamp.cjs, written by scripts/build-cdktn.mjs).
/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads global setups with require() */
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { sourceStamp, STAMP_FILE } = require('../../scripts/source-stamp.cjs');
/* eslint-enable @typescript-eslint/no-require-imports */

const root = join(__dirname, '..', '..');

module.exports = async () => {
  if (!existsSync(join(root, 'dist'))) {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) {
      throw new Error(`could not build dist/ for the unit-cdktn tests:\n${built.stdout}${built.stderr}`);
    }
  }
  if (!existsSync(STAMP_FILE)) {
    throw new Error(
      'dist/cdktn is missing or has no source stamp: run "npm run build" before the unit-cdktn tests',
    );
  }
  if (readFileSync(STAMP_FILE, 'utf8').trim() !== sourceStamp()) {
    throw new Error(
      'dist/cdktn is stale: lib/ or the build scripts changed since it was built: run "npm run build" before the unit-cdktn tests',
    );
  }
};
