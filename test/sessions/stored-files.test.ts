// Reading a session's files through any SessionStore: a store that keeps them elsewhere (a team
// server, here the spool of another folder seen only through the port) has its cast mirrored by offset.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/core/session-store.js';
import { renderScreenAt } from '../../src/replay/screen-renderer.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import {
  castFileOf,
  localFilesOf,
  readSessionEvents,
  readTranscriptFiles,
} from '../../src/sessions/stored-files.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** The port alone, no local paths: what the CLI sees of a store that is not on this machine. */
function portOnly(store: SessionStore): SessionStore {
  return {
    list: (filter) => store.list(filter),
    get: (id) => store.get(id),
    putRecord: (record) => store.putRecord(record),
    listFiles: (id) => store.listFiles(id),
    readFile: (id, name, offset, length) => store.readFile(id, name, offset, length),
    appendFile: (id, name, offset, data) => store.appendFile(id, name, offset, data),
  };
}

describe('stored session files', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let local: LocalSessionStore;
  let remote: SessionStore;
  let cache: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    local = new LocalSessionStore(join(dir.path, 'server'));
    remote = portOnly(local);
    cache = join(dir.path, 'clone', '.sdd', 'local', 'cache', 'sessions');
  });
  afterEach(() => dir.remove());

  it("uses the local spool's cast in place", async () => {
    const record = sessionRecord();
    await local.putRecord(record);
    await local.appendFile(record.id, 'terminal.cast', 0, bytes('{"version":2,"width":20,"height":2}\n'));
    expect(localFilesOf(remote)).toBeNull();
    expect(await castFileOf(local, record.id, cache)).toBe(local.filePath(record.id, 'terminal.cast'));
  });

  it("mirrors another store's cast into the cache, fetching only the bytes it lacks as the cast grows", async () => {
    const record = sessionRecord();
    await local.putRecord(record);
    const header = '{"version":2,"width":20,"height":2}\n';
    await local.appendFile(record.id, 'terminal.cast', 0, bytes(`${header}[0.1,"o","hello"]\n`));
    const path = await castFileOf(remote, record.id, cache);
    expect(path).toBe(join(cache, record.id, 'terminal.cast'));
    expect((await renderScreenAt(path, 1)).text).toMatch(/^hello/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const size = (await stat(path)).size;
    const reads: (number | undefined)[] = [];
    const counting: SessionStore = {
      ...remote,
      readFile: (id, name, offset, length) => {
        reads.push(offset);
        return remote.readFile(id, name, offset, length);
      },
    };
    await local.appendFile(record.id, 'terminal.cast', size, bytes('[0.2,"o"," world"]\n'));
    await castFileOf(counting, record.id, cache);
    expect(reads).toEqual([size]);
    expect(await readFile(path, 'utf8')).toBe(`${header}[0.1,"o","hello"]\n[0.2,"o"," world"]\n`);
    expect((await renderScreenAt(path, 1)).text).toMatch(/^hello world/);
  });

  it('says a session without a cast has no terminal recording', async () => {
    const record = sessionRecord();
    await local.putRecord(record);
    await expect(castFileOf(remote, record.id, cache)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no terminal recording'),
    });
  });

  it('reads the events (none before the first) and the transcript copies by name', async () => {
    const record = sessionRecord();
    await local.putRecord(record);
    expect(await readSessionEvents(remote, record.id)).toEqual([]);
    await local.appendFile(record.id, 'events.jsonl', 0, bytes('{"type":"marker","label":"a"}\n{"ty'));
    expect(await readSessionEvents(remote, record.id)).toEqual([{ type: 'marker', label: 'a' }]);
    await local.appendFile(record.id, 'transcript/b.jsonl', 0, bytes('B'));
    await local.appendFile(record.id, 'transcript/a.jsonl', 0, bytes('A'));
    await local.appendFile(record.id, 'prompt.md', 0, bytes('not a transcript'));
    expect(await readTranscriptFiles(remote, record.id)).toEqual([
      { name: 'a.jsonl', text: 'A' },
      { name: 'b.jsonl', text: 'B' },
    ]);
  });
});
