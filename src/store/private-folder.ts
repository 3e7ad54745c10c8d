// Folders and files only their owner may read: the tracker's database and its backup sit beside
// session recordings, which hold whatever a terminal showed.

import { chmod, mkdir, stat } from 'node:fs/promises';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `folder` (and its missing parents) as 0700, or tightens an existing one that others may
 * read: a project set up before sdd made it private is fixed by its next write, without a word.
 */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  const created = await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (created !== undefined) return;
  const { mode } = await stat(folder);
  if ((mode & 0o077) !== 0) await chmod(folder, PRIVATE_FOLDER_MODE);
}
