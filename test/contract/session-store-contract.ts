// The SessionStore contract: one suite for every place sessions live (the local spool, a server on
// lowdb, a server on PostgreSQL, through HTTP). It talks only through the SessionStore port.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { SessionStore } from '../../src/core/session-store.js';

export interface SessionStoreHarness {
  store: SessionStore;
  close(): Promise<void>;
}

let counter = 0;

/** A record as `sdd run` writes it; ids are unique across the suite. */
export function sessionRecord(fields: Partial<SessionRecord> = {}): SessionRecord {
  counter++;
  const second = String(counter % 60).padStart(2, '0');
  return {
    id: `20261201-1200${second}-${(1000 + counter).toString(16)}`,
    itemId: 'sd-1',
    itemRef: 'T001',
    actor: 'alice',
    command: ['claude'],
    agent: 'claude-code',
    conversationId: null,
    cwd: '/work/repo',
    baseCommit: 'a'.repeat(40),
    checkpointRef: null,
    worktree: null,
    startedAt: `2026-12-01T12:00:${second}.000Z`,
    endedAt: null,
    exitCode: null,
    status: 'running',
    pid: 1234,
    host: 'laptop',
    cols: 80,
    rows: 24,
    controlSocket: null,
    redactions: {},
    forkedFrom: null,
    ...fields,
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

export function describeSessionStoreContract(name: string, open: () => Promise<SessionStoreHarness>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let harness: SessionStoreHarness;
    let store: SessionStore;
    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });
    afterEach(() => harness.close());

    it('keeps a record, replaces it, and finds it by its id, a prefix or the random end', async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      expect(await store.get(record.id)).toEqual(record);
      const finished = {
        ...record,
        status: 'finished' as const,
        endedAt: '2026-12-01T12:30:00.000Z',
        exitCode: 0,
      };
      await store.putRecord(finished);
      expect(await store.get(record.id)).toEqual(finished);
      expect((await store.get(record.id.slice(-4))).id).toBe(record.id);
      await expect(store.get('no-such-session')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('lists newest first, by item and status', async () => {
      const older = sessionRecord({ startedAt: '2026-12-01T10:00:00.000Z', itemId: 'sd-1' });
      const newer = sessionRecord({
        startedAt: '2026-12-01T11:00:00.000Z',
        itemId: 'sd-2',
        status: 'finished',
      });
      await store.putRecord(older);
      await store.putRecord(newer);
      const ids = (await store.list()).map((r) => r.id);
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
      expect((await store.list({ itemId: 'sd-2' })).map((r) => r.id)).toEqual([newer.id]);
      expect((await store.list({ status: 'finished' })).map((r) => r.id)).toContain(newer.id);
      expect((await store.list({ status: 'finished' })).map((r) => r.id)).not.toContain(older.id);
      expect(await store.list({ limit: 1 })).toHaveLength(1);
    });

    it('appends by offset: a retried or early append changes nothing and says the size held', async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      expect(await store.appendFile(record.id, 'terminal.cast', 0, bytes('{"version":2}\n'))).toBe(14);
      expect(await store.appendFile(record.id, 'terminal.cast', 14, bytes('[0.1,"o","hi"]\n'))).toBe(29);
      // the same append again, as a client does when its answer was lost
      await expect(
        store.appendFile(record.id, 'terminal.cast', 14, bytes('[0.1,"o","hi"]\n')),
      ).rejects.toMatchObject({
        code: 'OFFSET_MISMATCH',
        details: { held: 29 },
      });
      await expect(store.appendFile(record.id, 'terminal.cast', 40, bytes('x'))).rejects.toMatchObject({
        code: 'OFFSET_MISMATCH',
      });
      expect(text(await store.readFile(record.id, 'terminal.cast'))).toBe('{"version":2}\n[0.1,"o","hi"]\n');
      expect(text(await store.readFile(record.id, 'terminal.cast', 14))).toBe('[0.1,"o","hi"]\n');
      expect(text(await store.readFile(record.id, 'terminal.cast', 14, 4))).toBe('[0.1');
      expect(await store.readFile(record.id, 'terminal.cast', 29)).toHaveLength(0);
    });

    it('keeps every byte of binary and multi-byte content, in files of two levels', async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      const all = new Uint8Array(256).map((_, i) => i);
      // a UTF-8 character split across two appends must come back whole
      const euro = bytes('€');
      await store.appendFile(record.id, 'transcript/conversation.jsonl', 0, all);
      await store.appendFile(record.id, 'transcript/conversation.jsonl', 256, euro.slice(0, 1));
      await store.appendFile(record.id, 'transcript/conversation.jsonl', 257, euro.slice(1));
      const back = await store.readFile(record.id, 'transcript/conversation.jsonl');
      expect([...back]).toEqual([...all, ...euro]);
      expect(await store.appendFile(record.id, 'events.jsonl', 0, bytes('{"type":"marker"}\n'))).toBe(18);
      const files = await store.listFiles(record.id);
      expect(files).toEqual(
        expect.arrayContaining([
          { name: 'transcript/conversation.jsonl', size: 259 },
          { name: 'events.jsonl', size: 18 },
        ]),
      );
    });

    it("keeps a transcript copy under the agent's own name, even one with a leading dot", async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      // Aider writes .aider.chat.history.md; its copy keeps the name
      await store.appendFile(record.id, 'transcript/.aider.chat.history.md', 0, bytes('# aider chat\n'));
      expect(text(await store.readFile(record.id, 'transcript/.aider.chat.history.md'))).toBe(
        '# aider chat\n',
      );
      await expect(store.appendFile(record.id, 'transcript/..', 0, bytes('x'))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });

    it('refuses file names and session ids with path tricks, and files of unknown sessions', async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      for (const name of [
        '../db.json',
        'transcript/../../x',
        '/etc/passwd',
        'a/b/c',
        '.hidden',
        '',
        'x\u0000y',
      ]) {
        await expect(store.appendFile(record.id, name, 0, bytes('x'))).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      }
      await expect(store.putRecord(sessionRecord({ id: '../evil' }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(
        store.appendFile('20991231-000000-ffff', 'terminal.cast', 0, bytes('x')),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store.readFile(record.id, 'never-written.txt')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('gives concurrent appends at one offset to exactly one of them', async () => {
      const record = sessionRecord();
      await store.putRecord(record);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.appendFile(record.id, 'events.jsonl', 0, bytes(`line ${i}\n`)),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(text(await store.readFile(record.id, 'events.jsonl'))).toMatch(/^line \d\n$/);
    });
  });
}
