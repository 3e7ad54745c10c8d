// The GitHub mirror's state of one project in PostgreSQL: one row, changed under its row lock so
// two server processes syncing at once never lose each other's entries.

import type pg from 'pg';
import {
  applyMirrorChange,
  emptyMirrorState,
  type GithubMirrorChange,
  type GithubMirrorState,
  type GithubMirrorStore,
} from '../../core/github-mirror.js';
import { rollback } from './postgres-store.js';

export class PostgresGithubMirror implements GithubMirrorStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly projectId: string,
  ) {}

  async read(): Promise<GithubMirrorState> {
    const { rows } = await this.pool.query<{ state: GithubMirrorState }>(
      'SELECT state FROM github_mirrors WHERE project_id = $1',
      [this.projectId],
    );
    return rows[0]?.state ?? emptyMirrorState();
  }

  async write(change: GithubMirrorChange): Promise<GithubMirrorState> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      // The row exists before it is locked, so two first writes do not both insert.
      await client.query(
        'INSERT INTO github_mirrors (project_id, state) VALUES ($1, $2) ON CONFLICT (project_id) DO NOTHING',
        [this.projectId, emptyMirrorState()],
      );
      const { rows } = await client.query<{ state: GithubMirrorState }>(
        'SELECT state FROM github_mirrors WHERE project_id = $1 FOR UPDATE',
        [this.projectId],
      );
      const next = applyMirrorChange(rows[0]?.state ?? emptyMirrorState(), change);
      await client.query('UPDATE github_mirrors SET state = $2 WHERE project_id = $1', [
        this.projectId,
        next,
      ]);
      await client.query('COMMIT');
      return next;
    } catch (error) {
      broken = await rollback(client);
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
