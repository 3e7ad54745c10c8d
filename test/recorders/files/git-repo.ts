// Real git repositories in temp folders for the file recorder's tests: make one, write files, run git.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir } from '../../helpers/temp-dir.js';

export interface TestRepo {
  path: string;
  /** Runs git in the repository (or in `cwd` below it) and returns stdout. */
  git(args: string[], cwd?: string): string;
  write(files: Record<string, string | Buffer>): void;
  read(path: string): string;
  remove(...paths: string[]): void;
  /** The session's private index, outside the work tree as a session folder would be. */
  indexFile: string;
  dispose(): Promise<void>;
}

export async function makeRepo(
  files: Record<string, string | Buffer> = {},
  options: { commit?: boolean } = {},
) {
  const dir = await makeTempDir('sdd-checkpoint-');
  const path = join(dir.path, 'repo');
  mkdirSync(path);
  const git = (args: string[], cwd = path) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_INDEX_FILE: undefined } });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Test Person']);
  git(['config', 'user.email', 'test@example.com']);
  git(['config', 'commit.gpgSign', 'false']);
  const write = (entries: Record<string, string | Buffer>) => {
    for (const [name, content] of Object.entries(entries)) {
      mkdirSync(dirname(join(path, name)), { recursive: true });
      writeFileSync(join(path, name), content);
    }
  };
  write(files);
  if (options.commit !== false && Object.keys(files).length > 0) {
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'initial']);
  }
  const repo: TestRepo = {
    path,
    git,
    write,
    read: (name) => readFileSync(join(path, name), 'utf8'),
    remove: (...names) => {
      for (const name of names) rmSync(join(path, name), { recursive: true, force: true });
    },
    indexFile: join(dir.path, 'session', 'git-index'),
    dispose: dir.remove,
  };
  return repo;
}

/** path -> content of every file in a commit's tree. */
export function treeFiles(repo: TestRepo, commit: string): Record<string, string> {
  const names = repo.git(['ls-tree', '-r', '-z', '--name-only', commit]).split('\0').filter(Boolean);
  return Object.fromEntries(names.map((name) => [name, repo.git(['show', `${commit}:${name}`])]));
}
