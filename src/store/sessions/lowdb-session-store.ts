// A team server's sessions in its data folder: sessions/<project>/<id>/session.json for the record
// (replaced atomically) and files/<name> beside it for the bytes, which only ever grow. An append
// takes the file's lock (in-process queue, then a lock folder other server processes respect),
// checks the offset against the size on disk and is flushed to disk before it is acknowledged.

import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OffsetMismatchError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import type { SessionFileInfo, SessionFilter, SessionStore } from '../../core/session-store.js';
import { withFileLock } from '../file-lock.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from '../private-folder.js';
import {
  checkOffset,
  checkSessionFileName,
  checkSessionId,
  filterSessions,
  noFile,
  noSession,
  pickSession,
} from './session-names.js';

const RECORD = 'session.json';

export class LowdbSessionStore implements SessionStore {
  /** The appends of this process to each file, one after another: the lock folder is for other processes. */
  private readonly queues = new Map<string, Promise<unknown>>();

  /** `folder`: sessions/<project> of the data folder. */
  constructor(readonly folder: string) {}

  async list(filter?: SessionFilter): Promise<SessionRecord[]> {
    const records: SessionRecord[] = [];
    for (const id of await this.ids()) {
      const record = await this.readRecord(id);
      if (record) records.push(record);
    }
    return filterSessions(records, filter);
  }

  async get(id: string): Promise<SessionRecord> {
    const exact = isSessionId(id) ? await this.readRecord(id) : null;
    if (exact) return exact;
    const record = await this.readRecord(pickSession(id, await this.ids()));
    if (!record) throw noSession(id);
    return record;
  }

  async putRecord(record: SessionRecord): Promise<void> {
    const dir = this.sessionDir(checkSessionId(record.id));
    await ensurePrivateFolder(dir);
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(join(dir, RECORD), JSON.stringify(record), { mode: PRIVATE_FILE_MODE });
  }

  async listFiles(id: string): Promise<SessionFileInfo[]> {
    await this.requireSession(id);
    const files = join(this.sessionDir(id), 'files');
    const entries = await readdir(files, { recursive: true, withFileTypes: true }).catch(ifMissing([]));
    const infos: SessionFileInfo[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const name = path.slice(files.length + 1);
      infos.push({ name, size: (await stat(path)).size });
    }
    return infos.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async readFile(id: string, name: string, offset = 0, length?: number): Promise<Uint8Array> {
    checkOffset(offset);
    if (length !== undefined) checkOffset(length);
    const path = await this.filePath(id, name);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? noFile(id, name) : error;
    });
    try {
      const size = (await handle.stat()).size;
      const count = Math.max(0, Math.min(length ?? Number.POSITIVE_INFINITY, size - offset));
      const buffer = Buffer.alloc(count);
      let done = 0;
      while (done < count) {
        const { bytesRead } = await handle.read(buffer, done, count - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === count ? buffer : buffer.subarray(0, done);
    } finally {
      await handle.close();
    }
  }

  async appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
    checkOffset(offset);
    const path = await this.filePath(id, name);
    // Lock folders live apart from the files: a file may well be called `terminal.cast.lock`.
    const locks = join(this.sessionDir(id), 'locks');
    return this.queued(path, async () => {
      await mkdir(dirname(path), { recursive: true, mode: PRIVATE_FOLDER_MODE });
      await mkdir(locks, { recursive: true, mode: PRIVATE_FOLDER_MODE });
      return withFileLock(join(locks, name.replace('/', '%')), () => appendAt(path, name, offset, bytes));
    });
  }

  private queued<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  /** The path of a file of an existing session; the name checked first. */
  private async filePath(id: string, name: string): Promise<string> {
    checkSessionFileName(name);
    await this.requireSession(id);
    return join(this.sessionDir(id), 'files', ...name.split('/'));
  }

  private async requireSession(id: string): Promise<void> {
    checkSessionId(id);
    await stat(join(this.sessionDir(id), RECORD)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? noSession(id) : error;
    });
  }

  private sessionDir(id: string): string {
    return join(this.folder, id);
  }

  private async ids(): Promise<string[]> {
    const entries = await readdir(this.folder, { withFileTypes: true }).catch(ifMissing([]));
    return entries.filter((e) => e.isDirectory() && isSessionId(e.name)).map((e) => e.name);
  }

  /** null when there is no such session (or only its folder, from a put that never finished). */
  private async readRecord(id: string): Promise<SessionRecord | null> {
    const text = await readFile(join(this.sessionDir(id), RECORD), 'utf8').catch(ifMissing(null));
    return text === null ? null : (JSON.parse(text) as SessionRecord);
  }
}

/** Under the file's lock: the size on disk is what is held (a crash mid-write leaves a true prefix). */
async function appendAt(path: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
  const handle = await open(path, 'a', PRIVATE_FILE_MODE);
  try {
    const held = (await handle.stat()).size;
    if (held !== offset) throw new OffsetMismatchError(name, held, offset);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
    await handle.datasync();
    if (held === 0) await syncFolder(dirname(path)); // a new file's name is durable too
    return held + bytes.length;
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isSessionId(id: string): boolean {
  try {
    checkSessionId(id);
    return true;
  } catch {
    return false;
  }
}

function ifMissing<T>(value: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return value;
    throw error;
  };
}
