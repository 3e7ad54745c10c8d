// Brings a database's schema up to date at start: node-pg-migrate runs the plain SQL files of
// migrations/ in one transaction, holding its advisory lock, so two servers starting at once migrate once.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const MIGRATIONS_TABLE = 'sdd_migrations';

/** Runs the pending migrations on `client`; returns the names of those it ran (none on a second start). */
export async function migrate(client: pg.ClientBase): Promise<string[]> {
  // Loaded here, not at the top: node-pg-migrate brings a module loader that a lowdb server never needs.
  const { runner } = await import('node-pg-migrate');
  const quiet = () => undefined;
  const ran = await runner({
    dbClient: client,
    dir: migrationsDir(),
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    singleTransaction: true,
    // A second server starting at the same moment waits for the first, then finds nothing to run.
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return ran.map((m) => m.name);
}

/**
 * The SQL files beside this module (src/ under vitest, dist/src/ once built: the build copies them),
 * or, from the esbuild bundle in dist/bundle/, the copy under the package's dist/src/.
 */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'migrations');
  if (existsSync(beside)) return beside;
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    const built = join(dir, 'dist', 'src', 'store', 'postgres', 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(built)) return built;
  }
  throw new Error(
    `sdd's PostgreSQL migrations are missing (looked beside ${here}): rebuild sdd with \`npm run build\`.`,
  );
}
