// Session search over a SessionStore (a clone's spool, or a team server's lowdb folder or PostgreSQL):
// each session's searchable text is extracted once (terminal lines, transcript messages, markers and
// notes) and kept, keyed by the sizes of the files it came from. Files only grow, so a size that
// changed is the one sign a session must be read again; a query reads only the sizes.

import type { SessionRecord } from '../core/session.js';
import { parseSessionEvents, SESSION_FILES } from '../core/session-events.js';
import {
  checkSearchLimit,
  mayMatch,
  type PreparedPassages,
  parseSearchQuery,
  preparePassages,
  rankedResult,
  type SessionSearchQuery,
  type SessionSearchResult,
  sessionHits,
} from '../core/session-search.js';
import {
  CastText,
  eventPassages,
  itemNotePassages,
  type SearchPassage,
  transcriptPassages,
} from '../core/session-search-text.js';
import type { SessionFileInfo, SessionStore } from '../core/session-store.js';
import type { Note } from '../core/types.js';

/** What search asks of the tracker: the items' titles and notes (none when it cannot say). */
export type SearchItems = () => Promise<{ id: string; title: string; notes: Note[] }[]>;

/** Answers session searches: the spool's for a clone, the server's for the team. */
export interface SessionSearch {
  search(query: SessionSearchQuery): Promise<SessionSearchResult>;
}

/** A session's text as a cache holds it: whether it may hold the words asked for, its passages when asked for. */
export interface CachedSession {
  /** False when the session surely lacks one of the terms (parseSearchQuery's). */
  mayMatch(terms: string[]): Promise<boolean>;
  load(): Promise<PreparedPassages>;
}

/** A session's text held in memory. */
export function heldSession(prepared: PreparedPassages): CachedSession {
  return { mayMatch: async (terms) => mayMatch(prepared.all, terms), load: async () => prepared };
}

interface CachedText {
  key: string;
  prepared: PreparedPassages;
  chars: number;
}

/**
 * Extracted text of many sessions, up to `maxChars` (the server keeps one for all its projects); a
 * session's entry is replaced when its files grew. A PersistentTextCache keeps it on disk as well,
 * for the CLI.
 */
export class SearchTextCache {
  private readonly entries = new Map<string, CachedText>();
  private chars = 0;

  constructor(readonly maxChars = 64 * 1024 * 1024) {}

  async get(name: string, key: string): Promise<CachedSession | null> {
    const entry = this.entries.get(name);
    if (!entry || entry.key !== key) return null;
    return heldSession(entry.prepared);
  }

  async set(name: string, key: string, prepared: PreparedPassages): Promise<void> {
    this.remember(name, key, prepared);
  }

  /** How much text is held now. */
  get size(): { sessions: number; chars: number } {
    return { sessions: this.entries.size, chars: this.chars };
  }

  protected remember(name: string, key: string, prepared: PreparedPassages): void {
    const old = this.entries.get(name);
    if (old) {
      this.chars -= old.chars;
      this.entries.delete(name);
    }
    // the passages' own text and the lowercased copy
    const chars = prepared.all.length * 2;
    // Full: a session not held yet is not taken in. Evicting would not help: every search reads every
    // session in the same order, so a least-recently-used cache smaller than them all would miss on
    // each one; this way those held stay held, and only the rest is read again.
    if (this.chars + chars > this.maxChars) return;
    this.entries.set(name, { key, prepared, chars });
    this.chars += chars;
  }
}

/** Sessions read at once: enough to hide a round trip to PostgreSQL, few enough to be kind to it. */
const PARALLEL_READS = 16;
const NOTHING = preparePassages([]);

export class StoredSessionSearch implements SessionSearch {
  constructor(
    private readonly store: SessionStore,
    private readonly items: SearchItems | null,
    private readonly cache: SearchTextCache = new SearchTextCache(),
    /** Names this store's sessions in a cache shared by several stores (a server's projects). */
    private readonly cacheScope = '',
  ) {}

