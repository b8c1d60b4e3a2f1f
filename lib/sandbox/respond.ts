// What each API adds to its answers, as recorded from Atlas: versioned Content-Type (on 204 too), Deprecation
// and Sunset for the invites API, RateLimit-*, X-Error-Code on errors; Ops Manager answers application/json.
// Reference: docs/sandbox.md, "Behaviour common to every API".
import type { OutgoingHttpHeaders } from 'node:http';
import { apiError, type Reply } from './http';
import type { SandboxTarget } from './types';

export const ATLAS_VERSION = '2023-01-01';
export const ATLAS_MEDIA_TYPE = `application/vnd.atlas.${ATLAS_VERSION}+json`;

/** One Atlas API version: its media type, and whether it is deprecated (Deprecation/Sunset, 410 later). */
export interface AtlasVersion {
  readonly date: string;
  readonly mediaType: string;
  readonly contentType: string;
  readonly deprecated: boolean;
}

function atlasVersion(date: string, deprecated: boolean): AtlasVersion {
  const mediaType = `application/vnd.atlas.${date}+json`;
  return { date, mediaType, contentType: `${mediaType};charset=utf-8`, deprecated };
}

/** The invites API: its one version, deprecated. */
export const INVITES_VERSION = atlasVersion(ATLAS_VERSION, true);
/** The Cloud Users API: the version that lists and removes pending users; no sunset. */
export const CLOUD_USERS_VERSION = atlasVersion('2025-02-19', false);

export const DEFAULT_SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';
export const DEFAULT_DEPRECATION = 'Wed, 4 Oct 2023 00:00:00 GMT';

export interface ApiHeaderOptions {
  readonly sunset: string;
  readonly deprecation: string;
}

/** True when an Accept header asks for exactly this version (parameters allowed). */
export function acceptsAtlasVersion(
  accept: string | undefined,
  version: AtlasVersion = INVITES_VERSION,
): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => range.split(';')[0]?.trim().toLowerCase() === version.mediaType);
}

/**
 * Atlas's refusal of any other Accept (a missing one, `application/json`, `*\/*`, another version date):
 * 406 INVALID_VERSION_DATE "Invalid accept header or version date." — reported by Atlas users; the spec
 * does not list it. The sandbox is strict on purpose, so that a client sending the wrong Accept fails here.
 */
export function notAcceptable(accept: string | undefined): Reply {
  return {
    status: 406,
    body: apiError(406, 'INVALID_VERSION_DATE', 'Invalid accept header or version date.', {
      parameters: [accept ?? ''],
    }),
  };
}

/** After the Sunset date, Atlas answers 410 VERSION_GONE. */
export function versionGone(sunset: string): Reply {
  return {
    status: 410,
    body: apiError(
      410,
      'VERSION_GONE',
      `Version ${ATLAS_VERSION} of this resource was removed on ${sunset}.`,
    ),
  };
}

/** Wraps a reply as `envelope=true` asks: HTTP 200, body `{status, content}`. */
export function envelop(reply: Reply): Reply {
  const body =
    reply.body === undefined ? { status: reply.status } : { status: reply.status, content: reply.body };
  return { status: 200, body, headers: reply.headers ?? {} };
}

/** The headers of an API reply, for its target and status. */
export function apiHeaders(
  target: SandboxTarget,
  reply: Reply,
  rate: { limit: number; remaining: number } | undefined,
  options: ApiHeaderOptions,
  version: AtlasVersion = INVITES_VERSION,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const error = reply.status >= 400;
  const errorCode = (reply.body as { errorCode?: unknown } | undefined)?.errorCode;
  if (error && typeof errorCode === 'string') headers['X-Error-Code'] = errorCode;
  if (target === 'atlas') {
    if (error) {
      headers['Content-Type'] = 'application/json';
    } else {
      headers['Content-Type'] = version.contentType;
      if (version.deprecated) {
        headers.Deprecation = options.deprecation;
        headers.Sunset = options.sunset;
      }
    }
    if (rate) {
      headers['RateLimit-Limit'] = String(rate.limit);
      headers['RateLimit-Remaining'] = String(rate.remaining);
    }
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return { ...headers, ...reply.headers };
}

/** A fixed-window request counter per caller, for the RateLimit headers (and, when enforced, 429s). */
export class RateWindow {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one request of `principal`; returns what is left and when the window frees up. */
  take(principal: string): {
    limit: number;
    remaining: number;
    retryAfterSeconds: number;
    exceeded: boolean;
  } {
    const now = this.now();
    let window = this.windows.get(principal);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, used: 0 };
      this.windows.set(principal, window);
    }
    window.used += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.used),
      retryAfterSeconds,
      exceeded: window.used > this.limit,
    };
  }

  clear(): void {
    this.windows.clear();
  }
}
