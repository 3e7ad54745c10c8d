// Opens the team server's store from the command line's words: a data folder of lowdb files (the
// default, zero set-up) or, with --database, PostgreSQL. `sdd server` and `sdd server token` share it.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError, SddError, UnreachableError } from '../core/errors.js';
import type { TeamStore } from '../core/team-store.js';

export interface TeamStoreLocation {
  /** A data folder (lowdb); ignored when `database` is given. */
  data?: string | undefined;
  /** A PostgreSQL URL: postgres://user:password@host:port/database. */
  database?: string | undefined;
}

export interface OpenedTeamStore {
  team: TeamStore;
  /** Where it is, for a person: the folder, or the database URL without its password. */
  where: string;
}

/** `$XDG_DATA_HOME/sdd/server`, else `~/.local/share/sdd/server`. */
export function defaultDataDir(): string {
  const dataHome = process.env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share');
  return join(dataHome, 'sdd', 'server');
}

export async function openTeamStore(location: TeamStoreLocation): Promise<OpenedTeamStore> {
  if (location.data !== undefined && location.database !== undefined) {
    throw new InvalidInputError(
      '--data and --database choose between two stores; give one (--database for PostgreSQL).',
    );
  }
  if (location.database !== undefined) return openPostgres(location.database);
  const folder = resolve(location.data ?? defaultDataDir());
  const { LowdbTeamStore } = await import('../store/lowdb-team-store.js');
  return { team: new LowdbTeamStore(folder), where: `data folder ${folder}` };
}

async function openPostgres(url: string): Promise<OpenedTeamStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(
      `--database "${hidePassword(url)}" is not a URL; give one like postgres://sdd@127.0.0.1:5432/sdd.`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidInputError(
      `--database takes a PostgreSQL URL (postgres://...); got ${parsed.protocol}// (for a folder, use --data).`,
    );
  }
  const where = `PostgreSQL ${hidePassword(url)}`;
  // Loaded only here: the embedded CLI and a lowdb server never load pg.
  const { openPostgresTeamStore } = await import('../store/postgres/postgres-team-store.js');
  try {
    return { team: await openPostgresTeamStore(url), where };
  } catch (error) {
    if (error instanceof SddError) throw error;
    throw new UnreachableError(
      `Could not open ${where}: ${(error as Error).message}. Is PostgreSQL running there, and may this user connect?`,
    );
  }
}

/** A database URL fit to print: the password replaced. */
export function hidePassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
