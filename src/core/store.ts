// Where the tracker's state lives. The embedded default is a lowdb file (src/store); a server-side
// database can take its place. The core only ever reads snapshots and runs transactions.

import type { TrackerData } from './types.js';

export interface Store {
  /** A consistent snapshot, never a half-written one. Callers must not mutate it. */
  read(): Promise<TrackerData>;
  /**
   * Runs `change` on the latest state under an exclusive lock, across processes, and persists the
   * result atomically. When `change` throws, nothing is written and the error propagates.
   */
  update<T>(change: (data: TrackerData) => T): Promise<T>;
}

export function emptyTrackerData(idPrefix: string): TrackerData {
  return { schema: 1, idPrefix, nextId: 1, items: [], dependencies: [] };
}
