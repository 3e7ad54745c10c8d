import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointRecorder, listCheckpoints } from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo, treeFiles } from './git-repo.js';

const repos: TestRepo[] = [];
async function repoWith(files: Record<string, string>, options?: { commit?: boolean }) {
  const repo = await makeRepo(files, options);
  repos.push(repo);
  return repo;
}

afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

describe('checkpoints in a session that runs in a subfolder', () => {
  it('cover the whole work tree, and take changed paths relative to the subfolder', async () => {
    const repo = await repoWith({ 'root.txt': 'root\n', 'pkg/app/local.txt': 'local\n' });
    const recorder = new CheckpointRecorder({
      workTree: join(repo.path, 'pkg', 'app'),
      sessionId: 'sub',
      indexFile: repo.indexFile,
    });
    await recorder.start();
    repo.write({ 'root.txt': 'root changed\n', 'pkg/app/local.txt': 'local changed\n' });

    const named = await recorder.checkpoint('files', 'local', ['local.txt']);
    expect(named?.stat.paths).toEqual([{ path: 'pkg/app/local.txt', status: 'M' }]);
    const full = await recorder.checkpoint('turn', 'all');
    expect(full?.stat.paths).toEqual([{ path: 'root.txt', status: 'M' }]);
    expect(treeFiles(repo, full!.commit)).toEqual({
      'root.txt': 'root changed\n',
      'pkg/app/local.txt': 'local changed\n',
    });
  });
});

describe('checkpoints in a `git worktree` checkout', () => {
  it('start on the checkout HEAD, record its files and leave the main checkout alone', async () => {
    const repo = await repoWith({ 'a.txt': 'main\n' });
    const worktree = join(repo.path, '..', 'wt');
    repo.git(['worktree', 'add', '-q', '-b', 'feature', worktree]);
    repo.git(['commit', '-q', '--allow-empty', '-m', 'on feature'], worktree);
    repo.write({ 'a.txt': 'main, uncommitted\n' });
    const mainIndex = readFileSync(join(repo.path, '.git', 'index'));
    const worktreeIndex = readFileSync(join(repo.path, '.git', 'worktrees', 'wt', 'index'));

    const recorder = new CheckpointRecorder({
      workTree: worktree,
      sessionId: 'wt',
      indexFile: repo.indexFile,
    });
    const start = await recorder.start();
    expect(start.parent).toBe(repo.git(['rev-parse', 'HEAD'], worktree).trim());
    expect(start.stat.files).toBe(0);

    repo.write({ '../wt/a.txt': 'feature work\n', '../wt/new.txt': 'new\n' });
    const next = await recorder.checkpoint('files', 'work', ['a.txt', 'new.txt']);
    expect(treeFiles(repo, next!.commit)).toEqual({ 'a.txt': 'feature work\n', 'new.txt': 'new\n' });

    expect(readFileSync(join(repo.path, '.git', 'index')).equals(mainIndex)).toBe(true);
    expect(readFileSync(join(repo.path, '.git', 'worktrees', 'wt', 'index')).equals(worktreeIndex)).toBe(
      true,
    );
    expect(repo.read('a.txt')).toBe('main, uncommitted\n');
    // Refs are shared: the main checkout sees the session too.
    expect(repo.git(['rev-parse', 'refs/sdd/sessions/wt']).trim()).toBe(next!.commit);
  });
});

describe('checkpoints in a repository without commits', () => {
  it('start with no parent and list down to the root', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: false });
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 'empty',
      indexFile: repo.indexFile,
    });

    const start = await recorder.start();
    expect(start.parent).toBeNull();
    expect(start.stat.paths).toEqual([
      { path: 'a.txt', status: 'A' },
      { path: 'b.txt', status: 'A' },
    ]);
    repo.write({ 'c.txt': 'c\n' });
    const next = await recorder.checkpoint('files', 'c', ['c.txt']);
    expect(next?.parent).toBe(start.commit);

    const list = await listCheckpoints(repo.path, 'empty');
    expect(list.map((c) => c.commit)).toEqual([start.commit, next!.commit]);
    expect(repo.git(['status', '--porcelain'])).toBe('?? a.txt\n?? b.txt\n?? c.txt\n');
  });

  it('start on an empty folder with an empty tree', async () => {
    const repo = await repoWith({}, { commit: false });
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 'void',
      indexFile: repo.indexFile,
    });

    const start = await recorder.start();

    expect(start.stat.files).toBe(0);
    expect(repo.git(['ls-tree', start.commit])).toBe('');
  });
});

describe('checkpoints in a SHA-256 repository', () => {
  it('hash named files with the repository hash', async () => {
    const repo = await repoWith({}, { commit: false });
    repo.remove('.git');
    repo.git(['init', '-q', '--object-format=sha256']);
    repo.write({ 'a.txt': 'a\n' });
    repo.git(['add', '-A']);
    repo.git(['-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'one']);
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's256',
      indexFile: repo.indexFile,
    });
    await recorder.start();
    repo.write({ 'a.txt': 'changed\n', 'b.txt': 'new\n' });

    const checkpoint = await recorder.checkpoint('files', 'named', ['a.txt', 'b.txt']);

    expect(checkpoint?.commit).toHaveLength(64);
    expect(treeFiles(repo, checkpoint!.commit)).toEqual({ 'a.txt': 'changed\n', 'b.txt': 'new\n' });
    expect(await recorder.checkpoint('turn', 'full')).toBeNull();
  });
});

describe('CheckpointRecorder.resume', () => {
  it('continues the ref from its tip and looks at the whole work tree first', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const options = { workTree: repo.path, sessionId: 'r', indexFile: repo.indexFile };
    const start = await new CheckpointRecorder(options).start();
    // Changed while no recorder watched (a crash): a resumed recorder must not miss it.
    repo.write({ 'b.txt': 'changed unseen\n', 'a.txt': 'changed and reported\n' });

    const resumed = await CheckpointRecorder.resume(options);
    const next = await resumed.checkpoint('exit', 'final', ['a.txt']);

    expect(next?.parent).toBe(start.commit);
    expect(next?.stat.paths.map((p) => p.path)).toEqual(['a.txt', 'b.txt']);
  });

  it('works without the private index (another process, a lost session folder)', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const start = await new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 'r',
      indexFile: repo.indexFile,
    }).start();
    repo.write({ 'n.txt': 'n\n' });

    const resumed = await CheckpointRecorder.resume({
      workTree: repo.path,
      sessionId: 'r',
      indexFile: join(repo.indexFile, '..', 'other-index'),
    });
    const next = await resumed.checkpoint('manual', 'from elsewhere');

    expect(next?.parent).toBe(start.commit);
    expect(next?.stat.paths).toEqual([{ path: 'n.txt', status: 'A' }]);
  });

  it('lets two recorders of one session append without losing each other', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const options = { workTree: repo.path, sessionId: 'two', indexFile: repo.indexFile };
    const live = new CheckpointRecorder(options);
    await live.start();
    const other = await CheckpointRecorder.resume({
      ...options,
      indexFile: join(repo.indexFile, '..', 'other'),
    });
    repo.write({ 'b.txt': 'b\n' });
    const manual = await other.checkpoint('manual', 'from the CLI');
    repo.write({ 'c.txt': 'c\n' });

    const burst = await live.checkpoint('files', 'burst', ['c.txt']);

    expect(burst?.parent).toBe(manual?.commit);
    expect(Object.keys(treeFiles(repo, burst!.commit)).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('says so when the session has no checkpoints', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    await expect(
      CheckpointRecorder.resume({ workTree: repo.path, sessionId: 'nope', indexFile: repo.indexFile }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
