// The text of one entry of the map the blocks iterate, and its reading back (audit reads synthesized stacks):
// the layout written now, and the previous packed layout, which a stack synthesized before may still hold.
import {
  ENTRY_KEYS,
  packEntry,
  SETTING_KEYS,
  unpackEntry,
  type EntryValues,
} from '../../../lib/contract/keys';

const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
const settings = Object.fromEntries(SETTING_KEYS.map((k) => [k, ''])) as Record<string, string>;
const values: EntryValues = {
  ...settings,
  auth: 'service-account',
  timeout_ms: '5000',
  target: 'atlas',
  base_url: 'https://cloud.mongodb.com',
  group_id: GROUP,
  invitation_id: '',
  username: 'ana@example.com',
  roles: 'GROUP_OWNER,GROUP_READ_ONLY',
} as EntryValues;
const profile = Object.fromEntries(SETTING_KEYS.map((k) => [k, values[k]]));

describe('packEntry / unpackEntry', () => {
  it('writes the identity keys, the roles, then the profile id, and reads every key back', () => {
    const text = packEntry('3', values);
    expect(text).toBe(
      `atlas https://cloud.mongodb.com ${GROUP}  ana@example.com GROUP_OWNER,GROUP_READ_ONLY 3`,
    );
    const back = unpackEntry(text, { '3': profile });
    expect(back).toEqual(values);
    expect(Object.keys(back ?? {}).sort()).toEqual([...ENTRY_KEYS].sort());
  });

  it('refuses to write a field holding a space', () => {
    expect(() => packEntry('0', { ...values, username: 'a b@example.com' })).toThrow(/holds a space/);
  });

  it('reads the previous layout: profile id first, target and base URL in the profile', () => {
    const previous = { ...profile, target: 'atlas', base_url: 'https://cloud.mongodb.com' };
    const text = `0 ${GROUP}  ana@example.com GROUP_OWNER,GROUP_READ_ONLY`;
    expect(unpackEntry(text, { '0': previous })).toEqual(values);
    // The previous layout's profile without its target is unreadable, not read as something else.
    expect(unpackEntry(text, { '0': { ...previous, target: undefined } })).toBeUndefined();
  });

  it.each([
    ['too few fields', `atlas https://cloud.mongodb.com ${GROUP} ana@example.com 0`, { '0': profile }],
    ['a profile that is not there', packEntry('1', values), { '0': profile }],
    ['a profile missing a setting', packEntry('0', values), { '0': { ...profile, api: undefined } }],
    ['a profile holding a number', packEntry('0', values), { '0': { ...profile, timeout_ms: 5000 } }],
    ['a profile that is a list', packEntry('0', values), { '0': [] }],
    ['an inherited profile id', packEntry('toString', values), {}],
  ])('gives undefined for %s', (_what, text, profiles) => {
    expect(unpackEntry(text, profiles as Record<string, unknown>)).toBeUndefined();
  });
});
