// A bare undici one-shot DELETE (Client + request API only) for bench/cli-undici-flags.sh; reads only
// --base-url. Knobs: BENCH_V8_FLAGS (set before undici loads), BENCH_EXIT=1 (process.exit after the answer).
// Why: docs/decisions/0002-bundle-start-up.md (--liftoff-only); figures in bench/cli.md.
import { setFlagsFromString } from 'node:v8';

if (process.env.BENCH_V8_FLAGS) setFlagsFromString(process.env.BENCH_V8_FLAGS);
const { default: Client } = await import('undici/lib/dispatcher/client.js');
const { default: request } = await import('undici/lib/api/api-request.js');

const base = process.argv[process.argv.indexOf('--base-url') + 1];
const client = new Client(base);
const response = await request.call(client, {
  method: 'DELETE',
  path: `/api/atlas/v2/groups/5f0c1a2b3c4d5e6f7a8b9c0d/invites/6a1b2c3d4e5f60718293a4b5`,
  headers: { accept: 'application/vnd.atlas.2023-01-01+json', authorization: 'Bearer t' },
});
await response.body.dump();
process.exitCode = response.statusCode === 204 ? 0 : 1;
await client.close();
if (process.env.BENCH_EXIT === '1') process.exit();
