// captureIo(): a fake `{ stdout, stderr }` for the CLI's run(argv, env, io), collecting what it writes.
// Usage: `const c = captureIo(); await run(argv, env, c.io); c.stdout(); c.stderr()`.
// The one IO capture of the suite (CLI, interop and sandbox-command tests).

export interface CapturedIo {
  readonly io: { stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean } };
  stdout(): string;
  stderr(): string;
}

/** Collects what run() writes. */
export function captureIo(): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
    },
    stdout: () => out,
    stderr: () => err,
  };
}
