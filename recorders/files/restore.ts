// Makes the work tree's files what they were at a checkpoint, after keeping the current state in a
// safety checkpoint so nothing is lost. HEAD, the branch and the user's index stay where they are: the
// restored state shows up as uncommitted changes.

import { rm, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import { CheckpointChain, readTip } from './checkpoint-chain.js';
import type { Checkpoint } from './checkpoint-types.js';
import { diffTrees, type TreeChange } from './diff-stat.js';
import { runGit } from './git.js';
import { safetyRef, sessionRef } from './refs.js';
import { openRepository, type Repository, resolveCommit } from './repository.js';
import { withTempIndex } from './temp-index.js';

export interface RestoreCheckpointOptions {
  /** Restore even when the work tree has uncommitted changes (they are kept in the safety checkpoint). */
  force?: boolean;
  /** Take the safety checkpoint on this session's ref; without it, on refs/sdd/safety/<time>. */
  sessionIdForSafety?: string;
  /** That session's private index (its stat data makes the safety checkpoint cheap). */
  indexFile?: string;
}

export interface RestoreResult {
  /** The state before the restore; null when it was already the session's latest checkpoint. */
  safety: Checkpoint | null;
  /** Files written or deleted. */
  restoredPaths: number;
}

const GITLINK_MODE = '160000';

/** sdd's own folder (its settings, its tracker, the recordings) is never restored over or counted as a change. */
function isSddOwn(path: string): boolean {
  return path === '.sdd' || path.startsWith('.sdd/');
}

export async function restoreCheckpoint(
  workTree: string,
  commit: string,
  options: RestoreCheckpointOptions = {},
): Promise<RestoreResult> {
  const repo = await openRepository(workTree);
  const target = commit.startsWith('-') ? null : await resolveCommit(repo, commit);
  if (!target) throw new NotFoundError(`No checkpoint "${commit}" in this repository.`);
  if (!options.force) await refuseUncommittedChanges(repo);

  const { safety, currentTree } = await takeSafetyCheckpoint(repo, target, options);
  const { changes } = await diffTrees(repo, currentTree, `${target}^{tree}`, { lineCounts: false });
  const deleted = changes
    .filter((c) => c.status === 'D' && c.oldMode !== GITLINK_MODE && !isSddOwn(c.path))
    .map((c) => c.path);
  const written = changes.filter((c) => c.status !== 'D' && c.newMode !== GITLINK_MODE && !isSddOwn(c.path));
  // Deletions first: a file that becomes a folder (or the reverse) needs its old self gone.
  await deleteFiles(repo, deleted);
  await writeFiles(repo, written);
  return { safety, restoredPaths: deleted.length + written.length };
}

async function refuseUncommittedChanges(repo: Repository): Promise<void> {
  const result = await runGit(['status', '--porcelain', '-z', '--untracked-files=normal'], {
    cwd: repo.topLevel,
  });
  const paths = result.stdout
    .split('\0')
    .filter((record) => /^[ MADRCUT?!]{2} /.test(record))
    .map((record) => record.slice(3))
    .filter((path) => !isSddOwn(path));
  if (paths.length === 0) return;
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  throw new InvalidInputError(
    `The work tree has uncommitted changes (${shown}): commit or stash them first, or use --force ` +
      '(a safety checkpoint keeps them).',
    { paths },
  );
}

async function takeSafetyCheckpoint(
  repo: Repository,
  target: string,
  options: RestoreCheckpointOptions,
): Promise<{ safety: Checkpoint | null; currentTree: string }> {
  const message = `safety checkpoint before restoring ${target.slice(0, 12)}`;
  const take = async (indexFile: string) => {
    const ref = options.sessionIdForSafety ? sessionRef(options.sessionIdForSafety) : safetyRef(new Date());
    const chain = new CheckpointChain({ workTree: repo.topLevel, ref, indexFile });
    const tip = options.sessionIdForSafety ? await readTip(repo, ref) : null;
    if (!tip) {
      const safety = await chain.begin('safety', message);
      return { safety, currentTree: safety.tree };
    }
    await chain.continue();
    const safety = await chain.checkpoint('safety', message);
    // Nothing new since the session's latest checkpoint: that one is the state before the restore.
    return { safety, currentTree: safety?.tree ?? (await readTip(repo, ref))?.tree ?? tip.tree };
  };
  return options.indexFile ? take(options.indexFile) : withTempIndex(take);
}

async function deleteFiles(repo: Repository, paths: string[]): Promise<void> {
  const folders = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(repo.topLevel, path);
    await rm(absolute, { force: true });
    folders.add(dirname(absolute));
  }
  // Folders the deletions emptied go too, as git would do; anything still in them (ignored files) stays.
  const byDepth = [...folders].sort((a, b) => b.length - a.length);
  for (let folder of byDepth) {
    while (folder.length > repo.topLevel.length && folder.startsWith(repo.topLevel)) {
      const removed = await rmdir(folder).then(
        () => true,
        () => false,
      );
      if (!removed) break;
      folder = dirname(folder);
    }
  }
}

// Writes the files through a throw-away index holding only them, so the cost follows what differs and
// git applies the repository's checkout filters (line endings, LFS) as any checkout would.
async function writeFiles(repo: Repository, changes: TreeChange[]): Promise<void> {
  if (changes.length === 0) return;
  await withTempIndex(async (indexFile) => {
    const env = { GIT_INDEX_FILE: indexFile };
    const entries = changes.map((c) => `${c.newMode} ${c.newObject}\t${c.path}\0`).join('');
    await runGit(['update-index', '-z', '--index-info'], { cwd: repo.topLevel, env, input: entries });
    await runGit(['checkout-index', '--all', '--force'], { cwd: repo.topLevel, env });
  });
}
