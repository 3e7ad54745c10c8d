import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  CheckpointRecorder,
  listCheckpoints,
  restoreCheckpoint,
} from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo, treeFiles } from './git-repo.js';

let repo: TestRepo;
let start: Checkpoint;
let head: string;

// A session that modified a.txt, added new.txt and deleted b.txt; the user then committed all of it,
// so the work tree is clean and differs from the start checkpoint.
beforeEach(async () => {
  repo = await makeRepo({
    '.gitignore': '*.log\n',
    'a.txt': 'original\n',
    'b.txt': 'b\n',
    'gone/deep.txt': 'deep\n',
  });
  repo.write({ 'debug.log': 'ignored, keep me\n' });
  const recorder = new CheckpointRecorder({ workTree: repo.path, sessionId: 'r', indexFile: repo.indexFile });
  start = await recorder.start();
  repo.write({ 'a.txt': 'modified\n', 'new/new.txt': 'new\n', 'gone/ignored.log': 'ignored in a folder\n' });
  repo.remove('b.txt', 'gone/deep.txt');
  await recorder.checkpoint('turn', 'agent work');
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '-m', 'agent work committed']);
  head = repo.git(['rev-parse', 'HEAD']).trim();
});

afterEach(() => repo.dispose());

describe('restoreCheckpoint', () => {
  it('refuses a work tree with uncommitted changes, touching nothing', async () => {
    repo.write({ 'a.txt': 'dirty\n' });

    await expect(restoreCheckpoint(repo.path, start.commit, {})).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/commit or stash .* --force/),
    });
    expect(repo.read('a.txt')).toBe('dirty\n');
    expect(repo.git(['for-each-ref', 'refs/sdd/safety'])).toBe('');
  });

  it('refuses a work tree with an untracked file', async () => {
    repo.write({ 'stray.txt': 'untracked\n' });

    await expect(restoreCheckpoint(repo.path, start.commit, {})).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('brings back modified and deleted files and removes added ones', async () => {
    const result = await restoreCheckpoint(repo.path, start.commit, {});

    expect(repo.read('a.txt')).toBe('original\n');
    expect(repo.read('b.txt')).toBe('b\n');
    expect(repo.read('gone/deep.txt')).toBe('deep\n');
    expect(existsSync(join(repo.path, 'new'))).toBe(false);
    expect(result.restoredPaths).toBe(4);
  });

  it('leaves HEAD, the branch, the index and ignored files where they were', async () => {
    const index = readFileSync(join(repo.path, '.git', 'index'));

    await restoreCheckpoint(repo.path, start.commit, {});

    expect(repo.git(['rev-parse', 'HEAD']).trim()).toBe(head);
    expect(repo.git(['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/main');
    expect(readFileSync(join(repo.path, '.git', 'index')).equals(index)).toBe(true);
    expect(repo.read('debug.log')).toBe('ignored, keep me\n');
    expect(repo.read('gone/ignored.log')).toBe('ignored in a folder\n');
  });

  it('takes a safety checkpoint of the state before, on its own ref outside a session', async () => {
    const result = await restoreCheckpoint(repo.path, start.commit, {});

    expect(result.safety?.trigger).toBe('safety');
    expect(result.safety?.ref).toMatch(/^refs\/sdd\/safety\//);
    expect(result.safety?.tree).toBe(repo.git(['rev-parse', `${head}^{tree}`]).trim());
    expect(repo.git(['rev-parse', result.safety!.ref]).trim()).toBe(result.safety?.commit);
  });

  it('takes the safety checkpoint on the session ref when given one', async () => {
    repo.write({ 'a.txt': 'after the session\n' });
    repo.git(['commit', '-q', '-am', 'more']);

    const result = await restoreCheckpoint(repo.path, start.commit, {
      sessionIdForSafety: 'r',
      indexFile: repo.indexFile,
    });

    const list = await listCheckpoints(repo.path, 'r');
    expect(list.at(-1)?.commit).toBe(result.safety?.commit);
    expect(list.at(-1)?.trigger).toBe('safety');
    expect(treeFiles(repo, result.safety!.commit)['a.txt']).toBe('after the session\n');
    expect(repo.read('a.txt')).toBe('original\n');
  });

  it('with force, keeps the uncommitted state in the safety checkpoint, and restoring that gives it back', async () => {
    repo.write({ 'a.txt': 'uncommitted edit\n', 'draft.txt': 'untracked draft\n' });

    const result = await restoreCheckpoint(repo.path, start.commit, { force: true });
    expect(repo.read('a.txt')).toBe('original\n');
    expect(existsSync(join(repo.path, 'draft.txt'))).toBe(false);

    await restoreCheckpoint(repo.path, result.safety!.commit, { force: true });
    expect(repo.read('a.txt')).toBe('uncommitted edit\n');
    expect(repo.read('draft.txt')).toBe('untracked draft\n');
    expect(existsSync(join(repo.path, 'b.txt'))).toBe(false);
  });

  it('says so when the checkpoint does not exist', async () => {
    await expect(restoreCheckpoint(repo.path, 'f'.repeat(40), {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
