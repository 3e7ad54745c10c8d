// A lowdb adapter that survives crashes: write-file-atomic writes a temporary file, flushes it to
// disk and renames it over the old one, so a reader (or a restart) sees the old file or the new one,
// never half of one. lowdb's own JSONFile renames but does not flush.

import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    const { default: writeFileAtomic } = await import('write-file-atomic'); // only writers pay for loading it
    await writeFileAtomic(this.path, JSON.stringify(data));
  }
}
