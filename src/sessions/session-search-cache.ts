// The search text of a clone's sessions, kept on disk (.sdd/local/cache/search/) between commands:
// each CLI run is a new process, and reading a long cast again for every search would be slow.
// One file per session, replaced whole by a rename; one that cannot be read is made again.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PreparedPassages, preparePassages, type SearchPassage } from '../core/session-search.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { SearchTextCache } from './session-search-index.js';

/** Bumped when what is extracted changes: older files are then made again. */
const FORMAT = 1;

export class PersistentTextCache extends SearchTextCache {
  constructor(
    private readonly folder: string,
    maxChars?: number,
  ) {
    super(maxChars);
  }

  override async get(name: string, key: string): Promise<PreparedPassages | null> {
    const held = await super.get(name, key);
    if (held) return held;
    const text = await readFile(this.pathOf(name), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const saved = JSON.parse(text) as { format: number; key: string; passages: SearchPassage[] };
      if (saved.format !== FORMAT || saved.key !== key || !Array.isArray(saved.passages)) return null;
      const prepared = preparePassages(saved.passages);
      this.remember(name, key, prepared);
      return prepared;
    } catch {
      return null; // torn or from elsewhere: made again
    }
  }

  override async set(name: string, key: string, prepared: PreparedPassages): Promise<void> {
    this.remember(name, key, prepared);
    await ensurePrivateFolder(this.folder);
    const path = this.pathOf(name);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ format: FORMAT, key, passages: prepared.passages }), {
      mode: PRIVATE_FILE_MODE,
    });
    await rename(temporary, path);
  }

  private pathOf(name: string): string {
    return join(this.folder, `${name}.json`);
  }
}

/** Where a clone keeps it. */
export function searchCacheFolder(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'cache', 'search');
}
