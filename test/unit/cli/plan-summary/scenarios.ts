// The plans plan-summary is tested against: each scenario is a `locals.mongodb_invitations` map before and
// after, applied and planned by real Terraform over plans/blocks.tf.json (the two stack-wide blocks).
// generate.ts writes plans/<name>/{before,after}.tf.json and the plan.json Terraform shows.

export const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
export const OTHER_GROUP = '6a0b1c2d3e4f5a6b7c8d9e0f';
export const OPS_URL = 'https://ops.example.com:8443';
export const ADOPTED = '6a1b2c3d4e5f60718293a4b5';
export const ADOPTED_NEW = '6b2c3d4e5f60718293a4b5c6';

type Values = Record<string, string>;

interface Person {
  readonly username: string;
  readonly roles: string;
  readonly groupId?: string;
  readonly opsManager?: boolean;
  readonly removeAccepted?: boolean;
  readonly api?: string;
}

/** One entry as the construct writes it: every key, "" where not set. */
export function person(p: Person): [string, Values] {
  const groupId = p.groupId ?? GROUP;
  const target = p.opsManager ? 'ops-manager' : 'atlas';
  const host = p.opsManager ? 'ops.example.com:8443' : 'atlas';
  return [
    `${host}/${groupId}/${p.username.toLowerCase()}`,
    {
      target,
      base_url: p.opsManager ? OPS_URL : 'https://cloud.mongodb.com',
      group_id: groupId,
      invitation_id: '',
      username: p.username.toLowerCase(),
      roles: p.roles,
      api: p.api ?? '',
      auth: '',
      remove_accepted: p.removeAccepted ? 'true' : '',
    },
  ];
}

export function adopted(invitationId: string): [string, Values] {
  return [
    `atlas/${GROUP}/${invitationId}`,
    {
      target: 'atlas',
      base_url: 'https://cloud.mongodb.com',
      group_id: GROUP,
      invitation_id: invitationId,
      username: '',
      roles: '',
      api: '',
      auth: '',
      remove_accepted: '',
    },
  ];
}

export interface Scenario {
  readonly name: string;
  readonly before: [string, Values][];
  readonly after: [string, Values][];
  /** Extra arguments of `terraform plan` (-replace=…, -destroy). */
  readonly planArgs?: readonly string[];
  /** Instances tainted (`terraform taint`) before planning. */
  readonly taint?: readonly string[];
  /** Extra configuration of the after state (an unknown value). */
  readonly afterExtra?: object;
}

const ana = person({ username: 'ana@example.com', roles: 'GROUP_READ_ONLY' });
const bo = person({ username: 'bo@example.com', roles: 'GROUP_OWNER' });
const cy = person({ username: 'cy@example.com', roles: 'GROUP_READ_ONLY' });
const dee = person({ username: 'dee@example.com', roles: 'GROUP_READ_ONLY' });
const roles = (key: string) => `terraform_data.mongodb_invitation_roles["${key}"]`;
const identity = (key: string) => `terraform_data.mongodb_invitations["${key}"]`;

export const SCENARIOS: readonly Scenario[] = [
  {
    // The case: one person added, one removed, one given other roles, one left alone.
    name: 'add-remove-roles',
    before: [ana, bo, cy],
    after: [bo, person({ username: 'cy@example.com', roles: 'GROUP_OWNER,GROUP_READ_ONLY' }), dee],
  },
  { name: 'no-change', before: [ana, bo], after: [ana, bo] },
  {
    name: 'settings-only',
    before: [ana, bo],
    after: [person({ username: 'ana@example.com', roles: 'GROUP_READ_ONLY', api: 'invites' }), bo],
  },
  {
    name: 'remove-accepted',
    before: [person({ username: 'ana@example.com', roles: 'GROUP_READ_ONLY', removeAccepted: true }), bo],
    after: [bo],
  },
  { name: 'adopt-unadopt', before: [ana, adopted(ADOPTED)], after: [ana, adopted(ADOPTED_NEW)] },
  { name: 'replace-by-request', before: [ana, bo], after: [ana, bo], planArgs: [`-replace=${roles(bo[0])}`] },
  { name: 'tainted', before: [ana, bo], after: [ana, bo], taint: [roles(ana[0])] },
  {
    // The revoke runs (identity destroyed) but no invite follows: the summary must say cancel, only.
    name: 'identity-replaced',
    before: [ana, bo],
    after: [ana, bo],
    planArgs: [`-replace=${identity(ana[0])}`],
  },
  {
    name: 'two-projects',
    before: [ana],
    after: [
      ana,
      person({ username: 'Eve@Example.com', roles: 'GROUP_OWNER', groupId: OTHER_GROUP }),
      person({ username: 'fay@example.com', roles: 'GROUP_READ_ONLY', opsManager: true }),
    ],
  },
  {
    name: 'destroy',
    before: [ana, bo, adopted(ADOPTED)],
    after: [ana, bo, adopted(ADOPTED)],
    planArgs: ['-destroy'],
  },
  {
    // Roles that come from another resource are only known during the apply.
    name: 'unknown-roles',
    before: [ana],
    after: [ana, [dee[0], { ...dee[1], roles: '${terraform_data.roles_source.output}' }]],
    afterExtra: { resource: { terraform_data: { roles_source: { input: 'GROUP_READ_ONLY' } } } },
  },
];
