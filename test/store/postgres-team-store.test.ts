// The team server's projects and tokens on PostgreSQL, and its migrations: run once at the first
// start, a no-op at the next, once in all when two servers start together on an empty database.

import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamStore, TokenRecord } from '../../src/core/team-store.js';
import { migrate, migrationsDir } from '../../src/store/postgres/migrate.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';

/** Every migration file, in order (0001_team-server, 0002_sessions, ...): each must run once. */
const MIGRATIONS = readdirSync(migrationsDir())
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => f.slice(0, -'.sql'.length));

function token(id: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id,
    user: 'alice',
    role: 'admin',
    project: null,
    secretHash: 'ab'.repeat(32),
    createdAt: '2026-01-02T03:04:05.678Z',
    createdBy: 'server',
    revokedAt: null,
    ...extra,
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL team store', () => {
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

  it('creates, finds and lists projects; refuses a second with the same id and a bad id', async () => {
    const record = {
      id: 'alpha',
      name: 'Alpha',
      idPrefix: 'al',
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'a',
    };
    expect(await team.createProject(record)).toEqual(record);
    expect(await team.getProject('alpha')).toEqual(record);
    expect(await team.getProject('beta')).toBeNull();
    await expect(team.createProject({ ...record, name: 'Again' })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(team.createProject({ ...record, id: '../etc' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await team.createProject({ ...record, id: 'beta', createdAt: '2026-01-01T00:00:01.000Z' });
    expect((await team.listProjects()).map((p) => p.id)).toEqual(['alpha', 'beta']);
    // A new project's tracker is empty and numbers its items with the project's prefix.
    const data = await team.trackerStore('alpha').read();
    expect(data).toMatchObject({ idPrefix: 'al', nextId: 1, items: [], dependencies: [] });
  });

  it('keeps tokens as given, revokes once (the first time stays), and knows no unknown token', async () => {
    await team.addToken(token('aaaaaaaaaaaa'));
    await team.addToken(token('bbbbbbbbbbbb', { role: 'agent', project: 'alpha', user: 'bot' }));
    await expect(team.addToken(token('aaaaaaaaaaaa'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await team.getToken('bbbbbbbbbbbb')).toEqual(
      token('bbbbbbbbbbbb', { role: 'agent', project: 'alpha', user: 'bot' }),
    );
    expect(await team.getToken('cccccccccccc')).toBeNull();
    expect((await team.listTokens()).map((t) => t.id)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);

    const first = await team.revokeToken('bbbbbbbbbbbb', '2026-02-01T00:00:00.000Z');
    expect(first.revokedAt).toBe('2026-02-01T00:00:00.000Z');
    const again = await team.revokeToken('bbbbbbbbbbbb', '2026-03-01T00:00:00.000Z');
    expect(again.revokedAt).toBe('2026-02-01T00:00:00.000Z');
    await expect(team.revokeToken('cccccccccccc', '2026-02-01T00:00:00.000Z')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('PostgreSQL first token and migrations', () => {
  const databases: PostgresDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });
  async function emptyDatabase(): Promise<PostgresDatabase> {
    const database = await postgresDatabase();
    databases.push(database);
    return database;
  }

  it('two servers opening an empty database at once migrate it once and create one first token', async () => {
    const { url } = await emptyDatabase();
    const [one, two] = await Promise.all([openPostgresTeamStore(url), openPostgresTeamStore(url)]);
    try {
      const added = await Promise.all([
        one.addFirstToken(token('111111111111')),
        two.addFirstToken(token('222222222222')),
      ]);
      expect(added.filter(Boolean)).toHaveLength(1);
      expect(await one.listTokens()).toHaveLength(1);
      expect(await two.addFirstToken(token('333333333333'))).toBe(false);
    } finally {
      await one.close();
      await two.close();
    }
    const runs = await withClient(url, async (c) => (await c.query('SELECT name FROM sdd_migrations')).rows);
    expect(runs).toEqual(MIGRATIONS.map((name) => ({ name })));
  });

  it('runs the migrations at the first start and nothing at the next', async () => {
    const { url } = await emptyDatabase();
    expect(await withClient(url, (c) => migrate(c))).toEqual(MIGRATIONS);
    expect(await withClient(url, (c) => migrate(c))).toEqual([]);
    const team = await openPostgresTeamStore(url);
    expect(await team.listProjects()).toEqual([]);
    await team.close();
  });

  it('two migrations started together on separate connections run the files once in all', async () => {
    const { url } = await emptyDatabase();
    const ran = await Promise.all([withClient(url, (c) => migrate(c)), withClient(url, (c) => migrate(c))]);
    expect(ran.flat()).toEqual(MIGRATIONS);
  });

  it('names the server it could not reach, without the password', async () => {
    await expect(openPostgresTeamStore('postgres://sdd:hunter2@127.0.0.1:1/sdd')).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.not.stringContaining('hunter2'),
    });
    await expect(openPostgresTeamStore('postgres://sdd:hunter2@127.0.0.1:1/sdd')).rejects.toThrow(
      /127\.0\.0\.1:1\/sdd/,
    );
  });
});
