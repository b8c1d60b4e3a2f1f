// Types shared by the sandbox's modules. The sandbox imports nothing from lib/client or lib/input: it is
// the independent party that catches the client's mistakes.

/** Which API a request is addressed to. */
export type SandboxTarget = 'atlas' | 'ops-manager';

/** A pending project invitation, shaped like the spec's `GroupInvitation`. */
export interface Invitation {
  readonly id: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly username: string;
  readonly roles: string[];
  readonly inviterUsername: string;
  /** ISO 8601, UTC, whole seconds (as Atlas writes it). */
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** One invitation to seed. `target` defaults to `'both'`: the same id exists on both APIs. */
export interface SeedInvitation {
  readonly target?: SandboxTarget | 'both';
  readonly groupId: string;
  /** 24 lowercase hex characters; generated when absent. */
  readonly id?: string;
  readonly username: string;
  readonly roles: string[];
  /** ISO 8601; defaults to now. */
  readonly createdAt?: string;
  /** ISO 8601; defaults to `createdAt` + 30 days. */
  readonly expiresAt?: string;
}

/** The seed file: `{ "invitations": [ ... ] }`. */
export interface SeedFile {
  readonly invitations: readonly SeedInvitation[];
}

/** The credentials a sandbox accepts. Sandbox-only values: printing them is fine, reusing them is not. */
export interface SandboxCredentials {
  readonly apiKeys: readonly { readonly publicKey: string; readonly privateKey: string }[];
  readonly serviceAccounts: readonly { readonly clientId: string; readonly clientSecret: string }[];
  readonly accessTokens: readonly string[];
}

/** One line of the request log. It never holds a secret: no header values, no bodies. */
export interface RequestLogEntry {
  /** ISO 8601 time the response was sent (from the sandbox's clock). */
  readonly time: string;
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** Query parameters; values of names that look secret are replaced by `[redacted]`. */
  readonly query: Record<string, string>;
  /** The request's Accept header, or `''`. */
  readonly accept: string;
  readonly authScheme: 'digest' | 'bearer' | 'basic' | 'none';
  /** The status sent, or 0 when the connection was reset by a fault. */
  readonly status: number;
  readonly target: SandboxTarget | 'oauth' | 'admin' | 'unknown';
  readonly groupId?: string;
  readonly invitationId?: string;
  /** The kind of fault that shaped this response, when one did. */
  readonly fault?: string;
}
