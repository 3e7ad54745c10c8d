// A lowdb adapter that survives crashes: write-file-atomic writes a temporary file, flushes it to
// disk and renames it over the old one, so a reader (or a restart) sees the old file or the new one,
// never half of one. lowdb's own JSONFile renames but does not flush.

import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { InvalidInputError } from '../core/errors.js';

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
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new InvalidInputError(
        `${this.path} is damaged (${(error as Error).message}). Restore it from a backup, or move it away to start an empty tracker.`,
      );
    }
  }

  async write(data: T): Promise<void> {
    const { default: writeFileAtomic } = await import('write-file-atomic'); // only writers pay for loading it
    await writeFileAtomic(this.path, JSON.stringify(data));
  }
}
