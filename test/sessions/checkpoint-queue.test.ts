// CheckpointQueue.startBeside: the program may start once the start checkpoint has read the work tree;
// a failure before that stops the session, one after it is logged and the session goes on.

import { describe, expect, it } from 'vitest';
import type { CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import { CheckpointQueue } from '../../src/sessions/checkpoint-queue.js';
import type { SessionFolder } from '../../src/sessions/session-folder.js';

/** A recorder whose start fails with `message`, after reading the work tree or before. */
function failingRecorder(message: string, afterRead: boolean): CheckpointRecorder {
  return {
    ref: 'refs/sdd/sessions/s1',
    start: async (_message: string, onWorkTreeRead?: () => void) => {
      if (afterRead) onWorkTreeRead?.();
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(message);
    },
  } as unknown as CheckpointRecorder;
}

describe('CheckpointQueue.startBeside', () => {
  it('lets the program start once the work tree is read, and logs a failure after that', async () => {
    const lines: string[] = [];
    const queue = new CheckpointQueue(
      failingRecorder('no space left on device', true),
      {} as SessionFolder,
      () => 0,
      (line) => lines.push(line),
    );
    const start = queue.startBeside('start of session s1');
    await expect(start.workTreeRead).resolves.toBeUndefined();
    await start.done;
    expect(lines).toEqual([
      'sdd: the start checkpoint failed: no space left on device; the session goes on without checkpoints.',
    ]);
  });

  it('rejects before the program starts when the work tree could not be read, and logs nothing', async () => {
    const lines: string[] = [];
    const queue = new CheckpointQueue(
      failingRecorder('not a git repository', false),
      {} as SessionFolder,
      () => 0,
      (line) => lines.push(line),
    );
    const start = queue.startBeside('start of session s1');
    await expect(start.workTreeRead).rejects.toThrow('not a git repository');
    await start.done;
    expect(lines).toEqual([]);
  });

  it('without git there is nothing to read: the program may start at once', async () => {
    const queue = new CheckpointQueue(
      null,
      {} as SessionFolder,
      () => 0,
      () => undefined,
    );
    const start = queue.startBeside('start of session s1');
    await expect(start.workTreeRead).resolves.toBeUndefined();
    await start.done;
  });
});
