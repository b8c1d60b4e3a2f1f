// The single source of the usage text: `--help` prints HELP, `<command> --help` that command's part. It is
// asserted in test/unit/cli/help.test.ts against the parser's flags and pasted into the README (checked there).
import { ambientName, CLI_ENV } from '../contract/keys';
import { LIMITS } from '../contract/settings';
import { MAX_PLAN_BYTES } from './plan-summary/read-plan';

const COMMON = `Common options (each falls back to the variable in brackets; an empty variable counts as unset):
  --target atlas|ops-manager  which API, any case; default atlas (Ops Manager is always named)
                              [${ambientName('target')}]
  --base-url URL              https (plain http for loopback, elsewhere only with
                              --allow-insecure-http); no user, query or fragment
                              [${ambientName('base_url')}, then ${CLI_ENV.atlasBaseUrl} (Atlas)
                              or ${CLI_ENV.opsManagerUrl} (Ops Manager)];
                              Atlas default https://cloud.mongodb.com, required for Ops Manager
  --group-id ID               project id, 24 lowercase hex [${ambientName('group_id')}]
  --auth MODE                 digest, service-account or token; default: the first complete
                              credential set below [${ambientName('auth')}]
  --timeout-ms N              per-attempt timeout, ${LIMITS.timeout_ms.min} to ${LIMITS.timeout_ms.max}, default 30000
                              [${ambientName('timeout_ms')}]
  --max-retries N             retries of 429, 5xx and network errors, ${LIMITS.max_retries.min} to ${LIMITS.max_retries.max}, default 3
                              [${ambientName('max_retries')}]
  --allow-insecure-http       allow plain http to a host that is not loopback
                              [${ambientName('allow_insecure_http')}=true]
  --json                      one JSON object per outcome on stdout; human lines stay on stderr
  --verbose                   also print the requests behind each outcome (--json has them always)
                              [${CLI_ENV.verbose}=true]
  --debug                     print stack traces of errors
  -h, --help                  print the usage of the command
`;

// audit takes its target, base URL, project and settings from the stacks, never from flags;
// plan-summary reads a file and sends nothing.
const AUDIT_COMMON = `Common options:
  --debug                     print stack traces of errors
  -h, --help                  print the usage of the command
`;

