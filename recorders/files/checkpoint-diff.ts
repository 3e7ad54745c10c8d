// Unified diffs between checkpoints, or between a checkpoint and the work tree as it is now (new files
// included, which `git diff <commit>` alone would leave out).

import { InvalidInputError } from '../../src/core/errors.js';
import { runGit } from './git.js';
import { openRepository, repositoryPaths } from './repository.js';
import { snapshotTree } from './staging.js';
import { withTempIndex } from './temp-index.js';

export interface DiffCheckpointsOptions {
  /** A diffstat instead of the patch. */
  stat?: boolean;
  /** Only these paths (relative to the work tree, or absolute). */
  paths?: string[];
}

export async function diffCheckpoints(
  workTree: string,
  from: string,
  to?: string,
  options: DiffCheckpointsOptions = {},
): Promise<string> {
  for (const revision of [from, to]) {
    if (revision !== undefined && (revision === '' || revision.startsWith('-'))) {
      throw new InvalidInputError(`"${revision}" is not a checkpoint: give a commit id.`);
    }
  }
  const repo = await openRepository(workTree);
  let pathspec: string[] = [];
  if (options.paths && options.paths.length > 0) {
    const named = repositoryPaths(repo, options.paths);
    if (!named.whole) {
      if (named.paths.length === 0) return '';
      pathspec = named.paths;
    }
  }
  const diff = async (target: string) => {
    const result = await runGit(
      [
        'diff',
        '--no-color',
        '--no-ext-diff',
        ...(options.stat ? ['--stat'] : []),
        from,
        target,
        '--',
        ...pathspec,
      ],
      { cwd: repo.topLevel, env: { GIT_LITERAL_PATHSPECS: '1' } },
    );
    return result.stdout;
  };
  if (to !== undefined) return diff(to);
  return withTempIndex(async (indexFile) => diff(await snapshotTree(repo, indexFile)));
}
