// The checks every SessionStore makes of a session id and a file name before they name a file, a
// row or a URL: the patterns of src/core/session-store.ts, and never a `..`.

import { InvalidInputError, NotFoundError, SddError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import type { SessionFilter } from '../../core/session-store.js';
import { SESSION_FILE_PATTERN, SESSION_ID_PATTERN } from '../../core/session-store.js';

const SESSION_ID = new RegExp(SESSION_ID_PATTERN);
const SESSION_FILE = new RegExp(SESSION_FILE_PATTERN);

export function checkSessionId(id: string): string {
  if (!SESSION_ID.test(id) || id.includes('..')) {
    throw new InvalidInputError(
      `A session id is 1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(id)}.`,
    );
  }
  return id;
}

export function checkSessionFileName(name: string): string {
  if (!SESSION_FILE.test(name) || name.split('/').some((part) => part === '..' || part === '.')) {
    throw new InvalidInputError(
      `A session file is terminal.cast, events.jsonl, prompt.md or transcript/<name> (letters, digits, ".", "_", "-"); got ${JSON.stringify(name)}.`,
    );
  }
  return name;
}

export function checkOffset(offset: number): number {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidInputError(`An offset is a whole number of bytes, 0 or more; got ${offset}.`);
  }
  return offset;
}

export function noSession(id: string): NotFoundError {
  return new NotFoundError(`No session "${id}" in this project (see \`sdd sessions\`).`, { session: id });
}

export function noFile(id: string, name: string): NotFoundError {
  return new NotFoundError(`Session "${id}" has no file "${name}".`, { session: id, file: name });
}

/** The one session of `ids` that `wanted` names: itself, or the one id that starts or ends with it. */
export function pickSession(wanted: string, ids: string[]): string {
  if (ids.includes(wanted)) return wanted;
  const matches = wanted === '' ? [] : ids.filter((id) => id.startsWith(wanted) || id.endsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw noSession(wanted);
  throw new SddError(
    'AMBIGUOUS',
    `"${wanted}" matches ${matches.length} sessions (${matches.slice(0, 5).join(', ')}); give more of the id.`,
    { ref: wanted, candidates: matches },
  );
}

/** Newest first (by start, then id), filtered as `filter` says: the order every store lists in. */
export function filterSessions(records: SessionRecord[], filter: SessionFilter = {}): SessionRecord[] {
  const kept = records
    .filter((r) => filter.itemId === undefined || r.itemId === filter.itemId)
    .filter((r) => filter.status === undefined || r.status === filter.status)
    .sort((a, b) => compareNewestFirst(a, b));
  return filter.limit === undefined ? kept : kept.slice(0, filter.limit);
}

function compareNewestFirst(a: SessionRecord, b: SessionRecord): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
