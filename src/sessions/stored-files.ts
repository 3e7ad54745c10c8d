// Reading a session's files through a SessionStore, wherever it keeps them: the events, the
// transcript copies, and the cast as a file on this machine for the player and the screen renderer.

import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../core/errors.js';
import type { SessionEvent } from '../core/session.js';
import { parseSessionEvents, SESSION_FILES } from '../core/session-events.js';
import type { SessionStore } from '../core/session-store.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';

/** A store whose files already lie on this machine (the local spool): read in place, not copied. */
export interface LocalSessionFiles {
  filePath(id: string, name: string): string;
}

export function localFilesOf(store: SessionStore): LocalSessionFiles | null {
  const candidate = store as Partial<LocalSessionFiles>;
  return typeof candidate.filePath === 'function' ? (store as SessionStore & LocalSessionFiles) : null;
}

/** The file's path on this machine, when the store keeps the session here; null otherwise. */
export async function localPathOf(store: SessionStore, id: string, name: string): Promise<string | null> {
  const local = localFilesOf(store);
  if (local) return local.filePath(id, name);
  const mixed = store as Partial<{ localPath(id: string, name: string): Promise<string | null> }>;
  return typeof mixed.localPath === 'function' ? mixed.localPath.call(store, id, name) : null;
}

/** A file's text, or null when the session has no such file. */
export async function readSessionText(store: SessionStore, id: string, name: string): Promise<string | null> {
  try {
    // as Node's readFile(…, 'utf8') reads it: a byte order mark stays
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await store.readFile(id, name));
  } catch (error) {
    if ((error as { code?: string }).code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** The session's events so far (none before its first); a torn last line is left out. */
export async function readSessionEvents(store: SessionStore, id: string): Promise<SessionEvent[]> {
  return parseSessionEvents((await readSessionText(store, id, SESSION_FILES.events)) ?? '');
}

/** The transcript copies, by their name in transcript/, in name order. */
export async function readTranscriptFiles(
  store: SessionStore,
  id: string,
): Promise<{ name: string; text: string }[]> {
  const prefix = SESSION_FILES.transcriptPrefix;
  const names = (await store.listFiles(id))
    .map((f) => f.name)
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length))
    .sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: (await readSessionText(store, id, `${prefix}${name}`)) ?? '' })),
  );
}

/**
 * A path to the session's cast on this machine: the spool's own file for a local store; for any other,
 * a copy under `cacheDir` that is brought up to date by offset (only the bytes it lacks are read), so
 * a long recording is fetched once and its keyframe index, kept beside the copy, stays valid.
 */
export async function castFileOf(store: SessionStore, id: string, cacheDir: string): Promise<string> {
  const here = await localPathOf(store, id, SESSION_FILES.cast);
  if (here) return here;
  const folder = join(cacheDir, id);
  await mkdir(cacheDir, { recursive: true });
  await ensurePrivateFolder(folder);
  const path = join(folder, SESSION_FILES.cast);
  const held = await stat(path).then(
    (info) => info.size,
    () => 0,
  );
  // a cast only grows: a copy longer than the original is from another session of that id, begun again
  const cast = (await store.listFiles(id)).find((f) => f.name === SESSION_FILES.cast);
  if (!cast) throw new NotFoundError(`Session ${id} has no terminal recording (${SESSION_FILES.cast}).`);
  const { size } = cast;
  const from = held <= size ? held : 0;
  const handle = await open(path, from === 0 ? 'w' : 'a', PRIVATE_FILE_MODE);
  try {
    if (size > from) await handle.writeFile(await store.readFile(id, SESSION_FILES.cast, from, size - from));
  } finally {
    await handle.close();
  }
  return path;
}
