// bin shim: the logic lives in run.ts. Long-running commands (sandbox) get an AbortSignal that the first
// SIGINT/SIGTERM aborts; other commands keep Node's default signal handling and load no AbortController.
import { descriptorWriter } from './descriptor-writer';
import { run } from './run';

const argv = process.argv.slice(2);
const longRunning = argv[0] === 'sandbox';
let signal: AbortSignal | undefined;
if (longRunning) {
  const controller = new AbortController();
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => controller.abort());
  signal = controller.signal;
}
// One-shot commands write the descriptors directly. `sandbox` keeps Node's streams: a full pipe that nobody
// reads must queue its request log, not block the server it runs. So do Windows consoles (Unicode, ✔).
const direct = process.platform !== 'win32' && !longRunning;
void run(argv, process.env, {
  stdout: direct ? descriptorWriter(1, () => process.stdout) : process.stdout,
  stderr: direct ? descriptorWriter(2, () => process.stderr) : process.stderr,
  // A getter: touching process.stdin opens it, which only plan-summary - needs.
  get stdin() {
    return process.stdin;
  },
  ...(signal ? { signal } : {}),
}).then((code) => (process.exitCode = code));
