// One JSON file that several processes read and change: reads are snapshots (kept in memory while
// the file on disk is the one last read, so a long-running server does not parse it per request),
// changes run under a file lock, queued in this process first so that concurrent requests of one
// server wait in line instead of polling the lock.

import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-json-file.js';
import { ensurePrivateFolder } from './private-folder.js';

/** Changes under way in this process: a process that must end early waits for them (see writesSettled). */
const pendingWrites = new Set<Promise<unknown>>();

/** Resolves once no change of any JsonDocument in this process is being written. */
export async function writesSettled(): Promise<void> {
  while (pendingWrites.size > 0) await Promise.allSettled([...pendingWrites]);
}

export interface JsonDocumentOptions<T> {
  /** The value of a file that does not exist yet. */
  empty: () => T;
  /** Checks what was read; throws to refuse a file (another schema, damage). */
  check: (data: T) => Promise<T> | T;
  /** Keep the last snapshot in memory and reuse it while the file is unchanged (servers). */
  keepSnapshot?: boolean;
  lockStaleMs?: number;
}

interface Snapshot<T> {
  data: T;
  /** Identity of the file it was read from: a rename over it changes the inode. */
  stamp: string;
}

export class JsonDocument<T> {
  private readonly db: Low<T>;
  private snapshot: Snapshot<T> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly options: JsonDocumentOptions<T>,
  ) {
    this.db = new Low(new DurableJsonFile<T>(path), options.empty());
  }

  /** A consistent snapshot; callers must not mutate it. No lock: a write replaces the file in one rename. */
  async read(): Promise<T> {
    if (!this.options.keepSnapshot) return this.load();
    const stamp = await this.stamp();
    if (this.snapshot && this.snapshot.stamp === stamp) return this.snapshot.data;
    const data = await this.load();
    this.snapshot = { data, stamp };
    return data;
  }

  /**
   * Runs `change` on the latest state under the lock and writes the result atomically. When `change`
   * throws, nothing is written; the data it ran on is thrown away, so no reader sees half a change.
   */
  update<R>(change: (data: T) => R): Promise<R> {
    const pending = this.queue.then(() => this.lockedUpdate(change));
    this.queue = pending.catch(() => undefined);
    pendingWrites.add(pending);
    return pending.finally(() => pendingWrites.delete(pending));
  }

  private async lockedUpdate<R>(change: (data: T) => R): Promise<R> {
    await ensurePrivateFolder(dirname(this.path));
    // Loaded on the first write only: read-only commands start faster without the lock's modules.
    const { withFileLock } = await import('./file-lock.js');
    return withFileLock(
      this.path,
      async () => {
        const data = await this.load();
        const result = change(data);
        this.db.data = data;
        await this.db.write();
        if (this.options.keepSnapshot) this.snapshot = { data, stamp: await this.stamp() };
        return result;
      },
      this.options.lockStaleMs,
    );
  }

  /** Always a fresh object parsed from the file: snapshots handed out are never changed in place. */
  private async load(): Promise<T> {
    const data = await this.db.adapter.read();
    return data === null ? this.options.empty() : this.options.check(data);
  }

  private async stamp(): Promise<string> {
    try {
      const s = await stat(this.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw error;
    }
  }
}
