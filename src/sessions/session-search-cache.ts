// The search text of a clone's sessions, kept on disk (.sdd/local/cache/search/) between commands:
// each CLI run is a new process, and reading a long cast again for every search would be slow.
// Per session, <id>.txt holds the lowercased text (read by every search, to pass over sessions that
// lack a word) and <id>.json the passages (read only for the sessions that hold every word). Each is
// replaced whole by a rename; one that cannot be read, or is of other files' sizes, is made again.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PreparedPassages, preparePassages, type SearchPassage } from '../core/session-search.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { type CachedSession, SearchTextCache } from './session-search-index.js';

/** Bumped when what is extracted changes: older files are then made again. */
const FORMAT = 1;

export class PersistentTextCache extends SearchTextCache {
  constructor(
    private readonly folder: string,
    maxChars?: number,
  ) {
    super(maxChars);
  }

  override async get(name: string, key: string): Promise<CachedSession | null> {
    const held = await super.get(name, key);
    if (held) return held;
    const text = await readFile(this.pathOf(name, 'txt'), 'utf8').catch(() => null);
    if (text === null) return null;
    const newline = text.indexOf('\n');
    if (newline < 0 || text.slice(0, newline) !== JSON.stringify([FORMAT, key])) return null;
    const all = text.slice(newline + 1);
    return {
      all,
      load: async () => {
        const passages = await this.readPassages(name, key);
        // torn, or from another run than the text: read the session again next time
        if (!passages) throw new Error(`the search cache of ${name} is damaged`);
        const prepared = preparePassages(passages, all);
        this.remember(name, key, prepared);
        return prepared;
      },
    };
  }

  override async set(name: string, key: string, prepared: PreparedPassages): Promise<void> {
    this.remember(name, key, prepared);
    await ensurePrivateFolder(this.folder);
    // the passages first: a text file is only trusted with its passages beside it
    await this.replace(name, 'json', JSON.stringify({ format: FORMAT, key, passages: prepared.passages }));
    await this.replace(name, 'txt', `${JSON.stringify([FORMAT, key])}\n${prepared.all}`);
  }

  private async readPassages(name: string, key: string): Promise<SearchPassage[] | null> {
    try {
      const saved = JSON.parse(await readFile(this.pathOf(name, 'json'), 'utf8')) as {
        format: number;
        key: string;
        passages: SearchPassage[];
      };
      return saved.format === FORMAT && saved.key === key && Array.isArray(saved.passages)
        ? saved.passages
        : null;
    } catch {
      return null;
    }
  }

  private async replace(name: string, kind: 'txt' | 'json', text: string): Promise<void> {
    const path = this.pathOf(name, kind);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: PRIVATE_FILE_MODE });
    await rename(temporary, path);
  }

  private pathOf(name: string, kind: 'txt' | 'json'): string {
    return join(this.folder, `${name}.${kind}`);
  }
}

/** Where a clone keeps it. */
export function searchCacheFolder(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'cache', 'search');
}
