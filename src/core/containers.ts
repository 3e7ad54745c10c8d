// Epics and features (and any item with children) report progress and close by themselves: done
// once every child is done or cancelled, reopened when a child is reopened or added.

import type { TrackerIndex } from './graph.js';
import { type Item, isClosed, isContainerType } from './types.js';

export interface Progress {
  /** Work items (leaves) below, excluding cancelled ones. */
  total: number;
  done: number;
  inProgress: number;
  cancelled: number;
}

export function progressOf(index: TrackerIndex, id: string): Progress | null {
  if (index.isLeaf(id)) return null;
  const progress: Progress = { total: 0, done: 0, inProgress: 0, cancelled: 0 };
  for (const item of index.descendantsOf(id)) {
    if (!index.isLeaf(item.id) || isContainerType(item.type)) continue; // an empty feature is no work
    if (item.status === 'cancelled') {
      progress.cancelled++;
      continue;
    }
    progress.total++;
    if (item.status === 'done') progress.done++;
    else if (item.status === 'in_progress') progress.inProgress++;
  }
  return progress;
}

/**
 * The status a container should have given its children; null when it has none or was cancelled.
 * An empty feature never holds its epic open. One made by hand is a placeholder that stays as it is; one
 * imported (a phase of the file without tasks) is done, since nothing in it is left to do, and reopens
 * when a task is added to it.
 */
function derivedStatus(index: TrackerIndex, item: Item): Item['status'] | null {
  if (item.status === 'cancelled') return null;
  if (isContainerType(item.type) && index.isLeaf(item.id)) return item.source ? 'done' : null;
  const children = index.childrenOf(item.id).filter((c) => !(isContainerType(c.type) && index.isLeaf(c.id)));
  if (children.length === 0) return null;
  if (children.every((c) => isClosed(c.status))) return 'done';
  if (children.some((c) => c.status === 'in_progress' || c.status === 'done')) return 'in_progress';
  return 'open';
}

/**
 * Brings `item` and its ancestors in line with their children. Returns the items whose status
 * changed, closest first.
 */
export function settleAncestors(index: TrackerIndex, start: Item | null, nowIso: string): Item[] {
  const changed: Item[] = [];
  let current = start;
  while (current) {
    const status = derivedStatus(index, current);
    if (status && status !== current.status) {
      current.status = status;
      current.closedAt = status === 'done' ? nowIso : null;
      current.updatedAt = nowIso;
      changed.push(current);
    }
    current = current.parent ? (index.get(current.parent) ?? null) : null;
  }
  return changed;
}

/** Settles every container, children before parents; used after bulk changes such as an import. */
export function settleAll(index: TrackerIndex, nowIso: string): void {
  for (const root of index.roots) {
    const bottomUp = [root, ...index.descendantsOf(root.id)].reverse();
    for (const item of bottomUp) {
      const status = derivedStatus(index, item);
      if (status && status !== item.status) {
        item.status = status;
        item.closedAt = status === 'done' ? nowIso : null;
        item.updatedAt = nowIso;
      }
    }
  }
}
