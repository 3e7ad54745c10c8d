// One project's recorded sessions on PostgreSQL (migrations/0002_sessions.sql): records as jsonb,
// file bytes as append-only chunk rows. An append is one transaction that locks the file's size row,
// so every server process on the database sees each byte once, at the offset it was sent for.

import type pg from 'pg';
import { OffsetMismatchError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import type { SessionFileInfo, SessionFilter, SessionStore } from '../../core/session-store.js';
import {
  checkOffset,
  checkSessionFileName,
  checkSessionId,
  noFile,
  noSession,
  pickSession,
} from '../sessions/session-names.js';
import { rollback } from './postgres-store.js';

/** Rows stay this small: a read of a range fetches a few of them, never one huge value. */
export const CHUNK_BYTES = 1024 * 1024;

export class PostgresSessionStore implements SessionStore {
  constructor(
    private readonly pool: pg.Pool,
    readonly projectId: string,
  ) {}

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const values: unknown[] = [this.projectId];
    let where = 'project_id = $1';
    if (filter.itemId !== undefined) {
      values.push(filter.itemId);
      where += ` AND item_id = $${values.length}`;
    }
    if (filter.status !== undefined) {
      values.push(filter.status);
      where += ` AND status = $${values.length}`;
    }
    let limit = '';
    if (filter.limit !== undefined) {
      values.push(filter.limit);
      limit = ` LIMIT $${values.length}`;
    }
    const { rows } = await this.pool.query<{ record: SessionRecord }>(
      `SELECT record FROM sessions WHERE ${where} ORDER BY started_at DESC, id DESC${limit}`,
      values,
    );
    return rows.map((r) => r.record);
  }

  async get(id: string): Promise<SessionRecord> {
    // At most a few candidates: enough to tell one from several.
    const { rows } = await this.pool.query<{ id: string; record: SessionRecord }>(
      `SELECT id, record FROM sessions
       WHERE project_id = $1 AND $2 <> '' AND (id = $2 OR starts_with(id, $2) OR right(id, length($2)) = $2)
       ORDER BY id = $2 DESC, id LIMIT 6`,
      [this.projectId, id],
    );
    const picked = pickSession(
      id,
      rows.map((r) => r.id),
    );
    return rows.find((r) => r.id === picked)!.record;
  }

  async putRecord(record: SessionRecord): Promise<void> {
    checkSessionId(record.id);
    await this.pool.query(
      `INSERT INTO sessions (project_id, id, record, started_at, item_id, status) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (project_id, id) DO UPDATE
       SET record = excluded.record, started_at = excluded.started_at, item_id = excluded.item_id, status = excluded.status`,
      [this.projectId, record.id, JSON.stringify(record), record.startedAt, record.itemId, record.status],
    );
  }

  async listFiles(id: string): Promise<SessionFileInfo[]> {
    await this.requireSession(this.pool, checkSessionId(id));
    const { rows } = await this.pool.query<{ name: string; size: string }>(
      'SELECT name, size FROM session_files WHERE project_id = $1 AND session_id = $2 ORDER BY name',
      [this.projectId, id],
    );
    return rows.map((r) => ({ name: r.name, size: Number(r.size) }));
  }

  async readFile(id: string, name: string, offset = 0, length?: number): Promise<Uint8Array> {
    checkOffset(offset);
    if (length !== undefined) checkOffset(length);
    checkSessionFileName(name);
    checkSessionId(id);
    const size = await this.sizeOf(id, name);
    const end = Math.min(size, length === undefined ? size : offset + length);
    if (end <= offset) return new Uint8Array(0);
    // The size was read first: chunks committed after it lie beyond `end`, so the range is whole.
    // As base64 text: a third smaller than bytea's hex, and decoded natively. (node-postgres's binary
    // mode would be smaller still, but its row parser decodes binary values as UTF-8 text.)
    const { rows } = await this.pool.query<{ offset: string; bytes: string }>(
      `SELECT "offset", encode(bytes, 'base64') AS bytes FROM session_chunks
       WHERE project_id = $1 AND session_id = $2 AND name = $3 AND "offset" > $4 AND "offset" < $5
       ORDER BY "offset"`,
      [this.projectId, id, name, offset - CHUNK_BYTES, end],
    );
    const out = Buffer.allocUnsafe(end - offset);
    for (const row of rows) {
      const at = Number(row.offset);
      const bytes = Buffer.from(row.bytes, 'base64');
      const from = Math.max(offset, at);
      const to = Math.min(end, at + bytes.length);
      if (to > from) bytes.copy(out, from - offset, from - at, to - at);
    }
    return out;
  }

  async appendFile(id: string, name: string, offset: number, bytes: Uint8Array): Promise<number> {
    checkOffset(offset);
    checkSessionFileName(name);
    checkSessionId(id);
    const client = await this.pool.connect();
    let done = false;
    let broken = false;
    try {
      await client.query('BEGIN');
      // A session that does not exist fails the file row's foreign key (23503): NotFound below.
      await client.query(
        `INSERT INTO session_files (project_id, session_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [this.projectId, id, name],
      );
      // The row lock: a second append to this file waits here, then sees the size this one left.
      const { rows } = await client.query<{ size: string }>(
        'SELECT size FROM session_files WHERE project_id = $1 AND session_id = $2 AND name = $3 FOR UPDATE',
        [this.projectId, id, name],
      );
      const held = Number(rows[0]!.size);
      if (held !== offset) throw new OffsetMismatchError(name, held, offset);
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // The chunks and the new size in one statement: one round trip however big the append.
      const values: unknown[] = [this.projectId, id, name, held + data.length];
      const rowsSql: string[] = [];
      for (let at = 0; at < data.length; at += CHUNK_BYTES) {
        values.push(offset + at, data.subarray(at, at + CHUNK_BYTES));
        rowsSql.push(`($1, $2, $3, $${values.length - 1}, $${values.length})`);
      }
      const insert =
        rowsSql.length === 0
          ? ''
          : `WITH chunks AS (INSERT INTO session_chunks (project_id, session_id, name, "offset", bytes) VALUES ${rowsSql.join(', ')}) `;
      await client.query(
        `${insert}UPDATE session_files SET size = $4 WHERE project_id = $1 AND session_id = $2 AND name = $3`,
        values,
      );
      await client.query('COMMIT');
      done = true;
      return held + data.length;
    } catch (error) {
      if (!done) broken = await rollback(client);
      if ((error as { code?: string }).code === '23503') throw noSession(id);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async sizeOf(id: string, name: string): Promise<number> {
    const { rows } = await this.pool.query<{ size: string | null; known: boolean }>(
      `SELECT (SELECT size FROM session_files WHERE project_id = $1 AND session_id = $2 AND name = $3) AS size,
              EXISTS (SELECT 1 FROM sessions WHERE project_id = $1 AND id = $2) AS known`,
      [this.projectId, id, name],
    );
    if (!rows[0]!.known) throw noSession(id);
    if (rows[0]!.size === null) throw noFile(id, name);
    return Number(rows[0]!.size);
  }

  private async requireSession(db: pg.Pool | pg.ClientBase, id: string): Promise<void> {
    const { rows } = await db.query('SELECT 1 FROM sessions WHERE project_id = $1 AND id = $2', [
      this.projectId,
      id,
    ]);
    if (rows.length === 0) throw noSession(id);
  }
}
