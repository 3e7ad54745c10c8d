// The search index keeps each session's extracted text while its files keep their sizes: a search
// again reads no file, a new process reads the clone's cache from disk, and a file that grew is read
// again. What it reads is what the store holds: a secret the recorder redacted is not found.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/core/session-store.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { PersistentTextCache, searchCacheFolder } from '../../src/sessions/session-search-cache.js';
import { SearchTextCache, StoredSessionSearch } from '../../src/sessions/session-search-index.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const HEADER = `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n`;
const line = (time: number, data: string) => `${JSON.stringify([time, 'o', data])}\n`;

/** The store, counting the reads of file bytes. */
function counting(store: SessionStore): { store: SessionStore; reads: () => number } {
  let reads = 0;
  const wrapped = Object.create(store) as SessionStore;
  wrapped.readFile = (...args) => {
    reads++;
    return store.readFile(...args);
  };
  return { store: wrapped, reads: () => reads };
}

describe('the search index', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let local: LocalSessionStore;
  beforeEach(async () => {
    dir = await makeTempDir();
    local = new LocalSessionStore(dir.path);
  });
  afterEach(() => dir.remove());

  async function session(text: string): Promise<string> {
    const record = sessionRecord();
    await local.putRecord(record);
    await local.appendFile(record.id, 'terminal.cast', 0, bytes(HEADER + line(1, text)));
    return record.id;
  }

  it('reads no file for a second search while the files keep their sizes', async () => {
    await session('alpha beta\n');
    await session('gamma\n');
    const { store, reads } = counting(local);
    const search = new StoredSessionSearch(store, null, new SearchTextCache());
    expect((await search.search({ q: 'alpha' })).hits).toHaveLength(1);
    const first = reads();
    expect(first).toBe(2);
    expect((await search.search({ q: 'gamma' })).hits).toHaveLength(1);
    expect(reads()).toBe(first);
  });

  it("keeps a clone's extracted text on disk, for the next command", async () => {
    await session('alpha beta\n');
    const folder = searchCacheFolder(dir.path);
    await new StoredSessionSearch(local, null, new PersistentTextCache(folder)).search({ q: 'alpha' });
    const { store, reads } = counting(local);
    const again = new StoredSessionSearch(store, null, new PersistentTextCache(folder));
    expect((await again.search({ q: 'beta' })).hits).toHaveLength(1);
    expect(reads()).toBe(0);
  });

  it("passes over a session its trigram filter says lacks a word, without reading the session's text", async () => {
    await session('alpha beta\n');
    const folder = searchCacheFolder(dir.path);
    await new StoredSessionSearch(local, null, new PersistentTextCache(folder)).search({ q: 'alpha' });
    const [text] = (await readdir(folder)).filter((f) => f.endsWith('.txt'));
    // were the text read, this line would be found
    const path = join(folder, text!);
    await writeFile(path, (await readFile(path, 'utf8')).replace('alpha beta', 'alpha zebra'));
    const again = new StoredSessionSearch(local, null, new PersistentTextCache(folder));
    expect((await again.search({ q: 'zebra' })).hits).toEqual([]);
    expect((await again.search({ q: 'alpha' })).hits[0]!.snippet).toBe('alpha zebra');
  });

  it('makes a damaged cache file again instead of failing the search', async () => {
    const id = await session('alpha beta\n');
    const folder = searchCacheFolder(dir.path);
    await new StoredSessionSearch(local, null, new PersistentTextCache(folder)).search({ q: 'alpha' });
    const path = join(folder, `${id}.txt`);
    const [header] = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${header}\n{"sources":"1","times":[1],"kinds":{}}\nalpha beta\nan extra line`);
    const again = new StoredSessionSearch(local, null, new PersistentTextCache(folder));
    expect((await again.search({ q: 'beta' })).hits.map((h) => h.sessionId)).toEqual([id]);
    const third = counting(local);
    await new StoredSessionSearch(third.store, null, new PersistentTextCache(folder)).search({ q: 'beta' });
    expect(third.reads()).toBe(0); // written whole again
  });

  it('reads a session again when a file grew, and only that one', async () => {
    const grown = await session('alpha\n');
    await session('other\n');
    const { store, reads } = counting(local);
    const search = new StoredSessionSearch(store, null, new PersistentTextCache(searchCacheFolder(dir.path)));
    await search.search({ q: 'alpha' });
    const before = reads();
    const size = (await local.listFiles(grown)).find((f) => f.name === 'terminal.cast')!.size;
    await local.appendFile(grown, 'terminal.cast', size, bytes(line(2, 'omega\n')));
    expect((await search.search({ q: 'omega' })).hits.map((h) => h.sessionId)).toEqual([grown]);
    expect(reads() - before).toBe(1);
  });

  it('holds no more than its size, and keeps what it holds when full (reading only the rest again)', async () => {
    for (let i = 0; i < 5; i++) await session(`${'x'.repeat(100)} ${i}\n`);
    const cache = new SearchTextCache(500);
    const { store, reads } = counting(local);
    const search = new StoredSessionSearch(store, null, cache);
    expect((await search.search({ q: 'x' })).hits).toHaveLength(5);
    expect(cache.size.chars).toBeLessThanOrEqual(500);
    expect(cache.size.sessions).toBe(2);
    const before = reads();
    expect((await search.search({ q: 'x' })).hits).toHaveLength(5);
    expect(reads() - before).toBe(3);
  });

  it('searches what the store holds: a secret redacted by the recorder is not found', async () => {
    // as the recording worker writes it: the token already replaced by its marker
    const id = await session('export GITHUB_TOKEN=[REDACTED:github-token] done\n');
    const search = new StoredSessionSearch(local, null, new SearchTextCache());
    expect((await search.search({ q: 'ghp_' })).hits).toEqual([]);
    expect((await search.search({ q: 'GITHUB_TOKEN done' })).hits.map((h) => h.sessionId)).toEqual([id]);
  });
});
