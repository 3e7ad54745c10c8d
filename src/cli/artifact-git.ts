// Reading artifact files out of git: a file as a commit (a checkpoint's or a branch's) holds it,
// its blob id (two versions with one blob are one version), and the commits that changed a folder.

import { spawnSync } from 'node:child_process';

function git(root: string, args: string[]): { ok: boolean; stdout: string } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0, stdout: result.stdout ?? '' };
}

/** The file's text at `commit` (path relative to the project root), or null where it is not. */
export function fileAt(root: string, commit: string, path: string): string | null {
  const read = git(root, ['show', `${commit}:./${path}`]);
  return read.ok ? read.stdout : null;
}

export function blobAt(root: string, commit: string, path: string): string | null {
  const read = git(root, ['rev-parse', '-q', '--verify', `${commit}:./${path}`]);
  return read.ok ? read.stdout.trim() : null;
}

export interface FileCommit {
  commit: string;
  author: string;
  at: string;
  path: string;
  /** A (added), M (modified), D (deleted), as git says. */
  status: string;
}

/** The commits of the current branch that changed files under `dir`, oldest first, one row per file. */
export function commitsOfFolder(root: string, dir: string): FileCommit[] {
  const log = git(root, [
    'log',
    '--reverse',
    '--no-renames',
    '--format=%x00%H%x09%an%x09%aI',
    '--name-status',
    '--relative',
    '--',
    dir,
  ]);
  if (!log.ok) return [];
  const rows: FileCommit[] = [];
  for (const block of log.stdout.split('\0').slice(1)) {
    const [head, ...files] = block.split('\n');
    const [commit, author, at] = head!.split('\t');
    for (const line of files) {
      const [status, path] = line.split('\t');
      if (status && path) rows.push({ commit: commit!, author: author!, at: at!, path, status: status[0]! });
    }
  }
  return rows;
}
