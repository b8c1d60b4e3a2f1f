// Reads an open regular file whose size the caller has checked (fstat), as audit and plan-summary do for
// the files they cap: the size is known before any byte is read, so nothing larger is ever buffered.
import { readSync } from 'node:fs';

/** The first `size` bytes of the open file `fd` (fewer if it shrank meanwhile). */
export function readOpenFile(fd: number, size: number): Buffer {
  const buffer = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, buffer, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
