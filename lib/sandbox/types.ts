// Types shared by the sandbox's modules. The sandbox imports nothing from lib/client or lib/contract: it is
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

/** The seed file: `{ "invitations": [ ... ] }` (each entry an invitation or a people entry, see SeedEntry). */
export interface SeedFile {
  readonly invitations: readonly (SeedInvitation | SeedEntry)[];
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
  /** The Cloud Users user id, or the Ops Manager member id, of a …/users/{userId} request. */
  readonly userId?: string;
  /** The kind of fault that shaped this response, when one did. */
  readonly fault?: string;
}

/** The three invitation APIs, as the admin switches and seed entries name them. */
export type SandboxApi = 'cloud-users' | 'invites' | 'ops-manager';

/** `orgMembershipStatus` of a Cloud Users user. */
export type OrgMembershipStatus = 'PENDING' | 'ACTIVE' | 'INVITATION_EXPIRED' | 'INVITATION_REJECTED';

/**
 * A Cloud Users (2025-02-19) user as the API answers it: the spec's `GroupPendingUserResponse` (PENDING,
 * INVITATION_EXPIRED, INVITATION_REJECTED) or `GroupActiveUserResponse` (ACTIVE).
 */
export interface CloudUser {
  readonly id: string;
  readonly username: string;
  readonly roles: string[];
  readonly orgMembershipStatus: OrgMembershipStatus;
  readonly invitationCreatedAt?: string;
  /** null for a rejected invitation, as the spec says. */
  readonly invitationExpiresAt?: string | null;
  readonly inviterUsername?: string;
  /** Active users only. */
  readonly createdAt?: string;
  readonly firstName?: string;
  readonly lastName?: string;
}

/** A project member of the invites API world (an accepted invitation, or Ops Manager's bypass mode). */
export interface ProjectMember {
  readonly id: string;
  readonly groupId: string;
  readonly username: string;
  readonly roles: string[];
  readonly createdAt: string;
}

/**
 * One seed entry in the people shape (`examples/atlas/invitations.json`): `{groupId, username, roles, api?}`,
 * or an id entry `{groupId, invitationId, username?}`. Without `api` (and without the older `target`) an
 * entry is a pending invitation on both invites APIs, as seeds always were.
 */
export interface SeedEntry {
  readonly groupId: string;
  readonly username?: string;
  /** @default ['GROUP_READ_ONLY'] */
  readonly roles?: string[];
  readonly api?: SandboxApi;
  /** The older way to name the API: atlas = invites, ops-manager, both. */
  readonly target?: SandboxTarget | 'both';
  /** The invitation id (invites APIs) or user id (Cloud Users); generated when absent. */
  readonly id?: string;
  /** Same as `id` (the examples' key). */
  readonly invitationId?: string;
  /** Cloud Users only. @default 'PENDING' */
  readonly status?: OrgMembershipStatus;
  readonly createdAt?: string;
  readonly expiresAt?: string;
}

/** What `sandbox.seed` and the `seed` option accept. */
export type SeedInput = SeedFile | readonly (SeedEntry | SeedInvitation)[];

/** What an admin switch (accept, expire) changed: one entry per API that held a pending invitation. */
export interface SwitchResult {
  readonly api: SandboxApi;
  readonly groupId: string;
  readonly username: string;
  /** The invitation id (invites APIs) or user id (Cloud Users). */
  readonly id: string;
  /** The member or user id after an accept. */
  readonly memberId?: string;
}
