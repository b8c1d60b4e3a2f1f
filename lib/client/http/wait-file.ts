// The shared "not before" wait file: one per base URL in the cache directory, so that the processes of one
// apply wait out a rate limit together. It gets the token cache's care (auth/token-cache.ts): a 0700 directory of
// our own, lstat first, a regular file of ours under 4 KiB, opened without following links and without
// blocking. Anything else (a FIFO, a socket, a link, another user's file) is left alone with one warning and
// the waits stay in memory: pacing is an optimisation, the server's answer remains the authority.
// Every process of an apply reads before each request, and almost always there is no file: one synchronous
// lstat says so, and only a file that exists (or a wait to store) takes the checked asynchronous path
// below; neither node:crypto nor fs.promises is loaded until then (bench/throughput.md, "P2, P7, P1, P9").
import { constants, lstatSync, promises as fs, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DEFAULT_HINTS } from '../hints';
import { sha256Hex } from './sha256';
import { MemoryNotBefore, type NotBefore, type NotBeforeStore, type RateScope } from './rate-limit';

/** Largest wait file read: `{"v":1,"create":…,"all":…}` is under 100 bytes. */
export const MAX_WAIT_FILE_BYTES = 4096;

/** The file's name in `dir` for a base URL. */
export function notBeforeFile(dir: string, baseUrl: string): string {
  const key = sha256Hex(`cdktf-mongodb-invitations/rate/v1\0${baseUrl}`);
  return join(dir, `rate-${key.slice(0, 32)}.json`);
}

export interface WaitFileOptions {
  /** Called once, with one line, when the file or its directory cannot be used (waits stay in memory). */
  readonly onUnusable?: (message: string) => void;
  /**
   * A stored time further ahead than this is not trusted (no writer stores one: a wait longer than the
   * deadline is never shared), so a file written by hand or by an older version cannot block every run.
   *
   * @default 900000
   */
  readonly maxAheadMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Ends the line onUnusable gets: how to choose another directory (ClientHints.tokenCache). */
  readonly hint?: string;
}

const NOTHING: NotBefore = { create: 0, all: 0 };
const NO_WAIT_OPEN =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0) | (constants.O_NOCTTY ?? 0);

/** Thrown inside the checks for a file or directory that cannot be used; its message says why. */
class Unusable extends Error {}

/**
 * Pacing shared by the processes that use one directory: `{"v":1,"create":ms,"all":ms}` (absolute times
 * since the epoch), written to a temporary file and renamed (readers see the old file or the new one).
 */
export class FileNotBefore implements NotBeforeStore {
  readonly #dir: string;
  readonly #file: string;
  readonly #memory = new MemoryNotBefore();
  readonly #onUnusable: (message: string) => void;
  readonly #hint: string;
  readonly #maxAheadMs: number;
  readonly #now: () => number;
  #ready: Promise<void> | undefined;
  /** Set once the file or its directory turned out unusable: memory only from then on. */
  #unusable = false;

  constructor(dir: string, baseUrl: string, options: WaitFileOptions = {}) {
    this.#dir = dir;
    this.#file = notBeforeFile(dir, baseUrl);
    this.#onUnusable = options.onUnusable ?? (() => undefined);
    this.#hint = options.hint ?? DEFAULT_HINTS.tokenCache;
    this.#maxAheadMs = options.maxAheadMs ?? 900_000;
    this.#now = options.now ?? Date.now;
  }

  /** The wait file, while waits are shared through it; undefined after a fall-back to memory. */
  get path(): string | undefined {
    return this.#unusable ? undefined : this.#file;
  }

  async read(): Promise<NotBefore> {
    const mine = await this.#memory.read();
    const shared = await this.#readFile();
    return { create: Math.max(mine.create, shared.create), all: Math.max(mine.all, shared.all) };
  }

