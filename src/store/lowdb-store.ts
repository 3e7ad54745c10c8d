// The embedded Store: the tracker's state in one lowdb JSON file (.sdd/local/db.json in a clone, one
// file per project in a server's data folder), written atomically, every change made under a file
// lock so that concurrent sdd processes serialise.

import { InvalidInputError } from '../core/errors.js';
import { emptyTrackerData, type Store } from '../core/store.js';
import type { TrackerData } from '../core/types.js';
import { damagedFileError } from './backup.js';
import { JsonDocument } from './json-document.js';

export { writesSettled } from './json-document.js';

export interface LowdbStoreOptions {
  lockStaleMs?: number;
  /** Reuse the parsed file while it is unchanged: for a server, which reads it per request. */
  keepSnapshot?: boolean;
}

export class LowdbStore implements Store {
  private readonly document: JsonDocument<TrackerData>;

  constructor(
    readonly path: string,
    idPrefix = 'sd',
    options: LowdbStoreOptions | number = {},
  ) {
    const { lockStaleMs, keepSnapshot } = typeof options === 'number' ? { lockStaleMs: options } : options;
    this.document = new JsonDocument(path, {
      empty: () => emptyTrackerData(idPrefix),
      check: (data) => checkSchema(data, path),
      ...(lockStaleMs !== undefined && { lockStaleMs }),
      ...(keepSnapshot !== undefined && { keepSnapshot }),
    });
  }

  read(): Promise<TrackerData> {
    return this.document.read();
  }

  update<T>(change: (data: TrackerData) => T): Promise<T> {
    return this.document.update(change);
  }
}

async function checkSchema(data: TrackerData, path: string): Promise<TrackerData> {
  if (typeof data.schema === 'number' && data.schema !== 1) {
    throw new InvalidInputError(
      `${path} is not an sdd database this version can read (schema ${data.schema}); use the sdd that wrote it.`,
    );
  }
  if (
    data.schema !== 1 ||
    !Array.isArray(data.items) ||
    !Array.isArray(data.dependencies) ||
    (data.decisions !== undefined && !Array.isArray(data.decisions))
  ) {
    throw await damagedFileError(path, 'it is not an sdd database: no schema, items or dependencies');
  }
  return data;
}
