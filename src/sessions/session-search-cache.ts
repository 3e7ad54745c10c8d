// The search text of a clone's sessions, kept on disk (.sdd/local/cache/search/) between commands:
// each CLI run is a new process, and reading a long cast again for every search would be slow.
// Per session, <id>.txt holds a line naming the format and the sizes of the files it came from, a
// line with each passage's source, moment and kind, then the passages' text, one a line; <id>.tri
// its trigram filter (the same first line, then the bits), read first: a session it says lacks a
// word is passed over without reading its text. Each file is replaced whole by a rename; one of
// other sizes, or that cannot be read, is made again.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  mayMatch,
  type PreparedPassages,
  preparePassages,
  type SearchPassage,
} from '../core/session-search.js';
import { filterMayHold, trigramFilter } from '../core/session-search-filter.js';
import type { SearchSource } from '../core/session-search-text.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { type CachedSession, SearchTextCache } from './session-search-index.js';

/** Bumped when what is extracted (or how it is written) changes: older files are then made again. */
const FORMAT = 3;
const SOURCES: SearchSource[] = ['transcript', 'terminal', 'marker', 'note'];

interface Meta {
  /** Each passage's source, as its index in SOURCES, one digit each. */
  sources: string;
  times: (number | null)[];
  /** Kinds, by passage index, for the passages that have one. */
  kinds: Record<string, string>;
}

export class PersistentTextCache extends SearchTextCache {
  /** `maxChars`: what one command keeps in memory besides; none by default (each search streams). */
  constructor(
    private readonly folder: string,
    maxChars = 0,
  ) {
    super(maxChars);
  }

  override async get(name: string, key: string): Promise<CachedSession | null> {
    const held = await super.get(name, key);
    if (held) return held;
    const header = `${JSON.stringify([FORMAT, key])}\n`;
    let text: Promise<ReturnType<typeof parseText>> | null = null;
    const readText = () => {
      text ??= readFile(this.pathOf(name, 'txt'), 'utf8').then(
        (contents) => parseText(contents, header),
        () => null,
      );
      return text;
    };
    const raw = await readFile(this.pathOf(name, 'tri')).catch(() => null);
    const headerBytes = Buffer.from(header);
    const filter = raw?.subarray(0, headerBytes.length).equals(headerBytes)
      ? raw.subarray(headerBytes.length)
      : null;
    if (!filter && (await readText()) === null) return null;
    return {
      mayMatch: async (terms) => {
        if (filter && !filterMayHold(filter, terms)) return false;
        const parsed = await readText();
        if (!parsed) throw new Error(`the search cache of ${name} is gone`);
        return mayMatch(parsed.all, terms);
      },
      load: async () => {
        const parsed = await readText();
        const passages = parsed?.passages();
        if (!parsed || !passages) throw new Error(`the search cache of ${name} is damaged`);
        const prepared = preparePassages(passages, parsed.all);
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
    const header = `${JSON.stringify([FORMAT, key])}\n`;
    // the text first: a filter is only trusted with its text beside it
    await this.replace(
      name,
      'txt',
      `${header}${JSON.stringify(meta)}\n${passages.map((p) => p.text).join('\n')}`,
    );
    await this.replace(name, 'tri', Buffer.concat([Buffer.from(header), trigramFilter(prepared.all)]));
  }

  private async replace(name: string, kind: 'txt' | 'tri', contents: string | Uint8Array): Promise<void> {
    const path = this.pathOf(name, kind);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, contents, { mode: PRIVATE_FILE_MODE });
    await rename(temporary, path);
  }

  private pathOf(name: string, kind: 'txt' | 'tri'): string {
    return join(this.folder, `${name}.${kind}`);
  }
}

/** A cache text file of this format and key: its lowercased text, and its passages when asked. */
function parseText(contents: string, header: string) {
  if (!contents.startsWith(header)) return null;
  const metaEnd = contents.indexOf('\n', header.length);
  if (metaEnd < 0) return null;
  const lines = contents.slice(metaEnd + 1);
  return {
    // The text is kept as written; matching reads it lowercased, and only a match needs the passages.
    all: lines.toLowerCase(),
    passages: (): SearchPassage[] | null => {
      try {
        const meta = JSON.parse(contents.slice(header.length, metaEnd)) as Meta;
        const texts = lines === '' ? [] : lines.split('\n');
        if (texts.length !== meta.sources.length) return null;
        return texts.map((line, i) => {
          const passage: SearchPassage = {
            source: SOURCES[Number(meta.sources[i])] ?? 'terminal',
            text: line,
            time: meta.times[i] ?? null,
          };
          const kind = meta.kinds[i];
          if (kind !== undefined) passage.kind = kind;
          return passage;
        });
      } catch {
        return null;
      }
    },
  };
}

/** Where a clone keeps it. */
export function searchCacheFolder(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'cache', 'search');
}
