// globalSetup of the "unit" project (jest.config.js): the unit tier needs no prior `npm run build`. The one
// part of dist/ it needs is the CLI bundle (dist/provisioner), which the construct adds to every synthesized
// stack as an asset (the tests synthesize; they never run it): when missing, it is built here (about 1 s).
/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads global setups with require() */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
/* eslint-enable @typescript-eslint/no-require-imports */

const root = join(__dirname, '..', '..');

module.exports = async () => {
  if (existsSync(join(root, 'dist', 'provisioner', 'mongodb-invitations.program.cjs'))) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) {
    throw new Error(`could not build dist/mongodb-invitations.cjs for the unit tests:\n${built.stderr}`);
  }
};
