// An index over the tracker's items and edges: lookups by id, children, blockers and dependents.
// Built once per snapshot in O(items + edges); every query of the core reads through it.

import type { Dependency, Item, TrackerData } from './types.js';

export class TrackerIndex {
  readonly byId = new Map<string, Item>();
  readonly children = new Map<string, Item[]>();
  /** item id -> the ids it is blocked by (its `blocks` dependencies). */
  readonly blockers = new Map<string, string[]>();
  // The ready query needs neither of these; they are built on first use.
  private blockingMap: Map<string, string[]> | null = null;
  private rootList: Item[] | null = null;

  constructor(readonly data: TrackerData) {
    for (const item of data.items) this.byId.set(item.id, item);
    for (const item of data.items) {
      if (item.parent && this.byId.has(item.parent)) push(this.children, item.parent, item);
    }
    for (const dep of data.dependencies) {
      if (dep.type === 'blocks') push(this.blockers, dep.from, dep.to);
    }
  }

  /** Items without a (known) parent. */
  get roots(): Item[] {
    this.rootList ??= this.data.items.filter((item) => !item.parent || !this.byId.has(item.parent));
    return this.rootList;
  }

  get(id: string): Item | undefined {
    return this.byId.get(id);
  }

  childrenOf(id: string): Item[] {
    return this.children.get(id) ?? [];
  }

  blockersOf(id: string): string[] {
    return this.blockers.get(id) ?? [];
  }

  /** The ids `id` blocks. */
  blockingOf(id: string): string[] {
    if (!this.blockingMap) {
      this.blockingMap = new Map();
      for (const dep of this.data.dependencies)
        if (dep.type === 'blocks') push(this.blockingMap, dep.to, dep.from);
    }
    return this.blockingMap.get(id) ?? [];
  }

  isLeaf(id: string): boolean {
    return !this.children.has(id);
  }

  /** Parent first, then the parent's parent, up to the root. Stops on a corrupt parent loop. */
  ancestorsOf(item: Item): Item[] {
    const ancestors: Item[] = [];
    const seen = new Set<string>([item.id]);
    let parentId = item.parent;
    while (parentId && !seen.has(parentId)) {
      const parent = this.byId.get(parentId);
      if (!parent) break;
      ancestors.push(parent);
      seen.add(parentId);
      parentId = parent.parent;
    }
    return ancestors;
  }

  /** The epic an item belongs to (itself when it is one), or null. */
  epicOf(item: Item): Item | null {
    if (item.type === 'epic') return item;
    return this.ancestorsOf(item).find((a) => a.type === 'epic') ?? null;
  }

  /** Every item below `id`, depth first. */
  descendantsOf(id: string): Item[] {
    const out: Item[] = [];
    const stack = [...this.childrenOf(id)].reverse();
    while (stack.length > 0) {
      const item = stack.pop()!;
      out.push(item);
      const kids = this.childrenOf(item.id);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    return out;
  }

  dependenciesOf(id: string): Dependency[] {
    return this.data.dependencies.filter((d) => d.from === id || d.to === id);
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One index per snapshot: the Store hands out the same data object until the next write. */
const cache = new WeakMap<TrackerData, TrackerIndex>();

export function indexOf(data: TrackerData): TrackerIndex {
  let index = cache.get(data);
  if (!index) {
    index = new TrackerIndex(data);
    cache.set(data, index);
  }
  return index;
}
