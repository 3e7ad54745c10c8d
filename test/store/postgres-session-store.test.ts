// The SessionStore contract on PostgreSQL, straight on the store (no HTTP), and what only this store
// promises: bytes kept as chunk rows of at most 1 MiB, a range read across them, and a second server
// process (a second pool) that sees each append and is refused an offset another one took.

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamStore } from '../../src/core/team-store.js';
import { CHUNK_BYTES } from '../../src/store/postgres/postgres-session-store.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { describeSessionStoreContract, sessionRecord } from '../contract/session-store-contract.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';

let database: PostgresDatabase;
let team: TeamStore;

beforeAll(async () => {
  database = await postgresDatabase();
  team = await openPostgresTeamStore(database.url);
});
afterAll(async () => {
  await team.close();
  await database.drop();
});

async function newProject(store: TeamStore = team): Promise<string> {
  const id = randomUUID();
  await store.createProject({
    id,
    name: 'p',
    idPrefix: 'sd',
    createdAt: new Date().toISOString(),
    createdBy: 't',
  });
  return id;
}

describeSessionStoreContract('server on PostgreSQL', async () => ({
  store: team.sessionStore(await newProject()),
  close: async () => undefined,
}));

describe('sessions on PostgreSQL', () => {
  it('keeps a large append as rows of at most 1 MiB, and reads any range across them', async () => {
    const project = await newProject();
    const store = team.sessionStore(project);
    const record = sessionRecord();
    await store.putRecord(record);
    const data = Buffer.alloc(2 * CHUNK_BYTES + 1234).map((_, i) => (i * 7) % 251);
    expect(await store.appendFile(record.id, 'terminal.cast', 0, data.subarray(0, 5))).toBe(5);
    expect(await store.appendFile(record.id, 'terminal.cast', 5, data.subarray(5))).toBe(data.length);
    const lengths = await withClient((c) =>
      c.query<{ n: number }>(
        'SELECT length(bytes) AS n FROM session_chunks WHERE project_id = $1 ORDER BY "offset"',
        [project],
      ),
    );
    expect(lengths.rows.map((r) => r.n)).toEqual([5, CHUNK_BYTES, CHUNK_BYTES, 1234 - 5]);
    expect(Buffer.from(await store.readFile(record.id, 'terminal.cast')).equals(data)).toBe(true);
    const from = CHUNK_BYTES - 10;
    const range = await store.readFile(record.id, 'terminal.cast', from, CHUNK_BYTES + 20);
    expect(Buffer.from(range).equals(data.subarray(from, from + CHUNK_BYTES + 20))).toBe(true);
  });

  it('a second server process sees every append, and is refused an offset the first took', async () => {
    const other = await openPostgresTeamStore(database.url);
    try {
      const project = await newProject();
      const one = team.sessionStore(project);
      const two = other.sessionStore(project);
      const record = sessionRecord();
      await one.putRecord(record);
      await one.appendFile(record.id, 'events.jsonl', 0, Buffer.from('a\n'));
      await expect(two.appendFile(record.id, 'events.jsonl', 0, Buffer.from('b\n'))).rejects.toMatchObject({
        code: 'OFFSET_MISMATCH',
        details: { held: 2 },
      });
      expect(await two.appendFile(record.id, 'events.jsonl', 2, Buffer.from('b\n'))).toBe(4);
      expect(Buffer.from(await one.readFile(record.id, 'events.jsonl')).toString()).toBe('a\nb\n');
      expect((await two.get(record.id)).id).toBe(record.id);
    } finally {
      await other.close();
    }
  });
});

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
