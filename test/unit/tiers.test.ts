// jest.config.js picks each tier by folder: a test file outside test/unit, test/integration and test/e2e
// would run in no tier at all.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const TEST_ROOT = join(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'cdktf.out') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? testFiles(path) : e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('test tiers', () => {
  it('holds every test file in test/unit, test/integration or test/e2e', () => {
    const outside = testFiles(TEST_ROOT)
      .map((f) => relative(TEST_ROOT, f))
      .filter((f) => !/^(unit|integration|e2e)\//.test(f));
    expect(outside).toEqual([]);
  });
});
