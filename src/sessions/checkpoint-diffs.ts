// Checkpoints travel with a unified diff for display beside their bundle: checkpoints/N.diff, what
// checkpoint N changed against N-1 (or the session's base for N = 0). It passes the redactor before
// it is kept (a secret in a changed file must not reach the server in the diff), and is cut at a size
// a reader can take, with a line that says so. A teammate's `sdd diff SESSION@N --change` prints it
// without fetching any git object.

import { spawnSync } from 'node:child_process';
import type { CheckpointEvent, SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import { checkpointDiffName, type SessionStore } from '../core/session-store.js';
import { redactText } from '../redact/index.js';
import { hasCommit } from './checkpoint-bundles.js';
import { readSessionEvents } from './stored-files.js';

/** A diff longer than this is cut (at a line end) and says so: the whole change is in the bundle. */
export const MAX_CHECKPOINT_DIFF_BYTES = 1024 * 1024;
/** Read from git at most this much: enough to redact what is kept, without holding a huge change. */
const READ_BYTES = 8 * MAX_CHECKPOINT_DIFF_BYTES;

/** The line a cut diff ends with: where it was cut, and the command that shows the whole change. */
export function cutMarker(kept: number, whole: string): string {
  return `[sdd: this diff is cut after ${kept} bytes; \`${whole}\` shows the whole change, from the checkpoint's objects]\n`;
}

/** The command that diffs checkpoint `index` against the one before from git objects (the bundles). */
function wholeChange(record: SessionRecord, index: number, since: string): string {
  return index === 0
    ? `sdd diff ${since.slice(0, 12)} ${record.id}@0`
    : `sdd diff ${record.id}@${index - 1} ${record.id}@${index}`;
}

/**
 * Makes the diffs of the session's checkpoints that the spool lacks. A checkpoint that changed no
 * file has none (its event says so), nor one whose commits this repository does not have.
 */
export async function makeCheckpointDiffs(
  repo: string,
  store: SessionStore,
  id: string,
  options: { maxBytes?: number } = {},
): Promise<number> {
  const record = await store.get(id);
  const checkpoints = checkpointsOf(await readSessionEvents(store, id));
  const held = new Set((await store.listFiles(id)).map((f) => f.name));
  let made = 0;
  for (const [index, checkpoint] of checkpoints.entries()) {
    const name = checkpointDiffName(index);
    if (held.has(name) || checkpoint.files === 0) continue;
    const text = diffOf(repo, record, checkpoint, checkpoints[index - 1] ?? null, index, options.maxBytes);
    if (text === null || text === '') continue;
    await store.appendFile(id, name, 0, new TextEncoder().encode(text)).catch((error: { code?: string }) => {
      if (error.code !== 'OFFSET_MISMATCH') throw error; // made meanwhile by another upload
    });
    made++;
  }
  return made;
}

function diffOf(
  repo: string,
  record: SessionRecord,
  checkpoint: CheckpointEvent,
  previous: CheckpointEvent | null,
  index: number,
  maxBytes = MAX_CHECKPOINT_DIFF_BYTES,
): string | null {
  if (!hasCommit(repo, checkpoint.commit)) return null;
  const since = previous?.commit ?? record.baseCommit ?? emptyTree(repo);
  if (!since || !hasCommit(repo, since)) return null;
  const result = spawnSync(
    'git',
    ['diff', '--no-color', '--no-ext-diff', '--no-textconv', since, checkpoint.commit, '--'],
    { cwd: repo, maxBuffer: READ_BYTES },
  );
  const stdout = result.stdout ?? Buffer.alloc(0);
  const overflowed = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOBUFS';
  if (result.status !== 0 && !overflowed) return null;
  // Redacted whole before any cut: a secret cut in two could slip past the detectors.
  const redacted = redactText(stdout.toString('utf8'), { secretsFromEnv: process.env }).text;
  return capped(redacted, maxBytes, wholeChange(record, index, since), overflowed);
}

/** The text in at most `maxBytes` (UTF-8), cut at a line end, with the marker when anything was cut. */
export function capped(text: string, maxBytes: number, whole: string, alreadyCut = false): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes && !alreadyCut) return text;
  const head = bytes.subarray(0, Math.min(bytes.length, maxBytes)).toString('utf8');
  const end = head.lastIndexOf('\n');
  const kept = end < 0 ? '' : head.slice(0, end + 1);
  return kept + cutMarker(Buffer.byteLength(kept), whole);
}

/** The empty tree of this repository's hash (a session with no base commit starts from nothing). */
export function emptyTree(repo: string): string | null {
  const made = spawnSync('git', ['hash-object', '-t', 'tree', '--stdin'], { cwd: repo, input: '' });
  return made.status === 0 ? String(made.stdout).trim() : null;
}
