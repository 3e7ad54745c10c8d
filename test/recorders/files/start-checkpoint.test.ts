import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointRecorder } from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo, treeFiles } from './git-repo.js';

let repo: TestRepo;

beforeEach(async () => {
  repo = await makeRepo({
    '.gitignore': '*.log\nbuild/\n',
    'a.txt': 'a\n',
    'b.txt': 'b\n',
    'src/c.ts': 'export const c = 1;\n',
  });
  // A stash from before the session, which must survive it untouched.
  repo.write({ 'a.txt': 'stashed\n' });
  repo.git(['stash', '-q']);
  repo.write({ 'a.txt': 'a staged\n' });
  repo.git(['add', 'a.txt']);
  repo.write({ 'b.txt': 'b unstaged\n', 'new.txt': 'untracked\n', 'dir/new2.txt': 'untracked too\n' });
  repo.write({ 'debug.log': 'ignored\n', 'build/out.js': 'ignored too\n' });
  repo.remove('src/c.ts');
});

afterEach(() => repo.dispose());

function userState() {
  // The index bytes first: nothing below may rewrite them (status runs without optional locks).
  const index = readFileSync(join(repo.path, '.git', 'index'));
  const env = ['-c', 'core.fsmonitor=false'];
  return {
    index,
    head: repo.git(['rev-parse', 'HEAD']),
    branch: repo.git(['symbolic-ref', 'HEAD']),
    status: repo.git([...env, '--no-optional-locks', 'status', '--porcelain', '--untracked-files=all']),
    cached: repo.git(['diff', '--cached']),
    stage: repo.git(['ls-files', '-s']),
    stash: repo.git(['stash', 'list']),
    refs: repo.git([
      'for-each-ref',
      '--format=%(refname) %(objectname)',
      'refs/heads',
      'refs/tags',
      'refs/stash',
    ]),
  };
}

