// Reads a session's checkpoints back from its ref, and turns what people type (a commit id, or
// SESSION~N for the N-th checkpoint from the end) into a commit.

import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import { readTip } from './checkpoint-chain.js';
import { parseCheckpointMessage } from './checkpoint-commit.js';
import type { CheckpointEntry } from './checkpoint-types.js';
import { GitCommandError, runGit } from './git.js';
import { sessionRef } from './refs.js';
import { openRepository, type Repository } from './repository.js';

/** A session's checkpoints, oldest first: its ref walked down to (not including) the session's base. */
export async function listCheckpoints(workTree: string, sessionId: string): Promise<CheckpointEntry[]> {
  const repo = await openRepository(workTree);
  return listRef(repo, sessionRef(sessionId));
}

async function listRef(repo: Repository, ref: string): Promise<CheckpointEntry[]> {
  const tip = await readTip(repo, ref);
  if (!tip) return [];
  const base = parseCheckpointMessage(tip.message).base;
  if (base === undefined)
    throw new InvalidInputError(`${ref} does not point at a checkpoint written by sdd.`);
  const result = await runGit(
    [
      'log',
      '--first-parent',
      '-z',
      '--no-color',
      '--format=%H%x1f%T%x1f%P%x1f%ct%x1f%B',
      tip.commit,
      ...(base ? [`^${base}`] : []),
      '--',
    ],
    { cwd: repo.topLevel },
  );
  const entries: CheckpointEntry[] = [];
  for (const record of result.stdout.split('\0')) {
    if (record === '') continue;
    const [commit, tree, parents, seconds, ...body] = record.split('\x1f');
    const parsed = parseCheckpointMessage(body.join('\x1f'));
    // A commit without sdd's trailers is below the chain (a base that was rewritten); stop there.
    if (!commit || !tree || parsed.trigger === null) break;
    entries.push({
      commit,
      tree,
      parent: parents?.split(' ')[0] || null,
      message: parsed.message,
      createdAt: new Date(Number(seconds) * 1000).toISOString(),
      trigger: parsed.trigger,
    });
  }
  return entries.reverse();
}

/**
 * The commit of a checkpoint named by a full or abbreviated commit id, a session id (its latest
 * checkpoint) or `<session-id>~N` (N checkpoints before the latest; the start is `~(count-1)`).
 */
export async function resolveCheckpointRef(workTree: string, spec: string): Promise<string> {
  const repo = await openRepository(workTree);
  const name = spec.trim();
  if (name === '' || name.startsWith('-')) {
    throw new InvalidInputError(`"${spec}" is not a checkpoint: give a commit id or SESSION~N.`);
  }
  const match = /^(.+?)(?:~(\d+))?$/.exec(name);
  const sessionId = match?.[1] ?? name;
  const back = Number(match?.[2] ?? 0);
  const entries = await listRef(repo, sessionRef(sessionId));
  if (entries.length > 0) {
    const entry = entries[entries.length - 1 - back];
    if (!entry) {
      throw new NotFoundError(
        `Session ${sessionId} has ${entries.length} checkpoint(s): ${sessionId}~0 is the latest, ~${entries.length - 1} the start.`,
      );
    }
    return entry.commit;
  }
  if (!/^[0-9a-f]{4,64}$/i.test(name)) {
    throw new NotFoundError(
      `No checkpoint "${spec}": give a commit id or SESSION~N of a session with checkpoints.`,
    );
  }
  try {
    const result = await runGit(
      ['rev-parse', '--quiet', '--verify', '--end-of-options', `${name}^{commit}`],
      {
        cwd: repo.topLevel,
        okExitCodes: [1],
      },
    );
    if (result.exitCode === 0) return result.stdout.trim();
  } catch (error) {
    if (error instanceof GitCommandError && /ambiguous/.test(error.stderr)) {
      throw new InvalidInputError(`"${spec}" names more than one commit; give more of its characters.`);
    }
    throw error;
  }
  throw new NotFoundError(`No commit "${spec}" in this repository.`);
}
