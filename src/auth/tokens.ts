// Access tokens: `sdd_<id>_<secret>`. The id finds the record; only a hash of the secret is kept,
// and it is compared in constant time, so neither the store nor the timing gives a token away.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, TokenRecord } from '../core/team-store.js';

const PREFIX = 'sdd_';
/** 32 random bytes: 256 bits of secret. */
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^sdd_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  /** The whole token, to show once. */
  token: string;
  record: TokenRecord;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newToken(fields: {
  user: string;
  role: Role;
  project: string | null;
  createdBy: string;
  now?: Date;
}): NewToken {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return {
    token: `${PREFIX}${id}_${secret}`,
    record: {
      id,
      user: fields.user,
      role: fields.role,
      project: fields.project,
      secretHash: hashSecret(secret),
      createdAt: (fields.now ?? new Date()).toISOString(),
      createdBy: fields.createdBy,
      revokedAt: null,
    },
  };
}

/** The id and secret of a token, or null when it is not shaped like one of sdd's. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** Whether `secret` is the one `record` was made with; constant time in the secret. */
export function secretMatches(record: TokenRecord, secret: string): boolean {
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