describe('CheckpointRecorder.start', () => {
  it('stores the work tree as it is: staged, unstaged and untracked files, not ignored ones', async () => {
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });
    const checkpoint = await recorder.start();

    expect(treeFiles(repo, checkpoint.commit)).toEqual({
      '.gitignore': '*.log\nbuild/\n',
      'a.txt': 'a staged\n',
      'b.txt': 'b unstaged\n',
      'new.txt': 'untracked\n',
      'dir/new2.txt': 'untracked too\n',
    });
  });

  it('keeps .sdd/local out even where no .gitignore names it (a branch from before sdd init was committed)', async () => {
    repo.write({
      '.sdd/config.json': '{}\n',
      '.sdd/local/db.json': '{"secret":1}\n',
      '.sdd/local/sessions/s/terminal.cast': 'x\n',
    });
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });
    const checkpoint = await recorder.start();

    const files = Object.keys(treeFiles(repo, checkpoint.commit));
    expect(files).toContain('.sdd/config.json');
    expect(files.filter((path) => path.startsWith('.sdd/local'))).toEqual([]);
  });

  it('keeps .sdd/local out where .gitignore names it too, and takes everything else', async () => {
    repo.write({ '.sdd/.gitignore': 'local/\n', '.sdd/config.json': '{}\n', '.sdd/local/db.json': '{}\n' });
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });
    const checkpoint = await recorder.start();

    const files = Object.keys(treeFiles(repo, checkpoint.commit));
    expect(files).toEqual(expect.arrayContaining(['.sdd/.gitignore', '.sdd/config.json', 'new.txt']));
    expect(files.filter((path) => path.startsWith('.sdd/local'))).toEqual([]);
  });

  it('takes the work tree where git warns while adding it (CRLF files under core.autocrlf), .sdd/local ignored', async () => {
    repo.git(['config', 'core.autocrlf', 'input']);
    repo.write({ '.sdd/.gitignore': 'local/\n', '.sdd/local/db.json': '{}\n', 'crlf.txt': 'one\r\ntwo\r\n' });
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });

    const checkpoint = await recorder.start();

    expect(treeFiles(repo, checkpoint.commit)['crlf.txt']).toBe('one\ntwo\n');
    repo.write({ 'crlf.txt': 'three\r\n' });
    const next = await recorder.checkpoint('turn', 'a full look');
    expect(next && treeFiles(repo, next.commit)['crlf.txt']).toBe('three\n');
  });

  it('leaves HEAD, the branch, the index, the status and the stash exactly as they were', async () => {
    repo.git(['update-index', '-q', '--refresh']);
    const before = userState();

    await new CheckpointRecorder({ workTree: repo.path, sessionId: 's1', indexFile: repo.indexFile }).start();

    const after = userState();
    expect(after.index.equals(before.index)).toBe(true);
    expect({ ...after, index: null }).toEqual({ ...before, index: null });
  });

  it('commits on refs/sdd/sessions/<id> with HEAD as parent and the diff from HEAD as its stat', async () => {
    const head = repo.git(['rev-parse', 'HEAD']).trim();
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });
    const checkpoint = await recorder.start('the start');

    expect(recorder.ref).toBe('refs/sdd/sessions/s1');
    expect(repo.git(['rev-parse', 'refs/sdd/sessions/s1']).trim()).toBe(checkpoint.commit);
    expect(checkpoint.parent).toBe(head);
    expect(checkpoint).toMatchObject({ trigger: 'start', message: 'the start', ref: 'refs/sdd/sessions/s1' });
    expect(checkpoint.stat.paths).toEqual([
      { path: 'a.txt', status: 'M' },
      { path: 'b.txt', status: 'M' },
      { path: 'dir/new2.txt', status: 'A' },
      { path: 'new.txt', status: 'A' },
      { path: 'src/c.ts', status: 'D' },
    ]);
    expect(checkpoint.stat).toMatchObject({ files: 5, insertions: 4, deletions: 3 });
  });

  it('makes a start checkpoint even when the work tree is exactly HEAD', async () => {
    const clean = await makeRepo({ 'a.txt': 'a\n' });
    try {
      const recorder = new CheckpointRecorder({
        workTree: clean.path,
        sessionId: 's',
        indexFile: clean.indexFile,
      });
      const checkpoint = await recorder.start();
      expect(checkpoint.tree).toBe(clean.git(['rev-parse', 'HEAD^{tree}']).trim());
      expect(checkpoint.stat.files).toBe(0);
    } finally {
      await clean.dispose();
    }
  });

  it('says when the work tree has been read, before the commit: a change made then is the next checkpoint', async () => {
    const recorder = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 's1',
      indexFile: repo.indexFile,
    });
    let readBeforeCommit = false;
    const checkpoint = await recorder.start('start', () => {
      readBeforeCommit = repo.git(['for-each-ref', 'refs/sdd']) === '';
      // What the program does first, once sdd lets it start.
      repo.write({ 'new.txt': 'changed by the program\n' });
    });
    expect(readBeforeCommit).toBe(true);
    expect(treeFiles(repo, checkpoint.commit)['new.txt']).toBe('untracked\n');
    const next = await recorder.checkpoint('files', 'after', ['new.txt']);
    expect(next && treeFiles(repo, next.commit)['new.txt']).toBe('changed by the program\n');
  });

  it('refuses to start a session whose ref already exists', async () => {
    await new CheckpointRecorder({ workTree: repo.path, sessionId: 's1', indexFile: repo.indexFile }).start();
    const again = new CheckpointRecorder({ workTree: repo.path, sessionId: 's1', indexFile: repo.indexFile });
    await expect(again.start()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('says so when the folder is not in a git repository', async () => {
    const outside = await makeRepo();
    try {
      const folder = join(outside.path, '..');
      const recorder = new CheckpointRecorder({
        workTree: folder,
        sessionId: 's',
        indexFile: outside.indexFile,
      });
      await expect(recorder.start()).rejects.toThrow(/not inside a git work tree/);
    } finally {
      await outside.dispose();
    }
  });
});
