// A lock between processes on one file, for read-modify-write cycles: lowdb itself has none.
// proper-lockfile makes a directory next to the file (atomic on every file system, NFS included)
// and keeps it fresh while held, so a lock left by a killed process goes stale and is taken over.

import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { LockedError } from '../core/errors.js';
import { PRIVATE_FOLDER_MODE } from './private-folder.js';

/** The lock is a folder; it is made private like the database it guards. */
const lockFs = {
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    fs.mkdir(path, { mode: PRIVATE_FOLDER_MODE }, callback),
};

/** A lock not refreshed for this long belongs to a dead process and is taken over. */
export const DEFAULT_STALE_MS = 10_000;

export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  staleMs = DEFAULT_STALE_MS,
): Promise<T> {
  let compromised: Error | null = null;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      fs: lockFs,
      stale: staleMs,
      retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 60, randomize: true },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new LockedError(path);
    throw error;
  }
  try {
    const result = await work();
    if (compromised) throw new LockedError(path);
    return result;
  } finally {
    await release().catch(() => undefined); // a compromised lock is no longer ours to release
  }
}
