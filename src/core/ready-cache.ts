// Ready work, computed once per snapshot and query: a team server answers the same `ready` for
// every client until the tracker changes. The answer depends on the clock only through claims, so
// it is kept until the first live claim of the snapshot expires.

import type { TrackerIndex } from './graph.js';
import { type ReadyEntry, readyWork, type WorkFilter } from './ready.js';

interface Answers {
  /** Epoch ms at which some claim lapses and the answers may change. */
  validUntil: number;
  byQuery: Map<string, ReadyEntry[]>;
}

/** Different queries kept per snapshot; a client asking for every label in turn cannot grow it further. */
const MAX_QUERIES = 64;
const cache = new WeakMap<TrackerIndex, Answers>();

/** readyWork, shared: callers must not change what it returns. */
export function cachedReadyWork(index: TrackerIndex, filter: WorkFilter, now: Date): ReadyEntry[] {
  const time = now.getTime();
  let answers = cache.get(index);
  if (!answers || time >= answers.validUntil) {
    answers = { validUntil: nextClaimExpiry(index, time), byQuery: new Map() };
    cache.set(index, answers);
  }
  const key = `${filter.withinId ?? ''}\u0000${filter.label ?? ''}\u0000${filter.limit ?? ''}`;
  let entries = answers.byQuery.get(key);
  if (!entries) {
    if (answers.byQuery.size >= MAX_QUERIES) answers.byQuery.clear();
    entries = readyWork(index, filter, now);
    answers.byQuery.set(key, entries);
  }
  return entries;
}

function nextClaimExpiry(index: TrackerIndex, time: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const item of index.data.items) {
    if (!item.claim) continue;
    const expires = Date.parse(item.claim.expiresAt);
    if (expires > time && expires < next) next = expires;
  }
  return next;
}
