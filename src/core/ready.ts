// Ready work and its mirror, blocked work. A task is ready when it is an open leaf nobody holds, its
// blockers are finished, and no feature or epic above it waits on unfinished work.

import type { Progress } from './containers.js';
import type { TrackerIndex } from './graph.js';
import { type Claim, type Item, isClosed, isContainerType, sourceRef } from './types.js';

export interface ItemSummary {
  id: string;
  ref: string | null;
  title: string;
  status: Item['status'];
  type: Item['type'];
}

export interface ReadyEntry {
  item: Item;
  epic: ItemSummary | null;
  parent: ItemSummary | null;
  /** Why it is ready, in words. */
  reason: string;
  /** Blockers it had, all finished now. */
  finishedBlockers: ItemSummary[];
  /** Set when someone held it and let the claim lapse. */
  expiredClaim: Claim | null;
}

export interface Wait {
  /** The unfinished item it waits on. */
  on: ItemSummary;
  /** The ancestor whose blocker this is, or null when the task itself is blocked. */
  via: ItemSummary | null;
}

export interface BlockedEntry {
  item: Item;
  epic: ItemSummary | null;
  waitsOn: Wait[];
}

export interface WorkFilter {
  /** Only tasks below this item: an epic usually, or a feature. */
  withinId?: string;
  label?: string;
  limit?: number;
}

export function summarize(item: Item): ItemSummary {
  return {
    id: item.id,
    ref: item.source ? sourceRef(item.source) : null,
    title: item.title,
    status: item.status,
    type: item.type,
  };
}

/** T012 for an imported task, else sdd's id. */
export function localName(summary: ItemSummary): string {
  return summary.ref ? summary.ref.slice(summary.ref.lastIndexOf('/') + 1) : summary.id;
}

/** How a message names an item: T012 for a task, feature "Setup" for a container. */
export function nameInMessage(summary: ItemSummary): string {
  return isContainerType(summary.type) ? `${summary.type} "${summary.title}"` : localName(summary);
}

export function isWorkItem(index: TrackerIndex, item: Item): boolean {
  return !isContainerType(item.type) && index.isLeaf(item.id);
}

export function liveClaim(item: Item, now: Date): Claim | null {
  return item.claim && Date.parse(item.claim.expiresAt) > now.getTime() ? item.claim : null;
}

/** Open, or in progress under a claim that lapsed: the states in which a task may be offered. */
function isOfferable(item: Item, now: Date): boolean {
  if (item.status === 'open') return !liveClaim(item, now);
  return item.status === 'in_progress' && item.claim !== null && !liveClaim(item, now);
}

/** What keeps an item from starting: its own unfinished blockers, then its ancestors'. */
export class WaitFinder {
  private readonly ancestorWaits = new Map<string, Wait[]>();
  private readonly ancestorWaiting = new Map<string, boolean>();

  constructor(private readonly index: TrackerIndex) {}

  /** waitsOf(item).length > 0, without building the list: the ready query asks it of every task. */
  isWaiting(item: Item): boolean {
    if (this.hasUnfinishedBlocker(item)) return true;
    return item.parent !== null && this.isAncestorWaiting(item.parent);
  }

  private isAncestorWaiting(parentId: string): boolean {
    const cached = this.ancestorWaiting.get(parentId);
    if (cached !== undefined) return cached;
    const parent = this.index.get(parentId);
    const waiting =
      parent !== undefined &&
      (isClosed(parent.status) ||
        this.hasUnfinishedBlocker(parent) ||
        (parent.parent !== null && this.isAncestorWaiting(parent.parent)));
    this.ancestorWaiting.set(parentId, waiting);
    return waiting;
  }

  private hasUnfinishedBlocker(item: Item): boolean {
    for (const id of this.index.blockersOf(item.id)) {
      const blocker = this.index.get(id);
      if (blocker && !isClosed(blocker.status)) return true;
    }
    return false;
  }

  waitsOf(item: Item): Wait[] {
    const own = this.unfinishedBlockers(item).map((on) => ({ on, via: null }));
    return item.parent ? [...own, ...this.waitsAbove(item.parent)] : own;
  }

  private waitsAbove(parentId: string): Wait[] {
    const cached = this.ancestorWaits.get(parentId);
    if (cached) return cached;
    const parent = this.index.get(parentId);
    let waits: Wait[] = [];
    if (parent) {
      const via = summarize(parent);
      waits = this.unfinishedBlockers(parent).map((on) => ({ on, via }));
      if (isClosed(parent.status)) waits.push({ on: via, via });
      if (parent.parent) waits = waits.concat(this.waitsAbove(parent.parent));
    }
    this.ancestorWaits.set(parentId, waits);
    return waits;
  }

  private unfinishedBlockers(item: Item): ItemSummary[] {
    const out: ItemSummary[] = [];
    for (const id of this.index.blockersOf(item.id)) {
      const blocker = this.index.get(id);
      if (blocker && !isClosed(blocker.status)) out.push(summarize(blocker));
    }
    return out;
  }
}

export function compareWork(a: Item, b: Item): number {
  return (
    a.priority - b.priority ||
    Number(b.mvp) - Number(a.mvp) ||
    (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) ||
    compareIds(a.id, b.id)
  );
}

