// The file recorder of a session: checkpoints of the work tree as commits on refs/sdd/sessions/<id>,
// and (re-exported here) reading them back, diffing and restoring them.

import { CheckpointChain } from './checkpoint-chain.js';
import type { Checkpoint, CheckpointTrigger } from './checkpoint-types.js';
import { sessionRef } from './refs.js';

export { diffCheckpoints } from './checkpoint-diff.js';
export { listCheckpoints, resolveCheckpointRef } from './checkpoint-log.js';
export type {
  Checkpoint,
  CheckpointEntry,
  CheckpointPathStatus,
  CheckpointStat,
  CheckpointTrigger,
} from './checkpoint-types.js';
export { sessionRef } from './refs.js';
export { restoreCheckpoint } from './restore.js';

export interface CheckpointRecorderOptions {
  /** The session's folder in the repository; checkpoints cover the repository's whole work tree. */
  workTree: string;
  sessionId: string;
  /** The private index (`<session folder>/git-index`). */
  indexFile: string;
  /** HEAD as the caller read it (null: no commit yet), the start checkpoint's parent; else read at start. */
  head?: string | null;
}

export class CheckpointRecorder {
  readonly ref: string;
  private readonly chain: CheckpointChain;

  constructor(options: CheckpointRecorderOptions) {
    this.ref = sessionRef(options.sessionId);
    this.chain = new CheckpointChain({
      workTree: options.workTree,
      ref: this.ref,
      indexFile: options.indexFile,
      ...(options.head !== undefined && { head: options.head }),
    });
  }

  /** Continues a session's existing ref from its tip (`sdd checkpoint` from another process, recovery). */
  static async resume(options: CheckpointRecorderOptions): Promise<CheckpointRecorder> {
    const recorder = new CheckpointRecorder(options);
    await recorder.chain.continue();
    return recorder;
  }

  /**
   * The session's first checkpoint, on top of HEAD; always written, even when nothing differs from HEAD.
   * `onWorkTreeRead` is called as soon as later changes to the work tree can no longer reach it; the
   * rest (tree, commit, ref) waits for the promise it returns, if any.
   */
  start(message = 'start of session', onWorkTreeRead?: () => void | Promise<void>): Promise<Checkpoint> {
    return this.chain.begin('start', message, onWorkTreeRead);
  }

  /**
   * A checkpoint of the work tree, or null when nothing changed since the previous one. `changedPaths`
   * (relative to the work tree, or absolute), when given, limits the look to those paths.
   */
  checkpoint(
    trigger: CheckpointTrigger,
    message: string,
    changedPaths?: string[],
  ): Promise<Checkpoint | null> {
    return this.chain.checkpoint(trigger, message, changedPaths);
  }
}
