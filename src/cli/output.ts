// What sdd writes for people: text with its control characters made visible, and a standard output
// whose reader may go away (`sdd ready | head -1`) without a stack trace.

import { CONTROL_CHARACTERS as CONTROL } from '../core/titles.js';
import { writesSettled } from '../store/lowdb-store.js';

// CONTROL: what a terminal would act on (colours, cursor moves, a rewritten title bar, a cleared
// screen) instead of showing it.
const HAS_CONTROL = new RegExp(CONTROL.source);

/** `text` with controls shown as \x1b, \x07...: a title or note cannot drive the terminal it is shown on. */
export function escapeControls(text: string): string {
  if (!HAS_CONTROL.test(text)) return text; // the usual case: nothing to do, no copy
  return text
    .replace(/\r\n/g, '\n') // a description pasted from Windows is still just lines
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

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
