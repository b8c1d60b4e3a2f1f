// Builds the CLI as one self-contained file, dist/mongodb-invitations.cjs. The construct ships this file
// into Terraform's working directory, where no node_modules exists, and Terraform starts it once per
// revoked invitation, so it must load fast: esbuild inlines every dependency and minifies.
import { build } from 'esbuild';

await build({
  entryPoints: ['lib/cli/main.ts'],
  outfile: 'dist/mongodb-invitations.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
