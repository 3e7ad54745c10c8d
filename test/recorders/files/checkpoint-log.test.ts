import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  CheckpointRecorder,
  diffCheckpoints,
  listCheckpoints,
  resolveCheckpointRef,
} from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo } from './git-repo.js';

let repo: TestRepo;
let checkpoints: Checkpoint[];

beforeEach(async () => {
  repo = await makeRepo({ 'a.txt': 'one\n', 'b.txt': 'b\n' });
  const recorder = new CheckpointRecorder({
    workTree: repo.path,
    sessionId: 'log',
    indexFile: repo.indexFile,
  });
  const start = await recorder.start('session begins');
  repo.write({ 'a.txt': 'one\ntwo\n' });
  const second = await recorder.checkpoint('files', 'a grows', ['a.txt']);
  repo.write({ 'c.txt': 'c\n' });
  const third = await recorder.checkpoint('turn', 'agent turn ended');
  checkpoints = [start, second!, third!];
});

afterEach(() => repo.dispose());

describe('listCheckpoints', () => {
  it('lists a session oldest first, down to and without its base commit', async () => {
    const list = await listCheckpoints(repo.path, 'log');

    expect(list.map((c) => c.commit)).toEqual(checkpoints.map((c) => c.commit));
    expect(list.map((c) => [c.trigger, c.message])).toEqual([
      ['start', 'session begins'],
      ['files', 'a grows'],
      ['turn', 'agent turn ended'],
    ]);
    expect(list[0]?.parent).toBe(repo.git(['rev-parse', 'HEAD']).trim());
    expect(list.map((c) => c.createdAt)).toEqual(checkpoints.map((c) => c.createdAt));
  });

  it('stops at the base even after the user committed and moved HEAD', async () => {
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '-m', 'user commit']);

    expect(await listCheckpoints(repo.path, 'log')).toHaveLength(3);
  });

  it('gives nothing for a session without checkpoints', async () => {
    expect(await listCheckpoints(repo.path, 'no-such-session')).toEqual([]);
  });
});

describe('diffCheckpoints', () => {
  it('diffs two checkpoints as a unified diff without colour', async () => {
    const diff = await diffCheckpoints(repo.path, checkpoints[0]!.commit, checkpoints[1]!.commit);

    expect(diff).toContain('diff --git a/a.txt b/a.txt');
    expect(diff).toContain('+two');
    expect(diff).not.toContain('\x1b[');
  });

  it('diffs a checkpoint against the work tree now, new files included', async () => {
    repo.write({ 'untracked.txt': 'fresh\n', 'b.txt': 'b edited\n' });

    const diff = await diffCheckpoints(repo.path, checkpoints[2]!.commit);

    expect(diff).toContain('diff --git a/untracked.txt b/untracked.txt');
    expect(diff).toContain('+b edited');
  });

  it('gives a diffstat and keeps to the named paths', async () => {
    const stat = await diffCheckpoints(repo.path, checkpoints[0]!.commit, checkpoints[2]!.commit, {
      stat: true,
      paths: ['c.txt'],
    });

    expect(stat).toContain('c.txt');
    expect(stat).not.toContain('a.txt');
    expect(stat).toContain('1 file changed, 1 insertion(+)');
  });
});

describe('resolveCheckpointRef', () => {
  it('takes a full or abbreviated commit id', async () => {
    const commit = checkpoints[1]!.commit;
    expect(await resolveCheckpointRef(repo.path, commit)).toBe(commit);
    expect(await resolveCheckpointRef(repo.path, commit.slice(0, 8))).toBe(commit);
  });

  it('takes SESSION (the latest) and SESSION~N (N before the latest)', async () => {
    expect(await resolveCheckpointRef(repo.path, 'log')).toBe(checkpoints[2]!.commit);
    expect(await resolveCheckpointRef(repo.path, 'log~1')).toBe(checkpoints[1]!.commit);
    expect(await resolveCheckpointRef(repo.path, 'log~2')).toBe(checkpoints[0]!.commit);
  });

  it('says how many checkpoints a session has when N is too far back', async () => {
    await expect(resolveCheckpointRef(repo.path, 'log~3')).rejects.toThrow(/has 3 checkpoint/);
  });

  it('reports an unknown name as not found and an option-like one as bad input', async () => {
    await expect(resolveCheckpointRef(repo.path, 'deadbeef')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(resolveCheckpointRef(repo.path, '--all')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
