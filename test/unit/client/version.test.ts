import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USER_AGENT, VERSION } from '../../../lib/client/version';

describe('VERSION', () => {
  it('matches package.json, so the User-Agent names the released version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(DEFAULT_USER_AGENT).toBe(`cdktf-mongodb-invitations/${pkg.version}`);
  });
});
