// Finds the git repository around a folder: its top level (checkpoints cover the whole work tree even
// when a session runs in a subfolder), the user's index (also in `git worktree` checkouts) and HEAD.

import { stat } from 'node:fs/promises';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import { GitCommandError, runGit } from './git.js';

export interface Repository {
  /** The folder the caller named (a session may run in a subfolder of the repository). */
  workTree: string;
  /** That folder relative to the top level, as git sees it ('' or 'sub/dir/'), symlinks resolved. */
  prefix: string;
  /** The work tree's top folder: every git command runs here, so paths are relative to it. */
  topLevel: string;
  /** The user's index, read to seed a private one and never written. */
  userIndexPath: string;
  /** The tree with no entries, for diffs from "nothing" (a repository without commits). */
  emptyTree: string;
  objectFormat: 'sha1' | 'sha256';
  /** Where packs live (counted before adding one). */
  packDir: string;
  /** $GIT_DIR/info/attributes, which can ask for content filters like any .gitattributes. */
  infoAttributesPath: string;
}

const EMPTY_TREES: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

export async function openRepository(workTree: string): Promise<Repository> {
  const folder = resolve(workTree);
  // A missing folder would otherwise surface as spawn's ENOENT, which reads like "git is not installed".
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory())
    throw new NotFoundError(`No folder ${folder}: checkpoints need an existing work tree.`);
  let lines: string[];
  try {
    const output = await runGit(
      [
        'rev-parse',
        '--show-toplevel',
        '--show-prefix',
        '--show-object-format',
        ...['--git-path', 'index', '--git-path', 'objects/pack', '--git-path', 'info/attributes'],
      ],
      { cwd: folder },
    );
    lines = output.stdout.split('\n');
  } catch (error) {
    if (
      error instanceof GitCommandError &&
      /not a git repository|must be run in a work tree/.test(error.stderr)
    ) {
      throw new InvalidInputError(
        `${folder} is not inside a git work tree: checkpoints are kept with git, so run \`git init\` there first.`,
      );
    }
    throw error;
  }
  const [topLevel, prefix, objectFormat, indexPath, packDir, infoAttributesPath] = lines;
  if (!topLevel || prefix === undefined || !indexPath || !packDir || !infoAttributesPath) {
    throw new InvalidInputError(`git could not tell the work tree of ${folder}.`);
  }
  return {
    workTree: folder,
    prefix,
    topLevel,
    // --git-path answers relative to the folder it ran in.
    userIndexPath: resolve(folder, indexPath),
    emptyTree: EMPTY_TREES[objectFormat ?? 'sha1'] ?? EMPTY_TREES.sha1!,
    objectFormat: objectFormat === 'sha256' ? 'sha256' : 'sha1',
    packDir: resolve(folder, packDir),
    infoAttributesPath: resolve(folder, infoAttributesPath),
  };
}

/**
 * The commit HEAD points at, or null in a repository with no commit yet (or outside one). Takes the
 * folder rather than the repository, so that it can run beside openRepository.
 */
export async function readHead(folder: string): Promise<string | null> {
  return resolveCommitIn(folder, 'HEAD');
}

/** The commit a revision names, or null when there is none (never an option: callers pass names they built). */
export async function resolveCommit(repo: Repository, revision: string): Promise<string | null> {
  return resolveCommitIn(repo.topLevel, revision);
}

async function resolveCommitIn(folder: string, revision: string): Promise<string | null> {
  const result = await runGit(
    ['rev-parse', '--quiet', '--verify', '--end-of-options', `${revision}^{commit}`],
    {
      cwd: folder,
      okExitCodes: [1, 128],
    },
  );
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * Turns paths named by a caller (relative to its work tree, or absolute) into paths relative to the
 * top level, dropping what git cannot stage by name (outside the work tree, inside .git). `whole` is
 * set when one of them is the top level itself.
 */
export function repositoryPaths(repo: Repository, paths: string[]): { paths: string[]; whole: boolean } {
  const unique = new Set<string>();
  let whole = false;
  for (const path of paths) {
    let inRepo: string | null = null;
    if (!isAbsolute(path)) inRepo = posix.normalize(repo.prefix + path.split(sep).join('/'));
    else {
      for (const root of [repo.workTree, repo.topLevel]) {
        const rel = relative(root, path).split(sep).join('/');
        if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) continue;
        inRepo = posix.normalize((root === repo.workTree ? repo.prefix : '') + rel);
        break;
      }
    }
    if (inRepo === null) continue;
    inRepo = inRepo.replace(/\/+$/, '');
    if (inRepo === '' || inRepo === '.') {
      whole = true;
      continue;
    }
    if (inRepo === '..' || inRepo.startsWith('../') || inRepo.split('/').includes('.git')) continue;
    unique.add(inRepo);
  }
  return { paths: [...unique], whole };
}

/** The settings that decide how a checkpoint may read files, from one `git config` for all of them. */
export interface RepositorySettings {
  /** Whether git records the executable bit here (core.fileMode; false on file systems without it). */
  executableBit: boolean;
  /** core.autocrlf as written; null for a key set without a value (git reads that as true). */
  autocrlf: string | null | undefined;
  /** core.attributesFile, when set. */
  attributesFile: string | undefined;
}

/** Reads RepositorySettings in `folder` (the last value of each key wins, as it does for git). */
export async function readSettings(folder: string): Promise<RepositorySettings> {
  const result = await runGit(
    ['config', '-z', '--get-regexp', '^core\\.(filemode|autocrlf|attributesfile)$'],
    {
      cwd: folder,
      okExitCodes: [1],
    },
  );
  const values = new Map<string, string | null>();
  // -z: each entry is `key` NL `value` NUL, or `key` NUL for a key written without `=`.
  for (const entry of result.stdout.split('\0')) {
    if (entry === '') continue;
    const newline = entry.indexOf('\n');
    if (newline === -1) values.set(entry.toLowerCase(), null);
    else values.set(entry.slice(0, newline).toLowerCase(), entry.slice(newline + 1));
  }
  const attributesFile = values.get('core.attributesfile');
  return {
    executableBit: !isFalse(values.get('core.filemode')),
    autocrlf: values.get('core.autocrlf'),
    attributesFile: attributesFile ?? undefined,
  };
}

/** Whether a config value reads as false to git (`false`, `no`, `off`, `0`, or set empty). */
export function isFalse(value: string | null | undefined): boolean {
  if (value === undefined || value === null) return false;
  const lowered = value.trim().toLowerCase();
  return (
    lowered === '' || lowered === 'false' || lowered === 'no' || lowered === 'off' || /^0+$/.test(lowered)
  );
}
