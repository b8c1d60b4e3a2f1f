// The package version for the User-Agent header. A constant (not a runtime read of package.json) so the
// self-contained CLI bundle needs no file beside it; test/unit/client/version.test.ts keeps it in step.
export const VERSION = '0.1.0';

export const DEFAULT_USER_AGENT = `cdktf-mongodb-invitations/${VERSION}`;
