// What one checkpoint changed (SESSION@N against N-1, or against the session's base for N = 0), for
// `sdd diff SESSION@N --change`. In the clone that recorded it, git tells; in a teammate's clone that
// lacks the checkpoint's objects, the diff the team server keeps is printed, and no object fetched.

import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import { checkpointDiffName, type SessionStore } from '../core/session-store.js';
import { resolveCheckpoint } from './checkpoint-address.js';
import { hasCommit } from './checkpoint-bundles.js';
import { readSessionEvents, readSessionText } from './stored-files.js';

export interface CheckpointChange {
  session: SessionRecord;
  index: number;
  /** The checkpoint before, or the base commit (null: the session had none). */
  from: string | null;
  to: string;
  /** Where the diff came from: this clone's git, or the copy kept with the session (redacted, maybe cut). */
  origin: 'git' | 'stored';
}

/**
 * Names the change of SESSION@N and says whether the kept diff can show it: when this clone lacks
 * the checkpoint and `needsObjects` is false. Otherwise the objects are fetched (resolveCheckpoint).
 */
export async function checkpointChange(
  sessions: SessionStore,
  projectRoot: string,
  spec: string,
  needsObjects: boolean,
): Promise<CheckpointChange & { stored: string | null }> {
  const at = spec.lastIndexOf('@');
  if (at <= 0) {
    throw new InvalidInputError(`--change shows what one checkpoint changed: give SESSION@N, not "${spec}".`);
  }
  const session = await sessions.get(spec.slice(0, at));
  const checkpoints = checkpointsOf(await readSessionEvents(sessions, session.id));
  const number = Number(spec.slice(at + 1));
  const index = number < 0 ? checkpoints.length + number : number;
  const event = Number.isInteger(number) ? checkpoints[index] : undefined;
  if (!event) {
    // the same words as for any checkpoint that is not there
    await resolveCheckpoint(sessions, projectRoot, spec);
    throw new NotFoundError(`Session ${session.id} has no checkpoint ${spec.slice(at + 1)}.`);
  }
  const from = checkpoints[index - 1]?.commit ?? session.baseCommit;
  const change = { session, index, from, to: event.commit };
  if (!needsObjects && !hasCommit(projectRoot, event.commit)) {
    const stored = await readSessionText(sessions, session.id, checkpointDiffName(index));
    if (stored !== null) return { ...change, origin: 'stored', stored };
    if (event.files === 0) return { ...change, origin: 'stored', stored: '' }; // nothing changed: nothing kept
  }
  await resolveCheckpoint(sessions, projectRoot, `${session.id}@${index}`); // fetches what is missing
  return { ...change, origin: 'git', stored: null };
}
