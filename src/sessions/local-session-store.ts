// The SessionStore of a clone: the local spool (.sdd/local/sessions/<id>/), one SessionFolder per
// session. Appends by offset take a lock on the file, so of two writers at one offset (in this
// process or another) exactly one wins, and the other is told the size it must send from.

import type { FileHandle } from 'node:fs/promises';
import { open, readdir, stat } from 'node:fs/promises';
import { InvalidInputError, NotFoundError, OffsetMismatchError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import {
  SESSION_FILE_PATTERN,
  SESSION_ID_PATTERN,
  type SessionFileInfo,
  type SessionFilter,
  type SessionStore,
} from '../core/session-store.js';
import { withFileLock } from '../store/file-lock.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { listSessions, SessionFolder, sessionsRoot } from './session-folder.js';

const FILE_NAME = new RegExp(SESSION_FILE_PATTERN);
const SESSION_ID = new RegExp(SESSION_ID_PATTERN);
const TRANSCRIPT = 'transcript';
/** Checkpoints' git bundles, made for the team server (src/sessions/checkpoint-bundles.ts). */
const CHECKPOINTS = 'checkpoints';

/**
 * Names the pattern lets through that are no session file here: the record (putRecord writes it),
 * the transcript folder itself, and what is local to this clone (git's index, locks, keyframe indexes).
 */
function isLocalOnly(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return (
    name === 'session.json' ||
    name === TRANSCRIPT ||
    name === CHECKPOINTS ||
    base.startsWith('git-index') ||
    base.endsWith('.lock') ||
    base.endsWith('.keyframes.jsonl')
  );
}

export class LocalSessionStore implements SessionStore {
  constructor(readonly projectRoot: string) {}

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const records = (await listSessions(this.projectRoot)).filter(
      (r) =>
        (filter.itemId === undefined || r.itemId === filter.itemId) &&
        (filter.status === undefined || r.status === filter.status),
    );
    return filter.limit === undefined ? records : records.slice(0, filter.limit);
  }

  async get(id: string): Promise<SessionRecord> {
    return readRecordOf(await SessionFolder.open(this.projectRoot, id), id);
  }

  async putRecord(record: SessionRecord): Promise<void> {
    const folder = this.folderOf(record.id);
    for (const dir of [sessionsRoot(this.projectRoot), folder.path]) await ensurePrivateFolder(dir);
    await folder.writeRecord(record);
  }

  async listFiles(id: string): Promise<SessionFileInfo[]> {
    const folder = await this.existing(id);
    const files: SessionFileInfo[] = [];
    for (const prefix of ['', `${TRANSCRIPT}/`, `${CHECKPOINTS}/`]) {
      const dir = folder.filePath(prefix === '' ? '.' : prefix.slice(0, -1));
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const name = `${prefix}${entry.name}`;
        if (!entry.isFile() || !FILE_NAME.test(name) || isLocalOnly(name)) continue;
        const info = await stat(folder.filePath(name)).catch(() => null);
        if (info) files.push({ name, size: info.size });
      }
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  async readFile(id: string, name: string, offset = 0, length?: number): Promise<Uint8Array> {
    const folder = await this.existing(id);
    checkFileName(name);
    checkRange(offset, length);
    let handle: FileHandle;
    try {
      handle = await open(folder.filePath(name), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`Session ${folder.id} has no file ${name}.`, { file: name });
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const end = length === undefined ? size : Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const buffer = Buffer.alloc(end - offset);
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
        if (bytesRead === 0) break; // cut shorter meanwhile: what is there
        done += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, done);
    } finally {
      await handle.close();
    }
  }

  async appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
    checkFileName(name);
    checkRange(offset, undefined);
    const folder = await this.existing(id);
    for (const sub of [TRANSCRIPT, CHECKPOINTS]) {
      if (name.startsWith(`${sub}/`)) await ensurePrivateFolder(folder.filePath(sub));
    }
    const path = folder.filePath(name);
    return withFileLock(path, async () => {
      const held = await stat(path).then(
        (info) => info.size,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return 0;
          throw error;
        },
      );
      if (offset !== held) throw new OffsetMismatchError(name, held, offset);
      const handle = await open(path, 'a', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile(bytes);
        // acknowledged means kept: a client drops its copy of what it was told is held
        await handle.datasync();
      } finally {
        await handle.close();
      }
      return held + bytes.length;
    });
  }

  /** Where a file of a session lies on this machine, for readers that need a path (the player). */
  filePath(id: string, name: string): string {
    checkFileName(name);
    return this.folderOf(id).filePath(name);
  }

  private folderOf(id: string): SessionFolder {
    if (!SESSION_ID.test(id)) {
      throw new InvalidInputError(
        `"${id}" is not a session id: letters, digits, ".", "_" and "-", starting with a letter or digit.`,
      );
    }
    return SessionFolder.at(this.projectRoot, id);
  }

  /** The folder of a session that exists: its record is there. */
  private async existing(id: string): Promise<SessionFolder> {
    const folder = this.folderOf(id);
    await readRecordOf(folder, id);
    return folder;
  }
}

async function readRecordOf(folder: SessionFolder, asked: string): Promise<SessionRecord> {
  try {
    return await folder.readRecord();
  } catch (error) {
    // a folder without a record yet is no session, as `sdd sessions` lists them
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`No session "${asked}"; \`sdd sessions\` lists them.`);
    throw error;
  }
}

function checkFileName(name: string): void {
  if (!FILE_NAME.test(name) || isLocalOnly(name)) {
    throw new InvalidInputError(
      `"${name}" is not a session file: terminal.cast, events.jsonl, prompt.md or transcript/<name>.`,
      { file: name },
    );
  }
}

function checkRange(offset: number, length: number | undefined): void {
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new InvalidInputError(`An offset is a whole number of bytes, 0 or more; got ${offset}.`);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
    throw new InvalidInputError(`A length is a whole number of bytes, 0 or more; got ${length}.`);
}
