import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointRecorder } from '../../../recorders/files/checkpoint-recorder.js';
import { makeRepo, type TestRepo, treeFiles } from './git-repo.js';

// Checkpoints of named paths go without the index when they can, and through it when they must; these
// check both ways give the tree a full `add -A` would.
let repo: TestRepo;
let recorder: CheckpointRecorder;

beforeEach(async () => {
  repo = await makeRepo({
    '.gitignore': 'dist/\n',
    'a.txt': 'a\n',
    'src/one.ts': '1\n',
    'src/two.ts': '2\n',
  });
  recorder = new CheckpointRecorder({ workTree: repo.path, sessionId: 'n', indexFile: repo.indexFile });
  await recorder.start();
});

afterEach(() => repo.dispose());

function modes(commit: string): Record<string, string> {
  const lines = repo.git(['ls-tree', '-r', commit]).trim().split('\n');
  return Object.fromEntries(lines.map((line) => [line.split('\t')[1]!, line.split(' ')[0]!]));
}

describe('checkpoints of named paths', () => {
  it('leave the private index alone when only regular files changed', async () => {
    const indexBefore = readFileSync(repo.indexFile);
    repo.write({ 'a.txt': 'changed\n', 'src/three.ts': '3\n' });

    const checkpoint = await recorder.checkpoint('files', 'plain files', ['a.txt', 'src/three.ts']);

    expect(checkpoint?.stat.files).toBe(2);
    expect(readFileSync(repo.indexFile).equals(indexBefore)).toBe(true);
  });

  it('leave nothing behind in .git when nothing changed', async () => {
    const before = readdirSync(join(repo.path, '.git')).sort();
    repo.write({ 'a.txt': 'a\n' });

    expect(await recorder.checkpoint('files', 'same bytes', ['a.txt'])).toBeNull();
    expect(readdirSync(join(repo.path, '.git')).sort()).toEqual(before);
  });

  it('record the executable bit', async () => {
    chmodSync(join(repo.path, 'a.txt'), 0o755);

    const checkpoint = await recorder.checkpoint('files', 'chmod', ['a.txt']);

    expect(checkpoint?.stat.paths).toEqual([{ path: 'a.txt', status: 'M' }]);
    expect(modes(checkpoint!.commit)['a.txt']).toBe('100755');
  });

  it('take a new folder named alone, without its ignored subfolder', async () => {
    repo.write({ 'pkg/index.ts': 'i\n', 'pkg/lib/util.ts': 'u\n', 'pkg/dist/out.js': 'built\n' });

    const checkpoint = await recorder.checkpoint('files', 'new folder', ['pkg']);

    expect(checkpoint?.stat.paths).toEqual([
      { path: 'pkg/index.ts', status: 'A' },
      { path: 'pkg/lib/util.ts', status: 'A' },
    ]);
  });

  it('take a deleted folder named alone', async () => {
    repo.remove('src');

    const checkpoint = await recorder.checkpoint('files', 'folder gone', ['src']);

    expect(checkpoint?.stat.paths).toEqual([
      { path: 'src/one.ts', status: 'D' },
      { path: 'src/two.ts', status: 'D' },
    ]);
  });

  it('take a symlink (through the index)', async () => {
    symlinkSync('a.txt', join(repo.path, 'link'));

    const checkpoint = await recorder.checkpoint('files', 'symlink', ['link']);

    expect(modes(checkpoint!.commit).link).toBe('120000');
  });

  it('take a file that became a folder, and a folder that became a file', async () => {
    rmSync(join(repo.path, 'a.txt'));
    mkdirSync(join(repo.path, 'a.txt'));
    repo.write({ 'a.txt/inner.txt': 'inner\n' });
    rmSync(join(repo.path, 'src'), { recursive: true });
    repo.write({ src: 'now a file\n' });

    const checkpoint = await recorder.checkpoint('files', 'swap', ['a.txt', 'a.txt/inner.txt', 'src']);

    expect(treeFiles(repo, checkpoint!.commit)).toEqual({
      '.gitignore': 'dist/\n',
      'a.txt/inner.txt': 'inner\n',
      src: 'now a file\n',
    });
  });

  it('keep earlier index-free changes when a later one goes through the index', async () => {
    repo.write({ 'a.txt': 'changed without the index\n' });
    await recorder.checkpoint('files', 'index-free', ['a.txt']);
    symlinkSync('src', join(repo.path, 'src-link'));

    const checkpoint = await recorder.checkpoint('files', 'through the index', ['src-link']);

    expect(checkpoint?.stat.paths).toEqual([{ path: 'src-link', status: 'A' }]);
    expect(treeFiles(repo, checkpoint!.commit)['a.txt']).toBe('changed without the index\n');
    const full = await recorder.checkpoint('turn', 'everything');
    expect(full).toBeNull();
  });

  it('keep a tracked file that .gitignore now matches', async () => {
    repo.write({ '.gitignore': 'dist/\na.txt\n', 'a.txt': 'still tracked\n' });

    const checkpoint = await recorder.checkpoint('files', 'ignored but tracked', ['.gitignore', 'a.txt']);

    expect(checkpoint?.stat.paths.map((p) => p.path)).toEqual(['.gitignore', 'a.txt']);
  });

  it('look at everything when a .gitignore changed, since it can bring in files nobody named', async () => {
    repo.write({ 'dist/bundle.js': 'built\n' });
    repo.write({ '.gitignore': '' });

    const checkpoint = await recorder.checkpoint('files', 'unignore', ['.gitignore']);

    expect(checkpoint?.stat.paths.map((p) => p.path)).toEqual(['.gitignore', 'dist/bundle.js']);
  });

  it('return null for a burst that named only ignored files', async () => {
    repo.write({ 'dist/bundle.js': 'built\n' });

    expect(await recorder.checkpoint('files', 'ignored', ['dist/bundle.js', 'dist'])).toBeNull();
    expect(statSync(join(repo.path, 'dist', 'bundle.js')).isFile()).toBe(true);
  });

  it('give the tree a full look would give: new, changed, executable and deleted files', async () => {
    repo.write({ 'a.txt': 'changed\n', 'src/one.ts': '1 changed\n', 'new/deep/file.ts': 'new\n' });
    chmodSync(join(repo.path, 'src/one.ts'), 0o755);
    repo.remove('src/two.ts');

    const named = await recorder.checkpoint('files', 'named', ['a.txt', 'src/one.ts', 'new', 'src/two.ts']);

    expect(named?.stat.files).toBe(4);
    expect(await recorder.checkpoint('turn', 'full look')).toBeNull();
  });

  it('never leave more than 20 packs in the repository', async () => {
    for (let i = 0; i < 25; i++) {
      repo.write({ 'a.txt': `round ${i}\n` });
      await recorder.checkpoint('files', `round ${i}`, ['a.txt']);
    }

    const packs = readdirSync(join(repo.path, '.git', 'objects', 'pack')).filter((name) =>
      name.endsWith('.pack'),
    );
    expect(packs.length).toBeLessThanOrEqual(20);
    expect(repo.git(['fsck', '--no-progress', '--no-dangling'])).toBe('');
  });
});

