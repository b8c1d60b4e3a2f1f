// The client knows no variable of the CLI: the CLI passes its words in through InvitationClientOptions.hints.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('lib/client', () => {
  it('names no environment variable of the CLI or of MongoDB tools', () => {
    const named = sources(join(__dirname, '../../../lib/client')).filter((file) =>
      /MONGODB_INVITATIONS_|MONGODB_ATLAS_|MCLI_/.test(readFileSync(file, 'utf8')),
    );
    expect(named).toEqual([]);
  });
});
