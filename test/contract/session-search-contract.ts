// The session search contract: the same words find the same hits wherever sessions live (a clone's
// spool, a server on lowdb, a server on PostgreSQL, through HTTP). Sessions are written through the
// SessionStore port, notes through the Service, and the search asked through the SessionSearch port.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../src/core/service.js';
import type { SessionRecord } from '../../src/core/session.js';
import type { SessionStore } from '../../src/core/session-store.js';
import type { SessionSearch } from '../../src/sessions/session-search-index.js';
import { sessionRecord } from './session-store-contract.js';

export interface SessionSearchHarness {
  store: SessionStore;
  search: SessionSearch;
  service: Service;
  close(): Promise<void>;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const castLine = (time: number, data: string) => `${JSON.stringify([time, 'o', data])}\n`;
const HEADER = `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n`;

/** A Claude Code transcript line: the user asking, `seconds` after the session started. */
function claudeUserLine(record: SessionRecord, seconds: number, text: string): string {
  const timestamp = new Date(Date.parse(record.startedAt) + seconds * 1000).toISOString();
  return `${JSON.stringify({
    type: 'user',
    sessionId: 'c0ffee00-0000-4000-8000-000000000001',
    uuid: `u-${seconds}`,
    timestamp,
    message: { role: 'user', content: text },
  })}\n`;
}

export function describeSessionSearchContract(name: string, open: () => Promise<SessionSearchHarness>): void {
  describe(`session search contract: ${name}`, () => {
    let harness: SessionSearchHarness;
    let store: SessionStore;
    let search: SessionSearch;
    let itemId: string;
    beforeEach(async () => {
      harness = await open();
      ({ store, search } = harness);
      itemId = (await harness.service.createItem({ title: 'Count the words' }, 'alice')).id;
    });
    afterEach(() => harness.close());

    async function recorded(fields: Partial<SessionRecord> = {}): Promise<SessionRecord> {
      const record = sessionRecord({ itemId, itemRef: null, ...fields });
      await store.putRecord(record);
      return record;
    }

    it('finds words in the transcript, on the terminal and in a marker, each with the moment to replay', async () => {
      const record = await recorded({ agent: 'claude-code' });
      await store.appendFile(
        record.id,
        'transcript/chat.jsonl',
        0,
        bytes(claudeUserLine(record, 5, 'Add a Word Counter, please')),
      );
      await store.appendFile(
        record.id,
        'terminal.cast',
        0,
        bytes(HEADER + castLine(7.5, '\x1b[32mword\x1b[0m ') + castLine(8, 'counter: 3 tests passed\r\n')),
      );
      await store.appendFile(
        record.id,
        'events.jsonl',
        0,
        bytes(
          `${JSON.stringify({ type: 'marker', time: 9, at: record.startedAt, label: 'word counter works' })}\n`,
        ),
      );
      const result = await search.search({ q: 'WORD counter' });
      expect(result.terms).toEqual(['word', 'counter']);
      const bySource = Object.fromEntries(result.hits.map((h) => [h.source, h]));
      expect(Object.keys(bySource).sort()).toEqual(['marker', 'terminal', 'transcript']);
      expect(bySource.marker).toMatchObject({
        sessionId: record.id,
        itemId,
        itemTitle: 'Count the words',
        actor: 'alice',
        snippet: 'word counter works',
        time: 9,
        replay: `sdd replay ${record.id} --at 9`,
      });
      expect(bySource.transcript).toMatchObject({
        kind: 'user',
        snippet: 'Add a Word Counter, please',
        time: 5,
      });
      expect(bySource.terminal).toMatchObject({ snippet: 'word counter: 3 tests passed', time: 8 });
      // the marker, written by a person to be found, comes first
      expect(result.hits[0]!.source).toBe('marker');
      expect((await search.search({ q: 'counter zebra' })).hits).toEqual([]);
    });

    it('reads a session again once its files grew', async () => {
      const record = await recorded();
      await store.appendFile(record.id, 'terminal.cast', 0, bytes(HEADER + castLine(1, 'first line\n')));
      expect((await search.search({ q: 'first' })).hits).toHaveLength(1);
      expect((await search.search({ q: 'zebra' })).hits).toEqual([]);
      const size = HEADER.length + castLine(1, 'first line\n').length;
      await store.appendFile(record.id, 'terminal.cast', size, bytes(castLine(2.5, 'a zebra appears\n')));
      const [hit] = (await search.search({ q: 'zebra' })).hits;
      expect(hit).toMatchObject({ sessionId: record.id, time: 2.5, snippet: 'a zebra appears' });
    });

    it("finds the notes of the session's item, and of its events", async () => {
      const record = await recorded({ startedAt: new Date(Date.now() - 60_000).toISOString() });
      await harness.service.addNote(itemId, 'flaky on the CI runner', 'bob');
      await store.appendFile(
        record.id,
        'events.jsonl',
        0,
        bytes(
          `${JSON.stringify({ type: 'claim', time: 30, at: record.startedAt, action: 'failed', note: 'the runner timed out' })}\n`,
        ),
      );
      const hits = (await search.search({ q: 'runner' })).hits;
      expect(hits.map((h) => [h.source, h.kind]).sort()).toEqual([
        ['note', 'claim'],
        ['note', 'item note'],
      ]);
      const note = hits.find((h) => h.kind === 'item note')!;
      expect(note.snippet).toBe('bob: flaky on the CI runner');
      expect(note.time).toBeGreaterThan(0); // written while the session ran
    });

    it("keeps to one item's sessions with itemId, and to the limit, best first", async () => {
      const other = (await harness.service.createItem({ title: 'Something else' }, 'alice')).id;
      const mine = await recorded({ startedAt: '2026-12-01T10:00:00.000Z' });
      const theirs = await recorded({ itemId: other, startedAt: '2026-12-01T11:00:00.000Z' });
      for (const record of [mine, theirs]) {
        await store.appendFile(record.id, 'terminal.cast', 0, bytes(HEADER + castLine(1, 'deploy failed\n')));
      }
      const both = await search.search({ q: 'deploy failed' });
      expect(both.hits.map((h) => h.sessionId)).toEqual([theirs.id, mine.id]); // newest first
      const one = await search.search({ q: 'deploy failed', itemId });
      expect(one.hits.map((h) => h.sessionId)).toEqual([mine.id]);
      const limited = await search.search({ q: 'deploy', limit: 1 });
      expect(limited.hits).toHaveLength(1);
      expect(limited.more).toBe(1);
    });

    it('refuses a query without words, and a limit past 500, as bad input', async () => {
      await expect(search.search({ q: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(search.search({ q: 'deploy', limit: 501 })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });
  });
}
