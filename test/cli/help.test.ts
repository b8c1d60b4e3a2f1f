import { HELP } from '../../lib/cli/help';
import { RENAME_ENV } from '../../lib/cli/credentials';
import { ENV } from '../../lib/cli/options';
import { run } from '../../lib/cli/run';
import { captureIo } from './fake-api';

// The usage text, verbatim: changing the CLI's interface means changing this test on purpose.
const EXPECTED = `Usage: mongodb-invitations <command> [options]

Cancels pending MongoDB project invitations through the Atlas Admin API v2 or the
Ops Manager / Cloud Manager public API v1.0.

Commands:
  revoke    cancel one pending invitation (an invitation that is already gone is not an error)
  list      print the pending invitations of a project
  sandbox   run an in-memory Atlas + Ops Manager invitations API on loopback; prints its base URL
  help      print this text

  mongodb-invitations revoke  --target atlas|ops-manager [--base-url URL] --group-id ID
                              --invitation-id ID [--auth MODE] [--timeout-ms N] [--max-retries N]
                              [--json] [--debug]
  mongodb-invitations list    --target atlas|ops-manager [--base-url URL] --group-id ID
                              [--username NAME] [--auth MODE] [--timeout-ms N] [--max-retries N]
                              [--json] [--debug]
  mongodb-invitations sandbox [--host 127.0.0.1] [--port N] [--seed FILE] (sandbox --help: more)

Options (each falls back to the variable in brackets; an empty variable counts as unset):
  --target atlas|ops-manager  which API [MONGODB_INVITATIONS_TARGET]
  --base-url URL              https only (plain http for loopback); no user, query or fragment
                              [MONGODB_INVITATIONS_BASE_URL, then MONGODB_ATLAS_BASE_URL (Atlas)
                              or MCLI_OPS_MANAGER_URL (Ops Manager)]; Atlas default
                              https://cloud.mongodb.com, required for Ops Manager
  --group-id ID               project id, 24 lowercase hex [MONGODB_INVITATIONS_GROUP_ID]
  --invitation-id ID          invitation id, 24 lowercase hex [MONGODB_INVITATIONS_INVITATION_ID]
  --username NAME             list only the invitations of this user
  --auth MODE                 digest, service-account or token; default: the first complete
                              credential set below [MONGODB_INVITATIONS_AUTH]
  --timeout-ms N              per-attempt timeout, default 30000 [MONGODB_INVITATIONS_TIMEOUT_MS]
  --max-retries N             retries of 429, 5xx and network errors, default 3
                              [MONGODB_INVITATIONS_MAX_RETRIES]
  --json                      print one JSON object per outcome on stdout (list: a JSON array)
  --debug                     print stack traces of errors
  -h, --help                  print this text
  --version                   print the version

Credentials (read from the environment only, never from flags):
  Atlas        MONGODB_ATLAS_CLIENT_ID + MONGODB_ATLAS_CLIENT_SECRET (service account, preferred),
               else MONGODB_ATLAS_PUBLIC_API_KEY + MONGODB_ATLAS_PRIVATE_API_KEY (API key, Digest;
               also MONGODB_ATLAS_PUBLIC_KEY + MONGODB_ATLAS_PRIVATE_KEY or MCLI_PUBLIC_API_KEY +
               MCLI_PRIVATE_API_KEY), else MONGODB_ATLAS_ACCESS_TOKEN (bearer token)
  Ops Manager  MCLI_PUBLIC_API_KEY + MCLI_PRIVATE_API_KEY (API key, Digest)
  MONGODB_INVITATIONS_CLIENT_ID_ENV, _CLIENT_SECRET_ENV, _PUBLIC_KEY_ENV, _PRIVATE_KEY_ENV and
  _ACCESS_TOKEN_ENV name other variables to read instead (then only the named one is read).
  MONGODB_INVITATIONS_TOKEN_CACHE  service-account token cache directory, or "off"; default
               $XDG_CACHE_HOME/mongodb-invitations or ~/.cache/mongodb-invitations

HTTP client (revoke, list):
  MONGODB_INVITATIONS_HTTP  node-http (default: Node's built-in node:http, the fastest start for
               one process per invitation) or undici

Exit codes:
  0  revoked, or already gone (said so)
  1  the API or the network failed (after retries), or the credentials were refused
  2  bad usage, input or configuration; nothing was sent
`;

describe('help', () => {
  it('is exactly the documented usage text', () => {
    expect(HELP).toBe(EXPECTED);
  });

  it.each([['--help'], ['-h'], ['help'], ['revoke', '--help'], ['list', '-h']])(
    'prints it on stdout with exit 0 for %p',
    async (...argv) => {
      const c = captureIo();
      await expect(run(argv, {}, c.io)).resolves.toBe(0);
      expect(c.stdout()).toBe(HELP);
      expect(c.stderr()).toBe('');
    },
  );

  it('names every variable the CLI reads', () => {
    for (const name of Object.values(ENV)) expect(HELP).toContain(name);
    for (const name of Object.values(RENAME_ENV))
      expect(HELP).toContain(name.replace('MONGODB_INVITATIONS', ''));
  });

  it('keeps every line within 100 characters', () => {
    for (const line of HELP.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('prints the package version for --version', async () => {
    const c = captureIo();
    await expect(run(['--version'], {}, c.io)).resolves.toBe(0);
    expect(c.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with a pointer to --help for no command or an unknown one', async () => {
    for (const argv of [[], ['revok']]) {
      const c = captureIo();
      await expect(run(argv, {}, c.io)).resolves.toBe(2);
      expect(c.stderr()).toMatch(/^✖ .*(no command|unknown command "revok").*mongodb-invitations --help/);
      expect(c.stdout()).toBe('');
    }
  });
});
