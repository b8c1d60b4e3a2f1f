import { checkPair, CREDENTIAL_PAIRS, DEFAULT_ATLAS_API, ATLAS_APIS } from '../../../lib/contract/settings';
import { CONTROL_CHARACTERS, hasControlCharacters } from '../../../lib/contract/rules';

describe('checkPair', () => {
  it('accepts both halves or neither', () => {
    expect(checkPair({ label: 'A', set: true }, { label: 'B', set: true })).toBeUndefined();
    expect(checkPair({ label: 'A', set: false }, { label: 'B', set: false })).toBeUndefined();
  });

  it('names the half that is set and the one that is missing', () => {
    expect(checkPair({ label: 'A', set: false }, { label: 'B', set: true })).toBe(
      'B is set but A is not: set both, or neither',
    );
  });

  it('pairs the service account id with its secret and the public key with the private key', () => {
    expect(CREDENTIAL_PAIRS).toEqual([
      ['client_id_env', 'client_secret_env'],
      ['public_key_env', 'private_key_env'],
    ]);
  });
});

describe('DEFAULT_ATLAS_API', () => {
  it('is the Cloud Users API, one of the Atlas APIs', () => {
    expect(DEFAULT_ATLAS_API).toBe('cloud-users');
    expect(ATLAS_APIS).toContain(DEFAULT_ATLAS_API);
  });
});

describe('control characters', () => {
  it.each(['\u0000', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b'])('counts %j as one', (c) => {
    expect(hasControlCharacters(`a${c}b`)).toBe(true);
  });

  it('leaves printable text, tabs aside, alone', () => {
    expect(hasControlCharacters('ana@example.com é ✔')).toBe(false);
    expect(CONTROL_CHARACTERS.global).toBe(false);
  });
});
