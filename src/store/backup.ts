// The last good copy of a JSON file, kept beside it before each write, and the error that points to it
// when the file itself turns out damaged.

import { chmod, copyFile, link, rename, stat, unlink } from 'node:fs/promises';
import { InvalidInputError } from '../core/errors.js';
import { PRIVATE_FILE_MODE } from './private-folder.js';

export function backupPath(path: string): string {
  return `${path}.bak`;
}

/**
 * Keeps the current file (read and checked just before, so good) as its backup. A writer replaces the
 * file by renaming a new one over it, so a hard link to the old one is the whole backup: no second copy
 * of the data is written. Where links are not allowed, it copies. Nothing to keep when there is no file.
 */
export async function keepBackup(path: string): Promise<void> {
  const pending = `${backupPath(path)}.tmp`;
  try {
    await linkOrCopy(path, pending);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await chmod(pending, PRIVATE_FILE_MODE);
  // A rename is atomic: the backup is always a whole file, the old one or this one.
  await rename(pending, backupPath(path));
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // left by a process killed between these two steps (or a rename of two links to one file)
      await unlink(to);
      return linkOrCopy(from, to);
    }
    if (code === 'ENOENT') throw error;
    await copyFile(from, to); // a file system without hard links (EPERM, ENOTSUP, EXDEV)
  }
}

/** A damaged file is never overwritten; the message says what is wrong and how to get the backup back. */
export async function damagedFileError(path: string, problem: string): Promise<InvalidInputError> {
  const backup = backupPath(path);
  const kept = await stat(backup).catch(() => null);
  const restore = kept
    ? `The last good copy, from ${kept.mtime.toISOString()}, is ${backup}; to go back to it (later changes are lost): mv ${path} ${path}.damaged && cp ${backup} ${path}`
    : `There is no backup (${backup} does not exist): repair it by hand, or move it away (mv ${path} ${path}.damaged) to start an empty tracker.`;
  return new InvalidInputError(`${path} is damaged (${problem}); sdd has not changed it. ${restore}`, {
    file: path,
    backup: kept ? backup : null,
  });
}
