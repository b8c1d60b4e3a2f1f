// P5: HTTP requests per `mongodb-invitations revoke`, counted at a loopback server, for each way of
// authenticating. Each revoke is its own process (as under Terraform). Usage:
//   node bench/cli-p5.mjs [--bundle dist/mongodb-invitations.cjs]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './cli-server.mjs';

const { values } = parseArgs({
  options: { bundle: { type: 'string', default: 'dist/mongodb-invitations.cjs' } },
});
const server = await startServer();
const cacheDir = mkdtempSync(join(tmpdir(), 'mdbinv-p5-'));
const args = [
  'revoke',
  '--target',
  'atlas',
  '--base-url',
  server.baseUrl,
  '--group-id',
  '5f0c1a2b3c4d5e6f7a8b9c0d',
  '--invitation-id',
  '6a1b2c3d4e5f60718293a4b5',
];

function revoke(env) {
  server.reset();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [values.bundle, ...args],
      { env: { PATH: process.env.PATH, ...env } },
      (err, _out, stderr) => {
        if (err) return reject(new Error(`revoke failed: ${stderr}`));
        resolve({ ...server.counts });
      },
    );
  });
}

const serviceAccount = {
  MONGODB_ATLAS_CLIENT_ID: 'mdb_sa_id_bench',
  MONGODB_ATLAS_CLIENT_SECRET: 'mdb_sa_sk_bench',
  MONGODB_INVITATIONS_TOKEN_CACHE: cacheDir,
};
const rows = [
  [
    'Digest (API key)',
    await revoke({ MONGODB_ATLAS_PUBLIC_API_KEY: 'p', MONGODB_ATLAS_PRIVATE_API_KEY: 'k' }),
  ],
  ['service account, empty token cache', await revoke(serviceAccount)],
  ['service account, cached token (next process)', await revoke(serviceAccount)],
  [
    'service account, token cache off',
    await revoke({ ...serviceAccount, MONGODB_INVITATIONS_TOKEN_CACHE: 'off' }),
  ],
  ['static access token', await revoke({ MONGODB_ATLAS_ACCESS_TOKEN: 't' })],
];
await server.stop();
rmSync(cacheDir, { recursive: true, force: true });

console.log('| auth | requests | 401 challenges | token requests | DELETEs |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, c] of rows)
  console.log(`| ${name} | ${c.total} | ${c.challenge} | ${c.token} | ${c.delete} |`);