/** sd-9 before sd-10. */
export function compareIds(a: string, b: string): number {
  const na = Number(a.slice(a.lastIndexOf('-') + 1));
  const nb = Number(b.slice(b.lastIndexOf('-') + 1));
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchesFilter(index: TrackerIndex, item: Item, filter: WorkFilter): boolean {
  if (filter.label && !item.labels.includes(filter.label)) return false;
  if (filter.withinId && !index.ancestorsOf(item).some((a) => a.id === filter.withinId)) return false;
  return true;
}

function summaryOrNull(item: Item | null | undefined): ItemSummary | null {
  return item ? summarize(item) : null;
}

export function readyWork(index: TrackerIndex, filter: WorkFilter, now: Date): ReadyEntry[] {
  const finder = new WaitFinder(index);
  const ready: Item[] = [];
  for (const item of index.data.items) {
    if (!isWorkItem(index, item) || !isOfferable(item, now)) continue;
    if (!matchesFilter(index, item, filter)) continue;
    if (finder.isWaiting(item)) continue;
    ready.push(item);
  }
  const sorted = sortWork(ready);
  const chosen = filter.limit !== undefined ? sorted.slice(0, filter.limit) : sorted;
  const describer = new ReadyDescriber(index);
  return chosen.map((item) => describer.describe(item));
}

/** compareWork's order, with each id's number worked out once rather than at every comparison. */
function sortWork(items: Item[]): Item[] {
  const keyed = items.map((item) => ({ item, number: idNumber(item.id) }));
  keyed.sort(
    (a, b) =>
      a.item.priority - b.item.priority ||
      Number(b.item.mvp) - Number(a.item.mvp) ||
      (a.item.order ?? Number.MAX_SAFE_INTEGER) - (b.item.order ?? Number.MAX_SAFE_INTEGER) ||
      a.number - b.number ||
      compareIds(a.item.id, b.item.id),
  );
  return keyed.map((k) => k.item);
}

function idNumber(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** Says why each ready task is ready; what depends only on the parent is worked out once per parent. */
class ReadyDescriber {
  private readonly byParent = new Map<
    string,
    { epic: ItemSummary | null; parent: ItemSummary | null; ancestors: string }
  >();

  constructor(private readonly index: TrackerIndex) {}

  private aboutParent(item: Item) {
    const key = item.parent ?? '';
    let about = this.byParent.get(key);
    if (!about) {
      const ancestors = this.index.ancestorsOf(item);
      const waited = ancestors.filter((a) => this.index.blockersOf(a.id).length > 0);
      about = {
        epic: summaryOrNull(ancestors.find((a) => a.type === 'epic')),
        parent: summaryOrNull(ancestors[0]),
        ancestors:
          waited.length > 0
            ? `what ${waited.map((a) => `"${a.title}"`).join(' and ')} waited on is finished`
            : '',
      };
      this.byParent.set(key, about);
    }
    return about;
  }

  describe(item: Item): ReadyEntry {
    const finishedBlockers: ItemSummary[] = [];
    for (const id of this.index.blockersOf(item.id)) {
      const blocker = this.index.get(id);
      if (blocker) finishedBlockers.push(summarize(blocker));
    }
    const expiredClaim = item.claim;
    const about = this.aboutParent(item);
    const parts: string[] = [
      expiredClaim ? `${expiredClaim.actor}'s claim expired at ${expiredClaim.expiresAt}` : 'unclaimed',
    ];
    parts.push(
      finishedBlockers.length === 0
        ? 'nothing blocks it'
        : `its blockers are finished (${finishedBlockers.map((b) => `${localName(b)} ${b.status}`).join(', ')})`,
    );
    if (about.ancestors) parts.push(about.ancestors);
    return {
      item,
      epic: item.type === 'epic' ? summarize(item) : about.epic,
      parent: about.parent,
      reason: parts.join('; '),
      finishedBlockers,
      expiredClaim,
    };
  }
}

const NOTHING_READY = 'every open task is claimed or waits on something (see `sdd blocked`)';

/**
 * Why nothing is ready within `scope` (the epic or feature asked about, with its progress): all done and
 * "claimed or waiting" are different news, and the second would send a person looking for blockers.
 */
export function nothingReadyReason(scope: ItemSummary | null, progress: Progress | null): string {
  if (!scope || !progress) return NOTHING_READY;
  const name = `${scope.type} "${scope.title}"`;
  if (progress.total === 0) return `${name} has no tasks to do`;
  if (progress.done === progress.total) {
    return `every task of ${name} is done (${progress.done} of ${progress.total})`;
  }
  return NOTHING_READY;
}

export function blockedWork(index: TrackerIndex, filter: WorkFilter): BlockedEntry[] {
  const finder = new WaitFinder(index);
  const blocked: BlockedEntry[] = [];
  for (const item of index.data.items) {
    if (!isWorkItem(index, item) || isClosed(item.status)) continue;
    if (!matchesFilter(index, item, filter)) continue;
    const waitsOn = finder.waitsOf(item);
    if (waitsOn.length > 0) blocked.push({ item, epic: summaryOrNull(index.epicOf(item)), waitsOn });
  }
  blocked.sort((a, b) => compareWork(a.item, b.item));
  return filter.limit !== undefined ? blocked.slice(0, filter.limit) : blocked;
}
