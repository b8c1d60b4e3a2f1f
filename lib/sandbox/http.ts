// Small response and request helpers shared by the sandbox's routes.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Bodies larger than this are refused (the sandbox only ever needs a few hundred bytes). */
const MAX_BODY_BYTES = 1024 * 1024;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonFor(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

/** The spec's `ApiError`: `error` and `errorCode` are required; Atlas also sends reason and detail. */
export interface ApiErrorBody {
  error: number;
  errorCode: string;
  reason: string;
  detail: string;
  parameters?: unknown[];
  badRequestDetail?: { fields: { field: string; description: string }[] };
}

export function apiError(
  status: number,
  errorCode: string,
  detail: string,
  extra: Pick<ApiErrorBody, 'parameters' | 'badRequestDetail'> = {},
): ApiErrorBody {
  return { detail, error: status, errorCode, ...extra, reason: reasonFor(status) };
}

/** Sends a JSON body (or none when `body` is undefined) with a Content-Length. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders,
  pretty = false,
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the request body as text; undefined when it is larger than the sandbox accepts. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON, undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True for 127.0.0.0/8 and ::1 peers (also IPv4-mapped IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\./.test(v4);
}

/**
 * True for a Host header value that names this machine's loopback interface: `localhost`, a 127.0.0.0/8
 * address or `[::1]`, with or without a port. Anything else (a DNS name that resolves to 127.0.0.1 is the
 * point of DNS rebinding) is refused by the admin path.
 */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^(\[::1\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host.trim().toLowerCase());
  const name = match?.[1];
  return name === 'localhost' || name === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(name ?? '');
}

/** True for an Origin header value whose scheme is http(s) and whose host is a loopback name. */
export function isLoopbackOrigin(origin: string): boolean {
  const match = /^https?:\/\/([^/?#]+)$/i.exec(origin.trim());
  return match?.[1] !== undefined && isLoopbackHostHeader(match[1]);
}

/** What a route answers; the server writes it, applies the envelope and logs it. */
export interface Reply {
  status: number;
  /** JSON body; undefined sends none. */
  body?: unknown;
  headers?: OutgoingHttpHeaders;
  /** Indent the JSON body (`pretty=true`). */
  pretty?: boolean;
}

/** The form fields of an `application/x-www-form-urlencoded` body. */
export function parseForm(text: string): URLSearchParams {
  return new URLSearchParams(text);
}

/** Decodes `Authorization: Basic base64(id:secret)`; undefined when absent or malformed. */
export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // Compared as sent: RFC 6749 §2.3.1 form-encoding of the id and secret is a no-op for the values
  // MongoDB issues (letters, digits, '_' and '-').
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
