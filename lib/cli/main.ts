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
const stdout = direct ? descriptorWriter(1, () => process.stdout) : undefined;
const stderr = direct ? descriptorWriter(2, () => process.stderr) : undefined;
void run(argv, process.env, {
  stdout: stdout ?? process.stdout,
  stderr: stderr ?? process.stderr,
  // A getter: touching process.stdin opens it, which only plan-summary - needs.
  get stdin() {
    return process.stdin;
  },
  ...(signal ? { signal } : {}),
  exitsAfter: !longRunning,
}).then((code) => {
  process.exitCode = code;
  // The command has ended and awaited all its work (requests, the client's close, lock releases). When
  // every byte went out with a synchronous write, nothing is left to flush: exit at once, which skips
  // the young-generation collection V8 runs as the loop drains (bench/throughput.md, "Exit when done").
  // eslint-disable-next-line n/no-process-exit -- the bin's last step, once every write has completed
  if (stdout?.direct && stderr?.direct) process.exit();
});
