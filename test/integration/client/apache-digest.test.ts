// Digest interop with an implementation no one here wrote: Apache httpd's mod_auth_digest (started by
// test/helpers/apache.ts), with each transport of the client.
import { InvitationClient } from '../../../lib/client/invitation-client';
import type { Credentials, InvitationClientOptions } from '../../../lib/client/options';
import { itIfApache, useApache } from '../../helpers/apache';
import { CANARY, expectNoSecrets } from '../../helpers/canaries';
import { GROUP, INVITE } from '../../helpers/ids';

const NONCE_LIFETIME_S = 2;
const apache = useApache({
  realm: 'MMS Public API',
  username: CANARY.publicKey,
  password: CANARY.privateKey,
  nonceLifetimeS: NONCE_LIFETIME_S,
});
const itIf = itIfApache('Apache Digest interop tests of the client');

const digest = (privateKey: string = CANARY.privateKey): Credentials => ({
  kind: 'digest',
  publicKey: CANARY.publicKey,
  privateKey,
});

describe.each(['undici', 'node-http'] as const)('Digest against Apache mod_auth_digest (%s)', (transport) => {
  const client = (target: InvitationClientOptions['target'], credentials = digest()) =>
    new InvitationClient({ target, baseUrl: apache.baseUrl, credentials, transport });

  itIf(
    'revokes on the Atlas path: challenge + one request, then one request with the reused nonce',
    async () => {
      const c = client('atlas');
      await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
        outcome: 'revoked',
        status: 204,
        path: `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`,
      });
      expect(c.requestCount).toBe(2);
      await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
      expect(c.requestCount).toBe(3);
      await c.close();
    },
  );

  itIf('revokes on the Ops Manager path', async () => {
    const c = client('ops-manager');
    await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({
      outcome: 'revoked',
      path: `/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`,
    });
    await c.close();
  });

  itIf('answers an expired nonce (stale=true) with one fresh attempt', async () => {
    const c = client('atlas');
    await c.cancelInvitation(GROUP, INVITE);
    await new Promise((done) => setTimeout(done, NONCE_LIFETIME_S * 1000 + 500));
    await expect(c.cancelInvitation(GROUP, INVITE)).resolves.toMatchObject({ outcome: 'revoked' });
    expect(c.requestCount).toBe(4);
    await c.close();
  });

  itIf('refuses a wrong private key after one authenticated attempt, naming no secret', async () => {
    const wrong = `${CANARY.privateKey}-wrong`;
    const c = client('atlas', digest(wrong));
    const err = await c.cancelInvitation(GROUP, INVITE).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MDB_AUTHENTICATION', status: 401, method: 'DELETE' });
    expect(c.requestCount).toBe(2);
    expectNoSecrets(err);
    expect(JSON.stringify(err)).not.toContain(wrong);
    await c.close();
  });
});