  async push(scope: RateScope, until: number): Promise<void> {
    await this.#memory.push(scope, until);
    await this.#prepare(); // the directory, checked (0700, ours) before anything is written in it
    const current = await this.read();
    if (this.#unusable) return;
    const json = JSON.stringify({ v: 1, create: current.create, all: current.all });
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only to store a wait */
    const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
    const tmp = `${this.#file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, json, { mode: 0o600, flag: 'wx' });
      await fs.rename(tmp, this.#file); // atomic; what #readFile checked was a regular file of ours
    } catch {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async #readFile(): Promise<NotBefore> {
    if (this.#unusable || !this.#mayExist()) return NOTHING;
    await this.#prepare();
    if (this.#unusable) return NOTHING;
    let text: string;
    try {
      const found = await fs.lstat(this.#file).catch((err: unknown) => {
        if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
        throw new Unusable(describeError(err));
      });
      if (!found) return NOTHING; // no wait yet
      checkFile(found);
      text = await readSmall(this.#file);
    } catch (err) {
      if (err instanceof Unusable) this.#fallBack(`the file ${JSON.stringify(this.#file)} ${err.message}`);
      return NOTHING;
    }
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      if (data.v !== 1) return NOTHING;
      const latest = this.#now() + this.#maxAheadMs;
      const time = (v: unknown): number =>
        typeof v === 'number' && Number.isFinite(v) && v <= latest ? v : 0;
      return { create: time(data.create), all: time(data.all) };
    } catch {
      return NOTHING; // half-written or unreadable: the next push writes it again
    }
  }

  /**
   * False only when one synchronous lstat finds nothing at the file's path (no wait stored yet, or no
   * directory at all): nothing to read, nothing to check, no directory to create. Anything there, or an
   * lstat that fails otherwise (a parent that is not a directory, no permission), and a relative directory,
   * take the checked path, which reports what is wrong.
   */
  #mayExist(): boolean {
    if (!isAbsolute(this.#dir)) return true;
    try {
      return lstatSync(this.#file, { throwIfNoEntry: false }) !== undefined;
    } catch {
      return true;
    }
  }

  // Creates the directory (0700) once, and tightens a looser one of ours. A link, a non-directory or
  // another user's directory: memory only.
  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      try {
        if (!isAbsolute(this.#dir)) throw new Unusable('is not an absolute path');
        await fs.mkdir(this.#dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
          if ((err as { code?: string }).code !== 'EEXIST') throw new Unusable(describeError(err));
        });
        const stat = await fs.lstat(this.#dir).catch((err: unknown) => {
          throw new Unusable(describeError(err));
        });
        if (stat.isSymbolicLink()) throw new Unusable('is a symbolic link');
        if (!stat.isDirectory()) throw new Unusable('is not a directory');
        if (!ownedByMe(stat.uid)) throw new Unusable('belongs to another user');
        if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
          await fs.chmod(this.#dir, 0o700).catch((err: unknown) => {
            throw new Unusable(describeError(err));
          });
        }
      } catch (err) {
        if (!(err instanceof Unusable)) throw err;
        this.#fallBack(`its directory ${JSON.stringify(this.#dir)} ${err.message}`);
      }
    })();
    return this.#ready;
  }

  #fallBack(reason: string): void {
    if (this.#unusable) return;
    this.#unusable = true;
    this.#onUnusable(
      `The shared rate-limit wait file cannot be used: ${reason}. Rate-limit waits stay in this process ` +
        `for this run (not shared with the other processes of the apply); remove that path. ${this.#hint}`,
    );
  }
}

/** Throws Unusable unless `stat` is a regular file of ours, no larger than MAX_WAIT_FILE_BYTES. */
function checkFile(stat: Stats): void {
  if (stat.isSymbolicLink()) throw new Unusable('is a symbolic link');
  if (stat.isFIFO()) throw new Unusable('is a FIFO (named pipe)');
  if (stat.isSocket()) throw new Unusable('is a socket');
  if (!stat.isFile()) throw new Unusable('is not a regular file');
  if (!ownedByMe(stat.uid)) throw new Unusable('belongs to another user');
  if (stat.size > MAX_WAIT_FILE_BYTES) throw new Unusable(`is larger than ${MAX_WAIT_FILE_BYTES} bytes`);
}

/** Reads a file checked by checkFile: opened without following a link or blocking, checked again once open. */
async function readSmall(file: string): Promise<string> {
  const handle = await fs.open(file, NO_WAIT_OPEN).catch((err: unknown) => {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined; // renamed away in between: no wait
    if (code === 'ELOOP') throw new Unusable('is a symbolic link');
    throw new Unusable(describeError(err));
  });
  if (!handle) return '{}';
  try {
    checkFile(await handle.stat()); // replaced between lstat and open
    const buffer = Buffer.alloc(MAX_WAIT_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_WAIT_FILE_BYTES) throw new Unusable(`is larger than ${MAX_WAIT_FILE_BYTES} bytes`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EROFS') return 'is on a read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be accessed (permission denied)';
  if (code === 'ENOTDIR') return 'has a parent path that is not a directory';
  return `cannot be used (${typeof code === 'string' ? code : 'unknown error'})`;
}

function ownedByMe(uid: number): boolean {
  const me = process.getuid?.();
  return me === undefined || uid === me;
}
