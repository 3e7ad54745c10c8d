// A checkpoint of a few named paths without any index: one `git fast-import` builds the new trees from
// the previous checkpoint's, writes the commit and moves the ref. Reading and writing a 20,000-entry
// index twice costs more than that. Anything unusual (a symlink, a file that became a folder, a big new
// folder) is left to the index path.

import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { IDENTITY } from './checkpoint-commit.js';
import { GitCommandError, runGit, startGit } from './git.js';
import type { Repository } from './repository.js';
import { isAttributesFile, parentFolders, type TreeEntries } from './tree-entries.js';

export interface ChangedFile {
  path: string;
  mode: string;
  object: string;
  /** The bytes, when fast-import is to store them (hashed here because no filter can apply). */
  content?: Buffer;
}

export interface NamedChanges {
  deletions: string[];
  /** Files whose mode or content differ from the tree's. */
  files: ChangedFile[];
}

export interface NamedChangeSettings {
  trustExecutableBit: boolean;
  /** False when line-ending or other filters may apply: then git hashes the files. */
  rawContent: boolean;
}

interface PlannedFile {
  path: string;
  mode: string;
  size: number;
}

// A new folder with more files than this goes through `add -A`, which also prunes ignored subfolders.
const MAX_FOLDER_FILES = 1000;
// Bigger files are hashed by git rather than read into memory here.
const MAX_RAW_BYTES = 16 * 1024 * 1024;

/**
 * What the named paths (relative to the top level) change in the tree; null when the index path must
 * do it. Files whose content git stores as is are read and hashed here; otherwise `hash-object -w`.
 */
export async function readNamedChanges(
  repo: Repository,
  entries: TreeEntries,
  paths: string[],
  settings: NamedChangeSettings,
): Promise<NamedChanges | null> {
  const deletions = new Set<string>();
  const files = new Map<string, PlannedFile>();
  const addFile = (path: string, stats: Stats): boolean => {
    const previous = entries.get(path);
    if (entries.isFolder(path) || previous?.mode === '160000') return false;
    if (parentFolders(path).some((folder) => entries.get(folder))) return false;
    // fast-import and hash-object take one path per line and unquote a leading double quote.
    if (path.startsWith('"') || /[\r\n]/.test(path)) return false;
    let mode = (stats.mode & 0o100) !== 0 ? '100755' : '100644';
    // Where the file system cannot keep the executable bit, git keeps the mode it had.
    if (!settings.trustExecutableBit) mode = previous?.mode === '100755' ? '100755' : '100644';
    files.set(path, { path, mode, size: stats.size });
    return true;
  };

  for (const path of paths) {
    const stats = await lstat(join(repo.topLevel, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (!stats) {
      if (entries.get(path) || entries.isFolder(path)) deletions.add(path);
    } else if (stats.isFile()) {
      if (!addFile(path, stats)) return null;
    } else if (stats.isDirectory()) {
      if (entries.get(path)) return null;
      const found = await filesInFolder(repo.topLevel, path);
      if (!found) return null;
      for (const [file, fileStats] of found) if (!addFile(file, fileStats)) return null;
      for (const file of entries.filesUnder(path)) if (!found.has(file)) deletions.add(file);
    } else {
      return null;
    }
  }
  const kept = await withoutIgnoredFiles(repo, entries, [...files.values()]);
  const raw =
    settings.rawContent && kept.every((file) => file.size <= MAX_RAW_BYTES && !isAttributesFile(file.path));
  const hashed = raw ? await hashHere(repo, kept) : await hashWithGit(repo, kept);
  if (!hashed) return null;
  const changed = hashed.filter((file) => {
    const previous = entries.get(file.path);
    return previous?.mode !== file.mode || previous.object !== file.object;
  });
  return { deletions: [...deletions], files: changed };
}

// The regular files below a folder, or null when it holds something the index path must judge (a
// nested repository, a symlink) or too many files.
async function filesInFolder(topLevel: string, folder: string): Promise<Map<string, Stats> | null> {
  const found = new Map<string, Stats>();
  const pending = [folder];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const names = await readdir(join(topLevel, current), { withFileTypes: true }).catch(() => null);
    if (!names) return null;
    for (const entry of names) {
      const path = posix.join(current, entry.name);
      if (entry.name === '.git') return null;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        const stats = await lstat(join(topLevel, path)).catch(() => null);
        if (!stats) return null;
        found.set(path, stats);
        if (found.size > MAX_FOLDER_FILES) return null;
      } else return null;
    }
  }
  return found;
}

// New files that .gitignore excludes stay out; files already in the tree stay in, as with `add -A`.
async function withoutIgnoredFiles(repo: Repository, entries: TreeEntries, files: PlannedFile[]) {
  const fresh = files.filter((file) => !entries.get(file.path));
  if (fresh.length === 0) return files;
  const result = await runGit(['check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: repo.topLevel,
    input: `${fresh.map((file) => file.path).join('\0')}\0`,
    okExitCodes: [1],
  });
  const ignored = new Set(result.stdout.split('\0'));
  return files.filter((file) => !ignored.has(file.path));
}

