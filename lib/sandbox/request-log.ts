// The request log: every request the sandbox answered, in memory (for tests in this process and the
// admin path) and, when asked, as JSON lines in a file (for tests in other processes). Entries hold no
// secret: no header values except Accept, no bodies, and query values with secret-looking names redacted.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { RequestLogEntry } from './types';

/** Query parameter names whose values are never logged. */
const SECRET_NAME = /token|secret|key|password|signature|auth/i;

/** Entries kept in memory at most; the oldest are dropped first (the file keeps everything). */
export const MAX_LOG_ENTRIES = 100_000;

export function redactQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = SECRET_NAME.test(name) ? '[redacted]' : value;
  return out;
}

export class RequestLog {
  /** The entries, oldest first. Tests read this array directly. */
  readonly entries: RequestLogEntry[] = [];
  private readonly listeners = new Set<(entry: RequestLogEntry) => void>();
  private file?: WriteStream;

  constructor(filePath?: string) {
    if (filePath !== undefined) {
      this.file = createWriteStream(filePath, { flags: 'a', mode: 0o600 });
      // A broken log file must not take the server down; the in-memory log stays complete.
      this.file.on('error', () => {
        this.file = undefined;
      });
    }
  }

  add(entry: RequestLogEntry): void {
    if (this.entries.length >= MAX_LOG_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_LOG_ENTRIES + 1);
    this.entries.push(entry);
    this.file?.write(`${JSON.stringify(entry)}\n`);
    for (const listener of this.listeners) listener(entry);
  }

  /** Calls `listener` for every new entry; returns the function that stops it. */
  subscribe(listener: (entry: RequestLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Flushes and closes the file, if any. */
  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
  }
}
