// A chain of checkpoint commits on one private ref: stage the work tree into a private index (or, for
// a few named paths, hash just those), commit the tree onto the previous checkpoint and move the ref
// (compare-and-swap, so two sdd processes never lose each other's checkpoints). The user's branch,
// HEAD, index and stash are never touched.

import { access } from 'node:fs/promises';
import { InvalidInputError, NotFoundError, SddError } from '../../src/core/errors.js';
import { checkpointMessage, commitTree, parseCheckpointMessage, updateRef } from './checkpoint-commit.js';
import type { Checkpoint, CheckpointTrigger } from './checkpoint-types.js';
import { mayConvertContent } from './content-filters.js';
import { diffTrees, startCommitDiff } from './diff-stat.js';
import { runGit } from './git.js';
import { changesNothing, readNamedChanges, startFastImport } from './named-paths-commit.js';
import { openRepository, type Repository, readHead, readSettings, repositoryPaths } from './repository.js';
import { seedIndex, stageAll, stagePaths, writeTree } from './staging.js';
import { TreeEntries } from './tree-entries.js';

export interface CheckpointChainOptions {
  workTree: string;
  ref: string;
  /** The private index, kept between checkpoints (its stat data is what makes full looks cheap). */
  indexFile: string;
  /** HEAD as the caller read it (null: no commit yet), the first checkpoint's parent; else begin() reads it. */
  head?: string | null;
}

interface Tip {
  commit: string;
  tree: string;
}

// How often a checkpoint re-reads a ref that another process moved before giving up.
const REF_RETRIES = 5;

