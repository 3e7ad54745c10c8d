// The search text of a clone's sessions, kept on disk (.sdd/local/cache/search/<id>.txt) between
// commands: each CLI run is a new process, and reading a long cast again for every search would be
// slow. One file per session, replaced whole by a rename: a line naming the format and the sizes of
// the files it came from, a line with each passage's source, moment and kind, then the passages'
// text, one a line. A file of other sizes, or one that cannot be read, is made again.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PreparedPassages, preparePassages, type SearchPassage } from '../core/session-search.js';
import type { SearchSource } from '../core/session-search-text.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { type CachedSession, SearchTextCache } from './session-search-index.js';

/** Bumped when what is extracted (or how it is written) changes: older files are then made again. */
const FORMAT = 2;
const SOURCES: SearchSource[] = ['transcript', 'terminal', 'marker', 'note'];

interface Meta {
  /** Each passage's source, as its index in SOURCES, one digit each. */
  sources: string;
  times: (number | null)[];
  /** Kinds, by passage index, for the passages that have one. */
  kinds: Record<string, string>;
}

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
    const text = await readFile(this.pathOf(name), 'utf8').catch(() => null);
    if (text === null) return null;
    const first = text.indexOf('\n');
    const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
    if (second < 0 || text.slice(0, first) !== JSON.stringify([FORMAT, key])) return null;
    const lines = text.slice(second + 1);
    // The text is kept as written; matching reads it lowercased, and only a match needs the passages.
    const all = lines.toLowerCase();
    return {
      all,
      load: async () => {
        const meta = JSON.parse(text.slice(first + 1, second)) as Meta;
        const texts = lines === '' ? [] : lines.split('\n');
        if (texts.length !== meta.sources.length) throw new Error(`the search cache of ${name} is damaged`);
        const passages = texts.map((line, i): SearchPassage => {
          const passage: SearchPassage = {
            source: SOURCES[Number(meta.sources[i])] ?? 'terminal',
            text: line,
            time: meta.times[i] ?? null,
          };
          const kind = meta.kinds[i];
          if (kind !== undefined) passage.kind = kind;
          return passage;
        });
        const prepared = preparePassages(passages, all);
        this.remember(name, key, prepared);
        return prepared;
      },
    };
  }

  override async set(name: string, key: string, prepared: PreparedPassages): Promise<void> {
    this.remember(name, key, prepared);
    await ensurePrivateFolder(this.folder);
    const { passages } = prepared;
    const meta: Meta = {
      sources: passages.map((p) => SOURCES.indexOf(p.source)).join(''),
      times: passages.map((p) => p.time),
      kinds: Object.fromEntries(passages.flatMap((p, i) => (p.kind === undefined ? [] : [[i, p.kind]]))),
    };
    const text = `${JSON.stringify([FORMAT, key])}\n${JSON.stringify(meta)}\n${passages.map((p) => p.text).join('\n')}`;
    const path = this.pathOf(name);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: PRIVATE_FILE_MODE });
    await rename(temporary, path);
  }

  private pathOf(name: string): string {
    return join(this.folder, `${name}.txt`);
  }
}

/** Where a clone keeps it. */
export function searchCacheFolder(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'cache', 'search');
}