const COMMANDS = {
  invite: `Usage: mongodb-invitations invite [--target atlas|ops-manager] [--base-url URL] --group-id ID
                                  (--username EMAIL --roles ROLE[,ROLE] [--api cloud-users|invites]
                                   | --invitation-id ID) [options]

Invites a person to a project with the roles given; someone already pending with those roles is
done, with other roles gets them. With --invitation-id, checks that an invitation made elsewhere is
pending (Terraform's create-time provisioner runs this for adopted entries).

  --username EMAIL            the person's e-mail address [${ambientName('username')}]
  --roles ROLE[,ROLE]         project roles such as GROUP_READ_ONLY [${ambientName('roles')}]
  --api cloud-users|invites   Atlas only: the Cloud Users API (default) or the deprecated
                              invites API [${ambientName('api')}]
  --invitation-id ID          an invitation id, 24 lowercase hex [${ambientName('invitation_id')}]
`,
  revoke: `Usage: mongodb-invitations revoke [--target atlas|ops-manager] [--base-url URL] --group-id ID
                                  (--username EMAIL [--remove-accepted] | --invitation-id ID)
                                  [--api cloud-users|invites] [options]

Cancels a person's pending invitations (on Atlas, on both APIs), or one invitation by id. Nothing
pending is done, saying why; an id is "already gone" only after the project's list confirms it.

  --username EMAIL            cancel every pending invitation of this person
                              [${ambientName('username')}]
  --remove-accepted           if the person already accepted, remove the member from the project
                              [${ambientName('remove_accepted')}=true]
  --invitation-id ID          an invitation id, 24 lowercase hex [${ambientName('invitation_id')}]
  --api cloud-users|invites   Atlas only: the API the person was invited through
                              [${ambientName('api')}]
`,
  list: `Usage: mongodb-invitations list [--target atlas|ops-manager] [--base-url URL] --group-id ID
                                [--username EMAIL] [options]

Prints the pending invitations of a project, with a header (--json: a JSON array).

  --username EMAIL            only this person's invitations
`,
  audit: `Usage: mongodb-invitations audit [STACK_DIR…] [--group-id ID…] [--json | --format markdown]
                                 [--exit-code] [--adopt FILE|- [--merge] | --prune [--yes] |
                                 --reinvite [--yes]]

Compares what the synthesized stacks declare (this library's blocks in each cdk.tf.json) with what
is pending on the server, for every declared project: on Atlas both APIs, on Ops Manager its
invites API. A project is its id: every base URL spelling of it is one declared set. Credentials
come from the variables each entry names, as its revoke would read them. Sends only GET requests
(list calls), unless --prune --yes or --reinvite --yes.

  STACK_DIR                   a synthesized stack directory (or its cdk.tf.json); default: every
                              stack under ./cdktf.out/stacks. The other stacks of the same
                              cdktf.out/stacks still count as declaring (never undeclared)
  --group-id ID               audit this project even when no stack declares anything in it (what
                              a removed construct left pending); repeatable; read with the flags
                              below and the usual variables and credentials
  --target atlas|ops-manager  with --group-id; default atlas [${ambientName('target')}]
  --base-url URL              with --group-id [${ambientName('base_url')}, then
                              ${CLI_ENV.atlasBaseUrl} (Atlas) or ${CLI_ENV.opsManagerUrl} (Ops Manager)]
  --json                      one JSON object per finding on stdout (ok included)
  --format text|markdown      text: one line per finding (default); markdown: one report on stdout,
                              a table per project of the findings that need something done (for
                              an issue); not with --json
  --exit-code                 exit 3 when code and server differ (an undeclared, not-pending,
                              roles-differ or duplicate finding, or a stack skipped as unreadable);
                              without it findings exit 0
  --adopt FILE|-              write the undeclared invitations as entries [{groupId, username,
                              roles}] (the shape of invitations.json) to a new FILE, or - (stdout);
                              an existing FILE is never replaced
  --merge                     with --adopt FILE: add the undeclared entries to FILE, keeping every
                              entry already there
  --prune                     cancel the undeclared invitations, and nothing else; without --yes
                              print what it would cancel and send nothing. Refused (exit 2) when a
                              stack of the synth output was skipped as unreadable
  --reinvite                  invite again, with their declared roles, the declared people whose
                              invitation expired or was declined (not-pending), each as its own
                              invite would; never anyone undeclared, an adopted id or a person
                              declared twice (a line says what to do). Without --yes print whom
                              it would invite and send nothing. Refused (exit 2) when a stack was
                              skipped as unreadable
  --yes                       with --prune: really cancel; with --reinvite: really invite

Findings, one per line on stdout (ok ones only counted, unless --json):
  undeclared    pending on the server, not in the code
  not-pending   declared, but expired, rejected or never sent: terraform apply -replace=ADDRESS
                (the roles instance) in that stack, or audit --reinvite --yes, invites again (an
                id entry that is gone: remove it from the code)
  roles-differ  declared, pending with other roles: terraform apply -replace=ADDRESS in that stack
  duplicate     declared by more than one stack (or app): keep one declaration
  accepted      declared, and now a member of the project
  ok            declared and pending with the declared roles
`,
  'plan-summary': `Usage: mongodb-invitations plan-summary PLAN_JSON|- [--json]

Summarises what a Terraform plan does to people, for a pull-request comment: per target and
project, who is invited (with roles), whose pending invitation is cancelled (and with
removeAcceptedMembers, whose membership is removed), whose roles change, and which adopted
invitation ids are added or dropped. Reads only this library's blocks; people the plan leaves
alone are not mentioned. Reads the file (or stdin), sends nothing.

  PLAN_JSON                   the output of: terraform show -json plan.out > plan.json
  -                           read it from stdin: terraform show -json plan.out | … plan-summary -
  --json                      one JSON object on stdout instead of markdown:
                              {"invite":[…],"cancel":[…],"roles":[…],"adopt":[…],"unadopt":[…]}

Input that is not a Terraform JSON plan (not JSON, a state or configuration file, duplicate
keys, over ${MAX_PLAN_BYTES / 1024 / 1024} MiB) is refused with exit 2.
`,
} as const;

