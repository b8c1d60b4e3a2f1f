// Pure input rules shared by the construct (synth time) and the CLI (run time), so that both refuse the
// same values with the same words before anything is sent. No I/O, no dependencies: the construct may
// import this file without pulling in the HTTP client.

/** MongoDB object ids as the API spec writes them: `^([a-f0-9]{24})$`. */
export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;

/** The Atlas Admin API's public base URL. */
export const ATLAS_BASE_URL = 'https://cloud.mongodb.com';

/**
 * C0 controls, DEL and C1 controls: CR/LF would split headers or log lines, a C1 control (U+009B) starts
 * a terminal sequence; none has any business in a name, a path, a header or a token. The one definition:
 * input rules, the client's token checks and the CLI's output escaping all use it.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** True when `value` holds a character of CONTROL_CHARACTERS. */
export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** Shows a value inside an error message: JSON-quoted (control characters visible) and cut short. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/** Returns what is wrong with a project or invitation id, or undefined when it is valid. */
export function checkObjectId(label: string, value: string): string | undefined {
  if (OBJECT_ID_PATTERN.test(value)) return undefined;
  return `${label} must be 24 lowercase hex characters, like 5f0c1a2b3c4d5e6f7a8b9c0d (value: ${quote(value)})`;
}

/** Returns what is wrong with a piece of free text (names, paths), or undefined when it is valid. */
export function checkNoControlCharacters(label: string, value: string): string | undefined {
  if (!hasControlCharacters(value)) return undefined;
  return `${label} must not contain control characters such as CR or LF (value: ${quote(value)})`;
}

/** True for hosts that never leave this machine: 127.0.0.0/8, localhost and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a base URL: https (plain http only for loopback hosts), no user info, no query, no fragment,
 * no control characters. Returns the problem, or the normalized URL (no trailing slash).
 */
export function parseBaseUrl(
  label: string,
  value: string,
  options: { allowInsecureHttp?: boolean } = {},
): { ok: true; url: string } | { ok: false; problem: string } {
  const control = checkNoControlCharacters(label, value);
  if (control) return { ok: false, problem: control };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      ok: false,
      problem: `${label} must be an absolute URL such as https://ops.example.com:8443 (value: ${quote(hideBeforeAt(value))})`,
    };
  }
  const problems: string[] = [];
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
      problems.push(
        'must use https (plain http is accepted for 127.0.0.1, localhost and [::1], and elsewhere only with allowInsecureHttp: true / --allow-insecure-http)',
      );
    }
  } else if (url.protocol !== 'https:') {
    problems.push('must use https');
  }
  if (url.username || url.password) problems.push('must not carry a user name or password');
  if (url.search || value.includes('?')) problems.push('must not carry a query string');
  if (url.hash || value.includes('#')) problems.push('must not carry a fragment');
  if (problems.length > 0) {
    return {
      ok: false,
      problem: `${label} ${problems.join(', ')} (value: ${quote(url.username || url.password ? redactUserInfo(url, value) : hideBeforeAt(value))})`,
    };
  }
  // Canonical: URL lowercases scheme and host and drops a default port; the trailing slash goes too, and
  // so does a trailing dot on the host (the same name in DNS).
  if (url.hostname.endsWith('.') && url.hostname.length > 1) url.hostname = url.hostname.replace(/\.+$/, '');
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

// A value that does not parse as user info may still hold a password before an '@' (an unparsable
// URL, or "user:pass@host" read as a scheme): hide everything before the last '@'.
function hideBeforeAt(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, (_m, scheme?: string) => `${scheme ?? ''}***@`);
}

// A base URL with user info may hold a password: never echo it back.
function redactUserInfo(url: URL, value: string): string {
  if (!url.username && !url.password) return value;
  const copy = new URL(url.href);
  copy.username = copy.username ? '***' : '';
  copy.password = copy.password ? '***' : '';
  return copy.href;
}

/**
 * The canonical base URL of a target: the Atlas default spelled out when none is given, so that
 * `atlas()` and `atlas({ baseUrl: 'https://cloud.mongodb.com/' })` are the same identity.
 */
export function canonicalBaseUrl(
  kind: 'atlas' | 'ops-manager',
  value: string | undefined,
  options: { allowInsecureHttp?: boolean } = {},
): { ok: true; url: string } | { ok: false; problem: string } {
  if (value === undefined || value === '') {
    if (kind === 'atlas') return { ok: true, url: ATLAS_BASE_URL };
    return {
      ok: false,
      problem: 'base URL is required for Ops Manager, for example https://ops.example.com:8443',
    };
  }
  return parseBaseUrl('base URL', value, options);
}

/** The first segment of an entry's key: `atlas` for the default Atlas URL, else host[:port][/path]. */
export function targetLabel(kind: 'atlas' | 'ops-manager', canonicalUrl: string): string {
  if (kind === 'atlas' && canonicalUrl === ATLAS_BASE_URL) return 'atlas';
  const url = new URL(canonicalUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * An entry's key, the `for_each` key of both blocks and so the name a plan line shows:
 * `<target>/<groupId>/<username in lower case>` or `<target>/<groupId>/<invitationId>`. Never renamed.
 */
export function entryKey(
  kind: 'atlas' | 'ops-manager',
  canonicalUrl: string,
  groupId: string,
  who: { readonly username: string } | { readonly invitationId: string },
): string {
  const last = 'username' in who ? who.username.toLowerCase() : who.invitationId;
  return `${targetLabel(kind, canonicalUrl)}/${groupId}/${last}`;
}

// The WHATWG HTML definition of a valid e-mail address, less `$`, `%`, `{` and `}` (no address needs
// them, and they would read as Terraform template syntax), and with a dot required in the domain.
const EMAIL =
  /^[A-Za-z0-9.!#&'*+/=?^_`|~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Returns what is wrong with a username (an e-mail address), or undefined when it is valid. */
export function checkUsername(label: string, value: string): string | undefined {
  const control = checkNoControlCharacters(label, value);
  if (control) return control;
  if (value.length > 254 || !EMAIL.test(value)) {
    return `${label} must be an e-mail address such as ana@example.com (value: ${quote(value)})`;
  }
  return undefined;
}
