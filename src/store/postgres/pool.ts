// The connection pool to a team server's PostgreSQL, and the errors a person sees when it cannot be
// reached: the host and database named, never the password of the URL.

import pg from 'pg';
import { InvalidInputError, UnreachableError } from '../../core/errors.js';

export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'sdd',
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server dropped emits 'error' on the pool; without a listener that would
  // end the process. The next query gets a fresh connection, or reports the failure itself.
  pool.on('error', () => undefined);
  return pool;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

/** The first connection's failure, as an error that says which server and what to check. */
export function connectionError(url: string, error: unknown): Error {
  const where = describeUrl(url);
  const code = (error as { code?: string }).code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  if (UNREACHABLE_CODES.has(code) || /timeout/i.test(reason)) {
    return new UnreachableError(
      `Could not reach PostgreSQL at ${where} (${code || reason}): is it running, and is --database right?`,
    );
  }
  return new InvalidInputError(
    `PostgreSQL at ${where} refused sdd: ${reason}. Check the user, password and database of --database.`,
  );
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the --database URL';
  }
}
