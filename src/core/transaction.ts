// The working state of one Service call: the data under the store's lock, the time of the call, and
// an index rebuilt only after a change to the tree or its edges.

import { TrackerIndex } from './graph.js';
import { resolveRef } from './refs.js';
import type { Item, TrackerData } from './types.js';

export class Transaction {
  private cachedIndex: TrackerIndex | null = null;
  readonly nowIso: string;

  constructor(
    readonly data: TrackerData,
    readonly now: Date,
  ) {
    this.nowIso = now.toISOString();
  }

  get index(): TrackerIndex {
    this.cachedIndex ??= new TrackerIndex(this.data);
    return this.cachedIndex;
  }

  /** Call after adding items, moving one, or changing edges. */
  structureChanged(): void {
    this.cachedIndex = null;
  }

  resolve(ref: string): Item {
    return resolveRef(this.index, ref);
  }

  newId(): string {
    return `${this.data.idPrefix}-${this.data.nextId++}`;
  }
}
