// The wait file's name is a SHA-256 computed without node:crypto: it must be the same hash, byte for byte,
// so that every version of the CLI finds the same file.
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../lib/client/http/sha256';

const reference = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches node:crypto around every block boundary and for non-ASCII text', () => {
    for (let n = 0; n < 200; n++) {
      for (const text of ['a'.repeat(n), `é☃𝄞${'ü'.repeat(n % 40)}\0${n}`]) {
        expect(sha256Hex(text)).toBe(reference(text));
      }
    }
  });

  it('matches node:crypto for the wait file key of a base URL', () => {
    const key = 'cdktf-mongodb-invitations/rate/v1\0https://cloud.mongodb.com';
    expect(sha256Hex(key)).toBe(reference(key));
  });
});
