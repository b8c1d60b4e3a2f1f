// Cross-process service-account token cache: one file per (base URL, client id, secret) in a 0700 directory,
// lstat-checked (links, other users refused; unusable → memory, said once), proper-lockfile lock on a miss.
// README "Authentication"; relative paths: docs/decisions/0004-relative-token-cache-refused.md.
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigurationError } from '../errors';
import { hasControlCharacters } from '../../contract/rules';
import { DEFAULT_HINTS } from '../hints';
import { MemoryTokenStore, type AccessToken, type TokenStore } from './oauth-token';

/** A lock whose mtime is older than this was left by a dead process and is taken over. */
export const STALE_LOCK_MS = 2_000;
/** How often a live holder refreshes its lock's mtime. */
export const LOCK_UPDATE_MS = 1_000;
/** Longest wait for another process's lock before fetching a token without it. */
export const MAX_LOCK_WAIT_MS = 15_000;

/** The cache file's key: a hash of base URL, client id and secret (a rotated secret gets a new file). */
export function cacheKey(baseUrl: string, clientId: string, clientSecret: string): string {
  return createHash('sha256')
    .update(`cdktf-mongodb-invitations/token/v1\0${baseUrl}\0${clientId}\0${clientSecret}`)
    .digest('hex')
    .slice(0, 40);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown inside #prepare for a cache that cannot be used (fall back), as opposed to one refused. */
class Unusable extends Error {}

export class FileTokenStore implements TokenStore {
  readonly #dir: string;
  readonly #file: string;
  readonly #onUnusable: (message: string) => void;
  readonly #hint: string;
  #ready: Promise<void> | undefined;
  /** Set once the file cache turned out unusable: everything goes here from then on. */
  #memory: MemoryTokenStore | undefined;

  /**
   * `onUnusable` is called once, with one line, when the store falls back to memory; `hint` (ClientHints
   * .tokenCache) ends that line and every refusal.
   */
  constructor(
    dir: string,
    key: string,
    onUnusable: (message: string) => void = () => undefined,
    hint: string = DEFAULT_HINTS.tokenCache,
  ) {
    this.#dir = dir;
    this.#file = join(dir, `token-${key}.json`);
    this.#onUnusable = onUnusable;
    this.#hint = hint;
  }

  /** True while tokens are shared through the file; false after a fall-back to memory. */
  get shared(): boolean {
    return this.#memory === undefined;
  }

  async read(): Promise<AccessToken | undefined> {
    await this.#prepare();
    if (this.#memory) return this.#memory.read();
    let stat: Stats;
    try {
      stat = await fs.lstat(this.#file);
    } catch {
      return undefined; // no token yet
    }
    if (stat.isSymbolicLink() || !ownedByMe(stat.uid)) {
      throw this.#refusal(
        `its file ${JSON.stringify(this.#file)} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'owned by another user'}`,
      );
    }
    try {
      if (!stat.isFile()) return undefined;
      const data = JSON.parse(await fs.readFile(this.#file, 'utf8')) as Record<string, unknown>;
      if (data.v !== 1 || typeof data.accessToken !== 'string' || typeof data.expiresAt !== 'number') {
        return undefined;
      }
      if (data.accessToken === '' || hasControlCharacters(data.accessToken)) return undefined;
      return { accessToken: data.accessToken, expiresAt: data.expiresAt };
    } catch {
      return undefined; // half-written by an old version, unreadable: fetch a new one
    }
  }

  async write(token: AccessToken): Promise<void> {
    await this.#prepare();
    if (this.#memory) return this.#memory.write(token);
    // Never stored: a token that could forge a header line or a log line.
    if (hasControlCharacters(token.accessToken)) return;
    const tmp = `${this.#file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const json = JSON.stringify({ v: 1, accessToken: token.accessToken, expiresAt: token.expiresAt });
    try {
      await fs.writeFile(tmp, json, { mode: 0o600, flag: 'wx' });
      await fs.rename(tmp, this.#file); // atomic, and replaces a link rather than following it
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      await this.#fallBack(describeError(err)).write(token);
    }
  }

  async remove(accessToken: string): Promise<void> {
    if (this.#memory) return this.#memory.remove(accessToken);
    const stored = await this.read();
    if (stored?.accessToken === accessToken) await fs.rm(this.#file, { force: true }).catch(() => undefined);
  }

  async withLock(
    fetch: () => Promise<AccessToken>,
    check: () => Promise<AccessToken | undefined>,
    deadline: number,
    now: () => number,
  ): Promise<AccessToken> {
    await this.#prepare();
    if (this.#memory) return fetch();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lockfile = require('proper-lockfile') as typeof import('proper-lockfile');
    const lockPath = `${this.#file}.lock`;
    await removeForeignLock(lockPath);
    const giveUpAt = Math.min(now() + MAX_LOCK_WAIT_MS, now() + Math.max(0, deadline - now()) / 2);
    for (;;) {
      let release: (() => Promise<void>) | undefined;
      try {
        release = await lockfile.lock(this.#file, {
          realpath: false,
          lockfilePath: lockPath,
          stale: STALE_LOCK_MS,
          update: LOCK_UPDATE_MS,
          retries: 0,
          // A lock lost to a stale take-over only costs one more token request: never crash for it.
          onCompromised: () => undefined,
        });
      } catch (err) {
        // Anything but "held by another process" (a file system that refuses the lock directory…):
        // the token matters more than the lock, so fetch without it.
        if ((err as { code?: string }).code !== 'ELOCKED') return fetch();
      }
      if (release) {
        try {
          return await fetch();
        } finally {
          await release().catch(() => undefined);
        }
      }
      const stored = await check();
      if (stored) return stored;
      if (now() >= giveUpAt) return fetch(); // the holder is slow: fetching twice beats failing
      await sleep(25 + Math.floor(Math.random() * 50));
    }
  }

  // Creates the directory (0700) once. Refuses a link, a non-directory or another user's directory;
  // falls back to memory when the directory cannot be created, tightened or written.
  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      try {
        if (!isAbsolute(this.#dir)) throw new Unusable('it is not an absolute path');
        await fs.mkdir(this.#dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
          if ((err as { code?: string }).code !== 'EEXIST') throw new Unusable(describeError(err));
        });
        const stat = await fs.lstat(this.#dir).catch((err: unknown) => {
          throw new Unusable(describeError(err));
        });
        if (stat.isSymbolicLink()) throw this.#refusal('it is a symbolic link');
        if (!stat.isDirectory()) throw this.#refusal('it is not a directory');
        if (!ownedByMe(stat.uid)) throw this.#refusal('it belongs to another user');
        try {
          if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) await fs.chmod(this.#dir, 0o700);
          await fs.access(this.#dir, constants.W_OK);
        } catch (err) {
          throw new Unusable(describeError(err));
        }
      } catch (err) {
        if (!(err instanceof Unusable)) throw err;
        this.#fallBack(err.message);
      }
    })();
    return this.#ready;
  }

  #fallBack(reason: string): MemoryTokenStore {
    if (this.#memory) return this.#memory;
    const memory = (this.#memory = new MemoryTokenStore());
    this.#onUnusable(
      `The service-account token cache directory ${JSON.stringify(this.#dir)} cannot be used (${reason}); ` +
        `keeping the token in memory for this run and revoking it at exit. ${this.#hint}`,
    );
    return memory;
  }

  #refusal(why: string): ConfigurationError {
    return new ConfigurationError(
      `The service-account token cache directory ${JSON.stringify(this.#dir)} is refused: ${why}. ${this.#hint}`,
    );
  }
}

/** Removes what is at the lock path when it is not a directory (proper-lockfile can only rmdir). */
async function removeForeignLock(lockPath: string): Promise<void> {
  const stat = await fs.lstat(lockPath).catch(() => undefined);
  if (stat && !stat.isDirectory()) await fs.rm(lockPath, { force: true }).catch(() => undefined);
}

function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Unusable) return err.message;
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'a parent directory is missing';
  if (code === 'ENOTDIR') return 'a parent path is not a directory';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'no space left';
  return typeof code === 'string' ? code : 'it cannot be written';
}

function ownedByMe(uid: number): boolean {
  const me = process.getuid?.();
  return me === undefined || uid === me;
}