  async search(query: SessionSearchQuery): Promise<SessionSearchResult> {
    const terms = parseSearchQuery(query.q); // a bad query is refused before any file is read
    checkSearchLimit(query.limit);
    const records = await this.store.list(query.itemId === undefined ? {} : { itemId: query.itemId });
    const items = this.items ? await this.items() : [];
    const titles = new Map(items.map((i) => [i.id, i.title]));
    const notes = itemNotePassages(records, items);
    // One session at a time (a few at once), only its hits kept: a history bigger than the cache
    // is read through, never held whole. Only a session holding every word is read whole.
    const hits = await mapLimit(records, PARALLEL_READS, async (session) => {
      const text = await this.cachedOf(session);
      const extra = notes.get(session.id) ?? [];
      const matches = await text.mayMatch(terms);
      if (!matches && extra.length === 0) return [];
      const prepared = matches ? await text.load() : NOTHING;
      return sessionHits({ session, itemTitle: titles.get(session.itemId) ?? null, prepared, extra }, terms);
    });
    return rankedResult(query, terms, hits.flat(), records.length);
  }

  /** The session's text from the cache while its files keep their sizes; read again otherwise. */
  private async cachedOf(record: SessionRecord): Promise<CachedSession> {
    // a session removed since it was listed has no files to search, and is no error
    const files = await this.store.listFiles(record.id).catch(() => [] as SessionFileInfo[]);
    const searched = files.filter(isSearched);
    // The record's start time places transcript entries; its agent picks the transcript's parser.
    const key = JSON.stringify([record.startedAt, record.agent, searched.map((f) => [f.name, f.size])]);
    const name = `${this.cacheScope}${record.id}`;
    const extract = async () => {
      const prepared = preparePassages(await this.passagesOf(record, searched));
      await this.cache.set(name, key, prepared);
      return prepared;
    };
    const held = await this.cache.get(name, key);
    // a cache whose passages cannot be read (torn on disk) is made again, not an error
    if (held) {
      let fresh: Promise<PreparedPassages> | null = null;
      const again = () => {
        fresh ??= extract();
        return fresh;
      };
      return {
        mayMatch: (terms) => held.mayMatch(terms).catch(async () => mayMatch((await again()).all, terms)),
        load: () => held.load().catch(again),
      };
    }
    return heldSession(await extract());
  }

  private async passagesOf(record: SessionRecord, files: SessionFileInfo[]): Promise<SearchPassage[]> {
    const read = async (file: SessionFileInfo) =>
      new TextDecoder().decode(await this.store.readFile(record.id, file.name, 0, file.size));
    const passages: SearchPassage[] = [];
    const events = files.find((f) => f.name === SESSION_FILES.events);
    if (events) passages.push(...eventPassages(parseSessionEvents(await read(events))));
    const transcripts = files.filter((f) => f.name.startsWith(SESSION_FILES.transcriptPrefix));
    if (transcripts.length > 0) {
      const { parseTranscript } = await import('../transcripts/parse-transcript.js');
      const prefix = SESSION_FILES.transcriptPrefix.length;
      const texts = await Promise.all(
        transcripts.map(async (f) => ({ name: f.name.slice(prefix), text: await read(f) })),
      );
      const transcript = await parseTranscript(record.agent, texts);
      passages.push(...transcriptPassages(transcript.entries, record.startedAt));
    }
    const cast = files.find((f) => f.name === SESSION_FILES.cast);
    if (cast) passages.push(...(await this.castLines(record.id, cast)));
    return passages;
  }

  private async castLines(id: string, cast: SessionFileInfo): Promise<SearchPassage[]> {
    const decoder = new TextDecoder();
    const reader = new CastText();
    for (let offset = 0; offset < cast.size; offset += CAST_PIECE_BYTES) {
      const length = Math.min(CAST_PIECE_BYTES, cast.size - offset);
      const bytes = await this.store.readFile(id, cast.name, offset, length);
      reader.push(decoder.decode(bytes, { stream: true }));
      if (bytes.length < length) break; // shorter than listed: what is there
    }
    reader.push(decoder.decode());
    return reader.end();
  }
}

/** A cast is read in pieces: a recording of hours is never held whole, only the lines it showed. */
const CAST_PIECE_BYTES = 8 * 1024 * 1024;

/** The files search reads: the cast, the events and the transcript copies (not the prompt nor checkpoints). */
function isSearched(file: SessionFileInfo): boolean {
  return (
    file.name === SESSION_FILES.cast ||
    file.name === SESSION_FILES.events ||
    file.name.startsWith(SESSION_FILES.transcriptPrefix)
  );
}

async function mapLimit<T, R>(
  values: T[],
  limit: number,
  work: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      results[index] = await work(values[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}
