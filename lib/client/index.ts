// `cdktf-mongodb-invitations/client`: the HTTP client alone, for plain Node programs. Reaches no construct
// code, so it loads without cdktf or cdktn installed (docs/design.md, "Layering"). Explicit named exports
// only; the package entry (lib/index.ts) exports all of them too.
export {
  InvitationClient,
  type AtlasPersonApi,
  type CancelOutcome,
  type CancelPendingResult,
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
  type TransportKind,
  type CloseOptions,
  type ClientHints,
} from './invitation-client';
export { DEFAULT_RATE_LIMIT, RateLimitedError } from './http/rate-limit';
export {
  AuthenticationError,
  ConfigurationError,
  EndpointGoneError,
  HttpError,
  InvitationError,
  MemberRolesError,
  MongoDbApiError,
  NetworkError,
  ResponseTooLargeError,
  RetryExhaustedError,
  UnconfirmedError,
  type HttpFailure,
  type InvitationErrorOptions,
} from './errors';
export { DEFAULT_RETRY, type RetryOptions } from './http/retry';
export { ERROR_CODES, ExitCode, type ErrorCode, type WarningCode } from '../contract/errors';
export { ATLAS_BASE_URL, checkUsername } from '../contract/rules';
export { ROLE_PATTERN, checkRoles } from '../contract/roles';
