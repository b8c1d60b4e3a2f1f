// The cross-process service-account token cache: one JSON file per (base URL, client id, secret) in a
// directory only the user can read (0700; files 0600), never holding the secret itself. Terraform runs
// up to ten revoke processes at once; a lock makes them fetch one token between them instead of ten
// (Atlas allows 100 live tokens per service account and rate-limits the token endpoint).
//
// The lock is proper-lockfile's (mkdir-based, works on network file systems, detects stale locks by
// mtime and keeps its own lock fresh while held). It is required only on a cache miss, so a process
// that finds a valid token pays for one file read.
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from './errors';
import type { AccessToken, TokenStore } from './oauth-token';

/** A lock older than this (not refreshed by a live holder) is taken over. */
export const STALE_LOCK_MS = 10_000;
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

export class FileTokenStore implements TokenStore {
  readonly #dir: string;
  readonly #file: string;
  #ready: Promise<void> | undefined;

  constructor(dir: string, key: string) {
    this.#dir = dir;
    this.#file = join(dir, `token-${key}.json`);
  }

  async read(): Promise<AccessToken | undefined> {
    await this.#prepare();
    try {
      const stat = await fs.lstat(this.#file);
      if (!stat.isFile() || !ownedByMe(stat.uid)) return undefined;
      const data = JSON.parse(await fs.readFile(this.#file, 'utf8')) as Record<string, unknown>;
      if (data.v !== 1 || typeof data.accessToken !== 'string' || typeof data.expiresAt !== 'number') {
        return undefined;
      }
      return { accessToken: data.accessToken, expiresAt: data.expiresAt };
    } catch {
      return undefined; // missing, half-written by an old version, unreadable: fetch a new one
    }
  }

  async write(token: AccessToken): Promise<void> {
    await this.#prepare();
    const tmp = `${this.#file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const json = JSON.stringify({ v: 1, accessToken: token.accessToken, expiresAt: token.expiresAt });
    try {
      await fs.writeFile(tmp, json, { mode: 0o600, flag: 'wx' });
      await fs.rename(tmp, this.#file); // atomic: readers see the old file or the new one
    } catch {
      // The token works without the cache; the directory was checked writable in #prepare.
      await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  async remove(accessToken: string): Promise<void> {
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lockfile = require('proper-lockfile') as typeof import('proper-lockfile');
    const giveUpAt = Math.min(now() + MAX_LOCK_WAIT_MS, now() + Math.max(0, deadline - now()) / 2);
    for (;;) {
      let release: (() => Promise<void>) | undefined;
      try {
        release = await lockfile.lock(this.#file, {
          realpath: false,
          stale: STALE_LOCK_MS,
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

  // Creates the directory (0700) once, and refuses one that another user owns.
  #prepare(): Promise<void> {
    this.#ready ??= (async () => {
      try {
        await fs.mkdir(this.#dir, { recursive: true, mode: 0o700 });
        const stat = await fs.stat(this.#dir);
        if (!stat.isDirectory()) throw new Error('not a directory');
        if (!ownedByMe(stat.uid)) throw new Error('it belongs to another user');
        if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) await fs.chmod(this.#dir, 0o700);
        await fs.access(this.#dir, constants.W_OK);
      } catch (err) {
        throw new ConfigurationError(
          `The service-account token cache directory ${JSON.stringify(this.#dir)} cannot be used: ` +
            `${(err as Error).message}. Choose a directory of your own, or turn the token cache off.`,
        );
      }
    })();
    return this.#ready;
  }
}

function ownedByMe(uid: number): boolean {
  const me = process.getuid?.();
  return me === undefined || uid === me;
}
