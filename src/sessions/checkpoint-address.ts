// Names for checkpoints that people can type: SESSION@N (the N-th checkpoint of a session, 0 is its
// start, -1 its last), or a commit id (or its first few characters).

import { spawnSync } from 'node:child_process';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { CheckpointEvent, SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import type { SessionStore } from '../core/session-store.js';
import { fetchCheckpoints, hasCommit } from './checkpoint-bundles.js';
import type { SessionFolder } from './session-folder.js';
import { readSessionEvents } from './stored-files.js';

export interface ResolvedCheckpoint {
  commit: string;
  session: SessionRecord | null;
  /** Its place in the session, when known. */
  index: number | null;
  event: CheckpointEvent | null;
}

export async function checkpointEvents(folder: SessionFolder): Promise<CheckpointEvent[]> {
  return checkpointsOf(await folder.readEvents());
}

/** A session's checkpoint (its record and events read through `sessions`), or a commit of the repository at `projectRoot`. */
export async function resolveCheckpoint(
  sessions: SessionStore,
  projectRoot: string,
  spec: string,
): Promise<ResolvedCheckpoint> {
  const at = spec.lastIndexOf('@');
  if (at > 0) {
    const session = await sessions.get(spec.slice(0, at));
    const number = Number(spec.slice(at + 1));
    const events = checkpointsOf(await readSessionEvents(sessions, session.id));
    if (!Number.isInteger(number))
      throw new InvalidInputError(
        `"${spec}": after @ comes a checkpoint number (0 is the start, -1 the last).`,
      );
    const index = number < 0 ? events.length + number : number;
    const event = events[index];
    if (!event) {
      throw new NotFoundError(
        `Session ${session.id} has ${events.length} checkpoint(s), numbered 0 to ${events.length - 1}; there is no ${number}.`,
      );
    }
    // A session recorded in another clone: its checkpoints come from the team server's bundles.
    if (!hasCommit(projectRoot, event.commit)) await fetchCheckpoints(projectRoot, sessions, session, index);
    return { commit: event.commit, session, index, event };
  }
  if (!/^[0-9a-f]{4,40}$/i.test(spec)) {
    throw new InvalidInputError(
      `"${spec}" is not a checkpoint: use SESSION@N (e.g. ${'20261124-130512-a3f9'}@2) or a commit id.`,
    );
  }
  const result = spawnSync('git', ['rev-parse', '--verify', '-q', `${spec}^{commit}`], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new NotFoundError(`No commit "${spec}" in this repository.`);
  return { commit: result.stdout.trim(), session: null, index: null, event: null };
}
