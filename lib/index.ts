// Public entry point: explicit named exports only.
export {};
export {
  ProjectInvitations,
  InvalidProjectInvitationsError,
  type ProjectInvitationsProps,
} from './construct/project-invitations';
export {
  InvitationTarget,
  type AtlasTargetOptions,
  type InvitationAuth,
  type OpsManagerTargetOptions,
} from './construct/target';
export type { InvitationCredentials, InvitationEntry } from './construct/validate-props';
export {
  InvitationClient,
  type CancelOutcome,
  type ClientWarning,
  type Credentials,
  type InvitationClientOptions,
  type PendingInvitation,
  type Target,
} from './client/invitation-client';
export {
  AuthenticationError,
  ConfigurationError,
  EndpointGoneError,
  InvitationError,
  MongoDbApiError,
  NetworkError,
  RetryExhaustedError,
} from './client/errors';
export { DEFAULT_RETRY, type RetryOptions } from './client/retry';
export { ATLAS_BASE_URL } from './contract/rules';
