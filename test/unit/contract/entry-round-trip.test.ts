// The provisioner contract end to end, without Terraform: the real construct synthesizes an entry, the
// provisioner's `environment` is evaluated as Terraform would (test/unit/construct/provisioner-env.ts), and the
// CLI's resolveSettings reads it back. Both sides must arrive at the same key, identity and settings.
import { InvitationTarget, ProjectInvitations, type ProjectInvitationsProps } from '../../../lib/index';
import { resolveSettings, type CommandName, type CommandSettings } from '../../../lib/cli/options';
import { ENTRY_KEY_ENV } from '../../../lib/contract/keys';
import { entryKey } from '../../../lib/contract/rules';
import { identityBlock, rolesBlock, synth } from '../construct/synth';
import { provisionerEnvironment } from '../construct/provisioner-env';

const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const INVITATION = '6a1b2c3d4e5f60718293a4b5';

/** Settings that travel as `input`: a token cache path holding both template openers, renamed credentials. */
const SETTINGS = {
  timeoutMs: 45_000,
  maxRetries: 4,
  tokenCache: '/var/cache/${team}/%{dir}',
  credentials: { clientIdEnv: 'TEAM_ID', clientSecretEnv: 'TEAM_SECRET' },
} as const;

interface Case {
  readonly kind: string;
  readonly props: () => ProjectInvitationsProps;
  readonly key: string;
  readonly expected: Partial<CommandSettings>;
}

const CASES: readonly Case[] = [
  {
    kind: 'a person on Atlas (Cloud Users)',
    props: () => ({
      target: InvitationTarget.atlas(),
      removeAcceptedMembers: true,
      ...SETTINGS,
      invitations: [
        { groupId: GROUP, username: 'Ana@Example.com', roles: ['GROUP_READ_ONLY', 'GROUP_OWNER'] },
      ],
    }),
    key: `atlas/${GROUP}/ana@example.com`,
    expected: {
      target: 'atlas',
      baseUrl: 'https://cloud.mongodb.com',
      username: 'ana@example.com',
      invitationId: undefined,
      roles: ['GROUP_OWNER', 'GROUP_READ_ONLY'],
      api: undefined,
      removeAccepted: true,
    },
  },
  {
    kind: 'a person on Atlas (invites API)',
    props: () => ({
      target: InvitationTarget.atlas({ api: 'invites', baseUrl: 'https://Cloud.MongoDBgov.com:443/' }),
      ...SETTINGS,
      invitations: [{ groupId: GROUP, username: 'bo@example.com', roles: ['GROUP_READ_ONLY'] }],
    }),
    key: `cloud.mongodbgov.com/${GROUP}/bo@example.com`,
    expected: {
      target: 'atlas',
      baseUrl: 'https://cloud.mongodbgov.com',
      username: 'bo@example.com',
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
      removeAccepted: false,
    },
  },
  {
    kind: 'a person on Ops Manager',
    props: () => ({
      target: InvitationTarget.opsManager({ baseUrl: 'https://OPS.example.com.:8443/', auth: 'digest' }),
      ...SETTINGS,
      credentials: { publicKeyEnv: 'OM_PUBLIC', privateKeyEnv: 'OM_PRIVATE' },
      invitations: [{ groupId: GROUP, username: 'cy@example.com', roles: ['GROUP_OWNER'] }],
    }),
    key: `ops.example.com:8443/${GROUP}/cy@example.com`,
    expected: {
      target: 'ops-manager',
      baseUrl: 'https://ops.example.com:8443',
      username: 'cy@example.com',
      roles: ['GROUP_OWNER'],
      api: undefined,
      auth: 'digest',
      credentialNames: { publicKey: 'OM_PUBLIC', privateKey: 'OM_PRIVATE' },
    },
  },
  {
    kind: 'an adopted invitation id',
    props: () => ({
      target: InvitationTarget.atlas(),
      ...SETTINGS,
      invitations: [{ groupId: GROUP, invitationId: INVITATION }],
    }),
    key: `atlas/${GROUP}/${INVITATION}`,
    expected: {
      target: 'atlas',
      baseUrl: 'https://cloud.mongodb.com',
      invitationId: INVITATION,
      username: undefined,
      roles: undefined,
      removeAccepted: false,
    },
  },
];

describe('the provisioner contract, construct → environment → CLI', () => {
  describe.each(CASES)('$kind', ({ props, key, expected }) => {
    const read = (command: CommandName) => {
      const out = synth((stack) => new ProjectInvitations(stack, 'team', props()));
      try {
        const block = command === 'revoke' ? identityBlock(out.config) : rolesBlock(out.config);
        const env = provisionerEnvironment(out.config, block, key, command);
        return { env, settings: resolveSettings(command, [], env) };
      } finally {
        out.cleanup();
      }
    };

    it.each(['invite', 'revoke'] as const)('%s reads back the key the construct wrote', (command) => {
      const { env, settings } = read(command);
      expect(env[ENTRY_KEY_ENV]).toBe(key);
      const who =
        settings.username !== undefined
          ? { username: settings.username }
          : { invitationId: settings.invitationId ?? '' };
      expect(entryKey(settings.target, settings.baseUrl, settings.groupId, who)).toBe(key);
    });

    it.each(['invite', 'revoke'] as const)('%s reads back the declared values', (command) => {
      const { settings } = read(command);
      const { roles, ...rest } = expected;
      expect(settings).toMatchObject({
        groupId: GROUP,
        timeoutMs: SETTINGS.timeoutMs,
        maxRetries: SETTINGS.maxRetries,
        tokenCache: SETTINGS.tokenCache,
        credentialNames: { clientId: 'TEAM_ID', clientSecret: 'TEAM_SECRET' },
        ...rest,
      });
      // The identity block carries no roles; the roles block's invite reads them.
      expect(settings.roles).toEqual(command === 'invite' ? roles : undefined);
    });
  });
});
