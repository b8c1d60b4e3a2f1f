// captureIo(): a fake `{ stdout, stderr }` for the CLI's run(argv, env, io), collecting what it writes.
// Usage: `const c = captureIo(); await run(argv, env, c.io); c.stdout(); c.stderr()`.
// The one IO capture of the suite (CLI, interop and sandbox-command tests).

export interface CapturedIo {
  readonly io: {
    stdout: { write(s: string): boolean };
    stderr: { write(s: string): boolean };
    signal?: AbortSignal;
  };
  stdout(): string;
  stderr(): string;
}

/** Collects what run() writes; `signal` is handed to run() too (the sandbox command stops on it). */
export function captureIo(signal?: AbortSignal): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
      ...(signal ? { signal } : {}),
    },
    stdout: () => out,
    stderr: () => err,
  };
}
