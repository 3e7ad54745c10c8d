// A standard output whose reader may go away (`sdd ready | head -1`) without a stack trace.

import { writesSettled } from '../store/lowdb-store.js';

/**
 * A closed standard output ends sdd quietly with exit code 0, as soon as any database write under way
 * has finished (a write is a rename, so it is never half done, but the change must not be lost). 0 and
 * not git's 141 (death by SIGPIPE, which Node ignores): the reader stopped because it had what it
 * wanted, and `set -o pipefail` scripts should not fail for `sdd ready | head -1`.
 */
function endOnClosedOutput(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error; // any other failure to write is a real error, reported as before
  void writesSettled().then(() => process.exit(0));
}

/** A closed standard error leaves nothing to report to: the command ends as it would have. */
function ignoreClosedErrorOutput(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

export function guardOutput(): void {
  process.stdout.on('error', endOnClosedOutput);
  process.stderr.on('error', ignoreClosedErrorOutput);
}

/** For commands that run a session: they deal with a closed terminal or pipe themselves. */
export function unguardOutput(): void {
  process.stdout.off('error', endOnClosedOutput);
  process.stderr.off('error', ignoreClosedErrorOutput);
}
