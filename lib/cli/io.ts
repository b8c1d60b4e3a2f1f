// Where a command writes: the process's streams in main.ts, captured buffers in tests. Its own module so
// that the commands and the output helper need not import run.ts (which imports them).

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Aborted when the process is asked to stop (SIGINT/SIGTERM); used by long-running commands. */
  signal?: AbortSignal;
  /** What `plan-summary -` reads; `isTTY` true (a terminal) is refused rather than waited on. */
  stdin?: AsyncIterable<Uint8Array | string> & { readonly isTTY?: boolean };
  /** The working directory relative paths are read from (audit, plan-summary); default process.cwd(). */
  cwd?: string;
  /**
   * True when the process exits as soon as the command returns (the bin, main.ts): clients then leave
   * their idle connections to the exit (CloseOptions.leaveConnectionsToExit). Unset in-process.
   */
  exitsAfter?: boolean;
}
