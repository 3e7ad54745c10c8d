// A checkpoint as a line of the session's timeline (events.jsonl).

import type { Checkpoint } from '../../recorders/files/checkpoint-recorder.js';
import type { CheckpointEvent } from '../core/session.js';

export function checkpointEvent(
  checkpoint: Checkpoint,
  time: number,
  at = new Date().toISOString(),
): CheckpointEvent {
  return {
    type: 'checkpoint',
    time,
    at,
    commit: checkpoint.commit,
    trigger: checkpoint.trigger,
    message: checkpoint.message,
    files: checkpoint.stat.files,
    insertions: checkpoint.stat.insertions,
    deletions: checkpoint.stat.deletions,
    paths: checkpoint.stat.paths,
  };
}
