// The team server's store on PostgreSQL: projects and tokens in their tables, and one PostgresStore
// per project, kept for the life of the process so its snapshot serves every request; sessions in
// their tables (postgres-session-store.ts).

import type pg from 'pg';
import type { ContextLog } from '../../core/context-log.js';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { LiveRelay } from '../../core/live-relay.js';
import type { SessionStore } from '../../core/session-store.js';
import type { Store } from '../../core/store.js';
import {
  PROJECT_ID_PATTERN,
  type ProjectRecord,
  type TeamStore,
  type TokenRecord,
} from '../../core/team-store.js';
import { migrate } from './migrate.js';
import { connectionError, openPool } from './pool.js';
import { PostgresContextLog } from './postgres-context-log.js';
import { PostgresSessionStore } from './postgres-session-store.js';
import { PostgresStore, rollback } from './postgres-store.js';
import {
  PROJECT_COLUMNS,
  type ProjectRow,
  projectFromRow,
  TOKEN_COLUMNS,
  type TokenRow,
  tokenFromRow,
} from './rows.js';

/** Connects, runs the migrations (advisory-locked: two servers starting at once migrate once). */
export async function openPostgresTeamStore(url: string): Promise<TeamStore> {
  const pool = openPool(url);
  try {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw connectionError(url, error);
    }
    try {
      await migrate(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresTeamStore(pool);
}

const PROJECT_ID = new RegExp(PROJECT_ID_PATTERN);

export class PostgresTeamStore implements TeamStore {
  private readonly trackers = new Map<string, PostgresStore>();

  constructor(private readonly pool: pg.Pool) {}

  async listProjects(): Promise<ProjectRecord[]> {
    const { rows } = await this.pool.query<ProjectRow>(
      `SELECT ${PROJECT_COLUMNS} FROM projects ORDER BY created_at, id`,
    );
    return rows.map(projectFromRow);
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    const { rows } = await this.pool.query<ProjectRow>(
      `SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = $1`,
      [id],
    );
    return rows[0] ? projectFromRow(rows[0]) : null;
  }

  async createProject(project: ProjectRecord): Promise<ProjectRecord> {
    checkProjectId(project.id);
    const { rowCount } = await this.pool.query(
      `INSERT INTO projects (id, name, id_prefix, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [project.id, project.name, project.idPrefix, project.createdAt, project.createdBy],
    );
    if (rowCount === 0) {
      throw new AlreadyExistsError(`A project "${project.id}" exists on this server already.`, {
        project: project.id,
      });
    }
    return project;
  }

  trackerStore(projectId: string): Store {
    let store = this.trackers.get(projectId);
    if (!store) {
      store = new PostgresStore(this.pool, projectId);
      this.trackers.set(projectId, store);
    }
    return store;
  }

  sessionStore(projectId: string): SessionStore {
    return new PostgresSessionStore(this.pool, projectId);
  }

  contextLog(projectId: string): ContextLog {
    return new PostgresContextLog(this.pool, projectId);
  }

  async addToken(token: TokenRecord): Promise<void> {
    try {
      await insertToken(this.pool, token);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new AlreadyExistsError(`A token "${token.id}" exists on this server already.`, {
          token: token.id,
        });
      }
      throw error;
    }
  }

  async addFirstToken(token: TokenRecord): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      // SHARE ROW EXCLUSIVE conflicts with itself: a second server's check waits for the first's insert.
      await client.query('LOCK TABLE tokens IN SHARE ROW EXCLUSIVE MODE');
      const { rows } = await client.query('SELECT 1 FROM tokens LIMIT 1');
      if (rows.length > 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await insertToken(client, token);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      broken = await rollback(client);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? tokenFromRow(rows[0]) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`,
    );
    return rows.map(tokenFromRow);
  }

  async revokeToken(id: string, at: string): Promise<TokenRecord> {
    const { rows } = await this.pool.query<TokenRow>(
      `UPDATE tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`,
      [id, at],
    );
    if (!rows[0]) throw new NotFoundError(`No token "${id}" on this server (see \`sdd server token list\`).`);
    return tokenFromRow(rows[0]);
  }

  /** LISTEN/NOTIFY between the server processes on this database (postgres-live-relay.ts). */
  async liveRelay(): Promise<LiveRelay> {
    const { PostgresLiveRelay } = await import('./postgres-live-relay.js');
    return PostgresLiveRelay.open(this.pool);
  }

  async close(): Promise<void> {
    this.trackers.clear();
    await this.pool.end();
  }
}

function insertToken(db: pg.Pool | pg.ClientBase, token: TokenRecord) {
  return db.query(
    `INSERT INTO tokens (id, "user", role, project, secret_hash, created_at, created_by, revoked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      token.id,
      token.user,
      token.role,
      token.project,
      token.secretHash,
      token.createdAt,
      token.createdBy,
      token.revokedAt,
    ],
  );
}

function checkProjectId(id: string): string {
  if (!PROJECT_ID.test(id) || id.includes('..')) {
    throw new InvalidInputError(
      `A project id is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${id}".`,
    );
  }
  return id;
}
