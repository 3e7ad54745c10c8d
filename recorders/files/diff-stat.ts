// What changed between two trees, read from one `git diff-tree` (raw records and line counts
// together): the diff stat a checkpoint reports, and the entries a restore or the tree cache needs.

import type { CheckpointPathStatus, CheckpointStat } from './checkpoint-types.js';
import { runGit, startGit } from './git.js';
import type { Repository } from './repository.js';

export interface TreeChange {
  status: CheckpointPathStatus;
  oldMode: string;
  newMode: string;
  newObject: string;
  path: string;
}

export interface TreeDiff {
  stat: CheckpointStat;
  changes: TreeChange[];
}

const DIFF_ARGS = ['diff-tree', '-r', '-z', '--raw', '--no-renames'];

/** Between two tree-ish; without line counts when only the entries matter (a restore). */
export async function diffTrees(
  repo: Repository,
  from: string,
  to: string,
  options: { lineCounts?: boolean } = {},
): Promise<TreeDiff> {
  const counts = options.lineCounts === false ? [] : ['--numstat'];
  const result = await runGit([...DIFF_ARGS, ...counts, from, to], { cwd: repo.topLevel });
  return parseDiffTree(result.stdout);
}

export interface CommitDiffer {
  /** The commit against its parent, and its tree. */
  diff(commit: string): Promise<TreeDiff & { tree: string }>;
  /** Lets the process go when no commit came. */
  cancel(): void;
}

/**
 * Starts `diff-tree --stdin` before the commit exists, so its start overlaps the commit's making.
 * `env` may point GIT_INDEX_FILE at no file: diff-tree reads the index only for attributes.
 */
export function startCommitDiff(repo: Repository, env?: Record<string, string>): CommitDiffer {
  const started = startGit([...DIFF_ARGS, '--numstat', '--root', '--format=%T', '--stdin'], {
    cwd: repo.topLevel,
    ...(env && { env }),
  });
  let finished = false;
  const finish = (input: string) => {
    if (finished) return;
    finished = true;
    started.finish(input);
  };
  return {
    async diff(commit) {
      finish(`${commit}\n`);
      const { stdout } = await started.result;
      const end = stdout.indexOf('\0');
      return { tree: stdout.slice(0, end).trim(), ...parseDiffTree(stdout.slice(end + 1)) };
    },
    cancel() {
      finish('');
      started.result.catch(() => undefined);
    },
  };
}

/** Parses `diff-tree -z --raw [--numstat]`: raw records (":modes objects STATUS\0path\0"), then counts. */
export function parseDiffTree(output: string): TreeDiff {
  const tokens = output.split('\0');
  const stat: CheckpointStat = { files: 0, insertions: 0, deletions: 0, paths: [] };
  const changes: TreeChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/^\n/, '');
    if (token === '') continue;
    if (token.startsWith(':')) {
      const [oldMode = '', newMode = '', , newObject = '', status = ''] = token.slice(1).split(' ');
      const change: TreeChange = {
        status: status.charAt(0) as CheckpointPathStatus,
        oldMode,
        newMode,
        newObject,
        path: tokens[++i] ?? '',
      };
      changes.push(change);
      stat.paths.push({ path: change.path, status: change.status });
      continue;
    }
    // "added\tdeleted\tpath"; binary files say "-\t-".
    const [added, deleted] = token.split('\t', 2);
    stat.insertions += Number(added) || 0;
    stat.deletions += Number(deleted) || 0;
  }
  stat.files = stat.paths.length;
  return { stat, changes };
}
