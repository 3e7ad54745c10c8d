// One project's tracker on PostgreSQL. Reads answer from a snapshot in memory after one cheap query
// (has the project's version moved?); every change is one transaction that locks the project row,
// so changes to a project's tree serialise across server processes and a claim is never given twice.

import type pg from 'pg';
import { InvalidInputError } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import type { TrackerData } from '../../core/types.js';
import { copyTrackerData } from './copy.js';
import { projectVersion, refreshSnapshot, type Snapshot } from './snapshot.js';
import { writeChanges } from './write-changes.js';

export class PostgresStore implements Store {
  private snapshot: Snapshot | null = null;
  private refreshing: Promise<Snapshot> | null = null;
  /** This process's changes to the project, one after another: they would queue on the row lock anyway. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    readonly projectId: string,
  ) {}

  async read(): Promise<TrackerData> {
    const version = await projectVersion(this.pool, this.projectId);
    const held = this.snapshot;
    if (held && held.version >= version) return held.data;
    return (await this.refresh()).data;
  }

  /** One refresh at a time: readers arriving meanwhile share it. */
  private refresh(): Promise<Snapshot> {
    this.refreshing ??= this.readFresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async readFresh(): Promise<Snapshot> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      // One consistent view of the rows: a writer committing between two of these queries is not seen.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const fresh = await refreshSnapshot(client, this.projectId, this.snapshot);
      await client.query('COMMIT');
      return this.keep(fresh);
    } catch (error) {
      broken = await rollback(client);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Keeps the newest of what this process has seen: a slow refresh never replaces a newer write. */
  private keep(fresh: Snapshot): Snapshot {
    if (!this.snapshot || fresh.version > this.snapshot.version) this.snapshot = fresh;
    return this.snapshot;
  }

  update<T>(change: (data: TrackerData) => T): Promise<T> {
    const result = this.writes.then(() => this.lockedUpdate(change));
    this.writes = result.catch(() => undefined);
    return result;
  }

  private async lockedUpdate<T>(change: (data: TrackerData) => T): Promise<T> {
    const client = await this.pool.connect();
    let done = false;
    let broken = false;
    try {
      await client.query('BEGIN');
      // The row lock is taken by this first query; after it no other process can write the project,
      // so the rows read to catch up are the latest.
      const current = await refreshSnapshot(client, this.projectId, this.snapshot, true);
      // The change runs on a copy: when it throws, or the commit fails, the snapshot is untouched.
      const working = copyTrackerData(current.data);
      const result = change(working);
      const version = current.version + 1;
      const wrote = await writeChanges(client, this.projectId, current.data, working, version);
      await client.query('COMMIT');
      done = true;
      this.keep(wrote ? { version, data: working } : current);
      return result;
    } catch (error) {
      if (!done) broken = await rollback(client);
      throw refusedData(error);
    } finally {
      client.release(broken);
    }
  }
}

/** Ends a failed transaction; true when the connection itself is broken and must not go back to the pool. */
export async function rollback(client: pg.ClientBase): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return false;
  } catch {
    return true;
  }
}

/** PostgreSQL's data exceptions (class 22: a time that is no time, a number out of range) are bad input, not bugs. */
function refusedData(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22') && error instanceof Error) {
    return new InvalidInputError(`The database refused a value: ${error.message}; nothing was written.`);
  }
  return error;
}