export type HelpTopic = keyof typeof COMMANDS;

const CREDENTIALS = `Credentials (read from the environment only, never from flags):
  Atlas        MONGODB_ATLAS_CLIENT_ID + MONGODB_ATLAS_CLIENT_SECRET (service account, preferred),
               else MONGODB_ATLAS_PUBLIC_API_KEY + MONGODB_ATLAS_PRIVATE_API_KEY (API key, Digest;
               also MONGODB_ATLAS_PUBLIC_KEY + MONGODB_ATLAS_PRIVATE_KEY or MCLI_PUBLIC_API_KEY +
               MCLI_PRIVATE_API_KEY), else MONGODB_ATLAS_ACCESS_TOKEN (bearer token)
  Ops Manager  MCLI_PUBLIC_API_KEY + MCLI_PRIVATE_API_KEY (API key, Digest)
  ${ambientName('client_id_env')}, _CLIENT_SECRET_ENV, _PUBLIC_KEY_ENV, _PRIVATE_KEY_ENV and
  _ACCESS_TOKEN_ENV name other variables to read instead (then only the named ones are read).
  ${ambientName('token_cache')}  service-account token cache directory (absolute), or "off";
               default $XDG_CACHE_HOME/mongodb-invitations or ~/.cache/mongodb-invitations
  ${CLI_ENV.http}  node-http (default: the fastest start for one process per invitation)
               or undici
  ${CLI_ENV.codeCache}  off: no V8 code cache beside the bundled CLI
`;

const EXIT_CODES = `Exit codes:
  0  done, or nothing to do (said why)
  1  the API or the network failed (after retries), or the credentials were refused
  2  bad usage, input or configuration; nothing was sent
  3  audit --exit-code: code and server differ
`;

export const HELP = `Usage: mongodb-invitations <command> [options]

Invites people to MongoDB projects and cancels pending invitations, through the Atlas Admin API v2
or the Ops Manager / Cloud Manager public API v1.0. Terraform runs invite and revoke for you.

Commands:
  invite        invite a person (or check that an adopted invitation is pending)
  revoke        cancel a person's pending invitations, or one invitation by id
  list          print the pending invitations of a project
  audit         compare the synthesized stacks with what is pending (--help for its options)
  plan-summary  who a Terraform plan invites, cancels or gives other roles (markdown or --json)
  sandbox       run an in-memory Atlas + Ops Manager API on loopback; prints its base URL
  help          print this text; help COMMAND (or COMMAND --help): that command's options
  version       print the version (also -v, --version)

${COMMON}  -v, --version               print the version

Options of invite and revoke (<command> --help) fall back to ${ambientName('username')},
  ${ambientName('roles')}, ${ambientName('invitation_id')}, ${ambientName('api')}
  and ${ambientName('remove_accepted')}.

${CREDENTIALS}
${EXIT_CODES}`;

/** The usage of one command: its own part, then the common options, credentials and exit codes. */
export function commandHelp(topic: HelpTopic): string {
  if (topic === 'plan-summary') return `${COMMANDS[topic]}\n${AUDIT_COMMON}\n${EXIT_CODES}`;
  if (topic === 'audit') return `${COMMANDS.audit}\n${AUDIT_COMMON}\n${CREDENTIALS}\n${EXIT_CODES}`;
  return `${COMMANDS[topic]}\n${COMMON}\n${CREDENTIALS}\n${EXIT_CODES}`;
}