describe('checkpoints of named paths in a repository with content filters', () => {
  it('store line endings as .gitattributes asks, like `git add`', async () => {
    repo.write({ '.gitattributes': '*.txt text eol=lf\n' });
    await recorder.checkpoint('files', 'attributes', ['.gitattributes']);
    repo.write({ 'a.txt': 'one\r\ntwo\r\n', 'b.txt': 'three\r\n' });

    const named = await recorder.checkpoint('files', 'crlf', ['a.txt', 'b.txt']);

    expect(repo.git(['cat-file', 'blob', `${named!.commit}:a.txt`])).toBe('one\ntwo\n');
    expect(await recorder.checkpoint('turn', 'full look')).toBeNull();
  });

  it('store line endings as core.autocrlf asks, like `git add`', async () => {
    repo.git(['config', 'core.autocrlf', 'input']);
    const session = new CheckpointRecorder({
      workTree: repo.path,
      sessionId: 'crlf',
      indexFile: `${repo.indexFile}-2`,
    });
    await session.start();
    repo.write({ 'a.txt': 'one\r\ntwo\r\n' });

    const named = await session.checkpoint('files', 'crlf', ['a.txt']);

    expect(repo.git(['cat-file', 'blob', `${named!.commit}:a.txt`])).toBe('one\ntwo\n');
    expect(await session.checkpoint('turn', 'full look')).toBeNull();
  });
});
