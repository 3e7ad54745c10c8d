// The files of the latest checkpoint's tree, kept in memory (path -> mode and object), so a
// checkpoint of a few named paths can be built without reading or writing a 20,000-entry index.

import type { TreeChange } from './diff-stat.js';
import { runGit } from './git.js';
import type { Repository } from './repository.js';

export interface TreeEntry {
  mode: string;
  object: string;
}

// Past this many files the cache would cost more memory than it saves time: checkpoints use the index.
const MAX_ENTRIES = 300_000;

export class TreeEntries {
  private readonly files = new Map<string, TreeEntry>();
  // How many files each folder holds, at any depth: tells a folder from a file without scanning.
  private readonly folders = new Map<string, number>();
  private attributesFiles = 0;

  /** The files of `tree`, or null when it is too big to keep in memory. */
  static async load(repo: Repository, tree: string): Promise<TreeEntries | null> {
    const result = await runGit(['ls-tree', '-r', '-z', '--full-tree', tree], { cwd: repo.topLevel });
    const entries = new TreeEntries();
    for (const record of result.stdout.split('\0')) {
      if (record === '') continue;
      // "<mode> SP <type> SP <object> TAB <path>"
      const tab = record.indexOf('\t');
      const [mode = '', , object = ''] = record.slice(0, tab).split(' ');
      entries.set(record.slice(tab + 1), { mode, object });
      if (entries.files.size > MAX_ENTRIES) return null;
    }
    return entries;
  }

  get(path: string): TreeEntry | undefined {
    return this.files.get(path);
  }

  /** Whether a .gitattributes file anywhere in the tree could ask for content filters. */
  get hasAttributesFiles(): boolean {
    return this.attributesFiles > 0;
  }

  isFolder(path: string): boolean {
    return this.folders.has(path);
  }

  /** The files below a folder (a linear scan: only for folders a watcher named). */
  filesUnder(folder: string): string[] {
    const prefix = `${folder}/`;
    return [...this.files.keys()].filter((path) => path.startsWith(prefix));
  }

  /** Brings the cache to the next checkpoint's tree. */
  apply(changes: TreeChange[]): void {
    for (const change of changes) {
      if (change.status === 'D') this.delete(change.path);
      else this.set(change.path, { mode: change.newMode, object: change.newObject });
    }
  }

  private set(path: string, entry: TreeEntry): void {
    if (!this.files.has(path)) {
      for (const folder of parentFolders(path)) this.folders.set(folder, (this.folders.get(folder) ?? 0) + 1);
      if (isAttributesFile(path)) this.attributesFiles++;
    }
    this.files.set(path, entry);
  }

  private delete(path: string): void {
    if (!this.files.delete(path)) return;
    if (isAttributesFile(path)) this.attributesFiles--;
    for (const folder of parentFolders(path)) {
      const count = (this.folders.get(folder) ?? 1) - 1;
      if (count === 0) this.folders.delete(folder);
      else this.folders.set(folder, count);
    }
  }
}

export function parentFolders(path: string): string[] {
  const folders: string[] = [];
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    folders.push(path.slice(0, slash));
  }
  return folders;
}

export function isAttributesFile(path: string): boolean {
  return path === '.gitattributes' || path.endsWith('/.gitattributes');
}
