// #10 - The invitation rate limit is waited out, never failed, with real Terraform: 50 people at
// -parallelism=10 against the sandbox's limit scaled down to 10 invitations per 5 s (Atlas: 10 a minute).
// The sandbox answers 400 INVITATIONS_RATE_LIMITED_IP with Retry-After; the CLI processes share the wait
// through the cache directory and print one "waiting N s" line each.
import { expectSuccess } from '../helpers/terraform';
import { terraformSuite } from '../helpers/e2e';
import { creations, newPeopleCase, objectId, pendingCloudUsers, sandboxOptions, since } from './people-case';

const PEOPLE = 50;
const LIMIT = { count: 10, windowMs: 5000 };

const { itIf, sandbox, workspaces } = terraformSuite(
  __filename,
  sandboxOptions({ invitationRateLimit: LIMIT }),
);

describe('the invitation rate limit, with real Terraform', () => {
  itIf(
    `${PEOPLE} people at -parallelism=10 under a limit of ${LIMIT.count} per ${LIMIT.windowMs / 1000} s: each invited exactly once, the waits printed`,
    async () => {
      const c = newPeopleCase(sandbox, workspaces);
      const g = objectId();
      const usernames = Array.from(
        { length: PEOPLE },
        (_, i) => `person${String(i).padStart(2, '0')}@example.com`,
      );
      c.declare({
        entries: usernames.map((username) => ({ groupId: g, username, roles: ['GROUP_READ_ONLY'] })),
      });
      await c.ws.init();
      const mark = sandbox.log.length;
      const tokens = sandbox.tokensIssued;
      const started = Date.now();
      const applied = await c.ws.apply(['-parallelism=10']);
      const seconds = (Date.now() - started) / 1000;
      expectSuccess(applied, 'terraform apply');
      expect(applied.stdout).toContain(
        `Apply complete! Resources: ${2 * PEOPLE} added, 0 changed, 0 destroyed.`,
      );

      const posts = creations(since(sandbox, mark), g);
      const created = posts.filter((e) => e.status === 201);
      const limited = posts.filter((e) => e.status === 400);
      expect(created).toHaveLength(PEOPLE);
      expect(posts.length).toBe(created.length + limited.length);
      // At the full rate, 50 invitations would need 5 windows: the limit was hit and waited out.
      expect(limited.length).toBeGreaterThan(0);
      const pending = pendingCloudUsers(sandbox, g);
      expect(Object.keys(pending)).toEqual(usernames);
      expect(sandbox.cloudUsers(g)).toHaveLength(PEOPLE);

      const waits = applied.stdout
        .split('\n')
        .filter((l) => /\(local-exec\): ⚠ waiting \d+ s before POST/.test(l));
      expect(waits.length).toBeGreaterThan(0);
      expect(applied.stdout).toMatch(
        /waiting \d+ s before POST \S+: MongoDB answered 400 INVITATIONS_RATE_LIMITED_IP/,
      );
      // What lets a large team through in one apply: the 15-minute deadline is per process, and with at
      // most -parallelism processes in flight each one waits a few windows, whatever the number of people
      // (at 10 a minute: minutes, far from the deadline). Summed per instance:
      const waited = new Map<string, number>();
      for (const line of waits) {
        const [, key, s] = /\["([^"]+)"\] \(local-exec\): ⚠ waiting (\d+) s/.exec(line) ?? [];
        if (key !== undefined) waited.set(key, (waited.get(key) ?? 0) + Number(s));
      }
      const longest = Math.max(0, ...waited.values());
      expect(longest * 1000).toBeLessThanOrEqual(4 * LIMIT.windowMs);
      // One service-account token for the whole apply (shared through the cache).
      expect(sandbox.tokensIssued - tokens).toBe(1);
      console.log(
        `#10 rate limit: ${PEOPLE} invited in ${seconds.toFixed(1)} s; ${limited.length} POSTs answered 400 (limited), ${waits.length} wait lines, longest wait of one invite ${longest} s`,
      );
    },
    // 5 windows of 5 s is the floor; the sandbox's Retry-After keeps it far from the client's 60 s default.
    110_000,
  );
});
