// Keeps one opencode session's records mirrored into an append-only JSONL file (an upsert log: a record's
// last line wins) while sdd runs: from the record files as they change, or by `opencode export` in turn.

import { appendFileSync, watch } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TranscriptQuery, TranscriptSource } from '../agent-adapter.js';
import { type OpencodeRecord, type OpencodeSnapshot, OpencodeStore } from './store.js';

/** Where files cannot be watched, how often they are read again. */
const FILE_POLL_MS = 500;
/** Each look through the database starts opencode, so it is done less often. */
const DATABASE_SYNC_MS = 2000;

/** Keeps one opencode session's records mirrored into an append-only file while sdd runs. */
export class OpencodeMirror {
  private sessionId: string | null = null;
  private readonly written = new Map<string, string>();
  /** The read in progress, if any: there is never more than one. */
  private syncing: Promise<void> = Promise.resolve();
  /** Timers and watchers that keep the mirror current, stopped by close(). */
  private readonly stoppers: (() => void)[] = [];

  constructor(private readonly folder: string) {}

  /** One last full read, once opencode has exited: nothing it wrote at the end is left out. */
  private lastSync: (() => unknown) | null = null;

  /** Stops following, lets a read in progress end, then reads once more: exactly one read after the exit. */
  async flush(): Promise<void> {
    this.stopFollowing();
    await this.syncing;
    await this.lastSync?.();
  }

  /** Stops following opencode and removes the mirror (the session has its own copy by then). */
  async close(): Promise<void> {
    this.stopFollowing();
    await this.syncing;
    await rm(this.folder, { recursive: true, force: true });
  }

  async find(query: TranscriptQuery): Promise<TranscriptSource | null> {
    const store = new OpencodeStore(query);
    this.sessionId ??= await store.findSession();
    if (!this.sessionId) return null;
    const sessionId = this.sessionId;
    const path = join(this.folder, `opencode-${sessionId}.jsonl`);
    // The copier asks only until it has a file; from then on the file is kept current here.
    if (store.usesDatabase) {
      // Each export starts opencode and takes seconds: the next starts a while after the last one ended.
      const sync = async () => {
        const snapshot = await store.snapshot(sessionId);
        if (snapshot) await appendFile(path, this.changedLines(snapshotRecords(snapshot)));
      };
      this.syncing = sync().catch(() => undefined);
      await this.syncing;
      this.lastSync = sync;
      this.follow(sync, DATABASE_SYNC_MS);
    } else {
      const sync = () => this.write(path, snapshotRecords(store.snapshotFromFiles(sessionId)));
      // The watcher can read a record while opencode is still writing it; the last full read settles that.
      this.lastSync = sync;
      if (!this.watchFiles(store, sessionId, path)) {
        // No recursive watching on this system: a full read on a timer instead.
        sync();
        const timer = setInterval(sync, FILE_POLL_MS).unref();
        this.stoppers.push(() => clearInterval(timer));
      }
    }
    return { path, fromOffset: 0 };
  }

  private stopFollowing(): void {
    for (const stop of this.stoppers.splice(0)) stop();
  }

  /** Runs `sync` again `intervalMs` after each run ends, never while one runs, however slow it is. */
  private follow(sync: () => Promise<void>, intervalMs: number): void {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        this.syncing = sync()
          .catch(() => undefined)
          .then(schedule);
      }, intervalMs);
      timer.unref();
    };
    schedule();
    this.stoppers.push(() => {
      stopped = true;
      if (timer) clearTimeout(timer);
    });
  }

  /**
   * Mirrors each record file the moment opencode writes it, synchronously, in the watcher's callback: the
   * copier's last copy comes moments after opencode exits, and that is before any timer or promise of ours
   * would have run. The watch starts before the first full read, so nothing written in between is missed.
   */
  private watchFiles(store: OpencodeStore, sessionId: string, path: string): boolean {
    try {
      const watcher = watch(store.storage, { recursive: true, persistent: false }, (_event, name) => {
        try {
          if (name) this.write(path, store.recordsAt(String(name), sessionId));
        } catch {
          // A record caught mid-write is read whole on its next change.
        }
      });
      watcher.on('error', () => undefined);
      this.stoppers.push(() => watcher.close());
    } catch {
      return false;
    }
    this.write(path, snapshotRecords(store.snapshotFromFiles(sessionId)));
    return true;
  }

  private write(path: string, records: OpencodeRecord[]): void {
    const lines = this.changedLines(records);
    if (lines) appendFileSync(path, lines);
  }

  /** The records that are new or changed since they were last written, as lines. */
  private changedLines(records: OpencodeRecord[]): string {
    let lines = '';
    for (const record of records) {
      const key = `${record.type}:${String(record.data.id)}`;
      const line = JSON.stringify(record);
      if (this.written.get(key) === line) continue;
      this.written.set(key, line);
      lines += `${line}\n`;
    }
    return lines;
  }
}

/** A session's records in conversation order: the session, then each message followed by its parts. */
function snapshotRecords(snapshot: OpencodeSnapshot | null): OpencodeRecord[] {
  if (!snapshot) return [];
  const records: OpencodeRecord[] = [{ type: 'session', data: snapshot.info }];
  for (const message of snapshot.messages) {
    records.push({ type: 'message', data: message.info });
    for (const part of message.parts) records.push({ type: 'part', data: part });
  }
  return records;
}
