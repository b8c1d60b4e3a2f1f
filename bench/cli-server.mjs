// Loopback stand-in for the invitations API, for the CLI benchmarks: answers requests without
// credentials with a Digest challenge (401), the token endpoint with a token, and any authenticated
// DELETE with 204. It does not verify digests (the tests do that); it counts requests per kind.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export async function startServer() {
  const counts = { total: 0, challenge: 0, token: 0, delete: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      counts.total += 1;
      const auth = req.headers.authorization ?? '';
      if (req.method === 'POST' && req.url === '/api/oauth/token') {
        counts.token += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: randomBytes(12).toString('hex'),
            expires_in: 3600,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      if (!auth) {
        counts.challenge += 1;
        const nonce = randomBytes(16).toString('hex');
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=false`,
        });
        res.end('{"error":401,"errorCode":"UNEXPECTED_ERROR","detail":"Unauthorized"}');
        return;
      }
      counts.delete += 1;
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    counts,
    reset() {
      for (const k of Object.keys(counts)) counts[k] = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
