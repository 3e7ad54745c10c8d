// Turns what a person types into an item: sdd's id (sd-12, or just 12), a source reference that is
// unambiguous (T012), or the full source reference (004-team-notes/T012) that always is.

import { AmbiguousRefError, InvalidInputError, NotFoundError } from './errors.js';
import type { TrackerIndex } from './graph.js';
import { type Item, sourceRef } from './types.js';

/** T012, t12 and T0012 all name task 12 (T011a and t11A task 11a); other refs compare case-insensitively. */
export function normalizeSourceRef(ref: string): string {
  const task = /^t0*(\d+)([a-z]?)$/i.exec(ref);
  if (task) return `T${Number(task[1])}${task[2]!.toLowerCase()}`;
  return ref.toLowerCase();
}

export function resolveRef(index: TrackerIndex, ref: string): Item {
  const wanted = ref.trim();
  if (wanted === '')
    throw new InvalidInputError('An item reference is empty; give an id like sd-12 or a task id like T012.');
  const byId = index.get(wanted) ?? index.get(wanted.toLowerCase());
  if (byId) return byId;
  if (/^\d+$/.test(wanted)) {
    const numbered = index.get(`${index.data.idPrefix}-${Number(wanted)}`);
    if (numbered) return numbered;
  }
  const matches = findBySourceRef(index, wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new AmbiguousRefError(
      wanted,
      matches.map((m) => (m.source ? sourceRef(m.source) : m.id)),
    );
  }
  throw new NotFoundError(`No item "${wanted}"; \`sdd list\` shows the items and their ids.`, {
    ref: wanted,
  });
}

function findBySourceRef(index: TrackerIndex, wanted: string): Item[] {
  const slash = wanted.lastIndexOf('/');
  const epicKey = slash >= 0 ? wanted.slice(0, slash).replace(/^.*\//, '').toLowerCase() : null;
  const local = normalizeSourceRef(slash >= 0 ? wanted.slice(slash + 1) : wanted);
  const found: Item[] = [];
  for (const item of index.data.items) {
    const source = item.source;
    if (!source) continue;
    if (epicKey !== null && source.epicKey.toLowerCase() !== epicKey) continue;
    if (normalizeSourceRef(source.ref) === local) found.push(item);
  }
  return found;
}
