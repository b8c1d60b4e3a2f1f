// Standard output and error written straight to their descriptors: creating process.stdout and .stderr
// costs each provisioner process ~2 ms of CPU (bench/throughput.md, "Writing to the descriptors"). A full
// pipe blocks the write where Node's stream would queue it: one-shot commands only. Errors: Node's stream.
import { writeSync } from 'node:fs';
import type { CliIo } from './io';

/** Where a command writes (CliIo's stdout and stderr). */
type Writer = CliIo['stdout'];

/** A writer that says whether every text so far reached the descriptor itself. */
export interface DescriptorWriter extends Writer {
  /** True until a write fails: then Node's stream holds the rest, and may still be sending it. */
  readonly direct: boolean;
}

/** What takes over after a failed write: Node's own stream (process.stdout, process.stderr). */
export interface FallbackStream {
  write(chunk: string | Uint8Array): unknown;
}

/**
 * A writer for descriptor `fd` that sends each text with `fs.writeSync` until the whole of it is written.
 * When a write fails (EAGAIN on a non-blocking pipe, EPIPE, anything), that text's unwritten bytes and
 * every later text go to `stream()`, created only then, so Node's own handling of the failure is kept.
 */
export function descriptorWriter(fd: number, stream: () => FallbackStream): DescriptorWriter {
  let fallback: FallbackStream | undefined;
  return {
    get direct(): boolean {
      return fallback === undefined;
    },
    write(text: string): unknown {
      if (fallback) return fallback.write(text);
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        return true;
      } catch {
        fallback = stream();
        return fallback.write(bytes.subarray(offset));
      }
    },
  };
}