// No filter can change the bytes: the object id is the hash of "blob <size>\0<bytes>", and the bytes go
// to fast-import with the commit, which saves a process and ten loose object files.
async function hashHere(repo: Repository, files: PlannedFile[]): Promise<ChangedFile[] | null> {
  try {
    return await Promise.all(
      files.map(async (file) => {
        const content = await readFile(join(repo.topLevel, file.path));
        const hash = createHash(repo.objectFormat);
        hash.update(`blob ${content.length}\0`);
        hash.update(content);
        return { path: file.path, mode: file.mode, object: hash.digest('hex'), content };
      }),
    );
  } catch {
    // A file that vanished since it was looked at: the index path copes with that.
    return null;
  }
}

// Git applies the repository's clean filters (line endings, LFS) and writes the blobs.
async function hashWithGit(repo: Repository, files: PlannedFile[]): Promise<ChangedFile[] | null> {
  if (files.length === 0) return [];
  try {
    const result = await runGit(['hash-object', '-w', '--stdin-paths'], {
      cwd: repo.topLevel,
      input: `${files.map((file) => file.path).join('\n')}\n`,
    });
    const objects = result.stdout.trim().split('\n');
    if (objects.length !== files.length) return null;
    return files.map((file, i) => ({ path: file.path, mode: file.mode, object: objects[i]! }));
  } catch (error) {
    if (error instanceof GitCommandError) return null;
    throw error;
  }
}

export function changesNothing(changes: NamedChanges): boolean {
  return changes.deletions.length === 0 && changes.files.length === 0;
}

// Below this many packs a checkpoint's objects go into one small pack (two files); past it they are
// written loose, as git does for small fetches, so checkpoints alone never bring the repository near
// gc.autoPackLimit (50), where git would start repacking in the background.
const MAX_PACKS_FOR_OWN_PACK = 20;

export interface FastImport {
  /**
   * Commits the changes on top of `parent` and moves `ref` to the new commit. Returns null when the
   * ref no longer points at `parent` (fast-import refuses to move a ref to a commit that does not
   * contain its current tip, so another process's checkpoint is never lost).
   */
  commit(options: {
    ref: string;
    parent: string;
    message: string;
    date: Date;
    changes: NamedChanges;
  }): Promise<string | null>;
  /** Lets the process go when there is nothing to commit. */
  cancel(): void;
}

/** Starts `git fast-import` now, while the caller still reads the files it will be given. */
export async function startFastImport(repo: Repository): Promise<FastImport> {
  const ownPack = (await countPacks(repo)) < MAX_PACKS_FOR_OWN_PACK;
  const started = startGit(
    [
      ...(ownPack ? ['-c', 'fastimport.unpackLimit=0'] : []),
      'fast-import',
      '--quiet',
      '--done',
      '--date-format=raw',
    ],
    { cwd: repo.topLevel, okExitCodes: [1] },
  );
  let finished = false;
  const finish = (input: Buffer) => {
    if (finished) return;
    finished = true;
    started.finish(input);
  };
  return {
    async commit(options) {
      finish(fastImportStream(options));
      const result = await started.result;
      if (result.exitCode !== 0) {
        if (/Not updating/.test(result.stderr)) return null;
        throw new GitCommandError(['fast-import'], result.exitCode, result.stderr);
      }
      return result.stdout.trim();
    },
    cancel() {
      // An empty stream that says it is complete: fast-import exits without writing anything.
      finish(Buffer.from('done\n'));
      started.result.catch(() => undefined);
    },
  };
}

function fastImportStream(options: {
  ref: string;
  parent: string;
  message: string;
  date: Date;
  changes: NamedChanges;
}): Buffer {
  const stamp = `${Math.floor(options.date.getTime() / 1000)} +0000`;
  const who = `${IDENTITY.name} <${IDENTITY.email}> ${stamp}`;
  const parts: Buffer[] = [
    Buffer.from(
      [
        `commit ${options.ref}`,
        'mark :1',
        `author ${who}`,
        `committer ${who}`,
        `data ${Buffer.byteLength(options.message)}`,
        options.message,
        `from ${options.parent}`,
        ...options.changes.deletions.map((path) => `D ${path}`),
        '',
      ].join('\n'),
    ),
  ];
  for (const file of options.changes.files) {
    if (!file.content) {
      parts.push(Buffer.from(`M ${file.mode} ${file.object} ${file.path}\n`));
      continue;
    }
    parts.push(
      Buffer.from(`M ${file.mode} inline ${file.path}\ndata ${file.content.length}\n`),
      file.content,
    );
    parts.push(Buffer.from('\n'));
  }
  parts.push(Buffer.from('\nget-mark :1\ndone\n'));
  return Buffer.concat(parts);
}

async function countPacks(repo: Repository): Promise<number> {
  const names = await readdir(repo.packDir).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.pack')).length;
}
