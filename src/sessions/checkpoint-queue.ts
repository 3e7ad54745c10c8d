// A session's checkpoints, one after another (a burst during a slow checkpoint waits for it), each
// counted and logged in the session's timeline. A failed one is reported and the queue goes on.

import {
  type Checkpoint,
  CheckpointRecorder,
  type CheckpointTrigger,
} from '../../recorders/files/checkpoint-recorder.js';
import { checkpointEvent } from './checkpoint-event.js';
import type { SessionFolder } from './session-folder.js';

/** The longest the start checkpoint's commit waits for the program to be started (see startBeside). */
const GO_ON_MS = 2000;

export class CheckpointQueue {
  private queue: Promise<unknown> = Promise.resolve();
  private taken = 0;

  /** A queue that takes none (the work tree is not in git) is still a queue: checkpoint() gives null. */
  constructor(
    private readonly recorder: CheckpointRecorder | null,
    private readonly folder: SessionFolder,
    private readonly time: () => number,
    private readonly log: (line: string) => void,
  ) {}

  static forSession(
    options: {
      workTree: string;
      sessionId: string;
      folder: SessionFolder;
      inGit: boolean;
      /** HEAD as the session read it: its start checkpoint's parent (see CheckpointRecorderOptions). */
      head?: string | null;
    },
    time: () => number,
    log: (line: string) => void,
  ): CheckpointQueue {
    const recorder = options.inGit
      ? new CheckpointRecorder({
          workTree: options.workTree,
          sessionId: options.sessionId,
          indexFile: options.folder.gitIndexPath,
          ...(options.head !== undefined && { head: options.head }),
        })
      : null;
    return new CheckpointQueue(recorder, options.folder, time, log);
  }

  get enabled(): boolean {
    return this.recorder !== null;
  }

  /** Checkpoints taken and logged so far. */
  get count(): number {
    return this.taken;
  }

  /** The ref the checkpoints go to, or null without git. */
  get ref(): string | null {
    return this.recorder?.ref ?? null;
  }

  /**
   * The first checkpoint: the work tree as the session found it. Its ref, or null without git.
   * `onWorkTreeRead` is called once the work tree has been read: the program may start then, while git
   * writes the tree and the commit.
   */
  async start(message: string, onWorkTreeRead?: () => void | Promise<void>): Promise<string | null> {
    if (!this.recorder) {
      onWorkTreeRead?.();
      return null;
    }
    await this.logged(await this.recorder.start(message, onWorkTreeRead));
    return this.recorder.ref;
  }

  /**
   * Starts the first checkpoint so that the program need not wait for all of it: `workTreeRead`
   * resolves once git has read the work tree (the program's changes can no longer reach it), or rejects
   * with what failed before that; `done` resolves once the tree, commit and ref are written. Those wait
   * for `goOn()` (the program started: its start is not slowed by git processes it need not wait for),
   * and at most GO_ON_MS. A failure after the work tree was read is logged: the session goes on,
   * without checkpoints.
   */
  startBeside(message: string): { workTreeRead: Promise<void>; done: Promise<void>; goOn(): void } {
    let wasRead = false;
    let markRead: () => void = () => undefined;
    const read = new Promise<void>((resolve) => {
      markRead = resolve;
    });
    let goOn: () => void = () => undefined;
    const mayGoOn = new Promise<void>((resolve) => {
      goOn = resolve;
    });
    const starting = this.start(message, () => {
      wasRead = true;
      markRead();
      const bound = setTimeout(goOn, GO_ON_MS);
      bound.unref();
      return mayGoOn.finally(() => clearTimeout(bound));
    });
    const done = starting.then(
      () => undefined,
      (error: Error) => {
        if (wasRead) {
          this.log(
            `sdd: the start checkpoint failed: ${error.message}; the session goes on without checkpoints.`,
          );
        }
      },
    );
    return { workTreeRead: Promise.race([read, starting.then(() => undefined)]), done, goOn };
  }

  /**
   * Queues a checkpoint; the promise says how this one went (callers that do not wait may ignore it).
   * A failure is logged, unless the caller reports it itself (`quiet`).
   */
  checkpoint(
    trigger: CheckpointTrigger,
    message: string,
    options: { paths?: string[]; quiet?: boolean } = {},
  ): Promise<Checkpoint | null> {
    const recorder = this.recorder;
    const next = this.queue.then(async () =>
      recorder ? this.logged(await recorder.checkpoint(trigger, message, options.paths)) : null,
    );
    this.queue = next.catch((error: Error) => {
      if (!options.quiet) this.log(`sdd: checkpoint failed: ${error.message}`);
    });
    return next;
  }

  /** Resolves once every queued checkpoint is done (failed ones included). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async logged(checkpoint: Checkpoint | null): Promise<Checkpoint | null> {
    if (!checkpoint) return null;
    this.taken++;
    await this.folder.appendEvent(checkpointEvent(checkpoint, this.time()));
    return checkpoint;
  }
}
