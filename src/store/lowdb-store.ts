// The embedded Store: the tracker's state in one lowdb JSON file under .sdd/local/, written
// atomically, every change made under a file lock so that concurrent sdd processes serialise.

import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { InvalidInputError } from '../core/errors.js';
import { emptyTrackerData, type Store } from '../core/store.js';
import type { TrackerData } from '../core/types.js';
import { damagedFileError } from './backup.js';
import { DurableJsonFile } from './durable-json-file.js';
import { ensurePrivateFolder } from './private-folder.js';

/** Changes under way in this process: a process that must end early waits for them (see writesSettled). */
const pendingWrites = new Set<Promise<unknown>>();

/** Resolves once no change of any LowdbStore in this process is being written. */
export async function writesSettled(): Promise<void> {
  while (pendingWrites.size > 0) await Promise.allSettled([...pendingWrites]);
}

export class LowdbStore implements Store {
  private readonly db: Low<TrackerData>;

  constructor(
    readonly path: string,
    private readonly idPrefix = 'sd',
    private readonly lockStaleMs?: number,
  ) {
    this.db = new Low(new DurableJsonFile<TrackerData>(path), emptyTrackerData(idPrefix));
  }

  async read(): Promise<TrackerData> {
    // No lock needed: a write replaces the file in one rename, so a reader never sees half of one.
    await this.load();
    return this.db.data;
  }

  /** lowdb keeps its previous data when the file is missing; a failed change must not linger there. */
  private async load(): Promise<void> {
    const data = await this.db.adapter.read();
    this.db.data = data === null ? emptyTrackerData(this.idPrefix) : await checkSchema(data, this.path);
  }

  async update<T>(change: (data: TrackerData) => T): Promise<T> {
    const pending = this.lockedUpdate(change);
    pendingWrites.add(pending);
    try {
      return await pending;
    } finally {
      pendingWrites.delete(pending);
    }
  }

  private async lockedUpdate<T>(change: (data: TrackerData) => T): Promise<T> {
    await ensurePrivateFolder(dirname(this.path));
    // Loaded on the first write only: read-only commands start faster without the lock's modules.
    const { withFileLock } = await import('./file-lock.js');
    return withFileLock(
      this.path,
      async () => {
        await this.load();
        const result = change(this.db.data);
        await this.db.write();
        return result;
      },
      this.lockStaleMs,
    );
  }
}

async function checkSchema(data: TrackerData, path: string): Promise<TrackerData> {
  if (typeof data.schema === 'number' && data.schema !== 1) {
    throw new InvalidInputError(
      `${path} is not an sdd database this version can read (schema ${data.schema}); use the sdd that wrote it.`,
    );
  }
  if (data.schema !== 1 || !Array.isArray(data.items) || !Array.isArray(data.dependencies)) {
    throw await damagedFileError(path, 'it is not an sdd database: no schema, items or dependencies');
  }
  return data;
}
