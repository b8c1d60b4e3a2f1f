// Time from spawn to the sandbox's URL line (`mongodb-invitations sandbox --json`) vs bare `node` printing
// one line; medians of RUNS alternating runs. Report: bench/sandbox.md.
//   npm run build && node bench/sandbox-startup.mjs [RUNS]        (default 15)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const RUNS = Math.min(Number(process.argv[2] ?? 15), 100);
const bin = fileURLToPath(new URL('../dist/mongodb-invitations.cjs', import.meta.url));
if (!existsSync(bin)) {
  console.error(`missing ${bin}: run "npm run build" first`);
  process.exit(1);
}

/** Spawns node with `args`; resolves with ms until the first stdout line, then stops the child. */
function timeToFirstLine(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no line within 10 s from ${args.join(' ')}`));
    }, 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      child.kill('SIGTERM');
      child.once('exit', (code) => resolve({ ms, line: out.split('\n')[0], code }));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = [];
const sandbox = [];
const exits = new Set();
for (let i = 0; i < RUNS; i++) {
  bare.push((await timeToFirstLine(['-e', 'console.log("ready")'])).ms);
  const run = await timeToFirstLine([bin, 'sandbox', '--json', '--quiet']);
  if (!run.line.startsWith('{"url":"http://127.0.0.1:'))
    throw new Error(`unexpected first line: ${run.line}`);
  exits.add(run.code);
  sandbox.push(run.ms);
}
const b = median(bare);
const s = median(sandbox);
console.log(
  `runs=${RUNS} node ${process.version} NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'}`,
);
console.log(
  `bare node, first line            median ${b.toFixed(0)} ms  (min ${Math.min(...bare).toFixed(0)}, max ${Math.max(...bare).toFixed(0)})`,
);
console.log(
  `mongodb-invitations sandbox URL  median ${s.toFixed(0)} ms  (min ${Math.min(...sandbox).toFixed(0)}, max ${Math.max(...sandbox).toFixed(0)})`,
);
console.log(
  `ratio ${(s / b).toFixed(2)}; sandbox start beyond bare node: ${(s - b).toFixed(0)} ms; exit codes after SIGTERM: ${[...exits].join(',')}`,
);
