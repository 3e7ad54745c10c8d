// Writes checkpoint commits and moves their ref. The message carries trailers (trigger, base commit) so
// a ref can be read back, and walked down to its base, without any file beside it.

import type { CheckpointTrigger } from './checkpoint-types.js';
import { GitCommandError, runGit } from './git.js';
import type { Repository } from './repository.js';

// Checkpoints must be writable in a repository where nobody configured user.name, and must not look
// like the user's own commits in `git log --all`.
export const IDENTITY = { name: 'sdd', email: 'sdd@localhost' };

const TRIGGER_TRAILER = 'Sdd-Trigger';
const BASE_TRAILER = 'Sdd-Base';
const NO_BASE = 'none';

const TRIGGERS = new Set<string>(['start', 'files', 'turn', 'manual', 'exit', 'restore', 'safety']);

export function checkpointMessage(message: string, trigger: CheckpointTrigger, base: string | null): string {
  const text = message.trim() || `${trigger} checkpoint`;
  return `${text}\n\n${TRIGGER_TRAILER}: ${trigger}\n${BASE_TRAILER}: ${base ?? NO_BASE}\n`;
}

export interface ParsedCheckpointMessage {
  message: string;
  trigger: CheckpointTrigger | null;
  /** The session's base commit; null when it had none; undefined when the message names none. */
  base: string | null | undefined;
}

export function parseCheckpointMessage(raw: string): ParsedCheckpointMessage {
  const text = raw.replace(/\s+$/, '');
  const split = text.lastIndexOf('\n\n');
  const lastParagraph = split < 0 ? text : text.slice(split + 2);
  const trailers = new Map<string, string>();
  for (const line of lastParagraph.split('\n')) {
    const match = /^(Sdd-[A-Za-z-]+): (.*)$/.exec(line);
    if (!match) return { message: text, trigger: null, base: undefined };
    trailers.set(match[1]!, match[2]!);
  }
  const trigger = trailers.get(TRIGGER_TRAILER);
  const base = trailers.get(BASE_TRAILER);
  return {
    message: split < 0 ? '' : text.slice(0, split),
    trigger: trigger && TRIGGERS.has(trigger) ? (trigger as CheckpointTrigger) : null,
    base: base === undefined ? undefined : base === NO_BASE ? null : base,
  };
}

/** Makes the commit object (no ref moves yet); the date is whole seconds, as git stores it. */
export async function commitTree(
  repo: Repository,
  tree: string,
  parent: string | null,
  message: string,
  date: Date,
): Promise<string> {
  const stamp = `${Math.floor(date.getTime() / 1000)} +0000`;
  const result = await runGit(
    ['commit-tree', '--no-gpg-sign', tree, ...(parent ? ['-p', parent] : []), '-F', '-'],
    {
      cwd: repo.topLevel,
      input: message,
      env: {
        GIT_AUTHOR_NAME: IDENTITY.name,
        GIT_AUTHOR_EMAIL: IDENTITY.email,
        GIT_AUTHOR_DATE: stamp,
        GIT_COMMITTER_NAME: IDENTITY.name,
        GIT_COMMITTER_EMAIL: IDENTITY.email,
        GIT_COMMITTER_DATE: stamp,
      },
    },
  );
  return result.stdout.trim();
}

/**
 * Moves `ref` to `commit` only if it still points at `expected` (null: only if it does not exist yet).
 * Returns false when another process moved it first, so the caller can re-read the tip and retry.
 */
export async function updateRef(
  repo: Repository,
  ref: string,
  commit: string,
  expected: string | null,
): Promise<boolean> {
  try {
    await runGit(['update-ref', ref, commit, expected ?? ''], { cwd: repo.topLevel });
    return true;
  } catch (error) {
    if (error instanceof GitCommandError && /cannot lock ref/.test(error.stderr)) return false;
    throw error;
  }
}
