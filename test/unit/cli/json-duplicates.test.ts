import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDuplicateKey } from '../../../lib/cli/json-duplicates';

describe('findDuplicateKey', () => {
  it('finds a key given twice at the top level', () => {
    expect(findDuplicateKey('{"a":1,"b":2,"a":3}')).toEqual({ key: 'a', path: '(top level)' });
  });

  it('names the path of a nested object that holds a key twice', () => {
    const text = '{"resource_changes":[{"x":1},{"change":{"after":{"u":"a","u":"b"}}}]}';
    expect(findDuplicateKey(text)).toEqual({ key: 'u', path: 'resource_changes[1].change.after' });
  });

  it('compares keys after their escapes are read ("a" and "\\u0061" are one key)', () => {
    expect(findDuplicateKey('{"a":1,"\\u0061":2}')?.key).toBe('a');
    expect(findDuplicateKey('{"a\\"b":1,"a\\u0022b":2}')?.key).toBe('a"b');
  });

  it('accepts the same key in sibling and nested objects, and keys that only look alike', () => {
    expect(findDuplicateKey('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(findDuplicateKey('{"a":{"a":{"a":1}},"b":[{"a":1,"b":2}]}')).toBeUndefined();
    expect(findDuplicateKey('{"A":1,"a":2,"a ":3}')).toBeUndefined();
  });

  it('is not fooled by braces, quotes, commas and backslashes inside strings', () => {
    expect(findDuplicateKey('{"a":"}{,\\"a\\":[","b":"\\\\","c":"x"}')).toBeUndefined();
    expect(findDuplicateKey('{"a":"\\\\","a":1}')?.key).toBe('a');
    expect(findDuplicateKey('{"k":["a","a"],"v":"a"}')).toBeUndefined();
  });

  it('finds nothing in a plan Terraform wrote', () => {
    const text = readFileSync(
      join(__dirname, 'plan-summary', 'plans', 'add-remove-roles', 'plan.json'),
      'utf8',
    );
    expect(findDuplicateKey(text)).toBeUndefined();
  });

  it('keeps a path short to read: odd keys quoted', () => {
    expect(findDuplicateKey('{"a b":{"c":{"d":1,"d":2}}}')?.path).toBe('"a b".c');
  });
});
