// descriptorWriter against real descriptors: a file receives every byte in order, and a descriptor that
// cannot be written hands the text, and everything after it, to the fallback stream.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descriptorWriter } from '../../../lib/cli/descriptor-writer';

describe('descriptorWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mdb-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each text whole to the descriptor, in order, without creating the stream', () => {
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const stream = jest.fn();
    try {
      const writer = descriptorWriter(fd, stream);
      writer.write('✔ ana@example.com invited\n');
      writer.write('x'.repeat(200_000));
      writer.write('\n✖ last line\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(
      `✔ ana@example.com invited\n${'x'.repeat(200_000)}\n✖ last line\n`,
    );
    expect(stream).not.toHaveBeenCalled();
  });

  it('says it is direct until a write fails, then no longer', () => {
    const file = join(dir, 'flip');
    writeFileSync(file, '');
    const good = openSync(file, 'w');
    const bad = openSync(file, 'r');
    const stream = () => ({ write: () => true });
    try {
      const ok = descriptorWriter(good, stream);
      ok.write('fine\n');
      expect(ok.direct).toBe(true);
      const failing = descriptorWriter(bad, stream);
      expect(failing.direct).toBe(true);
      failing.write('refused\n');
      expect(failing.direct).toBe(false);
    } finally {
      closeSync(good);
      closeSync(bad);
    }
  });

  it('hands a failed text and every later one to the stream, created once', () => {
    const file = join(dir, 'read-only');
    writeFileSync(file, '');
    const fd = openSync(file, 'r'); // writeSync fails with EBADF
    const chunks: string[] = [];
    const stream = jest.fn(() => ({
      write: (c: string | Uint8Array) => chunks.push(Buffer.from(c).toString()),
    }));
    try {
      const writer = descriptorWriter(fd, stream);
      writer.write('first ✔\n');
      writer.write('second\n');
    } finally {
      closeSync(fd);
    }
    expect(chunks).toEqual(['first ✔\n', 'second\n']);
    expect(stream).toHaveBeenCalledTimes(1);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