export class CheckpointChain {
  private repo: Repository | null = null;
  private tip: Tip | null = null;
  private base: string | null = null;
  private trustExecutableBit = true;
  // Whether core.autocrlf or an attributes file outside the tree may filter content.
  private mayConvert = true;
  // After a resume the private index may lag the work tree by changes no watcher of this process saw.
  private fullScanNext = false;
  // The tip's files, for checkpoints of named paths; undefined until loaded, null when too many.
  private entries: TreeEntries | null | undefined;
  // Paths committed without the index since the index last looked at them.
  private readonly indexLag = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly options: CheckpointChainOptions) {}

  get ref(): string {
    return this.options.ref;
  }

  /**
   * The first checkpoint of a new ref, always written (it is the start point), its parent HEAD.
   * `onWorkTreeRead` is called once the work tree is staged: from then on a change to it can no longer
   * reach this checkpoint (what follows reads only the index and the object database), and what follows
   * waits for the promise it returns, if any (the caller's program may start first).
   */
  begin(
    trigger: CheckpointTrigger,
    message: string,
    onWorkTreeRead?: () => void | Promise<void>,
  ): Promise<Checkpoint> {
    return this.enqueue(async () => {
      // HEAD and the settings are read in the folder, beside the look for the repository around it
      // (each a git process: the program waits for the staging after them).
      const [repo, base, settings] = await allOrFirstFailure([
        openRepository(this.options.workTree),
        this.options.head !== undefined
          ? Promise.resolve(this.options.head)
          : readHead(this.options.workTree),
        readSettings(this.options.workTree),
      ] as const);
      const [mayConvert] = await Promise.all([
        mayConvertContent(repo, settings),
        seedIndex(repo, this.options.indexFile),
      ]);
      const trustExecutableBit = settings.executableBit;
      await stageAll(repo, this.options.indexFile);
      await onWorkTreeRead?.();
      const tree = await writeTree(repo, this.options.indexFile);
      this.repo = repo;
      this.base = base;
      this.trustExecutableBit = trustExecutableBit;
      this.mayConvert = mayConvert;
      const [checkpoint, entries] = await Promise.all([
        this.commit(repo, tree, { commit: base, tree: base ?? repo.emptyTree }, trigger, message),
        TreeEntries.load(repo, tree),
      ]);
      if (!checkpoint) {
        throw new InvalidInputError(
          `${this.ref} already exists: that session has checkpoints already; resume it instead of starting it again.`,
        );
      }
      this.entries = entries;
      return checkpoint;
    });
  }

  /** Continues an existing ref from its tip (another process, or a crashed one, wrote the rest). */
  async continue(): Promise<void> {
    await this.enqueue(async () => {
      const [repo, settings] = await allOrFirstFailure([
        openRepository(this.options.workTree),
        readSettings(this.options.workTree),
      ] as const);
      const [tip, mayConvert, indexExists] = await Promise.all([
        readTip(repo, this.ref),
        mayConvertContent(repo, settings),
        access(this.options.indexFile).then(
          () => true,
          () => false,
        ),
      ]);
      const trustExecutableBit = settings.executableBit;
      if (!tip) {
        throw new NotFoundError(
          `No checkpoints at ${this.ref}: start the session's recorder before resuming it.`,
        );
      }
      if (!indexExists) await seedIndex(repo, this.options.indexFile);
      this.repo = repo;
      this.trustExecutableBit = trustExecutableBit;
      this.mayConvert = mayConvert;
      this.fullScanNext = true;
      this.entries = undefined;
      this.tip = { commit: tip.commit, tree: tip.tree };
      this.base = parseCheckpointMessage(tip.message).base ?? tip.parent;
    });
  }

  /**
   * A checkpoint of the work tree now, or null when its tree is the previous checkpoint's. With
   * `changedPaths` (relative to the work tree, or absolute) only those are looked at.
   */
  checkpoint(
    trigger: CheckpointTrigger,
    message: string,
    changedPaths?: string[],
  ): Promise<Checkpoint | null> {
    return this.enqueue(async () => {
      const repo = this.repo;
      if (!repo || !this.tip) {
        throw new SddError(
          'INTERNAL',
          `The checkpoint recorder of ${this.ref} was neither started nor resumed.`,
        );
      }
      let named = changedPaths && !this.fullScanNext ? repositoryPaths(repo, changedPaths) : null;
      // A changed .gitignore can bring in files nobody named: only a full look finds them.
      if (named?.paths.some(isIgnoreFile)) named = null;
      if (named && !named.whole) {
        // Every named path was outside the work tree, inside .git or otherwise not git's to keep.
        if (named.paths.length === 0) return null;
        const direct = await this.commitNamedPaths(repo, named.paths, trigger, message);
        if (direct !== undefined) return direct;
      }
      if (named && !named.whole && !this.fullScanNext) {
        await stagePaths(repo, this.options.indexFile, [...new Set([...named.paths, ...this.indexLag])]);
      } else {
        await stageAll(repo, this.options.indexFile);
      }
      this.indexLag.clear();
      this.fullScanNext = false;
      const tree = await writeTree(repo, this.options.indexFile);
      return this.commit(repo, tree, this.tip, trigger, message);
    });
  }

  // The index-free way for named paths; undefined when they need the index after all.
  private async commitNamedPaths(
    repo: Repository,
    paths: string[],
    trigger: CheckpointTrigger,
    message: string,
  ): Promise<Checkpoint | null | undefined> {
    const tip = this.tip!;
    if (this.entries === undefined) this.entries = await TreeEntries.load(repo, tip.tree);
    const entries = this.entries;
    if (!entries) return undefined;
    // Both processes start now and wait for their input while the files are read and hashed.
    const importer = await startFastImport(repo);
    // diff-tree reads the index only for .gitattributes; with none in the tree it can skip 20,000 entries.
    const differ = startCommitDiff(
      repo,
      entries.hasAttributesFiles ? undefined : { GIT_INDEX_FILE: `${this.options.indexFile}-none` },
    );
    try {
      const changes = await readNamedChanges(repo, entries, paths, {
        trustExecutableBit: this.trustExecutableBit,
        rawContent: !this.mayConvert && !entries.hasAttributesFiles,
      });
      if (!changes) return undefined;
      if (changesNothing(changes)) return null;
      const date = new Date(Math.floor(Date.now() / 1000) * 1000);
      const body = checkpointMessage(message, trigger, this.base);
      const commit = await importer.commit({
        ref: this.ref,
        parent: tip.commit,
        message: body,
        date,
        changes,
      });
      for (const path of changes.deletions) this.indexLag.add(path);
      for (const file of changes.files) this.indexLag.add(file.path);
      if (!commit) {
        // Another process moved the ref: continue from its tip, looking at everything.
        await this.adoptMovedTip(repo);
        return undefined;
      }
      const diff = await differ.diff(commit);
      entries.apply(diff.changes);
      this.tip = { commit, tree: diff.tree };
      return {
        commit,
        tree: diff.tree,
        parent: tip.commit,
        ref: this.ref,
        trigger,
        message: parseCheckpointMessage(body).message,
        createdAt: date.toISOString(),
        stat: diff.stat,
      };
    } finally {
      importer.cancel();
      differ.cancel();
    }
  }

  // Commits `tree` on top of `previous` unless they are the same tree (a null `previous.commit` means
  // "create the ref"). When another process moved the ref meanwhile, its tip becomes the parent and
  // the whole work tree is staged again: that process may have seen changes this index never heard of.
  private async commit(
    repo: Repository,
    written: string,
    previous: { commit: string | null; tree: string },
    trigger: CheckpointTrigger,
    message: string,
  ): Promise<Checkpoint | null> {
    const creating = this.tip === null;
    let parent = previous;
    let tree = written;
    for (let attempt = 0; attempt <= REF_RETRIES; attempt++) {
      if (!creating && tree === parent.tree) return null;
      const date = new Date(Math.floor(Date.now() / 1000) * 1000);
      const body = checkpointMessage(message, trigger, this.base);
      const expected = creating ? null : parent.commit;
      const [moved, diff] = await Promise.all([
        commitTree(repo, tree, parent.commit, body, date).then(async (commit) =>
          (await updateRef(repo, this.ref, commit, expected)) ? commit : null,
        ),
        diffTrees(repo, parent.tree, tree),
      ]);
      if (moved) {
        this.tip = { commit: moved, tree };
        this.entries?.apply(diff.changes);
        return {
          commit: moved,
          tree,
          parent: parent.commit,
          ref: this.ref,
          trigger,
          message: parseCheckpointMessage(body).message,
          createdAt: date.toISOString(),
          stat: diff.stat,
        };
      }
      if (creating) return null;
      parent = await this.adoptMovedTip(repo);
      await stageAll(repo, this.options.indexFile);
      this.fullScanNext = false;
      tree = await writeTree(repo, this.options.indexFile);
    }
    throw new SddError('INTERNAL', `${this.ref} keeps moving under this checkpoint; try again.`);
  }

  private async adoptMovedTip(repo: Repository): Promise<Tip> {
    const tip = await readTip(repo, this.ref);
    if (!tip) throw new NotFoundError(`${this.ref} was deleted while the session was recording.`);
    this.tip = { commit: tip.commit, tree: tip.tree };
    this.entries = undefined;
    this.fullScanNext = true;
    return this.tip;
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    // One checkpoint at a time: they share the index and each one's parent is the one before.
    const next = this.queue.then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Promise.all whose failure is the first one in the list's order, not in time: a missing folder is
 * reported as openRepository words it, not as the spawn error of a git started beside it.
 */
async function allOrFirstFailure<T extends readonly unknown[]>(
  promises: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

function isIgnoreFile(path: string): boolean {
  return path === '.gitignore' || path.endsWith('/.gitignore');
}

export interface RefTip {
  commit: string;
  tree: string;
  parent: string | null;
  message: string;
}

/** The commit a ref points at, with its tree and message, or null when the ref does not exist. */
export async function readTip(repo: Repository, ref: string): Promise<RefTip | null> {
  const result = await runGit(
    [
      'for-each-ref',
      '--count=1',
      '--format=%(refname)%00%(objectname)%00%(tree)%00%(parent)%00%(contents)',
      ref,
    ],
    { cwd: repo.topLevel },
  );
  // The pattern also matches refs below it (refs/x/y for refs/x); those sort after the ref itself.
  const [name, commit, tree, parent, ...message] = result.stdout.split('\0');
  if (name !== ref || !commit || !tree) return null;
  return { commit, tree, parent: parent?.split(' ')[0] || null, message: message.join('\0') };
}
