// Brings a private index (never the user's) in line with the work tree: all of it, or only the paths a
// file watcher saw change, so a checkpoint costs what changed rather than the size of the repository.

import { copyFile, lstat, mkdir, rm, stat, utimes } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GitCommandError, type GitResult, runGitWithIndexLock } from './git.js';
import type { Repository } from './repository.js';

/**
 * Starts a private index as a copy of the user's: it carries their stat data, so the first `add -A`
 * hashes only files that differ from what git already knows, even in a repository of 20,000 files.
 */
export async function seedIndex(repo: Repository, indexFile: string): Promise<void> {
  await mkdir(dirname(indexFile), { recursive: true });
  const source = await stat(repo.userIndexPath).catch(() => null);
  if (!source) {
    await rm(indexFile, { force: true });
    return;
  }
  await copyFile(repo.userIndexPath, indexFile);
  // The copy keeps the original's modification time: git treats entries as "racily clean" by
  // comparing them with the index file's own time, and a newer copy would hide a same-second edit.
  await utimes(indexFile, source.atime, new Date(Math.floor(source.mtimeMs)));
}

function indexEnv(indexFile: string): Record<string, string> {
  return { GIT_INDEX_FILE: indexFile };
}

// sdd's local folder (the database, the recordings, this very index) is kept out of every checkpoint even
// where no .gitignore says so: on a branch from before `sdd init` was committed, .sdd/.gitignore is gone.
const SDD_LOCAL_EXCLUDED = ':(top,exclude).sdd/local';

/** `git add -A` over the whole work tree: respects .gitignore, picks up new and deleted files. */
export async function stageAll(repo: Repository, indexFile: string): Promise<void> {
  const result = await runGitWithIndexLock(['add', '--all', '--', ':/', SDD_LOCAL_EXCLUDED], {
    cwd: repo.topLevel,
    env: indexEnv(indexFile),
    okExitCodes: [1],
  });
  // Where .gitignore does name .sdd/local, git counts the exclusion as naming an ignored path (exit 1,
  // after adding everything else).
  if (result.exitCode === 1 && !onlyIgnoredPaths(result))
    throw new GitCommandError(['add'], 1, result.stderr);
}

/**
 * Stages only the given paths (relative to the top level; files or folders). Paths that still
 * exist go through `add -A` (which skips ignored files), vanished ones through `rm --cached`, because
 * `add` refuses a path that is neither on disk nor in the index (a file created and deleted between
 * two checkpoints). Anything unexpected falls back to staging everything, which is always right.
 */
export async function stagePaths(repo: Repository, indexFile: string, wanted: string[]): Promise<void> {
  if (wanted.length === 0) return;
  const present: string[] = [];
  const vanished: string[] = [];
  await Promise.all(
    wanted.map(async (path) => {
      const exists = await lstat(resolve(repo.topLevel, path)).then(
        () => true,
        () => false,
      );
      (exists ? present : vanished).push(path);
    }),
  );
  const env = { ...indexEnv(indexFile), GIT_LITERAL_PATHSPECS: '1' };
  const pathspecArgs = ['--pathspec-from-file=-', '--pathspec-file-nul'];
  try {
    if (vanished.length > 0) {
      await runGitWithIndexLock(['rm', '--cached', '-r', '-q', '--ignore-unmatch', ...pathspecArgs], {
        cwd: repo.topLevel,
        env,
        input: nulList(vanished),
      });
    }
    if (present.length > 0) {
      const result = await runGitWithIndexLock(['add', '--all', ...pathspecArgs], {
        cwd: repo.topLevel,
        env,
        input: nulList(present),
        okExitCodes: [1],
      });
      if (result.exitCode === 1 && !onlyIgnoredPaths(result)) {
        throw new GitCommandError(['add'], 1, result.stderr);
      }
    }
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    await stageAll(repo, indexFile);
  }
}

/** Writes the index's tree into the object database and returns its id. */
export async function writeTree(repo: Repository, indexFile: string): Promise<string> {
  // write-tree also saves the refreshed cache-tree into the index, so it takes the index lock.
  const result = await runGitWithIndexLock(['write-tree'], { cwd: repo.topLevel, env: indexEnv(indexFile) });
  return result.stdout.trim();
}

/** Stages the whole work tree into a fresh private index and returns its tree (a one-off snapshot). */
export async function snapshotTree(repo: Repository, indexFile: string): Promise<string> {
  await seedIndex(repo, indexFile);
  await stageAll(repo, indexFile);
  return writeTree(repo, indexFile);
}

// Naming an ignored path explicitly makes `add` exit 1 after adding everything else: that is no failure.
// git may warn before it (`in the working copy of 'a.txt', CRLF will be replaced by LF` where core.autocrlf
// is on): a warning is not a failure.
function onlyIgnoredPaths(result: GitResult): boolean {
  return (
    /^The following paths are ignored by one of your \.gitignore files:$/m.test(result.stderr) &&
    !/^(fatal|error):/m.test(result.stderr)
  );
}

function nulList(paths: string[]): string {
  return `${paths.join('\0')}\0`;
}
