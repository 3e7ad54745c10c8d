// A project's context documents on PostgreSQL: one row per version. A put reads the latest version
// and inserts the next; when another server inserted that version first, the primary key refuses
// the second insert and the put answers as if it had come second (unchanged, or a conflict).

import type pg from 'pg';
import {
  type ContextLog,
  type ContextVersion,
  type ContextVersionInfo,
  checkBasedOn,
  checkContextName,
  checkContextText,
  checkVersion,
  contextNotFound,
  nextContextVersion,
  type PutContextResult,
} from '../../core/context-log.js';

interface VersionRow {
  name: string;
  version: number;
  text: string;
  author: string;
  at: string;
}

const COLUMNS = 'name, version, text, author, sdd_iso(at) AS at';
const INFO_COLUMNS = 'name, version, author, sdd_iso(at) AS at';

export class PostgresContextLog implements ContextLog {
  constructor(
    private readonly pool: pg.Pool,
    readonly projectId: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async listContext(): Promise<ContextVersion[]> {
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT DISTINCT ON (name) ${COLUMNS} FROM context_versions WHERE project_id = $1
       ORDER BY name, version DESC`,
      [this.projectId],
    );
    return rows.map(versionOf);
  }

  async getContext(name: string, version?: number): Promise<ContextVersion> {
    checkContextName(name);
    if (version !== undefined) checkVersion(version);
    const { rows } =
      version === undefined
        ? await this.pool.query<VersionRow>(
            `SELECT ${COLUMNS} FROM context_versions WHERE project_id = $1 AND name = $2
             ORDER BY version DESC LIMIT 1`,
            [this.projectId, name],
          )
        : await this.pool.query<VersionRow>(
            `SELECT ${COLUMNS} FROM context_versions WHERE project_id = $1 AND name = $2 AND version = $3`,
            [this.projectId, name, version],
          );
    if (!rows[0]) throw contextNotFound(name, version);
    return versionOf(rows[0]);
  }

  async contextHistory(name: string): Promise<ContextVersionInfo[]> {
    checkContextName(name);
    const { rows } = await this.pool.query<Omit<VersionRow, 'text'>>(
      `SELECT ${INFO_COLUMNS} FROM context_versions WHERE project_id = $1 AND name = $2 ORDER BY version`,
      [this.projectId, name],
    );
    if (rows.length === 0) throw contextNotFound(name);
    return rows.map((row) => ({
      name: row.name,
      version: Number(row.version),
      author: row.author,
      at: row.at,
    }));
  }

  async putContext(name: string, text: string, actor: string, basedOn: number): Promise<PutContextResult> {
    checkContextName(name);
    checkContextText(name, text);
    checkBasedOn(basedOn);
    // Twice at most: a second round only ever finds the version that won the race.
    for (let round = 0; round < 2; round++) {
      const latest = await this.getContext(name).catch((error: { code?: string }) => {
        if (error.code === 'NOT_FOUND') return null;
        throw error;
      });
      const result = nextContextVersion(
        latest ? [latest] : [],
        name,
        text,
        actor,
        basedOn,
        this.clock().toISOString(),
      );
      if (!result.created) return result;
      const { version } = result;
      const { rowCount } = await this.pool.query(
        `INSERT INTO context_versions (project_id, name, version, text, author, at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [this.projectId, name, version.version, version.text, version.author, version.at],
      );
      if (rowCount === 1) return result;
    }
    throw new Error(`context "${name}": version ${basedOn + 1} was taken, yet no newer version is there`);
  }
}

function versionOf(row: VersionRow): ContextVersion {
  return { name: row.name, version: Number(row.version), text: row.text, author: row.author, at: row.at };
}
