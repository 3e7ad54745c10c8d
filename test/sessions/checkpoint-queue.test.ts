// CheckpointQueue.startBeside: the program may start once the start checkpoint has read the work tree,
// and the rest of it waits until the program has started; a failure before the read stops the session,
// one after it is logged and the session goes on.

import { describe, expect, it } from 'vitest';
import { CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import { CheckpointQueue } from '../../src/sessions/checkpoint-queue.js';
import type { SessionFolder } from '../../src/sessions/session-folder.js';
import { makeRepo, treeFiles } from '../recorders/files/git-repo.js';

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

  it('writes the commit only once told to go on (the program started), or at most 2 s after the read', async () => {
    const repo = await makeRepo({ 'a.txt': 'a\n' });
    try {
      const folder = { appendEvent: async () => {} } as unknown as SessionFolder;
      const ref = (id: string) => `refs/sdd/sessions/${id}`;
      const hasRef = (id: string) => {
        try {
          repo.git(['rev-parse', '--verify', '-q', ref(id)]);
          return true;
        } catch {
          return false;
        }
      };
      const recorder = new CheckpointRecorder({
        workTree: repo.path,
        sessionId: 's1',
        indexFile: repo.indexFile,
      });
      const queue = new CheckpointQueue(
        recorder,
        folder,
        () => 0,
        () => undefined,
      );
      const start = queue.startBeside('start of session s1');
      await start.workTreeRead;
      // The program's first change, made as soon as it may start, is not in the start checkpoint.
      repo.write({ 'b.txt': 'made by the program\n' });
      const waited = await Promise.race([
        start.done.then(() => 'done'),
        new Promise((resolve) => setTimeout(resolve, 400, 'waiting')),
      ]);
      expect(waited).toBe('waiting');
      expect(hasRef('s1')).toBe(false);
      start.goOn();
      await start.done;
      expect(queue.count).toBe(1);
      const tip = repo.git(['rev-parse', ref('s1')]).trim();
      expect(Object.keys(treeFiles(repo, tip))).toEqual(['a.txt']);

      // Never told: it goes on by itself.
      const alone = new CheckpointRecorder({
        workTree: repo.path,
        sessionId: 's2',
        indexFile: `${repo.indexFile}-2`,
      });
      const second = new CheckpointQueue(
        alone,
        folder,
        () => 0,
        () => undefined,
      ).startBeside('start of s2');
      await second.workTreeRead;
      const before = Date.now();
      await second.done;
      expect(Date.now() - before).toBeGreaterThan(1500);
      expect(hasRef('s2')).toBe(true);
    } finally {
      await repo.dispose();
    }
  });
});
