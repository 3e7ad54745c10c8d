// A session's folder in the local spool (.sdd/local/sessions/<id>/): its record, its event log and the
// paths of its recordings. Everything in it is append-only or replaced atomically, so a crash loses
// at most the last second. Recordings hold whatever the terminal showed: the folder is the owner's
// alone (0700, its files 0600).

import { randomBytes } from 'node:crypto';
import { chmod, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { NotFoundError, SddError } from '../core/errors.js';
import type { SessionEvent, SessionRecord } from '../core/session.js';
import { parseSessionEvents } from '../core/session-events.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';

export function sessionsRoot(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'sessions');
}

/** Sortable by start time, short enough to type: 20261124-130512-a3f9. */
export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export class SessionFolder {
  constructor(
    readonly path: string,
    readonly id: string,
  ) {}

  /** The folder of the session whose id is exactly `id`, whether or not it exists yet. */
  static at(projectRoot: string, id: string): SessionFolder {
    return new SessionFolder(join(sessionsRoot(projectRoot), id), id);
  }

  static async create(projectRoot: string, record: SessionRecord): Promise<SessionFolder> {
    const folder = SessionFolder.at(projectRoot, record.id);
    // an older sdd made the spool 0755: tightened here, from the top down
    for (const dir of [sessionsRoot(projectRoot), folder.path, folder.transcriptDir])
      await ensurePrivateFolder(dir);
    // Their writers open these files by name without a mode: made here first, they are private from the start.
    for (const path of [folder.promptPath, folder.castPath])
      await (await open(path, 'a', PRIVATE_FILE_MODE)).close();
    await folder.writeRecord(record);
    return folder;
  }

  /** The session whose id is `id` or starts with it. */
  static async open(projectRoot: string, id: string): Promise<SessionFolder> {
    const ids = await listSessionIds(projectRoot);
    const matches = ids.includes(id)
      ? [id]
      : ids.filter((candidate) => candidate.startsWith(id) || candidate.endsWith(id));
    if (matches.length === 1) return SessionFolder.at(projectRoot, matches[0]!);
    if (matches.length > 1) {
      throw new SddError(
        'AMBIGUOUS',
        `"${id}" matches ${matches.length} sessions (${matches.slice(0, 5).join(', ')}…); give more of the id.`,
        { ref: id, candidates: matches },
      );
    }
    throw new NotFoundError(`No session "${id}"; \`sdd sessions\` lists them.`);
  }

  /** A file of the session by its name in the SessionStore (`terminal.cast`, `transcript/<name>`). */
  filePath(name: string): string {
    return join(this.path, ...name.split('/'));
  }

  get recordPath(): string {
    return join(this.path, 'session.json');
  }
  get castPath(): string {
    return join(this.path, 'terminal.cast');
  }
  get eventsPath(): string {
    return join(this.path, 'events.jsonl');
  }
  get promptPath(): string {
    return join(this.path, 'prompt.md');
  }
  get gitIndexPath(): string {
    return join(this.path, 'git-index');
  }
  get transcriptDir(): string {
    return join(this.path, 'transcript');
  }

  async readRecord(): Promise<SessionRecord> {
    return JSON.parse(await readFile(this.recordPath, 'utf8')) as SessionRecord;
  }

  async writeRecord(record: SessionRecord): Promise<void> {
    await writeFileAtomic(this.recordPath, `${JSON.stringify(record, null, 2)}\n`, {
      mode: PRIVATE_FILE_MODE,
    });
    await this.keepPrivate();
  }

  /**
   * Makes every file in the folder 0600 again: git rewrites its index file and the transcript copier
   * creates its copies with the default mode. Done with each write of the record, so at the latest
   * when the session ends; meanwhile the 0700 folder keeps them from others.
   */
  async keepPrivate(): Promise<void> {
    for (const dir of [this.path, this.transcriptDir]) {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isDirectory()) continue;
        const path = join(dir, entry.name);
        try {
          if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, PRIVATE_FILE_MODE);
        } catch (error) {
          // a file that went away meanwhile (git's index.lock) needs nothing
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  }

  /** Appends one event and flushes it to disk at once: events are few and each one matters. */
  async appendEvent(event: SessionEvent): Promise<void> {
    const handle = await open(this.eventsPath, 'a', PRIVATE_FILE_MODE);
    try {
      await handle.appendFile(`${JSON.stringify(event)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** The events so far; a last line cut short by a crash is left out. */
  async readEvents(): Promise<SessionEvent[]> {
    try {
      return parseSessionEvents(await readFile(this.eventsPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

export async function listSessionIds(projectRoot: string): Promise<string[]> {
  try {
    const entries = await readdir(sessionsRoot(projectRoot), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every readable session record, newest first. */
export async function listSessions(projectRoot: string): Promise<SessionRecord[]> {
  const records: SessionRecord[] = [];
  for (const id of (await listSessionIds(projectRoot)).reverse()) {
    try {
      records.push(await SessionFolder.at(projectRoot, id).readRecord());
    } catch {
      // a folder without a readable record is not a session (yet)
    }
  }
  // Ids sort by the second only (their last part is random): the start time orders sessions of one second.
  return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}
