// Which flavour these tests run against: `cdktf`, or `cdktn` in jest.config.js's "cdktn" project, whose
// resolver maps every cdktf import (this one too) to cdktn.
import { name } from 'cdktf/package.json';

export const FLAVOUR = name as 'cdktf' | 'cdktn';

/** `describe` in the cdktf flavour only (null_resource needs @cdktf/provider-null, which is cdktf-only). */
export const describeCdktfOnly = FLAVOUR === 'cdktf' ? describe : describe.skip;
