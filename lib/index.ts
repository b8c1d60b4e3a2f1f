// Public entry point: explicit named exports only.
export {
  ProjectInvitations,
  InvalidProjectInvitationsError,
  type ProjectInvitationsProps,
} from './construct/project-invitations';
export {
  InvitationTarget,
  type AtlasApi,
  type AtlasTargetOptions,
  type InvitationAuth,
  type OpsManagerTargetOptions,
} from './construct/target';
export type {
  AdoptedEntry,
  InvitationCredentials,
  InvitationEntry,
  PersonEntry,
} from './construct/validate-props';
export {
  InvitationClient,
  type AtlasPersonApi,
  type CancelOutcome,
  type ClientWarning,
  type Credentials,
  type InvitationClientOptions,
  type InviteOutcome,
  type InvitePersonOptions,
  type InvitePersonResult,
  type MembershipStatus,
  type PendingInvitation,
  type PendingPerson,
  type PersonAction,
  type PersonApi,
  type PersonRecord,
  type ProjectMember,
  type RateLimitOptions,
  type RateLimitWait,
  type RevokeOutcome,
  type RevokePersonOptions,
  type RevokePersonResult,
  type Target,
} from './client/invitation-client';
export { DEFAULT_RATE_LIMIT, RateLimitedError } from './client/rate-limit';
export {
  AuthenticationError,
  ConfigurationError,
  EndpointGoneError,
  InvitationError,
  MemberRolesError,
  MongoDbApiError,
  NetworkError,
  RetryExhaustedError,
} from './client/errors';
export { DEFAULT_RETRY, type RetryOptions } from './client/retry';
export { ATLAS_BASE_URL, ROLE_PATTERN, checkRoles, checkUsername } from './contract/rules';
