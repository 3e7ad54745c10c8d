// Worktrees for sessions: `sdd run --worktree` works a task on its own branch in its own folder, so
// several agents can work several ready tasks of one project at once. They live under
// .sdd/local/worktrees/ (git-ignored); their checkpoints live in the shared git database and outlive them.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { InvalidInputError, NotFoundError, SddError } from '../core/errors.js';
import { PRIVATE_FOLDER_MODE } from '../store/private-folder.js';

export function worktreesRoot(projectRoot: string): string {
  return join(projectRoot, '.sdd', 'local', 'worktrees');
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new SddError(
      'INVALID_INPUT',
      `git ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`,
    );
  }
  return result.stdout;
}

/** A new worktree on a new branch sdd/<task>-<n> from HEAD (or from `start`). */
export function createWorktree(
  projectRoot: string,
  taskName: string,
  sessionId: string,
  start = 'HEAD',
): { path: string; branch: string } {
  if (spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: projectRoot }).status !== 0) {
    throw new InvalidInputError('--worktree needs a repository with at least one commit to branch from.');
  }
  // the folder of all worktrees is the owner's alone, like the rest of .sdd/local
  mkdirSync(worktreesRoot(projectRoot), { recursive: true, mode: PRIVATE_FOLDER_MODE });
  chmodSync(worktreesRoot(projectRoot), PRIVATE_FOLDER_MODE);
  const slug = `${taskName.replace(/[^A-Za-z0-9._-]+/g, '-')}-${sessionId.slice(-4)}`;
  const path = join(worktreesRoot(projectRoot), slug);
  const branch = `sdd/${slug}`;
  git(projectRoot, ['worktree', 'add', '-q', '-b', branch, path, start]);
  return { path, branch };
}

/** Switches the project's own work tree to a new branch at `start`; it must have no uncommitted changes. */
export function switchToNewBranch(
  projectRoot: string,
  taskName: string,
  sessionId: string,
  start: string,
): string {
  const status = spawnSync('git', ['status', '--porcelain'], {
    cwd: projectRoot,
    encoding: 'utf8',
  }).stdout.trim();
  if (status !== '') {
    throw new InvalidInputError(
      'The work tree has uncommitted changes; commit or stash them, or fork into a worktree of its own with --worktree.',
    );
  }
  const branch = `sdd/${taskName.replace(/[^A-Za-z0-9._-]+/g, '-')}-${sessionId.slice(-4)}`;
  const settings = sddSettingsMissingAt(projectRoot, start);
  git(projectRoot, ['switch', '-q', '-c', branch, start]);
  // A start from before `sdd init` was committed would take sdd's settings away (config.json, the
  // .gitignore that keeps .sdd/local out of git, the context): the folder would no longer be a project.
  for (const file of settings) {
    const path = join(projectRoot, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return branch;
}

/** sdd's own committed files (outside .sdd/local) that `start` lacks, with their content now. */
function sddSettingsMissingAt(projectRoot: string, start: string): { path: string; content: Buffer }[] {
  const names = git(projectRoot, [
    'diff',
    '--name-only',
    '-z',
    '--no-renames',
    '--diff-filter=D',
    '--relative', // the project may be a subfolder of the repository
    'HEAD',
    start,
    '--',
    '.sdd',
    ':(exclude).sdd/local',
  ])
    .split('\0')
    .filter(Boolean);
  return names.map((path) => ({ path, content: readFileSync(join(projectRoot, path)) }));
}

export interface WorktreeInfo {
  path: string;
  /** Relative to the project root, as people type it. */
  name: string;
  branch: string | null;
  head: string;
  /** Uncommitted changes in it (sdd's checkpoints have them anyway). */
  dirty: boolean;
}

export function listWorktrees(projectRoot: string): WorktreeInfo[] {
  const root = worktreesRoot(projectRoot);
  const out: WorktreeInfo[] = [];
  const blocks = git(projectRoot, ['worktree', 'list', '--porcelain']).split('\n\n');
  for (const block of blocks) {
    const fields = new Map(
      block.split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as const),
    );
    const path = fields.get('worktree');
    if (!path || !resolve(path).startsWith(root)) continue;
    const dirty =
      existsSync(path) &&
      spawnSync('git', ['status', '--porcelain'], { cwd: path, encoding: 'utf8' }).stdout.trim() !== '';
    out.push({
      path,
      name: relative(projectRoot, path),
      branch: fields.get('branch')?.replace('refs/heads/', '') ?? null,
      head: fields.get('HEAD') ?? '',
      dirty,
    });
  }
  return out;
}

/** Removes a session's worktree folder; its branch and its checkpoints stay. */
export function removeWorktree(projectRoot: string, name: string, force: boolean): WorktreeInfo {
  const found = listWorktrees(projectRoot).filter(
    (w) => w.name === name || w.path === resolve(name) || w.name.endsWith(name),
  );
  if (found.length === 0) throw new NotFoundError(`No sdd worktree "${name}"; \`sdd worktrees\` lists them.`);
  if (found.length > 1)
    throw new InvalidInputError(`"${name}" matches ${found.length} worktrees; give more of its name.`);
  const worktree = found[0]!;
  if (worktree.dirty && !force) {
    throw new InvalidInputError(
      `${worktree.name} has uncommitted changes; commit them on ${worktree.branch}, or use --force (the session's checkpoints keep them).`,
    );
  }
  git(projectRoot, ['worktree', 'remove', ...(force ? ['--force'] : []), worktree.path]);
  return worktree;
}
