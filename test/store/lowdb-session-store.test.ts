// The SessionStore contract on a team server's data folder, straight on the store (no HTTP), and
// what only this store promises: where the bytes lie, and appends from two processes' worth of
// stores on one folder that never interleave.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LowdbSessionStore } from '../../src/store/sessions/lowdb-session-store.js';
import { describeSessionStoreContract, sessionRecord } from '../contract/session-store-contract.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describeSessionStoreContract('server data folder (lowdb)', async () => {
  const dir = await makeTempDir('sdd-sessions-');
  return { store: new LowdbSessionStore(join(dir.path, 'sessions', 'p1')), close: () => dir.remove() };
});

describe('sessions in a data folder', () => {
  it('keeps the record in session.json and the bytes as plain files beside it', async () => {
    const dir = await makeTempDir('sdd-sessions-');
    try {
      const folder = join(dir.path, 'sessions', 'p1');
      const store = new LowdbSessionStore(folder);
      const record = sessionRecord();
      await store.putRecord(record);
      await store.appendFile(record.id, 'transcript/chat.jsonl', 0, Buffer.from('{"a":1}\n'));
      expect(JSON.parse(await readFile(join(folder, record.id, 'session.json'), 'utf8'))).toEqual(record);
      expect(await readFile(join(folder, record.id, 'files', 'transcript', 'chat.jsonl'), 'utf8')).toBe(
        '{"a":1}\n',
      );
    } finally {
      await dir.remove();
    }
  });

  it('serialises appends of two stores on one folder (as two server processes would) by offset', async () => {
    const dir = await makeTempDir('sdd-sessions-');
    try {
      const folder = join(dir.path, 'sessions', 'p1');
      const one = new LowdbSessionStore(folder);
      const two = new LowdbSessionStore(folder);
      const record = sessionRecord();
      await one.putRecord(record);
      // Each store appends 20 lines, always from the size it last learnt: every byte lands once.
      const writer = async (store: LowdbSessionStore, tag: string) => {
        let offset = 0;
        let written = 0;
        while (written < 20) {
          const line = Buffer.from(`${tag}${written}\n`);
          try {
            offset = await store.appendFile(record.id, 'events.jsonl', offset, line);
            written++;
          } catch (error) {
            offset = (error as { details: { held: number } }).details.held;
          }
        }
      };
      await Promise.all([writer(one, 'a'), writer(two, 'b')]);
      const lines = (await readFile(join(folder, record.id, 'files', 'events.jsonl'), 'utf8')).split('\n');
      expect(lines.filter((l) => l.startsWith('a'))).toHaveLength(20);
      expect(lines.filter((l) => l.startsWith('b'))).toHaveLength(20);
    } finally {
      await dir.remove();
    }
  });
});
