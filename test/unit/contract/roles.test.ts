import { canonicalRoles, checkRoles, parseRoles, sameRoles, sortRoles } from '../../../lib/contract/roles';

describe('roles', () => {
  it('writes roles sorted, without duplicates, comma-joined', () => {
    expect(canonicalRoles(['GROUP_READ_ONLY', 'GROUP_OWNER', 'GROUP_READ_ONLY'])).toBe(
      'GROUP_OWNER,GROUP_READ_ONLY',
    );
    expect(sortRoles(['B', 'A', 'B'])).toEqual(['A', 'B']);
  });

  it('reads back what it writes, and trims what a person typed', () => {
    const roles = ['GROUP_READ_ONLY', 'GROUP_DATA_ACCESS_READ_WRITE'];
    expect(parseRoles(canonicalRoles(roles))).toEqual(sortRoles(roles));
    expect(parseRoles(' GROUP_OWNER , GROUP_READ_ONLY')).toEqual(['GROUP_OWNER', 'GROUP_READ_ONLY']);
  });

  it('leaves an empty role in place for checkRoles to refuse', () => {
    expect(parseRoles('GROUP_OWNER,,')).toEqual(['GROUP_OWNER', '', '']);
    expect(checkRoles('--roles', parseRoles('GROUP_OWNER,'))).toMatch(/must be role names/);
  });

  it('compares roles without regard to order or repetition', () => {
    expect(sameRoles(['A', 'B'], ['B', 'A', 'A'])).toBe(true);
    expect(sameRoles(['A'], ['A', 'B'])).toBe(false);
  });
});
