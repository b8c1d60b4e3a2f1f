// Turns a final answer into an outcome or a typed error with a hint about what to do.
import { parseApiError, parseJson } from './apis/api-error';
import { AuthenticationError, EndpointGoneError, MongoDbApiError, type InvitationError } from './errors';
import type { HttpResponse } from './http/transport';
import type { PendingPerson } from './apis/person';

export type Target = 'atlas' | 'ops-manager';

export type CancelOutcome =
  | { readonly outcome: 'revoked'; readonly status: number; readonly method: 'DELETE'; readonly path: string }
  | {
      readonly outcome: 'already-gone';
      readonly status: 404;
      readonly method: 'DELETE';
      readonly path: string;
      readonly errorCode?: string;
      readonly detail?: string;
      /** The list request that confirmed the invitation is not pending. */
      readonly confirmedBy: string;
    };

/** @deprecated The same as PendingPerson: what listInvitations and findInvitation return. */
export type PendingInvitation = PendingPerson;

export interface FailureContext {
  readonly target: Target;
  readonly method: string;
  readonly path: string;
  /** What to do when the credentials are refused. */
  readonly authHint: string;
  readonly secrets: readonly string[];
}

const ROLE: Record<Target, string> = { atlas: 'Project Owner', 'ops-manager': 'Project User Admin' };

function hintFor(status: number, ctx: FailureContext, isApiError: boolean): string | undefined {
  if (status === 401) return ctx.authHint;
  if (status === 403) {
    return (
      `Check that the credentials have the ${ROLE[ctx.target]} role on this project ` +
      "and that this machine's IP address is on their API access list."
    );
  }
  if (status === 404 && !isApiError) {
    return 'The answer is not a MongoDB API error (a proxy, or a wrong base URL?): check the base URL.';
  }
  if (status === 404) {
    return 'The project is not there for these credentials: check the project (group) id, the base URL and that the credentials can see that project.';
  }
  if (status === 400) return 'Check the ids and that the base URL points at the right product.';
  return undefined;
}

/** The typed error for a final non-2xx answer. */
export function failureFor(response: HttpResponse, ctx: FailureContext): InvitationError {
  const api = parseApiError(response);
  const { method, path } = ctx;
  const options = { secrets: ctx.secrets };
  if (response.status === 410 && api?.errorCode === 'VERSION_GONE') {
    return new EndpointGoneError({ method, path, ...api }, options);
  }
  const hint = hintFor(response.status, ctx, api !== undefined);
  const failure = { status: response.status, method, path, ...api, ...(hint ? { hint } : {}) };
  if (response.status === 401) return new AuthenticationError(failure, options);
  return new MongoDbApiError(failure, options);
}

/** 404 errorCodes that say the PROJECT is not there (or not this product's), not the invitation. */
export const PROJECT_MISSING_CODES: readonly string[] = ['GROUP_NOT_FOUND', 'ATLAS_GROUP', 'NOT_IN_GROUP'];

/**
 * The first look at a DELETE's answer. 2xx with an empty or non-error JSON body = revoked; a 404 with an
 * ApiError body about the invitation = `maybe-gone` (the caller confirms with a list before saying
 * "already gone"); a 404 about the project, a 404 that is not an ApiError, or a 2xx whose body is an
 * ApiError throw.
 */
export function cancelOutcome(
  response: HttpResponse,
  ctx: FailureContext,
): CancelOutcome | { readonly outcome: 'maybe-gone'; readonly errorCode?: string; readonly detail?: string } {
  const { status } = response;
  const path = ctx.path;
  if (status >= 200 && status < 300) {
    const api = parseApiError(response);
    if (response.text.trim() === '' || (parseJson(response.text) !== undefined && api === undefined)) {
      return { outcome: 'revoked', status, method: 'DELETE', path };
    }
    throw new MongoDbApiError(
      {
        status,
        method: 'DELETE',
        path,
        ...api,
        detail: api
          ? `the ${status} answer carries an error${api.detail ? `: ${api.detail}` : ''}`
          : 'the answer is not JSON',
        hint: api
          ? 'Nothing is taken as revoked; run the apply again.'
          : 'It does not come from the MongoDB API (a proxy, or a wrong base URL?): check the base URL.',
      },
      { secrets: ctx.secrets },
    );
  }
  const api = parseApiError(response);
  if (status === 404 && api && !PROJECT_MISSING_CODES.includes(api.errorCode ?? '')) {
    return { outcome: 'maybe-gone', ...api };
  }
  throw failureFor(response, ctx);
}
