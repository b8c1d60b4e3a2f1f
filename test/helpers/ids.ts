// The suite's object ids: GROUP, INVITE, OTHER (fixed, 24 lowercase hex), the API paths of INVITE, and
// objectId() for a fresh id per call. Import them from here rather than writing hex in a test, unless
// the test is about the literal (a malformed id, a path a user would type).
import { randomBytes } from 'node:crypto';

/** A project (group) id. */
export const GROUP = '5f0c1a2b3c4d5e6f7a8b9c0d';
/** An invitation id. */
export const INVITE = '6a1b2c3d4e5f60718293a4b5';
/** Another invitation id, one more than INVITE. */
export const OTHER = '6a1b2c3d4e5f60718293a4b6';

/** The Atlas (v2) and Ops Manager (v1.0) paths of INVITE in GROUP. */
export const ATLAS_PATH = `/api/atlas/v2/groups/${GROUP}/invites/${INVITE}`;
export const OPS_PATH = `/api/public/v1.0/groups/${GROUP}/invites/${INVITE}`;

let counter = 0;
/** A fresh 24-hex object id, distinct from every other one this process made. */
export const objectId = (): string => (0xabc000 + ++counter).toString(16).padStart(24, 'e');

/** A random lowercase hex string of `bytes` bytes (a nonce, a token, a unique suffix). */
export const randomId = (bytes = 8): string => randomBytes(bytes).toString('hex');
