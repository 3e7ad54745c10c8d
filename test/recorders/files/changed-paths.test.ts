import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointRecorder } from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo } from './git-repo.js';

let repo: TestRepo;
let recorder: CheckpointRecorder;

beforeEach(async () => {
  repo = await makeRepo({
    '.gitignore': 'node_modules/\n*.log\n',
    'a.txt': 'one\ntwo\n',
    'b.txt': 'b\n',
    'old/gone.txt': 'soon deleted\n',
  });
  recorder = new CheckpointRecorder({ workTree: repo.path, sessionId: 'sess', indexFile: repo.indexFile });
});

afterEach(() => repo.dispose());

describe('checkpoints after the start', () => {
  it('report added, modified and deleted files with their line counts', async () => {
    await recorder.start();
    repo.write({ 'a.txt': 'one\nTWO\nthree\n', 'x/y/z.txt': 'new\n' });
    repo.remove('b.txt');

    const checkpoint = await recorder.checkpoint('files', '3 files', ['a.txt', 'x/y/z.txt', 'b.txt']);

    expect(checkpoint?.stat).toEqual({
      files: 3,
      insertions: 3,
      deletions: 2,
      paths: [
        { path: 'a.txt', status: 'M' },
        { path: 'b.txt', status: 'D' },
        { path: 'x/y/z.txt', status: 'A' },
      ],
    });
  });

  it('chain their parents: start on HEAD, each next one on the one before', async () => {
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const start = await recorder.start();
    repo.write({ 'a.txt': 'changed\n' });
    const second = await recorder.checkpoint('turn', 'turn 1');
    repo.write({ 'b.txt': 'changed\n' });
    const third = await recorder.checkpoint('files', 'burst', ['b.txt']);

    expect(start.parent).toBe(head);
    expect(second?.parent).toBe(start.commit);
    expect(third?.parent).toBe(second?.commit);
    expect(repo.git(['rev-parse', recorder.ref]).trim()).toBe(third?.commit);
  });

  it('are not written when the tree is the previous checkpoint tree', async () => {
    const start = await recorder.start();
    repo.write({ 'a.txt': 'one\ntwo\n' }); // rewritten, same content

    expect(await recorder.checkpoint('files', 'same', ['a.txt'])).toBeNull();
    expect(await recorder.checkpoint('turn', 'same again')).toBeNull();
    expect(repo.git(['rev-parse', recorder.ref]).trim()).toBe(start.commit);
  });

  it('look only at the named paths when given some, at everything otherwise', async () => {
    await recorder.start();
    repo.write({ 'a.txt': 'named\n', 'b.txt': 'not named\n' });

    const named = await recorder.checkpoint('files', 'one path', ['a.txt']);
    expect(named?.stat.paths).toEqual([{ path: 'a.txt', status: 'M' }]);
    const full = await recorder.checkpoint('turn', 'all');
    expect(full?.stat.paths).toEqual([{ path: 'b.txt', status: 'M' }]);
  });

  it('take a deleted folder, a new nested folder and a path with spaces', async () => {
    await recorder.start();
    repo.remove('old');
    repo.write({ 'new dir/with space/file name.txt': 'spaced\n', 'deep/er/still/n.txt': 'n\n' });

    // What a watcher reports: the folders (unlinkDir, addDir) as well as the files.
    const checkpoint = await recorder.checkpoint('files', 'burst', [
      'old',
      'old/gone.txt',
      'new dir',
      'new dir/with space/file name.txt',
      'deep',
      'deep/er/still/n.txt',
    ]);

    expect(checkpoint?.stat.paths).toEqual([
      { path: 'deep/er/still/n.txt', status: 'A' },
      { path: 'new dir/with space/file name.txt', status: 'A' },
      { path: 'old/gone.txt', status: 'D' },
    ]);
  });

  it('skip ignored paths, vanished never-seen paths, paths outside the repository and .git', async () => {
    await recorder.start();
    repo.write({ 'debug.log': 'ignored\n', 'node_modules/p/index.js': 'ignored\n', 'kept.txt': 'kept\n' });

    const checkpoint = await recorder.checkpoint('files', 'burst', [
      'debug.log',
      'node_modules/p/index.js',
      'tmp-created-and-deleted.txt',
      '../outside.txt',
      '.git/index',
      'kept.txt',
    ]);

    expect(checkpoint?.stat.paths).toEqual([{ path: 'kept.txt', status: 'A' }]);
  });

  it('take paths with glob characters literally', async () => {
    await recorder.start();
    repo.write({ 'star*.txt': 'literal\n', 'starry.txt': 'not named\n' });

    const checkpoint = await recorder.checkpoint('files', 'glob', ['star*.txt']);

    expect(checkpoint?.stat.paths).toEqual([{ path: 'star*.txt', status: 'A' }]);
  });

  it('count a binary file as changed with no lines', async () => {
    await recorder.start();
    repo.write({ 'image.bin': Buffer.from([0, 1, 2, 0, 255, 0]) });

    const checkpoint = await recorder.checkpoint('files', 'binary', ['image.bin']);

    expect(checkpoint?.stat).toEqual({
      files: 1,
      insertions: 0,
      deletions: 0,
      paths: [{ path: 'image.bin', status: 'A' }],
    });
  });

  it('take 2000 changed paths at once', async () => {
    await recorder.start();
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`many/d${i % 40}/file-${i}.txt`] = `${i}\n`;
    repo.write(files);

    const checkpoint = await recorder.checkpoint('files', 'many', Object.keys(files));

    expect(checkpoint?.stat.files).toBe(2000);
    const names = repo.git(['ls-tree', '-r', '--name-only', checkpoint!.commit, 'many']).trim().split('\n');
    expect(names).toHaveLength(2000);
  });

  it('accept absolute paths', async () => {
    await recorder.start();
    repo.write({ 'a.txt': 'absolute\n' });

    const checkpoint = await recorder.checkpoint('files', 'abs', [`${repo.path}/a.txt`]);

    expect(checkpoint?.stat.paths).toEqual([{ path: 'a.txt', status: 'M' }]);
  });

  it('run one after another when called together, each on the one before', async () => {
    await recorder.start();
    repo.write({ 'a.txt': 'first\n' });
    const first = recorder.checkpoint('files', 'first', ['a.txt']);
    const second = recorder.checkpoint('manual', 'second');
    const [one, two] = await Promise.all([first, second]);

    expect(one).not.toBeNull();
    expect(two).toBeNull();
  });
});
