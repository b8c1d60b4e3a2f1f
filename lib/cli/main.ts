// bin shim: the logic lives in run.ts. Long-running commands (sandbox) get an AbortSignal that the
// first SIGINT/SIGTERM aborts; other commands keep Node's default signal handling.
import { run } from './run';

const argv = process.argv.slice(2);
const controller = new AbortController();
if (argv[0] === 'sandbox')
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => controller.abort());
void run(argv, process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  // A getter: touching process.stdin opens it, which only plan-summary - needs.
  get stdin() {
    return process.stdin;
  },
  signal: controller.signal,
}).then((code) => (process.exitCode = code));
