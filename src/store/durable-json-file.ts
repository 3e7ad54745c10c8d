// A lowdb adapter that survives crashes: write-file-atomic writes a temporary file, flushes it to
// disk and renames it over the old one, so a reader (or a restart) sees the old file or the new one,
// never half of one. lowdb's own JSONFile renames but does not flush. The file before each write is
// kept as <file>.bak, and a damaged file is refused, never taken as empty and overwritten.

import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { damagedFileError, keepBackup } from './backup.js';
import { PRIVATE_FILE_MODE } from './private-folder.js';

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly path: string) {}

  /** null only when there is no file; anything but a JSON object is damage. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw await damagedFileError(this.path, (error as Error).message);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      const what = data === null ? 'null' : Array.isArray(data) ? 'a list' : `a ${typeof data}`;
      throw await damagedFileError(this.path, `it holds ${what}, not an object`);
    }
    return data as T;
  }

  async write(data: T): Promise<void> {
    const { default: writeFileAtomic } = await import('write-file-atomic'); // only writers pay for loading it
    await keepBackup(this.path);
    // An explicit mode also tightens a file made readable by others before sdd made it private.
    await writeFileAtomic(this.path, JSON.stringify(data), { mode: PRIVATE_FILE_MODE });
  }
}
