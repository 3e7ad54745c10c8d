// Notices bursts of file changes in the work tree and reports them once the burst is over, with the
// paths that changed, so a checkpoint costs what changed rather than what the repository holds.

import { relative, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

const IGNORED_PARTS = new Set(['.git', 'node_modules']);

export interface FileBurstWatcher {
  /** Resolves once the watcher watches every folder: changes before that could be missed. */
  ready: Promise<void>;
  close(): Promise<void>;
  /** Reports what is pending now instead of waiting for the quiet period (used at the end). */
  takePending(): string[];
}

export function watchFileBursts(
  workTree: string,
  quietMs: number,
  onBurst: (paths: string[]) => void,
): FileBurstWatcher {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const watcher: FSWatcher = watch(workTree, {
    ignoreInitial: true,
    // sdd's own spool, git's database and installed packages are never part of a checkpoint
    ignored: (path) => {
      const rel = relative(workTree, path);
      if (rel === '') return false;
      const parts = rel.split(sep);
      return parts.some((p) => IGNORED_PARTS.has(p)) || (parts[0] === '.sdd' && parts[1] === 'local');
    },
  });
  const take = () => {
    const paths = [...pending];
    pending.clear();
    return paths;
  };
  const onChange = (path: string) => {
    pending.add(relative(workTree, path).split(sep).join('/'));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const paths = take();
      if (paths.length > 0) onBurst(paths);
    }, quietMs);
  };
  watcher
    .on('add', onChange)
    .on('change', onChange)
    .on('unlink', onChange)
    .on('addDir', onChange)
    .on('unlinkDir', onChange);
  watcher.on('error', () => undefined); // a vanished folder is not a reason to stop recording
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    takePending: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      return take();
    },
    close: () => watcher.close(),
  };
}
